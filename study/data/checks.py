"""Checks of the analysed answers that no model could survive: items that are copies (or a linear function)
of each other, items constant within a group, and under FIML items answered by too few respondents. Each
names the items at fault; all are O(n p²) or better.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..messages import Message
from ..questionnaire.schema import StudyError


def singular_items(x: np.ndarray, codes: list[str], columns: dict[str, str] | None = None) -> str | None:
    """Why the items' correlation matrix (of the respondents who answered every item) is singular, in words
    naming the items, or None: an item constant, two items with the same answers (or one a fixed function of
    the other), or a linear dependence among several."""
    columns = columns or {c: c for c in codes}
    incomplete = np.isnan(x).any(axis=1)
    complete = x[~incomplete] if incomplete.any() else x
    n, p = complete.shape
    if n <= p or p < 2:
        return None
    # cross-products in one matrix product (O(n p²), no centred copy); answers on a rating scale are small
    # numbers, so the raw second moments lose no precision that matters here
    mean = complete.mean(axis=0)
    cov = (complete.T @ complete - n * np.outer(mean, mean)) / (n - 1)
    low, high = complete.min(axis=0), complete.max(axis=0)
    constant = [codes[k] for k in range(p) if low[k] == high[k]]
    if constant:
        value = low[codes.index(constant[0])]
        return (f"item(s) {', '.join(constant)} have the same answer ({value:g}) from every respondent")
    sd = np.sqrt(np.clip(np.diag(cov), 1e-300, None))
    r = cov / np.outer(sd, sd)
    pairs = [(codes[i], codes[j], r[i, j]) for i in range(p) for j in range(i + 1, p) if abs(r[i, j]) > 1 - 1e-9]
    if pairs:
        shown = "; ".join(f"{a} and {b} (columns {columns[a]!r}, {columns[b]!r}, r = {v:.3f})" for a, b, v in pairs[:5])
        return (f"item(s) {shown} have the same answers for every respondent (or one is a fixed function of the "
                "other)")
    eigenvalues = np.linalg.eigvalsh(r)
    if eigenvalues[0] < 1e-10 * max(eigenvalues[-1], 1):
        vector = np.linalg.eigh(r)[1][:, 0]
        involved = [codes[k] for k in np.argsort(-np.abs(vector))[:5] if abs(vector[k]) > 0.05]
        return (f"the answers to items {', '.join(involved)} are linearly dependent (one is a sum or difference of "
                "others for every respondent)")
    return None


def singular_within_groups(items: pd.DataFrame, groups: pd.Series) -> tuple[str, str] | None:
    """The first group in which the items' correlation matrix is singular (e.g. an item every member of the
    group answered alike) and the problem in words, or None. A multi-group model cannot be fitted then."""
    labels = groups.astype(str).to_numpy()
    codes = list(items.columns)
    x = items.to_numpy(dtype=float)
    for group in pd.unique(labels):
        problem = singular_items(x[labels == group], codes)
        if problem:
            return str(group), problem
    return None


def check_item_matrix(x: np.ndarray, codes: list[str], item_columns: dict[str, str], path: Path) -> None:
    """Items whose answers are the same (or a linear function of each other) for every analysed respondent:
    their covariance matrix is singular, so no factor analysis or model can be fitted. Usually a column
    copied twice, or mapped twice. Computed on the respondents who answered every item (O(n p²))."""
    problem = singular_items(x, codes, item_columns)
    if problem and "same answer (" not in problem:  # constant items have their own message (load_responses)
        answered = x[~np.isnan(x).any(axis=1)]
        straight = int((answered.max(axis=1) == answered.min(axis=1)).sum()) if len(answered) else 0
        why = (f" Most analysed respondents ({straight} of {len(answered)}) gave the same answer to every item "
               "(straight-lining, kept by screening.straight_lining): their answers carry no information on how the "
               "items differ; exclude them (straight_lining: exclude) or check how the data were collected."
               if straight > len(answered) / 2 else
               " A column was probably copied or mapped twice: check the data and the items' `column:` in the study "
               "file.")
        raise StudyError(f"{path}: {problem.replace('every respondent', 'every analysed respondent')}, so their "
                         f"correlation matrix is singular and no factor analysis or model can be fitted.{why}")


def check_fiml_coverage(x: np.ndarray, codes: list[str], item_columns: dict[str, str], path: Path,
                         warnings: list[str]) -> None:
    """With FIML: the item statistics need respondents who answered every item, and each pair of items needs
    respondents who answered both (lavaan warns below 10 % coverage). A sparse item is named."""
    answered = ~np.isnan(x)
    n, p = x.shape
    if not n:
        return
    per_item = answered.sum(axis=0)
    sparse = sorted(((int(per_item[k]), codes[k]) for k in range(p)))[:3]
    listed = ", ".join(f"{c} (column {item_columns[c]!r}): {k} of {n} ({k / n:.0%})" for k, c in sparse)
    n_complete = int(answered.all(axis=1).sum())
    minimum = max(30, 2 * p)
    if n_complete < minimum:
        raise StudyError(f"{path}: only {n_complete} of the {n} analysed respondents answered every item; item "
                         f"statistics, reliability and the exploratory factor analysis need at least {minimum}. The "
                         f"items answered least often: {listed}. Check these columns (a question shown to few "
                         "respondents, a wrong column), or remove such an item from the study file.")
    a = answered.astype(np.float32)
    coverage = (a.T @ a) / n
    low = [(coverage[i, j], codes[i], codes[j]) for i in range(p) for j in range(i + 1, p) if coverage[i, j] < 0.10]
    if low:
        share, first, second = min(low)
        warnings.append(Message(
            f"{path.name}: {len(low)} pair(s) of items were answered together by fewer than 10 % of the respondents "
            f"(least: {first} and {second}, {share:.1%}); FIML estimates involving them rest on few answers "
            f"(items answered least often: {listed}).",
            f"{path.name}：有 {len(low)} 对题项被同时作答的比例低于 10%（最低：{first} 与 {second}，{share:.1%}），"
            f"涉及它们的 FIML 估计所依据的答案很少（作答最少的题项：{listed}）。",
            Message(f"{len(low)} pair(s) of items were answered together by fewer than 10 % of the respondents (least: "
                    f"{first} and {second}, {share:.1%}); the FIML estimates involving them rest on few answers.",
                    f"有 {len(low)} 对题项被同时作答的比例低于 10%（最低：{first} 与 {second}，{share:.1%}），"
                    "涉及它们的 FIML 估计所依据的答案很少。")))
