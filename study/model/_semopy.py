"""semopy, imported without scikit-learn, SymPy and statsmodels until semopy really calls them
(:mod:`study._deferred_imports`): this tool uses its syntax parser, model matrices and first ML solution,
none of which calls them, and their imports cost about 1 s of CPU at every start."""

from __future__ import annotations

from .._deferred_imports import semopy as _import_semopy

semopy = _import_semopy()
