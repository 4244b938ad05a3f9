#!/bin/sh
# SPDX-License-Identifier: MIT
# Hostile file names: a name a spreadsheet would run as a formula (leading
# = + - @ TAB CR) is written to `submissions --format csv` with a leading '
# (the OWASP rule), and no command ever sends a control character from a
# name or a file's contents to the terminal (ESC, CR, TAB, a newline in a
# name): messages and tables show them as \xHH.
. "$(dirname "$0")/lib.sh"

S="$SAMPLE"
ESC=$(printf '\033')
TAB=$(printf '\t')
CR=$(printf '\r')
NL='
'
# name and the sample file it is a copy of (different province-months)
set -- \
    "=cmd|' /C calc'!A0.csv" 2024-02-15/110000_2024-01.csv \
    "+SUM(1+1).csv" 2024-03-15/110000_2024-02.csv \
    "-2+3.csv" 2024-04-15/110000_2024-03.csv \
    "@SUM(A1).csv" 2024-05-15/110000_2024-04.csv \
    "${TAB}tab.csv" 2024-06-15/110000_2024-05.csv \
    "${CR}cr.csv" 2024-07-15/110000_2024-06.csv \
    "${ESC}[31mred${ESC}[0m.csv" 2024-08-15/110000_2024-07.csv \
    "new${NL}line.csv" 2024-09-15/110000_2024-08.csv \
    "bell$(printf '\007')${ESC}]0;title$(printf '\007').csv" 2024-10-15/110000_2024-09.csv
names=0
while [ $# -ge 2 ]; do
    # "=cmd|' /C calc'!A0.csv" is a file in the directory "=cmd|' "
    mkdir -p "$T/$(dirname -- "$1")" && cp "$S/$2" "$T/$1" || fail "cp $2"
    names=$((names + 1))
    shift 2
done

# controls FILE...: a control character other than the line ends is a failure.
controls() {
    for _f in "$@"; do
        if LC_ALL=C grep -q "[$(printf '\001-\011\013-\037\177')]" "$_f"; then
            bad "raw control characters in ${_f##*/}: $(LC_ALL=C grep "[$(printf '\001-\011\013-\037\177')]" "$_f" | od -c | head -n 3)"
        fi
    done
}

note "check and ingest $names files with hostile names"
run chk sh -c "cd '$T' && find . -name '*.csv' -print0 | sed -z 's|^\./||' | xargs -0 '$GONGJI' check --"
expect_rc chk 0
controls "$T/chk.out" "$T/chk.err"
[ "$(grep -c '^ok ' "$T/chk.out")" = "$names" ] ||
    bad "check: $(grep -c '^ok ' "$T/chk.out") 'ok' lines for $names files (a newline in a name split one)"
grep -qF 'red\x1b[0m.csv' "$T/chk.out" || bad "check: ESC not shown as \\x1b: $(cat "$T/chk.out")"
grep -qF 'new\x0aline.csv' "$T/chk.out" || bad "check: newline not shown as \\x0a"
run ing sh -c "cd '$T' && find . -name '*.csv' -print0 | sed -z 's|^\./||' | xargs -0 '$GONGJI' ingest --db '$T/h.db' --"
expect_rc ing 0
controls "$T/ing.out" "$T/ing.err"
[ "$(grep -c '^stored ' "$T/ing.out")" = "$names" ] ||
    bad "ingest: $(grep -c '^stored ' "$T/ing.out") 'stored' lines for $names files"
grep -qF '\x09tab.csv' "$T/ing.out" || bad "ingest: TAB not shown as \\x09"
grep -qF '\x0dcr.csv' "$T/ing.out" || bad "ingest: CR not shown as \\x0d"

note "submissions: a table without controls, csv with formulas neutralised"
run subs "$GONGJI" submissions --db "$T/h.db"
expect_rc subs 0
controls "$T/subs.out" "$T/subs.err"
grep -qF '\x1b[31mred' "$T/subs.out" || bad "submissions table: ESC not shown as \\x1b"
run subcsv "$GONGJI" submissions --db "$T/h.db" --format csv
expect_rc subcsv 0
check_submissions_header "$T/subcsv.out"
# a field that starts a line (the file) must not start like a formula
for lead in '=' '+' '-' '@' "$TAB" "$CR"; do
    grep -q "^\"$lead" "$T/subcsv.out" &&
        bad "submissions csv: a file field starts with '$lead': $(grep "^\"$lead" "$T/subcsv.out" | head -n 1)"
    grep -q "^\"'$lead" "$T/subcsv.out" ||
        bad "submissions csv: no neutralised field starting with '$lead"
done
grep -qF "\"'=cmd|' /C calc'!A0.csv\"," "$T/subcsv.out" ||
    bad "submissions csv: the = name is not quoted with a leading ': $(head -n 3 "$T/subcsv.out")"
# the csv keeps the names exactly (it is data): ESC and the newline stay
# inside their quoted fields, and the rows still count right
rows=$(awk -v RS='\n' 'BEGIN { q = 0 } { n = gsub(/"/, "\""); if (q == 0) r++; if (n % 2) q = !q } END { print r - 1 }' "$T/subcsv.out")
[ "$rows" = "$names" ] || bad "submissions csv: $rows records for $names files"

note "a bad row in a file with a hostile name; hostile text in a field"
printf 'period,area,scope,use,person_times,amount\n2024-09,330100,same_area,\033[2J\033[31mmedical,1,1.00\n' \
    >"$T/${ESC}[2Jbad.csv"
run bad sh -c "cd '$T' && '$GONGJI' check '${ESC}[2Jbad.csv'"
expect_rc bad 1
controls "$T/bad.out" "$T/bad.err"
grep -qF '\x1b[2Jbad.csv:2:4: error: use' "$T/bad.err" ||
    bad "bad row: $(od -c "$T/bad.err" | head -n 5)"
run badagg sh -c "cd '$T' && '$GONGJI' aggregate '${ESC}[2Jbad.csv'"
expect_rc badagg 1
controls "$T/badagg.out" "$T/badagg.err"
run missing "$GONGJI" check "$T/no${ESC}[31mfile.csv"
controls "$T/missing.out" "$T/missing.err"
grep -qF 'no\x1b[31mfile.csv' "$T/missing.err" || bad "missing file: $(cat "$T/missing.err")"

note "usage errors quote the arguments without controls"
run u1 "$GONGJI" "x${ESC}[2J"
expect_rc u1 2
controls "$T/u1.out" "$T/u1.err"
run u2 "$GONGJI" query --db "$T/h.db" --period 2024-09 --where "area=${ESC}[2J"
expect_rc u2 2
controls "$T/u2.out" "$T/u2.err"
run u3 "$GONGJI" query --db "$T/h.db" --period "2024-09${ESC}[2J"
expect_rc u3 2
controls "$T/u3.out" "$T/u3.err"
run u4 "$GONGJI" query --db "$T/h.db" --period 2024-09 --format "x${ESC}[2J"
expect_rc u4 2
controls "$T/u4.out" "$T/u4.err"
finish
