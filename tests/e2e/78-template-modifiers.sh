#!/bin/sh
# SPDX-License-Identifier: MIT
# Display modifiers in a bulletin template (report/template.h): the names
# that are not figures take none, so a modifier written after one, or an
# empty one, is a template error at TEMPLATE:LINE:COL (exit 3, no
# bulletin.md written) - never a blank or a silently ignored word; '|' in
# the template's literal text stays text.  A templates directory of an
# older gongji (only bulletin.md.tmpl) serves style 2024.
. "$(dirname "$0")/lib.sh"

ingest_sample "$T/s.db" 2024-10-20
TM="$GONGJI_TOP/templates/bulletin-2024.md.tmpl"
grep -q '^{headline|trim}{yoy}$' "$TM" || fail "templates/bulletin-2024.md.tmpl: no '{headline|trim}{yoy}' line"
line=$(grep -n '^{headline|trim}{yoy}$' "$TM" | cut -d: -f1)

# tmpl NAME SED: a template directory with the edited template
tmpl() {
    mkdir -p "$T/$1"
    sed "$2" "$TM" >"$T/$1/bulletin.md.tmpl"
}

tmpl mod 's/^{headline|trim}{yoy}$/{headline|trim}{yoy|trim}/'
tmpl empty 's/^{headline|trim}{yoy}$/{headline|}{yoy}/'
tmpl pipe 's/^{headline|trim}{yoy}$/{headline}|{yoy}｜/'

GONGJI_TEMPLATES="$T/mod" run mod "$GONGJI" bulletin --quiet --db "$T/s.db" \
    --period 2024-09 --no-charts --out "$T/o-mod"
expect_rc mod 3
grep -qxF "$T/mod/bulletin.md.tmpl:$line:21: error: unknown or conflicting modifier 'trim' in {yoy|trim}" \
    "$T/mod.err" || bad "modifier on {yoy}: $(cat "$T/mod.err")"
[ -e "$T/o-mod/bulletin.md" ] && bad "a bulletin.md was written despite the template error"

GONGJI_TEMPLATES="$T/empty" run empty "$GONGJI" bulletin --quiet --db "$T/s.db" \
    --period 2024-09 --no-charts --out "$T/o-empty"
expect_rc empty 3
grep -qxF "$T/empty/bulletin.md.tmpl:$line:11: error: empty modifier in '{headline|}'" \
    "$T/empty.err" || bad "empty modifier: $(cat "$T/empty.err")"

GONGJI_TEMPLATES="$T/pipe" run pipe "$GONGJI" bulletin --quiet --db "$T/s.db" \
    --period 2024-09 --no-charts --out "$T/o-pipe"
expect_rc pipe 0
grep -q '。|.*｜$' "$T/o-pipe/bulletin.md" ||
    bad "'|' in the text: $(sed -n "${line}p" "$T/o-pipe/bulletin.md")"
finish
