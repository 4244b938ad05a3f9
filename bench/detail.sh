#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/detail.sh BUILD_DIR - per-settlement detail files (DESIGN §3b):
# `gongji aggregate` against DuckDB running the same GROUP BY over read_csv
# with 2 threads, on one generated file of 10 million rows (~1.2 GB).
#
# Both read the same file from the page cache (it is read once first), in
# alternating runs; each run's wall time and peak RSS (/usr/bin/time %M) are
# printed, then the medians, MB/s and the ratio.  Both results are written
# in the summary format and must agree byte for byte (so to the fen), and
# with the generator's own sums.  Targets: gongji at most half of DuckDB's
# wall time, peak RSS under 32 MiB.
#
# DuckDB is the npm package @duckdb/node-api (bench/package.json), installed
# here into bench/node_modules; nothing of it ships with gongji.  DuckDB's
# time is the query alone, measured inside node (the process also pays for
# starting node, shown separately): the comparison favours DuckDB.
#
# Environment: DETAIL_ROWS (default 10000000), RUNS (default 3),
# DUCKDB_THREADS (default 2), GONGJI_THREADS (default: all CPUs).
set -eu
BUILD=${1:-build}
TOP=$(cd "$(dirname "$0")/.." && pwd)
case "$BUILD" in /*) ;; *) BUILD="$TOP/$BUILD" ;; esac
G="$BUILD/gongji"
GEN="$BUILD/tests/gen_detail"
W="$TOP/bench/work"
ROWS=${DETAIL_ROWS:-10000000}
RUNS=${RUNS:-3}
DT=${DUCKDB_THREADS:-2}
export GONGJI_DATA="$TOP/data" LC_ALL=C.UTF-8
mkdir -p "$W"

[ -x "$G" ] && [ -x "$GEN" ] || {
    echo "bench/detail.sh: build first (make tools)" >&2
    exit 3
}

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then
        sudo "$@"; else return 1; fi
}

# Tools the measurement needs: /usr/bin/time (package time) and node/npm.
need=""
[ -x /usr/bin/time ] || need="$need time"
command -v node >/dev/null 2>&1 || need="$need nodejs"
command -v npm >/dev/null 2>&1 || need="$need npm"
if [ -n "$need" ]; then
    echo "== installing:$need"
    as_root apt-get update -qq >&2 &&
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends $need >&2 ||
        echo "bench/detail.sh: could not install$need" >&2
fi
TIMEF=""
[ -x /usr/bin/time ] && TIMEF=/usr/bin/time

F="$W/detail-$ROWS.csv"
EXP="$W/detail-$ROWS.expect.csv"
if [ ! -s "$F" ] || [ ! -s "$EXP" ]; then
    echo "== generating $ROWS detail rows"
    "$GEN" --seed 1 --rows "$ROWS" --expect "$EXP" "$F"
fi
BYTES=$(wc -c <"$F")
echo "   $F: $ROWS rows, $BYTES bytes"
cat "$F" >/dev/null # into the page cache

DUCK=""
if command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then
    if [ ! -d "$TOP/bench/node_modules/@duckdb/node-api" ]; then
        echo "== npm install --prefix bench (@duckdb/node-api)"
        npm install --prefix "$TOP/bench" --no-package-lock --no-audit \
            --no-fund --loglevel=error >&2 || true
    fi
    [ -d "$TOP/bench/node_modules/@duckdb/node-api" ] && DUCK=1
fi
[ -n "$DUCK" ] || echo "   (DuckDB unavailable: timing gongji alone)"

# The same aggregation in SQL: period, area, scope from the two areas,
# use and relation (Chinese names mapped to codes, empty relation =
# unspecified), a reversal (negative amount) = -1 person-time; written in
# the summary format, sorted by key in code-set order.
cat >"$W/duck.mjs" <<'EOF'
import { DuckDBInstance } from '@duckdb/node-api';
import { writeFileSync } from 'node:fs';
const [file, threads, out] = process.argv.slice(2);
const inst = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const con = await inst.connect();
const q = (s) => s.replace(/'/g, "''");
// Sum by the raw values first (10 million rows), map spellings to codes
// and format on the few thousand groups that remain: DuckDB's fastest way.
const sql = `
WITH raw AS (
  SELECT year(settle_time) * 100 + month(settle_time) AS ym,
    payer_area AS area,
    CASE WHEN payer_area = beneficiary_area THEN 0
         WHEN payer_area // 10000 = beneficiary_area // 10000 THEN 1
         ELSE 2 END AS sc,
    use, relation,
    sum(CASE WHEN amount < 0 THEN -1 ELSE 1 END) AS pt, sum(amount) AS amt
  FROM read_csv('${q(file)}', header = true, quote = '"', escape = '"',
    thousands = ',',
    columns = {'settlement_id': 'VARCHAR', 'settle_time': 'TIMESTAMP',
               'payer_area': 'INTEGER', 'beneficiary_area': 'INTEGER',
               'use': 'VARCHAR', 'relation': 'VARCHAR',
               'amount': 'DECIMAL(18,2)', 'payer_id': 'VARCHAR',
               'beneficiary_id': 'VARCHAR'})
  GROUP BY ALL),
coded AS (
  SELECT ym, area, sc,
    CASE trim(use) WHEN '定点医疗机构' THEN 'medical' WHEN '定点零售药店' THEN 'pharmacy'
      WHEN '参加居民医保等个人缴费' THEN 'premium' WHEN '其他' THEN 'other'
      ELSE trim(use) END AS use,
    CASE coalesce(trim(relation), '') WHEN '' THEN 'unspecified' WHEN '配偶' THEN 'spouse'
      WHEN '父母' THEN 'parent' WHEN '子女' THEN 'child' WHEN '兄弟姐妹' THEN 'sibling'
      WHEN '祖父母/外祖父母' THEN 'grandparent' WHEN '孙子女/外孙子女' THEN 'grandchild'
      WHEN '未区分' THEN 'unspecified' ELSE trim(relation) END AS relation,
    pt, amt
  FROM raw)
SELECT printf('%d-%02d', ym // 100, ym % 100) || ',' || area || ','
       || ['same_area', 'cross_area', 'cross_province'][sc + 1] || ','
       || use || ',' || relation || ',' || sum(pt) || ','
       || CAST(sum(amt) AS DECIMAL(38,2)) AS line
FROM coded GROUP BY ym, area, sc, use, relation
ORDER BY ym, area, sc,
  list_position(['medical','pharmacy','premium','other'], use),
  list_position(['spouse','parent','child','sibling','grandparent',
                 'grandchild','unspecified'], relation)`;
const t0 = performance.now();
const reader = await con.runAndReadAll(sql);
const rows = reader.getRows();
const t1 = performance.now();
writeFileSync(out, 'period,area,scope,use,relation,person_times,amount\n' +
  rows.map((r) => String(r[0]) + '\n').join(''));
process.stderr.write(`query_ms ${(t1 - t0).toFixed(0)}\n`);
EOF

now_ms() { date +%s%N | cut -c1-13; }

# run_timed OUT ERR CMD...: wall ms and peak KB into $ms and $kb
run_timed() {
    _o=$1 _e=$2
    shift 2
    t0=$(now_ms)
    if [ -n "$TIMEF" ]; then
        "$TIMEF" -f '%M' -o "$W/.rss" "$@" >"$_o" 2>"$_e"
    else
        "$@" >"$_o" 2>"$_e"
    fi
    t1=$(now_ms)
    ms=$((t1 - t0))
    kb=$(cat "$W/.rss" 2>/dev/null || echo 0)
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mbs() { awk -v b="$BYTES" -v ms="$1" 'BEGIN { if (ms > 0) printf "%.0f", b / 1e6 / (ms / 1e3); else print "-" }'; }

GJ_ARGS=""
[ -n "${GONGJI_THREADS:-}" ] && GJ_ARGS="--threads $GONGJI_THREADS"
echo "== $RUNS alternating runs (gongji aggregate $GJ_ARGS | DuckDB, $DT threads)"
: >"$W/.g.ms"
: >"$W/.g.kb"
: >"$W/.d.ms"
: >"$W/.d.kb"
: >"$W/.d.wall"
i=1
while [ $i -le "$RUNS" ]; do
    # shellcheck disable=SC2086
    run_timed "$W/gongji.out" "$W/gongji.err" "$G" aggregate --quiet $GJ_ARGS "$F" || {
        cat "$W/gongji.err" >&2
        echo "bench/detail.sh: gongji aggregate failed" >&2
        exit 1
    }
    echo "$ms" >>"$W/.g.ms"
    echo "$kb" >>"$W/.g.kb"
    line="   run $i: gongji $ms ms, $((kb / 1024)) MiB"
    if [ -n "$DUCK" ]; then
        run_timed /dev/null "$W/duck.err" node "$W/duck.mjs" "$F" "$DT" "$W/duckdb.out" || {
            cat "$W/duck.err" >&2
            echo "bench/detail.sh: DuckDB failed" >&2
            exit 1
        }
        q=$(awk '/^query_ms/ {print $2}' "$W/duck.err")
        echo "$q" >>"$W/.d.ms"
        echo "$kb" >>"$W/.d.kb"
        echo "$ms" >>"$W/.d.wall"
        line="$line | DuckDB query $q ms (node process $ms ms), $((kb / 1024)) MiB"
    fi
    echo "$line"
    i=$((i + 1))
done

ok=1
if cmp -s "$W/gongji.out" "$EXP"; then
    echo "   gongji = the generator's own sums (byte for byte)"
else
    echo "   MISMATCH: gongji differs from the generator's sums"
    ok=0
fi
# totals FILE: person-times and yuan (fen summed as integers; exact in a
# double up to 2^53)
totals() {
    awk -F, 'NR > 1 { p += $6; a = $7; sub(/\./, "", a); f += a }
        END { s = f < 0 ? "-" : ""; f = f < 0 ? -f : f
              printf "%.0f person-times, %s%.0f.%02d yuan", p, s, (f - f % 100) / 100, f % 100 }' "$1"
}
echo "   gongji totals: $(totals "$W/gongji.out")"
if [ -n "$DUCK" ]; then
    echo "   DuckDB totals: $(totals "$W/duckdb.out")"
    if cmp -s "$W/gongji.out" "$W/duckdb.out"; then
        echo "   gongji and DuckDB agree on all $(($(wc -l <"$W/gongji.out") - 1)) cells, to the fen"
    else
        echo "   MISMATCH: gongji and DuckDB differ:"
        diff "$W/duckdb.out" "$W/gongji.out" | head -n 6
        ok=0
    fi
fi

g_ms=$(median <"$W/.g.ms")
g_kb=$(sort -n "$W/.g.kb" | tail -n 1)
echo
echo "== detail aggregation, $ROWS rows, $((BYTES / 1000000)) MB (median of $RUNS)"
printf '   %-8s %8s ms %6s MB/s %6s MiB peak RSS\n' gongji "$g_ms" "$(mbs "$g_ms")" "$((g_kb / 1024))"
if [ -n "$DUCK" ]; then
    d_ms=$(median <"$W/.d.ms")
    d_wall=$(median <"$W/.d.wall")
    d_kb=$(sort -n "$W/.d.kb" | tail -n 1)
    printf '   %-8s %8s ms %6s MB/s %6s MiB peak RSS (query only; node process %s ms)\n' \
        DuckDB "$d_ms" "$(mbs "$d_ms")" "$((d_kb / 1024))" "$d_wall"
    ratio=$(awk -v a="$g_ms" -v b="$d_ms" 'BEGIN { printf "%.2f", a / b }')
    echo "   ratio gongji/DuckDB wall time: $ratio (target <= 0.50)"
    awk -v r="$ratio" 'BEGIN { exit !(r <= 0.5) }' ||
        echo "   NOT MET: gongji is not at most half of DuckDB's time"
fi
[ "$g_kb" -lt 32768 ] || echo "   NOT MET: gongji peak RSS is not under 32 MiB"
[ $ok = 1 ] || exit 1
