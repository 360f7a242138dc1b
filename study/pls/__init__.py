"""PLS-SEM (partial least squares path modelling): the SmartPLS path from the same study file.

Public names::

    from study.pls import PLSModel, PLSSettings, estimate_pls, bootstrap_pls, ...
"""

from .estimate import PLSNotConverged, PLSResult, batch_estimates, estimate_pls
from .specify import Block, HigherOrder, PLSModel, PLSModelError, PLSSettings, check_model

__all__ = ["Block", "HigherOrder", "PLSModel", "PLSModelError", "PLSNotConverged", "PLSResult", "PLSSettings",
           "batch_estimates", "check_model", "estimate_pls"]
