"""PLS-SEM (partial least squares path modelling): the SmartPLS path from the same study file.

Modules: :mod:`~study.pls.specify` (the model and its checks), :mod:`~study.pls.engine` (the PLS
algorithm on stacks of covariance matrices), :mod:`~study.pls.estimate`, :mod:`~study.pls.bootstrap`,
:mod:`~study.pls.assessment` (Hair et al. 2022), :mod:`~study.pls.predict` (PLSpredict),
:mod:`~study.pls.mga` (MICOM, permutation and Henseler's MGA), :mod:`~study.pls.ipma`.

Examples
--------
>>> from study.pls import PLSModel, PLSSettings, estimate_pls, bootstrap_pls   # doctest: +SKIP
>>> model = PLSModel.build({"QUAL": ["q1", "q2", "q3"], "SAT": ["s1", "s2", "s3"]}, [("QUAL", "SAT")])
>>> res = estimate_pls(df, model, PLSSettings(scheme="path"))                   # doctest: +SKIP
>>> boot = bootstrap_pls(df, model, resamples=10_000, seed=1)                   # doctest: +SKIP
>>> boot.summary(statistic="path")                                             # doctest: +SKIP
"""

from .assessment import (block_summary, communality, f_squared, fornell_larcker, goodness_of_fit, htmt,
                         indicator_reliability, inner_vif, model_fit, outer_vif, q_squared, reliability,
                         unidimensionality)
from .bootstrap import PLSBootstrap, bootstrap_pls
from .estimate import PLSNotConverged, PLSResult, batch_estimates, estimate_pls
from .ipma import PLSImportancePerformance, importance_performance
from .mga import MGAResult, pls_mga
from .predict import PLSPredict, plspredict
from .specify import Block, HigherOrder, PLSModel, PLSModelError, PLSSettings, check_model

__all__ = ["Block", "HigherOrder", "MGAResult", "PLSBootstrap", "PLSImportancePerformance", "PLSModel",
           "PLSModelError", "PLSNotConverged", "PLSPredict", "PLSResult", "PLSSettings", "batch_estimates",
           "block_summary", "bootstrap_pls", "check_model", "communality", "estimate_pls", "f_squared",
           "fornell_larcker", "goodness_of_fit", "htmt", "importance_performance", "indicator_reliability",
           "inner_vif", "model_fit", "outer_vif", "pls_mga", "plspredict", "q_squared", "reliability",
           "unidimensionality"]
