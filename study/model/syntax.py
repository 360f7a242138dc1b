"""lavaan-style model descriptions built from a study definition."""

from __future__ import annotations

from ..questionnaire import Study


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


def sem_syntax(study: Study) -> str:
    """The structural model: measurement, second-order factors, and one regression per hypothesis.

    Exogenous constructs are correlated, as lavaan's ``sem()`` does by default.
    """
    lines = measurement_lines(study)
    lines += [f"{c.code} =~ " + " + ".join(c.dimensions) for c in study.second_order]
    causes: dict[str, list[str]] = {}
    for h in study.model.hypotheses:
        causes.setdefault(h.to, []).append(h.from_)
    lines += [f"{to} ~ " + " + ".join(froms) for to, froms in causes.items()]
    exogenous = [c for c in study.structural_constructs if c not in causes]
    lines += [f"{a} ~~ {b}" for i, a in enumerate(exogenous) for b in exogenous[i + 1:]]
    return "\n".join(lines)


def second_order_pairs(study: Study) -> frozenset[tuple[str, str]]:
    """(second-order construct, dimension) pairs: loadings that semopy keeps among regressions."""
    return frozenset((c.code, d) for c in study.second_order for d in c.dimensions)
