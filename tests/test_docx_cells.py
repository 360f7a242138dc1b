"""The Word writer's fast paths (study/report/docx.py) make the very XML that python-docx's own calls
make: copied paragraph and run properties, runs built without the run-text setter, the grid of cells read
without python-docx's ``Table._cells``, and styled paragraphs made without its search of styles by name."""

from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Pt
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from study.report.docx import RED, STYLE_IDS, _cell_paragraph, _cell_runs, _runs, _styled, _tc_grid
from study.report.document import italic

TEXTS = ["0.823", " = 0.22", "M ± SD ", f"{italic('p')} < 0.001", f"{italic('t')}(412) = 2.1",
         "tab\there", "two\nlines", "", "中文 样本"]


def _xml(element) -> bytes:
    return etree.tostring(element)


def test_cell_runs_are_the_runs_python_docx_makes():
    for text in TEXTS:
        for size, bold, color in ((9, None, None), (8, True, None), (9, True, RED)):
            ours = OxmlElement("w:p")
            _cell_runs(ours, text, size=size, bold=bold, color=color)
            theirs = DocxParagraph(OxmlElement("w:p"), None)
            _runs(theirs, text, size=size, bold=bold, color=color)
            assert _xml(ours) == _xml(theirs._p), text


def test_cell_paragraph_properties_are_python_docx_s():
    for alignment in (WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER):
        for keep in (True, False):
            p = DocxParagraph(OxmlElement("w:p"), None)
            p.alignment = alignment
            fmt = p.paragraph_format
            fmt.space_after, fmt.space_before, fmt.line_spacing = Pt(2), Pt(2), 1.0
            fmt.first_line_indent = Pt(0)
            fmt.keep_with_next = keep
            fmt.keep_together = True
            assert _xml(_cell_paragraph(alignment, keep)) == _xml(p._p.pPr)


def test_the_grid_of_cells_is_python_docx_s_with_merges():
    table = new_docx().add_table(rows=3, cols=4)
    table.cell(0, 0).merge(table.cell(0, 1))
    table.cell(1, 1).merge(table.cell(1, 3))
    theirs = [c._tc for c in table._cells]
    ours = [tc for row in _tc_grid(table._tbl) for tc in row]
    assert ours == theirs
    assert ours[0] is ours[1] and ours[5] is ours[6] is ours[7]


def test_styled_paragraphs_are_python_docx_s():
    for name in STYLE_IDS:
        ours, theirs = new_docx(), new_docx()
        _styled(ours, name)
        theirs.add_paragraph(style=name)
        assert _xml(ours.paragraphs[-1]._p) == _xml(theirs.paragraphs[-1]._p), name
        assert ours.paragraphs[-1].style.name == name
