#!/bin/sh
# SPDX-License-Identifier: MIT
# Workbooks given where data is read (issue 9): an .xls (OLE2 magic D0 CF 11
# E0 A1 B1 1A E1) and a zip archive that is no .xlsx are refused by check,
# ingest and aggregate with a message that says what the file is and how to
# re-save it, never "NUL byte ... UTF-16?"; an .xlsx (zip magic PK 03 04) is
# read: gongji's own attachment table is a workbook, but not a data file
# (its header lacks the key columns), and the message says so at the line
# of its header (row 3, below the title and unit rows).  Nothing is stored.
. "$(dirname "$0")/lib.sh"

# a crafted .xls header (the rest of the file does not matter) and a real
# .xlsx written by gongji itself (libxlsxwriter)
printf '\320\317\021\340\241\261\032\341\000\000\000\000\076\000\003\000' >"$T/book.xls"
printf 'PK\003\004\024\000\000\000\010\000' >"$T/other.zip"
printf 'data.csv' >>"$T/other.zip"
ingest_sample "$T/s.db" 2024-10-20
run bull env SOURCE_DATE_EPOCH=1730000000 "$GONGJI" bulletin --quiet \
    --db "$T/s.db" --period 2024-09 --as-of 2024-10-20 --out "$T/out"
expect_rc bull 0
[ -s "$T/out/attachment.xlsx" ] || fail "no attachment.xlsx"
cp "$T/out/attachment.xlsx" "$T/book.xlsx" || fail "cp"
cp "$T/s.db" "$T/before.db" || fail "cp"

XLS="this is an Excel 97-2003 workbook (.xls), which gongji does not read: open it in Excel or WPS and save it as 'Excel 工作簿 (*.xlsx)' or as 'CSV UTF-8 (逗号分隔)'"
XLSX="required column period (统计期) is missing from the header"
ZIP="this is a zip archive, neither CSV nor an Excel workbook (.xlsx)"
for cmd in check ingest aggregate; do
    case $cmd in
    ingest) args="--db $T/s.db" ;;
    *) args= ;;
    esac
    for f in book.xls book.xlsx other.zip; do
        case $f in
        *.xls) want=": error: $XLS" ;;
        *.xlsx) want=":3: error: $XLSX" ;;
        *) want=": error: $ZIP" ;;
        esac
        # shellcheck disable=SC2086
        run "$cmd-$f" "$GONGJI" $cmd $args "$T/$f"
        expect_rc "$cmd-$f" 1
        grep -qF "$T/$f$want" "$T/$cmd-$f.err" ||
            bad "$cmd $f: $(head -n 3 "$T/$cmd-$f.err")"
        grep -q "NUL\|UTF-16\|encoding" "$T/$cmd-$f.err" &&
            bad "$cmd $f: misleading encoding message: $(head -n 3 "$T/$cmd-$f.err")"
        # from stdin too
        # shellcheck disable=SC2086
        run "$cmd-$f-stdin" "$GONGJI" $cmd $args - <"$T/$f"
        expect_rc "$cmd-$f-stdin" 1
        grep -qF "<stdin>$want" "$T/$cmd-$f-stdin.err" ||
            bad "$cmd $f (stdin): $(head -n 3 "$T/$cmd-$f-stdin.err")"
    done
done
cmp -s "$T/s.db" "$T/before.db" || bad "a refused workbook changed the store"

finish
