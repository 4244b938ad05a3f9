#!/bin/sh
# SPDX-License-Identifier: MIT
# On a randomised national data set, every figure in bulletin.md equals what
# `gongji query` returns for the same period, formatted by DESIGN §6 - the
# formatting here is done independently (awk, integer arithmetic).  Also:
# the same store and arguments give byte-identical bulletin.md and
# attachment.xlsx.
. "$(dirname "$0")/lib.sh"

SEED=${GONGJI_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
note "seed $SEED (rerun with GONGJI_SEED=$SEED)"
"$GEN" --seed "$SEED" "$T/d" >/dev/null || fail "generator"
DB="$T/s.db"
"$GONGJI" ingest --quiet --db "$DB" "$T"/d/in/*.csv 2>/dev/null ||
    fail "ingest"
"$GONGJI" bulletin --quiet --db "$DB" --period 2024-06 --out "$T/b1" \
    --as-of 2024-10-20 2>"$T/err" || { cat "$T/err"; fail "bulletin"; }
B="$T/b1/bulletin.md"
[ -s "$B" ] || fail "no bulletin.md"

q() { "$GONGJI" query --db "$DB" --format csv "$@" | tail -n +2; }

# DESIGN §6 with integer arithmetic: round half away from zero on the exact
# integer, two decimals, unit by magnitude.
FMT='
function rdiv(n, d,   q, r) { q = int(n / d); r = n - q * d;
    if (2 * r >= d) q++; return q }
function two(h) { return sprintf("%d.%02d", int(h / 100), h % 100) }
function pt(n) { if (n >= 100000000) return two(rdiv(n, 1000000)) "亿人次";
    if (n >= 10000) return two(rdiv(n, 100)) "万人次"; return n "人次" }
function am(fen) { if (fen >= 10000000000) return two(rdiv(fen, 100000000)) "亿元";
    if (fen >= 1000000) return two(rdiv(fen, 10000)) "万元"; return two(fen) "元" }
function ptin(n, lvl) { if (lvl >= 100000000) return two(rdiv(n, 1000000)) "亿人次";
    if (lvl >= 10000) return two(rdiv(n, 100)) "万人次"; return n "人次" }
function amin(fen, lvl) { if (lvl >= 10000000000) return two(rdiv(fen, 100000000)) "亿元";
    if (lvl >= 1000000) return two(rdiv(fen, 10000)) "万元"; return two(fen) "元" }
function fen(s,   a) { split(s, a, "."); return a[1] * 100 + a[2] }
# the headline drops trailing zeros ({headline|trim}: 304.50 -> 304.5)
function trim(x,   u) { u = x; sub(/^[0-9.]*/, "", u); x = substr(x, 1, length(x) - length(u));
    if (x ~ /\./) { sub(/0+$/, "", x); sub(/\.$/, "", x) } return x u }
'
expect() { # a phrase that must appear in bulletin.md
    grep -qF -- "$1" "$B" || bad "bulletin.md lacks '$1'"
}

# headline: totals and increase over 1-5月
cur=$(q --period 2024-01..2024-06)
prev=$(q --period 2024-01..2024-05)
head=$(printf '%s\n%s\n' "$cur" "$prev" | awk -F, "$FMT"'
    NR == 1 { p = $1; a = fen($2) } NR == 2 { pp = $1; pa = fen($2) }
    END { printf "共济%s，比1-5月增长%s；共济金额%s，比1-5月增长%s。",
          trim(pt(p)), trim(ptin(p - pp, p)), trim(am(a)),
          trim(amin(a - pa, a)) }')
expect "2024年1-6月，全国职工医保个人账户$head"

# scope split
for s in same_area cross_area; do
    line=$(q --period 2024-01..2024-06 --where scope=$s | awk -F, "$FMT"'
        { printf "共济%s、%s", pt($1), am(fen($2)) }')
    expect "$line"
done

# use split (其他 only when non-zero)
q --period 2024-01..2024-06 --by use | awk -F, "$FMT"'
    { print $1 "\t" am(fen($3)) }' > "$T/uses"
while IFS="$(printf '\t')" read -r use shown; do
    case $use in
    medical) expect "在定点医疗机构共济$shown" ;;
    pharmacy) expect "在定点零售药店共济$shown" ;;
    premium) expect "用于参加居民医保等个人缴费$shown" ;;
    other) expect "其他用途$shown" ;;
    esac
done < "$T/uses"

# top five by person-times and by amount, short names joined by 、
short() { # province codes on stdin -> short names joined by 、
    awk -F, 'NR == FNR { if (FNR > 1) n[$1] = $3; next }
        { s = s (s == "" ? "" : "、") n[$1] } END { print s }' \
        "$GONGJI_DATA/provinces.csv" -
}
top_pt=$(q --period 2024-01..2024-06 --by province --sort person_times \
    --top 5 | short)
top_am=$(q --period 2024-01..2024-06 --by province --sort amount --top 5 |
    short)
expect "共济人次居前五位的省份是$top_pt；"
expect "共济金额居前五位的省份是$top_am；"

# no placeholder left, no ASCII parentheses or commas in the prose
grep -n '[{}]' "$B" && bad "a brace left in bulletin.md"

# reproducible: the same store and arguments, byte-identical files
"$GONGJI" bulletin --quiet --db "$DB" --period 2024-06 --out "$T/b2" \
    --as-of 2024-10-20 2>/dev/null || fail "second bulletin"
cmp "$T/b1/bulletin.md" "$T/b2/bulletin.md" || bad "bulletin.md differs"
cmp "$T/b1/attachment.xlsx" "$T/b2/attachment.xlsx" ||
    bad "attachment.xlsx differs between two runs"
finish
