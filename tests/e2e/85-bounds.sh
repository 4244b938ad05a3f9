#!/bin/sh
# SPDX-License-Identifier: MIT
# Bounded memory and time, whatever the input: a detail file with too many
# distinct (month, payer_area) pairs is rejected at the row that crosses the
# budget (not run out of memory); a summary file, read whole, has a size
# limit (GONGJI_SUMMARY_MAX); /dev/zero, `yes`, an endless line fail fast;
# endless detail rows stream in bounded memory; the overlap check between
# the files of one run grows like n log n, with the messages in file order.
#
# The memory-hungry runs are under `ulimit -v` (so a regression fails
# instead of eating the machine) and `timeout`; AddressSanitizer reserves
# terabytes of address space, so under it the ulimit is left out.
. "$(dirname "$0")/lib.sh"

VMEM=700000 # KiB: the 2-thread budget needs ~300 MB, the old code ~1 GB
if ldd "$GONGJI" 2>/dev/null | grep -q 'libasan\|libtsan'; then
    VMEM=unlimited
fi
# bounded SECONDS CMD...: CMD with at most VMEM KiB of address space.
bounded() {
    _s=$1
    shift
    (
        ulimit -v "$VMEM" || exit 99
        exec timeout "$_s" "$@"
    )
}

HDR=settlement_id,settle_time,payer_area,beneficiary_area,use,relation,amount,payer_id,beneficiary_id
# keys N: a detail file of N rows, each its own (month, payer_area) pair:
# the 385 known areas, month after month from 2000-01.
keys() {
    awk -F, -v keys="$1" -v hdr="$HDR" 'BEGIN { n = 0 }
    NR > 1 { code[n++] = $1 }
    END {
        print hdr
        for (i = 0; i < keys; i++) {
            a = i % n; m = int(i / n) % 1200
            printf "S%d,%04d-%02d-15 10:00:00,%s,%s,medical,spouse,1.00,%s,%s\n",
                i, 2000 + int(m / 12), m % 12 + 1, code[a], code[a],
                "x1", "x2"
        }
    }' "$GONGJI_DATA/areas.csv"
}

note "key budget: 65,536 (month, payer_area) pairs are fine"
keys 65536 >"$T/k65536.csv"
run k1 "$GONGJI" aggregate --threads 2 "$T/k65536.csv"
expect_rc k1 0
[ "$(wc -l <"$T/k1.out")" = 65537 ] ||
    bad "65,536 pairs: $(wc -l <"$T/k1.out") lines of output, expected 65537"

note "key budget: one more is an error at its row, whatever the threads"
keys 65537 >"$T/k65537.csv"
WANT="$T/k65537.csv:65538:3: error: more than 65536 distinct (month, payer_area) pairs: (2014-03, 320400) is one too many; is payer_area really a pooling-area code? (ten years of every pooling area fit; split a longer file by year) [column C 'payer_area']"
for t in 1 2 3; do
    run k2 "$GONGJI" aggregate --threads "$t" "$T/k65537.csv"
    expect_rc k2 1
    [ "$(head -n 1 "$T/k2.err")" = "$WANT" ] ||
        bad "65,537 pairs, $t thread(s): $(head -n 1 "$T/k2.err")"
done
run k3 "$GONGJI" check "$T/k65537.csv"
expect_rc k3 1
grep -qxF "$WANT" "$T/k3.err" || bad "check: $(head -n 1 "$T/k3.err")"

note "key budget: 300,000 pairs (~1 GB before) in bounded memory"
keys 300000 >"$T/k300k.csv"
sed "s|k65537.csv|k300k.csv|" >"$T/want300" <<EOF
$WANT
EOF
run k4 bounded 60 "$GONGJI" aggregate --threads 2 "$T/k300k.csv"
expect_rc k4 1
head -n 1 "$T/k4.err" | cmp -s - "$T/want300" ||
    bad "300,000 pairs: $(head -n 1 "$T/k4.err")"
rm -f "$T"/k*.csv

note "a summary file has a size limit: endless 'yes' on stdin"
yes | bounded 60 "$GONGJI" ingest --db "$T/y.db" - >"$T/y.out" 2>"$T/y.err"
rc=$?
expect_rc y 1
grep -qF '<stdin>: error: a summary file of more than 256 MiB: is it really one? (the limit is GONGJI_SUMMARY_MAX' "$T/y.err" ||
    bad "yes | ingest -: $(head -n 1 "$T/y.err")"
[ ! -e "$T/y.db" ] || bad "yes | ingest -: a store was created"

note "GONGJI_SUMMARY_MAX: the limit, named in the message, for a file too"
# the sample's batches up to 2024-09-15 (no province-month twice, so one
# run takes them): about 2 MB
"$GONGJI" aggregate "$SAMPLE"/2024-0*/*.csv >"$T/bj.csv" 2>"$T/bj.err" ||
    fail "aggregate data/sample/2024-0*: $(head -n 3 "$T/bj.err")"
size=$(wc -c <"$T/bj.csv")
run s1 env GONGJI_SUMMARY_MAX=$((size - 1)) "$GONGJI" check "$T/bj.csv"
expect_rc s1 1
grep -qxF "$T/bj.csv: error: a summary file of more than $((size - 1)) bytes: is it really one? (the limit is GONGJI_SUMMARY_MAX; per-settlement detail files have no limit)" "$T/s1.err" ||
    bad "limit size-1: $(head -n 1 "$T/s1.err")"
run s2 env GONGJI_SUMMARY_MAX=$size "$GONGJI" check "$T/bj.csv"
expect_rc s2 0
run s3 env GONGJI_SUMMARY_MAX=1K "$GONGJI" aggregate - <"$T/bj.csv"
expect_rc s3 1
grep -qF '<stdin>: error: a summary file of more than 1024 bytes' "$T/s3.err" ||
    bad "1K: $(head -n 1 "$T/s3.err")"
for v in 1X 0 -5 K 99999999999999999999999 "1 M"; do
    run s4 env GONGJI_SUMMARY_MAX="$v" "$GONGJI" check "$T/bj.csv"
    expect_rc s4 2
    grep -qF "GONGJI_SUMMARY_MAX '$v' is not a size" "$T/s4.err" ||
        bad "GONGJI_SUMMARY_MAX='$v': $(cat "$T/s4.err")"
done
run s5 env GONGJI_SUMMARY_MAX=4M "$GONGJI" check "$T/bj.csv"
expect_rc s5 0

note "/dev/zero fails at once, by name and piped"
run z1 bounded 10 "$GONGJI" check /dev/zero
expect_rc z1 1
grep -qxF '/dev/zero:1: error: a NUL byte at offset 0: this is not a text file (UTF-16 without a byte order mark?)' "$T/z1.err" ||
    bad "check /dev/zero: $(head -n 1 "$T/z1.err")"
bounded 10 "$GONGJI" aggregate - </dev/zero >"$T/z2.out" 2>"$T/z2.err"
rc=$?
expect_rc z2 1
head -c 1000000000 /dev/zero | bounded 10 "$GONGJI" ingest --db "$T/z.db" - \
    >"$T/z3.out" 2>"$T/z3.err"
rc=$?
expect_rc z3 1
grep -qF '<stdin>:1: error: a NUL byte at offset 0' "$T/z3.err" ||
    bad "head -c | ingest -: $(head -n 1 "$T/z3.err")"

note "a NUL deep in a summary: the same message, at the same offset"
head -c 100000 "$T/bj.csv" >"$T/nul.csv"
printf '\000' >>"$T/nul.csv"
tail -c +100001 "$T/bj.csv" >>"$T/nul.csv"
line=$(head -c 100000 "$T/bj.csv" | wc -l)
run n1 "$GONGJI" check "$T/nul.csv"
expect_rc n1 1
grep -qxF "$T/nul.csv:$((line + 1)): error: a NUL byte at offset 100000: this is not a text file (UTF-16 without a byte order mark?)" "$T/n1.err" ||
    bad "NUL at 100000: $(head -n 1 "$T/n1.err")"

note "detail: endless rows stream in bounded memory, an endless line is cut"
ROW="S1,2024-01-15 10:00:00,110100,110100,medical,spouse,1.00,x1,x2"
{
    echo "$HDR"
    yes "$ROW" | head -n 1000000
} | bounded 120 "$GONGJI" check - >"$T/d1.out" 2>"$T/d1.err"
rc=$?
expect_rc d1 0
{
    echo "$HDR"
    echo "$ROW"
    tr '\000' a </dev/zero
} | bounded 20 "$GONGJI" check - >"$T/d2.out" 2>"$T/d2.err"
rc=$?
expect_rc d2 1
grep -qxF '<stdin>:3: error: record that began on this line is longer than 1048576 bytes: is a quote never closed?' "$T/d2.err" ||
    bad "endless line: $(head -n 1 "$T/d2.err")"
{
    echo "$HDR"
    printf 'S1,"'
    yes
} | bounded 20 "$GONGJI" aggregate - >"$T/d3.out" 2>"$T/d3.err"
rc=$?
expect_rc d3 1

note "overlaps: one message per earlier file still valid, in file order"
SH=period,area,area_name,scope,use,relation,person_times,amount
one() { # FILE PERIOD AREA...
    _f=$1 _p=$2
    shift 2
    echo "$SH" >"$T/ov/$_f"
    for _a in "$@"; do
        echo "${_p%%:*},$_a,x,same_area,medical,spouse,1,1.00" >>"$T/ov/$_f"
        case $_p in *:*) _p=${_p#*:} ;; esac
    done
}
mkdir "$T/ov"
one a.csv 2024-01:2024-02 110100 110100
one b.csv 2024-02:2024-01 110100 120100
one c.csv 2024-01:2024-01 120100 110100
one d.csv 2024-01:2024-01 120100 130100
one e.csv 2024-02:2024-01 110100 130100
one f.csv 2024-03 140100
(cd "$T/ov" && "$GONGJI" check a.csv b.csv c.csv d.csv e.csv f.csv) \
    >"$T/ov.out" 2>"$T/ov.err"
rc=$?
expect_rc ov 1
S="in this same run also covers; ingest them in separate runs if one is a correction of the other"
cat >"$T/ov.want" <<EOF
b.csv: error: covers 110000 2024-02, which a.csv $S
c.csv: error: covers 110000 2024-01, which a.csv $S
e.csv: error: covers 110000 2024-02, which a.csv $S
e.csv: error: covers 130000 2024-01, which d.csv $S
gongji check: 3 of 6 file(s) rejected: b.csv, c.csv, e.csv
EOF
cmp -s "$T/ov.want" "$T/ov.err" || {
    diff "$T/ov.want" "$T/ov.err" >&2
    bad "overlap messages"
}
grep -q '^ok        d.csv' "$T/ov.out" || bad "d.csv (clashes only with rejected files) not ok"

note "overlaps: 38,400 one-row files cost about 8 x 4,800 (was ~40 x)"
mkdir "$T/many"
awk -F, -v dir="$T/many" -v sh="$SH" 'BEGIN { n = 0 }
    NR > 1 && !seen[substr($1, 1, 2)]++ { code[n++] = $1 }
    END {
        for (i = 0; i < 38400; i++) {
            a = i % n; m = int(i / n)
            f = sprintf("%s/%s%05d.csv", dir, i < 4800 ? "a" : "b", i)
            print sh >f
            printf "%04d-%02d,%s,x,same_area,medical,spouse,1,1.00\n",
                2000 + int(m / 12), m % 12 + 1, code[a] >f
            close(f)
        }
    }' "$GONGJI_DATA/areas.csv"
ms() { # CMD...: the wall milliseconds of CMD in $ms, its status in $rc
    _t0=$(date +%s%N)
    "$@"
    rc=$?
    _t1=$(date +%s%N)
    ms=$(((_t1 - _t0) / 1000000))
}
cd "$T/many" || fail "cd"
ms sh -c '"$0" check --quiet a*.csv' "$GONGJI"
small=$ms
[ "$rc" = 0 ] || bad "4,800 files: exit $rc"
ms sh -c '"$0" check --quiet a*.csv b*.csv' "$GONGJI"
large=$ms
[ "$rc" = 0 ] || bad "38,400 files: exit $rc"
cd "$T" || fail "cd"
note "4,800 files: $small ms, 38,400 files: $large ms"
[ "$large" -le $((small * 20 + 500)) ] ||
    bad "38,400 files took $large ms, more than 20 x the $small ms of 4,800"
rm -rf "$T/many"

finish
