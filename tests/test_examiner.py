"""The chapter as an examiner reads it (issue 11): no number from a failed model, every citation in the
reference list and every listed reference cited, no configuration key or file name in the text, the
Chinese and English editions agree on every number, and sections do not contradict each other."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from study.pipeline import run_study
from study.questionnaire import load_study
from study.report import build_document, render_html
from study.report.document import Figure, Paragraph, Table, plain
from study.report.references import disambiguation, intext, reference_list

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def default_results():
    return run_study(load_study(ROOT / "questionnaires" / "ecommerce_loyalty.yaml"), bootstrap=200, seed=7)


@pytest.fixture(scope="module")
def mobi_results():
    return run_study(load_study(ROOT / "questionnaires" / "mobile_ecsi.yaml"), bootstrap=200, seed=7)


def texts_of(section) -> list[str]:
    """Every string of one section, plain."""
    fake = type("D", (), {"front": [], "sections": [section]})
    return texts(fake)


def texts(doc) -> list[str]:
    """Every string a reader sees, in order."""
    out = []
    for b in doc.front:
        out += [b.lead, b.text, *b.items]
    for s in doc.sections:
        out.append(s.title)
        for b in s.blocks:
            if isinstance(b, Paragraph):
                out += [b.lead, b.text, *b.items]
            elif isinstance(b, Table):
                out += [b.title, *b.notes, *[c.text for row in [*b.head, *b.body] for c in row]]
                out += [b.reading or "", b.formula or ""]
            elif isinstance(b, Figure):
                out += [b.title, *b.notes]
    return [plain(x) for x in out if x]


def test_a_failed_model_shows_no_estimate_as_a_finding(mobi_results):
    assert not mobi_results.sem_proper
    for lang in ("en", "zh"):
        doc = build_document(mobi_results, lang)
        paths = next(t for t in doc.tables() if t.key == "paths")
        for row in paths.body:
            assert all(c.text == "—" for c in row[3:8]), row  # B, S.E., C.R., p, β
        assert not any(t.key in ("effects", "mi") for t in doc.tables())
        r2 = next(t for t in doc.tables() if t.key == "r2")
        assert all(row[1].text == "—" for row in r2.body)
        fit = next(t for t in doc.tables() if t.key == "fit")
        assert all(row[3].text in ("—", "") or row[0].text.startswith("χ²") for row in fit.body)
        # no significance star in any section that reports the model (the correlations of construct scores
        # do not depend on it and keep theirs), and the headline box comes first
        html = render_html(mobi_results, lang)
        for anchor in ("fit", "paths", "mediation", "groups", "conclusions"):
            match = re.search(f'<section id="{anchor}".*?</section>', html, re.S)
            if match:
                body = re.sub(r"<[^>]+>", " ", match.group(0))
                assert not re.search(r"\d\*{1,3}", body), (anchor, re.search(r".{40}\d\*{1,3}.{20}", body))
        assert doc.front[0].kind == "warning"
        assert "200" in doc.front[0].text  # the iterations it stopped after
        diagram = next(f for f in doc.figures() if f.key == "model")
        assert not re.search(r">H\d+[a-z]?: [−\d]", diagram.svg)  # hypothesis ids only, no values


def test_a_failed_model_ranks_its_warnings_first(mobi_results):
    first = str(mobi_results.warnings[0])
    assert first.startswith("Structural model:")


def test_every_citation_is_listed_and_every_listed_source_cited(default_results, mobi_results):
    for res in (default_results, mobi_results):
        for lang in ("en", "zh"):
            for audience in ("thesis", "client", "class"):
                doc = build_document(res, lang, audience)
                refs = next(s for s in doc.sections if s.anchor == "references")
                listed = refs.blocks[0].items
                body = "\n".join(t for s in doc.sections if s.anchor != "references" for t in texts_of(s))
                body += "\n".join(t for b in doc.front for t in (b.lead, b.text, *b.items))
                assert "[@" not in body and "*p*" not in body
                assert listed == reference_list(doc.cited, lang)  # the list holds exactly what is cited
                suffixes = disambiguation(doc.cited)
                for key in doc.cited:  # and every listed source is cited in the text
                    forms = (intext(key, lang, False, suffixes.get(key, "")), intext(key, lang, True, suffixes.get(key, "")))
                    assert any(f in body for f in forms), key


def test_no_configuration_key_or_file_name_in_the_text(default_results, mobi_results):
    keys = re.compile(r"\b(?:scale|data|model|screening|study|report|measurement)\.[a-z_]+\b"
                      r"|\b[\w-]+\.(?:csv|ya?ml|xlsx|sav|json)\b|--[a-z]+")
    for res in (default_results, mobi_results):
        for lang in ("en", "zh"):
            doc = build_document(res, lang)
            warnings_block = next(b for b in doc.front if b.kind == "list")
            for text in texts(doc):
                if text in warnings_block.items:  # the warnings name files on purpose (excluded_respondents.csv)
                    continue
                assert not keys.search(text), (lang, text)


def test_chinese_text_uses_full_width_punctuation(default_results):
    doc = build_document(default_results, "zh")
    for s in doc.sections:
        for b in s.blocks:
            if isinstance(b, Paragraph) and b.kind == "finding":
                prose = re.sub(r"\[[^\]]*\]|\([^()]*\)|[A-Za-z][^，。；：（）]*", "", plain(b.text))
                assert not re.search(r"[\u4e00-\u9fff][,;:]|[,;:][\u4e00-\u9fff]", prose), b.text


NUMBER = re.compile(r"(?<![\w.])−?\d+\.\d+")


def _numbers(doc) -> Counter:
    found = Counter()
    for t in doc.tables():
        for row in t.body:
            found.update(c.text for c in row if c.is_number)
    for s in doc.sections:
        if s.anchor == "references":
            continue
        for b in s.blocks:
            if isinstance(b, Paragraph):
                found.update(NUMBER.findall(plain(b.text)))
    return found


def test_chinese_and_english_agree_on_every_number(default_results, mobi_results):
    for res in (default_results, mobi_results):
        zh, en = _numbers(build_document(res, "zh")), _numbers(build_document(res, "en"))
        assert zh == en, (zh - en, en - zh)


def test_sections_share_one_judgement(default_results):
    """The normality and method-bias judgements are made once: the limitations never recommend a robust
    estimator that the descriptive section found unnecessary, and repeat the method-bias verdict of 4.6."""
    doc = build_document(default_results, "en")
    items = " ".join(b.text for b in next(s for s in doc.sections if s.anchor == "items").blocks
                     if isinstance(b, Paragraph))
    limits = " ".join(b.text for b in next(s for s in doc.sections if s.anchor == "limitations").blocks
                      if isinstance(b, Paragraph))
    assert "Maximum-likelihood estimation is therefore appropriate" in items
    assert "robust estimator" not in limits
    cmb = " ".join(b.text for b in next(s for s in doc.sections if s.anchor == "cmb").blocks
                   if isinstance(b, Paragraph))
    # the method loading is estimated at the boundary (0): said so, with the right reference distribution
    assert "detects no common-method variance" in cmb and "detects no common-method variance" in limits
    assert "½χ²₀ + ½χ²₁" in cmb and "about 0% of the item variance" in cmb
    assert "stronger test" not in cmb and "not a serious concern" not in cmb + limits


def test_priorities_come_from_drivers_in_one_order(default_results):
    """The importance–performance reading names levers management can act on — the dimensions of service
    quality, not satisfaction or loyalty — and the implications keep its order."""
    from study.report.conclusions import priorities
    from study.report.narrative import Context
    from study.report.scores import construct_scores, driver_ipma, score_summary

    res = default_results
    maps = driver_ipma(res.study, res.sem, res.data.items, res.effects["total"])
    assert set(maps) == {"construct", "dimension", "item"}  # quality and switching cost drive loyalty
    assert {p.code for p in maps["construct"].points} == {"QUAL", "SWC"}
    assert {p.code for p in maps["dimension"].points} == {"DES", "INFO", "RESP", "FUL"}
    ctx = Context(res, "en", score_summary(construct_scores(res.data.items, res.study)), maps)
    order = [p.code for p in priorities(ctx)]
    doc = build_document(res, "en")
    conclusions = " ".join(b.text for b in next(s for s in doc.sections if s.anchor == "conclusions").blocks
                           if isinstance(b, Paragraph))
    ordered = conclusions[conclusions.index("In order of priority"):conclusions.index("; start with")]
    positions = [ordered.index(res.study.construct(code).label("en")) for code in order]
    assert positions == sorted(positions)
    assert "resp3" in conclusions  # the weakest item is named
