"""Print every edition of the report as a student would hand it in, and check the pages.

For each edition (default zh and en, bank, mobi, client, class; pls: the mobi study with CB-SEM and
PLS-SEM side by side) this script writes the report files, prints
``report.html`` to PDF with headless Chromium (its print CSS), converts ``report.docx`` to PDF with
LibreOffice (which, like WPS, follows the column widths the file sets), renders every page to PNG with
pdftoppm, and reports per page how full it is. It flags

- ``narrow-first-column``: a table whose first column is narrower than ``--min-col`` characters (em) while
  its labels are longer (Word: the width the .docx sets; HTML: the width Chromium lays out at A4 print width);
- ``split-interval``: an interval "[0.819, 0.867]" broken over two lines;
- ``empty-page-before-table``: a page less than 30 % used that is followed by a page beginning with a table
  caption (the table was pushed to the next page whole);
- ``no-page-number``: a page without its number in the footer;
- ``blank-page``: a page with nothing on it but its number (before the last page);
- ``broken-word``: a header such as RMSEA or SRMR broken over two lines inside a word.

Look at the PNGs (``OUT/<edition>/png/``) as well: the flags catch the known faults, not every fault.

Needs chromium, soffice (LibreOffice) and pdftoppm/pdftotext (poppler-utils) on the PATH. Run from the
repository root:

    python tools/check_pages.py [--out reports/pages] [--editions zh,en,bank,mobi,client,class,pls]
                                [--bootstrap 200] [--dpi 60] [--min-col 4] [--reuse]

It prints a table of pages per edition and format, writes ``OUT/pages.json``, and exits 1 when anything is
flagged, 0 otherwise. ``--reuse`` keeps the analysed results in ``OUT/results-*.pickle`` between runs (for
iterating on the writers; delete them when the analysis changes).
"""

from __future__ import annotations

import argparse
import json
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: edition -> (study file, language, audience)
EDITIONS = {
    "zh": ("ecommerce_loyalty", "zh", "thesis"),
    "en": ("ecommerce_loyalty", "en", "thesis"),
    "bank": ("bank_satisfaction", "en", "thesis"),
    "mobi": ("mobile_ecsi", "en", "thesis"),
    "client": ("ecommerce_loyalty", "zh", "client"),
    "class": ("ecommerce_loyalty", "zh", "class"),
    "pls": ("mobile_ecsi_pls", "en", "thesis"),  # CB-SEM and PLS-SEM side by side (model.method: both)
}

A4_CM = (21.0, 29.7)
#: page margins (top, bottom) in cm, as the writers set them: the HTML print CSS and the .docx section
MARGINS_CM = {"html": (2.0, 2.0), "docx": (2.5, 2.5)}
LOW_FILL = 0.30
CAPTION = re.compile(r"^\s*(表\s*[A-Z0-9]+-\d+|Table\s+[A-Z0-9]+\.\d+|Table\s+\d+)\b")
INTERVAL_OPEN = re.compile(r"^[\[(]−?-?\d*\.?\d+,$")
INTERVAL_CLOSE = re.compile(r"^−?-?\d*\.?\d+[\])]")
WORDS_KEPT_WHOLE = ("RMSEA", "SRMR", "CFI", "TLI", "AVE", "HTMT", "CITC", "KMO", "GFI", "AGFI", "NFI")

CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                "--hide-scrollbars"]


@dataclass
class Page:
    number: int
    fill: float  # share of the body area (between the top and bottom margins) used down to its last ink
    footer: str  # the text in the bottom margin
    first_line: str
    png: str
    flags: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------------------- producing

def _tool(name: str) -> str:
    path = shutil.which(name) or (shutil.which("chromium-browser") if name == "chromium" else None)
    if not path:
        sys.exit(f"check_pages: {name} is not installed (apt-get install chromium libreoffice-writer poppler-utils)")
    return path


def _results(study: str, bootstrap: int, out: Path, reuse: bool):
    from threadpoolctl import threadpool_limits

    from study.pipeline import run_study
    from study.questionnaire import load_study

    cache = out / f"results-{study}-{bootstrap}.pickle"
    if reuse and cache.exists():
        return pickle.loads(cache.read_bytes())
    with threadpool_limits(1):
        res = run_study(load_study(ROOT / "questionnaires" / f"{study}.yaml"), bootstrap=bootstrap)
    if reuse:
        cache.write_bytes(pickle.dumps(res))
    return res


def html_to_pdf(html: Path, pdf: Path) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([_tool("chromium"), *CHROME_FLAGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
                        f"--print-to-pdf={pdf}", html.resolve().as_uri()], capture_output=True, timeout=180)
    if not pdf.exists():
        raise RuntimeError(f"Chromium did not print {html}")


def docx_to_pdf(docx: Path, pdf: Path) -> None:
    with tempfile.TemporaryDirectory() as work:
        subprocess.run([_tool("soffice"), f"-env:UserInstallation=file://{work}/profile", "--headless",
                        "--convert-to", "pdf", "--outdir", work, str(docx)], capture_output=True, timeout=300)
        made = Path(work) / (docx.stem + ".pdf")
        if not made.exists():
            raise RuntimeError(f"LibreOffice did not convert {docx}")
        shutil.move(str(made), pdf)


def pdf_to_pngs(pdf: Path, folder: Path, prefix: str, dpi: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{prefix}-*.png"):
        old.unlink()
    subprocess.run([_tool("pdftoppm"), "-r", str(dpi), "-png", str(pdf), str(folder / prefix)], check=True)
    return sorted(folder.glob(f"{prefix}-*.png"), key=lambda p: int(re.search(r"-(\d+)\.png$", p.name).group(1)))


# ------------------------------------------------------------------------------------------- reading

def pdf_words(pdf: Path) -> list[list[dict]]:
    """Words of each page: text and box (points, origin top left), from ``pdftotext -bbox``."""
    out = subprocess.run([_tool("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", out, re.S):
        words = []
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                             page):
            text = (m.group(5).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
                    .replace("&quot;", '"').replace("&apos;", "'"))
            words.append({"x0": float(m.group(1)), "y0": float(m.group(2)), "x1": float(m.group(3)),
                          "y1": float(m.group(4)), "text": text})
        pages.append(words)
    return pages


def _lines(words: list[dict]) -> list[list[dict]]:
    """Words grouped into lines by their vertical centre (2 pt tolerance), top to bottom, left to right."""
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: ((w["y0"] + w["y1"]) / 2, w["x0"])):
        centre = (w["y0"] + w["y1"]) / 2
        if lines and abs(centre - lines[-1][0]["_c"]) <= 2:
            lines[-1].append({**w, "_c": lines[-1][0]["_c"]})
        else:
            lines.append([{**w, "_c": centre}])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def page_fill(png: Path, top_cm: float, bottom_cm: float) -> float:
    """How far down the body area (between the margins) the page is used: last inked row / body height."""
    grey = np.asarray(Image.open(png).convert("L"))
    h = grey.shape[0]
    top, bottom = round(h * top_cm / A4_CM[1]), round(h * (1 - bottom_cm / A4_CM[1]))
    body = grey[top:bottom]
    inked = np.nonzero((body < 235).any(axis=1))[0]
    return 0.0 if inked.size == 0 else float((inked[-1] + 1) / body.shape[0])


def split_intervals(words: list[dict]) -> list[str]:
    """Intervals broken over two lines: "[0.819," ending its line (or its table cell) with "0.867]" starting
    the next line at about the same place. "(5.044, SD = 1.2)" in running text is no interval."""
    found = []
    lines = _lines(words)
    for k, line_words in enumerate(lines):
        for i, w in enumerate(line_words):
            if not INTERVAL_OPEN.match(w["text"]):
                continue
            after = line_words[i + 1] if i + 1 < len(line_words) else None
            if after is not None and after["x0"] - w["x1"] < 12:
                continue  # the interval goes on on this line (or it was no interval)
            below = [b for line in lines[k + 1:k + 3] for b in line
                     if 0 < b["_c"] - w["_c"] < 3 * (w["y1"] - w["y0"]) and abs(b["x0"] - w["x0"]) < 40]
            if any(INTERVAL_CLOSE.match(b["text"]) for b in below):
                found.append(w["text"])
    return found


def broken_words(words: list[dict]) -> list[str]:
    """Header words such as RMSEA drawn as two pieces on consecutive lines at the same x ("RMSE" / "A")."""
    found = []
    lines = _lines(words)
    for a, b in zip(lines, lines[1:]):
        for wa in a:
            for wb in b:
                if abs(wa["x0"] - wb["x0"]) < 30 and 0 < wb["_c"] - wa["_c"] < 16:
                    joined = wa["text"] + wb["text"]
                    if joined in WORDS_KEPT_WHOLE and wa["text"] not in WORDS_KEPT_WHOLE:
                        found.append(f"{wa['text']}/{wb['text']}")
    return found


# ------------------------------------------------------------------------------------------- columns

def _font(bold: bool):
    """Times New Roman's metrics: the font itself, or Liberation Serif (metric-compatible), via fc-match."""
    from PIL import ImageFont

    name = "Times New Roman:bold" if bold else "Times New Roman"
    path = subprocess.run(["fc-match", "-f", "%{file}", name], capture_output=True, text=True).stdout.strip()
    return ImageFont.truetype(path, 1000)


def _em(text: str, font) -> float:
    """Width of a text in em: CJK and full-width characters one em, the rest measured in the font."""
    return sum(1.0 if re.match(r"[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]", ch) else font.getlength(ch) / 1000
               for ch in text)


def docx_first_columns(docx_path: Path, min_em: float) -> list[str]:
    """Tables of the .docx whose first column (the grid width the file sets, less the cell margins) is
    narrower than ``min_em`` em of the table's type while one of its labels is wider; "caption: widths"."""
    from docx import Document
    from docx.oxml.ns import qn

    regular, bold = _font(False), _font(True)
    d = Document(str(docx_path))
    body = list(d.element.body.iterchildren())
    found = []
    for i, el in enumerate(body):
        if el.tag != qn("w:tbl"):
            continue
        caption = "".join(t.text or "" for t in body[i - 1].iter(qn("w:t"))) if i else "?"
        grid = el.find(qn("w:tblGrid"))
        cols = grid.findall(qn("w:gridCol")) if grid is not None else []
        if not cols or cols[0].get(qn("w:w")) is None:
            found.append(f"{caption}: no column widths set")
            continue
        margins = el.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
        pad_twips = sum(int(m.get(qn("w:w"))) for m in margins) if margins is not None else 216  # Word: 2 × 0.19 cm
        width_pt = (int(cols[0].get(qn("w:w"))) - pad_twips) / 20
        sizes = [int(s.get(qn("w:val"))) / 2 for s in el.iter(qn("w:sz"))] or [9.0]
        font_pt = max(sizes)
        need = 0.0
        for r, tr in enumerate(el.findall(qn("w:tr"))):
            tcs = tr.findall(qn("w:tc"))
            if tcs and tcs[0].find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}") is None:
                text = "".join(t.text or "" for t in tcs[0].iter(qn("w:t")))
                need = max(need, _em(text, bold if tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
                                     else regular))
        have_em = width_pt / font_pt
        if have_em < min(min_em, need) - 0.05:
            found.append(f"{caption}: {have_em:.1f} em < {min(min_em, need):.1f} em")
    return found


PROBE = """<script>(function(){
var out=[];var c=document.createElement('canvas').getContext('2d');
document.querySelectorAll('table').forEach(function(t){
 var first=[];t.querySelectorAll('tr').forEach(function(tr){var td=tr.cells[0];
  if(td&&td.colSpan===1&&tr.cells.length>1)first.push(td);});
 if(!first.length)return;
 var fs=parseFloat(getComputedStyle(first[0]).fontSize), w=0, need=0;
 first.forEach(function(td){var st=getComputedStyle(td);c.font=st.font;
  var pad=parseFloat(st.paddingLeft)+parseFloat(st.paddingRight);
  w=Math.max(w,td.getBoundingClientRect().width-pad);need=Math.max(need,c.measureText(td.textContent.trim()).width);});
 var cap=t.caption?t.caption.textContent:'?';
 out.push({caption:cap,width_em:w/fs,need_em:need/fs,table_w:t.getBoundingClientRect().width});});
var pre=document.createElement('pre');pre.id='__cols';pre.textContent=JSON.stringify(out);document.body.appendChild(pre);
})();</script>"""


def html_first_columns(html_path: Path, min_em: float, work: Path) -> list[str]:
    """Tables of the HTML whose first column, laid out as in print at A4 width, is narrower than ``min_em``
    em while its labels are longer."""
    html = html_path.read_text(encoding="utf-8")
    html = html.replace("@media print {", "@media all {").replace("</body>", PROBE + "</body>", 1)
    probe = work / "probe.html"
    probe.write_text(html, encoding="utf-8")
    width_px = round((A4_CM[0] - 2 * 1.8) / 2.54 * 96)
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run([_tool("chromium"), *CHROME_FLAGS, f"--user-data-dir={profile}",
                               f"--window-size={width_px},1000", "--dump-dom", probe.as_uri()],
                              capture_output=True, text=True, timeout=120)
    probe.unlink()
    m = re.search(r'<pre id="__cols">(.*?)</pre>', done.stdout, re.S)
    if not m:
        return ["could not measure the HTML tables"]
    rows = json.loads(m.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<")
                      .replace("&gt;", ">"))
    return [f"{r['caption']}: {r['width_em']:.1f} em < {min(min_em, r['need_em']):.1f} em" for r in rows
            if r["width_em"] < min(min_em, r["need_em"]) - 0.1]


# ------------------------------------------------------------------------------------------- checking

def check_pdf(pdf: Path, kind: str, png_dir: Path, dpi: int) -> list[Page]:
    pngs = pdf_to_pngs(pdf, png_dir, kind, dpi)
    words = pdf_words(pdf)
    top_cm, bottom_cm = MARGINS_CM[kind]
    pages = []
    for n, (png, page_words) in enumerate(zip(pngs, words), start=1):
        bottom_pt = (A4_CM[1] - bottom_cm) / 2.54 * 72
        top_pt = top_cm / 2.54 * 72
        footer = " ".join(w["text"] for line in _lines([w for w in page_words if w["y0"] >= bottom_pt])
                          for w in line)
        body_lines = _lines([w for w in page_words if w["y1"] > top_pt - 2 and w["y0"] < bottom_pt])
        first = " ".join(w["text"] for w in body_lines[0]) if body_lines else ""
        page = Page(n, page_fill(png, top_cm, bottom_cm), footer, first[:60], str(png))
        if not re.search(rf"(^|\D){n}(\D|$)", footer):
            page.flags.append("no-page-number")
        for iv in split_intervals(page_words):
            page.flags.append(f"split-interval {iv}")
        for bw in broken_words(page_words):
            page.flags.append(f"broken-word {bw}")
        pages.append(page)
    for page in pages[:-1]:
        if page.fill == 0.0:
            page.flags.append("blank-page")
    for page, following in zip(pages, pages[1:]):
        if page.fill < LOW_FILL and CAPTION.match(following.first_line):
            page.flags.append(f"empty-page-before-table ({page.fill:.0%} used; next page: {following.first_line[:30]})")
    return pages


def run(args) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from study.report import write_outputs

    results: dict[str, object] = {}
    summary: dict[str, dict] = {}
    flagged = 0
    for edition in args.editions:
        study, lang, audience = EDITIONS[edition]
        t0 = time.time()
        if study not in results:
            results[study] = _results(study, args.bootstrap, out, args.reuse)
        folder = out / edition
        folder.mkdir(parents=True, exist_ok=True)
        paths = write_outputs(results[study], folder, lang, audience)
        html_to_pdf(paths["html"], folder / "html.pdf")
        docx_to_pdf(paths["docx"], folder / "docx.pdf")
        report = {"columns": {"html": html_first_columns(paths["html"], args.min_col, folder),
                              "docx": docx_first_columns(paths["docx"], args.min_col)}}
        print(f"\n== {edition}: {study}, {lang}, {audience}  ({time.time() - t0:.0f} s)")
        for kind in ("html", "docx"):
            pages = check_pdf(folder / f"{kind}.pdf", kind, folder / "png", args.dpi)
            report[kind] = [page.__dict__ for page in pages]
            fills = " ".join(f"{p.fill:.0%}" for p in pages)
            print(f"  {kind}: {len(pages)} pages, used: {fills}")
            for p in pages:
                for f in p.flags:
                    print(f"    page {p.number}: {f}")
                    flagged += 1
            for c in report["columns"][kind]:
                print(f"    narrow-first-column {c}")
                flagged += 1
        summary[edition] = report
    (out / "pages.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"\n{flagged} flag(s); pages as PNG in {out}/<edition>/png/, summary in {out}/pages.json")
    return 1 if flagged else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "reports" / "pages"), help="output folder (default reports/pages)")
    parser.add_argument("--editions", default=",".join(EDITIONS),
                        type=lambda s: [e.strip() for e in s.split(",") if e.strip()],
                        help=f"comma-separated, of {', '.join(EDITIONS)} (default: all)")
    parser.add_argument("--bootstrap", type=int, default=200, help="bootstrap resamples (default 200: the "
                        "intervals are printed, the run stays short)")
    parser.add_argument("--dpi", type=int, default=60, help="resolution of the PNG pages (default 60)")
    parser.add_argument("--min-col", type=float, default=4.0,
                        help="flag first columns narrower than this many characters (em) (default 4)")
    parser.add_argument("--reuse", action="store_true", help="keep and reuse the analysed results in OUT")
    args = parser.parse_args(argv)
    unknown = [e for e in args.editions if e not in EDITIONS]
    if unknown:
        parser.error(f"unknown edition(s) {', '.join(unknown)}; choose from {', '.join(EDITIONS)}")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
