#!/bin/sh
# SPDX-License-Identifier: MIT
# The corpus of input shapes (issue 9, "Tests and speed"): tests/gen/
# gen_corpus writes some 80 files as provinces send them - CSV in many
# shapes and encodings, detail files, .xlsx workbooks written with
# libxlsxwriter - and expect.tsv, each file's command, exit status, exact
# stored total and message (tests/corpus/README.md).  Every file is
# ingested into a store of its own; every mismatch is reported.  When
# LibreOffice is installed, a few of the CSV files are also converted to
# .xlsx by it and must give the same totals; a cell =1/0 becomes #DIV/0!
# and must be refused naming the cell.
. "$(dirname "$0")/lib.sh"

GENC="$GONGJI_BUILD/tests/gen_corpus"
[ -x "$GENC" ] || fail "no generator at $GENC (make tools)"
C=$T/corpus
mkdir "$C" || fail "mkdir $C"
"$GENC" "$C" 2>"$T/gen.err" || fail "gen_corpus: $(cat "$T/gen.err")"
TAB=$(printf '\t')
n=$(grep -c '' "$C/expect.tsv")
[ "$n" -ge 60 ] || fail "the corpus has $n files, fewer than 60"
[ "$(($(ls "$C" | wc -l) - 1))" = "$n" ] ||
    bad "expect.tsv lists $n files, the directory holds $(($(ls "$C" | wc -l) - 1))"

# The xlsx reader is being written: until it is in the binary, a workbook
# is refused as such (or --sheet is unknown); such a case is counted as
# pending, not passed.
pending() {
    grep -qF -e "this is an Excel workbook (.xlsx), not CSV" \
        -e "unknown option '--sheet'" "$T/one.err"
}

# one FILE KIND CMD RC TOTAL MSG [DIR]: ingest FILE (in DIR, default $C)
# into a fresh store with CMD's options; check the exit status, the total
# ("none": nothing stored) and that stderr holds MSG.
one() {
    _f=$1 _k=$2 _cmd=$3 _rc=$4 _tot=$5 _msg=$6 _d=${7:-$C}
    _db=$T/db.$NUM.db
    NUM=$((NUM + 1))
    # shellcheck disable=SC2086 # the options are words
    (cd "$_d" && "$GONGJI" $_cmd --db "$_db" "$_f") >"$T/one.out" 2>"$T/one.err"
    _got_rc=$?
    if [ "$_k" = xlsx ] && pending; then
        PENDING=$((PENDING + 1))
        return
    fi
    _ok=1
    if [ "$_got_rc" != "$_rc" ]; then
        bad "$_f ($_cmd): exit $_got_rc, expected $_rc: $(grep -m 2 -e error -e warning "$T/one.err" | tr '\n' ' ')"
        _ok=0
    fi
    if [ -n "$_msg" ] && ! grep -qF -- "$_msg" "$T/one.err"; then
        bad "$_f: no message '$_msg' in: $(head -n 3 "$T/one.err" | tr '\n' ' ')"
        _ok=0
    fi
    if [ "$_tot" = none ]; then
        if [ -e "$_db" ] && [ "$(total "$_db")" != "0,0.00" ]; then
            bad "$_f: refused, yet stored $(total "$_db")"
            _ok=0
        fi
    elif [ "$_got_rc" = 0 ]; then
        _t=$(total "$_db")
        if [ "$_t" != "$_tot" ]; then
            bad "$_f: stored $_t, expected $_tot"
            _ok=0
        fi
    fi
    [ "$_ok" = 1 ] && eval "OK_$_k=\$((\${OK_$_k:-0} + 1))"
    eval "ALL_$_k=\$((\${ALL_$_k:-0} + 1))"
    case $_rc in
    0) STORED=$((STORED + 1)) ;;
    *) REFUSED=$((REFUSED + 1)) ;;
    esac
}

NUM=0 PENDING=0 STORED=0 REFUSED=0
while IFS=$TAB read -r f k cmd rc tot msg; do
    one "$f" "$k" "$cmd" "$rc" "$tot" "$msg"
done <"$C/expect.tsv"
for k in csv tsv utf16 gb18030 detail xlsx; do
    eval "a=\${ALL_$k:-0} o=\${OK_$k:-0}"
    note "$k: $o of $a file(s) as expected"
done
note "$STORED expected stored, $REFUSED expected refused, $PENDING xlsx pending the reader"

# LibreOffice's own .xlsx of some CSV files: the same totals.
if ! command -v soffice >/dev/null 2>&1; then
    note "no soffice (LibreOffice): its conversions are not checked"
    finish
fi
L=$T/lo
mkdir "$L" || fail "mkdir $L"
LO_FILES="plain.csv title-rows.csv period-day.csv thousands.csv province-total.csv formula-div0.csv"
for f in $LO_FILES; do cp "$C/$f" "$L/"; done
(cd "$L" && timeout 300 soffice -env:UserInstallation="file://$T/lo-profile" \
    --headless --convert-to xlsx --infilter="CSV:44,34,76,1" --outdir "$L" \
    $LO_FILES) >"$T/lo.out" 2>&1 || {
    note "soffice failed: $(tail -n 3 "$T/lo.out")"
    finish
}
LO=0
for f in $LO_FILES; do
    x=${f%.csv}.xlsx
    [ -s "$L/$x" ] || {
        bad "LibreOffice wrote no $x"
        continue
    }
    line=$(grep "^$f$TAB" "$C/expect.tsv")
    tot=$(echo "$line" | cut -f5)
    case $f in
    formula-div0.csv)
        # the amount of data row 11 (line 12) is column H: H12
        one "$x" xlsx ingest 1 none "$x:12:8:" "$L"
        grep -q "H12" "$T/one.err" || pending ||
            bad "$x: the error cell is not named H12: $(head -n 2 "$T/one.err" | tr '\n' ' ')"
        grep -q "#DIV/0!" "$T/one.err" || pending ||
            bad "$x: #DIV/0! not said: $(head -n 2 "$T/one.err" | tr '\n' ' ')"
        ;;
    *) one "$x" xlsx ingest 0 "$tot" "" "$L" ;;
    esac
    LO=$((LO + 1))
done
note "LibreOffice: $LO CSV file(s) converted to .xlsx and checked ($PENDING xlsx pending in all)"
finish
