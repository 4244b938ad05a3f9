#!/bin/sh
# SPDX-License-Identifier: MIT
# Total and subtotal rows, and area names (DESIGN §3): a total row is
# checked against the rows it totals and never stored; an area column may
# hold a name or a code with its name; a name that disagrees with
# data/areas.csv is said.  Each case asserts the exact stored totals and
# the messages with FILE:LINE:COL.
. "$(dirname "$0")/lib.sh"

H=period,area,area_name,scope,use,relation,person_times,amount
# ingest_case NAME WANT_RC WANT_TOTAL [ARGS...]: ingest $T/NAME.csv into a
# fresh store; the exit status and the stored total must be as given
# ("none" when nothing may be stored).
ingest_case() {
    _c=$1 _want=$2 _tot=$3
    shift 3
    rm -f "$T/$_c.db"
    run "$_c" "$GONGJI" ingest --db "$T/$_c.db" "$@" "$_c.csv"
    [ "$rc" = "$_want" ] || {
        sed 's/^/    | /' "$T/$_c.err" >&2
        bad "$_c: exit status $rc, expected $_want"
        return
    }
    if [ "$_tot" = none ]; then
        [ ! -e "$T/$_c.db" ] || [ "$(total "$T/$_c.db")" = "0,0.00" ] ||
            bad "$_c: something was stored: $(total "$T/$_c.db")"
    else
        _got=$(total "$T/$_c.db")
        [ "$_got" = "$_tot" ] || bad "$_c: stored total $_got, expected $_tot"
    fi
}
# has NAME TEXT: stderr of the last run of NAME holds the line TEXT, with
# or without the bracketed column note messages end with ("[column B ...]").
has() {
    sed 's/ \[column [A-Z]* [^]]*\]$//' "$T/$1.err" | grep -qxF -- "$2" || {
        sed 's/^/    | /' "$T/$1.err" >&2
        bad "$1: no message '$2'"
    }
}

note "province total rows coded 330000 that agree are skipped, not stored"
cat >prov-ok.csv <<CSV
$H
2024-09,330100,杭州市,same_area,medical,spouse,10,100.00
2024-09,330200,宁波市,same_area,medical,spouse,20,200.50
2024-09,330000,全省合计,same_area,medical,spouse,30,300.50
2024-09,330100,杭州市,cross_area,pharmacy,parent,1,0.01
2024-09,330000,浙江省,,,,31,300.51
CSV
ingest_case prov-ok 0 31,300.51
has prov-ok "prov-ok.csv:4:3: warning: 1 row(s) marked 合计/小计/总计 equal the sum of the rows they total: skipped, not stored (line 4)"
has prov-ok "prov-ok.csv:6:2: warning: 1 province total row(s) (area xx0000 or a province name) equal the sum of the rows they total: skipped, not stored (line 6)"
grep "330000" "$T/prov-ok.err" | grep -q "pooling-area table" &&
    bad "prov-ok: 330000 called an unknown pooling area"
"$GONGJI" query --db prov-ok.db --period 2024-09 --by area --format csv >areas.out
[ "$(cat areas.out)" = "area,person_times,amount
330100,11,100.01
330200,20,200.50" ] || bad "prov-ok: areas stored: $(cat areas.out)"

note "a province total row that disagrees is an error naming both"
cat >prov-bad.csv <<CSV
$H
2024-09,330100,杭州市,same_area,medical,spouse,10,100.00
2024-09,330200,宁波市,same_area,medical,spouse,20,200.50
2024-09,330000,全省合计,same_area,medical,spouse,30,300.00
CSV
ingest_case prov-bad 1 none
has prov-bad "prov-bad.csv:4:8: error: total row (2024-09, all areas of 330000, same_area, medical, spouse) says amount 300.00, but the 2 rows it totals (lines 2 to 3) sum to 300.50"

note "小计 rows by scope and by use"
cat >sub.csv <<CSV
$H
2024-09,330100,杭州市,same_area,medical,spouse,10,100.00
2024-09,330100,杭州市,cross_area,medical,spouse,5,50.00
2024-09,330100,杭州市,小计,medical,spouse,15,150.00
2024-09,330100,杭州市,same_area,pharmacy,spouse,2,2.00
2024-09,330100,杭州市,same_area,小计,spouse,12,102.00
CSV
ingest_case sub 0 17,152.00
has sub "sub.csv:4:4: warning: 2 row(s) marked 合计/小计/总计 equal the sum of the rows they total: skipped, not stored (lines 4, 6)"
sed 's/^2024-09,330100,杭州市,same_area,小计,spouse,12,102.00$/2024-09,330100,杭州市,same_area,小计,spouse,12,103.00/' sub.csv >sub-bad.csv
ingest_case sub-bad 1 none
has sub-bad "sub-bad.csv:6:8: error: total row (2024-09, 330100, same_area, all uses, spouse) says amount 103.00, but the 2 rows it totals (lines 2 to 5) sum to 102.00"

note "relation subtotal rows (relation blank beside rows with one)"
cat >rel.csv <<CSV
$H
2024-09,330100,杭州市,same_area,medical,spouse,10,100.00
2024-09,330100,杭州市,same_area,medical,parent,5,50.25
2024-09,330100,杭州市,same_area,medical,,15,150.25
2024-09,330100,杭州市,same_area,pharmacy,,7,7.00
CSV
# the pharmacy row has no relation beside it: it is data (unspecified)
ingest_case rel 0 22,157.25
has rel "rel.csv:4:6: warning: 1 relation subtotal row(s) (relation blank beside rows with one) equal the sum of the rows they total: skipped, not stored (line 4)"
"$GONGJI" query --db rel.db --period 2024-09 --by use,relation --format csv >rel.out
[ "$(cat rel.out)" = "use,relation,person_times,amount
medical,spouse,10,100.00
medical,parent,5,50.25
pharmacy,unspecified,7,7.00" ] || bad "rel: stored $(cat rel.out)"
sed 's/,,15,150.25$/,,16,150.25/' rel.csv >rel-bad.csv
ingest_case rel-bad 1 none
has rel-bad "rel-bad.csv:4:7: error: total row (2024-09, 330100, same_area, medical, all relations) says person_times 16, but the 2 rows it totals (lines 2 to 3) sum to 15"

note "合计 in the area_name column, the area left blank"
cat >name-total.csv <<CSV
$H
2024-09,330100,杭州市,same_area,medical,spouse,10,100.00
2024-09,320100,南京市,same_area,medical,spouse,20,200.00
2024-09,,合计,,,,30,300.00
CSV
ingest_case name-total 0 30,300.00
has name-total "name-total.csv:4:3: warning: 1 row(s) marked 合计/小计/总计 equal the sum of the rows they total: skipped, not stored (line 4)"

note "a total row that matches nothing is an error, not data"
cat >nomatch.csv <<CSV
$H
2024-09,330100,杭州市,same_area,medical,spouse,10,100.00
2024-09,330100,杭州市,same_area,pharmacy,合计,3,3.00
2024-09,320000,江苏省,,,,3,3.00
CSV
ingest_case nomatch 1 none
has nomatch "nomatch.csv:3:6: error: total row (2024-09, 330100, same_area, pharmacy, all relations) matches no data row of the file, so it cannot be checked; it is not data either (remove the row, or the word 合计/小计/总计)"
has nomatch "nomatch.csv:4:2: error: total row (2024-09, all areas of 320000, all scopes, all uses, all relations) matches no data row of the file, so it cannot be checked; it is not data either (a province code is not a pooling area)"

note "a name column naming another city: a warning, an error under --strict"
cat >names.csv <<CSV
$H
2024-09,330400,温州市,same_area,medical,spouse,10,100.00
2024-09,330300,温州,same_area,medical,spouse,1,1.00
2024-09,339900,省本级,same_area,medical,spouse,1,1.00
CSV
ingest_case names 0 12,102.00
has names "names.csv:2:3: warning: area 330400 is 嘉兴市 in data/areas.csv, but its name is given as '温州市' (330300 温州市); stored under the code"
[ "$(grep -c warning "$T/names.err")" = 1 ] || bad "names: short names 温州, 省本级 warned about"
ingest_case names 1 none --strict
has names "names.csv:2:3: error: area 330400 is 嘉兴市 in data/areas.csv, but its name is given as '温州市' (330300 温州市)"

note "name-only areas and code+name cells are resolved"
cat >resolve.csv <<CSV
period,area,scope,use,relation,person_times,amount
2024-09,杭州市,same_area,medical,spouse,10,100.00
2024-09,宁波,same_area,medical,spouse,2,2.00
2024-09,330300温州市,same_area,medical,spouse,3,3.00
2024-09,330400 嘉兴市,same_area,medical,spouse,4,4.00
CSV
ingest_case resolve 0 19,109.00
[ -s "$T/resolve.err" ] && grep -q warning "$T/resolve.err" && bad "resolve: $(cat "$T/resolve.err")"
"$GONGJI" query --db resolve.db --period 2024-09 --by area --format csv >resolve.out
[ "$(cat resolve.out)" = "area,person_times,amount
330100,10,100.00
330200,2,2.00
330300,3,3.00
330400,4,4.00" ] || bad "resolve: stored $(cat resolve.out)"

note "ambiguous names are errors naming the candidates"
cat >ambig.csv <<CSV
period,area,scope,use,relation,person_times,amount
2024-09,北京市,same_area,medical,spouse,10,100.00
2024-09,吉林,same_area,medical,spouse,10,100.00
2024-09,330400温州市,same_area,medical,spouse,10,100.00
2024-09,某某市,same_area,medical,spouse,10,100.00
CSV
ingest_case ambig 1 none
has ambig "ambig.csv:2:2: error: area '北京市' is ambiguous: it names 110100 北京市, 110000 北京市 (the province total); write the 6-digit code"
has ambig "ambig.csv:3:2: error: area '吉林' is ambiguous: it names 220200 吉林市, 220000 吉林省 (the province total); write the 6-digit code"
has ambig "ambig.csv:4:2: error: area '330400温州市' is ambiguous: the code 330400 is 嘉兴市 but the name is 330300 温州市; write one of them"
has ambig "ambig.csv:5:2: error: area '某某市' is not a 6-digit pooling-area code nor the name of one in data/areas.csv"

finish
