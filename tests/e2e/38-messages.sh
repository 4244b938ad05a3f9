#!/bin/sh
# SPDX-License-Identifier: MIT
# Messages a statistician can act on (issue 9, section 3):
#  - errors are never hidden by warnings: a file with 200 unknown-area
#    warnings and one bad value prints the error, with or without --quiet
#    or --strict;
#  - a problem repeated on many rows prints once, at its first line, with
#    its count and line ranges; of one kind of message the first values are
#    their own lines and the other rows one more line;
#  - the FILE:LINE:COL prefix is unchanged; the Excel column letter and the
#    file's own header text follow the message, in brackets;
#  - hints: an Excel date serial, scientific notation, full-width and
#    invisible characters, a Windows-1252 file;
#  - the last line names every rejected file;
#  - the detail reader's problems go through the same grouping, in file
#    order, whatever the number of threads.
. "$(dirname "$0")/lib.sh"

HDR=统计期,统筹区编码,共济范围,共济用途,共济关系,共济人次,共济金额

# 200 rows with unknown areas (330191 on 128 rows in three runs, 330192 on
# 60, and 12 codes once each), all keys distinct, then one bad amount.
awk -v hdr="$HDR" 'BEGIN {
    split("same_area cross_area cross_province", sc, " ")
    split("medical pharmacy premium", us, " ")
    split("spouse parent", rl, " ")
    print hdr
    for (i = 0; i < 200; i++) {
        a = 330191
        if (i >= 40 && i < 100) a = 330192
        if (i >= 120 && i < 132) a = 330160 + i - 120
        printf "2024-%02d,%d,%s,%s,%s,1,10.00\n", i % 12 + 1, a,
            sc[int(i / 12) % 3 + 1], us[int(i / 36) % 3 + 1],
            rl[int(i / 108) + 1]
    }
    print "2024-01,330100,same_area,medical,spouse,1,\"12,5O\""
}' >w.csv

U="is not in the pooling-area table (data/areas.csv); stored anyway"
C="[column B '统筹区编码'"
{
    echo "w.csv:2:2: warning: area '330191' $U $C; 128 rows: lines 2-41,102-121,134-201]"
    echo "w.csv:42:2: warning: area '330192' $U $C; 60 rows: lines 42-101]"
    for k in 0 1 2 3 4 5 6 7; do
        echo "w.csv:$((122 + k)):2: warning: area '33016$k' $U $C]"
    done
    echo "w.csv:130:2: warning: area '...' $U $C; 4 more rows with other values: lines 130-133]"
    echo "w.csv:202:7: error: amount '12,5O' is not a decimal number [column G '共济金额']"
    echo "gongji ingest: 1 of 1 file(s) rejected: w.csv; nothing stored"
} >want.err

note "200 warnings and one error: the error is printed, the rest grouped"
for q in "" --quiet; do
    run w "$GONGJI" ingest --db w.db $q w.csv
    expect_rc w 1
    grep -qF "w.csv:202:7: error: amount '12,5O'" w.err ||
        bad "ingest $q: the error is not printed: $(tail -n 2 w.err)"
    cmp -s want.err w.err || {
        diff want.err w.err >&2
        bad "ingest $q: the grouped messages differ"
    }
done
run ws "$GONGJI" check --strict w.csv
expect_rc ws 1
grep -qF "w.csv:202:7: error: amount '12,5O'" ws.err ||
    bad "check --strict: the error is not printed: $(tail -n 2 ws.err)"
grep -qF "w.csv:2:2: error: area '330191' is not in the pooling-area table (data/areas.csv) $C; 128 rows: lines 2-41,102-121,134-201]" ws.err ||
    bad "check --strict: no grouped error for 330191: $(head -n 1 ws.err)"
[ "$(tail -n 1 ws.err)" = "gongji check: 1 of 1 file(s) rejected: w.csv" ] ||
    bad "check --strict: last line '$(tail -n 1 ws.err)'"

note "the last line names every rejected file"
printf '%s\n2024-01,330100,same_area,medical,spouse,1,1.00\n' "$HDR" >ok.csv
printf '%s\n2024-02,330100,same_area,medical,spouse,x,1.00\n' "$HDR" >bad1.csv
printf '%s\n2024-03,330100,same_area,medical,spouse,1,-1\n' "$HDR" >bad2.csv
run r "$GONGJI" ingest --db r.db bad1.csv ok.csv bad2.csv
expect_rc r 1
[ "$(tail -n 1 r.err)" = "gongji ingest: 2 of 3 file(s) rejected: bad1.csv, bad2.csv; nothing stored" ] ||
    bad "ingest: last line '$(tail -n 1 r.err)'"
run rk "$GONGJI" ingest --db rk.db --keep-going bad1.csv ok.csv bad2.csv
expect_rc rk 1
[ "$(tail -n 1 rk.err)" = "gongji ingest: 2 of 3 file(s) rejected: bad1.csv, bad2.csv; the others stored" ] ||
    bad "ingest --keep-going: last line '$(tail -n 1 rk.err)'"
run chk "$GONGJI" check bad1.csv ok.csv bad2.csv
expect_rc chk 1
[ "$(tail -n 1 chk.err)" = "gongji check: 2 of 3 file(s) rejected: bad1.csv, bad2.csv" ] ||
    bad "check: last line '$(tail -n 1 chk.err)'"
run ra "$GONGJI" aggregate ok.csv bad2.csv
expect_rc ra 1
[ "$(tail -n 1 ra.err)" = "gongji aggregate: 1 of 2 input(s) rejected: bad2.csv; nothing written" ] ||
    bad "aggregate: last line '$(tail -n 1 ra.err)'"
# many rejected files: the first 20 named, then a count
i=0
set --
while [ $i -lt 25 ]; do
    cp bad1.csv "m$i.csv"
    set -- "$@" "m$i.csv"
    i=$((i + 1))
done
run rm "$GONGJI" check "$@"
expect_rc rm 1
last=$(tail -n 1 rm.err)
case "$last" in
"gongji check: 25 of 25 file(s) rejected: m0.csv, m1.csv, "*", m19.csv and 5 more") ;;
*) bad "25 rejected files: last line '$last'" ;;
esac

note "column letters and the file's own header text; the hints"
# each line's own bad value
cat >h.csv <<EOF
$HDR
45536,330100,same_area,medical,spouse,1,1.00
2024-09,330100,same_area,medical,spouse,1,3.30102E+17
２０２４１３,330100,same_area,medical,spouse,1,1.00
2024-09,330100,same_area,medical,spo$(printf '\342\200\213')use,1,1.00
EOF
run h "$GONGJI" check h.csv
expect_rc h 1
expect_line() {
    grep -qF -- "$1" h.err || bad "no line '$1' in: $(cat h.err)"
}
expect_line "h.csv:2:1: error: period '45536' "
expect_line "; an Excel date serial? '45536' is 2024-09-01 [column A '统计期']"
expect_line "h.csv:3:7: error: amount '3.30102E+17' "
expect_line "; Excel shows long numbers in scientific notation: format the column as text before saving [column G '共济金额']"
expect_line "h.csv:4:1: error: "
expect_line "; it is written in full-width digits ('202413' typed half-width) [column A '统计期']"
expect_line "h.csv:5:5: error: relation "
expect_line "; it holds the invisible character U+200B (zero-width space) [column E '共济关系']"

note "a Windows-1252 file is named as such"
printf 'period,area,area_name,scope,use,relation,person_times,amount\n2024-01,330100,Caf\351 \223x\224,same_area,medical,spouse,1,1.00\n' >cp.csv
run cp "$GONGJI" check cp.csv
expect_rc cp 1
grep -qF "the bytes look like Windows-1252 (Western European): save the file as \"CSV UTF-8\"" cp.err ||
    bad "Windows-1252 not named: $(cat cp.err)"

note "detail files: the same grouping, in file order, whatever the threads"
DH=settlement_id,settle_time,payer_area,beneficiary_area,use,relation,amount,payer_id,beneficiary_id
awk -v hdr="$DH" 'BEGIN {
    print hdr
    for (i = 1; i <= 60000; i++) {
        amt = (i % 5000 == 0) ? "1O.00" : "10.00"
        if (i == 30001) amt = "x"
        printf "S%07d,2024-09-03 10:21:00,330100,330100,medical,spouse,%s,P%06d,B%06d\n", i, amt, i, i
    }
}' >d.csv
for j in 1 3; do
    run d$j "$GONGJI" aggregate --threads $j d.csv
    expect_rc d$j 1
done
cmp -s d1.err d3.err || bad "detail problems differ with 3 threads: $(diff d1.err d3.err | head -n 4)"
# at most 10 ranges are listed
L=""
for k in 1 2 3 4 5 6 7 8 9 10; do
    L="$L${L:+,}$((k * 5000 + 1))"
done
cat >dwant.err <<EOF
d.csv:5001:7: error: amount '1O.00' is not a decimal number [column G 'amount'; 12 rows: lines $L,...]
d.csv:30002:7: error: amount 'x' is not a decimal number [column G 'amount']
gongji aggregate: 1 of 1 input(s) rejected: d.csv; nothing written
EOF
cmp -s dwant.err d1.err || {
    diff dwant.err d1.err >&2
    bad "detail: grouped messages differ"
}

note "detail files: more than 100 bad rows print the same whatever the threads"
awk -v hdr="$DH" 'BEGIN {
    print hdr
    for (i = 1; i <= 60000; i++) {
        amt = (i % 50 == 0) ? "1O.00" : "10.00"
        printf "S%07d,2024-09-03 10:21:00,330100,330100,medical,spouse,%s,P%06d,B%06d\n", i, amt, i, i
    }
}' >dd.csv
for j in 1 3; do
    run dd$j "$GONGJI" aggregate --threads $j dd.csv
    expect_rc dd$j 1
done
cmp -s dd1.err dd3.err || bad "1200 bad detail rows: output differs with 3 threads: $(diff dd1.err dd3.err | head -n 4)"
grep -qF "dd.csv:51:7: error: amount '1O.00' is not a decimal number [column G 'amount'; 100 rows: lines 51,101," dd1.err ||
    bad "1200 bad detail rows: $(head -n 1 dd1.err)"
grep -qxF "... and 1100 more problem(s) not shown" dd1.err ||
    bad "1200 bad detail rows: no count of the rest: $(cat dd1.err)"

note "detail files: hints too"
printf '%s\n%s\n' "$DH" "S1,45538.43125,330100,330100,medical,spouse,1.00,P1,B1" >dh.csv
run dh "$GONGJI" aggregate dh.csv
expect_rc dh 1
grep -qF "dh.csv:2:2: error: settle_time '45538.43125' is not a date and time YYYY-MM-DD HH:MM:SS; an Excel date serial? '45538.43125' is 2024-09-03 10:21 [column B 'settle_time']" dh.err ||
    bad "detail: no date serial hint: $(cat dh.err)"

finish
