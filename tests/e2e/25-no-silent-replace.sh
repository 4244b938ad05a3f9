#!/bin/sh
# SPDX-License-Identifier: MIT
# Nothing stored is removed or replaced silently (DESIGN §4).  The three
# cases that did it with exit status 0 - a stray row of another month, a
# mistyped area code of another province, a province sending one file per
# city - are refused with what would be lost; a correction goes through and
# says what changed; --replace accepts a loss; --part stores cities as parts
# that add up; a byte-identical file is still 'unchanged'.
. "$(dirname "$0")/lib.sh"

H=period,area,scope,use,relation,person_times,amount

# rows PERIOD PP N SEED: 12 rows per area (2 scopes x 3
# uses x 2 relations) for the areas PP0100..PPnn00, figures from SEED.
rows() {
    awk -v per="$1" -v pre="$2" -v n="$3" -v seed="$4" 'BEGIN {
        split("same_area cross_area", sc, " ")
        split("medical pharmacy premium", us, " ")
        split("spouse parent", re, " ")
        k = 0
        for (a = 1; a <= n; a++)
            for (s = 1; s <= 2; s++)
                for (u = 1; u <= 3; u++)
                    for (r = 1; r <= 2; r++) {
                        k++
                        pt = (k * 37 + seed) % 500 + 1
                        fen = (k * 7919 + seed * 13) % 9000000 + 100
                        printf "%s,%s%02d00,%s,%s,%s,%d,%d.%02d\n", per, pre,
                            a, sc[s], us[u], re[r], pt, int(fen / 100),
                            fen % 100
                    }
    }'
}

# ptotal DB PERIOD PROVINCE: "person_times,amount" stored for one province.
ptotal() {
    "$GONGJI" query --db "$1" --period "$2" --where "province=$3" \
        --format csv >"$T/.pt.out" 2>"$T/.pt.err" ||
        fail "query $2 $3 on $1: $(cat "$T/.pt.err")"
    _t=$(sed -n 2p "$T/.pt.out")
    echo "${_t:-0,0.00}"
}

# csum FILE: "person_times,amount" of a file's data rows (exact, in fen).
csum() {
    awk -F, 'NR > 1 {
        pt += $6; split($7, p, "."); fen += p[1] * 100 + p[2]
    } END { printf "%d,%d.%02d\n", pt, int(fen / 100), fen % 100 }' "$1"
}

# has FILE TEXT: FILE contains TEXT (fixed string).
has() {
    grep -qF -- "$2" "$1"
}

note "a September file with one stray row dated 2024年8月: refused"
{ echo $H; rows 2024-08 33 8 1; } >aug.csv
{ echo $H; rows 2024-09 33 8 2; echo "2024年8月,330100,same_area,medical,spouse,3,3.00"; } >sep.csv
run a1 "$GONGJI" ingest --db s.db aug.csv
expect_rc a1 0
aug=$(ptotal s.db 2024-08 330000)
[ "$aug" = "$(csum aug.csv)" ] || fail "August stored $aug, file has $(csum aug.csv)"
snapshot s.db before.snap
run a2c "$GONGJI" check sep.csv
[ "$rc" = 1 ] || bad "check, stray August row: exit $rc, expected 1 (ingest refuses it)"
has a2c.err "sep.csv:98: error: stray row(s): 1 of the file's 97 rows (line 98) are for 330000 浙江 2024-08" ||
    bad "check does not name the stray row: $(head -n 3 "$T/a2c.err")"
run a2 "$GONGJI" ingest --db s.db sep.csv
[ "$rc" = 1 ] || bad "stray August row: exit $rc, expected 1 (stdout: $(cat "$T/a2.out"))"
has a2.err "sep.csv:98: error: stray row(s): 1 of the file's 97 rows (line 98) are for 330000 浙江 2024-08, 96 for 330000 浙江 2024-09" ||
    bad "stray row not named with its line: $(head -n 3 "$T/a2.err")"
has a2.err "330000 浙江 2024-08: storing this file would drop 7 stored area(s)" ||
    bad "the August areas that would be lost are not counted: $(cat "$T/a2.err")"
has a2.err "  lost area 330800 " || bad "lost area 330800 not listed"
grep -q "lost area 330200 .*, from aug.csv$" "$T/a2.err" ||
    bad "a lost area does not name its file"
has a2.err "fix the period or area code of the stray rows" ||
    bad "no way to proceed is given"
snapshot s.db after.snap
cmp -s before.snap after.snap || bad "the refused file changed the store"
[ "$(ptotal s.db 2024-08 330000)" = "$aug" ] ||
    bad "August is now $(ptotal s.db 2024-08 330000), was $aug"
! grep -q '^stored ' "$T/a2.out" || bad "a refused file says 'stored'"

note "the same file with --keep-going: refused alone, exit 1"
{ echo $H; rows 2024-09 11 2 3; } >bj.csv
run a3 "$GONGJI" ingest --db s.db --keep-going sep.csv bj.csv
[ "$rc" = 1 ] || bad "--keep-going with a refused file: exit $rc, expected 1"
grep -q '^stored  *bj.csv: 24 rows' "$T/a3.out" || bad "--keep-going: bj.csv not stored"
[ "$(ptotal s.db 2024-08 330000)" = "$aug" ] || bad "--keep-going stored the stray row"

note "a Zhejiang file with one mistyped area code (32xxxx): refused"
{ echo $H; rows 2024-09 32 8 4; } >js.csv
{ echo $H; rows 2024-09 33 8 5; echo "2024-09,320100,same_area,medical,spouse,9,9.00"; } >zj.csv
run z1 "$GONGJI" ingest --db z.db js.csv
expect_rc z1 0
js=$(ptotal z.db 2024-09 320000)
run z2 "$GONGJI" ingest --db z.db zj.csv
[ "$rc" = 1 ] || bad "mistyped area code: exit $rc, expected 1"
has z2.err "zj.csv:98: error: stray row(s): 1 of the file's 97 rows (line 98) are for 320000 江苏 2024-09" ||
    bad "the Jiangsu row is not named as stray: $(head -n 3 "$T/z2.err")"
has z2.err "320000 江苏 2024-09: storing this file would drop 7 stored area(s)" ||
    bad "Jiangsu's areas that would be lost are not counted"
[ "$(ptotal z.db 2024-09 320000)" = "$js" ] ||
    bad "Jiangsu is now $(ptotal z.db 2024-09 320000), was $js"
[ "$(ptotal z.db 2024-09 330000)" = "0,0.00" ] || bad "Zhejiang was stored"

note "one file per city, each in its own run: the second is refused"
{ echo $H; rows 2024-10 33 1 6; } >hz.csv
{ echo $H; rows 2024-10 33 2 7 | grep '^2024-10,330200,'; } >nb.csv
[ "$(wc -l <nb.csv)" = 13 ] || fail "nb.csv: $(wc -l <nb.csv) lines"
run c1 "$GONGJI" ingest --db c.db hz.csv
expect_rc c1 0
hz=$(ptotal c.db 2024-10 330000)
run c2 "$GONGJI" ingest --db c.db nb.csv
[ "$rc" = 1 ] || bad "second city file: exit $rc, expected 1"
has c2.err "nb.csv: error: 330000 浙江 2024-10: storing this file would drop 1 stored area(s)" ||
    bad "the first city's area is not named: $(head -n 3 "$T/c2.err")"
grep -q "lost area 330100 杭州市: 12 row(s), ${hz%,*} person-times, ${hz#*,} yuan, from hz.csv" "$T/c2.err" ||
    bad "the lost city is not listed exactly: $(grep 'lost area' "$T/c2.err")"
has c2.err "add --part NAME" || bad "--part is not suggested"
has c2.err "add --replace" || bad "--replace is not suggested"
[ "$(ptotal c.db 2024-10 330000)" = "$hz" ] || bad "the first city was replaced"

note "--part: two city files, each ingested alone, add up"
run p1 "$GONGJI" ingest --db p.db --part 杭州 hz.csv
expect_rc p1 0
run p2 "$GONGJI" ingest --db p.db --part 宁波 nb.csv
expect_rc p2 0
grep -q '^stored  *nb.csv: 12 rows, 浙江 2024-10, part 宁波$' "$T/p2.out" ||
    bad "part stored line: $(cat "$T/p2.out")"
want=$(csum hz.csv | awk -F, -v nb="$(csum nb.csv)" '{
    split(nb, b, ","); split($2, x, "."); split(b[2], y, ".")
    fen = x[1] * 100 + x[2] + y[1] * 100 + y[2]
    printf "%d,%d.%02d\n", $1 + b[1], int(fen / 100), fen % 100 }')
[ "$(ptotal p.db 2024-10 330000)" = "$want" ] ||
    bad "two parts: $(ptotal p.db 2024-10 330000), expected the sum $want"

note "a part resubmitted replaces only itself, and says by how much"
awk -F, -v OFS=, 'NR == 2 { $6 += 2; $7 = sprintf("%.2f", $7 + 1.23) } { print }' \
    hz.csv >hz2.csv
run p3 "$GONGJI" ingest --db p.db --part 杭州 hz2.csv
expect_rc p3 0
old_hz=$hz
new_hz=$(csum hz2.csv)
grep -q "^  changed 330000 浙江 2024-10 part 杭州: person-times +2 (${old_hz%,*} -> ${new_hz%,*}), amount +1.23 (${old_hz#*,} -> ${new_hz#*,}); replaces hz.csv$" "$T/p3.out" ||
    bad "the part's change is not reported exactly: $(cat "$T/p3.out")"
want2=$(echo "$want" | awk -F, '{ split($2, x, "."); fen = x[1] * 100 + x[2] + 123
    printf "%d,%d.%02d\n", $1 + 2, int(fen / 100), fen % 100 }')
[ "$(ptotal p.db 2024-10 330000)" = "$want2" ] ||
    bad "after 杭州 again: $(ptotal p.db 2024-10 330000), expected $want2"
run p4 "$GONGJI" ingest --db p.db --part 宁波 hz.csv
[ "$rc" = 1 ] || bad "a part with another part's area: exit $rc, expected 1"
has p4.err "area 330100 is already stored by part '杭州' (from hz2.csv)" ||
    bad "the clash with 杭州 is not named: $(cat "$T/p4.err")"

note "a byte-identical part or file is still unchanged"
run p5 "$GONGJI" ingest --db p.db --part 宁波 nb.csv
expect_rc p5 0
grep -q '^unchanged nb.csv: ' "$T/p5.out" || bad "identical part: $(cat "$T/p5.out")"
run a4 "$GONGJI" ingest --db s.db aug.csv
expect_rc a4 0
grep -q '^unchanged aug.csv: ' "$T/a4.out" || bad "identical file: $(cat "$T/a4.out")"

note "a correction of the whole month: goes through with the exact change"
awk -F, -v OFS=, 'NR == 5 { $6 -= 1; $7 = sprintf("%.2f", $7 - 0.05) }
    NR == 9 { $7 = sprintf("%.2f", $7 + 100) } { print }' aug.csv >aug2.csv
run k1 "$GONGJI" ingest --db s.db aug2.csv
expect_rc k1 0
new=$(csum aug2.csv)
grep -q '^stored  *aug2.csv: 96 rows, 浙江 2024-08 (replaces 1 earlier province-month(s))$' "$T/k1.out" ||
    bad "the stored line changed: $(head -n 1 "$T/k1.out")"
[ "$(sed -n 2p "$T/k1.out")" = "  changed 330000 浙江 2024-08: person-times -1 (${aug%,*} -> ${new%,*}), amount +99.95 (${aug#*,} -> ${new#*,}); replaces aug.csv" ] ||
    bad "the correction's change: '$(sed -n 2p "$T/k1.out")'"
[ "$(wc -l <"$T/k1.out")" = 2 ] || bad "more than one changed line: $(cat "$T/k1.out")"
[ "$(ptotal s.db 2024-08 330000)" = "$new" ] || bad "August not corrected"

note "--replace accepts the loss: the file is the whole province-month"
run r1 "$GONGJI" ingest --db c.db --replace nb.csv
expect_rc r1 0
grep -q "^  changed 330000 浙江 2024-10: .*; replaces hz.csv; drops 1 area(s) and 0 key(s): 12 row(s), ${hz%,*} person-times, ${hz#*,} yuan$" "$T/r1.out" ||
    bad "--replace does not say what it dropped: $(cat "$T/r1.out")"
[ "$(ptotal c.db 2024-10 330000)" = "$(csum nb.csv)" ] ||
    bad "--replace: $(ptotal c.db 2024-10 330000), expected nb.csv's $(csum nb.csv)"
run r2 "$GONGJI" submissions --db c.db --history --format csv
expect_rc r2 0
grep -q '^"\{0,1\}hz.csv"\{0,1\},.*,replaced,' "$T/r2.out" ||
    bad "hz.csv is not kept as history: $(cat "$T/r2.out")"

note "usage: --part needs a name; check takes neither option"
run u1 "$GONGJI" ingest --db u.db --part '' hz.csv
expect_rc u1 2
run u2 "$GONGJI" check --replace hz.csv
expect_rc u2 2
[ ! -e u.db ] || bad "a usage error created the store"
finish
