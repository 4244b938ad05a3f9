#!/bin/sh
# SPDX-License-Identifier: MIT
# bulletin.docx and bulletin.pdf (pandoc with templates/reference.docx, then
# LibreOffice): the sample store's 2024年1-9月 release as of 2024-10-20,
# rendered docx -> PDF -> PNG here with templates/fonts.conf.
#  - the PDF gongji wrote and one soffice makes from the docx: A4, the text
#    portrait and the 附件 on a landscape page of its own, the last; the
#    text block's left and top edges at the 公文 margins (28 mm, 37 mm;
#    right edge within 26 mm), page numbers "— N —" on every page, the
#    mapped fonts (pdffonts);
#  - the 2025 style's 20-column 附件 (the sample's 2025年1-12月) on that one
#    landscape page, its rows unwrapped;
#  - every figure of bulletin.md is in the docx text and the PDF text; the
#    six charts are inside; the 附件 table is a Word table with every
#    province, on one page;
#  - --draft and --doc-number with hostile text appear literally;
#  - the same inputs (SOURCE_DATE_EPOCH or not): byte-identical docx and PDF;
#  - without pandoc / soffice on PATH: the rest is written, exit 3 naming
#    the tool, a stale bulletin.docx/.pdf removed; --no-pdf; without
#    --docx neither file is written and pandoc is not needed.
# GONGJI_DOCX_KEEP=DIR keeps the PDF and its PNG pages there, to look at.
. "$(dirname "$0")/lib.sh"

command -v pandoc >/dev/null 2>&1 || skip "pandoc is not installed (sh scripts/setup-deps.sh installs it)"
SOFFICE=$(command -v soffice || true)
[ -n "$SOFFICE" ] || skip "soffice is not installed (libreoffice-writer-nogui; sh scripts/setup-deps.sh)"
for t in pdfinfo pdffonts pdftotext pdftoppm unzip; do
    command -v $t >/dev/null 2>&1 || skip "no $t (poppler-utils, unzip)"
done
note "pandoc: $(pandoc --version | head -n 1)"

ingest_sample "$T/s.db" 2024-10-20
HOSTILE='国医保〔2024〕{{x}} \textbf <w:t> $x$ *a* [l](http://e) `c`{=openxml}'
run bul "$GONGJI" bulletin --docx --db "$T/s.db" --period 2024-09 --as-of 2024-10-20 \
    --out "$T/b" --no-record --draft --doc-number "$HOSTILE"
expect_rc bul 0
D="$T/b/bulletin.docx" P="$T/b/bulletin.pdf"
[ -s "$D" ] || fail "no bulletin.docx"
[ -s "$P" ] || fail "no bulletin.pdf"
grep -q "^wrote .*/bulletin.docx$" "$T/bul.out" || bad "stdout does not name bulletin.docx"
grep -q "^wrote .*/bulletin.pdf$" "$T/bul.out" || bad "stdout does not name bulletin.pdf"

# --- the docx ---------------------------------------------------------------
unzip -p "$D" word/document.xml >"$T/doc.xml" || fail "bulletin.docx is not a zip with word/document.xml"
sed -e 's/<[^>]*>//g' "$T/doc.xml" | sed -e 's/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&amp;/\&/g' >"$T/doc.txt"
grep -qF "$HOSTILE" "$T/doc.txt" || bad "the document number is not in the docx literally: $(grep -o '国医保.\{0,80\}' "$T/doc.txt")"
grep -qF '（征求意见稿）' "$T/doc.txt" || bad "no draft mark in the docx"
grep -q 'w:val="DocNumber"' "$T/doc.xml" || bad "the document number line lacks its style"
grep -q 'w:val="Title"' "$T/doc.xml" || bad "no Title paragraph"
grep -q 'w:val="Heading1"' "$T/doc.xml" || bad "the 一、 headings are not Heading 1"
for f in '仿宋_GB2312' '方正小标宋简体' '黑体' '楷体_GB2312'; do
    unzip -p "$D" word/styles.xml | grep -q "w:eastAsia=\"$f\"" || bad "styles.xml does not name $f"
done
grep -o '<w:sectPr>.*</w:sectPr>' "$T/doc.xml" >"$T/sect"
for a in 'w:h="16838"' 'w:w="11906"' 'w:top="2098"' 'w:right="1474"' 'w:bottom="1984"' 'w:left="1587"'; do
    grep -q "$a" "$T/sect" || bad "the docx page lacks $a (A4, 37/26/35/28 mm): $(cat "$T/sect")"
done
grep -q '<w:footerReference' "$T/doc.xml" || bad "no footer (page numbers)"
nimg=$(unzip -l "$D" | grep -c 'word/media/.*\.png')
[ "$nimg" = 6 ] || bad "$nimg charts in the docx, expected 6"
ntbl=$(grep -o '<w:tbl>' "$T/doc.xml" | wc -l)
[ "$ntbl" = 1 ] || bad "$ntbl tables in the docx, expected the 附件"
# the figures of the text, with their units
grep -o '[0-9][0-9.]*\(亿人次\|万人次\|亿元\|万元\|个省份\)' "$T/b/bulletin.md" | sort -u >"$T/figs"
[ "$(wc -l <"$T/figs")" -ge 10 ] || fail "too few figures found in bulletin.md: $(cat "$T/figs")"
tr -d ' \n' <"$T/doc.txt" >"$T/doc.flat"
while read -r f; do
    grep -qF "$f" "$T/doc.flat" || bad "figure $f of bulletin.md is not in bulletin.docx"
done <"$T/figs"
# the 附件: each province row as `gongji query` gives it, rounded once
for p in 北京 浙江 广东 新疆生产建设兵团; do
    grep -qF "$p" "$T/doc.flat" || bad "the 附件 lacks $p"
done
grep -qF '24634.50' "$T/doc.flat" || bad "the 附件's national 共济人次 (24634.50万人次) is missing"

# --- the PDF gongji wrote -----------------------------------------------------
check_pdf() { # PDF WHAT
    pdfinfo "$1" >"$T/info" 2>&1 || { bad "$2: pdfinfo fails: $(head -n 2 "$T/info")"; return; }
    pages=$(sed -n 's/^Pages: *//p' "$T/info")
    [ "$pages" -ge 3 ] && [ "$pages" -le 12 ] || bad "$2: $pages pages"
    # every page A4: the text portrait, the 附件 (the last page) landscape
    pdfinfo -f 1 -l "$pages" "$1" | sed -n 's/^Page *\([0-9]*\) size: *\([0-9.]*\) x \([0-9.]*\) pts.*/\1 \2 \3/p' >"$T/sizes"
    [ "$(wc -l <"$T/sizes")" = "$pages" ] || bad "$2: sizes of $(wc -l <"$T/sizes") of $pages pages"
    awk -v n="$pages" -v what="$2" '
        { p = $1; w = int($2 + 0.5); h = int($3 + 0.5)
          if (p < n && !(w == 595 && h == 842)) printf "%s page %d: %s x %s pt, not A4 portrait\n", what, p, $2, $3
          if (p == n && !(w == 842 && h == 595)) printf "%s page %d (附件): %s x %s pt, not A4 landscape\n", what, p, $2, $3 }' \
        "$T/sizes" >"$T/size.bad"
    [ -s "$T/size.bad" ] && bad "$(cat "$T/size.bad")"
    pdffonts "$1" >"$T/fonts" 2>&1
    grep -q 'NotoSerifCJK' "$T/fonts" || bad "$2: 仿宋/宋体 not rendered in Noto Serif CJK (fonts.conf): $(cat "$T/fonts")"
    grep -q 'NotoSansCJK' "$T/fonts" || bad "$2: 黑体 not rendered in Noto Sans CJK"
    if fc-list | grep -q 'AR PL KaitiM GB'; then
        grep -qi 'Kai' "$T/fonts" || bad "$2: 楷体 not rendered in AR PL KaitiM GB"
    fi
    # the text block: left edge 28 mm (79.4 pt) on every page, top 37 mm
    # on page 1, the one that starts with text (104.9 pt; exact 28.95 pt
    # lines put the first glyphs a little lower),
    # right edge within 595.3 - 26 mm = 521.6 pt (landscape: 841.9 - 26 mm
    # = 768.2 pt)
    pdftotext -bbox "$1" "$T/bbox.html"
    awk -v what="$2" '
        /<page / { pg++; minx[pg] = 1e9; miny[pg] = 1e9; maxx[pg] = 0
                   match($0, /width="[0-9.]*"/); pw[pg] = substr($0, RSTART + 7, RLENGTH - 8) + 0 }
        /<word / && !/>— *[0-9]* *—</ {
            match($0, /xMin="[0-9.]*"/); x = substr($0, RSTART + 6, RLENGTH - 7) + 0
            match($0, /yMin="[0-9.]*"/); y = substr($0, RSTART + 6, RLENGTH - 7) + 0
            match($0, /xMax="[0-9.]*"/); X = substr($0, RSTART + 6, RLENGTH - 7) + 0
            if (x < minx[pg]) minx[pg] = x; if (y < miny[pg]) miny[pg] = y
            if (X > maxx[pg]) maxx[pg] = X
        }
        END {
            for (p = 1; p <= pg; p++) {
                if (minx[p] < 77 || minx[p] > 90) printf "%s page %d: left edge %.1f pt, not 28 mm (79.4)\n", what, p, minx[p]
                if (p == 1 && (miny[p] < 102 || miny[p] > 125)) printf "%s page %d: top edge %.1f pt, not 37 mm (104.9)\n", what, p, miny[p]
                if (maxx[p] > pw[p] - 71.3) printf "%s page %d: right edge %.1f pt, beyond 26 mm (%.1f)\n", what, p, maxx[p], pw[p] - 73.7
            }
        }' "$T/bbox.html" >"$T/edges"
    [ -s "$T/edges" ] && bad "$(cat "$T/edges")"
    pdftotext "$1" "$T/pdf.txt"
    tr -d ' \n\f' <"$T/pdf.txt" >"$T/pdf.flat"
    while read -r f; do
        grep -qF "$f" "$T/pdf.flat" || bad "$2: figure $f of bulletin.md is not in the PDF text"
    done <"$T/figs"
    grep -qF "$(printf '%s' "$HOSTILE" | tr -d ' ')" "$T/pdf.flat" ||
        bad "$2: the document number is not printed literally: $(grep -o '国医保.\{0,80\}' "$T/pdf.flat")"
    grep -qF '征求意见稿' "$T/pdf.flat" || bad "$2: no draft mark printed"
    n=1
    while [ "$n" -le "$pages" ]; do
        grep -qF "—$n—" "$T/pdf.flat" || bad "$2: no page number '— $n —' on page $n"
        n=$((n + 1))
    done
    # the 附件 on one page: 全国 and 兵团 rows on the same page
    a=$(awk -v RS='\f' '/24634\.50/ { print NR }' "$T/pdf.txt" | tail -n 1)
    z=$(awk -v RS='\f' '/48\.32/ { print NR }' "$T/pdf.txt" | tail -n 1)
    [ -n "$a" ] && [ "$a" = "$z" ] || bad "$2: the 附件 table is not on one page (全国 on $a, 兵团 on $z)"
    [ "$a" = "$pages" ] || bad "$2: the 附件 is on page $a of $pages, not the last (landscape) one"
    # its two notes too
    n=$(awk -v RS='\f' '/数据来源：/ { print NR }' "$T/pdf.txt" | tail -n 1)
    [ "$n" = "$pages" ] || bad "$2: the 附件's source note is on page $n, not $pages"
}
check_pdf "$P" "bulletin.pdf"

# --- docx -> PDF -> PNG by hand, as a reader's LibreOffice would -------------
mkdir -p "$T/lo" "$T/home"
HOME="$T/home" FONTCONFIG_FILE="$GONGJI_TOP/templates/fonts.conf" \
    "$SOFFICE" --headless --norestore --convert-to pdf --outdir "$T/lo" "$D" >"$T/lo.out" 2>&1 ||
    bad "soffice cannot convert bulletin.docx: $(tail -n 3 "$T/lo.out")"
[ -s "$T/lo/bulletin.pdf" ] && check_pdf "$T/lo/bulletin.pdf" "soffice of bulletin.docx"
pdftoppm -r 50 -png "$P" "$T/page" || bad "pdftoppm fails"
[ -s "$T/page-1.png" ] || bad "no PNG of page 1"
if [ -n "${GONGJI_DOCX_KEEP:-}" ]; then
    mkdir -p "$GONGJI_DOCX_KEEP" && cp "$P" "$D" "$T"/page-*.png "$GONGJI_DOCX_KEEP"/
fi

# --- the 2025 style: 20 columns on one landscape page ---------------------------
ingest_sample "$T/all.db"
run y25 "$GONGJI" bulletin --docx --db "$T/all.db" --period 2025-12 --as-of 2026-01-30 \
    --out "$T/y25" --no-record --no-charts --quiet
expect_rc y25 0
if [ -s "$T/y25/bulletin.pdf" ]; then
    n=$(pdfinfo "$T/y25/bulletin.pdf" | sed -n 's/^Pages: *//p')
    pdfinfo -f "$n" -l "$n" "$T/y25/bulletin.pdf" | grep -q "^Page *$n size: *841\.[0-9]* x 595\.[0-9]*" ||
        bad "2025: the last page is not A4 landscape"
    pdftotext -f "$n" -l "$n" -layout "$T/y25/bulletin.pdf" "$T/y25.txt"
    for w in 全国 北京 新疆生产建设兵团 共济人次含医保钱包笔数 数据来源： ; do
        grep -qF "$w" "$T/y25.txt" || bad "2025: $w not on the 附件 page"
    done
    # each region's row is one line of the page: its name then 20 numbers
    awk '$1 == "全国" || $1 == "北京" || $1 == "新疆生产建设兵团" { if (NF != 21) print $1 ": " NF - 1 " numbers on its line" }' \
        "$T/y25.txt" >"$T/y25.bad"
    [ -s "$T/y25.bad" ] && bad "2025 附件 rows wrap: $(cat "$T/y25.bad")"
else
    bad "2025: no bulletin.pdf"
fi

# --- deterministic -------------------------------------------------------------
run bul2 "$GONGJI" bulletin --docx --db "$T/s.db" --period 2024-09 --as-of 2024-10-20 \
    --out "$T/b2" --no-record --draft --doc-number "$HOSTILE" --quiet
expect_rc bul2 0
cmp -s "$D" "$T/b2/bulletin.docx" || bad "the same inputs gave another bulletin.docx"
cmp -s "$P" "$T/b2/bulletin.pdf" || bad "the same inputs gave another bulletin.pdf"
unzip -p "$D" docProps/core.xml | grep -q '<dcterms:created xsi:type="dcterms:W3CDTF">2024-10-19T16:00:00Z' ||
    bad "docProps/core.xml's date is not 2024-10-20 00:00 北京时间: $(unzip -p "$D" docProps/core.xml | grep -o 'created[^<]*')"
SOURCE_DATE_EPOCH=1730000000 run sde "$GONGJI" bulletin --docx --db "$T/s.db" --period 2024-09 \
    --as-of 2024-10-20 --out "$T/b3" --no-record --quiet --no-pdf
expect_rc sde 0
SOURCE_DATE_EPOCH=1730000000 run sde2 "$GONGJI" bulletin --docx --db "$T/s.db" --period 2024-09 \
    --as-of 2024-10-20 --out "$T/b4" --no-record --quiet --no-pdf
cmp -s "$T/b3/bulletin.docx" "$T/b4/bulletin.docx" || bad "SOURCE_DATE_EPOCH: two runs, two docx"
unzip -p "$T/b3/bulletin.docx" docProps/core.xml | grep -q '2024-10-27T03:33:20Z' ||
    bad "SOURCE_DATE_EPOCH is not the docx's date"
[ -e "$T/b3/bulletin.pdf" ] && bad "--no-pdf wrote bulletin.pdf"
# no draft, no number: neither appears
run plain "$GONGJI" bulletin --docx --db "$T/s.db" --period 2024-09 --as-of 2024-10-20 \
    --out "$T/b5" --no-record --quiet --no-pdf --no-charts
expect_rc plain 0
unzip -p "$T/b5/bulletin.docx" word/document.xml | grep -q '征求意见稿\|DocNumber' &&
    bad "a docx without --draft/--doc-number has them"

# --- bad values ------------------------------------------------------------------
run badnum "$GONGJI" bulletin --docx --db "$T/s.db" --period 2024-09 --out "$T/b6" \
    --doc-number "$(printf 'a\nb')"
expect_rc badnum 2

# --- the tools missing: the rest is written, exit 3, stale files removed ---------
mkdir -p "$T/bin"
for t in gnuplot pdftoppm pdftocairo; do
    p=$(command -v $t) && ln -sf "$p" "$T/bin/$t"
done
PATH="$T/bin" run nopandoc "$GONGJI" bulletin --docx --db "$T/s.db" --period 2024-09 \
    --as-of 2024-10-20 --out "$T/b" --no-record
expect_rc nopandoc 3
grep -q 'pandoc not found' "$T/nopandoc.err" || bad "no reason given without pandoc: $(cat "$T/nopandoc.err")"
[ -e "$D" ] && bad "a stale bulletin.docx was left beside the new text"
[ -e "$P" ] && bad "a stale bulletin.pdf was left beside the new text"
[ -s "$T/b/bulletin.md" ] && [ -s "$T/b/attachment.xlsx" ] && [ -s "$T/b/charts/trend.png" ] ||
    bad "without pandoc the other outputs were not written"
ln -sf "$(command -v pandoc)" "$T/bin/pandoc"
PATH="$T/bin" run nosoffice "$GONGJI" bulletin --docx --db "$T/s.db" --period 2024-09 \
    --as-of 2024-10-20 --out "$T/b" --no-record
expect_rc nosoffice 3
grep -q 'soffice not found' "$T/nosoffice.err" || bad "no reason given without soffice: $(cat "$T/nosoffice.err")"
[ -s "$D" ] || bad "without soffice bulletin.docx was not written"
PATH="$T/bin" run nodocx "$GONGJI" bulletin --docx --db "$T/s.db" --period 2024-09 \
    --as-of 2024-10-20 --out "$T/b" --no-record --no-pdf
expect_rc nodocx 0
# without --docx: neither file, no pandoc wanted
rm -f "$T/bin/pandoc"
PATH="$T/bin" run plainrun "$GONGJI" bulletin --db "$T/s.db" \
    --period 2024-09 --as-of 2024-10-20 --out "$T/b7" --no-record --no-charts
expect_rc plainrun 0
[ -e "$T/b7/bulletin.docx" ] || [ -e "$T/b7/bulletin.pdf" ] &&
    bad "a bulletin without --docx wrote bulletin.docx or .pdf"
[ -s "$T/b7/bulletin.md" ] && [ -s "$T/b7/bulletin.html" ] ||
    bad "a bulletin without --docx lacks its text or page"
finish
