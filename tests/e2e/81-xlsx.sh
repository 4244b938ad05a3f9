#!/bin/sh
# SPDX-License-Identifier: MIT
# Excel workbooks (.xlsx) read directly (issue 9, §2), made part by part so
# that each thing a writer may put in a workbook is there on purpose, and
# each gives exactly the stored total of the same rows typed as CSV:
#  1. shared strings with rich-text runs and a phonetic run (<rPh>, dropped),
#     _x000D_ and _x005F_ escapes; numbers as Excel writes them (17
#     significant digits: 93672164.060000002 is 93672164.06); the period as
#     a date (built-in format 14, and a custom 'yyyy"年"m"月"'); a header
#     cell with a line break (Alt+Enter); a merged title row above the
#     header (<mergeCell> after <sheetData>); a formula with its cached
#     value; rows and cells without r= attributes; a missing row (blank);
#  2. inline strings only, prefixed elements (<x:row>), an absolute
#     relationship target (/xl/worksheets/...), the 1904 date system, no
#     styles.xml and no sharedStrings.xml (openpyxl's shape);
#  3. the data on the second sheet: without --sheet the first (a cover) is
#     read, with a warning naming the sheets, and refused; --sheet 数据
#     reads it; --sheet NAME of no sheet lists the sheets;
#  4. what is refused, at FILE:ROW:COL naming the cell (G12): an error value
#     (#DIV/0!) in the amount; a number that is no whole fen (0.285 yuan);
#     a formula saved without its value; a date where the area code goes;
#     an ID that Excel turned into a number (3.30102199001011E+17) in a
#     detail sheet;
#  5. a detail (per-settlement) sheet aggregates as its CSV does;
#  6. the same workbook from standard input; the stored SHA-256 is that of
#     the workbook's own bytes.
. "$(dirname "$0")/lib.sh"

Z="$GONGJI_BUILD/tests/gen_zip"
[ -x "$Z" ] || fail "no $Z (make tools)"
command -v sha256sum >/dev/null 2>&1 || skip "no sha256sum"

# the rows of every summary case, as CSV, and their total
cat >"$T/want.csv" <<'CSV'
period,area,area_name,scope,use,relation,person_times,amount
2024-09,110100,北京市,same_area,medical,spouse,633178,103668798.17
2024-09,110100,北京市,same_area,medical,parent,497497,93672164.06
2024-09,110100,北京市,same_area,pharmacy,spouse,64012,4609386.23
CSV
run want "$GONGJI" ingest --db "$T/want.db" "$T/want.csv"
expect_rc want 0
WANT=$(total "$T/want.db")
[ "$WANT" = "1194687,201950348.46" ] || fail "CSV total $WANT"

RELS_NS=http://schemas.openxmlformats.org/officeDocument/2006/relationships
MAIN_NS=http://schemas.openxmlformats.org/spreadsheetml/2006/main
PKG_NS=http://schemas.openxmlformats.org/package/2006/relationships

# parts DIR: the parts every case shares, into DIR
parts() {
    mkdir -p "$1"
    cat >"$1/ct.xml" <<XML
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>
XML
    cat >"$1/rels.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="$PKG_NS"><Relationship Id="rId1" Type="$RELS_NS/officeDocument" Target="xl/workbook.xml"/></Relationships>
XML
    cat >"$1/styles.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="$MAIN_NS"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/><numFmt numFmtId="165" formatCode="0.00_);[Red]\(0.00\)"/></numFmts>
<cellStyleXfs count="2"><xf numFmtId="14"/><xf numFmtId="14"/></cellStyleXfs>
<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs></styleSheet>
XML
}

# book OUT SHEET [SST]: a one-sheet workbook (sheet '表1') from the parts
book() {
    _d=$T/p
    parts "$_d"
    cat >"$_d/wb.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="$MAIN_NS" xmlns:r="$RELS_NS"><sheets><sheet name="表1" sheetId="1" r:id="rId1"/></sheets></workbook>
XML
    cat >"$_d/wbrels.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="$PKG_NS"><Relationship Id="rId1" Type="$RELS_NS/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="$RELS_NS/styles" Target="styles.xml"/></Relationships>
XML
    set -- "$1" "$2" "${3:-}"
    _sst=
    [ -n "$3" ] && _sst="xl/sharedStrings.xml=$3"
    # shellcheck disable=SC2086
    "$Z" "$1" "[Content_Types].xml=$_d/ct.xml" "_rels/.rels=$_d/rels.xml" \
        "xl/workbook.xml=$_d/wb.xml" "xl/_rels/workbook.xml.rels=$_d/wbrels.xml" \
        "xl/styles.xml=$_d/styles.xml" "xl/worksheets/sheet1.xml=$2" $_sst ||
        fail "gen_zip $1"
}

# same NAME FILE [ARGS...]: FILE must store exactly $WANT
same() {
    _n=$1 _f=$2
    shift 2
    run "$_n" "$GONGJI" ingest --db "$T/$_n.db" "$@" "$_f"
    expect_rc "$_n" 0
    _got=$(total "$T/$_n.db")
    [ "$_got" = "$WANT" ] || bad "$_n: stored $_got, want $WANT"
    note "$_n: $_got"
}

# refused NAME FILE WANT [ARGS...]: exit 1, stderr holds WANT, nothing stored
refused() {
    _n=$1 _f=$2 _w=$3
    shift 3
    run "$_n" "$GONGJI" ingest --db "$T/$_n.db" "$@" "$_f"
    [ "$rc" = 1 ] || bad "$_n: exit $rc, want 1: $(head -n 3 "$T/$_n.err")"
    grep -qF -- "$_w" "$T/$_n.err" ||
        bad "$_n: no '$_w' in: $(head -n 5 "$T/$_n.err")"
    if [ -f "$T/$_n.db" ]; then
        _got=$(total "$T/$_n.db")
        [ "$_got" = "0,0.00" ] || bad "$_n: stored $_got"
    fi
}

# ---- 1. shared strings, rich text, dates, merged title, formula ----------
cat >"$T/sst1.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="$MAIN_NS" count="12" uniqueCount="12">
<si><t>2024年9月北京市共济情况</t></si>
<si><t>统计期</t></si>
<si><r><rPr><b/></rPr><t>统筹区</t></r><r><t>编码</t></r></si>
<si><t>统筹区名称</t></si>
<si><t>共济范围</t></si>
<si><t>共济用途</t></si>
<si><t>共济关系</t></si>
<si><t xml:space="preserve">共济人次
(人次)</t></si>
<si><r><t>共济金额</t></r><r><t>(元)</t></r></si>
<si><t>110100</t></si>
<si><r><t>北京</t></r><r><t>市</t></r><rPh sb="0" eb="2"><t>ペキン</t></rPh></si>
<si><t>same_area</t></si>
<si><t>medical</t></si>
<si><t>spouse</t></si>
<si><t>parent</t></si>
<si><t>pharmacy</t></si>
</sst>
XML
cat >"$T/sheet1.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="$MAIN_NS"><dimension ref="A1:H6"/><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="0"/><c r="C1" s="0"/></row>
<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" t="s"><v>2</v></c><c r="C3" t="s"><v>3</v></c><c r="D3" t="s"><v>4</v></c><c r="E3" t="s"><v>5</v></c><c r="F3" t="s"><v>6</v></c><c r="G3" t="s"><v>7</v></c><c r="H3" t="s"><v>8</v></c></row>
<row r="4"><c r="A4" s="1"><v>45536</v></c><c r="B4" t="s"><v>9</v></c><c r="C4" t="s"><v>10</v></c><c r="D4" t="s"><v>11</v></c><c r="E4" t="s"><v>12</v></c><c r="F4" t="s"><v>13</v></c><c r="G4"><v>633178</v></c><c r="H4" s="3"><v>103668798.17</v></c></row>
<row><c s="2"><v>45545.5</v></c><c t="s"><v>9</v></c><c t="s"><v>10</v></c><c t="s"><v>11</v></c><c t="s"><v>12</v></c><c t="s"><v>14</v></c><c><f>400000+97497</f><v>497497</v></c><c><v>93672164.060000002</v></c></row>
<row r="6"><c r="A6" s="1"><v>45536</v></c><c r="B6" t="s"><v>9</v></c><c r="C6" t="s"><v>10</v></c><c r="D6" t="s"><v>11</v></c><c r="E6" t="s"><v>15</v></c><c r="F6" t="s"><v>13</v></c><c r="G6" t="n"><v>64012</v></c><c r="H6"><v>4609386.2300000004</v></c></row>
</sheetData><mergeCells count="1"><mergeCell ref="A1:H1"/></mergeCells></worksheet>
XML
book "$T/shared.xlsx" "$T/sheet1.xml" "$T/sst1.xml"
same shared "$T/shared.xlsx"
grep -q "shared.xlsx:3: warning: the header is line 3" "$T/shared.err" ||
    bad "shared: no note of the header line: $(head -n 3 "$T/shared.err")"
run shared-check "$GONGJI" check "$T/shared.xlsx"
expect_rc shared-check 0
grep -qF "3 rows, 北京 2024-09, Excel sheet '表1'" "$T/shared-check.out" ||
    bad "check: $(cat "$T/shared-check.out")"

# ---- 2. openpyxl's shape: inline strings, prefixes, absolute target, 1904 -
is() { printf '<x:c t="inlineStr"><x:is><x:t>%s</x:t></x:is></x:c>' "$1"; }
num() { printf '<x:c><x:v>%s</x:v></x:c>' "$1"; }
{
    printf '<?xml version="1.0"?>\n<x:worksheet xmlns:x="%s"><x:sheetData>' "$MAIN_NS"
    printf '<x:row>'
    for h in period area area_name scope use relation person_times amount; do is "$h"; done
    printf '</x:row>\n'
    printf '<x:row>%s%s%s%s%s%s%s%s</x:row>\n' "$(is 2024-09)" "$(is 110100)" \
        "$(is '北京&#24066;')" "$(is same_area)" "$(is medical)" "$(is spouse)" \
        "$(num 633178)" "$(num 103668798.17)"
    printf '<x:row>%s%s%s%s%s%s%s%s</x:row>\n' "$(is 2024-09)" "$(is 110100)" \
        "$(is '北京市')" "$(is same_area)" "$(is medical)" "$(is parent)" \
        "$(num 497497.0)" "$(num 9.3672164060000002E7)"
    printf '<x:row>%s%s%s%s%s%s%s%s</x:row>\n' "$(is 2024-09)" "$(is 110100)" \
        "$(is '北京市')" "$(is same_area)" "$(is pharmacy)" "$(is spouse)" \
        "$(num 64012)" "$(num 4609386.23)"
    printf '</x:sheetData></x:worksheet>\n'
} >"$T/inline.xml"
mkdir -p "$T/q"
parts "$T/q"
cat >"$T/q/wb.xml" <<XML
<?xml version="1.0"?>
<x:workbook xmlns:x="$MAIN_NS" xmlns:r="$RELS_NS"><x:workbookPr date1904="1"/><x:sheets><x:sheet name="Sheet" sheetId="1" r:id="rId7"/></x:sheets></x:workbook>
XML
cat >"$T/q/wbrels.xml" <<XML
<?xml version="1.0"?>
<Relationships xmlns="$PKG_NS"><Relationship Id="rId7" Type="$RELS_NS/worksheet" Target="/xl/worksheets/data.xml"/></Relationships>
XML
"$Z" "$T/inline.xlsx" "_rels/.rels=$T/q/rels.xml" "xl/workbook.xml=$T/q/wb.xml" \
    "xl/_rels/workbook.xml.rels=$T/q/wbrels.xml" \
    "xl/worksheets/data.xml=$T/inline.xml" || fail "gen_zip inline"
same inline "$T/inline.xlsx"

# ---- 3. the data on the second sheet --------------------------------------
mkdir -p "$T/s"
parts "$T/s"
cat >"$T/s/wb.xml" <<XML
<?xml version="1.0"?>
<workbook xmlns="$MAIN_NS" xmlns:r="$RELS_NS"><sheets><sheet name="封面" sheetId="1" r:id="rId1"/><sheet name="数据" sheetId="2" r:id="rId2"/></sheets></workbook>
XML
cat >"$T/s/wbrels.xml" <<XML
<?xml version="1.0"?>
<Relationships xmlns="$PKG_NS"><Relationship Id="rId1" Type="$RELS_NS/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="$RELS_NS/worksheet" Target="worksheets/sheet2.xml"/></Relationships>
XML
cat >"$T/cover.xml" <<XML
<?xml version="1.0"?>
<worksheet xmlns="$MAIN_NS"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>北京市医疗保障局</t></is></c></row></sheetData></worksheet>
XML
"$Z" "$T/two.xlsx" "_rels/.rels=$T/s/rels.xml" "xl/workbook.xml=$T/s/wb.xml" \
    "xl/_rels/workbook.xml.rels=$T/s/wbrels.xml" "xl/styles.xml=$T/s/styles.xml" \
    "xl/worksheets/sheet1.xml=$T/cover.xml" "xl/worksheets/sheet2.xml=$T/sheet1.xml" \
    "xl/sharedStrings.xml=$T/sst1.xml" || fail "gen_zip two"
refused two-first "$T/two.xlsx" \
    "two.xlsx: warning: the workbook has 2 worksheets ('封面', '数据'): reading the first, '封面'; --sheet NAME reads another"
same two-sheet "$T/two.xlsx" --sheet 数据
grep -q "warning: the workbook has" "$T/two-sheet.err" &&
    bad "two --sheet: warned about the sheets: $(head -n 2 "$T/two-sheet.err")"
refused two-nosuch "$T/two.xlsx" \
    "two.xlsx: error: the workbook has no worksheet named 'Sheet1'; its sheets: '封面', '数据'" \
    --sheet Sheet1

# ---- 4. what is refused, naming the cell ----------------------------------
# bad VALUE-OF-H5 [TYPE-AND-FORMULA]: sheet1.xml with H5 replaced
bad_cell() {
    sed "s|<c><v>93672164.060000002</v></c>|$1|" "$T/sheet1.xml"
}
bad_cell '<c r="H5" t="e"><f>G5/0</f><v>#DIV/0!</v></c>' >"$T/e.xml"
book "$T/err.xlsx" "$T/e.xml" "$T/sst1.xml"
refused err "$T/err.xlsx" \
    "err.xlsx:5:8: error: amount '#DIV/0!' is not a decimal number; it is Excel's error value: the formula in this cell failed; correct it in the workbook [cell H5 '共济金额(元)']"
bad_cell '<c r="H5"><v>0.28499999999999998</v></c>' >"$T/f.xml"
book "$T/fen.xlsx" "$T/f.xml" "$T/sst1.xml"
refused fen "$T/fen.xlsx" "fen.xlsx:5:8: error:"
grep -qF "'0.285'" "$T/fen.err" || bad "fen: value not quoted as typed: $(head -n 2 "$T/fen.err")"
bad_cell '<c r="H5"><f>SUM(H4:H4)</f><v></v></c>' >"$T/nv.xml"
book "$T/novalue.xlsx" "$T/nv.xml" "$T/sst1.xml"
refused novalue "$T/novalue.xlsx" \
    "novalue.xlsx:5:8: error: the cell holds a formula saved without its value"
sed 's|<c r="B6" t="s"><v>9</v></c>|<c r="B6" s="1"><v>45536</v></c>|' \
    "$T/sheet1.xml" >"$T/d.xml"
book "$T/datearea.xlsx" "$T/d.xml" "$T/sst1.xml"
refused datearea "$T/datearea.xlsx" "datearea.xlsx:6:2: error:"
grep -qF "2024-09-01" "$T/datearea.err" ||
    bad "datearea: the date not shown: $(head -n 2 "$T/datearea.err")"

# ---- 5. a detail sheet ----------------------------------------------------
cat >"$T/detail.csv" <<'CSV'
settlement_id,settle_time,payer_area,beneficiary_area,use,relation,amount,payer_id,beneficiary_id
S1,2024-09-03 10:21:00,110100,110100,medical,spouse,100.50,110101199001011237,110101199203041238
S2,2024-09-04 08:00:00,110100,110100,medical,spouse,20.25,110101199001011237,110101199203041238
S3,2024-09-05 09:30:00,110100,120100,pharmacy,parent,7.00,110101199001011237,110101196505061234
CSV
{
    printf '<?xml version="1.0"?>\n<worksheet xmlns="%s"><sheetData>\n' "$MAIN_NS"
    n=0
    while IFS=, read -r a b c d e f g h i; do
        n=$((n + 1))
        printf '<row r="%s">' "$n"
        for v in "$a" "$b" "$c" "$d" "$e" "$f" "$g" "$h" "$i"; do
            case $v in
            2024-09-0[0-9]" "*)
                # a time as Excel stores it: a serial with a date format
                day=${v#2024-09-0} day=${day%% *}
                hh=${v#* } mm=${hh#*:} mm=${mm%%:*} hh=${hh%%:*}
                printf '<c s="1"><v>%s</v></c>' \
                    "$(awk -v d="$day" -v h="$hh" -v m="$mm" 'BEGIN { printf "%.10f", 45535 + d + (h * 60 + m) / 1440 }')"
                ;;
            [0-9]*.[0-9][0-9]) printf '<c><v>%s</v></c>' "$v" ;;
            *) printf '<c t="inlineStr"><is><t>%s</t></is></c>' "$v" ;;
            esac
        done
        printf '</row>\n'
    done <"$T/detail.csv"
    printf '</sheetData></worksheet>\n'
} >"$T/detail.xml"
book "$T/detail.xlsx" "$T/detail.xml"
run detail-csv "$GONGJI" aggregate "$T/detail.csv"
expect_rc detail-csv 0
run detail-xlsx "$GONGJI" aggregate "$T/detail.xlsx"
expect_rc detail-xlsx 0
cmp -s "$T/detail-csv.out" "$T/detail-xlsx.out" ||
    bad "detail: the workbook aggregates differently: $(diff "$T/detail-csv.out" "$T/detail-xlsx.out" | head -n 6)"
# an ID column that Excel turned into numbers
sed 's|<c t="inlineStr"><is><t>110101199001011237</t></is></c>|<c><v>1.1010119900101101E+17</v></c>|' \
    "$T/detail.xml" >"$T/detail-id.xml"
book "$T/detail-id.xlsx" "$T/detail-id.xml"
run detail-id "$GONGJI" aggregate "$T/detail-id.xlsx"
[ "$rc" = 1 ] || bad "detail-id: exit $rc, want 1"
grep -q "detail-id.xlsx:2:8: error: .*scientific notation" "$T/detail-id.err" ||
    bad "detail-id: $(head -n 3 "$T/detail-id.err")"
grep -q "110101199001011237\|1101011990" "$T/detail-id.err" &&
    bad "detail-id: an ID in a message"

# ---- 6. standard input; the stored SHA-256 is the workbook's --------------
run stdin "$GONGJI" ingest --db "$T/stdin.db" - <"$T/shared.xlsx"
expect_rc stdin 0
[ "$(total "$T/stdin.db")" = "$WANT" ] || bad "stdin: stored $(total "$T/stdin.db")"
SUM=$(sha256sum "$T/shared.xlsx" | cut -d' ' -f1)
sqlite3 "$T/shared.db" "SELECT sha256 FROM submission" >"$T/sha.out" 2>&1 ||
    fail "sqlite3: $(cat "$T/sha.out")"
grep -qx "$SUM" "$T/sha.out" || bad "stored sha256 $(cat "$T/sha.out"), want $SUM"

finish
