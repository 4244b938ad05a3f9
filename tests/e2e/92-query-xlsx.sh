#!/bin/sh
# SPDX-License-Identifier: MIT
# query --format xlsx --out FILE and --format csv --excel (issue 13,
# "Queries into Excel"), on a generated store and on the sample store:
#  - the workbook read back by a real office suite (LibreOffice headless,
#    sheet to CSV): every row's codes and figures equal the csv output's,
#    amounts to the fen, rates to the tenth; headers, the units row, the
#    period and --vintage lines above the table; the 合计 row under a blank
#    row equals the query's total (no --by);
#  - the frozen header (the pane element of xl/worksheets/sheet1.xml);
#  - byte-identical workbooks from two runs (2 s apart: zip time stamps);
#  - no workbook to standard output; --out and --excel with the wrong
#    format are usage errors; an unwritable --out is status 3, leaving
#    nothing behind;
#  - csv --excel: EF BB BF first, a DIM_name column after each code but
#    period's, and without them byte for byte the plain csv.
. "$(dirname "$0")/lib.sh"

command -v unzip >/dev/null 2>&1 || skip "no unzip"
SOFFICE=$(command -v soffice || command -v libreoffice || true)
[ -n "$SOFFICE" ] || note "no LibreOffice: workbooks are not read back"

# to_csv BOOK OUT: the workbook's sheet as LibreOffice exports it (values,
# not the text shown; percentages as 25.1%)
to_csv() {
    _d=$T/lo.$$.$(basename "$1" .xlsx)
    mkdir -p "$_d"
    (cd "$_d" && timeout 180 "$SOFFICE" --headless --norestore \
        "-env:UserInstallation=file://$T/lo-profile" \
        --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false' \
        --outdir "$_d" "$1" >/dev/null 2>&1)
    [ -s "$_d/$(basename "$1" .xlsx).csv" ] || return 1
    cp "$_d/$(basename "$1" .xlsx).csv" "$2"
}

# norm: fields as numbers compare: no quotes, no %, no trailing zeros
norm() {
    awk -F, -v OFS=, '{
        gsub(/"/, "")
        for (i = 1; i <= NF; i++) {
            sub(/%$/, "", $i)
            if ($i ~ /^-?[0-9]+\.[0-9]+$/) { sub(/0+$/, "", $i); sub(/\.$/, "", $i) }
        }
        print }'
}

# book NAME DB BY ARGS...: the workbook, the csv --excel and the plain csv
# of one query (--by BY), checked against each other
book() {
    _b=$1 _db=$2 _by=$3
    shift 3
    # the total of the same query, as the 合计 row must hold it
    run "$_b.t" "$GONGJI" query --db "$_db" "$@" --format csv
    expect_rc "$_b.t" 0
    set -- --by "$_by" "$@"
    run "$_b.x" "$GONGJI" query --db "$_db" "$@" --format xlsx --out "$T/$_b.xlsx"
    expect_rc "$_b.x" 0
    [ -s "$T/$_b.xlsx" ] || fail "$_b: no workbook"
    [ -s "$T/$_b.x.out" ] && bad "$_b: xlsx wrote to stdout: $(head -c 80 "$T/$_b.x.out")"
    run "$_b.e" "$GONGJI" query --db "$_db" "$@" --format csv --excel
    expect_rc "$_b.e" 0
    run "$_b.c" "$GONGJI" query --db "$_db" "$@" --format csv
    expect_rc "$_b.c" 0
    # --excel: the BOM, then the plain csv with the name columns
    [ "$(head -c 3 "$T/$_b.e.out" | od -An -tx1 | tr -d ' ')" = efbbbf ] ||
        bad "$_b: csv --excel does not start with a UTF-8 BOM"
    tail -c +4 "$T/$_b.e.out" >"$T/$_b.e.nobom"
    _names=$(head -n 1 "$T/$_b.e.nobom" | tr , '\n' | grep -n '_name$' | cut -d: -f1 | paste -sd, -)
    if [ -n "$_names" ]; then
        awk -F, -v OFS=, -v drop="$_names" '
            BEGIN { n = split(drop, d, ","); for (i = 1; i <= n; i++) skip[d[i]] = 1 }
            { line = ""; k = 0
              for (i = 1; i <= NF; i++) if (!(i in skip)) line = line (k++ ? "," : "") $i
              print line }' "$T/$_b.e.nobom" >"$T/$_b.e.plain"
    else
        cp "$T/$_b.e.nobom" "$T/$_b.e.plain"
    fi
    cmp -s "$T/$_b.e.plain" "$T/$_b.c.out" ||
        bad "$_b: csv --excel without its name columns differs from csv: $(diff "$T/$_b.e.plain" "$T/$_b.c.out" | head -n 4)"
    [ -z "$SOFFICE" ] && return 0
    to_csv "$T/$_b.xlsx" "$T/$_b.lo.csv" || { bad "$_b: LibreOffice could not read the workbook"; return 0; }
    # rows: after the units row (the first starting with an empty cell and
    # naming a unit) up to the blank row
    awk -F, 'u && /^,*$/ { exit } u { print } /^,*(人次|笔),/ { u = 1 }' \
        "$T/$_b.lo.csv" | norm >"$T/$_b.lo.rows"
    tail -n +2 "$T/$_b.e.nobom" | norm >"$T/$_b.e.rows"
    [ -s "$T/$_b.e.rows" ] || bad "$_b: the query has no rows"
    cmp -s "$T/$_b.lo.rows" "$T/$_b.e.rows" ||
        bad "$_b: workbook rows differ from the csv: $(diff "$T/$_b.lo.rows" "$T/$_b.e.rows" | head -n 6)"
}

# total_row NAME NDIMCOLS: the 合计 row's figures equal the query's total
total_row() {
    _got=$(grep '^合计' "$T/$1.lo.csv" | norm | cut -d, -f"$(($2 + 1))"-)
    _want=$(sed -n 2p "$T/$1.t.out" | norm)
    [ "$_got" = "$_want" ] || bad "$1: 合计 row '$_got', expected '$_want'"
    # under a blank row
    grep -B1 '^合计' "$T/$1.lo.csv" | head -n 1 | grep -q '^,*$' ||
        bad "$1: no blank row above 合计"
}

# pane NAME ROW: the frozen pane's top-left cell
pane() {
    _p=$(unzip -p "$T/$1.xlsx" xl/worksheets/sheet1.xml | grep -o '<pane [^>]*>')
    case $_p in
    *"topLeftCell=\"$2\""*'state="frozen"'*) ;;
    *) bad "$1: pane '$_p', expected frozen at $2" ;;
    esac
}

note "a generated store"
gen --seed 92 --months 3 "$T/g"
run ing "$GONGJI" ingest --quiet --db "$T/g.db" "$T"/g/in/*
expect_rc ing 0
GP=$("$GONGJI" query --db "$T/g.db" --period 2000-01..2099-12 2>/dev/null --by period --format csv | sed -n '2p;$p' | cut -d, -f1 | paste -sd. -)
GP=$(echo "$GP" | sed 's/\./../')
note "period $GP"
# a year earlier, for 同比
gen --seed 93 --year 2023 --months 3 "$T/g0"
run ing0 "$GONGJI" ingest --quiet --db "$T/g.db" "$T"/g0/in/*
expect_rc ing0 0
book gprov "$T/g.db" province --period "$GP"
book gpa "$T/g.db" period,area --period "$GP" --measures person_times,amount,avg,share,yoy,mom
book gscope "$T/g.db" scope,use --period "$GP" --sort amount
if [ -n "$SOFFICE" ]; then
    total_row gprov 2
    total_row gscope 4
    total_row gpa 3
    # the header, the units row and the lines above the table
    grep -qx '省份代码,省份,共济人次,共济金额' "$T/gprov.lo.csv" ||
        bad "gprov: header: $(sed -n 4p "$T/gprov.lo.csv")"
    grep -qx ',,人次,元' "$T/gprov.lo.csv" || bad "gprov: units row: $(sed -n 5p "$T/gprov.lo.csv")"
    grep -q '^统计期：' "$T/gprov.lo.csv" || bad "gprov: no 统计期 line"
    grep -q '^统计期,统筹区代码,统筹区,共济人次,共济金额,次均金额,人次占比,金额占比,人次同比,金额同比,人次环比,金额环比$' \
        "$T/gpa.lo.csv" || bad "gpa: header: $(grep '^统计期,' "$T/gpa.lo.csv")"
    grep -q '^,,,人次,元,元,%,%,%,%,%,%$' "$T/gpa.lo.csv" || bad "gpa: units row"
    # 同比 against the generated 2023: rates as numbers with a % format
    grep -q '^2024-03,[0-9]*,[^,]*,[0-9]*,[0-9.]*,[0-9.]*,[0-9.]*%,[0-9.]*%,-\{0,1\}[0-9.]*%,' \
        "$T/gpa.lo.csv" || bad "gpa: no 同比 cells: $(grep -m1 '^2024-03,' "$T/gpa.lo.csv")"
    grep -q '^共济范围代码,共济范围,共济用途代码,共济用途,' "$T/gscope.lo.csv" ||
        bad "gscope: header"
    grep -q '^same_area,同一统筹区,' "$T/gscope.lo.csv" || bad "gscope: no same_area,同一统筹区 row"
fi
pane gprov C6
pane gpa D6

note "deterministic: two runs, byte-identical"
cp "$T/gprov.xlsx" "$T/gprov.1.xlsx"
sleep 2
run again "$GONGJI" query --db "$T/g.db" --period "$GP" --by province --format xlsx --out "$T/gprov.xlsx"
expect_rc again 0
cmp -s "$T/gprov.xlsx" "$T/gprov.1.xlsx" || bad "two runs gave different workbooks"

note "the sample store: --vintage, --where, the wallet, yoy"
ingest_sample "$T/s.db"
LAST=$("$GONGJI" submissions --db "$T/s.db" --format csv | tail -n +2 | cut -d, -f6 | sort | sed -n '100p')
book sarea "$T/s.db" period,area --period 2024-01..2024-09 --where province=浙江 \
    --measures person_times,amount,yoy --vintage "$LAST"
book sprov "$T/s.db" province --period 2024-09 --measures all --top 5
# the wallet alone counts 笔
cat >"$T/w.csv" <<'EOF'
period,area,channel,scope,use,relation,person_times,amount
2025-01,330100,account,same_area,medical,spouse,100,1000.00
2025-01,330100,wallet,in_province,medical_pharmacy,spouse,7,70.07
2025-01,330100,wallet,cross_province,premium,child,3,30.00
2025-01,110100,wallet,in_province,medical_pharmacy,parent,5,8.97
EOF
run wing "$GONGJI" ingest --quiet --db "$T/w.db" "$T/w.csv"
expect_rc wing 0
book swallet "$T/w.db" province,channel --period 2025-01 --where channel=wallet
if [ -n "$SOFFICE" ]; then
    grep -q "^数据截至：$LAST（报送 #1..#[0-9]*）" "$T/sarea.lo.csv" ||
        bad "sarea: no 数据截至 line: $(sed -n 3p "$T/sarea.lo.csv")"
    grep -q '^筛选：province=浙江' "$T/sarea.lo.csv" || bad "sarea: no 筛选 line"
    grep -q '^合计（全部）,' "$T/sprov.lo.csv" || bad "sprov: --top 5 total not 合计（全部）"
    total_row sprov 2
    total_row swallet 4
    grep -q '^省份代码,省份,共济方式代码,共济方式,共济笔数,共济金额$' "$T/swallet.lo.csv" ||
        bad "swallet: header: $(grep '^省份代码' "$T/swallet.lo.csv")"
    grep -q '^,,,,笔,元$' "$T/swallet.lo.csv" || bad "swallet: units row not 笔, 元"
    # the sample has no 2023: 同比 undefined, empty cells
    # (which months the vintage holds depends on the ingest's clock)
    grep -q '^2024-0[1-9],33[0-9]*,[^,]*,[0-9]*,[0-9.]*,,$' "$T/sarea.lo.csv" ||
        bad "sarea: 同比 not empty: $(grep -m1 '^2024-0[1-9],33' "$T/sarea.lo.csv")"
    grep -q '^2024-0[1-9],33[0-9]*,[^,]*,[0-9]*,[0-9.]*,[^,][^,]*' "$T/sarea.lo.csv" &&
        bad "sarea: 同比 cells without a 2023 to compare with"
fi
pane sarea D8

note "exact amounts: the cell values in the XML read back as the csv's"
# every <v> of the amount column of gprov, as a double, equals the csv text
unzip -p "$T/gprov.xlsx" xl/worksheets/sheet1.xml | grep -o '<c r="D[0-9]*" s="[0-9]*"><v>[^<]*</v>' |
    sed 's/.*<v>//; s/<.*//' >"$T/gprov.v"
csv_cols "$T/gprov.c.out" amount >"$T/gprov.amt"
sed -n 2p "$T/gprov.t.out" | cut -d, -f2 >>"$T/gprov.amt"
[ "$(wc -l <"$T/gprov.v")" = "$(wc -l <"$T/gprov.amt")" ] ||
    bad "gprov: $(wc -l <"$T/gprov.v") amount cells, $(wc -l <"$T/gprov.amt") csv amounts"
paste -d' ' "$T/gprov.v" "$T/gprov.amt" | awk '$1 + 0 != $2 + 0 { print; bad = 1 } END { exit bad }' >"$T/gprov.diff" ||
    bad "gprov: cell values differ from the csv: $(head -n 3 "$T/gprov.diff")"

note "usage and I/O errors"
run nout "$GONGJI" query --db "$T/g.db" --period "$GP" --format xlsx
expect_rc nout 2
grep -q 'needs --out' "$T/nout.err" || bad "xlsx without --out: $(cat "$T/nout.err")"
[ -s "$T/nout.out" ] && bad "xlsx without --out wrote to stdout"
run outcsv "$GONGJI" query --db "$T/g.db" --period "$GP" --format csv --out "$T/x.xlsx"
expect_rc outcsv 2
run exjson "$GONGJI" query --db "$T/g.db" --period "$GP" --format json --excel
expect_rc exjson 2
run revx "$GONGJI" review --db "$T/g.db" --period "${GP%%..*}" --format xlsx
expect_rc revx 2
grep -q "use table, csv or json" "$T/revx.err" || bad "review --format xlsx: $(cat "$T/revx.err")"
mkdir "$T/ro" && chmod 555 "$T/ro"
if [ "$(id -u)" != 0 ]; then
    run ro "$GONGJI" query --db "$T/g.db" --period "$GP" --format xlsx --out "$T/ro/q.xlsx"
    expect_rc ro 3
    [ -z "$(ls -A "$T/ro")" ] || bad "an unwritable --out left: $(ls -A "$T/ro")"
fi
chmod 755 "$T/ro"
# a symlink at --out is replaced, never written through
echo keep >"$T/target"
ln -s "$T/target" "$T/link.xlsx"
run link "$GONGJI" query --db "$T/g.db" --period "$GP" --format xlsx --out "$T/link.xlsx"
expect_rc link 0
[ "$(cat "$T/target")" = keep ] || bad "the workbook was written through a symlink"
[ -L "$T/link.xlsx" ] && bad "the symlink at --out was not replaced"
ls -A "$T" | grep -q '\.tmp\.' && bad "temporary files left: $(ls -A "$T" | grep '\.tmp\.')"

finish
