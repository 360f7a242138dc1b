"""The report's form on paper: Word tables that LibreOffice, WPS and Word lay out alike (fixed layout, widths
from the content, label columns wide enough, no word or interval broken), rows that never split, headers
that repeat, page numbers, heading levels; HTML print rules; the italic-marker convention; tidy tables.

Most tests use small hand-made documents (fast); the default and bank studies are analysed once, without
bootstrap, for the tests on real reports; the print tests need Chromium, LibreOffice and poppler-utils
and are skipped without them (tools/check_pages.py runs the same checks on all six editions).
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from study.report import build_document, render_document
from study.report.document import (ITALIC_END, ITALIC_START, NBSP, Cell, Document, Paragraph, Section, Table,
                                   cell_alignment, italic, number_document, plain, segments, tidy_table,
                                   unbreakable)
from study.report.docx import build_docx, heading_level
from study.report.layout import CELL_MARGIN_TWIPS, LABEL_EM, text_pt, tokens
from study.report.xlsx import build_xlsx

docx = pytest.importorskip("docx")
from docx.oxml.ns import qn  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TEXT_TWIPS = round(16.0 / 2.54 * 1440)  # A4 less two 2.5 cm margins


# --------------------------------------------------------------------------------------------- helpers

def num(text, kind="num", **kw):
    return Cell(text, None, kind=kind, **kw)


def label(text, **kw):
    return Cell(text, None, kind="label", **kw)


def small_doc(lang="zh", audience="thesis", tables=(), paragraphs=()) -> Document:
    doc = Document(lang=lang, audience=audience, title="网店顾客忠诚研究" if lang == "zh" else "Loyalty study",
                   subtitle="", labels={"how_to_read": "如何阅读本表", "formula": "计算公式", "warnings": "警告",
                                        "no_warnings": "", "logo": "logo", "lead_end": "：" if lang == "zh" else ". ",
                                        "lead_colon": "：" if lang == "zh" else ": "})
    doc.sections = [Section("a", "样本", [*paragraphs, *tables]), Section("b", "信度", [Paragraph("正文。")])]
    number_document(doc)
    return doc


def corr_table(n=8) -> Table:
    names = ["网站设计与易用性", "信息质量", "响应性与客服", "履约与物流", "顾客满意", "信任", "顾客忠诚", "电子服务质量"][:n]
    head = [[label("构念"), label("均值"), label("标准差"), *[label(str(k + 1)) for k in range(n - 1)]]]
    body = []
    for i, a in enumerate(names):
        row = [label(f"{i + 1}. {a}"), num("4.822"), num("1.276")]
        row += [num("0.503***") if j < i else Cell("", None, kind="text") for j in range(n - 1)]
        body.append(row)
    return Table("corr", "构念得分的均值、标准差与相关系数", head, body, notes=["注：*** p < .001。"])


def reliability_table() -> Table:
    head = [[label("构念"), label("题项"), label(""), label("CITC"), label("删除该题项后的 α"), label("Cronbach's α"),
             label("95% 置信区间"), label("McDonald's ω")]]
    items = [("des1", "这家网店的页面布局清晰、简洁。"), ("des2", "在这家网店我能很快找到想要的商品。"),
             ("des3", "在这家网店下单的步骤太多，操作繁琐。"), ("des4", "这家网店的页面打开速度快。")]
    body = []
    for k, (code, text) in enumerate(items):
        row = [label("网站设计与易用性", rowspan=4)] if k == 0 else []
        row += [Cell(code, None, kind="text"), Cell(text, None, kind="text"), num("0.701"), num("0.794")]
        if k == 0:
            row += [num("0.844", rowspan=4), num("[0.819, 0.867]", rowspan=4), num("0.839", rowspan=4)]
        body.append(row)
    return Table("reliability", "各构念的信度", head, body)


def fit_table() -> Table:
    head = [[label("模型"), *[label(x) for x in ("χ²", "df", "CFI", "TLI", "RMSEA", "SRMR", "Δχ²", "Δdf", "p", "ΔCFI")]]]
    body = [[label("CFA，仅构念（ML）"), *[num(x) for x in ("328.91", "303", "0.995", "0.994", "0.014", "0.030",
                                                           "", "", "", "")]],
            [label("CFA + 方法因子（ML）"), *[num(x) for x in ("328.91", "302", "0.995", "0.994", "0.014", "0.030",
                                                            "0.00", "1", "1.000", "0.000")]]]
    return Table("ulmc", "共同方法偏差", head, body)


def word_tables(d) -> list:
    return list(d.element.body.iter(qn("w:tbl")))


def grid_twips(tbl) -> list[int]:
    return [int(g.get(qn("w:w"))) for g in tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol"))]


def cell_texts(tc) -> str:
    return "".join(t.text or "" for t in tc.iter(qn("w:t")))


def kept_with_next(tr) -> bool:
    """Whether a row stays on the page of the next one: one of its paragraphs has keepNext on."""
    for el in tr.iter(qn("w:keepNext")):
        if el.get(qn("w:val")) not in ("0", "false"):
            return True
    return False


def font_pt(tbl) -> float:
    return max(int(s.get(qn("w:val"))) / 2 for s in tbl.iter(qn("w:sz")))


# --------------------------------------------------------------------------------------------- model helpers

def test_unbreakable_joins_intervals_and_comparisons_only():
    assert unbreakable("[0.819, 0.867]") == f"[0.819,{NBSP}0.867]"
    assert unbreakable("(−0.12, 0.40)") == f"(−0.12,{NBSP}0.40)"
    assert unbreakable("p < .001") == f"p{NBSP}<{NBSP}.001"
    assert unbreakable("4.80 ± 1.33") == f"4.80{NBSP}±{NBSP}1.33"
    assert unbreakable("≥ 0.90 (≥ 0.95)") == f"≥{NBSP}0.90 (≥{NBSP}0.95)"
    assert unbreakable(unbreakable("[0.1, 0.2]")) == unbreakable("[0.1, 0.2]")
    assert unbreakable("(5.044, SD = 1.2)").startswith("(5.044, SD")  # not an interval: the space stays
    assert unbreakable("电子服务质量 → 顾客满意") == "电子服务质量 → 顾客满意"


def test_italic_markers_segments_and_plain():
    text = f"{italic('p')} = .069, {italic('SD')} = 1.2"
    assert segments(text) == [("p", True), (" = .069, ", False), ("SD", True), (" = 1.2", False)]
    assert plain(text) == "p = .069, SD = 1.2"
    assert unbreakable(f"{italic('p')} < .001") == f"{italic('p')}{NBSP}<{NBSP}.001"


def test_tidy_table_drops_the_empty_first_row_and_last_column_of_a_triangle():
    names = ["A", "B", "C"]
    body = [[label(a)] + [num("0.5") if j < i else Cell("", None, kind="text") for j in range(3)]
            for i, a in enumerate(names)]
    t = Table("htmt", "HTMT", [[label(""), *[label(b) for b in names]]], body)
    tidy_table(t)
    assert [c.text for c in t.head[0]] == ["", "A", "B"]
    assert [[c.text for c in row] for row in t.body] == [["B", "0.5", ""], ["C", "0.5", "0.5"]]


def test_tidy_table_merges_an_empty_header_into_its_left_neighbour():
    t = reliability_table()
    tidy_table(t)
    assert [(c.text, c.colspan) for c in t.head[0]][:3] == [("构念", 1), ("题项", 2), ("CITC", 1)]
    assert cell_alignment(t)[id(t.head[0][1])] == "left"  # over the wording, left-aligned


def test_tidy_table_keeps_rows_joined_by_a_span_and_a_partly_empty_column():
    t = Table("x", "x", [[label(""), label("b"), label("c")]],
              [[label("g", rowspan=2), num("2"), num("")], [num(""), num("1")]])
    tidy_table(t)
    assert len(t.body) == 2 and len(t.head[0]) == 3


def test_tidy_table_keeps_an_empty_column_outside_a_matrix():
    """A failed model's fit table keeps its (empty) verdict column: only matrices lose empty lines."""
    t = Table("fit", "fit", [[label("Index"), label("Value"), label("Verdict")]],
              [[label("CFI"), num("0.812"), num("")], [label("TLI"), num("0.790"), num("")]])
    tidy_table(t)
    assert [c.text for c in t.head[0]] == ["Index", "Value", "Verdict"] and all(len(r) == 3 for r in t.body)


def test_columns_align_header_and_body_alike():
    head = [[label("假设"), label("路径"), label("预期"), label("β"), label("结论")]]
    body = [[label("H1"), Cell("电子服务质量 → 顾客满意", None, kind="text"), Cell("+", None, kind="text"),
             num("0.645***"), Cell("支持", None, kind="text")]]
    t = Table("paths", "路径", head, body)
    align = cell_alignment(t)
    for h, b in zip(head[0], body[0]):
        assert align[id(h)] == align[id(b)], h.text
    assert [align[id(c)] for c in body[0]] == ["left", "left", "center", "center", "center"]


# --------------------------------------------------------------------------------------------- Word tables

def test_word_tables_have_a_fixed_layout_with_every_width_in_twips():
    d = build_docx(small_doc(tables=[corr_table(), reliability_table(), fit_table()]))
    for tbl in word_tables(d):
        tblpr = tbl.find(qn("w:tblPr"))
        assert tblpr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        widths = grid_twips(tbl)
        tblw = tblpr.find(qn("w:tblW"))
        assert tblw.get(qn("w:type")) == "dxa" and int(tblw.get(qn("w:w"))) == sum(widths) <= TEXT_TWIPS + 5
        order = [child.tag.split("}")[1] for child in tblpr]
        assert order.index("tblW") < order.index("tblBorders") < order.index("tblLayout") < order.index("tblCellMar")
        for tr in tbl.findall(qn("w:tr")):
            col = 0
            for tc in tr.findall(qn("w:tc")):
                span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
                span = int(span.get(qn("w:val"))) if span is not None else 1
                tcw = tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
                assert tcw.get(qn("w:type")) == "dxa" and int(tcw.get(qn("w:w"))) == sum(widths[col:col + span])
                col += span
            assert col == len(widths)


def test_label_columns_are_at_least_five_characters_wide():
    d = build_docx(small_doc(tables=[corr_table(), reliability_table()]))
    for tbl in word_tables(d):
        first = grid_twips(tbl)[0] / 20 - 2 * CELL_MARGIN_TWIPS / 20
        assert first >= LABEL_EM * font_pt(tbl) - 0.5, (first, font_pt(tbl))  # Table 4-14 had 0.8 cm


def groups_table() -> Table:
    """Eleven columns with long headers, as the group-difference tables have."""
    heads = ["(1) Taobao/Tmall (n = 150)", "(2) JD.com (n = 112)", "(3) Pinduoduo (n = 87)",
             "(4) Douyin e-commerce (n = 50)", "(5) Other (n = 26)"]
    head = [[label("Construct"), *[label(h) for h in heads], label("F"), label("p"), label("η²"), label("Post hoc"),
             label("Levene p")]]
    body = [[label(name), *[num("4.80 ± 1.33") for _ in heads], num("0.06"), num("0.994"), num("0.001"), num("—"),
             num("0.616")] for name in ("Website design and ease of use", "Responsiveness and customer service")]
    return Table("diff", "Differences in the construct scores by platform", head, body)


def test_no_word_is_narrower_than_its_column():
    """Every unbreakable piece — "RMSEA", "McDonald's", an interval, "4.80 ± 1.33" — fits its column."""
    d = build_docx(small_doc(tables=[corr_table(), reliability_table(), fit_table(), groups_table()]))
    for tbl in word_tables(d):
        widths, size = grid_twips(tbl), font_pt(tbl)
        for r, tr in enumerate(tbl.findall(qn("w:tr"))):
            col = 0
            for tc in tr.findall(qn("w:tc")):
                span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
                span = int(span.get(qn("w:val"))) if span is not None else 1
                room = sum(widths[col:col + span]) / 20 - 2 * CELL_MARGIN_TWIPS / 20
                text = cell_texts(tc)
                for word in tokens(text):
                    assert text_pt(word, size, bold=True) <= room + 0.01, (word, room)
                col += span


def test_item_wording_wraps_on_at_most_two_lines():
    d = build_docx(small_doc(tables=[reliability_table()]))
    tbl = word_tables(d)[0]
    widths, size = grid_twips(tbl), font_pt(tbl)
    wording = widths[2] / 20 - 2 * CELL_MARGIN_TWIPS / 20
    for tr in tbl.findall(qn("w:tr"))[1:]:
        text = next(cell_texts(tc) for tc in tr.findall(qn("w:tc")) if cell_texts(tc).endswith("。"))
        assert text_pt(text, size) / wording <= 2.0, (text, wording)


def test_intervals_and_comparisons_hold_no_breakable_space():
    d = build_docx(small_doc(tables=[reliability_table()]))
    texts = [cell_texts(tc) for tbl in word_tables(d) for tc in tbl.iter(qn("w:tc"))]
    intervals = [t for t in texts if t.startswith("[")]
    assert intervals == [f"[0.819,{NBSP}0.867]"]


def test_rows_never_split_headers_repeat_and_short_tables_stay_together():
    long = corr_table()
    long.body = long.body * 2  # 16 rows: a long table may break between rows
    d = build_docx(small_doc(tables=[long, reliability_table()]))
    long_tbl, rel_tbl = word_tables(d)
    for tbl, nhead in ((long_tbl, 1), (rel_tbl, 1)):
        rows = tbl.findall(qn("w:tr"))
        assert all(tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for tr in rows)
        assert [tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for tr in rows] == \
            [True] * nhead + [False] * (len(rows) - nhead)

    rows = long_tbl.findall(qn("w:tr"))
    flags = [kept_with_next(tr) for tr in rows]
    assert flags[:3] == [True, True, True]  # the header and the first two rows stay together
    assert flags[3:-3] == [False] * (len(flags) - 6)  # then the table may break between any two rows
    assert flags[-3:] == [False, True, True]  # the last two rows stay together and with the note below
    rel = [kept_with_next(tr) for tr in rel_tbl.findall(qn("w:tr"))]
    assert all(rel[:-1])  # a short table stays on one page
    assert all(tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}") is None for tc in rel_tbl.iter(qn("w:tc")))


def test_blocks_of_a_long_table_stay_together_without_vertical_merges():
    t = reliability_table()
    t.body = t.body * 5  # 20 rows in 5 blocks of a construct and its items
    d = build_docx(small_doc(tables=[t]))
    tbl = word_tables(d)[0]
    rows = tbl.findall(qn("w:tr"))
    flags = [kept_with_next(tr) for tr in rows]
    whole, inside = [True] * 4, [True, True, True, False]
    assert flags == [True] + whole + whole + inside + whole + inside  # the first two and the last two blocks
    assert cell_texts(rows[1].findall(qn("w:tc"))[0]) == "网站设计与易用性"  # the label in the block's first row
    assert cell_texts(rows[2].findall(qn("w:tc"))[0]) == ""
    assert all(tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}") is None for tc in tbl.iter(qn("w:tc")))


def test_long_table_rows_are_not_all_kept_together():
    t = corr_table()
    t.body = t.body * 3
    t.notes = []
    d = build_docx(small_doc(tables=[t]))
    rows = word_tables(d)[0].findall(qn("w:tr"))
    kept = [kept_with_next(tr) for tr in rows]
    assert kept.count(False) >= len(rows) - 6  # the old writer kept every row with the next one


def test_footer_holds_a_page_field():
    d = build_docx(small_doc())
    footer = d.sections[0].footer._element
    instr = " ".join(t.text for t in footer.iter(qn("w:instrText")))
    assert "PAGE" in instr
    assert [f.get(qn("w:fldCharType")) for f in footer.iter(qn("w:fldChar"))] == ["begin", "separate", "end"]


def test_heading_levels_follow_a_thesis_template():
    d = build_docx(small_doc())
    styles = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert styles == [("Heading 1", "第4章 网店顾客忠诚研究"), ("Heading 2", "4.1 样本"), ("Heading 2", "4.2 信度")]
    en = small_doc(lang="en")
    assert [p.text for p in build_docx(en).paragraphs if p.style.name == "Heading 1"] == ["Chapter 4 Loyalty study"]
    sub = small_doc()
    sub.sections.insert(1, Section("a1", "信度分析", [Paragraph("正文。")], level=3))
    number_document(sub)
    assert [s.number for s in sub.sections] == ["4.1", "4.1.1", "4.2"]
    assert [(p.style.name, p.text) for p in build_docx(sub).paragraphs if p.style.name.startswith("Heading")][2] == \
        ("Heading 3", "4.1.1 信度分析")
    assert "<h3>4.1.1 信度分析</h3>" in render_document(sub)
    assert heading_level(Section("x", "x", number="4.1.1")) == 3
    assert heading_level(Section("x", "x", level=3)) == 3
    assert heading_level(Section("x", "x", level=1)) == 1
    assert heading_level(Section("x", "x", number="A.2")) == 2


def test_a_part_starts_on_a_new_page_without_a_page_break_paragraph():
    doc = small_doc()
    doc.sections.append(Section("references", "参考文献", [Paragraph("", kind="references", items=["A. 2020."])],
                                level=1, chapter=""))
    d = build_docx(doc)
    heading = next(p for p in d.paragraphs if p.text == "参考文献")
    assert heading.style.name == "Heading 1" and heading.paragraph_format.page_break_before
    assert not any(br.get(qn("w:type")) == "page" for br in d.element.body.iter(qn("w:br")))


def test_captions_above_tables_and_notes_below():
    d = build_docx(small_doc(tables=[corr_table()]))
    body = list(d.element.body.iterchildren())
    i = next(k for k, el in enumerate(body) if el.tag == qn("w:tbl"))
    assert "".join(t.text or "" for t in body[i - 1].iter(qn("w:t"))).startswith("表4-1")
    assert "".join(t.text or "" for t in body[i + 1].iter(qn("w:t"))).startswith("注：")


def test_italic_markers_become_italic_runs_in_word_tags_in_html_and_nothing_in_excel():
    t = fit_table()
    t.head[0][10] = label(f"Δ{italic('CFI')}")
    t.notes = [f"注：{italic('p')} < .05。"]
    doc = small_doc(tables=[t], paragraphs=[Paragraph(f"{italic('β')} = 0.645，{italic('p')} < .001。")])
    d = build_docx(doc)
    runs = [(r.text, r.italic) for p in d.paragraphs for r in p.runs if r.text.strip()]
    assert ("β", True) in runs and ("p", True) in runs and not any(ITALIC_START in r or ITALIC_END in r for r, _ in runs)
    assert any(r.text == "CFI" and r.italic for tbl in d.tables for c in tbl._cells for p in c.paragraphs
               for r in p.runs)
    html = render_document(doc)
    assert "<i>β</i> = 0.645" in html and "Δ<i>CFI</i>" in html and ITALIC_START not in html and ITALIC_END not in html
    sheet = build_xlsx(doc).worksheets[0]
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "ΔCFI" in values and not any(ITALIC_START in v for v in values)


def test_excel_cells_carry_their_own_look_in_every_sheet():
    """Cells of the same look share their style (xlsx.build_xlsx copies the first one's): each cell still has
    the look its table gives it, in the first sheet and in later ones (numbers, stars, p, bold head, red
    misfit, three rules)."""
    def styled_table(name):
        head = [[label("构念", rowspan=2), label("估计", colspan=2)], [label("β"), label("p")]]
        body = [[label("顾客满意"), Cell("0.645***", 0.645, suffix="***"), Cell("< .001", 0.0002, kind="p")],
                [label("信任"), Cell("0.08", 0.08, digits=2, strong=True), Cell("0.412", 0.412, kind="p")],
                [label("忠诚"), Cell("0.71", 0.71, digits=2, bad=True), Cell("0.012", 0.012, kind="p")]]
        return Table("paths", name, head, body, notes=["注：*** p < .001。"])

    book = build_xlsx(small_doc(tables=[styled_table("路径一"), fit_table(), styled_table("路径二")]))
    for sheet in (book.worksheets[0], book.worksheets[2]):
        assert [sheet.cell(3, c).font.b for c in (1, 2)] == [True, True] and sheet["B4"].font.b
        assert sheet["B5"].number_format == '0.000"***"' and sheet["B5"].value == 0.645
        assert sheet["C5"].number_format == "0.000" and sheet["B6"].number_format == "0.00"
        assert sheet["B6"].font.b and sheet["B6"].font.color is None and not sheet["C6"].font.b
        assert sheet["B7"].font.b and sheet["B7"].font.color.rgb.endswith("B91C1C")
        assert sheet["A5"].alignment.horizontal == "left" and sheet["B5"].alignment.horizontal == "center"
        assert [sheet.cell(3, c).border.top.style for c in (1, 2, 3)] == ["medium"] * 3
        assert [sheet.cell(4, c).border.bottom.style for c in (1, 2, 3)] == ["thin"] * 3
        assert [sheet.cell(7, c).border.bottom.style for c in (1, 2, 3)] == ["medium"] * 3
        assert sheet["B5"].border.top.style is None and sheet["B5"].border.bottom.style is None
        assert sheet["A9"].font.sz == 9 and not sheet["A9"].font.b
    fit = book.worksheets[1]
    assert fit["A3"].border.top.style == "medium" and fit["A3"].border.bottom.style == "thin"  # one head row


def test_excel_cells_sharing_a_look_get_the_styles_they_would_get_one_by_one(monkeypatch, default_study_results):
    """Every cell of the default study's workbook (Chinese and English) has the number format, font, alignment
    and borders that setting its styles one by one gives (xlsx._Looks never reused)."""
    import study.report.xlsx as xlsx

    class Never(dict):
        def __contains__(self, key):
            return False

    def looks_of(book):
        return [(sheet.title, cell.coordinate, cell.number_format, cell.font.b, cell.font.i, cell.font.sz,
                 cell.font.color.rgb if cell.font.color is not None else None, cell.alignment.horizontal,
                 cell.alignment.vertical, cell.alignment.wrap_text, cell.border.top.style, cell.border.bottom.style)
                for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]

    for lang in ("zh", "en"):
        doc = build_document(default_study_results, lang)
        shared = looks_of(build_xlsx(doc))
        monkeypatch.setattr(xlsx, "_Looks", lambda: SimpleNamespace(cells=Never(), borders=Never()))
        one_by_one = looks_of(build_xlsx(doc))
        monkeypatch.undo()
        assert len(shared) > 4000 and shared == one_by_one


def test_chinese_leads_end_with_a_full_width_colon():
    doc = small_doc(paragraphs=[Paragraph("本数据为模拟数据。", kind="notice", lead="模拟数据")])
    assert "<strong>模拟数据：</strong>" in render_document(doc)
    assert any(p.text.startswith("模拟数据：") for p in build_docx(doc).paragraphs)


# --------------------------------------------------------------------------------------------- HTML print

def test_print_css_breaks_long_tables_between_rows_with_repeated_headers():
    long = corr_table()
    long.body = long.body * 2
    html = render_document(small_doc(tables=[long, reliability_table()]))
    css = html[html.index("<style>"):html.index("</style>")]
    print_css = css[css.index("@media print"):]
    assert not re.search(r"(^|[\s,}])table\s*[,{][^}]*break-inside:\s*avoid", print_css)  # not every table
    assert re.search(r"table\.short[^{]*\{[^}]*break-inside:\s*avoid", print_css)
    assert re.search(r"tr[^{]*\{[^}]*break-inside:\s*avoid", print_css)
    assert re.search(r"thead\s*\{\s*display:\s*table-header-group", print_css)
    assert re.search(r"@bottom-center\s*\{[^}]*counter\(page\)", css)
    tables = re.findall(r"<table class=\"([^\"]*)\"", html)
    assert "short" not in tables[0] and "short" in tables[1]
    rel = html[html.index('id="table-4-2"'):]
    rel = rel[:rel.index("</table>")]
    assert rel.count("<tbody>") == 1 and rel.count("<tr>") == 5  # the construct's block in one tbody
    first = html[html.index('id="table-4-1"'):]
    # one row per block otherwise, but the first two and the last two rows of a long table go together
    assert first[:first.index("</table>")].count("<tbody>") == 14


def test_full_width_tables_carry_column_shares():
    html = render_document(small_doc(tables=[reliability_table()]))
    shares = [float(x) for x in re.findall(r'<col style="width: ([\d.]+)%">', html)]
    assert len(shares) == 8 and abs(sum(shares) - 100) < 0.5
    assert shares[2] == max(shares)  # the item wording gets the most room


# --------------------------------------------------------------------------------------------- real reports

@pytest.fixture(scope="module")
def shop():
    from threadpoolctl import threadpool_limits

    from study.pipeline import run_study
    from study.questionnaire import load_study

    with threadpool_limits(1):
        return run_study(load_study(ROOT / "questionnaires/ecommerce_loyalty.yaml"), bootstrap=0)


def test_default_report_tables_in_word(shop):
    doc = build_document(shop, "zh")
    htmt = next(t for t in doc.tables() if t.key == "htmt")
    assert any(c.text for c in htmt.body[0][1:]), "Table 4-11 starts with an empty row"
    assert any(row[-1].text for row in htmt.body), "Table 4-11 ends with an empty column"
    d = build_docx(doc)
    heads = [p.text for p in d.paragraphs if p.style.name == "Heading 2"]
    assert heads[0].startswith("4.1 ") and all(re.match(r"4\.\d+ ", h) for h in heads)
    assert [p.text for p in d.paragraphs if p.style.name == "Heading 1"] == [f"第4章 {doc.title}", "参考文献"]
    for tbl in word_tables(d):
        first = grid_twips(tbl)[0] / 20 - 2 * CELL_MARGIN_TWIPS / 20
        labels = [cell_texts(tc) for tc in (tr.findall(qn("w:tc"))[0] for tr in tbl.findall(qn("w:tr")))
                  if tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}") is None]
        need = min(LABEL_EM * font_pt(tbl), max(text_pt(x, font_pt(tbl), bold=True) for x in labels))
        assert first >= need - 0.5, labels[:3]
        for tc in tbl.iter(qn("w:tc")):
            text = cell_texts(tc)
            assert not re.search(r"[\[(][−-]?[\d.]+, [−-]?[\d.]+[\])]", text), text  # no breakable interval


# --------------------------------------------------------------------------------------------- printed pages

def _check_pages():
    spec = importlib.util.spec_from_file_location("check_pages", ROOT / "tools" / "check_pages.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


tools = pytest.mark.skipif(not all(shutil.which(t) for t in ("pdftoppm", "pdftotext", "fc-match")),
                           reason="poppler-utils and fontconfig are needed for the printed-page checks")


@tools
@pytest.mark.skipif(not (shutil.which("chromium") or shutil.which("chromium-browser")), reason="Chromium is not installed")
def test_printed_html_has_page_numbers_and_no_split_interval(shop, tmp_path):
    cp = _check_pages()
    html = tmp_path / "report.html"
    html.write_text(render_document(build_document(shop, "zh")), encoding="utf-8")
    cp.html_to_pdf(html, tmp_path / "html.pdf")
    pages = cp.check_pdf(tmp_path / "html.pdf", "html", tmp_path / "png", 30)
    assert len(pages) > 10
    assert [f for p in pages for f in p.flags] == []


@tools
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_word_file_in_libreoffice_has_page_numbers_and_no_broken_words(shop, tmp_path):
    cp = _check_pages()
    path = tmp_path / "report.docx"
    build_docx(build_document(shop, "zh")).save(str(path))
    cp.docx_to_pdf(path, tmp_path / "docx.pdf")
    pages = cp.check_pdf(tmp_path / "docx.pdf", "docx", tmp_path / "png", 30)
    assert len(pages) > 8
    assert [f for p in pages for f in p.flags] == []
    assert cp.docx_first_columns(path, 4.0) == []


def test_page_checker_finds_split_intervals_and_broken_words():
    """The checks of tools/check_pages.py on word boxes as pdftotext gives them (points, top left origin)."""
    cp = _check_pages()

    def word(text, x0, y0, width=30, height=9):
        return {"text": text, "x0": x0, "y0": y0, "x1": x0 + width, "y1": y0 + height}

    split = [word("[0.819,", 300, 100), word("0.839", 380, 100), word("0.867]", 302, 111)]
    whole = [word("[0.819,", 300, 100), word("0.867]", 333, 100)]
    prose = [word("(5.044,", 300, 100), word("SD", 333, 100)]
    assert cp.split_intervals(split) == ["[0.819,"]
    assert cp.split_intervals(whole) == [] and cp.split_intervals(prose) == []
    assert cp.broken_words([word("RMSE", 200, 50), word("A", 201, 61)]) == ["RMSE/A"]
    assert cp.broken_words([word("RMSEA", 200, 50), word("SRMR", 260, 50)]) == []
