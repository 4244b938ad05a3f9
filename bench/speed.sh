#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/speed.sh BUILD_DIR - the paths of a national year beside their peers
# (issue "Speed at national scale"), each printed with its ratio:
#
#   ingest    one `gongji ingest` of five years of summary files (the first
#             submission of every province-month that build/tests/gen_years
#             writes: 1,920 files, every area x scope x use x relation),
#             into a new store; peers: DuckDB CREATE TABLE AS read_csv of
#             the same files (2 threads), and the sqlite3 shell's .import
#             of the same rows (one headerless CSV, made before the timing,
#             into a bare table: no validation, no key, no provenance).
#             The stores' sizes per flow are printed beside.
#   query     six shapes on that store; peer: the sqlite3 shell running the
#             same GROUP BY on the same store (fact), output to /dev/null;
#             both give the same number of rows (FAIL otherwise).
#   detail    `gongji ingest` of one detail file of DETAIL_ROWS rows
#             (default 10,000,000, build/tests/gen_detail) beside `gongji
#             aggregate` of the same file, from the page cache.
#   bulletin  a full year at pooling-area grain (gen_halfyear --months 12)
#             with every output: text, both workbooks, six charts in PNG,
#             PDF and SVG, bulletin.html; and with --docx (pandoc, then
#             LibreOffice for bulletin.pdf) when both are installed.
#
# Each figure is the median of RUNS (default 5) alternating runs, wall
# clock, whole process, in milliseconds (DuckDB: its statement alone,
# timed inside node, which favours it).  Environment: RUNS, DETAIL_ROWS,
# DUCKDB_THREADS (default 2).
set -eu
BUILD=${1:-build}
TOP=$(cd "$(dirname "$0")/.." && pwd)
case "$BUILD" in /*) ;; *) BUILD="$TOP/$BUILD" ;; esac
G="$BUILD/gongji"
W="$TOP/bench/work"
RUNS=${RUNS:-5}
ROWS=${DETAIL_ROWS:-10000000}
DT=${DUCKDB_THREADS:-2}
export GONGJI_DATA="$TOP/data" LC_ALL=C.UTF-8
mkdir -p "$W"
for t in gongji tests/gen_years tests/gen_detail tests/gen_halfyear; do
    [ -x "$BUILD/$t" ] || {
        echo "bench/speed.sh: build first (make tools): no $BUILD/$t" >&2
        exit 3
    }
done

now_ms() { date +%s%N | cut -c1-13; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
per_flow() { awk -v b="$1" -v n="$2" 'BEGIN { if (n > 0) printf "%.0f", b / n; else print "-" }'; }
# ms CMD...: run once, print the wall time; fails the bench when CMD fails
ms() {
    _t0=$(now_ms)
    "$@" >/dev/null 2>"$W/.speed.err" || {
        echo "bench/speed.sh: failed: $*" >&2
        head -n 5 "$W/.speed.err" >&2
        exit 1
    }
    _t1=$(now_ms)
    echo $((_t1 - _t0))
}
row() { printf '%-52s %9s %9s %7s\n' "$1" "$2" "$3" "$4"; }

DUCK=""
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
    if [ ! -d "$TOP/bench/node_modules/@duckdb/node-api" ]; then
        echo "== npm install --prefix bench (@duckdb/node-api)"
        npm install --prefix "$TOP/bench" --no-package-lock --no-audit \
            --no-fund --loglevel=error >&2 || true
    fi
    [ -d "$TOP/bench/node_modules/@duckdb/node-api" ] && DUCK=1
fi
JS="$TOP/bench/.speed-duck.mjs"
cat >"$JS" <<'EOF'
import { DuckDBInstance } from '@duckdb/node-api';
const [dbfile, threads, list] = process.argv.slice(2);
const inst = await DuckDBInstance.create(dbfile, { threads: String(threads) });
const con = await inst.connect();
const files = list.split('\n').filter((f) => f !== '');
const arr = '[' + files.map((f) => `'${f.replace(/'/g, "''")}'`).join(',') + ']';
const t0 = performance.now();
await con.run(`CREATE TABLE fact AS SELECT * FROM read_csv(${arr}, header = true,
  columns = {'period': 'VARCHAR', 'area': 'INTEGER', 'scope': 'VARCHAR',
  'use': 'VARCHAR', 'relation': 'VARCHAR', 'person_times': 'BIGINT',
  'amount': 'DECIMAL(18,2)'})`);
await con.run('CHECKPOINT');
const t1 = performance.now();
process.stderr.write(`query_ms ${(t1 - t0).toFixed(0)}\n`);
EOF

echo "== summary files: five years at pooling-area grain"
Y="$W/years"
if [ ! -d "$Y" ] || [ "$BUILD/tests/gen_years" -nt "$Y" ]; then
    rm -rf "$Y"
    "$BUILD/tests/gen_years" --seed 1 --first-year 2021 --years 5 "$Y"
fi
ls "$Y"/b*/*.csv | grep -v '_r\.csv$' >"$W/speed-files.list"
NF=$(wc -l <"$W/speed-files.list")
# shellcheck disable=SC2046 # the list holds paths without blanks
set -- $(cat "$W/speed-files.list")
for f in "$@"; do tail -n +2 "$f"; done >"$W/speed-rows.csv"
NR=$(wc -l <"$W/speed-rows.csv")
NB=$(cat "$@" | wc -c)
cat "$@" >/dev/null
echo "   $NF files, $NR rows, $NB bytes"
printf 'CREATE TABLE t(period,area,scope,use,relation,person_times,amount);\n.mode csv\n.import %s t\n' \
    "$W/speed-rows.csv" >"$W/speed-import.sql"

DB="$W/speed.db"
: >"$W/.gi"
: >"$W/.di"
: >"$W/.si"
i=1
while [ $i -le "$RUNS" ]; do
    rm -f "$DB" "$DB-wal" "$DB-shm"
    ms "$G" ingest --quiet --db "$DB" "$@" >>"$W/.gi"
    rm -f "$W/speed-import.db"
    ms sh -c "sqlite3 '$W/speed-import.db' < '$W/speed-import.sql'" >>"$W/.si"
    if [ -n "$DUCK" ]; then
        rm -f "$W/speed.duckdb" "$W/speed.duckdb.wal"
        node "$JS" "$W/speed.duckdb" "$DT" "$(cat "$W/speed-files.list")" \
            2>"$W/.duck.err" >/dev/null || {
            cat "$W/.duck.err" >&2
            exit 1
        }
        awk '/^query_ms/ {print $2}' "$W/.duck.err" >>"$W/.di"
    fi
    i=$((i + 1))
done
gi=$(median <"$W/.gi")
si=$(median <"$W/.si")
FLOWS=$(sqlite3 "$DB" "SELECT count(*) FROM fact")
GB=$(( $(wc -c <"$DB") + $( [ -f "$DB-wal" ] && wc -c <"$DB-wal" || echo 0) ))
SB=$(wc -c <"$W/speed-import.db")
echo
row "" gongji peer ratio
if [ -n "$DUCK" ]; then
    di=$(median <"$W/.di")
    DB2=$(wc -c <"$W/speed.duckdb")
    row "ingest $NF summary files vs DuckDB (<= 1.0)" "${gi}ms" "${di}ms" \
        "$(ratio "$gi" "$di")"
fi
row "ingest $NF summary files vs sqlite3 .import (<= 1.0)" "${gi}ms" "${si}ms" \
    "$(ratio "$gi" "$si")"
echo "   store per flow ($FLOWS flows): gongji $(per_flow "$GB" "$FLOWS") B" \
    "($GB bytes), sqlite3 .import $(per_flow "$SB" "$FLOWS") B${DUCK:+, DuckDB $(per_flow "$DB2" "$FLOWS") B}"

echo
echo "== queries on that store vs the sqlite3 shell (<= 0.5)"
n=0
while IFS='|' read -r label gargs sql; do
    n=$((n + 1))
    : >"$W/.gq"
    : >"$W/.sq"
    i=1
    while [ $i -le "$RUNS" ]; do
        # shellcheck disable=SC2086 # gargs is a word list
        ms "$G" query --db "$DB" --format csv $gargs >>"$W/.gq"
        ms sqlite3 "$DB" "$sql" >>"$W/.sq"
        i=$((i + 1))
    done
    # shellcheck disable=SC2086
    gr=$("$G" query --db "$DB" --format csv $gargs 2>/dev/null | tail -n +2 | wc -l)
    sr=$(sqlite3 "$DB" "$sql" | wc -l)
    gq=$(median <"$W/.gq")
    sq=$(median <"$W/.sq")
    row "$label" "${gq}ms" "${sq}ms" "$(ratio "$gq" "$sq")"
    [ "$gr" = "$sr" ] || echo "   FAIL: $gr rows from gongji, $sr from sqlite3"
done <<'EOF'
one month by area|--period 2025-12 --by area|SELECT area, sum(person_times), sum(amount_fen) FROM fact WHERE period = '2025-12' GROUP BY area
one province by period|--period 2021-01..2025-12 --where province=330000 --by period|SELECT period, sum(person_times), sum(amount_fen) FROM fact WHERE province = 330000 GROUP BY period
one province by area, a year|--period 2025-01..2025-12 --where province=330000 --by area|SELECT area, sum(person_times), sum(amount_fen) FROM fact WHERE province = 330000 AND period BETWEEN '2025-01' AND '2025-12' GROUP BY area
five years by province|--period 2021-01..2025-12 --by province|SELECT province, sum(person_times), sum(amount_fen) FROM fact GROUP BY province
a year by area,scope,use,relation|--period 2025-01..2025-12 --by area,scope,use,relation|SELECT area, scope, use, relation, sum(person_times), sum(amount_fen) FROM fact WHERE period BETWEEN '2025-01' AND '2025-12' GROUP BY 1, 2, 3, 4
five years by period,area|--period 2021-01..2025-12 --by period,area|SELECT period, area, sum(person_times), sum(amount_fen) FROM fact GROUP BY 1, 2
EOF

echo
echo "== a detail file of $ROWS rows: ingest vs aggregate (<= 1.1)"
F="$W/detail-$ROWS.csv"
[ -s "$F" ] || "$BUILD/tests/gen_detail" --seed 1 --rows "$ROWS" "$F" >/dev/null
cat "$F" >/dev/null
: >"$W/.ga"
: >"$W/.gd"
i=1
while [ $i -le "$RUNS" ]; do
    ms "$G" aggregate --quiet "$F" >>"$W/.ga"
    rm -f "$W/detail.db" "$W/detail.db-wal" "$W/detail.db-shm"
    ms "$G" ingest --quiet --db "$W/detail.db" "$F" >>"$W/.gd"
    i=$((i + 1))
done
ga=$(median <"$W/.ga")
gd=$(median <"$W/.gd")
row "ingest vs aggregate, $(wc -c <"$F") bytes" "${gd}ms" "${ga}ms" "$(ratio "$gd" "$ga")"

echo
echo "== bulletin, a full year at pooling-area grain, every output (< 1500 ms)"
[ -d "$W/year" ] || "$BUILD/tests/gen_halfyear" --seed 2 --months 12 "$W/year" >/dev/null
YDB="$W/year.db"
rm -f "$YDB" "$YDB-wal" "$YDB-shm"
"$G" ingest --quiet --db "$YDB" "$W"/year/in/*.csv
: >"$W/.gb"
: >"$W/.gx"
docx=""
command -v pandoc >/dev/null 2>&1 && command -v soffice >/dev/null 2>&1 && docx=1
i=1
while [ $i -le "$RUNS" ]; do
    rm -rf "$W/speed-bulletin"
    ms "$G" bulletin --quiet --no-record --db "$YDB" --period 2024-12 \
        --out "$W/speed-bulletin" >>"$W/.gb"
    if [ -n "$docx" ]; then
        rm -rf "$W/speed-bulletin-docx"
        ms "$G" bulletin --quiet --no-record --docx --db "$YDB" \
            --period 2024-12 --out "$W/speed-bulletin-docx" >>"$W/.gx"
    fi
    i=$((i + 1))
done
row "bulletin: text, workbooks, 6 charts x 3, html" "$(median <"$W/.gb")ms" "" ""
[ -n "$docx" ] && row "the same with --docx (pandoc, LibreOffice PDF)" \
    "$(median <"$W/.gx")ms" "" ""
echo "   outputs: $(ls "$W/speed-bulletin" "$W/speed-bulletin/charts" | grep -c '\.')" \
    "files; PNG bytes: $(cat "$W"/speed-bulletin/charts/*.png | wc -c)"
