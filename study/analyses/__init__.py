"""Analyses of construct scores beside the structural model: what SPSS users hand in.

In: construct (or item) scores of the analysed respondents as numbers, and a background question's
answers as codes. Out: small frozen result objects (with pandas tables inside) and notes in English and
Chinese (:class:`study.messages.Message`). Nothing here reads a file.

- :mod:`study.analyses.differences` — group differences (差异分析): t-tests, one-way ANOVA with Welch
  and Brown–Forsythe, post-hoc tests, Mann–Whitney, Kruskal–Wallis with Dunn's pairs, linear trend; it
  knows nothing of the study file.
- :mod:`study.analyses.studentized_range` — the studentized range distribution (Tukey, Games–Howell).
- :mod:`study.analyses.chapter` — a study's group differences and item analyses, as its ``differences:``
  section asks (for the pipeline).
- :mod:`study.analyses.regression` — OLS regression on construct scores (statsmodels): coefficients, VIF,
  residual checks with HC3, hierarchical steps; dummy coding against a reference level.
- :mod:`study.analyses.moderation` — moderation (PROCESS model 1): simple slopes, Johnson–Neyman; the
  latent interaction in the SEM by product indicators.
- :mod:`study.analyses.moderated_mediation` — PROCESS models 7, 14, 58 with the index of moderated
  mediation and a vectorised bootstrap; the same models in the SEM with defined parameters.
- :mod:`study.analyses.regression_chapter` — a study's regressions, moderations and moderated
  mediations, as its ``model.controls``, ``model.moderation`` and ``model.moderated_mediation`` ask.

Item analysis (项目分析) belongs to the measurement chapter: :mod:`study.measurement.item_analysis`.
"""

from .differences import (
    Anova,
    FTest,
    GroupDifference,
    KruskalWallis,
    Levene,
    MannWhitney,
    PostHoc,
    TTest,
    TwoGroupTest,
    Trend,
    brown_forsythe,
    dunn_test,
    group_difference,
    kruskal_wallis,
    levene_test,
    linear_trend,
    mann_whitney,
    oneway_anova,
    posthoc_test,
    two_group_test,
    welch_anova,
)

__all__ = [
    "Anova", "FTest", "GroupDifference", "KruskalWallis", "Levene", "MannWhitney", "PostHoc", "TTest",
    "TwoGroupTest", "Trend", "brown_forsythe", "dunn_test", "group_difference", "kruskal_wallis", "levene_test", "linear_trend", "mann_whitney", "oneway_anova",
    "posthoc_test", "two_group_test", "welch_anova",
]
