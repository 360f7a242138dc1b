"""The study file's schema: scale, constructs and items, background questions, screening rules, model.

pydantic models, frozen; unknown keys are errors. The cross-checks between parts (a hypothesis naming a
construct that does not exist, a loop among hypotheses, ...) are in :mod:`.cross_checks`, called by :meth:`Study._cross_references`, each with
the key path it concerns, so that :mod:`.load` can give its line.
The ``model:`` section's classes are in :mod:`.model_spec`.
"""

from __future__ import annotations

import math
import unicodedata
from pathlib import Path
from typing import Literal, Union

from pydantic import (Field, ValidationInfo, field_validator,
                      model_validator)
from pydantic_core import PydanticCustomError
# The schema's names, importable from here as before the split into base, model_spec and cross_checks
from .base import MAX_BOOTSTRAP, StudyError, Text, _Strict  # noqa: F401
from .cross_checks import (_alternative_problems, _first_cycle, _hint, _invariance_problems,  # noqa: F401
                           _moderation_problems)
from .model_spec import (AlternativeModel, Alternatives, Control, Hypothesis, Invariance, Mediation,  # noqa: F401
                         ModeratedMediation, Moderation, ModelSpec, PLSOptions)


def _check_citations(value):
    """A ``source:`` may cite the tool's reference list with ``[@key]``; an unknown key is an error here, at the
    study file's line, not a failure while the report is written."""
    if value is None:
        return value
    from ..report.references import REFERENCES, cited_keys  # the report's list; imported when a study is read
    texts = [value] if isinstance(value, str) else [t for t in (value.zh, value.en) if t]
    unknown = sorted({k for t in texts for k in cited_keys(t) if k not in REFERENCES})
    if unknown:
        raise ValueError(f"cites {', '.join('[@' + k + ']' for k in unknown)}, which the reference list does not "
                         "have; write the source as plain text (it is printed as given) or cite a known key")
    return value


class Client(_Strict):
    """The client of a consultancy report (audience ``client``)."""

    name: str
    logo: str | None = None  # image file (PNG, JPEG, GIF or SVG), relative to the study file


class Meta(_Strict):
    title: Text
    author: Text | str | None = None  # a name, or {zh: …, en: …}
    institution: str | None = None
    date: str | None = None
    language: Literal["zh", "en"] = "en"
    description: Text | None = None
    client: Client | None = None


class ReportOptions(_Strict):
    """How the report is written; the command line's --audience overrides ``audience``."""

    audience: Literal["thesis", "client", "class"] = "thesis"
    chapter: str = "4"  # chapter number of the tables (表4-1 / Table 4.1)


class PowerOptions(_Strict):
    """The power analysis before data collection (``analysis.py --power``): Monte Carlo replications drawn
    from data.population, over a grid of sample sizes; the command line's --power-n and --replications
    override ``n`` and ``replications``."""

    n: list[int] = Field(default_factory=lambda: [100, 150, 200, 250, 300, 400, 500, 600, 800, 1000])
    replications: int = Field(500, ge=1, le=1_000_000)
    alpha: float = Field(0.05, gt=0, lt=1)
    target: float = Field(0.80, gt=0, lt=1)  # the power a sample size must reach
    items: Literal["likert", "normal"] = "likert"  # the study's answer categories, or normal scores
    seed: int | None = Field(None, ge=0)  # default: data.population.seed
    chapter: str = "3"  # chapter number of its tables (the method chapter: 表3-1 / Table 3.1)


class MeasurementOptions(_Strict):
    """Exploratory factor analysis: extraction (principal axis or maximum likelihood) and rotation."""

    efa_method: Literal["pa", "ml"] = "pa"
    efa_rotation: Literal["varimax", "promax", "none"] = "varimax"


def normalize_answer(text: str) -> str:
    """The form in which text answers are compared: Unicode NFKC (full-width letters and digits as
    ASCII), case-folded, without any white space. ``" Strongly  Disagree"`` and ``"strongly disagree"``
    are the same answer."""
    return "".join(unicodedata.normalize("NFKC", str(text)).casefold().split())


def _as_number(text: str) -> float | None:
    """``text`` as a finite number, or None."""
    try:
        value = float(unicodedata.normalize("NFKC", str(text)).strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class Scale(_Strict):
    """The Likert (or 0-10) answer scale shared by the construct items."""

    min: int = 1
    max: int = 5
    labels: dict[Literal["zh", "en"], list[str]] | None = None
    missing_codes: list[float] = Field(default_factory=list)
    # Text answers in the item columns and the code each stands for: {1: ["非常不同意", "Strongly disagree"]},
    # or "labels": the scale labels (every language) stand for their points. Compared without case and spaces.
    answers: Union[Literal["labels"], dict[int, list[str]], None] = None

    @field_validator("answers", mode="before")
    @classmethod
    def _single_text_is_a_list(cls, value):
        if isinstance(value, dict):
            return {k: [v] if isinstance(v, str) else v for k, v in value.items()}
        return value

    @field_validator("missing_codes")
    @classmethod
    def _codes_off_the_scale(cls, value: list[float], info: ValidationInfo) -> list[float]:
        low, high = info.data.get("min"), info.data.get("max")
        if low is None or high is None:
            return value
        on_scale = [c for c in value if low <= c <= high]
        if on_scale:
            shown = ", ".join(f"{c:g}" for c in on_scale)
            raise ValueError(f"{shown} is a point of the {low}-{high} scale, so real answers of {shown} would be "
                             f"treated as missing; use a code off the scale, e.g. {max(99, int(high) + 1)}")
        return value

    @model_validator(mode="after")
    def _check(self) -> "Scale":
        if self.max <= self.min:
            raise ValueError(f"max ({self.max}) must be larger than min ({self.min})")
        for lang, labels in (self.labels or {}).items():
            if len(labels) != self.points:
                raise ValueError(
                    f"labels.{lang} has {len(labels)} labels but the scale has {self.points} points")
        if self.answers == "labels" and not self.labels:
            raise ValueError("answers: labels reads the scale labels as text answers, but the scale has no labels; "
                             "add labels or write answers as {code: [text, ...]}")
        if isinstance(self.answers, dict):
            missing = set(self.missing_codes)
            for code in self.answers:
                if not (self.min <= code <= self.max) and code not in missing:
                    raise ValueError(f"answers: {code} is neither a point of the {self.min}-{self.max} scale nor one "
                                     "of scale.missing_codes; text answers must stand for one of those codes")
        self.text_answers()  # raises on conflicts
        return self

    @property
    def points(self) -> int:
        return self.max - self.min + 1

    def text_answers(self) -> dict[str, int]:
        """Normalized text answer (:func:`normalize_answer`) -> the code it stands for."""
        if self.answers is None:
            return {}
        if self.answers == "labels":
            pairs = [(f"labels.{lang}.{i}", self.min + i, text) for lang, texts in (self.labels or {}).items()
                     for i, text in enumerate(texts)]
        else:
            pairs = [(f"answers.{code}", code, text) for code, texts in self.answers.items() for text in texts]
        out: dict[str, int] = {}
        origin: dict[str, str] = {}
        for where, code, text in pairs:
            number = _as_number(text)
            if number is not None:
                if self.answers == "labels" and number == code:
                    continue  # a label such as "3" on point 3: the number is read as it is anyway
                raise ValueError(f"{where}: {text!r} is a number, and numbers in the data are read as codes; "
                                 "a text answer must contain words")
            key = normalize_answer(text)
            if not key:
                raise ValueError(f"{where}: an empty text cannot be an answer")
            if key in out and out[key] != code:
                raise ValueError(f"{where}: the text answer {text!r} stands for {code}, but {origin[key]} already "
                                 f"makes it {out[key]}; a text answer must stand for one code")
            out[key] = code
            origin.setdefault(key, where)
        return out


class Item(_Strict):
    code: str
    column: str | None = None  # data column; defaults to the item code
    text: Text | None = None
    reverse: bool = False
    loading: float | None = None  # population standardized loading, used only by the simulator

    @field_validator("code")
    @classmethod
    def _code_is_identifier(cls, value: str) -> str:
        if not value.isidentifier():
            raise ValueError(f"item code {value!r} must be a single word of letters, digits and _ "
                             "(put the data file's column name under `column:`)")
        return value

    @property
    def data_column(self) -> str:
        return self.column or self.code


class Construct(_Strict):
    code: str
    name: Text | None = None
    definition: Text | None = None
    # where the scale comes from: free text, printed as given, or citations [@key] of the reference list
    # (study/report/references.py), which the report resolves and lists
    source: Text | str | None = None
    items: list[Item] = Field(default_factory=list)
    dimensions: list[str] = Field(default_factory=list)  # second-order construct: codes of its dimensions
    # PLS-SEM (model.method: pls): reflective = mode A (PLSc-corrected if model.pls.consistent),
    # formative = mode B (regression weights). Covariance-based SEM models reflective constructs only.
    mode: Literal["reflective", "formative"] = "reflective"

    @field_validator("code")
    @classmethod
    def _code_is_identifier(cls, value: str) -> str:
        if not value.isidentifier():
            raise ValueError(f"construct code {value!r} must be a single word of letters, digits and _")
        return value

    @field_validator("source")
    @classmethod
    def _known_citations(cls, value):
        return _check_citations(value)

    @model_validator(mode="after")
    def _items_or_dimensions(self) -> "Construct":
        if bool(self.items) == bool(self.dimensions):
            raise ValueError(f"construct {self.code} needs either items or dimensions (not both)")
        if self.mode == "formative" and self.items and len(self.items) < 2:
            raise ValueError(f"construct {self.code} is formative (mode B) with a single item: its regression "
                             "weights need at least two items; list the items that form it, or make it reflective")
        if self.items and len(self.items) < 2:
            raise ValueError(f"construct {self.code} has {len(self.items)} item; at least 2 are needed")
        if self.dimensions and len(self.dimensions) < 2:
            raise ValueError(f"second-order construct {self.code} has {len(self.dimensions)} dimension; "
                             "at least 2 are needed (or give it items instead)")
        return self

    def label(self, lang: str) -> str:
        return (self.name.get(lang) if self.name else "") or self.code


class Level(_Strict):
    code: int | str
    label: Text


class BackgroundQuestion(_Strict):
    code: str
    column: str | None = None
    text: Text | None = None  # the question as asked ("您的性别")
    name: Text | None = None  # a short name for tables and text ("性别"); default: the text
    type: Literal["categorical", "numeric"] = "categorical"
    levels: list[Level] = Field(default_factory=list)
    ordered: bool = False  # the levels are in order (age band, income, frequency): group differences add a trend test
    probabilities: list[float] | None = None  # simulator only

    @model_validator(mode="after")
    def _distinct_levels(self) -> "BackgroundQuestion":
        codes = [str(level.code) for level in self.levels]
        twice = sorted({c for c in codes if codes.count(c) > 1})
        if twice:
            raise ValueError(f"background question {self.code}: level code(s) {', '.join(twice)} are listed twice")
        return self

    @property
    def data_column(self) -> str:
        return self.column or self.code

    def label(self, lang: str) -> str:
        """The short name in ``lang`` (else the question text, else the code)."""
        return (self.name or self.text or Text()).get(lang) or self.code


class AttentionCheck(_Strict):
    """An instructed-response question ("please choose 'agree' here"): other answers fail it."""

    column: str
    expected: Union[int, float, str, list[Union[int, float, str]]]  # the right answer(s)
    action: Literal["exclude", "flag"] = "exclude"

    @field_validator("expected", mode="before")
    @classmethod
    def _not_a_yes_no(cls, value):
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, bool):
                raise ValueError(f"YAML read the answer as {str(v).lower()} (yes/no/on/off are read so); "
                                 "put the expected answer in quotes, e.g. expected: \"yes\"")
        return value

    def accepted(self) -> list[int | float | str]:
        return list(self.expected) if isinstance(self.expected, list) else [self.expected]


class CompletionTime(_Strict):
    """Respondents faster than ``minimum_seconds`` (speeders) are excluded or flagged."""

    column: str  # seconds (315), mm:ss or h:mm:ss (5:15), with units (5分15秒, 5 min 15 s) or Excel time cells
    minimum_seconds: float = Field(gt=0)
    action: Literal["exclude", "flag"] = "exclude"


class Duplicates(_Strict):
    """Repeated submissions: a respondent whose values in ``columns`` (default: data.id_column) repeat an
    earlier row's, or (``identical_answers: true``) whose answers to every construct item repeat an earlier
    row's; the first occurrence is kept."""

    action: Literal["exclude", "flag"] = "exclude"
    # data columns that together identify a submission, e.g. [ip] or [ip, device]; default [data.id_column]
    columns: list[str] | None = None
    # the same answer (or no answer) to every construct item as an earlier respondent, straight-liners
    # aside (they are the straight-lining rule's): survey platforms give a resubmission a new id
    identical_answers: bool = False


class StraightLining(_Strict):
    """Straight-lining: the same answer to every construct item a respondent answered, given at least
    ``minimum_answered`` answers (default: half of the construct items, at least 3)."""

    action: Literal["exclude", "flag", "off"] = "exclude"
    minimum_answered: int | None = Field(None, ge=2)


class Screening(_Strict):
    """Which respondents are excluded before the analysis.

    Every exclusion is counted by reason in the results and listed row by row beside the report.
    """

    # exclude | flag | off, or {action: exclude, minimum_answered: 6}: a respondent who gave the same answer
    # to every construct item answered (at least minimum_answered of them) is a straight-liner
    straight_lining: StraightLining | Literal["exclude", "flag", "off"] = Field(default_factory=StraightLining)
    incomplete: Literal["listwise"] = "listwise"
    attention_checks: list[AttentionCheck] = Field(default_factory=list)
    completion_time: CompletionTime | None = None
    duplicates: Duplicates | None = None  # repeated submissions (same id, same declared columns, same answers)

    @field_validator("straight_lining", mode="before")
    @classmethod
    def _straight_lining_object(cls, value):
        if value is False:  # YAML 1.1 reads an unquoted off as false
            value = "off"
        return {"action": value} if isinstance(value, str) else value


class LevelMerge(_Strict):
    """Levels of a background question analysed as one group (e.g. the two highest income bands)."""

    levels: list[int | str] = Field(min_length=2)
    label: Text | None = None  # the merged group's name (default: the levels' labels joined by "/")


class Differences(_Strict):
    """Group differences (差异分析): construct scores compared across the groups of background questions.

    Without this section every construct score is compared by every categorical background question with
    2–12 levels.
    """

    outcomes: list[str] | None = None  # construct, dimension or item codes (default: every construct)
    by: list[str] | None = None  # background questions (default: every categorical one with 2-12 levels); [] = none
    posthoc: Literal["auto", "tukey", "games-howell", "bonferroni", "lsd", "scheffe"] = "auto"
    nonparametric: Literal["auto", "always", "never"] = "auto"
    levene: Literal["mean", "median"] = "mean"  # mean: Levene's test as SPSS; median: as R's car (Brown-Forsythe)
    min_group_size: int = Field(10, ge=2)
    merge: dict[str, list[LevelMerge]] = Field(default_factory=dict)  # question -> groups of levels

    @field_validator("posthoc", mode="before")
    @classmethod
    def _lower(cls, value):
        return value.strip().lower().replace("_", "-").replace(" ", "-") if isinstance(value, str) else value


class Population(_Strict):
    """The true model the simulator draws data from (standardized paths and settings)."""

    n: int = Field(500, gt=10)
    seed: int = Field(1, ge=0)
    paths: dict[str, float] = Field(default_factory=dict)  # "QUAL -> SAT": 0.6
    # latent interactions: "SAT x SWC -> LOY": -0.15 adds −0.15·(SAT·SWC − E[SAT·SWC]) to LOY
    interactions: dict[str, float] = Field(default_factory=dict)
    dimension_loadings: dict[str, float] = Field(default_factory=dict)
    missing_share: float = Field(0.01, ge=0, lt=0.5)
    careless_share: float = Field(0.02, ge=0, lt=0.5)


class DataSource(_Strict):
    file: str
    id_column: str | None = None
    source: Text | str | None = None  # where a public data set comes from (may cite [@key] of the reference list)
    simulated: bool = False
    population: Population | None = None

    @field_validator("source")
    @classmethod
    def _known_citations(cls, value):
        return _check_citations(value)


class Study(_Strict):
    """A validated study definition."""

    meta: Meta = Field(alias="study")
    data: DataSource
    scale: Scale
    constructs: list[Construct]
    background: list[BackgroundQuestion] = Field(default_factory=list)
    screening: Screening = Screening()
    measurement: MeasurementOptions = MeasurementOptions()
    model: ModelSpec
    differences: Differences = Differences()
    report: ReportOptions = ReportOptions()
    power: PowerOptions = PowerOptions()
    path: Path | None = Field(default=None, exclude=True)  # where the file was read from

    @model_validator(mode="before")
    @classmethod
    def _path_is_not_a_key(cls, data):
        if isinstance(data, dict) and "path" in data:
            raise PydanticCustomError("study_references", "{message}", {
                "message": "path: unknown key", "problems": [(("path",), "unknown key (the study file's own location "
                                                                       "is known; data.file names the data)")]})
        return data

    @model_validator(mode="after")
    def _cross_references(self) -> "Study":
        # Every problem is collected with its key path, so that the loader can name the line.
        problems: list[tuple[tuple, str]] = []
        codes = [c.code for c in self.constructs]
        known = set(codes)
        second_order = {c.code for c in self.constructs if c.dimensions}
        for ci, c in enumerate(self.constructs):
            if codes.index(c.code) != ci:
                problems.append((("constructs", ci, "code"),
                                 f"construct code {c.code!r} is used twice (also constructs.{codes.index(c.code)})"))
        seen_items: dict[str, tuple] = {}
        seen_columns: dict[str, str] = {}
        for ci, c in enumerate(self.constructs):
            for ii, item in enumerate(c.items):
                loc = ("constructs", ci, "items", ii)
                if item.code in seen_items:
                    first = ".".join(map(str, seen_items[item.code]))
                    problems.append(((*loc, "code"), f"item code {item.code!r} is used twice (also {first})"))
                    continue
                seen_items[item.code] = loc
                if item.data_column in seen_columns:
                    problems.append(((*loc, "column" if item.column else "code"),
                                     f"items {seen_columns[item.data_column]} and {item.code} both read the data "
                                     f"column {item.data_column!r}; each item needs its own column"))
                seen_columns.setdefault(item.data_column, item.code)
        dimension_of: dict[str, str] = {}
        for ci, c in enumerate(self.constructs):
            for di, d in enumerate(c.dimensions):
                loc = ("constructs", ci, "dimensions", di)
                if d in dimension_of and dimension_of[d] != c.code:
                    problems.append((loc, f"construct {c.code}: dimension {d} is already a dimension of "
                                          f"{dimension_of[d]}; a dimension belongs to one second-order construct"))
                dimension_of.setdefault(d, c.code)
                if d == c.code:
                    problems.append((loc, f"construct {c.code} cannot be a dimension of itself"))
                elif d not in known:
                    problems.append((loc, f"construct {c.code}: dimension {d!r} is not a construct{_hint(d, codes)}"))
                elif d in second_order:
                    problems.append((loc, f"construct {c.code}: dimension {d} is itself a second-order construct; "
                                          "dimensions must be constructs with items"))
                elif d in c.dimensions[:di]:
                    problems.append((loc, f"construct {c.code}: dimension {d} is listed twice"))
        ids: dict[str, tuple] = {}

        def check_id(ident: str | None, loc: tuple) -> None:
            if ident is None:
                return
            if ident in ids:
                problems.append(((*loc, "id"), f"id {ident!r} is used twice (also {'.'.join(map(str, ids[ident]))})"))
            ids.setdefault(ident, loc)

        paths: dict[tuple[str, str], str] = {}
        for hi, h in enumerate(self.model.hypotheses):
            loc = ("model", "hypotheses", hi)
            check_id(h.id, loc)
            ends = [(key, end) for key, end in (("from", h.from_), ("to", h.to))]
            for key, end in ends:
                if end not in known:
                    problems.append(((*loc, key), f"hypothesis {h.id}: {end!r} is not a construct{_hint(end, codes)}"))
            if h.from_ == h.to:
                problems.append(((*loc, "to"), f"hypothesis {h.id}: a construct cannot affect itself "
                                               f"(from and to are both {h.to})"))
            elif (h.from_, h.to) in paths:
                problems.append(((*loc, "to"), f"hypothesis {h.id}: the path {h.from_} -> {h.to} is already "
                                               f"hypothesis {paths[(h.from_, h.to)]}"))
            if dimension_of.get(h.from_) == h.to or dimension_of.get(h.to) == h.from_:
                dim, whole = (h.from_, h.to) if dimension_of.get(h.from_) == h.to else (h.to, h.from_)
                problems.append(((*loc, "to"), f"hypothesis {h.id}: {dim} is a dimension of {whole}; their link "
                                               "is the second-order loading, not a hypothesis"))
            paths.setdefault((h.from_, h.to), h.id)
        cycle = _first_cycle(list(paths))
        if cycle:
            closing = next(i for i, h in enumerate(self.model.hypotheses)
                           if (h.from_, h.to) == (cycle[-2], cycle[-1]))
            problems.append((("model", "hypotheses", closing, "to"),
                             f"hypotheses {', '.join(paths[(a, b)] for a, b in zip(cycle, cycle[1:]))} form a loop "
                             f"{' -> '.join(cycle)}; the model must be recursive (no construct may affect itself "
                             "through others): remove or reverse one of these paths"))
        for mi, m in enumerate(self.model.mediation):
            loc = ("model", "mediation", mi)
            name = m.id or "->".join(m.path)
            check_id(m.id, loc)
            unknown = [p for p in m.path if p not in known]
            twice = sorted({p for p in m.path if m.path.count(p) > 1})
            if unknown:
                problems.extend(((*loc, "path", m.path.index(p)),
                                 f"mediation {name}: {p!r} is not a construct{_hint(p, codes)}") for p in unknown)
            elif twice:
                problems.append(((*loc, "path"), f"mediation {name}: {', '.join(twice)} appears twice in the "
                                                 "chain; a chain passes each construct once"))
            else:
                for pi, (a, b) in enumerate(zip(m.path, m.path[1:])):
                    if (a, b) not in paths:
                        problems.append((
                            (*loc, "path", pi + 1),
                            f"mediation {name}: the path {a} -> {b} is not a hypothesis of the model; add it to "
                            "model.hypotheses or change the chain"))
        item_columns = {i.data_column: i.code for c in self.constructs for i in c.items}
        for ai, check in enumerate(self.screening.attention_checks):
            if check.column in item_columns:
                problems.append((("screening", "attention_checks", ai, "column"),
                                 f"attention check: column {check.column!r} is read by item "
                                 f"{item_columns[check.column]}; an attention check needs a column of its own"))
        timing = self.screening.completion_time
        if timing is not None and timing.column in item_columns:
            problems.append((("screening", "completion_time", "column"),
                             f"completion_time: column {timing.column!r} is read by item "
                             f"{item_columns[timing.column]}; give the column that holds the seconds taken"))
        if self.model.missing == "fiml" and "incomplete" in self.screening.model_fields_set:
            problems.append((("screening", "incomplete"),
                             "screening.incomplete: listwise contradicts model.missing: fiml (which keeps respondents "
                             "with unanswered items); remove screening.incomplete"))
        duplicates = self.screening.duplicates
        if duplicates is not None and duplicates.columns is None and not self.data.id_column \
                and not duplicates.identical_answers:
            problems.append((("screening", "duplicates"),
                             "duplicates are found by respondent id, by declared columns or by identical answers: set "
                             "data.id_column, screening.duplicates.columns (e.g. [ip]) or "
                             "screening.duplicates.identical_answers: true, or remove screening.duplicates"))
        if duplicates is not None and duplicates.columns is not None:
            if not duplicates.columns:
                problems.append((("screening", "duplicates", "columns"),
                                 "screening.duplicates.columns is empty; name the column(s) that identify a "
                                 "submission (e.g. [ip]) or remove the key"))
            for ci, column in enumerate(duplicates.columns):
                if column in item_columns:
                    problems.append((("screening", "duplicates", "columns", ci),
                                     f"screening.duplicates.columns: {column!r} is read by item {item_columns[column]}; "
                                     "use identical_answers: true to compare answers"))
        if self.model.method != "pls":
            for ci, c in enumerate(self.constructs):
                if c.mode == "formative":
                    problems.append((("constructs", ci, "mode"),
                                     f"construct {c.code} is formative, which model.method: {self.model.method} cannot "
                                     "estimate (covariance-based SEM models reflective constructs); use "
                                     "model.method: pls, or make it reflective"))
        if self.model.method in ("pls", "both") and self.model.missing == "fiml":
            problems.append((("model", "missing"), "missing: fiml is for covariance-based SEM; PLS-SEM uses the "
                                                   "respondents with complete answers (use missing: listwise)"))
        background = [b.code for b in self.background]
        numeric = {b.code for b in self.background if b.type == "numeric"}
        for gi, g in enumerate(self.model.groups):
            if g not in background:
                problems.append((("model", "groups", gi),
                                 f"model.groups: {g!r} is not a background question{_hint(g, background)}"))
            elif g in numeric:
                problems.append((("model", "groups", gi),
                                 f"model.groups: {g!r} is a numeric question; groups are compared on a categorical "
                                 "question (add one with levels, e.g. age bands, and name it here)"))
        problems += self._difference_references(background, numeric)
        problems += _alternative_problems(self, paths) + _invariance_problems(self)
        problems += _moderation_problems(self, paths, check_id)
        if problems:
            raise PydanticCustomError("study_references", "{message}",
                                      {"message": "; ".join(msg for _, msg in problems), "problems": problems})
        return self

    def _difference_references(self, background: list[str], numeric: set[str]) -> list[tuple[tuple, str]]:
        """Problems of the ``differences`` section, each with its key path."""
        problems: list[tuple[tuple, str]] = []
        diff = self.differences
        outcomes = [c.code for c in self.constructs] + [i.code for i in self.items]
        for oi, code in enumerate(diff.outcomes or []):
            if code not in outcomes:
                problems.append((("differences", "outcomes", oi),
                                 f"differences.outcomes: {code!r} is neither a construct nor an item{_hint(code, outcomes)}"))
            elif code in (diff.outcomes or [])[:oi]:
                problems.append((("differences", "outcomes", oi), f"differences.outcomes: {code} is listed twice"))
        for gi, code in enumerate(diff.by or []):
            if code not in background:
                problems.append((("differences", "by", gi),
                                 f"differences.by: {code!r} is not a background question{_hint(code, background)}"))
            elif code in numeric:
                problems.append((("differences", "by", gi),
                                 f"differences.by: {code!r} is a numeric question; groups are compared on a "
                                 "categorical question (add one with levels, e.g. age bands, and name it here)"))
            elif code in (diff.by or [])[:gi]:
                problems.append((("differences", "by", gi), f"differences.by: {code} is listed twice"))
        questions = {b.code: b for b in self.background}
        for code, merges in diff.merge.items():
            q = questions.get(code)
            if q is None:
                problems.append((("differences", "merge", code),
                                 f"differences.merge: {code!r} is not a background question{_hint(code, background)}"))
                continue
            if not q.levels:
                problems.append((("differences", "merge", code),
                                 f"differences.merge: {code} lists no levels in background, so there is nothing to merge"))
                continue
            codes = [str(level.code) for level in q.levels]
            used: dict[str, int] = {}
            for mi, m in enumerate(merges):
                for li, level in enumerate(m.levels):
                    loc = ("differences", "merge", code, mi, "levels", li)
                    if str(level) not in codes:
                        problems.append((loc, f"differences.merge.{code}: {level!r} is not a level of {code} "
                                              f"(its levels: {', '.join(codes)})"))
                    elif str(level) in used:
                        problems.append((loc, f"differences.merge.{code}: level {level} is already merged in group "
                                              f"{used[str(level)] + 1}; a level joins one group"))
                    used.setdefault(str(level), mi)
        return problems

    def construct(self, code: str) -> Construct:
        return next(c for c in self.constructs if c.code == code)

    @property
    def first_order(self) -> list[Construct]:
        return [c for c in self.constructs if c.items]

    @property
    def second_order(self) -> list[Construct]:
        return [c for c in self.constructs if c.dimensions]

    @property
    def items(self) -> list[Item]:
        return [i for c in self.constructs for i in c.items]

    @property
    def structural_constructs(self) -> list[str]:
        """Constructs that appear in the structural model (not the dimensions of a second-order one)."""
        dims = {d for c in self.second_order for d in c.dimensions}
        return [c.code for c in self.constructs if c.code not in dims]

    @property
    def controls(self) -> list[Control]:
        """model.controls, each as a :class:`Control`."""
        return [c if isinstance(c, Control) else Control(question=c) for c in self.model.controls]

    def variable_kind(self, code: str) -> str | None:
        """What a moderator names: ``construct``, ``background`` or ``item`` (in that order), or None."""
        if any(c.code == code for c in self.constructs):
            return "construct"
        if any(b.code == code for b in self.background):
            return "background"
        if any(i.code == code for i in self.items):
            return "item"
        return None

    def resolve(self, relative: str) -> Path:
        """A path written in the study file, relative to the study file's folder."""
        base = self.path.parent if self.path else Path.cwd()
        return (base / relative).resolve()
