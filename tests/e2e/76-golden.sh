#!/bin/sh
# SPDX-License-Identifier: MIT
# Golden cases: tests/golden/<case>/ holds in/*.csv (ingested into a fresh
# store), cmd (the arguments of one gongji command, run with --db and --out
# added) and expected/: the text files the command writes (diffed), and,
# when LibreOffice is installed, every sheet of attachment.xlsx and
# internal.xlsx as LibreOffice itself exports it to CSV (so the workbook is opened by a real office suite
# and its cells are pinned as a user sees them).
#
#   UPDATE=1 sh tests/e2e/76-golden.sh   rewrites expected/ for review
. "$(dirname "$0")/lib.sh"

GOLD="$GONGJI_TOP/tests/golden"
SOFFICE=$(command -v soffice || command -v libreoffice || true)

export_sheets() { # xlsx outdir: one CSV per sheet, named by the sheet
    mkdir -p "$2"
    # filter options: comma, quote, UTF-8 (76), from row 1, ..., all sheets (-1)
    (cd "$2" && timeout 180 "$SOFFICE" --headless --norestore \
        "-env:UserInstallation=file://$T/lo-profile" \
        --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
        --outdir "$2" "$1" >/dev/null 2>&1)
    ls "$2"/*.csv >/dev/null 2>&1
}

for case in "$GOLD"/*/; do
    case=${case%/}
    name=${case##*/}
    note "case $name"
    W="$T/$name"
    mkdir -p "$W/out"
    # relative file names and a fixed clock: the sources sheet is pinned too
    (cd "$case" && SOURCE_DATE_EPOCH=1729382400 \
        "$GONGJI" ingest --quiet --db "$W/s.db" in/*.csv) 2>"$W/ingest.err" ||
        { cat "$W/ingest.err"; bad "$name: ingest failed"; continue; }
    # shellcheck disable=SC2046
    "$GONGJI" $(cat "$case/cmd") --db "$W/s.db" --out "$W/out" \
        >"$W/stdout" 2>"$W/stderr" || { cat "$W/stderr"; bad "$name: command failed"; continue; }
    if [ -f "$W/out/attachment.xlsx" ] && command -v unzip >/dev/null; then
        # native Excel charts (a column chart, a doughnut) on the 附件 sheet
        n=$(unzip -l "$W/out/attachment.xlsx" | grep -c 'xl/charts/chart[0-9]*.xml')
        [ "$n" = 2 ] || bad "$name: $n native charts in attachment.xlsx, expected 2"
        unzip -p "$W/out/attachment.xlsx" xl/charts/chart1.xml |
            grep -q "'附件'!\$A\$6:\$A\$37" ||
            bad "$name: the column chart does not read the provinces of 附件"
    fi
    if [ -n "$SOFFICE" ]; then
        for book in attachment internal; do
            [ -f "$W/out/$book.xlsx" ] || continue
            export_sheets "$W/out/$book.xlsx" "$W/sheets" ||
                bad "$name: LibreOffice could not open $book.xlsx"
        done
    fi
    if [ "${UPDATE:-0}" = 1 ]; then
        rm -rf "$case/expected" && mkdir -p "$case/expected"
        cp "$W/out/bulletin.md" "$case/expected/" 2>/dev/null || true
        [ -d "$W/sheets" ] && cp "$W"/sheets/*.csv "$case/expected/"
        note "updated $case/expected"
        continue
    fi
    [ -d "$case/expected" ] || { bad "$name: no expected/ (run with UPDATE=1)"; continue; }
    for f in "$case"/expected/*; do
        b=${f##*/}
        case "$b" in
        *.csv)
            if [ -z "$SOFFICE" ]; then
                note "no LibreOffice: workbook cells not compared ($b)"
                continue
            fi
            got="$W/sheets/$b" ;;
        *) got="$W/out/$b" ;;
        esac
        if [ ! -f "$got" ]; then
            bad "$name: $b was not written"
        elif ! diff -u "$f" "$got"; then
            bad "$name: $b differs from the expected file"
        fi
    done
done
finish
