#!/bin/sh
# SPDX-License-Identifier: MIT
# bench/review.sh BUILD_DIR - `gongji review` and `gongji query --vintage`
# on a five-year national store at pooling-area grain (issue 12, "Speed"),
# each beside the same computation done by DuckDB on the same data.
#
# The store: build/tests/gen_years writes 2021-01..2025-12 for every area
# of data/areas.csv, every scope x use x relation (1,940,400 flows), one
# file per province and month, and resubmissions of earlier months every
# sixth month (fact_history holds the replaced facts); every batch is
# ingested by the real binary with SOURCE_DATE_EPOCH set to its day.
#
# DuckDB (npm @duckdb/node-api, bench/package.json, as bench/detail.sh)
# has no SQLite reader offline (its sqlite extension is a download), so
# fact and fact_history are exported once with the sqlite3 shell and
# loaded into a DuckDB database file, outside the timing.  DuckDB's time
# is the query alone, measured inside node (the node process and the
# opening of the database are not counted): the comparison favours DuckDB.
#
#   review   gongji review --period 2025-12 --format csv (all of it: the
#            query, completeness, arithmetic, per-series robust statistics
#            for each month of the period).  DuckDB: the same grouping
#            (period, area, channel, scope, use), the series (all, per
#            channel, per use; areas and provinces), log changes against
#            the month before and the year before, and median() and mad()
#            of each series' changes: one median and MAD per series and
#            measure where review computes one per month of the period,
#            so DuckDB does less.
#   vintage  gongji query --vintage 2023-07-31 over 2021-01..2023-06 by
#            province, by period,province, and one province by period;
#            DuckDB: the same UNION ALL of fact (submission_id <= V) and
#            fact_history (replaced_by > V, submission_id <= V), GROUP BY.
#            The answers must agree to the fen (FAIL otherwise; the script
#            still exits 0: make bench asserts nothing).  The same query
#            without --vintage is timed too, for the cost of the vintage.
#
# Each figure is the median of RUNS (default 5) alternating runs, wall
# clock, in milliseconds.  Environment: RUNS, DUCKDB_THREADS (default 2).
set -eu
BUILD=${1:-build}
TOP=$(cd "$(dirname "$0")/.." && pwd)
case "$BUILD" in /*) ;; *) BUILD="$TOP/$BUILD" ;; esac
G="$BUILD/gongji"
GEN="$BUILD/tests/gen_years"
W="$TOP/bench/work"
RUNS=${RUNS:-5}
DT=${DUCKDB_THREADS:-2}
export GONGJI_DATA="$TOP/data" LC_ALL=C.UTF-8
mkdir -p "$W"

[ -x "$G" ] && [ -x "$GEN" ] || {
    echo "bench/review.sh: build first (make tools)" >&2
    exit 3
}

DB="$W/years.db"
if [ ! -s "$DB" ] || [ "$GEN" -nt "$DB" ]; then
    echo "== generating and ingesting five years at pooling-area grain"
    rm -rf "$W/years" "$DB" "$DB-wal" "$DB-shm" "$W/years.duckdb"
    "$GEN" --seed 1 --first-year 2021 --years 5 "$W/years"
    for d in "$W"/years/b*/; do
        e=${d%/}
        e=${e##*-}
        SOURCE_DATE_EPOCH=$e "$G" ingest --quiet --db "$DB" "$d"*.csv
    done
fi
flows=$(sqlite3 "$DB" "SELECT count(*) FROM fact")
hist=$(sqlite3 "$DB" "SELECT count(*) FROM fact_history")
subs=$(sqlite3 "$DB" "SELECT count(*) FROM submission")
echo "   $DB: $flows flows in effect, $hist replaced, $subs submissions"

VTIME=2023-07-31
V=$(sqlite3 "$DB" "SELECT max(id) FROM submission WHERE ingested_at <= '${VTIME}T23:59:59Z'")
VPER=2021-01..2023-06
# one province whose figures in VPER were revised after the vintage
ONE=$(sqlite3 "$DB" "SELECT min(province) FROM fact_history WHERE
    replaced_by > $V AND submission_id <= $V AND period BETWEEN
    '${VPER%..*}' AND '${VPER#*..}'")
[ -n "$ONE" ] || ONE=330000

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

# The peer's script lives beside node_modules, so that the import finds it.
JS="$TOP/bench/.review-duck.mjs"
cat >"$JS" <<'EOF'
import { DuckDBInstance } from '@duckdb/node-api';
import { writeFileSync } from 'node:fs';
const [mode, dbfile, threads, ...rest] = process.argv.slice(2);
const inst = await DuckDBInstance.create(dbfile, { threads: String(threads) });
const con = await inst.connect();
if (mode === 'load') {
  const [fact, hist] = rest;
  const cols = `columns = {'period': 'VARCHAR', 'province': 'INTEGER',
    'area': 'INTEGER', 'channel': 'VARCHAR', 'scope': 'VARCHAR',
    'use': 'VARCHAR', 'relation': 'VARCHAR', 'person_times': 'BIGINT',
    'amount_fen': 'BIGINT', 'submission_id': 'BIGINT'`;
  await con.run(`CREATE OR REPLACE TABLE fact AS SELECT * FROM read_csv('${fact}',
    header = false, ${cols}})`);
  await con.run(`CREATE OR REPLACE TABLE fact_history AS SELECT * FROM
    read_csv('${hist}', header = false, ${cols}, 'replaced_by': 'BIGINT'})`);
  process.exit(0);
}
const [name, out, v, first, last, last_review, one] = rest;
const yuan = (c) => `printf('%d.%02d', ${c} // 100, ${c} % 100)`;
const vsrc = `(SELECT period, province, area, channel, scope, use, relation,
    person_times, amount_fen FROM fact WHERE submission_id <= ${v}
  UNION ALL SELECT period, province, area, channel, scope, use, relation,
    person_times, amount_fen FROM fact_history
  WHERE replaced_by > ${v} AND submission_id <= ${v})`;
const per = `period BETWEEN '${first}' AND '${last}'`;
const sql = {
  vprov: `SELECT province || ',' || sum(person_times) || ',' || ${yuan('sum(amount_fen)')}
    FROM ${vsrc} WHERE ${per} GROUP BY province ORDER BY province`,
  vperprov: `SELECT period || ',' || province || ',' || sum(person_times) || ','
    || ${yuan('sum(amount_fen)')} FROM ${vsrc} WHERE ${per}
    GROUP BY period, province ORDER BY period, province`,
  vone: `SELECT period || ',' || sum(person_times) || ',' || ${yuan('sum(amount_fen)')}
    FROM ${vsrc} WHERE ${per} AND province = ${one} GROUP BY period ORDER BY period`,
  review: `WITH c AS (
    SELECT period, area, channel, use, sum(person_times) AS pt,
      sum(amount_fen) AS fen
    FROM fact WHERE period <= '${last_review}' GROUP BY period, area, channel, scope, use),
  s AS (
    SELECT period, reg, sl, sum(pt) AS pt, sum(fen) AS fen
    FROM (SELECT period, reg, pt, fen,
            unnest(['all', 'ch:' || channel, 'use:' || use]) AS sl
          FROM (SELECT period, channel, use, pt, fen,
                  unnest([area, area // 10000 * 10000]) AS reg FROM c))
    GROUP BY ALL),
  l AS (
    SELECT reg, sl,
      ln(pt / lag(pt) OVER w) AS m_pt, ln(fen / lag(fen) OVER w) AS m_fen,
      ln(pt / lag(pt, 12) OVER w) AS y_pt, ln(fen / lag(fen, 12) OVER w) AS y_fen
    FROM s WINDOW w AS (PARTITION BY reg, sl ORDER BY period))
  SELECT reg || ',' || sl || ',' || median(m_pt) || ',' || mad(m_pt) || ','
    || median(m_fen) || ',' || mad(m_fen) || ',' || median(y_pt) || ','
    || mad(y_pt) || ',' || median(y_fen) || ',' || mad(y_fen)
  FROM l GROUP BY reg, sl ORDER BY reg, sl`,
}[name];
const head = {
  vprov: 'province,person_times,amount', vperprov: 'period,province,person_times,amount',
  vone: 'period,person_times,amount',
  review: 'region,series,median_mom_pt,mad_mom_pt,median_mom_amount,mad_mom_amount,median_yoy_pt,mad_yoy_pt,median_yoy_amount,mad_yoy_amount',
}[name];
const t0 = performance.now();
const rows = (await con.runAndReadAll(sql)).getRows();
const t1 = performance.now();
writeFileSync(out, head + '\n' + rows.map((r) => String(r[0]) + '\n').join(''));
process.stderr.write(`query_ms ${(t1 - t0).toFixed(0)}\n`);
EOF

DDB="$W/years.duckdb"
if [ -n "$DUCK" ] && { [ ! -s "$DDB" ] || [ "$DB" -nt "$DDB" ]; }; then
    echo "== exporting fact and fact_history for DuckDB (not timed)"
    rm -f "$DDB" "$DDB.wal"
    sqlite3 -csv "$DB" "SELECT period, province, area, channel, scope, use,
        relation, person_times, amount_fen, submission_id FROM fact" >"$W/fact.csv"
    sqlite3 -csv "$DB" "SELECT period, province, area, channel, scope, use,
        relation, person_times, amount_fen, submission_id, replaced_by
        FROM fact_history" >"$W/fact_history.csv"
    node "$JS" load "$DDB" "$DT" "$W/fact.csv" "$W/fact_history.csv"
    rm -f "$W/fact.csv" "$W/fact_history.csv"
fi

now_ms() { date +%s%N | cut -c1-13; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

# bench NAME DUCKNAME GONGJI-ARGS...: RUNS alternating runs; sets g_ms, d_ms
bench() {
    _n=$1 _d=$2
    shift 2
    : >"$W/.g.ms"
    : >"$W/.d.ms"
    i=0
    while [ $i -lt "$RUNS" ]; do
        t0=$(now_ms)
        "$G" "$@" >"$W/$_n.gongji.csv" 2>"$W/$_n.gongji.err" || true
        t1=$(now_ms)
        echo $((t1 - t0)) >>"$W/.g.ms"
        if [ -n "$DUCK" ] && [ "$_d" != - ]; then
            node "$JS" run "$DDB" "$DT" "$_d" "$W/$_n.duckdb.csv" "$V" \
                "${VPER%..*}" "${VPER#*..}" 2025-12 "$ONE" 2>"$W/$_n.duck.err" || {
                cat "$W/$_n.duck.err" >&2
                echo "bench/review.sh: DuckDB failed" >&2
                exit 1
            }
            awk '/^query_ms/ {print $2}' "$W/$_n.duck.err" >>"$W/.d.ms"
        fi
        i=$((i + 1))
    done
    g_ms=$(median <"$W/.g.ms")
    d_ms=$(median <"$W/.d.ms")
}

row() { # LABEL: one line of the table from g_ms, d_ms
    _d=-
    [ -z "${d_ms:-}" ] || _d="${d_ms}ms"
    printf '%-50s %7sms %9s %6s %9s\n' "$1" "$g_ms" "$_d" \
        "$(ratio "$g_ms" "${d_ms:-0}")" "$flows"
}

echo "== $RUNS alternating runs each (DuckDB: $DT threads, query time only)"
out="$W/.review.table"
{
    printf '%-50s %9s %9s %6s %9s\n' "" gongji DuckDB ratio flows
    bench review review review --db "$DB" --period 2025-12 --format csv
    row "review --period 2025-12 (< 1000 ms, <= 2x)"
    for shape in vprov:"--by province" vperprov:"--by period,province" \
        vone:"--where province=$ONE --by period"; do
        n=${shape%%:*}
        # shellcheck disable=SC2086
        bench "$n" "$n" query --db "$DB" --period "$VPER" ${shape#*:} \
            --vintage "$VTIME" --format csv
        row "query --vintage ${shape#*:}"
        if [ -n "$DUCK" ]; then
            if cmp -s "$W/$n.gongji.csv" "$W/$n.duckdb.csv"; then
                echo "    = DuckDB, $(($(wc -l <"$W/$n.gongji.csv") - 1)) rows to the fen"
            else
                echo "    FAIL: gongji and DuckDB differ:"
                diff "$W/$n.duckdb.csv" "$W/$n.gongji.csv" | head -n 6 | sed 's/^/    /'
            fi
        fi
        cp "$W/$n.gongji.csv" "$W/$n.vintage.csv"
        d_ms=""
        # shellcheck disable=SC2086
        bench "$n.now" - query --db "$DB" --period "$VPER" ${shape#*:} --format csv
        row "  the same without --vintage"
        if cmp -s "$W/$n.vintage.csv" "$W/$n.now.gongji.csv"; then
            echo "    (the same answer as today: the vintage changed nothing)"
        fi
    done
} | tee "$out"
echo "(vintage $VTIME = submissions up to #$V; DuckDB does one median and MAD"
echo " per series where review does one per month of the period: it does less)"
