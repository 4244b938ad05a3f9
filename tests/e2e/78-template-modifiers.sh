#!/bin/sh
# SPDX-License-Identifier: MIT
# Display modifiers in a bulletin template (report/template.h): the names
# the bulletin knows today take none, so a modifier written after one, or an
# empty one, is a template error at templates/bulletin.md.tmpl:LINE:COL
# (exit 3, no bulletin.md written) - never a blank or a silently ignored
# word; '|' in the template's literal text stays text.
. "$(dirname "$0")/lib.sh"

ingest_sample "$T/s.db" 2024-10-20
TM="$GONGJI_TOP/templates/bulletin.md.tmpl"
grep -q '^{headline}{yoy}$' "$TM" || fail "templates/bulletin.md.tmpl: no '{headline}{yoy}' line"
line=$(grep -n '^{headline}{yoy}$' "$TM" | cut -d: -f1)

# tmpl NAME SED: a template directory with the edited template
tmpl() {
    mkdir -p "$T/$1"
    sed "$2" "$TM" >"$T/$1/bulletin.md.tmpl"
}

tmpl mod 's/^{headline}{yoy}$/{headline}{yoy|trim}/'
tmpl empty 's/^{headline}{yoy}$/{headline|}{yoy}/'
tmpl pipe 's/^{headline}{yoy}$/{headline}|{yoy}｜/'

GONGJI_TEMPLATES="$T/mod" run mod "$GONGJI" bulletin --quiet --db "$T/s.db" \
    --period 2024-09 --no-charts --out "$T/o-mod"
expect_rc mod 3
grep -qxF "templates/bulletin.md.tmpl:$line:16: error: unknown or conflicting modifier 'trim' in {yoy|trim}" \
    "$T/mod.err" || bad "modifier on {yoy}: $(cat "$T/mod.err")"
[ -e "$T/o-mod/bulletin.md" ] && bad "a bulletin.md was written despite the template error"

GONGJI_TEMPLATES="$T/empty" run empty "$GONGJI" bulletin --quiet --db "$T/s.db" \
    --period 2024-09 --no-charts --out "$T/o-empty"
expect_rc empty 3
grep -qxF "templates/bulletin.md.tmpl:$line:11: error: empty modifier in '{headline|}'" \
    "$T/empty.err" || bad "empty modifier: $(cat "$T/empty.err")"

GONGJI_TEMPLATES="$T/pipe" run pipe "$GONGJI" bulletin --quiet --db "$T/s.db" \
    --period 2024-09 --no-charts --out "$T/o-pipe"
expect_rc pipe 0
grep -q '。|.*｜$' "$T/o-pipe/bulletin.md" ||
    bad "'|' in the text: $(sed -n "${line}p" "$T/o-pipe/bulletin.md")"
finish
