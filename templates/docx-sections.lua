-- SPDX-License-Identifier: MIT
-- A pandoc Lua filter run by gongji bulletin --docx (report/bulletindocx.c):
-- the text is portrait and the 附件 landscape.  In a .docx the properties
-- of a section sit at its end: the document's last section (the 附件's)
-- takes those of templates/reference.docx (A4 landscape), and this filter
-- ends the text's section, A4 portrait with the 公文 margins (37 mm top,
-- 35 mm bottom, 28 mm left, 26 mm right) and the same footer, just before
-- the first paragraph styled "Attachment Heading".  A section break starts
-- a new page.  The XML is fixed text: nothing of the release reaches it.
local portrait = '<w:p><w:pPr><w:sectPr>'
  .. '<w:footerReference w:type="default" r:id="rIdGongjiFooter"/>'
  .. '<w:pgSz w:w="11906" w:h="16838"/>'
  .. '<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"'
  .. ' w:header="851" w:footer="1304" w:gutter="0"/>'
  .. '<w:cols w:space="425"/></w:sectPr></w:pPr></w:p>'

local done = false

function Div(el)
  if not done and el.attributes['custom-style'] == 'Attachment Heading' then
    done = true
    return { pandoc.RawBlock('openxml', portrait), el }
  end
end
