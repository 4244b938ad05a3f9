#!/bin/sh
# SPDX-License-Identifier: MIT
# make demo: the main job on the bundled sample data - ingest data/sample/'s
# arrival batches (data/sample/README.md) into a fresh store, one run per
# batch in date order as they reached the national office, show a few
# answers, and write two bulletins: 2024年1-9月 into out/2024-09/ and the
# latest release, 2025年1-12月, into out/2025-12/.
# Usage: scripts/demo.sh BUILD/gongji
set -eu
G=${1:-build/gongji}
TOP=$(cd "$(dirname "$0")/.." && pwd)
export GONGJI_DATA="$TOP/data"
SAMPLE="$TOP/data/sample"
OUT="$TOP/out"
DB="$OUT/demo.db"
mkdir -p "$OUT"
rm -f "$DB" "$DB-wal" "$DB-shm"
LOG=$(mktemp) && trap 'rm -f "$LOG" "$LOG.err"' EXIT

# A later batch may resubmit a province-month of an earlier one (a
# quarterly province's whole quarter after its quarter so far, or a
# restatement): one run must not hold both, so each batch is its own run.
nb=$(ls -d "$SAMPLE"/20??-??-??/ | wc -l)
nf=$(ls "$SAMPLE"/20??-??-??/*.csv | wc -l)
echo "== gongji ingest, one run per arrival batch in date order: $nb batches ($nf files)"
for d in "$SAMPLE"/20??-??-??/; do
    "$G" ingest --db "$DB" "$d"*.csv >"$LOG" 2>"$LOG.err" || {
        cat "$LOG.err" >&2
        exit 1
    }
    # one line per batch from ingest's output: the "changed" line of each
    # province-month it replaces (stdout) and its summary line (stderr);
    # anything else on stderr (a warning) is shown as it is
    awk -v b="$(basename "$d")" -v n="$(ls "$d"*.csv | wc -l)" '
        /^  changed / {
            r++
            for (i = 1; i < NF; i++)
                if ($i == "amount")
                    a += $(i + 1)
        }
        /^gongji ingest: / { st = $3; rows = substr($6, 2); un = $8; next }
        FILENAME != out { print > "/dev/stderr" }
        END {
            printf "   %s  %2d files, %5d rows: %d stored", b, n, rows, st
            if (un)
                printf ", %d unchanged", un
            if (r)
                printf "; replaces %d province-months, amount %+.2f万元",
                    r, a / 10000
            print ""
        }' out="$LOG" "$LOG" "$LOG.err"
done
echo "   (a quarter replaces the quarter so far; restatements: data/sample/README.md)"
"$G" submissions --db "$DB" | head -n 4
echo "   ..."
echo
echo "== gongji query --period 2024-01..2024-09 --by scope"
"$G" query --db "$DB" --period 2024-01..2024-09 --by scope
echo
echo "== gongji query --period 2024-01..2024-09 --by province --sort amount --top 5"
"$G" query --db "$DB" --period 2024-01..2024-09 --by province --sort amount --top 5
echo
echo "== gongji query --period 2025-01..2025-12 --by channel,scope"
"$G" query --db "$DB" --period 2025-01..2025-12 --by channel,scope
echo

# bulletin PERIOD AS-OF: write it into out/PERIOD/ and show its text (no
# headings, no blank lines, at most 25 lines).
bulletin() {
    echo "== gongji bulletin --period $1 --as-of $2"
    "$G" bulletin --db "$DB" --period "$1" --as-of "$2" --out "$OUT/$1" --docx
    echo
    grep -v '^$' "$OUT/$1/bulletin.md" | grep -v '^#' | head -n 25
    echo
}
# The policy coverage published with the 1-9月 figures is as of 2024-10-20;
# the 2025年1-12月 release came out at the end of January 2026.
bulletin 2024-09 2024-10-20
bulletin 2025-12 2026-01-30
echo "== gongji releases   (each bulletin is recorded with its figures)"
"$G" releases --db "$DB" | tail -n 4
echo
echo "The bulletins, workbooks and charts are in $OUT/2024-09/ and $OUT/2025-12/"
echo "The store is $DB (open it with: sqlite3 $DB)"
