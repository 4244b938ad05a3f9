#!/bin/sh
# SPDX-License-Identifier: MIT
# The house style comes from templates/house.conf, not from C (issue 13):
# the charts' source line, the workbook's source note and {issuer} change
# with the file; its values are text (escaped, never markup); a bad line
# is refused as house.conf:LINE:COL.
. "$(dirname "$0")/lib.sh"

cp -r "$GONGJI_TOP/templates" "$T/tpl"
cat >"$T/tpl/house.conf" <<'CONF'
# a test office
source_line = 数据来源：某省医保局测试线
data_source   =   数据来源：测试单位报送
issuer = 测试<发布>单位*
CONF
cat >d.csv <<'CSV'
period,area,scope,use,person_times,amount
2024-01,330100,same_area,medical,1000,10000.00
CSV
run ing "$GONGJI" ingest --quiet --db d.db d.csv
expect_rc ing 0
printf '%s\n' '{issuer}|{all.amount}' >"$T/t.tmpl"

run b env GONGJI_TEMPLATES="$T/tpl" "$GONGJI" bulletin --quiet --db d.db \
    --period 2024-01 --as-of 2024-02-20 --allow-incomplete --no-record \
    --template "$T/t.tmpl" --out "$T/b"
expect_rc b 0
[ "$(head -n 1 "$T/b/bulletin.md")" = '测试&lt;发布&gt;单位\*|1.00万元' ] ||
    bad "{issuer}: $(head -n 1 "$T/b/bulletin.md")"
unzip -p "$T/b/attachment.xlsx" xl/sharedStrings.xml | grep -qF "数据来源：测试单位报送，截至2024-02-20。" ||
    bad "the 附件 note does not come from house.conf"
unzip -p "$T/b/attachment.xlsx" docProps/core.xml | grep -qF "数据来源：测试单位报送，截至2024-02-20" ||
    bad "the workbook's comments do not come from house.conf"
unzip -p "$T/b/attachment.xlsx" xl/sharedStrings.xml | grep -qF "各省级医保部门报送" &&
    bad "the compiled-in source note is still there"
if command -v gnuplot >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then
    pdftotext "$T/b/charts/map.pdf" - 2>/dev/null | grep -qF "数据来源：某省医保局测试线" ||
        bad "the chart's source line does not come from house.conf: $(pdftotext "$T/b/charts/map.pdf" - 2>/dev/null | tail -n 3)"
    # an account-only store: no 跨省 key for a scope without data
    pdftotext "$T/b/charts/scope.pdf" "$T/scope.txt" 2>/dev/null
    grep -qF "同一统筹区" "$T/scope.txt" || bad "scope chart: no 同一统筹区 key"
    grep -qF "跨省" "$T/scope.txt" && bad "scope chart: a 跨省 key without 跨省 data"
    # the tile map says that 港澳台 are outside the statistics
    pdftotext "$T/b/charts/map.pdf" - 2>/dev/null |
        grep -qF "统计范围不含香港、澳门特别行政区和台湾地区" ||
        bad "the map lacks the note on 港澳台"
else
    note "gnuplot or pdftotext missing: the charts' line not checked"
fi

note "the shipped house.conf gives the shipped texts"
run s "$GONGJI" bulletin --quiet --db d.db --period 2024-01 --as-of 2024-02-20 \
    --allow-incomplete --no-record --no-charts --out "$T/s"
expect_rc s 0
unzip -p "$T/s/attachment.xlsx" xl/sharedStrings.xml | grep -qF "数据来源：各省级医保部门报送，截至2024-02-20。" ||
    bad "shipped note missing"

note "a bad house.conf is refused, located"
printf 'source_line = ok\ncolour = red\n' >"$T/tpl/house.conf"
run bad1 env GONGJI_TEMPLATES="$T/tpl" "$GONGJI" bulletin --quiet --db d.db \
    --period 2024-01 --allow-incomplete --no-record --no-charts --out "$T/x"
expect_rc bad1 3
grep -qF "$T/tpl/house.conf:2:1: error: unknown key 'colour'" "$T/bad1.err" ||
    bad "bad1: $(cat "$T/bad1.err")"
printf 'issuer =\n' >"$T/tpl/house.conf"
run bad2 env GONGJI_TEMPLATES="$T/tpl" "$GONGJI" bulletin --quiet --db d.db \
    --period 2024-01 --allow-incomplete --no-record --no-charts --out "$T/x"
expect_rc bad2 3
grep -qF "house.conf:1:9: error: the value of 'issuer' is empty" "$T/bad2.err" ||
    bad "bad2: $(cat "$T/bad2.err")"
[ -e "$T/x/bulletin.md" ] && bad "a refused house.conf wrote a bulletin"

finish
