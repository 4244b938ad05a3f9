#!/bin/sh
# SPDX-License-Identifier: MIT
# The 附件 table prints on ONE A4 landscape page (issue 13): LibreOffice
# turns the workbook into PDF, and the first page holds 全国, the last row
# (新疆生产建设兵团) and the notes under the table.
. "$(dirname "$0")/lib.sh"

SOFFICE=$(command -v soffice || command -v libreoffice || true)
[ -n "$SOFFICE" ] || skip "LibreOffice is not installed (make deps)"
command -v pdftotext >/dev/null 2>&1 || skip "pdftotext is not installed"

ingest_sample "$T/s.db" 2024-10-20
run b "$GONGJI" bulletin --quiet --db "$T/s.db" --period 2024-09 \
    --as-of 2024-10-20 --no-charts --no-record --out "$T/b"
expect_rc b 0
(cd "$T/b" && timeout 180 "$SOFFICE" --headless --norestore \
    "-env:UserInstallation=file://$T/lo-profile" \
    --convert-to pdf --outdir "$T/b" attachment.xlsx >/dev/null 2>&1)
[ -s "$T/b/attachment.pdf" ] || fail "LibreOffice wrote no PDF"
pdfinfo "$T/b/attachment.pdf" | grep -q "^Page size: *841.89 x 595.* (A4)" ||
    bad "not A4 landscape: $(pdfinfo "$T/b/attachment.pdf" | grep 'Page size')"
pdftotext -layout -f 1 -l 1 "$T/b/attachment.pdf" "$T/p1.txt"
for w in "附件 2024年1-9月各省职工医保个人账户共济情况" 全国 北京 青海 宁夏 \
    新疆生产建设兵团 "数据来源"; do
    grep -qF "$w" "$T/p1.txt" || bad "page 1 lacks '$w'"
done
pdftotext -layout -f 2 -l 2 "$T/b/attachment.pdf" "$T/p2.txt"
grep -qF "新疆生产建设兵团" "$T/p2.txt" && grep -qF "共济人次" "$T/p2.txt" &&
    ! grep -qF "统筹区" "$T/p2.txt" && bad "the 附件 table goes on to page 2"

finish
