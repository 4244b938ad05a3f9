#!/bin/sh
# SPDX-License-Identifier: MIT
# Build templates/reference.docx, the house style of bulletin.docx (README
# "bulletin.docx"), from pandoc's own reference document: the layout of
# Chinese official documents (GB/T 9704-2012, 党政机关公文格式) as far as a
# release needs it.  Run it again after changing the styles below and commit
# the result; gongji only reads templates/reference.docx.
#   sh scripts/make-reference-docx.sh [OUT]   (default templates/reference.docx)
# Needs pandoc, python3 (zipfile) - a maintainer's tool, not a build step.
#  - A4, margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right;
#  - body 仿宋_GB2312 三号 (16 pt), 28.95 pt exact lines (22 lines a page),
#    first lines indented two characters; Latin text Times New Roman;
#  - title 方正小标宋简体 二号 (22 pt) centred; headings 一、 黑体, （一） 楷体_GB2312,
#    1. 仿宋_GB2312 bold, all 三号 black;
#  - the footer "— N —" (宋体 四号, centred);
#  - tables: single borders, cells 8 pt (the 附件 has 11 to 20 columns),
#    no indent;
#  - styles gongji names with custom-style: Doc Number (发文字号), Draft Mark
#    (征求意见稿), Attachment Heading (附件), Attachment Title,
#    Table Units, Table Note;
#  - the document's last section, the 附件's, is A4 landscape, so that the
#    20 columns of the 2025 table and its 33 rows fit one page: margins 18
#    mm top, 15 mm bottom, 28 mm left, 26 mm right, the page number 8 mm
#    from the bottom edge; its cells (style Compact) 8 pt on exact 9.5 pt
#    lines.  templates/docx-sections.lua ends the portrait section of the
#    text before the 附件 (its sectPr must match the portrait one here).
# Traps (../shared LIBRARIES-2 §5.1): Compact must not be based on Body Text
# (cells would inherit the indent and the exact spacing); no exact spacing
# in docDefaults (it clips the charts to one line); no docGrid; captions
# inherit italics unless turned off.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/templates/reference.docx}
command -v pandoc >/dev/null 2>&1 || { echo "make-reference-docx: needs pandoc" >&2; exit 3; }
command -v python3 >/dev/null 2>&1 || { echo "make-reference-docx: needs python3" >&2; exit 3; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pandoc -o "$tmp/default.docx" --print-default-data-file reference.docx
python3 - "$tmp/default.docx" "$out.tmp" <<'PY'
import re, sys, zipfile

src, dst = sys.argv[1], sys.argv[2]
zin = zipfile.ZipFile(src)
parts = {n: zin.read(n) for n in zin.namelist()}

FS, HEI, KAI, XBS, SONG = "仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体", "宋体"

def fonts(ea, latin="Times New Roman"):
    return ('<w:rFonts w:ascii="%s" w:hAnsi="%s" w:eastAsia="%s" w:cs="%s"/>'
            % (latin, latin, ea, latin))

def rpr(ea, sz, bold=False, latin="Times New Roman"):
    b = "<w:b/><w:bCs/>" if bold else '<w:b w:val="0"/><w:bCs w:val="0"/>'
    return ("<w:rPr>%s%s<w:i w:val=\"0\"/><w:iCs w:val=\"0\"/>"
            "<w:color w:val=\"000000\"/><w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/></w:rPr>"
            % (fonts(ea, latin), b, sz, sz))

LINE = '<w:spacing w:before="0" w:after="0" w:line="579" w:lineRule="exact"/>'
SINGLE = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
INDENT = '<w:ind w:firstLineChars="200" w:firstLine="640"/>'

def pstyle(sid, name, based, ppr, rp, extra="", custom=True, nxt=None):
    return ('<w:style w:type="paragraph"%s w:styleId="%s"><w:name w:val="%s"/>'
            '%s%s%s<w:qFormat/><w:pPr>%s</w:pPr>%s</w:style>'
            % (' w:customStyle="1"' if custom else "", sid, name,
               '<w:basedOn w:val="%s"/>' % based if based else "",
               '<w:next w:val="%s"/>' % nxt if nxt else "", extra, ppr, rp))

styles = {
    "Normal": pstyle("Normal", "Normal", None, "", "", custom=False)
        .replace('w:type="paragraph"', 'w:type="paragraph" w:default="1"'),
    "BodyText": pstyle("BodyText", "Body Text", "Normal",
                       LINE + INDENT + '<w:jc w:val="both"/>', "", custom=False),
    "FirstParagraph": pstyle("FirstParagraph", "First Paragraph", "BodyText", "", "",
                             nxt="BodyText"),
    # the 附件's cells: 8 pt on exact 9.5 pt lines, so that 33 rows fit
    # one landscape page
    "Compact": pstyle("Compact", "Compact", "Normal",
                      '<w:spacing w:before="0" w:after="0" w:line="190"'
                      ' w:lineRule="exact"/><w:ind w:firstLine="0"/>', rpr(FS, 16)),
    "Title": pstyle("Title", "Title", "Normal",
                    '<w:keepNext/><w:keepLines/><w:spacing w:before="0" w:after="579"'
                    ' w:line="700" w:lineRule="exact"/><w:jc w:val="center"/>',
                    rpr(XBS, 44), custom=False, nxt="BodyText"),
    "Heading1": pstyle("Heading1", "Heading 1", "Normal",
                       '<w:keepNext/><w:keepLines/>' + LINE + INDENT +
                       '<w:outlineLvl w:val="0"/>', rpr(HEI, 32), custom=False,
                       nxt="BodyText"),
    "Heading2": pstyle("Heading2", "Heading 2", "Normal",
                       '<w:keepNext/><w:keepLines/>' + LINE + INDENT +
                       '<w:outlineLvl w:val="1"/>', rpr(KAI, 32), custom=False,
                       nxt="BodyText"),
    "Caption": pstyle("Caption", "Caption", "Normal",
                      '<w:spacing w:before="60" w:after="240" w:line="240"'
                      ' w:lineRule="auto"/><w:jc w:val="center"/>', rpr(HEI, 28),
                      custom=False),
    "ImageCaption": pstyle("ImageCaption", "Image Caption", "Caption", "", ""),
    "TableCaption": pstyle("TableCaption", "Table Caption", "Caption",
                           '<w:keepNext/>', ""),
    "Figure": pstyle("Figure", "Figure", "Normal",
                     '<w:keepNext/>' + SINGLE + '<w:jc w:val="center"/>', ""),
    "CaptionedFigure": pstyle("CaptionedFigure", "Captioned Figure", "Figure",
                              '<w:keepNext/>', ""),
}
for n in range(3, 10):
    styles["Heading%d" % n] = pstyle(
        "Heading%d" % n, "Heading %d" % n, "Normal",
        '<w:keepNext/><w:keepLines/>' + LINE + INDENT +
        '<w:outlineLvl w:val="%d"/>' % (n - 1), rpr(FS, 32, bold=True),
        custom=False, nxt="BodyText")
new = [
    pstyle("DocNumber", "Doc Number", "Normal",
           LINE + '<w:jc w:val="center"/>', rpr(FS, 32)),
    pstyle("DraftMark", "Draft Mark", "Normal",
           '<w:keepNext/>' + LINE + '<w:jc w:val="center"/>', rpr(KAI, 32)),
    pstyle("AttachmentHeading", "Attachment Heading", "Normal",
           '<w:keepNext/>' + LINE, rpr(HEI, 32)),
    pstyle("AttachmentTitle", "Attachment Title", "Normal",
           '<w:keepNext/><w:spacing w:before="0" w:after="120" w:line="240"'
           ' w:lineRule="auto"/><w:jc w:val="center"/>', rpr(XBS, 32)),
    pstyle("TableUnits", "Table Units", "Normal",
           '<w:keepNext/>' + SINGLE + '<w:jc w:val="right"/>', rpr(FS, 21)),
    pstyle("TableNote", "Table Note", "Normal",
           '<w:spacing w:before="60" w:after="0" w:line="240" w:lineRule="auto"/>',
           rpr(FS, 21)),
]

s = parts["word/styles.xml"].decode()
s = re.sub(r"<w:docDefaults>.*?</w:docDefaults>",
           "<w:docDefaults><w:rPrDefault><w:rPr>%s<w:sz w:val=\"32\"/>"
           "<w:szCs w:val=\"32\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\""
           " w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
           "<w:spacing w:before=\"0\" w:after=\"0\"/></w:pPr></w:pPrDefault>"
           "</w:docDefaults>" % fonts(FS), s, flags=re.S)
for sid, xml in styles.items():
    pat = r'<w:style [^>]*w:styleId="%s">.*?</w:style>' % sid
    if re.search(pat, s, re.S) is None:
        s = s.replace("</w:styles>", xml + "</w:styles>")
    else:
        s = re.sub(pat, lambda m: xml, s, count=1, flags=re.S)
# the table: single borders on every edge, centred, header row not special
border = "".join('<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>' % e
                 for e in ("top", "left", "bottom", "right", "insideH", "insideV"))
table = ('<w:style w:type="table" w:default="1" w:styleId="Table"><w:name w:val="Table"/>'
         '<w:basedOn w:val="TableNormal"/><w:qFormat/><w:pPr>' + SINGLE +
         '<w:ind w:firstLine="0"/></w:pPr>' + rpr(FS, 16) +
         '<w:tblPr><w:jc w:val="center"/><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>' +
         border + '</w:tblBorders><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
         '<w:left w:w="28" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
         '<w:right w:w="28" w:type="dxa"/></w:tblCellMar></w:tblPr>'
         '<w:tblStylePr w:type="firstRow"><w:rPr><w:rFonts w:eastAsia="%s"/></w:rPr>'
         '<w:tcPr><w:vAlign w:val="center"/></w:tcPr></w:tblStylePr></w:style>' % HEI)
s = re.sub(r'<w:style [^>]*w:styleId="Table">.*?</w:style>', lambda m: table, s,
           count=1, flags=re.S)
s = s.replace("</w:styles>", "".join(new) + "</w:styles>")
parts["word/styles.xml"] = s.encode()

# the page and the footer: the document's last sectPr is what pandoc copies
FOOTER_ID = "rIdGongjiFooter"
d = parts["word/document.xml"].decode()
sect = ('<w:sectPr><w:footerReference w:type="default" r:id="%s"/>'
        '<w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>'
        '<w:pgMar w:top="1021" w:right="1474" w:bottom="851" w:left="1587"'
        ' w:header="567" w:footer="454" w:gutter="0"/><w:cols w:space="425"/>'
        '</w:sectPr>' % FOOTER_ID)
d = re.sub(r"<w:sectPr\s*/>|<w:sectPr.*?</w:sectPr>", "", d, flags=re.S)
d = d.replace("</w:body>", sect + "</w:body>")
parts["word/document.xml"] = d.encode()
run = lambda t: ('<w:r><w:rPr>%s<w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr>'
                 '<w:t xml:space="preserve">%s</w:t></w:r>' % (fonts(SONG), t))
footer = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
          ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
          '<w:p><w:pPr><w:jc w:val="center"/></w:pPr>' + run("— ") +
          '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
          '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
          '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + run("1") +
          '<w:r><w:fldChar w:fldCharType="end"/></w:r>' + run(" —") + '</w:p></w:ftr>')
parts["word/footer1.xml"] = footer.encode()
rels = parts["word/_rels/document.xml.rels"].decode()
rels = rels.replace("</Relationships>",
    '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/footer" Id="%s" Target="footer1.xml"/></Relationships>' % FOOTER_ID)
parts["word/_rels/document.xml.rels"] = rels.encode()
ct = parts["[Content_Types].xml"].decode()
ct = ct.replace("</Types>",
    '<Override PartName="/word/footer1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/></Types>')
parts["[Content_Types].xml"] = ct.encode()
core = parts["docProps/core.xml"].decode()
core = re.sub(r"<dc:title>.*?</dc:title>", "<dc:title></dc:title>", core, flags=re.S)
parts["docProps/core.xml"] = core.encode()

# a fixed time stamp: the same script gives the same bytes
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
    for name in sorted(parts):
        info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, parts[name])
PY
mv "$out.tmp" "$out"
echo "make-reference-docx: wrote $out" >&2
