#!/bin/sh
# make demo: ingest the bundled sample data into a fresh store and show
# what gongji answers.  Usage: scripts/demo.sh BUILD/gongji
set -eu
G=${1:-build/gongji}
TOP=$(cd "$(dirname "$0")/.." && pwd)
export GONGJI_DATA="$TOP/data"
OUT="$TOP/out"
DB="$OUT/demo.db"
mkdir -p "$OUT"
rm -f "$DB" "$DB-wal" "$DB-shm"

echo "== gongji ingest data/sample/*.csv"
"$G" ingest --db "$DB" "$TOP"/data/sample/*.csv | tail -n 2
echo
echo "== gongji query --period 2024-01..2024-09 --by province --top 5"
"$G" query --db "$DB" --period 2024-01..2024-09 --by province --top 5
echo
echo "== gongji query --period 2024-01..2024-09 --by scope"
"$G" query --db "$DB" --period 2024-01..2024-09 --by scope
echo
echo "store: $DB  (open it with: sqlite3 $DB)"
