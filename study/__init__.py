"""Satisfaction-loyalty studies: questionnaire -> data -> measurement -> model -> report."""

__version__ = "0.1.0"

from . import timings as _timings  # noqa: E402,F401 - marks when the package was loaded (--timings)
