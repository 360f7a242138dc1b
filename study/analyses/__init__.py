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
