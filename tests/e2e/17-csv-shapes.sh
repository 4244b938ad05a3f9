#!/bin/sh
# SPDX-License-Identifier: MIT
# CSV/TSV shapes that Excel, WPS and other systems produce (issue 9, §2),
# each made from a normal sample file (LF line ends) and each giving exactly
# the stored totals (query --format csv) of that file; the same shape with
# one bad value on a known line gives the message at that line and column:
#  1. tab- and semicolon-separated files (the separator is told by the
#     header line);
#  2. UTF-16LE and UTF-16BE with a byte order mark (Excel's "Unicode 文本":
#     tab separated); the stored SHA-256 is that of the file's own bytes;
#  3. CR-only line ends (old Mac Excel); NUL padding after the last line;
#  4. empty columns at the end of the header and of the rows, empty rows
#     (",,,,,,,") at the end;
#  5. the header repeated mid-file (two files concatenated): skipped with a
#     warning naming its line;
#  6. a two-row header (merged cells): 共济情况 spanning 共济人次 and
#     共济金额（元）; 共济人次 / 共济金额 spanning 人次 / 元 and 累计 columns
#     (ignored); 本月 / 累计 sub-headers are refused naming the columns.
# And what stays an error: an empty header field between named columns, a
# value under an empty header field, a NUL byte that is not padding, a UTF-16
# file cut in the middle of a character or given as --encoding utf-8.
. "$(dirname "$0")/lib.sh"

command -v iconv >/dev/null 2>&1 || skip "no iconv"
TAB=$(printf '\t')
S1=$SAMPLE/2024-10-15/110000_2024-09.csv
S2=$SAMPLE/2024-10-15/120000_2024-09.csv
[ -s "$S1" ] && [ -s "$S2" ] || fail "no sample files"
# LF line ends, no BOM
BOM=$(printf '\357\273\277')
tr -d '\r' <"$S1" | sed "1s/^$BOM//" >"$T/a.csv"
tr -d '\r' <"$S2" | sed "1s/^$BOM//" >"$T/b.csv"
# a bad amount on line 5 (column 8, H)
sed '5s/,[^,]*$/,12x.00/' "$T/a.csv" >"$T/a-bad.csv"

run base "$GONGJI" ingest --db "$T/base.db" "$T/a.csv"
expect_rc base 0
WANT=$(total "$T/base.db")
run base2 "$GONGJI" ingest --db "$T/base.db" "$T/b.csv"
expect_rc base2 0
WANT2=$(total "$T/base.db")
note "normal file: $WANT; with Tianjin: $WANT2"

# shape NAME: write $T/NAME.csv from $T/a.csv and $T/NAME-bad.csv from
# $T/a-bad.csv; $BADLINE:$BADCOL is then where the bad value is in
# NAME-bad.csv
shape() {
    BADLINE=5 BADCOL=8
    for _v in "" -bad; do
        _in=$T/a$_v.csv _out=$T/$1$_v.csv
        case $1 in
        tab) tr ',' '\t' <"$_in" >"$_out" ;;
        semicolon) tr ',' ';' <"$_in" >"$_out" ;;
        utf16le)
            {
                printf '\377\376'
                tr ',' '\t' <"$_in" | sed 's/$/\r/' | iconv -f UTF-8 -t UTF-16LE
            } >"$_out"
            ;;
        utf16be)
            {
                printf '\376\377'
                tr ',' '\t' <"$_in" | iconv -f UTF-8 -t UTF-16BE
            } >"$_out"
            ;;
        cr) tr '\n' '\r' <"$_in" >"$_out" ;;
        nulpad)
            {
                cat "$_in"
                head -c 700 /dev/zero
            } >"$_out"
            ;;
        crlf-nulpad)
            {
                sed 's/$/\r/' "$_in"
                head -c 70000 /dev/zero
            } >"$_out"
            ;;
        trailing)
            {
                sed '1s/$/,,,/; 2,$s/$/,,/' "$_in"
                printf ',,,,,,,,,,\n,,,,,,,,\n\n'
            } >"$_out"
            ;;
        concat)
            cat "$T/b.csv" "$_in" >"$_out"
            BADLINE=$(($(wc -l <"$T/b.csv") + 5))
            ;;
        concat-bom)
            {
                printf '\357\273\277'
                cat "$T/b.csv"
                printf '\357\273\277'
                sed 's/$/\r/' "$_in"
            } >"$_out"
            BADLINE=$(($(wc -l <"$T/b.csv") + 5))
            ;;
        merged)
            {
                echo '统计期,统筹区编码,统筹区名称,共济范围,共济用途,共济关系,共济情况,'
                echo ',,,,,,共济人次,共济金额（元）'
                tail -n +2 "$_in"
            } >"$_out"
            BADLINE=6
            ;;
        merged-units)
            {
                echo 'period,area,area_name,scope,use,relation,共济人次,,共济金额,'
                echo ',,,,,,人次,累计,元,累计'
                tail -n +2 "$_in" |
                    sed 's/,\([^,]*\),\([^,]*\)$/,\1,7,\2,9.99/'
            } >"$_out"
            BADLINE=6 BADCOL=9
            ;;
        *) fail "no shape $1" ;;
        esac
    done
}

for s in tab semicolon utf16le utf16be cr nulpad crlf-nulpad trailing \
    concat concat-bom merged merged-units; do
    shape "$s"
    want=$WANT
    case $s in concat*) want=$WANT2 ;; esac
    run "$s" "$GONGJI" ingest --db "$T/$s.db" "$T/$s.csv"
    if [ "$rc" != 0 ]; then
        bad "$s: ingest exit $rc: $(grep -m 1 error "$T/$s.err")"
        continue
    fi
    got=$(total "$T/$s.db")
    [ "$got" = "$want" ] || bad "$s: stored $got, expected $want"
    case $s in
    merged*)
        grep -qF "$s.csv:2: warning: lines 1 and 2 are read as one two-row header" \
            "$T/$s.err" || bad "$s: no two-row header warning: $(cat "$T/$s.err")"
        ;;
    concat*)
        hl=$(($(wc -l <"$T/b.csv") + 1))
        grep -qF "$s.csv:$hl: warning: line $hl repeats the header (line 1): skipped" \
            "$T/$s.err" || bad "$s: no warning for line $hl: $(cat "$T/$s.err")"
        ;;
    esac
    run "$s-bad" "$GONGJI" check "$T/$s-bad.csv"
    expect_rc "$s-bad" 1
    grep -qF "$s-bad.csv:$BADLINE:$BADCOL: error: amount '12x.00' is not a decimal number" \
        "$T/$s-bad.err" ||
        bad "$s: bad value not at line $BADLINE col $BADCOL: $(grep -m 1 error "$T/$s-bad.err")"
done

note "the SHA-256 is that of the UTF-16 bytes; the encoding is named"
"$GONGJI" submissions --db "$T/utf16le.db" --format csv >"$T/subs.out" ||
    fail "submissions"
sum=$(sha256sum "$T/utf16le.csv" | cut -d' ' -f1)
grep -qF ",$sum," "$T/subs.out" || bad "sha256 $sum not stored: $(cat "$T/subs.out")"
run enc "$GONGJI" ingest --db "$T/enc.db" "$T/utf16le.csv"
grep -qF 'UTF-16LE' "$T/enc.out" "$T/enc.err" ||
    note "(ingest does not name the encoding on its output)"

note "CR-only line ends: an encoding error at its line"
{
    tr '\n' '\r' <"$T/a.csv" | head -c 200
    printf '\377'
    tr '\n' '\r' <"$T/a.csv" | tail -c +201
} >"$T/cr-enc.csv"
line=$(($(tr '\n' '\r' <"$T/a.csv" | head -c 200 | tr '\r' '\n' | wc -l) + 1))
run cr-enc "$GONGJI" check "$T/cr-enc.csv"
expect_rc cr-enc 1
grep -qF "cr-enc.csv:$line: error: cannot decode byte 0xFF at offset 200" \
    "$T/cr-enc.err" || bad "CR encoding error not at line $line: $(cat "$T/cr-enc.err")"

note "what stays an error"
sed '1s/area_name/ /' "$T/a.csv" >"$T/hole.csv"
run hole "$GONGJI" check "$T/hole.csv"
expect_rc hole 1
grep -qF 'hole.csv:1:3: error: header field 3 is empty' "$T/hole.err" ||
    bad "empty header field: $(cat "$T/hole.err")"

sed '1s/$/,,/; 2,$s/$/,,/; 7s/,,$/,x,/' "$T/a.csv" >"$T/under.csv"
run under "$GONGJI" check "$T/under.csv"
expect_rc under 1
grep -qF 'under.csv:7:9: error: row has 9 fields but the header has 8' \
    "$T/under.err" || bad "value under an empty header: $(cat "$T/under.err")"

{
    cat "$T/a.csv"
    head -c 10 /dev/zero
    printf 'x\n'
} >"$T/nulmid.csv"
run nulmid "$GONGJI" check "$T/nulmid.csv"
expect_rc nulmid 1
grep -qF 'nulmid.csv:50: error: a NUL byte at offset' "$T/nulmid.err" ||
    bad "NUL then text: $(cat "$T/nulmid.err")"
{
    printf 'x\000'
    cat "$T/a.csv"
} >"$T/nul0.csv"
run nul0 "$GONGJI" check "$T/nul0.csv"
expect_rc nul0 1

head -c 1001 "$T/utf16le.csv" >"$T/u16cut.csv"
run u16cut "$GONGJI" check "$T/u16cut.csv"
expect_rc u16cut 1
grep -qF 'odd number of bytes (1001)' "$T/u16cut.err" ||
    bad "UTF-16 cut short: $(cat "$T/u16cut.err")"
{
    printf '\377\376'
    sed -n 1,3p "$T/a.csv" | tr ',' '\t' | iconv -f UTF-8 -t UTF-16LE
    printf '\000\330'
    sed -n 4p "$T/a.csv" | tr ',' '\t' | iconv -f UTF-8 -t UTF-16LE
} >"$T/u16sur.csv"
run u16sur "$GONGJI" check "$T/u16sur.csv"
expect_rc u16sur 1
grep -qF 'u16sur.csv:4: error: cannot decode bytes 0x00 0xD8' "$T/u16sur.err" ||
    bad "UTF-16 lone surrogate: $(cat "$T/u16sur.err")"
run u16forced "$GONGJI" check --encoding utf-8 "$T/utf16le.csv"
expect_rc u16forced 1
grep -qF 'file is UTF-16LE (byte order mark) but the encoding was given as UTF-8' \
    "$T/u16forced.err" || bad "UTF-16 given as UTF-8: $(cat "$T/u16forced.err")"

# 本月 / 累计 under 共济人次: no column is taken for person_times
printf 'period,area,scope,use,共济人次,,amount\n,,,,本月,累计,\n2024-09,110100,same_area,medical,1,1,1.00\n' \
    >"$T/monthcum.csv"
run monthcum "$GONGJI" check "$T/monthcum.csv"
expect_rc monthcum 1
grep -qF "monthcum.csv:1:5: warning: column '共济人次本月' is not one gongji uses" \
    "$T/monthcum.err" && grep -qF 'required column person_times' "$T/monthcum.err" ||
    bad "本月/累计 sub-headers: $(cat "$T/monthcum.err")"
# a data row under a header with a hole is no sub-header: the hole is the error
printf 'period,area,,scope,use,person_times,amount\n2024-09,110100,x,same_area,medical,1,1.00\n' \
    >"$T/hole2.csv"
run hole2 "$GONGJI" check "$T/hole2.csv"
expect_rc hole2 1
grep -qF 'hole2.csv:1:3: error: header field 3 is empty' "$T/hole2.err" ||
    bad "hole then data: $(cat "$T/hole2.err")"

# a file with both separators in its header: the one naming more columns wins
printf 'period;area;scope;use;person_times;amount\n2024-09;110100;same_area;medical;1;1,50\n' \
    >"$T/semi-comma.csv"
run semi-comma "$GONGJI" check "$T/semi-comma.csv"
expect_rc semi-comma 1
grep -qF "amount '1,50'" "$T/semi-comma.err" ||
    bad "';' file with a decimal comma: $(cat "$T/semi-comma.err")"

finish
