"""Multi-group analysis for PLS: MICOM (steps 1–3), the permutation test and Henseler's MGA.

Before comparing path coefficients between groups, measurement invariance of composites (MICOM;
Henseler, Ringle & Sarstedt 2016) must hold: (1) configural invariance — same indicators, same
data treatment, same algorithm settings in every group (true by construction here); (2) compositional
invariance — the composite scores computed with either group's weights correlate (c) as highly as
under random group assignment; (3) equal composite means and variances — inside the permutation
intervals. Path differences are then tested by permutation (Chin & Dibbern 2010) and by Henseler's
bootstrap-based MGA (Henseler, Ringle & Sinkovics 2009) (Hair et al. 2018, *Advanced Issues in
PLS-SEM*, ch. 4; Hair et al. 2022, ch. 8).

Every permutation and resample is an estimate on a weighted covariance matrix, run in batches by
:func:`study.pls.estimate.batch_estimates`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import numpy as np
import pandas as pd

from ..messages import Message, in_language, joined
from .bootstrap import covariances, resample_counts
from .estimate import PLSResult, batch_estimates, estimate_pls, prepare_data
from .specify import PLSModel, PLSModelError, PLSSettings, design

__all__ = ["MGAResult", "pls_mga", "henseler_p"]

CHUNK = 500


@dataclass(frozen=True)
class MGAResult:
    """Two-group comparison.

    Attributes
    ----------
    groups : tuple of the two group labels (group 1, group 2); sizes : their n
    micom : DataFrame per construct: ``c`` (step 2 correlation), ``c_q05`` (5 % quantile of its
        permutation distribution), ``c_p``, ``compositional`` (c ≥ c_q05), ``mean_diff`` with
        ``mean_lower``/``mean_upper`` (2.5 %/97.5 % permutation quantiles), ``log_var_ratio`` with
        ``var_lower``/``var_upper``, ``equal_means``, ``equal_variances``, and ``invariance``:
        ``full`` (steps 2 and 3 hold), ``partial`` (step 2 holds, step 3 does not) or ``none``.
    paths : DataFrame per path: ``estimate_1``, ``estimate_2``, ``diff`` (1 − 2), ``p_permutation``
        (two-sided), ``p_henseler`` (one-sided, H₁: β₁ > β₂) and ``p_henseler_two_sided``.
    permutations, resamples : int; failed : resamples or permutations left out (not converged)
    """

    groups: tuple[str, str]
    sizes: tuple[int, int]
    micom: pd.DataFrame
    paths: pd.DataFrame
    permutations: int
    resamples: int
    failed: int
    results: tuple[PLSResult, PLSResult] = field(repr=False)


def henseler_p(boot1: np.ndarray, boot2: np.ndarray) -> np.ndarray:
    """Henseler et al. (2009) one-sided p of H₀: β₁ ≤ β₂, per column.

    p = 1 − J⁻² Σⱼ Σₖ Θ(2β̄₁ − β₁ⱼ − 2β̄₂ + β₂ₖ), Θ the unit step (β̄ the bootstrap means), computed by
    sorting instead of forming all J² pairs. Both samples must have the same number J of resamples.
    """
    j = boot1.shape[0]
    out = np.empty(boot1.shape[1])
    for c in range(boot1.shape[1]):
        b1, b2 = boot1[:, c], np.sort(boot2[:, c])
        # count pairs with b2_k > b1_j − 2 mean1 + 2 mean2
        thresh = b1 - 2 * b1.mean() + 2 * b2.mean()
        above = j - np.searchsorted(b2, thresh, side="right")
        out[c] = 1 - above.sum() / (j * j)
    return out


def _estimates(arr_c, weights, dsg, settings):
    cov, ok = covariances(arr_c, weights, settings.scaled)
    with np.errstate(invalid="ignore", divide="ignore"):
        est = batch_estimates(cov, weights.sum(axis=1), dsg, settings)
    return est, ok & est.converged


def pls_mga(data: pd.DataFrame, model: PLSModel, groups: pd.Series, settings: PLSSettings | None = None, *,
            permutations: int = 5000, resamples: int = 5000, seed: int = 1, order: tuple | None = None,
            boot_indices: tuple[np.ndarray, np.ndarray] | None = None,
            group_names: Mapping | None = None) -> MGAResult:
    """MICOM and path comparison between two groups.

    Parameters
    ----------
    data : DataFrame
    model : PLSModel
    groups : Series
        Group label of each respondent (exactly two distinct labels; aligned with ``data``).
    settings : PLSSettings
    permutations : int
        Random reassignments of the group labels (5,000 as Hair et al. 2018 recommend).
    resamples : int
        Bootstrap resamples per group for Henseler's MGA.
    seed : int
    order : (label, label), optional
        Which group is group 1 (default: the label met first).
    boot_indices : (ndarray, ndarray), optional
        Explicit resample row indices within each group (0-based, resamples x group size), to
        reproduce another program's resamples.
    group_names : mapping of label → Message, optional
        How the Chinese text of an error names each group (default: its label as in the data).
    """
    settings = settings or PLSSettings()

    def zh_name(label) -> str:
        return in_language((group_names or {}).get(label, str(label)), "zh")

    arr = prepare_data(data, model)
    labels = pd.Series(groups).reindex(data.index) if isinstance(groups, pd.Series) else pd.Series(groups, index=data.index)
    if labels.isna().any():
        raise PLSModelError(f"{int(labels.isna().sum())} respondents have no group; leave them out first")
    levels = list(dict.fromkeys(labels.tolist()))
    if order is not None:
        if sorted(map(str, order)) != sorted(map(str, levels)):
            raise PLSModelError(f"groups {list(order)} do not match the labels in the data {levels}")
        levels = [next(v for v in levels if str(v) == str(o)) for o in order]
    if len(levels) != 2:
        raise PLSModelError(f"a two-group comparison needs exactly two groups, not {len(levels)}")
    g1 = (labels == levels[0]).to_numpy()
    n1, n2 = int(g1.sum()), int((~g1).sum())
    dsg = design(model)
    st = dsg.final
    min_n = max(len(st.names) + 2, 10)
    if min(n1, n2) < min_n:
        small = levels[0] if n1 < n2 else levels[1]
        raise PLSModelError(Message(f"group {small!r} has {min(n1, n2)} respondents; a group comparison needs at "
                                    f"least {min_n} in each group",
                                    f"“{zh_name(small)}”组只有 {min(n1, n2)} 人，分组比较要求每组至少 {min_n} 人"))
    xc = arr - arr.mean(axis=0)
    n = len(arr)
    res1 = estimate_pls(data[g1], model, settings)
    res2 = estimate_pls(data[~g1], model, settings)
    for label, res in zip(levels, (res1, res2)):
        if not res.admissible:  # an improper group solution is not a finding: nothing to compare
            why = joined(res.problems)
            raise PLSModelError(Message(f"group {label!r}: the PLS solution is not admissible ({why}), so the groups "
                                        "are not compared", f"“{zh_name(label)}”组的 PLS 解不可接受（{why.zh}），故不作比较"))
    pos = {c: i for i, c in enumerate(st.names)}
    path_idx = [(pos[a], pos[b]) for a, b in model.paths]

    # --- permutation distribution: each permutation = two group estimates -------------------------
    pooled = estimate_pls(data, model, settings)
    z_pooled = _standardized(arr, settings)
    pooled_scores = pooled.scores[list(st.names)].to_numpy()
    rng = np.random.default_rng(seed)
    perms = np.stack([rng.permutation(n) for _ in range(permutations)]) if permutations else np.empty((0, n), int)
    obs = _group_stats(xc, z_pooled, pooled_scores, np.stack([g1, ~g1]).astype(float), dsg, settings, path_idx)
    diffs, cs, mdiff, vdiff, okp = [], [], [], [], []
    for start in range(0, permutations, CHUNK):
        idx = perms[start:start + CHUNK]
        w1 = g1[idx].astype(float)  # permuted labels: respondent i gets the label of idx[i]
        w = np.concatenate([w1, 1 - w1])
        d, c, md, vd, ok = _group_stats(xc, z_pooled, pooled_scores, w, dsg, settings, path_idx)
        diffs.append(d), cs.append(c), mdiff.append(md), vdiff.append(vd), okp.append(ok)
    if permutations:
        okp = np.concatenate(okp)
        diffs, cs = np.concatenate(diffs)[okp], np.concatenate(cs)[okp]
        mdiff, vdiff = np.concatenate(mdiff)[okp], np.concatenate(vdiff)[okp]
    d_obs, c_obs, md_obs, vd_obs, _ = obs
    d_obs, c_obs, md_obs, vd_obs = d_obs[0], c_obs[0], md_obs[0], vd_obs[0]
    p_perm = ((np.abs(diffs) >= np.abs(d_obs)[None, :] - 1e-12).sum(axis=0) + 1) / (len(diffs) + 1)

    micom_rows = []
    for k, cname in enumerate(st.names):
        q05 = np.quantile(cs[:, k], 0.05)
        mlo, mhi = np.quantile(mdiff[:, k], [0.025, 0.975])
        vlo, vhi = np.quantile(vdiff[:, k], [0.025, 0.975])
        comp = bool(c_obs[k] >= q05)
        em = bool(mlo <= md_obs[k] <= mhi)
        ev = bool(vlo <= vd_obs[k] <= vhi)
        micom_rows.append({"construct": cname, "c": c_obs[k], "c_q05": q05,
                           "c_p": float(((cs[:, k] <= c_obs[k]).sum() + 1) / (len(cs) + 1)),
                           "compositional": comp, "mean_diff": md_obs[k], "mean_lower": mlo, "mean_upper": mhi,
                           "equal_means": em, "log_var_ratio": vd_obs[k], "var_lower": vlo, "var_upper": vhi,
                           "equal_variances": ev,
                           "invariance": ("full" if em and ev else "partial") if comp else "none"})
    micom = pd.DataFrame(micom_rows).set_index("construct")

    # --- Henseler's MGA: bootstrap each group --------------------------------------------------
    boots = []
    for gi, mask in enumerate((g1, ~g1)):
        rows = np.flatnonzero(mask)
        xg = arr[rows] - arr[rows].mean(axis=0)
        if boot_indices is not None:
            idx = np.asarray(boot_indices[gi])
            counts = np.zeros((len(idx), len(rows)))
            np.add.at(counts, (np.repeat(np.arange(len(idx)), idx.shape[1]), idx.ravel()), 1.0)
        else:
            counts = resample_counts(len(rows), resamples, np.random.SeedSequence([seed, gi]))
        est, ok = _estimates(xg, counts, dsg, settings)
        boots.append(np.stack([est.beta[:, a, b] for a, b in path_idx], axis=1)[ok])
    j = min(len(boots[0]), len(boots[1]))
    drawn = [len(boot_indices[0]), len(boot_indices[1])] if boot_indices is not None else [resamples, resamples]
    failed = (len(perms) - len(diffs)) + sum(d - len(b) for d, b in zip(drawn, boots))
    ph = henseler_p(boots[0][:j], boots[1][:j])
    est1 = [res1.batch.beta[0, a, b] for a, b in path_idx]
    est2 = [res2.batch.beta[0, a, b] for a, b in path_idx]
    paths = pd.DataFrame({"from": [a for a, _ in model.paths], "to": [b for _, b in model.paths],
                          "estimate_1": est1, "estimate_2": est2, "diff": np.subtract(est1, est2),
                          "p_permutation": p_perm, "p_henseler": ph,
                          "p_henseler_two_sided": 2 * np.minimum(ph, 1 - ph)})
    return MGAResult(groups=(str(levels[0]), str(levels[1])), sizes=(n1, n2), micom=micom, paths=paths,
                     permutations=len(diffs), resamples=j, failed=int(failed), results=(res1, res2))


def _standardized(arr, settings: PLSSettings) -> np.ndarray:
    xc = arr - arr.mean(axis=0)
    return xc / xc.std(axis=0) if settings.scaled else xc


def _group_stats(xc, z_pooled, pooled_scores, w, dsg, settings, path_idx):
    """For B pairs of group weights (rows 0..B−1 group 1, B..2B−1 group 2): path differences, MICOM c,
    mean differences and log variance ratios of the pooled scores, and which pairs converged."""
    half = len(w) // 2
    est, ok = _estimates(xc, w, dsg, settings)
    beta = np.stack([est.beta[:, a, b] for a, b in path_idx], axis=1)
    diff = beta[:half] - beta[half:]
    # step 2: scores of the pooled data with each group's weights, correlated per construct
    p_aug = est.w_full.shape[1]
    if p_aug != z_pooled.shape[1]:  # two-stage HOC: extend the pooled data by its stage-1 scores
        raise PLSModelError(Message("MICOM with two-stage higher-order constructs is not available; "
                                    "use the repeated-indicators approach for group comparisons",
                                    "两阶段法的高阶构念暂不支持 MICOM 检验；分组比较请采用重复指标法"))
    y1 = z_pooled[None] @ est.w_full[:half]
    y2 = z_pooled[None] @ est.w_full[half:]
    y1 = y1 - y1.mean(axis=1, keepdims=True)
    y2 = y2 - y2.mean(axis=1, keepdims=True)
    c = (y1 * y2).sum(axis=1) / np.sqrt((y1 ** 2).sum(axis=1) * (y2 ** 2).sum(axis=1))
    # step 3: pooled scores (pooled weights, standardized on the pooled data), by group
    g1 = w[:half] > 0
    n1 = g1.sum(axis=1)
    n2 = (~g1).sum(axis=1)
    m1 = (g1.astype(float) @ pooled_scores) / n1[:, None]
    m2 = ((~g1).astype(float) @ pooled_scores) / n2[:, None]
    sq = pooled_scores ** 2
    v1 = ((g1.astype(float) @ sq) - n1[:, None] * m1 ** 2) / (n1[:, None] - 1)
    v2 = (((~g1).astype(float) @ sq) - n2[:, None] * m2 ** 2) / (n2[:, None] - 1)
    return diff, c, m1 - m2, np.log(v1 / v2), ok[:half] & ok[half:]
