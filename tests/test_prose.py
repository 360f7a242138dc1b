"""The chapter's form as an examiner reads it (second reading): no markup left in the text, no "(s)" counts in
English, no half-width brackets in Chinese prose, the correlation range as the table gives it, the measures'
sources in a table and in the reference list, and the regression diagnostics read as what they test."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from helpers import edit, texts
from study.pipeline import run_study
from study.questionnaire import StudyError, load_study
from study.report import build_document
from study.report.document import Paragraph, Table, plain
from study.report.references import apa, gbt7714, REFERENCES, reference_list
from study.report.scores import construct_scores

ROOT = Path(__file__).resolve().parents[1]
AUDIENCES = ("thesis", "client", "class")


@pytest.fixture(scope="module")
def default_results(default_study_results):
    return default_study_results


@pytest.fixture(scope="module")
def bank_results():
    return run_study(load_study(ROOT / "questionnaires" / "bank_satisfaction.yaml"), bootstrap=200, seed=7)


def test_no_literal_markup_in_the_text(default_results, bank_results):
    # "Δ*F*(1, 405)" printed its asterisks: the symbol after Δ (a Unicode letter) was not recognised
    leak = re.compile(r"(?<![\d*])\*[A-Za-z]{1,3}\*")
    for res in (default_results, bank_results):
        for lang in ("zh", "en"):
            for audience in AUDIENCES:
                for text in texts(build_document(res, lang, audience)):
                    assert not leak.search(text), (lang, audience, text)
                    assert "[@" not in text, text


def test_english_counts_are_singular_or_plural(default_results, bank_results):
    for res in (default_results, bank_results):
        for audience in AUDIENCES:
            for text in texts(build_document(res, "en", audience)):
                assert "(s)" not in text, text


def test_chinese_prose_has_no_half_width_brackets_or_stray_spaces(default_results):
    for audience in ("thesis", "class"):
        for text in texts(build_document(default_results, "zh", audience)):
            assert not re.search(r"[\u4e00-\u9fff]\(|\)[\u4e00-\u9fff]", text), text
            assert not re.search(r"） +[\u4e00-\u9fff]|[\u4e00-\u9fff] +（", text), text
            assert not re.search(r"（[^（）]*（[^（）]*）[^（）]*）", text) or "=" in text, text  # nested （（））
            assert "“女”" not in text and "残差相互独立" not in text


def test_the_correlation_range_is_the_tables_min_and_max(default_results):
    res = default_results
    from study.report.tables import part_whole
    scores = construct_scores(res.data.items, res.study)
    r = scores.corr()
    pairs = [r.loc[a, b] for i, a in enumerate(r.index) for b in r.index[:i] if not part_whole(res.study, a, b)]
    lo, hi = min(pairs), max(pairs)
    n_neg = sum(x < 0 for x in pairs)
    for lang in ("zh", "en"):
        doc = build_document(res, lang)
        section = next(s for s in doc.sections if s.anchor == "corr")
        first = plain(section.blocks[0].text)
        shown = [float(x.replace("−", "-")) for x in re.findall(r"r = (−?\d\.\d{3})", first)[:2]]
        assert shown == [round(lo, 3), round(hi, 3)], first
        if n_neg:
            assert (f"{n_neg} 个为负" if lang == "zh" else f"{n_neg} are negative") in first, first


def test_measures_table_cites_the_scales_sources(default_results):
    for lang in ("zh", "en"):
        doc = build_document(default_results, lang)
        table = next(t for t in doc.tables() if t.key == "measures")
        assert len(table.body) == len(default_results.study.constructs)
        for key in ("parasuraman2005", "wolfinbarger2003", "fornell1996", "gefen2000", "chiu2009", "zeithaml1996",
                    "anderson2003", "jones2000", "burnham2003"):
            assert key in doc.cited, key
        refs = next(s for s in doc.sections if s.anchor == "references")
        assert refs.blocks[0].items == reference_list(doc.cited, lang)
        k = {row[0].text: row[1].text for row in table.body}
        assert k[default_results.study.construct("SWC").label(lang)] == "3"


def test_an_unknown_citation_in_a_source_is_a_study_error(tmp_path):
    shutil.copytree(ROOT / "questionnaires", tmp_path / "q")
    path = tmp_path / "q" / "ecommerce_loyalty.yaml"
    line = edit(path, 'source: "[@fornell1996]"', 'source: "[@nobody1999]"')
    with pytest.raises(StudyError) as err:
        load_study(path)
    message = str(err.value)
    assert "[@nobody1999]" in message and f"line {line}" in message and "plain text" in message


def test_free_text_sources_are_printed_as_given(tmp_path):
    shutil.copytree(ROOT / "questionnaires", tmp_path / "q")
    path = tmp_path / "q" / "ecommerce_loyalty.yaml"
    edit(path, 'source: "[@fornell1996]"', "source: 自编量表（预调研修订）")
    study = load_study(path)
    from study.report.measures import measures_table
    table = measures_table(study, "zh", lambda code: study.construct(code).label("zh"))
    assert any(row[2].text == "自编量表（预调研修订）" for row in table.body)


def test_reference_forms():
    # GB/T 7714: "HU L T" for Hu Li-tze, "2nd ed." for an English book; no "?." after a title ending in "?"
    assert gbt7714(REFERENCES["hu1999"]).startswith("HU L T, BENTLER P M. 1999.")
    assert " 4th ed. " in gbt7714(REFERENCES["field2013"]) and " 4 ed." not in gbt7714(REFERENCES["field2013"])
    assert "?." not in apa(REFERENCES["williams1989"]) and "artifact?" in apa(REFERENCES["williams1989"])
    assert "[Computer software]" in apa(REFERENCES["revelle2022"]) and "[CP]" in gbt7714(REFERENCES["revelle2022"])


def test_fit_criteria_cite_tucker_lewis_for_tli(default_results):
    doc = build_document(default_results, "en")
    fit = next(t for t in doc.tables() if t.key == "cfa_fit")
    tli = next(row for row in fit.body if row[0].text == "TLI")
    assert "Tucker & Lewis, 1973" in tli[4].text
    assert all(not row[3].text.startswith("*p*") and not row[3].text.startswith("p ") for row in fit.body)


def test_regression_diagnostics_read_as_what_they_test(default_results):
    for lang in ("zh", "en"):
        doc = build_document(default_results, lang)
        section = next(s for s in doc.sections if s.anchor == "regression")
        body = " ".join(texts(type("D", (), {"front": [], "sections": [section], "footer": ""})))
        assert "括号内" not in body and "in parentheses" not in body
        assert "independent" not in body.replace("independent-samples", "") and "相互独立" not in body
        for a in default_results.regression:
            m = a.model
            if m.non_normal and not m.heteroscedastic:  # HC3 is no answer to non-normal residuals
                assert not any(t.key == "regression_hc3" for t in section.blocks if isinstance(t, Table)) or \
                    any(x.model.heteroscedastic for x in default_results.regression)
        if lang == "en":
            assert "serial correlation" in body


def test_group_differences_report_trends_and_the_number_of_tests(default_results):
    res = default_results
    ps = [r.test.pvalue for g in res.differences.groupings for r in g.results
          if r.skipped is None and r.test is not None and np.isfinite(r.test.pvalue)]
    for lang, audience in (("zh", "thesis"), ("en", "thesis"), ("zh", "class")):
        doc = build_document(res, lang, audience)
        section = next(s for s in doc.sections if s.anchor == "differences")
        body = " ".join(plain(b.text) for b in section.blocks if isinstance(b, Paragraph))
        assert (f"本节共进行 {len(ps)} 次组间比较" if lang == "zh" else f"makes {len(ps)} group comparisons") in body
        assert ("线性趋势" if lang == "zh" else "linear trend") in body
        assert ("第一类错误" in body) == (audience == "class")
        if lang == "zh":
            assert "其他组" not in body


def test_formulas_use_no_underscore_subscripts(default_results):
    # "β_j", "s_x/s_y", "F_ML", "ψ_W", "m₂^(3/2)": the class edition's formulas in proper notation
    for lang in ("zh", "en"):
        for text in texts(build_document(default_results, lang, "class")):
            assert not re.search(r"[A-Za-zα-ωΑ-Ω²]_[A-Za-z]|\^\(", text), text


def test_no_reference_key_is_written_twice():
    """REFERENCES is a dict literal: a key written twice silently keeps only its last entry (a second
    stoel2006 was once added without its first being noticed)."""
    import collections
    import re
    from pathlib import Path

    import study.report.references as references

    source = Path(references.__file__).read_text(encoding="utf-8")
    keys = re.findall(r'^    "([A-Za-z0-9_]+)": Reference\(', source, re.M)
    assert keys and len(keys) == len(references.REFERENCES)
    assert [k for k, n in collections.Counter(keys).items() if n > 1] == []
