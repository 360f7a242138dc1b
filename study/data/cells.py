"""Cells as text, and values as they appear in messages (shared by the readers, the answer parsers
and the screening rules).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

import numpy as np
import pandas as pd



_MAX_LISTED = 10  # problems listed one by one in an error message


def _cell_text(value) -> str | None:
    """A cell as text: stripped, numbers in plain form (1.0 -> "1"), None for an empty cell."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value)).upper()
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if np.isnan(value):
            return None
        return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value).strip() or None


def _text(series: pd.Series) -> np.ndarray:
    """A column as text (see :func:`_cell_text`): an object array, None for no answer."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        codes, uniques = pd.factorize(series.to_numpy(dtype=float, na_value=np.nan))
    else:
        codes, uniques = pd.factorize(series.to_numpy(dtype=object))
    # Each distinct value is converted once: a column of a million answers has few distinct ones.
    uniques = np.asarray(uniques, dtype=object)
    if len(uniques) > 1000 and pd.api.types.infer_dtype(uniques, skipna=False) == "string":  # e.g. ids
        stripped = pd.Series(uniques, dtype=object).str.strip().to_numpy(dtype=object, copy=True)
        stripped[stripped == ""] = None
        texts = np.append(stripped, None)
    else:
        texts = np.array([(u.strip() or None) if isinstance(u, str) else _cell_text(u) for u in uniques] + [None],
                         dtype=object)
    return texts[codes]  # code -1 (missing) takes the last entry, None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _printable(text) -> str:
    """Text from the data as it may appear in a message and the report: control characters (which the Word
    and Excel files cannot hold) written as escapes, e.g. \\x01."""
    text = str(text)
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text) if _CONTROL.search(text) \
        else text


def _shown(value) -> str:
    """A cell value as it appears in a message: quoted text."""
    if isinstance(value, str):
        return repr(value)
    return repr(_cell_text(value) or "")


def _listing(entries, limit: int = _MAX_LISTED, total: int | None = None) -> str:
    """The first ``limit`` entries, comma-separated, and how many more there are (of ``total``)."""
    entries = list(entries)
    total = len(entries) if total is None else total
    shown = ", ".join(str(r) for r in entries[:limit])
    return shown + (f", ... ({total - limit} more)" if total > limit else "")


def answers_text(series: pd.Series) -> pd.Series:
    """A column of answers as stripped text (pandas "string" dtype, <NA> for no answer): the same as
    ``series.astype("string").str.strip()``, but each distinct answer is converted once, so that a million
    background answers take milliseconds instead of seconds."""
    codes, uniques = pd.factorize(series.to_numpy(dtype=object))
    texts = pd.array([str(u).strip() for u in uniques] + [None], dtype="string")
    return pd.Series(texts.take(codes, allow_fill=False) if len(texts) else texts, index=series.index,
                     name=series.name, dtype="string")
