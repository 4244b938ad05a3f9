#!/bin/sh
# SPDX-License-Identifier: MIT
# Names from the reference tables reach bulletin.md as literal text: a copy
# of data/ whose province names are HTML and Markdown (an <img onerror>, a
# link, emphasis, a code span, an autolink, an entity) and whose policy note
# is a <script>; the bulletin shows them escaped (report/bulletin.h:
# bulletin_md_text), never as markup.
. "$(dirname "$0")/lib.sh"

D="$T/data"
cp -r "$GONGJI_DATA" "$D" || fail "copy data"
export GONGJI_DATA="$D" GONGJI_TEMPLATES="$GONGJI_TOP/templates"
# every short name hostile, made unique by its code
awk -F, 'BEGIN { OFS = "," } NR > 1 { $3 = "<img src=x onerror=alert(" $1 ")>[广东](http://evil/" $1 ")**粗**_`码`&amp;" } { print }' \
    "$GONGJI_TOP/data/provinces.csv" >"$D/provinces.csv"
# the note of a partial row (its text before the first ； is shown): hostile
awk -F, 'BEGIN { OFS = "," } NR > 1 && $1 == "510000" && $2 == "near_relatives" && $3 == "partial" { $6 = "<script>alert(1)</script>[点我](javascript:x)；后半" } { print }' \
    "$GONGJI_TOP/data/policy.csv" >"$D/policy.csv"
grep -q '^510000,near_relatives,partial,.*<script>' "$D/policy.csv" || fail "policy edit"

ingest_sample "$T/s.db" 2024-10-20
run bul "$GONGJI" bulletin --quiet --db "$T/s.db" --period 2024-09 --as-of 2024-10-20 --out "$T/b"
expect_rc bul 0
B="$T/b/bulletin.md"
[ -s "$B" ] || fail "no bulletin.md"
for raw in '<img' '<script' '](http' '](javascript' '**粗**' '`码`' '`&amp;、' 'http://evil'; do
    grep -qF -- "$raw" "$B" && bad "bulletin.md holds '$raw' unescaped: $(grep -F -- "$raw" "$B" | head -c 300)"
done
want='&lt;img src=x onerror=alert\(330000\)&gt;\[广东\]\(http\://evil/330000\)\*\*粗\*\*\_\`码\`&amp;amp;'
grep -qF -- "$want" "$B" || bad "no escaped name '$want' in: $(sed -n '/三、/,/四、/p' "$B" | head -c 600)"
grep -qF -- '&lt;script&gt;alert\(1\)&lt;/script&gt;\[点我\]\(javascript\:x\)' "$B" ||
    bad "no escaped policy note in: $(sed -n '/一、/,/二、/p' "$B" | head -c 600)"
grep -qF '后半' "$B" && bad "the note after its first ； is shown"
finish
