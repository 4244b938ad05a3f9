#!/bin/sh
# SPDX-License-Identifier: MIT
# gongji review (issue 12) end to end, on generated stores ingested with
# the real binary:
#  - four years (2022-2025) of every province, one pooling area each and
#    two or three in 浙江, 山西, 江苏, 广东, with a premium season
#    (September to February, repeating every year) that must NOT be
#    flagged;
#  - planted: a missing province-month (山西 2025-05), a 3.5x amount jump
#    (330200 2025-06), an amount per person-time outlier (320200 2025-04),
#    a cross-area share jump (440300 2025-09): each finding's check,
#    severity, place and numbers asserted through --format csv;
#  - exit status 0 (a clean store), 4 (warnings only), 1 (errors), 2, 3;
#  - a corrupted copy of a store (sqlite3): coverage_mismatch,
#    channel_sum, scope_sum, cumulative_sum name the file and the sums;
#  - json (the matrix) and the table (Chinese labels, the matrix);
#  - the bundled sample reviewed for 2025-12: no error.
. "$(dirname "$0")/lib.sh"

# gen DIR PLANTS: one summary file per month, DIR/mYYYY-MM.csv, covering
# every province; PLANTS names what to plant (missing jump avg share).
gen_store_files() {
    mkdir -p "$1"
    awk -v dir="$1" -v plants=" $2 " -F, '
    function rnd() { seed = (seed * 1103515245 + 12345) % 2147483648
                     return seed / 2147483648 }
    # 1 +- 3 %
    function noise() { return 0.97 + 0.06 * rnd() }
    NR > 1 { prov[++np] = $1 }
    END {
        seed = 42
        split("medical pharmacy premium other", uses, " ")
        share["medical"] = 0.70; share["pharmacy"] = 0.20
        share["premium"] = 0.05; share["other"] = 0.05
        avg["medical"] = 150; avg["pharmacy"] = 60
        avg["premium"] = 380; avg["other"] = 200
        # the premium season, September to February
        split("4 3 1 1 1 1 1 1 3 6 6 5", season, " ")
        for (y = 2022; y <= 2025; y++) for (mo = 1; mo <= 12; mo++) {
            per = sprintf("%d-%02d", y, mo)
            f = dir "/m" per ".csv"
            print "period,area,scope,use,person_times,amount" > f
            t = (y - 2022) * 12 + mo
            for (i = 1; i <= np; i++) {
                p = prov[i]
                if (per == "2025-05" && p == 140000 && plants ~ / missing /)
                    continue
                na = 1
                area[1] = p + 100
                if (p == 330000) { na = 3; area[2] = 330200; area[3] = 330300 }
                if (p == 140000 || p == 320000) { na = 2; area[2] = p + 200 }
                if (p == 440000) { na = 2; area[2] = 440300 }
                for (k = 1; k <= na; k++) {
                    a = area[k]
                    base = (2000 + 37 * i + 500 * k) * (1.01 ^ t)
                    cf = 1; af = 1; xf = 1
                    if (a == 330200 && per == "2025-06" && plants ~ / jump /)
                        af = 3.5
                    if (a == 320200 && per == "2025-04" && plants ~ / avg /) {
                        cf = 1.5; af = 1 / 2.25
                    }
                    if (a == 440300 && per == "2025-09" && plants ~ / share /)
                        xf = 5
                    for (u = 1; u <= 4; u++) {
                        us = uses[u]
                        n = base * share[us] * (us == "premium" ? season[mo] : 1)
                        for (s = 0; s < 2; s++) {
                            c = int(n * (s ? 0.1 * xf : 0.9) * noise() * cf)
                            amt = c * avg[us] * noise() * af
                            printf "%s,%d,%s,%s,%d,%.2f\n", per, a,
                                s ? "cross_area" : "same_area", us, c,
                                amt > f
                        }
                    }
                }
            }
            close(f)
        }
    }' "$GONGJI_DATA/provinces.csv" || fail "generating $1"
}

# store DB DIR PLANTS: generate and ingest (one run, the files in order)
make_store() {
    gen_store_files "$2" "$3"
    run ing_$2 "$GONGJI" ingest --quiet --db "$1" "$2"/m*.csv
    expect_rc ing_$2 0
}

# review NAME DB ARGS...: gongji review into $T/NAME.out
review() {
    _rn=$1
    _rdb=$2
    shift 2
    run "$_rn" "$GONGJI" review --db "$_rdb" "$@"
}

# has NAME PATTERN: a line of $T/NAME.out matches the extended regex
has() {
    grep -Eq "$2" "$T/$1.out" || bad "$1: no line matching '$2' in:
$(head -n 30 "$T/$1.out")"
}
hasnt() {
    ! grep -Eq "$2" "$T/$1.out" || bad "$1: unexpected line matching '$2':
$(grep -E "$2" "$T/$1.out" | head -n 5)"
}

HEADER=severity,check,province,area,period,channel,use,scope,measure,value,reference,ratio,median,mad,score,files,figure

note "a clean store: nothing above information, exit 0"
make_store clean.db clean ""
review clean clean.db --period 2025-12 --format csv
expect_rc clean 0
[ "$(head -n 1 "$T/clean.out")" = "$HEADER" ] ||
    bad "csv header: $(head -n 1 "$T/clean.out")"
hasnt clean '^(error|warning),'
# the premium season repeats each year and is not a jump
hasnt clean ',premium,'
review clean_range clean.db --period 2024-03..2025-12 --format csv
expect_rc clean_range 0
review clean_tab clean.db --period 2025-12
expect_rc clean_tab 0
has clean_tab '^审核期：2025年1-12月'
has clean_tab '未发现问题'

note "planted findings"
make_store planted.db planted "missing jump avg share"
review pl planted.db --period 2025-12 --format csv
expect_rc pl 1
# a missing province-month: an error naming it
has pl '^error,missing,140000,,2025-05,,,,,,,,,,,,$'
[ "$(grep -c ',missing,' "$T/pl.out")" = 1 ] ||
    bad "missing: $(grep ',missing,' "$T/pl.out")"
# the 3.5x amount jump: value / reference = 3.5 (noise aside), an error,
# the month's file named; the return in July is not a finding of its own
has pl '^error,jump_mom,330000,330200,2025-06,,,,amount,[0-9]+\.[0-9][0-9],[0-9]+\.[0-9][0-9],3\.[3-7][0-9]*,[-0-9.]+,0\.1000,[1-9][0-9]\.[0-9][0-9],"planted/m2025-06\.csv",$'
has pl '^error,jump_yoy,330000,330200,2025-06,,,,amount,'
hasnt pl ',jump_mom,330000,330200,2025-07,'
line=$(grep '^error,jump_mom,330000,330200,2025-06,,,,amount,' "$T/pl.out")
v=$(echo "$line" | cut -d, -f10)
r=$(echo "$line" | cut -d, -f11)
# the value is exactly what query says for the area-month
q=$("$GONGJI" query --db planted.db --period 2025-06 --where area=330200 --format csv | sed -n 2p | cut -d, -f2)
[ "$v" = "$q" ] || bad "jump value $v, query says $q"
q=$("$GONGJI" query --db planted.db --period 2025-05 --where area=330200 --format csv | sed -n 2p | cut -d, -f2)
[ "$r" = "$q" ] || bad "jump reference $r, the month before is $q"
# the amount per person-time outlier: a warning or error, ratio ~ 1/2.25
has pl '^(warning|error),avg_amount,320000,320200,2025-04,,,,amount_per_person_time,[0-9]+\.[0-9][0-9],[0-9]+\.[0-9][0-9],0\.4[2-6][0-9]*,'
hasnt pl ',jump_(mom|yoy),320000,320200,2025-04,'
# the cross-area share: about 10 % -> 36 %
has pl '^error,cross_share,440000,440300,2025-09,,,,cross_share,0\.3[3-9][0-9][0-9],0\.(09|10|11)[0-9][0-9],,'
# no premium-season finding anywhere but in the planted area-months
# (the plants are in every use, the premium too)
grep ',premium,' "$T/pl.out" |
    grep -Ev ',(330000,(330200)?,2025-06|320000,(320200)?,2025-04|440000,(440300)?,2025-09),' >"$T/premium.out"
[ -s "$T/premium.out" ] && bad "premium findings: $(head -n 5 "$T/premium.out")"
# in the months with no plant, nothing at all (the cross-area share's
# return in October is the September finding's)
for m in 01 02 03 07 08 10 11 12; do
    hasnt pl ",2025-$m,"
done
# plausibility is skipped for the missing province-month, and the next
# month's change (its base is missing) is not judged either
hasnt pl ',(jump|avg|cross)[a-z_]*,140000,[0-9]*,2025-0[56],'

note "exit status 4: warnings but no error"
make_store warn.db warn "avg"
review warn warn.db --period 2025-12 --format csv
expect_rc warn 4
has warn '^warning,avg_amount,320000,320200,2025-04,'
hasnt warn '^error,'

note "json: counts, the matrix, findings"
review js planted.db --period 2025-12 --format json
expect_rc js 1
has js '"period": "2025-01..2025-12"'
has js '"counts": \{"error": [0-9]+, "warning": [0-9]+, "info": [0-9]+\}'
has js '"province": "140000", "months": \[.*\{"period": "2025-05", "stored": false, "ingested_at": null, "files": \[\]\}'
has js '"severity": "error", "check": "missing", "province": "140000", "area": null, "period": "2025-05"'
has js '"check": "jump_mom", "province": "330000", "area": "330200", "period": "2025-06", "channel": null, "use": null, "scope": null, "measure": "amount", "value": "[0-9]+\.[0-9][0-9]"'
if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["matrix"])==32 and len(d["matrix"][0]["months"])==12' "$T/js.out" ||
        bad "json does not parse, or its matrix is not 32 x 12"
fi

note "the table: the matrix and Chinese labels"
review tab planted.db --period 2025-12
expect_rc tab 1
has tab '^报送情况（到达日期，—为缺报）'
has tab '^山西 .* — '
has tab '^错误  缺报 .*山西'
has tab '环比异常 .*330200'
has tab '^共[0-9]+条：错误[0-9]+条'
review quiet planted.db --period 2025-12 --quiet
expect_rc quiet 1
hasnt quiet '报送情况'

note "--province"
review prov planted.db --period 2025-12 --province 浙江 --format csv
expect_rc prov 1
hasnt prov ',(140000|320000|440000),'
has prov ',jump_mom,330000,330200,2025-06,'
review prov2 planted.db --period 2025-12 --province 北京 --format csv
expect_rc prov2 0

note "usage and store errors"
review u1 planted.db
expect_rc u1 2
review u2 planted.db --period 2025-13
expect_rc u2 2
review u3 planted.db --period 2025-12 --format xml
expect_rc u3 2
review u4 planted.db --period 2025-12 --province 火星
expect_rc u4 2
review u5 nonexistent.db --period 2025-12
expect_rc u5 3
"$GONGJI" review --help >"$T/help.out" 2>&1
grep -q '4 warnings but no error' "$T/help.out" || bad "--help: no exit status 4"
"$GONGJI" --help | grep -q '^  review ' || bad "gongji --help does not list review"

note "a corrupted store: the arithmetic checks"
if command -v sqlite3 >/dev/null 2>&1; then
    cp clean.db bad.db
    sqlite3 bad.db "UPDATE fact SET amount_fen = amount_fen + 100 WHERE period = '2025-03' AND area = 330100 AND scope = 'same_area' AND use = 'medical';
UPDATE fact SET channel = 'bogus' WHERE period = '2025-07' AND area = 110100 AND scope = 'same_area' AND use = 'other';
UPDATE fact SET scope = 'nowhere' WHERE period = '2025-08' AND area = 120100 AND scope = 'cross_area' AND use = 'pharmacy';
UPDATE fact SET period = '2025-0x' WHERE period = '2025-10' AND area = 130100 AND scope = 'same_area' AND use = 'premium';" ||
        fail "sqlite3 could not corrupt the copy"
    review corrupt bad.db --period 2025-12 --format csv
    expect_rc corrupt 1
    cov=$(sqlite3 bad.db "SELECT printf('%d.%02d', amount_fen / 100, amount_fen % 100) FROM coverage WHERE province = 330000 AND period = '2025-03' AND replaced_by IS NULL")
    facts=$(sqlite3 bad.db "SELECT printf('%d.%02d', sum(amount_fen) / 100, sum(amount_fen) % 100) FROM fact WHERE province = 330000 AND period = '2025-03'")
    has corrupt "^error,coverage_mismatch,330000,,2025-03,,,,amount,$facts,$cov,,,,,\"clean/m2025-03\\.csv\",\$"
    hasnt corrupt ',coverage_mismatch,330000,,2025-03,,,,person_times,'
    [ "$(fen "$facts")" = "$(($(fen "$cov") + 100))" ] ||
        bad "coverage_mismatch: facts $facts, coverage $cov: not 1.00 apart"
    has corrupt '^error,channel_sum,110000,,2025-07,,,,person_times,[0-9]+,[0-9]+,'
    has corrupt '^error,channel_sum,110000,,2025-07,,,,amount,'
    has corrupt '^error,scope_sum,120000,,2025-08,,,,amount,'
    # a fact whose month cannot be read: the months no longer add up to
    # the cumulative, and 2025-10 lacks what its submission recorded
    has corrupt '^error,cumulative_sum,130000,,,,,,person_times,[0-9]+,[0-9]+,'
    has corrupt '^error,coverage_mismatch,130000,,2025-10,,,,person_times,'
    # the untouched store reports none of them
    hasnt clean '_(sum|mismatch),'
else
    note "SKIP the corrupted-store part: no sqlite3"
fi

note "the bundled sample, reviewed for 2025-12"
ingest_sample s.db
start=$(date +%s%N 2>/dev/null || echo 0)
review sample s.db --period 2025-12 --format csv
end=$(date +%s%N 2>/dev/null || echo 0)
[ "$rc" = 0 ] || [ "$rc" = 4 ] || {
    head -n 20 "$T/sample.out" >&2
    bad "sample 2025-12: exit status $rc"
}
hasnt sample '^error,'
hasnt sample ',(missing|coverage_mismatch|channel_sum|scope_sum|cumulative_sum),'
note "sample 2025-12: $(grep -c '^warning,' "$T/sample.out") warning(s), $(grep -c '^info,' "$T/sample.out") info, $(((end - start) / 1000000)) ms"
finish
