"""The study-file loader: every mistake is a StudyError naming the file, the key path and the line.

The fuzz tests feed random mutations of a valid study, and random YAML-ish text, to ``load_study``:
it must either load the file or raise StudyError, never anything else.
"""

from __future__ import annotations

import copy
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml

from study.questionnaire import Study, StudyError, load_study
from helpers import edit

ROOT = Path(__file__).resolve().parents[1]
BANK = ROOT / "questionnaires" / "bank_satisfaction.yaml"
STUDIES = sorted((ROOT / "questionnaires").glob("*.yaml"))


@pytest.fixture
def bank(tmp_path) -> Path:
    study = tmp_path / "bank.yaml"
    shutil.copy(BANK, study)
    return study




def error_of(path: Path) -> str:
    with pytest.raises(StudyError) as caught:
        load_study(path)
    message = str(caught.value)
    assert "Traceback" not in message
    assert path.name in message
    return message


H5 = '    - {id: H5, from: TRUST, to: LOY, sign: "+"}\n'


@pytest.mark.parametrize("study", STUDIES, ids=lambda p: p.name)
def test_the_shipped_studies_load(study):
    loaded = load_study(study)
    assert isinstance(loaded, Study) and loaded.path == study.resolve()


def test_several_problems_are_listed_together(bank):
    first = edit(bank, "{code: qual2, text:", "{code: qual2, revers: true, text:")
    second = edit(bank, "  bootstrap: 2000\n", "  bootstrap: -1\n")
    message = error_of(bank)
    assert "the study file has 2 problem(s)" in message
    assert f"bank.yaml, line {first}: constructs.0.items.1.revers: unknown key (did you mean 'reverse'?)" in message
    assert f"bank.yaml, line {second}: model.bootstrap: Input should be greater than or equal to 0" in message


def test_unknown_top_level_key(bank):
    line = edit(bank, "screening:\n", "screenings:\n")
    assert f"bank.yaml, line {line}: screenings: unknown key (did you mean 'screening'?)" in error_of(bank)


def test_repeated_yaml_key_is_not_silently_overwritten(bank):
    first = edit(bank, "  max: 10\n", "  max: 10\n  max: 7\n")
    message = error_of(bank)
    assert f"line {first + 1}" in message
    assert f"the key 'max' appears twice in the same mapping (first on line {first})" in message


def test_list_as_a_mapping_key(bank):
    line = edit(bank, "  author: Example analysis on public data\n", "  ? [a, b]\n  : 1\n")
    message = error_of(bank)
    assert f"line {line}" in message and "a key must be a single word or number" in message


def test_yaml_merge_keys_are_understood(bank):
    edit(bank, '  - code: SAT\n    name: {en: Satisfaction, zh: 顾客满意}\n'
               '    source: {zh: "ECSI（[@tenenhaus2005]）", en: "ECSI ([@tenenhaus2005])"}\n',
         "  - code: SAT\n    <<: &ecsi {source: ECSI (Tenenhaus et al. 2005)}\n    name: {en: Satisfaction, zh: 顾客满意}\n")
    assert load_study(bank).construct("SAT").source == "ECSI (Tenenhaus et al. 2005)"


def test_date_where_text_is_expected(bank):
    line = edit(bank, "  language: en\n", "  language: en\n  date: 2024-05-01\n") + 1
    message = error_of(bank)
    assert f"bank.yaml, line {line}: study.date: Input should be a valid string" in message
    assert "put it in quotes" in message


def test_hypothesis_from_a_construct_to_itself(bank):
    line = edit(bank, H5, H5 + "    - {id: H8, from: LOY, to: LOY}\n") + 1
    message = error_of(bank)
    assert f"bank.yaml, line {line}: model.hypotheses.5.to: hypothesis H8: a construct cannot affect itself" in message


def test_the_same_path_twice(bank):
    line = edit(bank, H5, H5 + "    - {id: H8, from: TRUST, to: LOY}\n") + 1
    message = error_of(bank)
    assert (f"bank.yaml, line {line}: model.hypotheses.5.to: hypothesis H8: the path TRUST -> LOY is already "
            "hypothesis H5") in message


def test_the_same_id_twice(bank):
    line = edit(bank, "{id: H7a, path:", "{id: H6, path:")
    message = error_of(bank)
    assert f"bank.yaml, line {line}: model.mediation.1.id: id 'H6' is used twice (also model.mediation.0)" in message


def test_mediation_chain_that_repeats_a_construct(bank):
    edit(bank, H5, H5 + "    - {id: H8, from: LOY, to: SAT}\n")
    line = edit(bank, "path: [QUAL, TRUST, LOY]", "path: [SAT, LOY, SAT]")
    message = error_of(bank)
    assert f"bank.yaml, line {line}: model.mediation.1.path: mediation H7a: SAT appears twice in the chain" in message


def test_mediation_chain_with_an_unknown_construct(bank):
    line = edit(bank, "path: [QUAL, TRUST, LOY]", "path: [QUAL, TRUTS, LOY]")
    message = error_of(bank)
    assert (f"bank.yaml, line {line}: model.mediation.1.path.1: mediation H7a: 'TRUTS' is not a construct "
            "(did you mean 'TRUST'?)") in message


def test_unknown_group(bank):
    line = edit(bank, "  groups: [gender]\n", "  groups: [gendre]\n")
    message = error_of(bank)
    assert (f"bank.yaml, line {line}: model.groups.0: model.groups: 'gendre' is not a background question "
            "(did you mean 'gender'?)") in message


def test_two_items_reading_the_same_column(bank):
    line = edit(bank, "{code: qual2, text:", "{code: qual2, column: qual1, text:")
    message = error_of(bank)
    assert (f"bank.yaml, line {line}: constructs.0.items.1.column: items qual1 and qual2 both read the data "
            "column 'qual1'") in message


def test_missing_code_on_the_scale(bank):
    line = edit(bank, "  max: 10\n", "  max: 10\n  missing_codes: [5, 99]\n") + 1
    message = error_of(bank)
    assert f"bank.yaml, line {line}: scale.missing_codes: 5 is a point of the 0-10 scale" in message


def test_negative_seed(bank):
    line = edit(bank, "  seed: 20261122\n", "  seed: -3\n")
    assert f"bank.yaml, line {line}: model.seed: Input should be greater than or equal to 0" in error_of(bank)


SECOND_ORDER = "  - code: QUAL\n    name: {en: Perceived quality, zh: 感知质量}\n"


@pytest.mark.parametrize("dimensions, offset, expected", [
    ("[SAT]", 0, "constructs.0: second-order construct SERV has 1 dimension; at least 2 are needed"),
    ("[SAT, SERV]", 1, "constructs.0.dimensions.1: construct SERV cannot be a dimension of itself"),
    ("[SAT, TRSUT]", 1, "constructs.0.dimensions.1: construct SERV: dimension 'TRSUT' is not a construct "
                        "(did you mean 'TRUST'?)"),
    ("[SAT, SAT]", 1, "constructs.0.dimensions.1: construct SERV: dimension SAT is listed twice"),
    ("[SAT, TRUST]\n  - code: ALL\n    dimensions: [SERV, LOY]", 3,
     "constructs.1.dimensions.0: construct ALL: dimension SERV is itself a second-order construct"),
])
def test_second_order_mistakes(bank, dimensions, offset, expected):
    line = edit(bank, SECOND_ORDER, f"  - code: SERV\n    dimensions: {dimensions}\n" + SECOND_ORDER)
    assert f"bank.yaml, line {line + offset}: {expected}" in error_of(bank)


def test_control_character_in_the_study_file(bank):
    line = edit(bank, "  author: Example", "  author: Ex\x1fample")
    message = error_of(bank)
    assert f"bank.yaml, line {line}, column 13: the file contains the control character '\\x1f'" in message


def test_study_file_that_is_not_utf8(tmp_path):
    study = tmp_path / "gbk.yaml"
    study.write_bytes(BANK.read_text(encoding="utf-8").encode("gb18030"))
    assert "the study file is not UTF-8 text" in error_of(study)


# --- fuzz ----------------------------------------------------------------------------------------

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

BASE = yaml.safe_load(BANK.read_text(encoding="utf-8"))


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


PATHS = list(_paths(BASE))
WORDS = ["QUAL", "SAT", "TRUST", "LOY", "qual1", "sat3", "gender", "H1", "H6", "from", "to", "code", "items",
         "dimensions", "reverse", "revers", "column", "labels", "missing_codes", "zh", "en", "+", "-", "path",
         "min", "max", "file", "id", "hypotheses", "mediation", "", "1abc", "a b"]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 12), st.integers(), st.floats(),
                    st.sampled_from(WORDS), st.text(max_size=6))
KEYS = st.one_of(st.sampled_from(WORDS), st.text(max_size=6), st.integers(-2, 3))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(KEYS, inner, max_size=4)),
                      max_leaves=10)
MUTATIONS = st.lists(st.tuples(st.sampled_from(["set", "delete", "add", "duplicate"]),
                               st.sampled_from(PATHS), KEYS, VALUES), min_size=1, max_size=4)


def _mutate(document, mutations):
    document = copy.deepcopy(document)
    for kind, path, key, value in mutations:
        parent, node = None, document
        try:
            for part in path:
                parent, node = node, node[part]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation changed the structure
        if kind == "set":
            if parent is None:
                document = value
            else:
                parent[path[-1]] = value
        elif kind == "delete" and parent is not None:
            del parent[path[-1]]
        elif kind == "add" and isinstance(node, dict):
            node[key] = value
        elif kind in ("add", "duplicate") and isinstance(node, list):
            node.append(value if kind == "add" or not node else copy.deepcopy(node[0]))
    return document


def _load_or_study_error(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            load_study(path)
        except StudyError as exc:
            assert str(exc).startswith(str(path)), str(exc)  # every message names the file


def fuzz(examples: int):
    # 200 examples in all across the three fuzz tests, to keep the suite fast.
    return settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fuzz(100)
@given(MUTATIONS)
def test_fuzz_mutated_study_loads_or_raises_study_error(mutations):
    document = _mutate(BASE, mutations)
    _load_or_study_error(yaml.safe_dump(document, allow_unicode=True, sort_keys=False))


YAMLISH = st.lists(st.sampled_from(list("abcQS01- :,[]{}#&*!|>'\"?<%@`\t\n\\.é中") + ["\n  ", "\n- ", "<<"]),
                   max_size=40).map("".join)


@fuzz(60)
@given(st.one_of(YAMLISH, st.lists(st.sampled_from(WORDS), max_size=12).map(": ".join),
                 st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)))
def test_fuzz_yamlish_text_loads_or_raises_study_error(text):
    _load_or_study_error(text)


@fuzz(40)
@given(st.sampled_from([line for line in BANK.read_text(encoding="utf-8").splitlines() if line.strip()]),
       st.integers(0, 200), YAMLISH)
def test_fuzz_line_edits_load_or_raise_study_error(line, position, insert):
    text = BANK.read_text(encoding="utf-8")
    position = min(position, len(line))
    text = text.replace(line, line[:position] + insert + line[position:], 1)
    _load_or_study_error(text)


def test_hypotheses_that_form_a_loop(bank):
    line = edit(bank, H5, H5 + "    - {id: H8, from: LOY, to: QUAL}\n") + 1
    message = error_of(bank)
    assert (f"bank.yaml, line {line}: model.hypotheses.5.to: hypotheses H1, H3, H5, H8 form a loop "
            "QUAL -> SAT -> TRUST -> LOY -> QUAL; the model must be recursive") in message


def test_dimension_of_two_second_order_constructs(bank):
    line = edit(bank, SECOND_ORDER, "  - code: SERV\n    dimensions: [SAT, TRUST]\n  - code: ALL\n"
                                    "    dimensions: [SAT, LOY]\n" + SECOND_ORDER)
    assert (f"bank.yaml, line {line + 3}: constructs.1.dimensions.0: construct ALL: dimension SAT is already a "
            "dimension of SERV; a dimension belongs to one second-order construct") in error_of(bank)


def test_group_comparison_on_a_numeric_question(bank):
    edit(bank, "background:\n", "background:\n  - {code: age, type: numeric}\n")
    line = edit(bank, "  groups: [gender]\n", "  groups: [age]\n")
    assert (f"bank.yaml, line {line}: model.groups.0: model.groups: 'age' is a numeric question; groups are "
            "compared on a categorical question") in error_of(bank)


def test_fiml_and_listwise_screening_contradict(tmp_path):
    study = tmp_path / "shop.yaml"
    shutil.copy(ROOT / "questionnaires" / "ecommerce_loyalty.yaml", study)
    line = edit(study, "  incomplete: listwise\n", "  incomplete: listwise\n")
    text = study.read_text(encoding="utf-8").replace("  bootstrap:", "  missing: fiml\n  bootstrap:", 1)
    study.write_text(text, encoding="utf-8")
    assert (f"shop.yaml, line {line}: screening.incomplete: screening.incomplete: listwise contradicts "
            "model.missing: fiml") in error_of(study)


def test_folded_chinese_text_has_no_spaces_between_characters():
    from study.questionnaire import Text

    folded = yaml.safe_load("zh: >-\n  本研究的数据：\n  由总体模型模拟生成，\n  共 500 份 (n = 500)。\n")["zh"]
    assert Text(zh=folded, en="x").zh == "本研究的数据：由总体模型模拟生成，共 500 份 (n = 500)。"


def test_background_short_names_and_a_bilingual_author():
    from study.questionnaire import Text

    study = load_study(ROOT / "questionnaires" / "ecommerce_loyalty.yaml")
    gender = next(b for b in study.background if b.code == "gender")
    assert gender.text.get("zh") == "您的性别" and gender.label("zh") == "性别" and gender.label("en") == "Gender"
    assert isinstance(study.meta.author, Text) and study.meta.author.get("zh") == "示例研究（模拟数据）"
    bank = load_study(BANK)
    assert bank.meta.author == "Example analysis on public data"
    assert next(b for b in bank.background if b.code == "gender").label("zh") == "性别"  # no name: the text
