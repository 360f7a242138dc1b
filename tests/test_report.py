"""The report: thesis chapter, client report and teaching edition in Chinese and English; HTML, Word and Excel
hold the same tables; the text follows the data; nothing from the study file can inject markup; no
respondent-level data leaves the analysis; and the page is checked in a real (headless) Chromium.

The three studies are analysed once per module without bootstrap (about 17 s).
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from study.pipeline import run_study
from study.questionnaire import Text, load_study
from study.report import build_document, render_html, write_outputs, write_report
from study.report.scores import construct_scores, ipma, outcome_construct, rescale, score_summary

ROOT = Path(__file__).resolve().parents[1]
docx = pytest.importorskip("docx")
openpyxl = pytest.importorskip("openpyxl")


# --------------------------------------------------------------------------------------------- fixtures

def _run(name: str):
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):  # as the CLI: small matrices, BLAS threads only contend
        return run_study(load_study(ROOT / f"questionnaires/{name}.yaml"), bootstrap=0)


@pytest.fixture(scope="module")
def shop():
    return _run("ecommerce_loyalty")


@pytest.fixture(scope="module")
def bank():
    return _run("bank_satisfaction")


@pytest.fixture(scope="module")
def mobile():
    return _run("mobile_ecsi")


@pytest.fixture(scope="module")
def outputs(shop, bank, mobile, tmp_path_factory):
    out = {}
    for key, res, lang in (("shop_zh", shop, "zh"), ("shop_en", shop, "en"), ("bank_en", bank, "en"),
                           ("mobile_en", mobile, "en")):
        folder = tmp_path_factory.mktemp(key)
        out[key] = write_outputs(res, folder, lang)
    return out


# --------------------------------------------------------------------------------------------- readers

class _Tables(HTMLParser):
    """Tables of an HTML page: caption and cells (text, class) in document order."""

    def __init__(self):
        super().__init__()
        self.tables, self._cell, self._caption, self._cls = [], None, None, ""

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"caption": "", "cells": []})
        elif tag == "caption":
            self._caption = []
        elif tag in ("td", "th") and self.tables:
            self._cell, self._cls = [], dict(attrs).get("class", "")

    def handle_endtag(self, tag):
        if tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = "".join(self._caption).strip()
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self.tables[-1]["cells"].append(("".join(self._cell).strip(), self._cls))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)


def html_tables(html: str) -> list[dict]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def docx_tables(path: Path) -> list[dict]:
    from docx.oxml.ns import qn

    d = docx.Document(str(path))
    out, previous = [], None
    for el in d.element.body.iterchildren():
        if el.tag == qn("w:p"):
            previous = "".join(t.text or "" for t in el.iter(qn("w:t")))
        elif el.tag == qn("w:tbl"):
            cells = []
            for tr in el.iter(qn("w:tr")):
                for tc in tr.iter(qn("w:tc")):
                    cells.append("".join(t.text or "" for t in tc.iter(qn("w:t"))).strip())
            out.append({"caption": previous.strip(), "cells": [c for c in cells if c]})
    return out


def number_of(text: str) -> float | None:
    m = re.search(r"-?\d*\.\d+|-?\d+", text.replace("−", "-"))
    return float(m.group()) if m else None


def finding_paragraphs(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", p).strip() for p in re.findall(r'<p class="finding">(.*?)</p>', html, re.S)]


# --------------------------------------------------------------------------------------------- content

def test_chapter_in_the_briefs_order(outputs):
    html = outputs["shop_zh"]["html"].read_text(encoding="utf-8")
    order = ["4.1 样本与数据筛选", "4.2 题项描述性统计", "4.3 项目分析", "4.4 信度分析", "4.5 效度分析",
             "4.6 共同方法偏差检验", "4.7 构念相关分析", "4.8 差异分析", "4.9 回归分析", "4.10 模型拟合",
             "4.11 路径系数与假设检验", "4.12 中介效应检验", "4.13 竞争模型比较", "4.14 调节效应检验",
             "4.15 有调节的中介效应", "4.16 多群组比较", "4.17 研究结论与管理启示", "4.18 研究局限"]
    positions = [html.index(h) for h in order]
    assert positions == sorted(positions)
    for needle in ("Mardia", "McDonald", "95% 置信区间", "MSA", "平行分析", "旋转后的因子载荷矩阵", "Fornell–Larcker",
                   "HTMT", "Harman", "重要性—表现矩阵", "表4-1 ", "图4-1 "):
        assert needle in html, needle


def test_tables_are_three_line_and_numbered_in_order(outputs):
    tables = html_tables(outputs["bank_en"]["html"].read_text(encoding="utf-8"))
    numbers = [int(re.match(r"Table 4\.(\d+) ", t["caption"]).group(1)) for t in tables]
    assert numbers == list(range(1, len(tables) + 1))
    html = outputs["bank_en"]["html"].read_text(encoding="utf-8")
    figures = re.findall(r"<figcaption>Figure 4\.(\d+) ", html)
    # answers, path diagram, importance-performance map; no means plot: gender differs in no score
    assert figures == [str(k) for k in range(1, len(figures) + 1)] and len(figures) == 3
    assert html.index("<caption>Table 4.1") < html.index("<tbody>")  # caption above the table
    rules = [line for line in html.splitlines() if line.strip().startswith("table.three-line")]
    assert any("border-top: 2px solid" in line for line in rules)  # three lines ...
    assert not any("border-left" in line or "border-right" in line for line in rules)  # ... no vertical rule


def test_reliability_columns_and_validity_tables(bank):
    doc = build_document(bank, "en")
    rel = next(t for t in doc.tables() if t.key == "reliability")
    sat = bank.measurement.constructs["SAT"]
    texts = [c.text for row in rel.body for c in row]
    assert f"[{sat.alpha_ci.lower:.3f}, {sat.alpha_ci.upper:.3f}]" in texts
    assert f"{sat.omega:.3f}" in texts
    efa = next(t for t in doc.tables() if t.key == "efa")
    assert len(efa.body) == len(bank.measurement.efa.loadings) + 3  # items + SS, % and cumulative %
    kmo = next(t for t in doc.tables() if t.key == "kmo")
    assert f"{bank.measurement.kmo.per_item.min():.3f}" in [c.text for row in kmo.body for c in row]
    assert {t.key for t in doc.tables()} >= {"screening", "demo", "items", "mardia", "reliability", "kmo", "efa", "cfa",
                                             "cfa_fit", "fl", "htmt", "htmt_ci", "corr", "fit", "paths", "r2",
                                             "mediation", "g_fit", "g_paths", "ipma_item"}


def test_construct_scores_and_ipma(bank):
    study = bank.study
    scores = construct_scores(bank.data.items, study)
    assert list(scores.columns) == ["QUAL", "SAT", "TRUST", "LOY"]
    assert scores["SAT"].iloc[0] == pytest.approx(bank.data.items[["sat1", "sat2", "sat3", "sat4"]].iloc[0].mean())
    summary = score_summary(scores)
    assert summary.r.loc["SAT", "LOY"] == pytest.approx(scores["SAT"].corr(scores["LOY"]))
    assert outcome_construct(study) == "LOY"
    ip = ipma(study, scores, bank.effects["total"])
    assert {p.code for p in ip.points} == {"QUAL", "SAT", "TRUST"}
    sat = next(p for p in ip.points if p.code == "SAT")
    assert sat.importance == pytest.approx(bank.effects["total"]["LOY"]["SAT"])
    assert sat.performance == pytest.approx(rescale(scores["SAT"].mean(), 0, 10))
    assert rescale(7, 1, 7) == 100 and rescale(1, 1, 7) == 0


# --------------------------------------------------------------------------------------------- formats agree

def test_docx_holds_the_same_tables_as_the_html(outputs):
    for key in ("shop_zh", "bank_en", "mobile_en"):
        html = html_tables(outputs[key]["html"].read_text(encoding="utf-8"))
        word = docx_tables(outputs[key]["docx"])
        assert len(word) == len(html) > 15, key
        for h, w in zip(html, word):
            assert w["caption"] == h["caption"]
            assert w["cells"] == [text for text, _ in h["cells"] if text], h["caption"]


def test_docx_tables_have_three_rules_and_seq_captions(outputs):
    from docx.oxml.ns import qn

    d = docx.Document(str(outputs["bank_en"]["docx"]))
    table = d.tables[0]._tbl
    rows = table.tr_lst
    top = rows[0].tc_lst[0].tcPr.find(qn("w:tcBorders")).find(qn("w:top"))
    bottom = rows[-1].tc_lst[-1].tcPr.find(qn("w:tcBorders")).find(qn("w:bottom"))
    assert top.get(qn("w:val")) == "single" and bottom.get(qn("w:val")) == "single"
    assert table.tblPr.find(qn("w:tblBorders")).find(qn("w:insideV")).get(qn("w:val")) == "nil"
    seq = [f.get(qn("w:instr")) for f in d.element.body.iter(qn("w:fldSimple"))]
    assert any("SEQ Table" in s for s in seq) and any("SEQ Figure" in s for s in seq)
    assert len(d.inline_shapes) == 3  # answer distribution, path diagram, importance-performance map


def test_xlsx_has_one_sheet_per_table_with_the_same_numbers(outputs):
    html = html_tables(outputs["shop_zh"]["html"].read_text(encoding="utf-8"))
    wb = openpyxl.load_workbook(outputs["shop_zh"]["xlsx"])
    assert len(wb.sheetnames) == len(html)
    for ws, h in zip(wb.worksheets, html):
        assert ws["A1"].value == h["caption"]
        values = []
        for row in ws.iter_rows(min_row=3):
            if all(c.value in (None, "") for c in row):
                break
            values += [c.value for c in row if c.value not in (None, "")]
        cells = [(text, cls) for text, cls in h["cells"] if text]
        assert len(values) == len(cells), h["caption"]
        for v, (text, cls) in zip(values, cells):
            if isinstance(v, str):
                assert v == text
            elif text.startswith("<"):
                assert v < 0.001
            else:
                shown = number_of(text)
                decimals = len(re.search(r"\.(\d+)", text).group(1)) if "." in text else 0
                assert abs(v - shown) <= 0.5 * 10 ** -decimals + 1e-9, (h["caption"], text, v)


def test_zh_and_en_reports_hold_the_same_numbers(outputs):
    zh = html_tables(outputs["shop_zh"]["html"].read_text(encoding="utf-8"))
    en = html_tables(outputs["shop_en"]["html"].read_text(encoding="utf-8"))
    assert len(zh) == len(en)
    for a, b in zip(zh, en):
        numbers_a = [t for t, cls in a["cells"] if cls.split()[:1] in (["num"], ["p"])]
        numbers_b = [t for t, cls in b["cells"] if cls.split()[:1] in (["num"], ["p"])]
        assert numbers_a == numbers_b, (a["caption"], b["caption"])


def test_write_report_still_writes_the_html(bank, tmp_path):
    path = write_report(bank, tmp_path, "en")
    assert path.name == "report.html" and "Table 4.1" in path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------------------------- text follows the data

def test_paragraphs_differ_between_studies(outputs):
    shop = set(finding_paragraphs(outputs["shop_en"]["html"].read_text(encoding="utf-8")))
    bank = set(finding_paragraphs(outputs["bank_en"]["html"].read_text(encoding="utf-8")))
    assert len(shop) > 20 and len(bank) > 20
    assert not shop & bank  # no paragraph reads the same for both studies
    for p in shop | bank:
        assert re.search(r"\d", p), p  # every finding states a number


def test_hypothesis_text_follows_the_estimate(bank):
    h1 = bank.hypotheses[0]
    weak = dataclasses.replace(h1, pvalue=0.42, z=0.81, supported=False)
    changed = dataclasses.replace(bank, hypotheses=[weak, *bank.hypotheses[1:]])
    before = render_html(bank, "en")
    after = render_html(changed, "en")
    assert "H1 (Perceived quality → Satisfaction, expected positive) is supported" in before
    assert "H1 (Perceived quality → Satisfaction, expected positive) is not supported" in after
    assert "<i>p</i> = 0.420" in after and "4 of the 5 path hypotheses is supported" not in after
    assert "4 of the 5 path hypotheses are supported" in after
    zh = render_html(changed, "zh")
    assert "H1（感知质量对顾客满意有正向影响）未得到支持" in zh


def test_reliability_and_fit_text_follow_the_numbers(bank):
    sat = bank.measurement.constructs["SAT"]
    weak = dataclasses.replace(sat, alpha=0.612)
    chapter = dataclasses.replace(bank.measurement, constructs={**bank.measurement.constructs, "SAT": weak})
    poor_fit = {**bank.sem_fit, "cfi": 0.842, "rmsea": 0.121}
    changed = dataclasses.replace(bank, measurement=chapter, sem_fit=poor_fit)
    before, after = finding_paragraphs(render_html(bank, "en")), finding_paragraphs(render_html(changed, "en"))
    assert any("every first-order construct reaches 0.70" in p for p in before)
    assert any("fall below α = 0.70" in p and "Satisfaction (α = 0.612" in p for p in after)
    assert any("CFI = 0.842 (≥ 0.90)" in p and "not acceptable" in p for p in after)
    assert not any("not acceptable" in p for p in before)


def test_improper_solution_makes_no_substantive_claim(mobile):
    assert not mobile.sem_proper
    for lang in ("en", "zh"):
        html = render_html(mobile, lang)
        text = " ".join(finding_paragraphs(html))
        if lang == "en":
            assert "has no proper solution" in text and "no hypothesis is judged" in text
            assert " is supported" not in text and "lever" not in text and "mediation (" not in text
            assert "Improper or unreliable solution" in html and "importance–performance map" not in html.lower()
        else:
            assert "没有合理解" in text and "得到支持：" not in text and "有效手段" not in text
    client = render_html(mobile, "en", "client")
    assert "has no proper solution" in client and "first priority" not in client


def test_management_implications_name_supported_hypotheses_and_quadrants(shop):
    doc = build_document(shop, "en")
    text = " ".join(p.text for s in doc.sections if s.anchor == "conclusions" for p in s.blocks
                    if hasattr(p, "kind") and not hasattr(p, "head"))
    name = lambda code: shop.study.construct(code).label("en")  # noqa: E731
    for h in shop.hypotheses:
        assert (f"{name(h.from_)} with {name(h.to)} (β = " in text) == bool(h.supported)
    assert "not that improving one would by itself raise the other" in text  # associational wording
    levers = next(p.text for s in doc.sections if s.anchor == "conclusions" for p in s.blocks
                  if hasattr(p, "kind") and "On the importance–performance map" in p.text)
    assert "Satisfaction" not in levers and "Loyalty" not in levers.split("; these are associations")[0]


# --------------------------------------------------------------------------------------------- audiences

def test_client_report_puts_the_summary_first_and_details_in_an_appendix(bank, tmp_path):
    logo = tmp_path / "logo.png"
    logo.write_bytes(_tiny_png())
    html = render_html(bank, "en", "client", client="Example Bank <AG>", logo=logo)
    assert "Prepared for Example Bank &lt;AG&gt;" in html
    assert 'src="data:image/png;base64,' in html
    assert html.index("Executive summary") < html.index("Technical appendix") < html.index("Table A.1 ")
    assert html.index("Figure 1 ") < html.index("Technical appendix")  # the IPMA map in the summary
    paths = write_outputs(bank, tmp_path, "en", "client", client="Example Bank", logo=logo)
    assert len(docx.Document(str(paths["docx"])).inline_shapes) == 4  # logo + 3 figures


def test_class_edition_explains_every_table(bank):
    doc = build_document(bank, "en", "class")
    assert all(t.reading and t.formula for t in doc.tables())
    html = render_html(bank, "zh", "class")
    assert html.count('<div class="reading">') == len(doc.tables())
    assert "如何阅读本表" in html and "计算公式" in html


# --------------------------------------------------------------------------------------------- safety

HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def hostile(bank):
    study = bank.study
    constructs = []
    for c in study.constructs:
        if c.code == "LOY":
            c = c.model_copy(update={"name": Text(en=HOSTILE, zh=HOSTILE)})
        if c.code == "TRUST":
            c = c.model_copy(update={"name": Text(en="=1+1", zh="=1+1")})
        constructs.append(c)
    evil = study.model_copy(update={"constructs": constructs, "meta": study.meta.model_copy(
        update={"title": Text(en='<img src=x onerror="alert(2)">', zh="x"), "author": "</title><script>x()</script>"})})
    return dataclasses.replace(bank, study=evil)


def test_names_from_the_study_file_are_text(hostile, tmp_path):
    paths = write_outputs(hostile, tmp_path, "en")
    html = paths["html"].read_text(encoding="utf-8")
    assert "<script" not in html.lower() and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    words = " ".join(p.text for p in docx.Document(str(paths["docx"])).paragraphs)
    assert HOSTILE in words
    wb = openpyxl.load_workbook(paths["xlsx"])
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == "=1+1"]
    assert cells and all(c.data_type == "s" for c in cells)  # never a formula


def test_no_respondent_level_data_in_any_output(shop, outputs):
    ids = set(shop.data.excluded["id"].astype(str)) | {f"R{k:04d}" for k in range(1, 501)}
    rows = [str(r) for r in shop.data.excluded["row"]]
    html = outputs["shop_zh"]["html"].read_text(encoding="utf-8")
    word = " ".join(c["caption"] + " " + " ".join(c["cells"]) for c in docx_tables(outputs["shop_zh"]["docx"]))
    word += " ".join(p.text for p in docx.Document(str(outputs["shop_zh"]["docx"])).paragraphs)
    wb = openpyxl.load_workbook(outputs["shop_zh"]["xlsx"])
    sheets = " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None)
    straight = ", ".join(rows[:3])
    for text in (html, word, sheets):
        assert not re.search(r"\bR\d{4}\b", text)
        assert not any(i in text for i in ids)
        assert "(rows " not in text and straight not in text
    for table in html_tables(html):  # aggregates only: no table has a row per respondent
        assert len(table["cells"]) < shop.data.n_analysed


def _tiny_png() -> bytes:
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x1d\x4e\xd8" * 8 for _ in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


# --------------------------------------------------------------------------------------------- in a real browser

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome", "chrome")
                 if shutil.which(n)), None)
browser = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (CI installs it: apt-get install "
                                                      "chromium fonts-noto-cjk); the in-browser checks are skipped")

CAPTURE = ("<script>window.__errors=[];window.addEventListener('error',function(e){__errors.push(String(e.message))});"
           "var __ce=console.error;console.error=function(){__errors.push([].join.call(arguments,' '));"
           "__ce.apply(console,arguments)};</script>")
CHECKS = """<script>(function(){
var W=document.documentElement.clientWidth, wide=[];
var all=document.body.getElementsByTagName('*');
for(var i=0;i<all.length;i++){var el=all[i];if(el.id==='__checks')continue;var r=el.getBoundingClientRect();
 if(r.width>0&&(r.right>W+1||r.left<-1)){wide.push(el.tagName+'#'+(el.id||'')+' '+Math.round(r.right)+'>'+W);}}
var h=document.querySelector('h1'), font=getComputedStyle(h).fontFamily, c=document.createElement('canvas');
c.width=120;c.height=60;var g=c.getContext('2d');
function draw(s){g.clearRect(0,0,120,60);g.font='40px '+font;g.fillText(s,5,45);return c.toDataURL();}
var a=draw('\\u7f51'), b=draw('\\u5e97'), tofu=draw('\\ue000');
var r=h.getBoundingClientRect();
var out={errors:window.__errors,wide:wide.slice(0,20),scroll:document.documentElement.scrollWidth,client:W,
 cjk:(a!==tofu&&b!==tofu&&a!==b),heading:[r.left,r.top,r.width,r.height],scripts:document.scripts.length,
 tables:document.querySelectorAll('table').length,svgs:document.querySelectorAll('svg').length};
var pre=document.createElement('pre');pre.id='__checks';pre.textContent=JSON.stringify(out);document.body.appendChild(pre);
})();</script>"""


def _chromium(args: list[str], url: str, timeout: int = 60) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                               "--no-first-run", "--disable-background-networking", "--disable-component-update",
                               "--disable-sync", f"--user-data-dir={profile}", "--hide-scrollbars", *args, url],
                              capture_output=True, text=True, timeout=timeout)


def browser_checks(html_path: Path, width: int, tmp_path: Path) -> dict:
    """Open a copy of the page with a check script appended; read the results from the dumped DOM."""
    html = html_path.read_text(encoding="utf-8")
    probe = tmp_path / f"probe_{html_path.parent.name}_{width}.html"
    probe.write_text(html.replace("<head>", "<head>" + CAPTURE, 1).replace("</body>", CHECKS + "</body>", 1),
                     encoding="utf-8")
    done = _chromium([f"--window-size={width},900", "--dump-dom"], probe.as_uri())
    found = re.search(r'<pre id="__checks">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stderr[-2000:]
    result = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<")
                        .replace("&gt;", ">"))
    result["console"] = [line for line in done.stderr.splitlines() if "Uncaught" in line or "CONSOLE" in line]
    return result


@browser
@pytest.mark.parametrize("key", ["shop_zh", "bank_en", "mobile_en"])
def test_page_in_chromium_has_no_errors_and_nothing_wider_than_the_page(outputs, key, tmp_path):
    for width in (1000, 800):
        r = browser_checks(outputs[key]["html"], width, tmp_path)
        assert r["errors"] == [] and r["console"] == [], r
        assert r["wide"] == [] and r["scroll"] <= r["client"], r
        assert r["scripts"] == 2  # the two probes; the report itself has none
        assert r["tables"] == len(html_tables(outputs[key]["html"].read_text(encoding="utf-8")))
        # a means plot only for a background question by which some score differs (3 in the default study's
        # simulated data, none in the others), the default study's simple-slopes figure; no
        # importance-performance map of an improper model
        assert r["svgs"] == {"shop_zh": 7, "bank_en": 3, "mobile_en": 2}[key]


@browser
def test_chinese_heading_renders_with_a_cjk_font(outputs, tmp_path):
    r = browser_checks(outputs["shop_zh"]["html"], 1000, tmp_path)
    assert r["cjk"], "the page's fonts draw Chinese characters as missing-glyph boxes"
    from PIL import Image

    shot = tmp_path / "top.png"
    _chromium(["--window-size=1000,400", f"--screenshot={shot}"], outputs["shop_zh"]["html"].as_uri())
    left, top, width, height = r["heading"]
    region = Image.open(shot).convert("L").crop((int(left), int(top), int(left + width), int(top + height)))
    dark = sum(1 for v in region.tobytes() if v < 100)
    assert dark > 0.03 * region.width * region.height  # the heading is drawn, not blank


@browser
def test_hostile_names_stay_text_in_the_browser(hostile, tmp_path):
    path = tmp_path / "report.html"
    path.write_text(render_html(hostile, "en"), encoding="utf-8")
    r = browser_checks(path, 1000, tmp_path)
    assert r["scripts"] == 2 and r["errors"] == []
    dom = _chromium(["--dump-dom"], path.as_uri()).stdout
    assert HOSTILE.replace("<", "&lt;").replace(">", "&gt;") in dom


# --------------------------------------------------------------------------------------------- issue 12

def test_default_study_has_item_analysis_and_group_differences(shop, outputs):
    """The default study's report compares the construct scores by every background question (gender, age
    band and shopping frequency among them) in HTML, Word and Excel, and results.json carries them."""
    html = outputs["shop_zh"]["html"].read_text(encoding="utf-8")
    captions = [t["caption"] for t in html_tables(html)]
    differs = {g.code: any(r.significant for r in g.results if r.skipped is None) for g in shop.differences.groupings}
    for code, name in (("gender", "性别"), ("age", "年龄"), ("frequency", "购物频率")):
        assert any(c.endswith(f"不同{name}在各构念上的差异分析") for c in captions), name
        # the means plot only where some score differs
        assert (f"不同{name}的构念均值及其 95% 置信区间" in html) == differs[code], name
    assert any(c.endswith("项目分析：决断值与题项—总分相关") for c in captions)
    en = outputs["shop_en"]["html"].read_text(encoding="utf-8")
    for name in ("gender", "age", "shopping frequency"):
        assert f"Differences in the construct scores by {name}" in en
    docx_captions = [t["caption"] for t in docx_tables(outputs["shop_zh"]["docx"])]
    assert any("不同购物频率在各构念上的差异分析" in c for c in docx_captions)
    wb = openpyxl.load_workbook(outputs["shop_zh"]["xlsx"])
    assert any("不同年龄在各构念上的差异分析" in str(ws["A1"].value) for ws in wb.worksheets)
    from study.report.results_json import results_dict

    results = json.loads(json.dumps(results_dict(shop), ensure_ascii=False, allow_nan=False))
    questions = [b["question"] for b in results["differences"]["by"]]
    assert {"gender", "age", "frequency"} <= set(questions)
    frequency = results["differences"]["by"][questions.index("frequency")]
    assert frequency["ordered"] and frequency["outcomes"]["SAT"]["kind"] == "anova"
    assert frequency["outcomes"]["SAT"]["groups"][0]["n"] == int(shop.differences.groupings[4].results[4].groups["n"].iloc[0])
    assert set(results["item_analysis"]) == {"QUAL", "SAT", "TRUST", "LOY", "SWC"}
