#!/bin/sh
# SPDX-License-Identifier: MIT
# Hostile and damaged workbooks (issue 9), end to end: each is refused by
# check and by ingest with exit status 1 and a message naming the problem,
# within seconds and under `ulimit -v` (1 GiB), and the store is unchanged:
# a zip bomb (a 1 MiB sheet that inflates to 1 GiB), the same with its
# headers declaring 1000 bytes (the reader stops at the declared size), a
# DOCTYPE with entity expansion in the sheet and in the shared strings, an
# external entity (the file's text is never shown), a damaged CRC, a
# truncated archive, no xl/workbook.xml, a sheet the rels point to that is
# missing, a shared-string index out of range, cells and rows out of order,
# a cell beyond column XFD or a row beyond 1048576 (with or without its
# reference), a 2 MiB cell, --sheet naming a missing sheet (the message
# lists the sheets); a sheet that cannot be read is never reported as "the
# file is empty";
# a workbook on standard input and as a FIFO is read like a file.
# The workbooks are made part by part with tests/gen/gen_zip.
. "$(dirname "$0")/lib.sh"

ZIPGEN="$GONGJI_BUILD/tests/gen_zip"
[ -x "$ZIPGEN" ] || fail "no $ZIPGEN (make tools)"
VMEM=1048576 # KiB
if ldd "$GONGJI" 2>/dev/null | grep -q 'libasan\|libtsan'; then
    VMEM=unlimited # the sanitizers reserve terabytes of address space
fi
LIMIT=10 # seconds for one refusal (each takes well under one)

# bounded NAME CMD...: run NAME CMD under the memory and time limits, and
# fail when it took more than LIMIT seconds.
bounded() {
    _n=$1
    shift
    _t0=$(date +%s)
    (
        ulimit -v "$VMEM" || exit 99
        exec timeout 60 "$@"
    ) >"$T/$_n.out" 2>"$T/$_n.err"
    rc=$?
    _dt=$(($(date +%s) - _t0))
    [ "$_dt" -le "$LIMIT" ] || bad "$_n: took $_dt s"
}

# ---- the parts of a valid workbook ----
NS=http://schemas.openxmlformats.org/spreadsheetml/2006/main
NSR=http://schemas.openxmlformats.org/officeDocument/2006/relationships
NSP=http://schemas.openxmlformats.org/package/2006/relationships
mkdir "$T/p" || fail mkdir
P="$T/p"
cat >"$P/ct.xml" <<EOF
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>
EOF
cat >"$P/rels.xml" <<EOF
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="$NSP"><Relationship Id="rId1" Type="$NSR/officeDocument" Target="xl/workbook.xml"/></Relationships>
EOF
cat >"$P/book.xml" <<EOF
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="$NS" xmlns:r="$NSR"><sheets><sheet name="表1" sheetId="1" r:id="rId1"/><sheet name="说明" sheetId="2" r:id="rId2"/></sheets></workbook>
EOF
cat >"$P/brels.xml" <<EOF
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="$NSP"><Relationship Id="rId1" Type="$NSR/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="$NSR/worksheet" Target="worksheets/sheet2.xml"/></Relationships>
EOF
cat >"$P/sst.xml" <<EOF
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="$NS" count="8" uniqueCount="8"><si><t>period</t></si><si><t>area</t></si><si><t>scope</t></si><si><t>use</t></si><si><t>relation</t></si><si><t>person_times</t></si><si><t>amount</t></si><si><t>same_area</t></si></sst>
EOF
HEAD="<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>
<worksheet xmlns=\"$NS\"><sheetData>"
ROW1='<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c><c r="G1" t="s"><v>6</v></c></row>'
# row2 N PT [RELATION]: data row N (period 2024-09, area 110100,
# person-times PT, relation spouse or RELATION)
row2() {
    printf '<row r="%s"><c r="A%s" t="inlineStr"><is><t>2024-09</t></is></c><c r="B%s"><v>110100</v></c><c r="C%s" t="s"><v>7</v></c><c r="D%s" t="inlineStr"><is><t>medical</t></is></c><c r="E%s" t="inlineStr"><is><t>%s</t></is></c><c r="F%s"><v>%s</v></c><c r="G%s"><v>1234.56</v></c></row>' \
        "$1" "$1" "$1" "$1" "$1" "$1" "${3:-spouse}" "$1" "$2" "$1"
}
TAIL='</sheetData></worksheet>'
# sheet FILE BODY: a sheet part holding BODY in its sheetData
sheet() {
    printf '%s%s%s' "$HEAD" "$2" "$TAIL" >"$1"
}
sheet "$P/sheet1.xml" "$ROW1$(row2 2 636127)$(row2 3 7 parent)"
sheet "$P/sheet2.xml" ""

# book OUT [--store] [NAME=FILE...]: a workbook of the valid parts, with
# NAME=FILE replacing (or, FILE being -, removing) the part NAME.
book() {
    _out=$1
    shift
    _store=
    if [ "${1:-}" = --store ]; then
        _store=--store
        shift
    fi
    _args=
    for _part in xl/worksheets/sheet1.xml=sheet1.xml \
        xl/sharedStrings.xml=sst.xml xl/workbook.xml=book.xml \
        xl/_rels/workbook.xml.rels=brels.xml _rels/.rels=rels.xml \
        xl/worksheets/sheet2.xml=sheet2.xml '[Content_Types].xml=ct.xml'; do
        _name=${_part%%=*}
        _file=$P/${_part#*=}
        for _o in "$@"; do
            [ "${_o%%=*}" = "$_name" ] && _file=${_o#*=}
        done
        [ "$_file" = - ] || _args="$_args $_name=$_file"
    done
    # shellcheck disable=SC2086
    "$ZIPGEN" $_store "$_out" $_args || fail "gen_zip $_out"
}

# u32 FILE OFFSET: the little-endian 32-bit number at OFFSET
u32() {
    od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '
}
# put32 FILE OFFSET N: write N there as a little-endian 32-bit number
put32() {
    printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($3 & 255)) \
        $((($3 >> 8) & 255)) $((($3 >> 16) & 255)) $((($3 >> 24) & 255)))" |
        dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# ---- a store that must not change ----
run ingest "$GONGJI" ingest --quiet --db "$T/s.db" \
    "$SAMPLE"/2024-02-15/110000_2024-01.csv "$SAMPLE"/2024-03-15/110000_2024-02.csv
expect_rc ingest 0
snapshot "$T/s.db" "$T/before.snap"

note "a valid workbook is read (the cases below break one thing each)"
book "$T/good.xlsx"
bounded good "$GONGJI" check --sheet 表1 "$T/good.xlsx"
expect_rc good 0
grep -qF "2 rows, 北京 2024-09, Excel sheet '表1'" "$T/good.out" ||
    bad "good: $(cat "$T/good.out" "$T/good.err")"

# refused NAME WANT: check and ingest refuse $T/NAME.xlsx with exit status
# 1 and a message holding WANT, in bounded time and memory; the store is
# unchanged.  Extra arguments go to both commands.
refused() {
    _f=$1
    _want=$2
    shift 2
    for _cmd in check ingest; do
        case $_cmd in
        ingest) set -- --db "$T/s.db" "$@" ;;
        esac
        bounded "$_f-$_cmd" "$GONGJI" $_cmd "$@" "$T/$_f.xlsx"
        if [ "$rc" != 1 ]; then
            bad "$_f: $_cmd exit status $rc, expected 1: $(head -n 3 "$T/$_f-$_cmd.err")"
        elif ! grep -qF -- "$_want" "$T/$_f-$_cmd.err"; then
            bad "$_f: $_cmd: no '$_want' in: $(head -n 5 "$T/$_f-$_cmd.err")"
        fi
        # a sheet that could not be read is not "the file is empty"
        grep -qF "the file is empty" "$T/$_f-$_cmd.err" &&
            bad "$_f: $_cmd: $(grep -F "the file is empty" "$T/$_f-$_cmd.err")"
    done
    snapshot "$T/s.db" "$T/after.snap"
    cmp -s "$T/before.snap" "$T/after.snap" || bad "$_f changed the store"
}

note "zip bomb: a 1 MiB sheet that inflates to 1 GiB"
GIB=1073741824
{
    printf '%s' "$HEAD$ROW1"
    head -c $((GIB - ${#HEAD} - ${#ROW1} - ${#TAIL})) /dev/zero | tr '\0' ' '
    printf '%s' "$TAIL"
} | "$ZIPGEN" "$T/bomb.xlsx" xl/worksheets/sheet1.xml=/dev/stdin \
    xl/workbook.xml="$P/book.xml" xl/_rels/workbook.xml.rels="$P/brels.xml" ||
    fail "gen_zip bomb"
[ "$(u32 "$T/bomb.xlsx" 22)" = $GIB ] || fail "bomb: sheet1.xml is not 1 GiB"
refused bomb "the workbook's xl/worksheets/sheet1.xml is compressed "
grep -qF "inflate to $GIB): a zip bomb, not a spreadsheet; refused" \
    "$T/bomb-check.err" || bad "bomb: $(cat "$T/bomb-check.err")"

note "zip bomb whose headers declare 1000 bytes: read no further"
cp "$T/bomb.xlsx" "$T/bomb-small.xlsx" || fail cp
# the sheet is the first entry: its local header is at 0, size at 22;
# the central directory starts where the end record (22 bytes) says
SZ=$(wc -c <"$T/bomb.xlsx")
CD=$(u32 "$T/bomb.xlsx" $((SZ - 22 + 16)))
[ "$(u32 "$T/bomb.xlsx" "$CD")" = 33639248 ] || fail "no central directory at $CD" # PK\1\2
put32 "$T/bomb-small.xlsx" 22 1000
put32 "$T/bomb-small.xlsx" $((CD + 24)) 1000
refused bomb-small "the workbook's xl/worksheets/sheet1.xml inflates to more than the 1000 bytes it declares: damaged or hostile; refused"

note "entity expansion (billion laughs) in the sheet and in the shared strings"
LOL='<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>'
DOCTYPE="the workbook holds a DOCTYPE declaration, which no spreadsheet program writes: refused"
printf '%s<worksheet xmlns="%s"><sheetData>%s<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>%s' \
    "$LOL" "$NS" "$ROW1" "$TAIL" >"$T/lol-sheet.xml"
book "$T/lol-sheet.xlsx" xl/worksheets/sheet1.xml="$T/lol-sheet.xml"
refused lol-sheet "$DOCTYPE (in xl/worksheets/sheet1.xml, XML line 2)"
printf '%s<sst xmlns="%s"><si><t>&lol9;</t></si></sst>' "$LOL" "$NS" >"$T/lol-sst.xml"
book "$T/lol-sst.xlsx" xl/sharedStrings.xml="$T/lol-sst.xml"
refused lol-sst "$DOCTYPE (in xl/sharedStrings.xml, XML line 2)"

note "an external entity is never read"
printf '<?xml version="1.0"?>\n<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]><worksheet xmlns="%s"><sheetData>%s<row r="2"><c r="A2" t="inlineStr"><is><t>&x;</t></is></c></row>%s' \
    "$NS" "$ROW1" "$TAIL" >"$T/xxe.xml"
book "$T/xxe.xlsx" xl/worksheets/sheet1.xml="$T/xxe.xml"
refused xxe "$DOCTYPE (in xl/worksheets/sheet1.xml, XML line 2)"
grep -q 'root:' "$T"/xxe-*.err "$T"/xxe-*.out && bad "xxe: /etc/passwd shown"

note "a damaged CRC: one byte of a stored sheet changed"
book "$T/crc.xlsx" --store
OFF=$(grep -obaF '636127' "$T/crc.xlsx" | head -n 1 | cut -d: -f1)
[ -n "$OFF" ] || fail "crc: no 636127 in the stored sheet"
printf 8 | dd of="$T/crc.xlsx" bs=1 seek=$((OFF + 5)) conv=notrunc 2>/dev/null
refused crc "the workbook is damaged: xl/worksheets/sheet1.xml: CRC error"
grep -q '636128' "$T/crc-ingest.out" && bad "crc: the damaged figure was shown"

note "a truncated archive"
head -c $(($(wc -c <"$T/good.xlsx") / 2)) "$T/good.xlsx" >"$T/trunc.xlsx"
refused trunc "this looks like an Excel workbook (.xlsx) but cannot be opened as one: Not a zip archive"

note "no xl/workbook.xml"
book "$T/nobook.xlsx" xl/workbook.xml=-
refused nobook "this zip archive has no xl/workbook.xml: not an Excel workbook, or a damaged one"

note "the sheet the rels point to is missing"
book "$T/nosheet.xlsx" xl/worksheets/sheet1.xml=-
refused nosheet "the workbook is damaged: sheet '表1' should be in xl/worksheets/sheet1.xml, which it does not hold"

note "a shared-string index out of range"
sheet "$T/sst-range.xml" "$ROW1$(row2 2 636127 | sed 's|<c r="C2" t="s"><v>7</v>|<c r="C2" t="s"><v>8</v>|')"
book "$T/sst-range.xlsx" xl/worksheets/sheet1.xml="$T/sst-range.xml"
refused sst-range ":2:3: error: the cell refers to a shared string that the workbook does not hold: damaged"

note "cells out of order"
sheet "$T/cells.xml" "$ROW1$(row2 2 636127 | sed 's|\(<c r="B2">[^/]*</v></c>\)\(<c r="C2"[^/]*</v></c>\)|\2\1|')"
grep -qF '<c r="C2" t="s"><v>7</v></c><c r="B2">' "$T/cells.xml" || fail "cells: sed"
book "$T/cells.xlsx" xl/worksheets/sheet1.xml="$T/cells.xml"
refused cells ":2:2: error: the cell comes after a cell to its right: the sheet is damaged"

note "rows out of order"
sheet "$T/rows.xml" "$ROW1$(row2 3 636127)$(row2 2 7 parent)"
book "$T/rows.xlsx" xl/worksheets/sheet1.xml="$T/rows.xml"
refused rows "row 2 comes after row 3 (in xl/worksheets/sheet1.xml, XML line 2)"

note "a cell beyond column XFD"
sheet "$T/xfd.xml" "$ROW1$(row2 2 636127 | sed 's|</row>|<c r="XFE2"><v>1</v></c></row>|')"
book "$T/xfd.xlsx" xl/worksheets/sheet1.xml="$T/xfd.xml"
refused xfd "cell 'XFE2' in row 2, which is no cell of a sheet (columns A to XFD, rows 1 to 1048576) (in xl/worksheets/sheet1.xml, XML line 2)"

note "cells and rows without a reference, beyond column XFD and row 1048576"
sheet "$T/xfd-noref.xml" "$ROW1<row r=\"2\">$(yes '<c><v>1</v></c>' | head -n 16385 | tr -d '\n')</row>"
book "$T/xfd-noref.xlsx" xl/worksheets/sheet1.xml="$T/xfd-noref.xml"
refused xfd-noref "a cell beyond column XFD in row 2 (in xl/worksheets/sheet1.xml, XML line 2)"
sheet "$T/rows-noref.xml" "$ROW1$(yes '<row/>' | head -n 1048576 | tr -d '\n')$(row2 1048578 7 | sed 's/<row r="[0-9]*">/<row>/; s/ r="[A-Z]*[0-9]*"//g')"
book "$T/rows-noref.xlsx" xl/worksheets/sheet1.xml="$T/rows-noref.xml"
refused rows-noref "more than 1048576 rows, the most a sheet holds (in xl/worksheets/sheet1.xml, XML line 2)"

note "a 2 MiB cell"
{
    printf '%s%s<row r="2"><c r="A2" t="inlineStr"><is><t>' "$HEAD" "$ROW1"
    head -c 2097152 /dev/zero | tr '\0' 9
    printf '</t></is></c></row>%s' "$TAIL"
} >"$T/big-cell.xml"
book "$T/big-cell.xlsx" xl/worksheets/sheet1.xml="$T/big-cell.xml"
refused big-cell ":2:1: error: the cell holds more than 1 MiB of text: not a value gongji could use"

note "--sheet naming a missing sheet lists the sheets"
cp "$T/good.xlsx" "$T/nosuch.xlsx" || fail cp
refused nosuch "the workbook has no worksheet named '汇总'; its sheets: '表1', '说明'" --sheet 汇总

note "standard input and a FIFO: read like a file, refused like a file"
bounded stdin-good "$GONGJI" check --sheet 表1 - <"$T/good.xlsx"
expect_rc stdin-good 0
grep -qF "<stdin>: 2 rows, 北京 2024-09, Excel sheet '表1'" "$T/stdin-good.out" ||
    bad "stdin: $(cat "$T/stdin-good.out" "$T/stdin-good.err")"
for f in bomb crc lol-sst; do
    bounded "stdin-$f" "$GONGJI" ingest --db "$T/s.db" - <"$T/$f.xlsx"
    [ "$rc" = 1 ] || bad "stdin $f: exit status $rc, expected 1"
    grep -qF "<stdin>: error: " "$T/stdin-$f.err" ||
        bad "stdin $f: $(head -n 3 "$T/stdin-$f.err")"
done
grep -qF "zip bomb, not a spreadsheet" "$T/stdin-bomb.err" ||
    bad "stdin bomb: $(head -n 3 "$T/stdin-bomb.err")"
if mkfifo "$T/fifo.xlsx" 2>/dev/null; then
    cat "$T/good.xlsx" >"$T/fifo.xlsx" &
    bounded fifo-good "$GONGJI" check --sheet 表1 "$T/fifo.xlsx"
    wait
    expect_rc fifo-good 0
    grep -qF "fifo.xlsx: 2 rows, 北京 2024-09" "$T/fifo-good.out" ||
        bad "fifo: $(cat "$T/fifo-good.out" "$T/fifo-good.err")"
    cat "$T/crc.xlsx" >"$T/fifo.xlsx" &
    bounded fifo-crc "$GONGJI" ingest --db "$T/s.db" "$T/fifo.xlsx"
    wait
    [ "$rc" = 1 ] || bad "fifo crc: exit status $rc, expected 1"
    grep -qF "fifo.xlsx: error: the workbook is damaged: xl/worksheets/sheet1.xml: CRC error" "$T/fifo-crc.err" ||
        bad "fifo crc: $(head -n 3 "$T/fifo-crc.err")"
else
    note "no mkfifo here: the FIFO case is left out"
fi
snapshot "$T/s.db" "$T/after.snap"
cmp -s "$T/before.snap" "$T/after.snap" || bad "stdin/FIFO runs changed the store"

finish
