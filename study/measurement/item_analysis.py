"""Item analysis (项目分析) of a Likert scale: critical ratio and corrected item–total correlation.

Each item is judged twice, the way Chinese questionnaire theses do it after 吴明隆 (2010):

- **Critical ratio (CR, 决断值)**: respondents with a total score at or below the 27th percentile form the
  low group, those at or above the 73rd percentile the high group (Kelley 1939 showed that the top and
  bottom 27 % make the most discriminating extreme groups; 吴明隆 2010 for the SPSS procedure); CR is the
  independent-samples t of the item, high − low, with Student's t when Levene's test (mean-centred, as
  SPSS) does not reject equal variances at .05 and Welch's t when it does. Criterion: CR significant at
  .05 and CR ≥ 3.0 (吴明隆 2010).
- **Corrected item–total correlation (CITC)**: Pearson r of the item with the total of the *other* items.
  Criterion: r ≥ 0.40 (吴明隆 2010).

The percentiles are SPSS's (FREQUENCIES /PERCENTILES, the weighted average at (n + 1)p; R's
``quantile(type = 6)``), so the groups equal an SPSS user's; ties at a cut-off join the group, so either
group may hold more than 27 %. Checked against R (``t.test``, ``car::leveneTest``, ``cor``) in
``tests/reference/make_differences_reference.R``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..messages import Message
from ..analyses.differences import levene_test, two_group_test

__all__ = ["ItemAnalysis", "item_analysis", "SOURCES"]

SOURCES = {
    "extreme_groups": "Kelley (1939); 吴明隆 (2010)",
    "critical_ratio": "吴明隆 (2010)",
    "item_total": "吴明隆 (2010)",
}
REFERENCES = {
    "Kelley (1939)": "Kelley, T. L. (1939). The selection of upper and lower groups for the validation of test "
                     "items. Journal of Educational Psychology, 30(1), 17–24. https://doi.org/10.1037/h0057123",
    "吴明隆 (2010)": "吴明隆 (2010). 问卷统计分析实务——SPSS操作与应用. 重庆: 重庆大学出版社.",
}


@dataclass(frozen=True)
class ItemAnalysis:
    """Item analysis of one scale.

    ``table`` has one row per item: mean_high, mean_low, sd_high, sd_low, levene_f, levene_p,
    equal_variances, cr (t, high − low), df, pvalue, item_total_r (with the total of all items), citc
    (with the total of the other items), cr_ok, citc_ok, keep, and ``reason`` (a
    :class:`~study.messages.Message`: empty when kept, else which criterion failed).
    """

    table: pd.DataFrame
    n: int
    share: float  # 0.27
    low_cut: float  # total at or below: low group
    high_cut: float  # total at or above: high group
    n_low: int
    n_high: int
    cr_minimum: float = 3.0
    citc_minimum: float = 0.40
    alpha: float = 0.05
    sources: tuple[tuple[str, str], ...] = tuple(SOURCES.items())

    @property
    def flagged(self) -> list[str]:
        """Items that fail a criterion."""
        return list(self.table.index[~self.table["keep"]])


def _spss_percentile(x: np.ndarray, p: float) -> float:
    """SPSS's default percentile (HAVERAGE): the weighted average at position (n + 1)p of the sorted
    values, clamped to the smallest and largest; R's quantile(type = 6)."""
    v = np.sort(x)
    h = (v.size + 1) * p
    if h <= 1:
        return float(v[0])
    if h >= v.size:
        return float(v[-1])
    lo = int(np.floor(h))
    return float(v[lo - 1] + (h - lo) * (v[lo] - v[lo - 1]))


def item_analysis(items: pd.DataFrame, *, share: float = 0.27, cr_minimum: float = 3.0,
                  citc_minimum: float = 0.40, alpha: float = 0.05) -> ItemAnalysis:
    """Critical ratio and corrected item–total correlation of every item of a scale.

    Parameters
    ----------
    items : DataFrame
        Respondents x items of one scale, complete, reverse-coded items already recoded. The total score
        is the sum of these items.
    share : float
        Share of respondents in each extreme group (default 0.27, Kelley 1939).
    cr_minimum, citc_minimum, alpha : float
        Criteria: CR ≥ 3.0 and p < .05; CITC ≥ 0.40 (吴明隆 2010).

    Returns
    -------
    ItemAnalysis

    Examples
    --------
    >>> import pandas as pd
    >>> rng = __import__("numpy").random.default_rng(1)
    >>> f = rng.normal(size=200)
    >>> items = pd.DataFrame({f"q{i}": (f + rng.normal(size=200)).round() for i in range(4)})
    >>> bool(item_analysis(items).table["keep"].all())
    True
    """
    if not isinstance(items, pd.DataFrame):
        raise TypeError(f"items must be a pandas DataFrame, got {type(items).__name__}")
    if items.shape[1] < 2:
        raise ValueError(f"item analysis needs at least 2 items, got {items.shape[1]}")
    if not 0 < share < 0.5:
        raise ValueError(f"share must be between 0 and 0.5, got {share}")
    bad = [c for c in items.columns if not pd.api.types.is_numeric_dtype(items[c])]
    if bad:
        raise ValueError("items must be numeric; not numeric: " + ", ".join(map(str, bad)))
    x = items.astype(float)
    missing = [c for c in x.columns if x[c].isna().any()]
    if missing:
        raise ValueError("missing values in " + ", ".join(map(str, missing)) + "; pass complete answers only")
    total = x.sum(axis=1).to_numpy()
    low_cut, high_cut = _spss_percentile(total, share), _spss_percentile(total, 1 - share)
    low, high = total <= low_cut, total >= high_cut
    if low_cut >= high_cut:
        raise ValueError(
            f"the totals of the top and bottom {share:.0%} overlap (cut-offs {low_cut:g} and {high_cut:g}): too "
            "few distinct total scores for an extreme-group comparison")
    if low.sum() < 2 or high.sum() < 2:
        raise ValueError(f"the extreme groups have {int(high.sum())} and {int(low.sum())} respondents; at least 2 "
                         "each are needed")
    rows = {}
    for item in x.columns:
        v = x[item].to_numpy()
        hi, lo = v[high], v[low]
        rest = total - v
        with np.errstate(invalid="ignore", divide="ignore"):
            citc = float(np.corrcoef(v, rest)[0, 1]) if np.ptp(v) > 0 and np.ptp(rest) > 0 else np.nan
            r = float(np.corrcoef(v, total)[0, 1]) if np.ptp(v) > 0 else np.nan
        row = {"mean_high": hi.mean(), "mean_low": lo.mean(), "sd_high": hi.std(ddof=1), "sd_low": lo.std(ddof=1)}
        if np.ptp(hi) == 0 and np.ptp(lo) == 0:
            # no variance in either group: t is undefined (not infinite); say so rather than invent it
            row.update(levene_f=np.nan, levene_p=np.nan, equal_variances=None, cr=np.nan, df=np.nan, pvalue=np.nan)
        else:
            lev = levene_test({"high": hi, "low": lo}, center="mean")
            equal = bool(lev.pvalue >= alpha) if np.isfinite(lev.pvalue) else True
            t = two_group_test({"high": hi, "low": lo})
            form = t.student if equal else t.welch
            row.update(levene_f=lev.statistic, levene_p=lev.pvalue, equal_variances=equal, cr=form.t, df=form.df,
                       pvalue=form.pvalue)
        row.update(item_total_r=r, citc=citc)
        rows[item] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "item"
    table["cr_ok"] = (table["cr"] >= cr_minimum) & (table["pvalue"] < alpha)
    table["citc_ok"] = table["citc"] >= citc_minimum
    table["keep"] = table["cr_ok"] & table["citc_ok"]
    reasons = []
    for item, row in table.iterrows():
        en, zh = [], []
        if not row["cr_ok"]:
            if not np.isfinite(row["cr"]):
                en.append("CR not computable (no variance in either extreme group)")
                zh.append("决断值无法计算（高低分组内均无变异）")
            elif row["cr"] < cr_minimum:
                en.append(f"CR {row['cr']:.2f} < {cr_minimum:.1f}")
                zh.append(f"决断值 {row['cr']:.2f} < {cr_minimum:.1f}")
            else:
                en.append(f"CR not significant (p = {row['pvalue']:.3f})")
                zh.append(f"决断值不显著（p = {row['pvalue']:.3f}）")
        if not row["citc_ok"]:
            if not np.isfinite(row["citc"]):
                en.append("CITC not computable (no variance)")
                zh.append("CITC 无法计算（无变异）")
            else:
                en.append(f"CITC {row['citc']:.2f} < {citc_minimum:.2f}")
                zh.append(f"CITC {row['citc']:.2f} < {citc_minimum:.2f}")
        reasons.append(Message("; ".join(en), "；".join(zh)))
    table["reason"] = pd.Series(reasons, index=table.index, dtype=object)  # object: keeps the Chinese text
    return ItemAnalysis(table=table, n=len(x), share=share, low_cut=low_cut, high_cut=high_cut,
                        n_low=int(low.sum()), n_high=int(high.sum()), cr_minimum=cr_minimum,
                        citc_minimum=citc_minimum, alpha=alpha)
