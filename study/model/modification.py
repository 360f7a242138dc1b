"""Modification indices (lavaan's ``modindices()``): which fixed-to-zero parameter would improve fit most.

They are listed with a caution: freeing parameters because the data ask for it fits the model to the
sample (MacCallum, Roznowski & Necowitz 1992); only changes with a substantive reason are defensible.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..threads import one_blas_thread
from .estimate import BETA, LAMBDA, PSI, THETA, FittedModel, Structure, _information, sigma_derivatives


def _candidates(fitted: FittedModel) -> list[tuple[str, str, str, int, int, int]]:
    """Parameters fixed at zero that lavaan's modindices() considers: cross-loadings, residual
    covariances of items, covariances and regressions among latent variables."""
    st = fitted.structure
    beta, lam, psi, th = fitted.matrices()
    free = {(m, r, c) for m, r, c, _ in st.locations} | {(m, c, r) for m, r, c, _ in st.locations if m in (PSI, THETA)}
    obs, lat = st.observed, st.latent
    out = []
    for j, latent in enumerate(lat):
        for i, item in enumerate(obs):
            if lam[i, j] == 0 and (LAMBDA, i, j) not in free:
                out.append((latent, "=~", item, LAMBDA, i, j))
    for i in range(len(obs)):
        for j in range(i):
            if th[i, j] == 0 and (THETA, i, j) not in free:
                out.append((obs[j], "~~", obs[i], THETA, i, j))
    for i in range(len(lat)):
        for j in range(i):
            if psi[i, j] == 0 and (PSI, i, j) not in free:
                out.append((lat[j], "~~", lat[i], PSI, i, j))
    for i, lhs in enumerate(lat):
        for j, rhs in enumerate(lat):
            if i != j and beta[i, j] == 0 and beta[j, i] == 0 and (BETA, i, j) not in free \
                    and (rhs, lhs) not in fitted.measurement_pairs and (lhs, rhs) not in fitted.measurement_pairs:
                out.append((lhs, "~", rhs, BETA, i, j))
    return out


@one_blas_thread
def modification_indices(fitted: FittedModel, top: int | None = 10, minimum: float = 0.0) -> pd.DataFrame:
    """Modification indices with expected parameter changes, largest first.

    Parameters
    ----------
    fitted : FittedModel
    top : int or None
        Number of rows to return (None: all).
    minimum : float
        Leave out indices below this value (lavaan users often use 3.84, the χ²(1) 5 % point).

    Returns
    -------
    DataFrame
        ``lhs, op, rhs, mi, epc, sepc_all`` as lavaan's ``modindices()``.

    Notes
    -----
    The score test of a parameter ψ fixed at 0: with g = ∂F_ML/∂ψ and A the matrix
    tr(Σ⁻¹ ∂Σ/∂θ_k Σ⁻¹ ∂Σ/∂θ_l) over the free parameters f and ψ,

        MI = (n/2) g² / (A_ψψ − A_ψf A_ff⁻¹ A_fψ),     EPC = −g / (A_ψψ − A_ψf A_ff⁻¹ A_fψ)

    (Sörbom 1989; Saris, Satorra & Sörbom 1987). The standardized EPC uses the model's latent and
    observed standard deviations (residual standard deviations for residual covariances).
    """
    st = fitted.structure
    cands = _candidates(fitted)
    if not cands:
        return pd.DataFrame(columns=["lhs", "op", "rhs", "mi", "epc", "sepc_all"])
    q = st.n_params
    extra = np.array([(m, r, c, q + k) for k, (_, _, _, m, r, c) in enumerate(cands)], dtype=int)
    extended = Structure(observed=st.observed, latent=st.latent, locations=np.vstack([st.locations, extra]),
                         fixed=st.fixed, n_params=q + len(cands))
    theta = np.concatenate([fitted.theta, np.zeros(len(cands))])
    sigma, grads = sigma_derivatives(extended, theta)
    inv = np.linalg.inv(sigma)
    w = inv - inv @ fitted.sample_cov @ inv
    g = grads.reshape(len(grads), -1) @ w.ravel()
    a = _information(inv, grads)
    a_ff_inv = np.linalg.pinv(a[:q, :q])
    cross = a[q:, :q]
    adjusted = np.diag(a[q:, q:]) - np.einsum("ij,jk,ik->i", cross, a_ff_inv, cross)
    g_c = g[q:]
    with np.errstate(divide="ignore", invalid="ignore"):
        mi = 0.5 * fitted.n * g_c ** 2 / adjusted
        epc = -g_c / adjusted

    beta, lam, psi, th = fitted.matrices()
    c = np.linalg.inv(np.eye(len(beta)) - beta)
    sd_lat = np.sqrt(np.diag(c @ psi @ c.T))
    sd_obs = np.sqrt(np.diag(fitted.sigma))
    sd_res = np.sqrt(np.abs(np.diag(th)))
    scale = []
    for _, _, _, m, r, col in cands:
        if m == LAMBDA:
            scale.append(sd_lat[col] / sd_obs[r])
        elif m == BETA:
            scale.append(sd_lat[col] / sd_lat[r])
        elif m == THETA:
            scale.append(1 / (sd_res[r] * sd_res[col]))
        else:
            scale.append(1 / np.sqrt(abs(psi[r, r] * psi[col, col])))
    table = pd.DataFrame({"lhs": [x[0] for x in cands], "op": [x[1] for x in cands], "rhs": [x[2] for x in cands],
                          "mi": mi, "epc": epc, "sepc_all": epc * np.array(scale)})
    table = table[np.isfinite(table["mi"]) & (table["mi"] >= minimum)]
    table = table.sort_values("mi", ascending=False, kind="stable").reset_index(drop=True)
    return table.head(top) if top else table
