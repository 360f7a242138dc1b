"""Input validation and small matrix helpers shared by the measurement modules: every public function
checks its items here, so that a bad column is named in one consistent message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd


# input validation
def _describe(columns: Iterable, name: str | None) -> str:
    cols = ", ".join(map(str, columns)) or "<none>"
    return f"construct {name!r} (items: {cols})" if name else f"items [{cols}]"


def _check_items(
    items: pd.DataFrame,
    *,
    min_items: int = 2,
    name: str | None = None,
    need_variance: bool = True,
) -> pd.DataFrame:
    """Validate an item frame and return it as float64.

    Raises ``ValueError`` naming the offending construct, items or column.
    """
    if not isinstance(items, pd.DataFrame):
        raise TypeError(f"items must be a pandas DataFrame, got {type(items).__name__}")
    if items.columns.has_duplicates:
        dup = items.columns[items.columns.duplicated()].unique().tolist()
        raise ValueError(f"duplicated item column(s): {', '.join(map(str, dup))}")
    if items.shape[1] < min_items:
        raise ValueError(
            f"{_describe(items.columns, name)} has {items.shape[1]} item(s); "
            f"at least {min_items} are needed"
        )
    for col in items.columns:
        s = items[col]
        if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            raise ValueError(f"column {col!r} is not numeric (dtype {s.dtype})")
    x = items.astype("float64")
    # one pass over the values for all columns (these checks run before every statistic, on every row)
    values = x.to_numpy()
    low, high = (values.min(axis=0), values.max(axis=0)) if values.size else (np.zeros(0), np.zeros(0))
    if not (np.isfinite(low).all() and np.isfinite(high).all()):
        bad = [c for c, k in zip(x.columns, np.isnan(values).any(axis=0)) if k]
        if bad:
            raise ValueError(
                "missing values in column(s) " + ", ".join(map(repr, bad))
                + "; pass complete cases only"
            )
        inf = [c for c, k in zip(x.columns, np.isfinite(values).all(axis=0)) if not k]
        raise ValueError("non-finite values in column(s) " + ", ".join(map(repr, inf)))
    if x.shape[0] < 3:
        raise ValueError(
            f"{_describe(items.columns, name)}: need at least 3 rows, got {x.shape[0]}"
        )
    if need_variance:
        const = [c for c, lo, hi in zip(x.columns, low, high) if lo == hi]
        if const:
            raise ValueError("column(s) with zero variance: " + ", ".join(map(repr, const)))
    return x


def _check_loadings(std_loadings, name: str | None = None) -> np.ndarray:
    if isinstance(std_loadings, Mapping):
        labels = list(std_loadings.keys())
        lam = np.asarray(list(std_loadings.values()), dtype=float)
    elif isinstance(std_loadings, pd.Series):
        labels = list(std_loadings.index)
        name = name or (str(std_loadings.name) if std_loadings.name is not None else None)
        lam = std_loadings.to_numpy(dtype=float)
    else:
        lam = np.asarray(std_loadings, dtype=float).ravel()
        labels = [f"#{i}" for i in range(lam.size)]
    if lam.size < 2:
        raise ValueError(
            f"{_describe(labels, name)} has {lam.size} loading(s); at least 2 are needed"
        )
    if not np.isfinite(lam).all():
        raise ValueError(f"{_describe(labels, name)}: loadings must be finite")
    over = [str(lbl) for lbl, v in zip(labels, lam) if abs(v) > 1]
    if over:
        raise ValueError(
            f"{_describe(labels, name)}: standardized loading(s) above 1 in absolute value "
            f"(Heywood case) for {', '.join(over)}"
        )
    return lam


def _labelled(values, what: str) -> tuple[list, np.ndarray, str | None]:
    """(labels, float array, series name) from a dict, Series or array-like."""
    name = None
    if isinstance(values, Mapping):
        labels = [str(k) for k in values.keys()]
        arr = np.asarray(list(values.values()), dtype=float)
    elif isinstance(values, pd.Series):
        labels = [str(k) for k in values.index]
        name = str(values.name) if values.name is not None else None
        arr = values.to_numpy(dtype=float)
    else:
        arr = np.asarray(values, dtype=float).ravel()
        labels = None
    if labels is None:
        labels = [f"#{i}" for i in range(arr.size)]
    if not np.isfinite(arr).all():
        bad = [lbl for lbl, v in zip(labels, arr) if not np.isfinite(v)]
        raise ValueError(f"{what}: non-finite value(s) for {', '.join(bad)}")
    return labels, arr, name


def _correlation(x: pd.DataFrame, name: str | None = None) -> np.ndarray:
    r = np.corrcoef(x.to_numpy(), rowvar=False)
    if np.linalg.cond(r) > 1e12:
        raise ValueError(f"correlation matrix of {_describe(x.columns, name)} is (nearly) singular")
    return r


def _eigh_desc(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues (decreasing) and eigenvectors of a symmetric matrix, as R's ``eigen``."""
    val, vec = np.linalg.eigh(a)
    return val[::-1], vec[:, ::-1]


def _smc(r: np.ndarray) -> np.ndarray:
    """Squared multiple correlations ``1 - 1 / diag(R^-1)`` (``psych::smc``)."""
    smc = 1.0 - 1.0 / np.diag(np.linalg.pinv(r))
    return np.clip(smc, 0.0, 1.0)
