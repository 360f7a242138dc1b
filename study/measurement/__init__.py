"""Stage 3: measurement — item statistics, reliability and validity of multi-item scales.

In: the analysed item answers (:class:`~study.data.SurveyData`) and, for CR/AVE, the fitted CFA. Out: pure
functions returning numbers, NamedTuples or DataFrames, and :class:`MeasurementChapter` (:mod:`.chapter`),
read by the pipeline and the report.

The functions reproduce the standard R tools of satisfaction-loyalty studies: ``psych`` (descriptives,
alpha and its Feldt confidence interval, item-total, KMO, Bartlett, Mardia, parallel analysis, exploratory
factor analysis), ``semTools`` (HTMT, omega) and the Fornell & Larcker (1981) composite reliability and
AVE from standardized CFA loadings. One module per topic:

- :mod:`.descriptives` — item descriptives, Mardia's multivariate normality;
- :mod:`.reliability` — alpha, standardized alpha, CITC, alpha if deleted, alpha CI, omega;
- :mod:`.factorability` — KMO, Bartlett, Harman's single factor;
- :mod:`.efa` — exploratory factor analysis, rotations, cross-loadings, parallel analysis;
- :mod:`.validity` — CR, AVE, Fornell-Larcker, HTMT and its bootstrap interval;
- :mod:`.item_analysis` — item analysis (项目分析): critical ratio of the extreme 27 %, item–total r;
- :mod:`.chapter` — all of them for a study's constructs.
"""

from .descriptives import MardiaResult, item_descriptives, mardia
from .efa import EFAResult, ParallelAnalysisResult, cross_loadings, efa, parallel_analysis
from .item_analysis import ItemAnalysis, item_analysis
from .factorability import BartlettResult, KMOResult, bartlett_sphericity, harman_single_factor, kmo
from .reliability import (AlphaCI, alpha_ci, cronbach_alpha, item_total, mcdonald_omega, omega_from_loadings,
                          standardized_alpha)
from .validity import average_variance_extracted, composite_reliability, fornell_larcker, htmt, htmt_interval

__all__ = [
    "ItemAnalysis",
    "item_analysis",
    "KMOResult",
    "BartlettResult",
    "item_descriptives",
    "cronbach_alpha",
    "standardized_alpha",
    "item_total",
    "kmo",
    "bartlett_sphericity",
    "harman_single_factor",
    "htmt",
    "htmt_interval",
    "composite_reliability",
    "average_variance_extracted",
    "fornell_larcker",
    "AlphaCI",
    "MardiaResult",
    "ParallelAnalysisResult",
    "EFAResult",
    "alpha_ci",
    "omega_from_loadings",
    "mcdonald_omega",
    "mardia",
    "parallel_analysis",
    "efa",
    "cross_loadings",
]
