"""The study file's ``model:`` section: hypotheses, mediation chains, controls, moderation and moderated
mediation, competing models, invariance levels and the PLS-SEM options (pydantic models, frozen; unknown
keys are errors). Checks that need the rest of the study are in :mod:`.cross_checks`.
"""

from __future__ import annotations

import re
from typing import Literal, Union

from pydantic import (Field, field_validator,
                      model_validator)
from .base import MAX_BOOTSTRAP, Text, _Strict


class Hypothesis(_Strict):
    id: str
    from_: str = Field(alias="from")
    to: str
    sign: Literal["+", "-"] = "+"
    text: Text | None = None


class Mediation(_Strict):
    id: str | None = None
    path: list[str]
    text: Text | None = None

    @field_validator("path")
    @classmethod
    def _at_least_three(cls, value: list[str]) -> list[str]:
        if len(value) < 3:
            raise ValueError("a mediation path names at least 3 constructs: X, a mediator, Y")
        return value


class PLSOptions(_Strict):
    """How PLS-SEM is estimated and assessed (model.method: pls or both); defaults as SmartPLS."""

    scheme: Literal["path", "centroid", "factorial"] = "path"  # inner weighting scheme
    consistent: bool = False  # PLSc: correct reflective constructs for measurement error (Dijkstra & Henseler 2015)
    standardized: bool = True  # false: items only centred, weights on the answer scale (R plspm scaled = FALSE)
    higher_order: Literal["two_stage", "repeated_indicators"] = "two_stage"  # second-order constructs
    bootstrap: int = Field(10000, ge=0)  # resamples for every estimate (0 = none)
    max_iter: int = Field(300, ge=1)  # not converged after this many iterations: no estimates
    predict_folds: int = Field(10, ge=2)  # PLSpredict: k folds ...
    predict_repetitions: int = Field(10, ge=1)  # ... repeated r times
    omission_distance: int = Field(7, ge=2)  # blindfolding Q²
    permutations: int = Field(5000, ge=0)  # MICOM and the permutation test (model.groups)

    @field_validator("scheme", mode="before")
    @classmethod
    def _lower(cls, value):
        return value.strip().lower() if isinstance(value, str) else value


_ARROW = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*->\s*([A-Za-z_][A-Za-z0-9_]*)\s*$")
AUTOMATIC_ALTERNATIVES = ("partial_mediation", "first_order", "one_factor")
INVARIANCE_LEVELS = ("configural", "metric", "scalar", "strict")


class AlternativeModel(_Strict):
    """A declared competing model: the hypothesized model with paths added and/or removed."""

    id: str
    name: Text | None = None
    add: list[str] = Field(default_factory=list)  # paths "A -> B" added to the hypotheses
    drop: list[str] = Field(default_factory=list)  # hypotheses "A -> B" left out
    chisq_test: bool = False  # a χ² difference test against the hypothesized model is required (must be nested)

    @field_validator("add", "drop")
    @classmethod
    def _arrows(cls, value: list[str]) -> list[str]:
        for path in value:
            if not isinstance(path, str) or not _ARROW.match(path):
                raise ValueError(f"{path!r} is not a path; write it as 'FROM -> TO' with two construct codes")
        return [" -> ".join(_ARROW.match(p).groups()) for p in value]

    @model_validator(mode="after")
    def _changes_something(self) -> "AlternativeModel":
        if not self.add and not self.drop:
            raise ValueError(f"alternative {self.id}: give the paths it adds (add) and/or removes (drop)")
        return self

    def pairs(self, which: str) -> list[tuple[str, str]]:
        return [tuple(_ARROW.match(p).groups()) for p in getattr(self, which)]


class Alternatives(_Strict):
    """Competing models compared with the hypothesized one (examiners ask for them)."""

    # fitted whenever they apply: the direct paths of the mediation chains added (partial mediation),
    # the dimensions instead of each second-order construct (first-order model), all items on one factor
    automatic: list[Literal["partial_mediation", "first_order", "one_factor"]] = \
        Field(default_factory=lambda: list(AUTOMATIC_ALTERNATIVES))
    models: list[AlternativeModel] = Field(default_factory=list)


class Invariance(_Strict):
    """Measurement invariance across the groups of model.groups (on the first-order measurement model)."""

    levels: list[Literal["configural", "metric", "scalar", "strict"]] = \
        Field(default_factory=lambda: ["configural", "metric", "scalar"])
    # constraints left free across groups, by lavaan's group.partial names: "item~1" (intercept),
    # "CONSTRUCT=~item" (loading), "item~~item" (residual variance)
    partial: list[str] = Field(default_factory=list)
    free_by_score_test: bool = True  # when a level fails, free its constraint with the largest score test, one at a time
    max_free: int = Field(3, ge=0)  # per level
    criterion: Literal["fit_indices", "chisq"] = "fit_indices"  # ΔCFI/ΔRMSEA or the χ² difference test

    @field_validator("levels")
    @classmethod
    def _consecutive(cls, value: list[str]) -> list[str]:
        if len(value) < 2 or tuple(value) != INVARIANCE_LEVELS[:len(value)]:
            raise ValueError("levels must run from configural without gaps: [configural, metric], "
                             "[configural, metric, scalar] or [configural, metric, scalar, strict]")
        return value


class Control(_Strict):
    """A background question entered as a control variable in the regressions on construct scores."""

    question: str
    # a categorical question is dummy-coded against this level (default: its first level)
    reference: int | str | None = None


class Moderation(_Strict):
    """Does W change the effect of X on Y (a hypothesis path)? W: a construct, an item or a background question."""

    id: str | None = None
    x: str
    w: str
    y: str
    sign: Literal["+", "-"] | None = None  # expected sign of the interaction X×W (None: any)
    reference: int | str | None = None  # categorical W: the level the others are compared with
    text: Text | None = None


class ModeratedMediation(_Strict):
    """Does W change the indirect effect X → M → Y? Stage: which path W moderates (PROCESS 7, 14, 58)."""

    id: str | None = None
    path: list[str]
    w: str
    stage: Literal["first", "second", "both"] = "first"
    sign: Literal["+", "-"] | None = None  # expected sign of the index of moderated mediation (None: any)
    reference: int | str | None = None
    text: Text | None = None

    @field_validator("path")
    @classmethod
    def _three(cls, value: list[str]) -> list[str]:
        if len(value) != 3:
            raise ValueError(f"a moderated mediation path names 3 constructs, X, the mediator M and Y; got {len(value)}")
        return value


class ModelSpec(_Strict):
    # at least one: the structural model, the report's path and hypothesis tables and the group comparison
    # are built on the hypothesized paths
    hypotheses: list[Hypothesis] = Field(json_schema_extra={"minItems": 1})
    # cb: covariance-based SEM (as lavaan); pls: PLS-SEM (as SmartPLS); both: both, side by side
    method: Literal["cb", "pls", "both"] = "cb"
    pls: PLSOptions = PLSOptions()
    mediation: list[Mediation] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list)
    alternatives: Alternatives = Alternatives()
    invariance: Invariance | None = None  # default: configural, metric, scalar when model.groups is given
    # background questions as control variables of the regressions: a code, or {question, reference}
    controls: list[Union[str, Control]] = Field(default_factory=list)
    moderation: list[Moderation] = Field(default_factory=list)
    moderated_mediation: list[ModeratedMediation] = Field(default_factory=list)
    # ML; MLM (Satorra-Bentler) or MLR (Huber-White, Yuan-Bentler) for non-normal answers;
    # WLSMV: the items as ordinal (polychoric correlations, DWLS, mean- and variance-adjusted test)
    estimator: Literal["ML", "MLM", "MLR", "WLSMV"] = "ML"
    # listwise: respondents with an unanswered item are excluded (and counted);
    # fiml: they stay, and the models use every answer given (full-information ML, lavaan missing = "ml")
    missing: Literal["listwise", "fiml"] = "listwise"
    bootstrap: int = Field(2000, ge=0, le=MAX_BOOTSTRAP)
    seed: int = Field(20261122, ge=0)

    @field_validator("hypotheses")
    @classmethod
    def _some_hypothesis(cls, value):
        if not value:
            raise ValueError("list at least one hypothesis, a path between two constructs such as {id: H1, from: "
                             "QUAL, to: SAT, sign: \"+\"}: the structural model, the path and hypothesis tables and "
                             "the group comparison are built on them")
        return value

    @field_validator("missing", "method", mode="before")
    @classmethod
    def _lower(cls, value):
        return value.strip().lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _fiml_needs_ml(self):
        if self.missing == "fiml" and self.estimator != "ML":
            why = {"MLM": "MLM needs complete answers",
                   "MLR": "MLR with fiml (robust FIML) is not available yet",
                   "WLSMV": "WLSMV works on complete answers"}[self.estimator]
            raise ValueError(f"missing: fiml works with estimator: ML; {why} (use missing: listwise with "
                             f"{self.estimator}, or estimator: ML with fiml)")
        return self
