#!/bin/sh
# SPDX-License-Identifier: MIT
# make demo: the main job on the bundled sample data - ingest data/sample/
# into a fresh store, write the 2024-09 bulletin into out/2024-09/, and show
# a few answers.  Usage: scripts/demo.sh BUILD/gongji
set -eu
G=${1:-build/gongji}
TOP=$(cd "$(dirname "$0")/.." && pwd)
export GONGJI_DATA="$TOP/data"
OUT="$TOP/out"
DB="$OUT/demo.db"
mkdir -p "$OUT"
rm -f "$DB" "$DB-wal" "$DB-shm"

echo "== gongji ingest data/sample/*.csv  ($(ls "$TOP"/data/sample/*.csv | wc -l) files)"
"$G" ingest --quiet --db "$DB" "$TOP"/data/sample/*.csv
"$G" submissions --db "$DB" | head -n 4
echo "   ..."
echo
echo "== gongji query --period 2024-01..2024-09 --by scope"
"$G" query --db "$DB" --period 2024-01..2024-09 --by scope
echo
echo "== gongji query --period 2024-01..2024-09 --by province --sort amount --top 5"
"$G" query --db "$DB" --period 2024-01..2024-09 --by province --sort amount --top 5
echo
# The policy coverage published with the 1-9月 figures is as of 2024-10-20.
echo "== gongji bulletin --period 2024-09 --as-of 2024-10-20"
"$G" bulletin --db "$DB" --period 2024-09 --as-of 2024-10-20 --out "$OUT/2024-09"
echo
sed -n '/二、共济总体情况/,/各省份详细情况/p' "$OUT/2024-09/bulletin.md" | grep -v '^$' | grep -v '^#'
echo
echo "The bulletin, workbook and charts are in $OUT/2024-09/"
echo "The store is $DB (open it with: sqlite3 $DB)"
