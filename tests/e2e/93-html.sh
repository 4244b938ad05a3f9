#!/bin/sh
# SPDX-License-Identifier: MIT
# bulletin.html in a real browser (headless Chromium, no network): the
# sample store's 2024年1-9月 release as of 2024-10-20.
#  - the file: self-contained (no http:, https: or // outside the data:
#    URIs of the charts, no script, every <img> a data: URI), one figure per
#    chart with an alt text and a caption naming its title and period and a
#    table of its values; the 附件 table's every province row equals
#    `gongji query` rounded once (万人次, 亿元, two decimals), numbers
#    right-aligned by the stylesheet; names escaped (a hostile provinces.csv);
#    --no-charts: no images; the same store and arguments: the same bytes;
#  - the DOM (--dump-dom): every figure of bulletin.md is in the page text;
#    a test-only copy of the page with a script (the shipped page runs none)
#    reports that every image loaded and that nothing but data: was fetched;
#  - print (--print-to-pdf, without --no-pdf-header-footer): every page A4,
#    no browser header or footer (no date, title or file name), the 附件 on
#    a landscape page of its own and on that one page.
# GONGJI_HTML_KEEP=DIR keeps the PDF and its 50-dpi PNGs there, to look at.
. "$(dirname "$0")/lib.sh"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || skip "chromium is not installed (sh scripts/setup-deps.sh installs it)"
command -v pdfinfo >/dev/null 2>&1 || skip "no pdfinfo (poppler-utils)"

# No network: a network namespace of our own when we may make one (root),
# else every name resolves to nothing and background services are off.
NS=""
if unshare -n true 2>/dev/null; then
    NS="unshare -n"
fi
# shellcheck disable=SC2086
chromium() {
    $NS "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
        --disable-background-networking --disable-component-update \
        --disable-sync --no-first-run --disable-default-apps \
        --disable-domain-reliability --host-resolver-rules="MAP * ~NOTFOUND" \
        --user-data-dir="$T/chromium-profile" "$@"
}
printf '<!DOCTYPE html><title>t</title><p>ok</p>' >"$T/probe.html"
chromium --dump-dom "file://$T/probe.html" >"$T/probe.out" 2>"$T/probe.err"
grep -q '<p>ok</p>' "$T/probe.out" ||
    skip "chromium cannot run here: $(grep -v dbus "$T/probe.err" | tail -n 2)"
note "chromium: $("$CHROMIUM" --version 2>/dev/null | head -n 1)${NS:+ (in unshare -n)}"

ingest_sample "$T/s.db" 2024-10-20
run bul "$GONGJI" bulletin --db "$T/s.db" --period 2024-09 --as-of 2024-10-20 --out "$T/b" --no-record
expect_rc bul 0
H="$T/b/bulletin.html"
[ -s "$H" ] || fail "no bulletin.html"
grep -q "^wrote .*/bulletin.html$" "$T/bul.out" || bad "stdout does not name bulletin.html: $(cat "$T/bul.out")"

# --- the file ---------------------------------------------------------------
# the charts' data: URIs hide nothing but SVG; outside them, nothing external
sed -E 's#data:image/svg\+xml;base64,[A-Za-z0-9+/=]*#DATA#g' "$H" >"$T/plain.html"
for pat in 'http:' 'https:' '//' '<script' '<link' '<iframe' '@import' 'url(' ' on[a-z]*='; do
    grep -qi -- "$pat" "$T/plain.html" && bad "bulletin.html holds '$pat': $(grep -io -- ".\{0,40\}$pat.\{0,40\}" "$T/plain.html" | head -n 3)"
done
src=$(grep -o ' src="[^"]*"' "$T/plain.html" | grep -vc ' src="DATA"')
[ "$src" = 0 ] || bad "$src src= attributes are not data: URIs"
# six charts (no wallet in 2024): each an <img> with alt, caption and values
nimg=$(grep -c '<img ' "$H")
[ "$nimg" = 6 ] || bad "$nimg <img> in the page, expected the 6 charts"
for c in trend provinces_person_times provinces_amount map scope use; do
    fig=$(sed -n "/<figure class=\"chart\" id=\"chart-$c\">/,/<\/figure>/p" "$T/plain.html")
    [ -n "$fig" ] || { bad "no figure for chart $c"; continue; }
    alt=$(printf '%s\n' "$fig" | grep -o ' alt="[^"]*"')
    case $alt in
    *职工医保个人账户*"2024年1-9月"*) ;;
    *) bad "chart $c: alt '$alt' lacks the title and period" ;;
    esac
    printf '%s\n' "$fig" | grep -q '<figcaption>图[0-9]　职工医保个人账户.*2024年1-9月' ||
        bad "chart $c: no caption with title and period"
    rows=$(printf '%s\n' "$fig" | grep -c '<tr><th scope="row">')
    case $c in
    trend) want=9 ;; use) want=4 ;; *) want=32 ;;
    esac
    [ "$rows" = "$want" ] || bad "chart $c: $rows rows of values, expected $want"
done
# the values behind the charts: the trend's September cumulative amount
grep -q '<tr><th scope="row">9月</th><td>2800.00万人次</td><td>42.00亿元</td><td>2.46亿人次</td><td>304.57亿元</td></tr>' "$H" ||
    bad "the trend's values lack September: $(grep -o '<tr><th scope="row">9月</th>[^
]*' "$H" | head -n 1)"
grep -q '^\.attachment-table td {[^}]*text-align: right' "$H" ||
    bad "the stylesheet does not right-align the 附件's numbers"
grep -q '<p class="units">单位：万人次、亿元</p>' "$H" || bad "no units line above the 附件"

# the 附件 table: every province as `gongji query` has it, rounded once
run q "$GONGJI" query --db "$T/s.db" --period 2024-01..2024-09 --by province --format csv
expect_rc q 0
awk -F, 'NR == FNR { if (FNR > 1) short[$1] = $3; next }
    FNR > 1 {
        pt = $2; fen = $3 * 100
        w = int((pt + 50) / 100); y = int((fen + 50000000) / 100000000)
        printf "<tr><th scope=\"row\">%s</th><td>%d.%02d</td><td>%d.%02d</td>\n", short[$1], w / 100, w % 100, y / 100, y % 100
    }' "$GONGJI_DATA/provinces.csv" "$T/q.out" >"$T/want-rows"
[ "$(wc -l <"$T/want-rows")" = 32 ] || bad "query gave $(wc -l <"$T/want-rows") provinces, expected 32"
while IFS= read -r want; do
    grep -qF -- "$want" "$H" || bad "附件 lacks the row $want (page: $(grep -o "<tr><th scope=\"row\">$(printf '%s' "$want" | sed 's/.*"row">\([^<]*\)<.*/\1/')</th>.\{0,60\}" "$H" | tail -n 1))"
done <"$T/want-rows"
grep -q '<tr class="total"><th scope="row">全国</th><td>24634.50</td><td>304.57</td>' "$H" ||
    bad "the 全国 row: $(grep -o '<tr class="total">.\{0,80\}' "$H")"

# --- the DOM: every figure of bulletin.md is on the page --------------------
run dom chromium --virtual-time-budget=5000 --dump-dom "file://$H"
grep -q '</html>' "$T/dom.out" || fail "--dump-dom printed no page: $(grep -v dbus "$T/dom.err" | tail -n 3)"
sed 's/<[^>]*>//g' "$T/dom.out" >"$T/dom.txt"
grep -oE '[0-9]+(\.[0-9]+)?(亿人次|万人次|人次|亿元|万元|元|%|个省份|万笔|笔)' "$T/b/bulletin.md" | sort -u >"$T/figures"
nfig=$(wc -l <"$T/figures")
[ "$nfig" -ge 20 ] || bad "only $nfig figures found in bulletin.md"
while IFS= read -r f; do
    grep -qF -- "$f" "$T/dom.txt" || bad "the page text lacks the figure $f of bulletin.md"
done <"$T/figures"
note "$nfig figures of bulletin.md found in the page"
# the text's headings and sentences, whole
grep -q '^## ' "$T/b/bulletin.md" || bad "bulletin.md has no ## headings"
sed -n 's/^## //p' "$T/b/bulletin.md" | while IFS= read -r h; do
    grep -qF "<h2>$h</h2>" "$T/dom.out" || echo "$h"
done >"$T/missing-h2"
[ -s "$T/missing-h2" ] && bad "headings not on the page: $(cat "$T/missing-h2")"

# --- a test-only copy that checks the images and the requests ----------------
# The shipped page runs no script (its Content-Security-Policy forbids any);
# this copy drops that line and adds one that writes its findings into the
# DOM: every <img> complete with a natural size, and every resource fetched.
grep -q 'Content-Security-Policy' "$H" || bad "the page has no Content-Security-Policy"
grep -v 'Content-Security-Policy' "$H" | sed 's#</body>#<pre id="result"></pre><script>\
addEventListener("load", function () {\
  var out = [];\
  document.querySelectorAll("img").forEach(function (i, k) {\
    out.push("img" + k + ":" + (i.complete \&\& i.naturalWidth > 0 ? "ok " + i.naturalWidth + "x" + i.naturalHeight : "BROKEN"));\
  });\
  performance.getEntriesByType("resource").forEach(function (e) {\
    if (e.name.indexOf("data:") !== 0) out.push("fetched:" + e.name);\
  });\
  document.getElementById("result").textContent = "RESULT " + out.join(" ") + " END";\
});\
</script></body>#' >"$T/b/check.html"
run chk chromium --virtual-time-budget=5000 --dump-dom "file://$T/b/check.html"
res=$(grep -o 'RESULT .* END' "$T/chk.out")
[ -n "$res" ] || bad "the check page reported nothing: $(grep -v dbus "$T/chk.err" | tail -n 3)"
nok=$(printf '%s\n' "$res" | grep -o 'img[0-9]*:ok [0-9]*x[0-9]*' | wc -l)
[ "$nok" = 6 ] || bad "$nok of 6 images loaded: $res"
case $res in
*BROKEN* | *fetched:*) bad "the check page: $res" ;;
esac

# --- print ------------------------------------------------------------------
# without --no-pdf-header-footer: the stylesheet's margin boxes keep
# Chromium's own header and footer off the page
run pdf chromium --print-to-pdf="$T/b/bulletin.pdf" "file://$H"
[ -s "$T/b/bulletin.pdf" ] || fail "no PDF: $(grep -v dbus "$T/pdf.err" | tail -n 3)"
pages=$(pdfinfo "$T/b/bulletin.pdf" | sed -n 's/^Pages: *//p')
[ "${pages:-0}" -ge 2 ] || bad "the PDF has ${pages:-no} pages"
pdfinfo -f 1 -l "${pages:-1}" "$T/b/bulletin.pdf" | grep '^Page.*size' >"$T/sizes"
nA4=$(grep -c '(A4)' "$T/sizes")
[ "$nA4" = "$pages" ] || bad "only $nA4 of $pages pages are A4: $(grep -v '(A4)' "$T/sizes" | head -n 2)"
pdftotext -layout "$T/b/bulletin.pdf" "$T/pdf.txt"
grep -qi 'file:\|bulletin\.html\|[0-9]/[0-9]*/[0-9][0-9], ' "$T/pdf.txt" &&
    bad "a browser header or footer is printed: $(grep -i 'file:\|bulletin\.html\|[0-9]/[0-9]*/[0-9][0-9], ' "$T/pdf.txt" | head -n 2)"
title=$(sed -n '1s/^# //p' "$T/b/bulletin.md")
n=$(grep -cF "$title" "$T/pdf.txt")
[ "$n" = 1 ] || bad "the title is printed $n times (a browser header repeats it)"
# the 附件: at the top of a page of its own, the whole table on that page
last=$pages
pdftotext -f "$last" -l "$last" "$T/b/bulletin.pdf" "$T/last.txt"
first=$(grep -v '^[[:space:]]*$' "$T/last.txt" | head -n 1)
[ "$first" = 附件 ] || bad "the last page begins with '$first', not 附件"
grep "^Page *$last size" "$T/sizes" | grep -q '841[.0-9]* x 59[45]' ||
    bad "the 附件 page is not landscape: $(grep "^Page *$last size" "$T/sizes")"
for name in 全国 北京 浙江 青海 宁夏 新疆 新疆生产建设兵团; do
    grep -q "^$name\$" "$T/last.txt" || grep -q "$name" "$T/last.txt" ||
        bad "the 附件 page lacks $name (the table spills over)"
done
pdftotext -f $((last - 1)) -l $((last - 1)) "$T/b/bulletin.pdf" - | grep -q '各省职工医保个人账户共济情况$' &&
    bad "the page before the 附件 holds the table's title"
pdftoppm -r 50 -png "$T/b/bulletin.pdf" "$T/b/page" || bad "pdftoppm failed"
if [ -n "${GONGJI_HTML_KEEP:-}" ]; then
    mkdir -p "$GONGJI_HTML_KEEP" && cp "$T/b/bulletin.html" "$T/b/bulletin.pdf" "$T/b"/page-*.png "$GONGJI_HTML_KEEP"/
    note "kept the page, the PDF and its PNGs in $GONGJI_HTML_KEEP"
fi

# --- the same again: the same bytes; --no-charts: no images ------------------
run bul2 "$GONGJI" bulletin --quiet --db "$T/s.db" --period 2024-09 --as-of 2024-10-20 --out "$T/b2" --no-record
expect_rc bul2 0
cmp -s "$H" "$T/b2/bulletin.html" || bad "a second run wrote a different bulletin.html"
run nc "$GONGJI" bulletin --quiet --db "$T/s.db" --period 2024-09 --as-of 2024-10-20 --out "$T/nc" --no-record --no-charts
expect_rc nc 0
grep -q '<img\|<figure' "$T/nc/bulletin.html" && bad "--no-charts: the page has images"
grep -q '<tr class="total"><th scope="row">全国</th><td>24634.50</td>' "$T/nc/bulletin.html" ||
    bad "--no-charts: no 附件 table"

# --- names are text, never markup -------------------------------------------
D="$T/data"
cp -r "$GONGJI_DATA" "$D" || fail "copy data"
awk -F, 'BEGIN { OFS = "," } NR > 1 { $3 = "<img src=x onerror=alert(" $1 ")>\x27q&amp;" } { print }' \
    "$GONGJI_DATA/provinces.csv" >"$D/provinces.csv"
GONGJI_DATA="$D" GONGJI_TEMPLATES="$GONGJI_TOP/templates" \
    run hos "$GONGJI" bulletin --quiet --db "$T/s.db" --period 2024-09 --as-of 2024-10-20 --out "$T/h" --no-record
expect_rc hos 0
grep -q '<img src=x\|onerror=alert([0-9]*)>' "$T/h/bulletin.html" && bad "a hostile name became markup"
want='<tr><th scope="row">&lt;img src=x onerror=alert(330000)&gt;&#39;q&amp;amp;</th>'
grep -qF -- "$want" "$T/h/bulletin.html" || bad "no escaped name in the 附件: $(grep -o '<tr><th scope="row">[^/]*330000[^/]*/th>' "$T/h/bulletin.html" | head -n 1)"
n=$(grep -c '<img ' "$T/h/bulletin.html")
[ "$n" = 6 ] || bad "hostile names: $n <img>, expected the 6 charts"

# --- a broken house shell: a usage of its own, nothing written -------------
TD="$T/templates"
cp -r "$GONGJI_TOP/templates" "$TD" || fail "copy templates"
sed -i 's/{{title}}/{{titel}}/' "$TD/bulletin.html.tmpl"
GONGJI_TEMPLATES="$TD" run bad1 "$GONGJI" bulletin --quiet --db "$T/s.db" --period 2024-09 --out "$T/x" --no-record --no-charts
expect_rc bad1 3
grep -q 'bulletin.html.tmpl.*{{titel}}' "$T/bad1.err" || bad "the shell error does not name the file and placeholder: $(cat "$T/bad1.err")"
[ -e "$T/x/bulletin.md" ] && bad "bulletin.md was written despite the shell error"
finish
