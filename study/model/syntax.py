"""lavaan-style model descriptions built from a study definition."""

from __future__ import annotations

from ..questionnaire import Study
from .alternatives import ModelParts


def measurement_lines(study: Study) -> list[str]:
    """``F =~ item1 + item2 …`` for every first-order construct (marker: first item fixed to 1).

    Items are named by their codes, as in :class:`study.data.SurveyData`.
    """
    return [f"{c.code} =~ " + " + ".join(i.code for i in c.items) for c in study.first_order]


def cfa_syntax(study: Study) -> str:
    """The measurement model: first-order constructs, all of them correlated (lavaan's ``cfa()``)."""
    codes = [c.code for c in study.first_order]
    covariances = [f"{a} ~~ {b}" for i, a in enumerate(codes) for b in codes[i + 1:]]
    return "\n".join(measurement_lines(study) + covariances)


def model_parts(study: Study) -> ModelParts:
    """The hypothesized structural model by its parts (:class:`study.model.alternatives.ModelParts`), from
    which the competing models, the models with or without a direct path and the refits for f² are made."""
    return ModelParts(name="hypothesized", order=tuple(c.code for c in study.constructs),
                      measurement={c.code: tuple(i.code for i in c.items) for c in study.first_order},
                      second_order={c.code: tuple(c.dimensions) for c in study.second_order},
                      paths=tuple((h.from_, h.to) for h in study.model.hypotheses))


def sem_syntax(study: Study) -> str:
    """The structural model: measurement, second-order factors, and one regression per hypothesis.

    Exogenous constructs are correlated, as lavaan's ``sem()`` does by default, and so are the residuals
    of final outcomes when a model has several (lavaan's ``auto.cov.y``).
    """
    return model_parts(study).syntax()


def second_order_pairs(study: Study) -> frozenset[tuple[str, str]]:
    """(second-order construct, dimension) pairs: loadings that semopy keeps among regressions."""
    return frozenset((c.code, d) for c in study.second_order for d in c.dimensions)
