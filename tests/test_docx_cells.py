"""The Word writer's fast paths (study/report/docx.py) make the very XML that python-docx's own calls
make: tables written as one XML string, compared with the python-docx calls they replace (kept in
tests/docx_reference.py, whose runs and grid of cells are checked against python-docx here too), paragraph
properties made once, and styled paragraphs made without python-docx's search of styles by name."""

import pytest
from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.shared import Pt
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from docx_reference import _cell_runs, _tc_grid, reference_table
from study.report.docx import RED, STYLE_IDS, TEXT_PT, _cell_paragraph, _runs, _styled, _table_xml
from study.report.document import Cell, Table, italic
from study.report.layout import fitting_widths

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


def _edge_tables() -> list[Table]:
    def c(text, **kw):
        return Cell(text, None, **kw)

    two_row_head = [[c("构念", kind="label", rowspan=2), c("估计", kind="label", colspan=2), c("", kind="label")],
                    [c("β", kind="label"), c(f"{italic('p')}", kind="label"), c("备注", kind="label")]]
    body = [[c("满意", kind="label", rowspan=2, colspan=2), c("0.645***", strong=True), c(" leading space")],
            [c("< .001", kind="p", bad=True), c("tab\there"), ],
            [c("信任", kind="label"), c(""), c("two\nlines", kind="text"), c("[0.12, 0.40]")],
            [c("A & B <c> \"d\" 'e'", kind="label"), c('x xmlns:a="b" in\ttext'), c("crlf\r\n end "),
             c("\u00a0nbsp\u3000")]]
    one_row = Table("fit", "拟合", [[c("模型", kind="label"), c("χ²", kind="label")]], [[c("M1", kind="label"),
                    c("328.91")]], notes=["注：示例。"])
    long = Table("items", "题项", [[c("构念", kind="label"), c("题项", kind="label"), c("载荷", kind="label")]],
                 [[c(f"C{k // 4}", kind="label", rowspan=4), c(f"i{k}", kind="text"), c("0.8")] if k % 4 == 0
                  else [c(f"i{k}", kind="text"), c("0.7")] for k in range(24)])
    return [Table("paths", "路径", two_row_head, body, notes=["注：a。", "b。"]), one_row, long]


@pytest.fixture(scope="module")
def document_tables(default_study_results):
    from study.report.build import build_document

    return [t for lang in ("zh", "en") for t in build_document(default_study_results, lang).tables()]


def test_tables_are_the_xml_python_docx_makes(document_tables):
    """Every table of the default study's report (Chinese and English) and a few edge cases: spans across rows
    and columns, a cell spanning both, bold, red, italic, tabs and breaks, leading spaces, empty cells."""
    tables = _edge_tables() + document_tables
    assert len(tables) > 60
    for table in tables:
        size, widths = fitting_widths(table, TEXT_PT)
        ours = new_docx()
        ours.element.body._insert_tbl(parse_xml(_table_xml(table, size, widths)))  # as _add_table inserts it
        theirs = reference_table(new_docx(), table, size, widths)
        assert _xml(ours.element.body.find(theirs.tag)) == _xml(theirs), table.title  # byte for byte


def test_text_that_xml_cannot_hold_is_refused_with_a_value_error_as_python_docx_refuses_it():
    """The command line turns a ValueError of the Word writer into a message (cli._writing_problem)."""
    for bad in ("\x01", "a\x0bb", "\ufffe"):
        table = Table("t", "t", [[Cell("h", None, kind="label")]], [[Cell(f"x{bad}y", None)]])
        size, widths = fitting_widths(table, TEXT_PT)
        with pytest.raises(ValueError, match="XML compatible"):
            reference_table(new_docx(), table, size, widths)
        with pytest.raises(ValueError, match="XML compatible"):
            _table_xml(table, size, widths)
