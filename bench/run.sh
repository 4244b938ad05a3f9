#!/bin/sh
# SPDX-License-Identifier: MIT
# make bench: measure, print, assert nothing.
#
#   ingest  - the generated national half-year (~180 files, all shapes) into
#             a fresh store; peer: the sqlite3 shell importing the same rows
#             (already converted to UTF-8, no validation) into a bare table
#   query   - the widest and a typical query; peer: the sqlite3 shell running
#             the equivalent GROUP BY on the same store
#   bulletin- a full year at pooling-area grain (when gongji has 'bulletin')
#   review  - review and query --vintage on five years at pooling-area
#             grain, beside DuckDB (bench/review.sh)
#   speed   - five years of summary files ingested beside DuckDB and the
#             sqlite3 shell, six queries beside the sqlite3 shell, a detail
#             ingest beside aggregate, the bulletin with every output
#             (bench/speed.sh)
#
# Each figure is the median of several runs, wall clock, in milliseconds.
set -eu
BUILD=${1:-build}
TOP=$(cd "$(dirname "$0")/.." && pwd)
case "$BUILD" in /*) ;; *) BUILD="$TOP/$BUILD" ;; esac
G="$BUILD/gongji"
export GONGJI_DATA="$TOP/data" LC_ALL=C.UTF-8
W="$TOP/bench/work"
rm -rf "$W" && mkdir -p "$W"
RUNS=${RUNS:-7}

now_ms() { date +%s%N | cut -c1-13; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# time_cmd LABEL CMD... : print the median of RUNS runs
time_runs() {
    i=0
    while [ $i -lt "$RUNS" ]; do
        if [ -n "${SETUP:-}" ]; then eval "$SETUP"; fi
        t0=$(now_ms); "$@" >/dev/null 2>&1; t1=$(now_ms)
        echo $((t1 - t0))
        i=$((i + 1))
    done | median
}

echo "== generating the national half-year"
"$BUILD/tests/gen_halfyear" --seed 1 "$W/hy" >/dev/null
nfiles=$(ls "$W"/hy/in/*.csv | wc -l)
nrows=$(cat "$W"/hy/in/*.csv | wc -l)
nbytes=$(cat "$W"/hy/in/*.csv | wc -c)
echo "   $nfiles files, $((nrows - nfiles)) data rows, $nbytes bytes"

DB="$W/hy.db"
SETUP="rm -f '$DB' '$DB-wal' '$DB-shm'"
ingest_ms=$(time_runs "$G" ingest --quiet --db "$DB" "$W"/hy/in/*.csv)
"$G" ingest --quiet --db "$DB" "$W"/hy/in/*.csv 2>/dev/null || true

# peer: the same rows as one UTF-8 CSV, imported by the sqlite3 shell
mkdir -p "$W/utf8"
for f in "$W"/hy/in/*.csv; do
    if iconv -f UTF-8 -t UTF-8 "$f" >/dev/null 2>&1; then
        sed '1s/^\xEF\xBB\xBF//' "$f"
    else
        iconv -f GB18030 -t UTF-8 "$f"
    fi | tr -d '\r' | tail -n +2
done > "$W/utf8/all.csv"
PEERDB="$W/peer.db"
cat > "$W/peer.sql" <<SQL
CREATE TABLE t(a,b,c,d,e,f,g,h);
.mode csv
.import $W/utf8/all.csv t
SQL
SETUP="rm -f '$PEERDB'"
peer_ingest_ms=$(time_runs sh -c "sqlite3 '$PEERDB' < '$W/peer.sql'")
SETUP=""

q_wide_ms=$(time_runs "$G" query --db "$DB" --period 2024-01..2024-06 \
    --by area,scope,use,relation --format csv)
q_prov_ms=$(time_runs "$G" query --db "$DB" --period 2024-01..2024-06 \
    --by province --format csv)
q_top_ms=$(time_runs "$G" query --db "$DB" --period 2024-01..2024-06 \
    --by province --where scope=cross_area --sort amount --top 5)
peer_wide_ms=$(time_runs sqlite3 "$DB" "SELECT area, scope, use, relation,
    sum(person_times), sum(amount_fen) FROM fact WHERE period BETWEEN
    '2024-01' AND '2024-06' GROUP BY 1, 2, 3, 4")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
echo
echo "== results (median of $RUNS runs, wall clock)"
printf '%-46s %8s %8s %8s\n' "" "gongji" "peer" "ratio"
printf '%-46s %6sms %6sms %8s\n' "ingest half-year (target < 1000 ms)" \
    "$ingest_ms" "$peer_ingest_ms" "$(ratio "$ingest_ms" "$peer_ingest_ms")"
printf '%-46s %6sms %6sms %8s\n' "query by area,scope,use,relation (< 50 ms)" \
    "$q_wide_ms" "$peer_wide_ms" "$(ratio "$q_wide_ms" "$peer_wide_ms")"
printf '%-46s %6sms\n' "query by province (< 50 ms)" "$q_prov_ms"
printf '%-46s %6sms\n' "query top 5 cross-area by amount (< 50 ms)" "$q_top_ms"
echo "(peer for ingest: sqlite3 .import of the same rows, pre-converted to"
echo " UTF-8, without validation; for query: sqlite3 GROUP BY on the store)"

if "$G" bulletin --help >/dev/null 2>&1; then
    echo
    echo "== bulletin for a full year at pooling-area grain"
    "$BUILD/tests/gen_halfyear" --seed 2 --months 12 "$W/year" >/dev/null
    YDB="$W/year.db"
    "$G" ingest --quiet --db "$YDB" "$W"/year/in/*.csv
    b_ms=$(time_runs "$G" bulletin --quiet --no-charts --db "$YDB" \
        --period 2024-12 --out "$W/bulletin")
    printf '%-46s %6sms\n' "bulletin 2024-12, no charts (< 500 ms)" "$b_ms"
    if command -v gnuplot >/dev/null 2>&1; then
        RUNS=3
        bc_ms=$(time_runs "$G" bulletin --quiet --db "$YDB" --period 2024-12 \
            --out "$W/bulletin-charts")
        printf '%-46s %6sms\n' "bulletin 2024-12 with 6 charts x 3 formats (< 3000 ms)" "$bc_ms"
    fi
fi

echo
echo "== per-settlement detail: gongji aggregate vs DuckDB (bench/detail.sh)"
sh "$TOP/bench/detail.sh" "$BUILD"

echo
echo "== review and --vintage on five years at pooling-area grain vs DuckDB (bench/review.sh)"
sh "$TOP/bench/review.sh" "$BUILD"

echo
echo "== national scale: ingest, queries, detail ingest, bulletin vs peers (bench/speed.sh)"
sh "$TOP/bench/speed.sh" "$BUILD"

echo
echo "== an .xlsx of 1,000,000 detail rows: gongji vs openpyxl (bench/xlsx.sh)"
sh "$TOP/bench/xlsx.sh" "$BUILD"

echo
echo "== many one-row files: the overlap check (bench/many-files.sh)"
sh "$TOP/bench/many-files.sh" "$BUILD"
