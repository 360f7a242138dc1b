"""CSV files the tool writes (excluded and flagged respondents, the codebook, the analysed data): text that a
spreadsheet would run as a formula is neutralized.

A respondent's id, a background answer or a label such as ``=HYPERLINK("http://…")``, ``=cmd|' /C calc'!A0``
or ``@SUM(1)`` becomes a live formula when the CSV file is opened in Excel or LibreOffice. Following OWASP's
advice on CSV injection, a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
and is not a number is written with a leading apostrophe (``'=HYPERLINK(…)``), which spreadsheets show as
text. Numbers (``-3``, ``+1.5``) are left as they are.

Reference: OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def neutralize(value):
    """A cell as it is safe to write: text that a spreadsheet would read as a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(_TRIGGERS) and not _NUMBER.match(value):
        return "'" + value
    return value


def neutralized(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell neutralized (see :func:`neutralize`); numeric columns untouched. Each
    distinct text is checked once (str.startswith in C), so a million rows take a fraction of a second."""
    out = None
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
            continue
        codes, uniques = pd.factorize(series.to_numpy(dtype=object))
        risky = [k for k, u in enumerate(uniques) if isinstance(u, str) and u.startswith(_TRIGGERS)
                 and neutralize(u) != u]
        if risky:
            fixed = np.array(uniques, dtype=object)
            fixed[risky] = ["'" + uniques[k] for k in risky]
            out = frame.copy() if out is None else out
            cells = np.append(fixed, None)[codes]  # code -1: no value
            out[column] = pd.Series(cells, index=frame.index, dtype=object)
    return frame if out is None else out


def write_csv(frame: pd.DataFrame, path: Path, **options) -> Path:
    """Write ``frame`` as CSV with formulas neutralized; ``options`` go to :meth:`pandas.DataFrame.to_csv`
    (``index=False`` by default)."""
    options.setdefault("index", False)
    neutralized(frame).to_csv(path, **options)
    return Path(path)
