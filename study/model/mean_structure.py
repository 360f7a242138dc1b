"""Multi-group models with a mean structure: the likelihood, its derivatives and Fisher scoring, and
the robust (MLM / MLR) statistics of such models; the engine of :mod:`study.model.invariance`.

Every group g has the model of :mod:`study.model.estimate` plus a mean structure

    μ_g = ν_g + Λ_g (I − B_g)⁻¹ α_g          (ν: item intercepts, α: latent means/intercepts)

and the fit function is F = Σ_g (n_g/N) F_g,

    F_g = log|Σ_g| + tr(S_g Σ_g⁻¹) + (x̄_g − μ_g)ᵀ Σ_g⁻¹ (x̄_g − μ_g) − log|S_g| − p.

With d = x̄ − μ and W = Σ⁻¹ − Σ⁻¹(S + ddᵀ)Σ⁻¹, its gradient is ∂F_g/∂θ_k = tr(W ∂Σ/∂θ_k) − 2 dᵀΣ⁻¹ ∂μ/∂θ_k
and its expected information tr(Σ⁻¹ ∂Σ_k Σ⁻¹ ∂Σ_l) + 2 ∂μ_kᵀ Σ⁻¹ ∂μ_l (Fisher scoring on F, as
:func:`study.model.estimate.fisher_scoring_groups`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .estimate import BETA, LAMBDA, PSI, FittedModel, Structure, _information, minimise_by_scoring, sigma_derivatives
from .robust import _baseline_scaling, _scaled_measures, _vech_index, gamma_adf, normal_weight

# ---------------------------------------------------------------------------------------------
# the per-group parameter layout: template θ (q), item intercepts ν (p), latent intercepts α (m)


@dataclass(frozen=True)
class Layout:
    """Names and kinds of one group's parameters: the template model's free parameters, then the p
    item intercepts, then the m latent intercepts (lavaan's names: ``F=~x``, ``F~G``, ``x~~x``,
    ``x~1``)."""

    structure: Structure
    names: tuple[str, ...]
    kinds: tuple[str, ...]  # loadings, regressions, residuals, residual.covariances, lv.variances,
    #                         lv.covariances, intercepts, means

    @property
    def q(self) -> int:
        return self.structure.n_params

    @property
    def p(self) -> int:
        return len(self.structure.observed)

    @property
    def m(self) -> int:
        return len(self.structure.latent)


def layout_of(fitted: FittedModel) -> Layout:
    st = fitted.structure
    obs, lat = st.observed, st.latent
    names, kinds = [None] * st.n_params, [None] * st.n_params
    for which, r, c, k in st.locations:
        if names[k] is not None:
            continue
        if which == LAMBDA:
            names[k], kinds[k] = f"{lat[c]}=~{obs[r]}", "loadings"
        elif which == BETA:
            if (lat[c], lat[r]) in fitted.measurement_pairs:
                names[k], kinds[k] = f"{lat[c]}=~{lat[r]}", "loadings"
            else:
                names[k], kinds[k] = f"{lat[r]}~{lat[c]}", "regressions"
        elif which == PSI:
            a, b = lat[max(r, c)], lat[min(r, c)]
            names[k] = f"{b}~~{a}" if r != c else f"{a}~~{a}"
            kinds[k] = "lv.variances" if r == c else "lv.covariances"
        else:
            a, b = obs[max(r, c)], obs[min(r, c)]
            names[k] = f"{b}~~{a}" if r != c else f"{a}~~{a}"
            kinds[k] = "residuals" if r == c else "residual.covariances"
    names += [f"{x}~1" for x in obs] + [f"{f}~1" for f in lat]
    kinds += ["intercepts"] * len(obs) + ["means"] * len(lat)
    return Layout(structure=st, names=tuple(names), kinds=tuple(kinds))


def implied_moments(structure: Structure, theta_g: np.ndarray, nu: np.ndarray, alpha: np.ndarray):
    beta, lam, psi, th = structure.matrices(theta_g)
    c = np.linalg.inv(np.eye(len(beta)) - beta)
    m = lam @ c
    eta = c @ alpha
    return m @ psi @ m.T + th, nu + lam @ eta, m, eta


def mean_jacobian(structure: Structure, m: np.ndarray, eta: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """∂μ/∂(θ, ν, α) (p × (q + p + m)): Λᵢⱼ → eᵢ η̄ⱼ; Bᵢⱼ → M[:, i] η̄ⱼ; ν → I; α → M = Λ(I − B)⁻¹."""
    p, q = len(structure.observed), structure.n_params
    jac = np.zeros((p, q + p + len(eta)))
    for which, r, c, k in structure.locations:
        if which == LAMBDA:
            jac[r, k] += eta[c]
        elif which == BETA:
            jac[:, k] += m[:, r] * eta[c]
    jac[:, q:q + p] = np.eye(p)
    jac[:, q + p:] = m
    return jac


@dataclass(frozen=True)
class GroupData:
    label: str
    n: int
    s: np.ndarray  # covariance, divisor n
    mean: np.ndarray
    x: np.ndarray  # raw rows (for the robust statistics)
    index: np.ndarray  # per per-group parameter: position in the global vector, or −1 (fixed at 0)

    @property
    def logdet(self) -> float:
        return float(np.linalg.slogdet(self.s)[1])


def group_terms(layout: Layout, g: GroupData, values: np.ndarray, *, information: bool = True):
    """F_g, its gradient and expected information over the group's q + p + m parameters."""
    q, p = layout.q, layout.p
    st = layout.structure
    sigma, grads = sigma_derivatives(st, values[:q])
    _, mu, m, eta = implied_moments(st, values[:q], values[q:q + p], values[q + p:])
    try:
        chol = np.linalg.cholesky(sigma)
    except np.linalg.LinAlgError:
        return None
    inv_chol = np.linalg.inv(chol)
    inv = inv_chol.T @ inv_chol
    d = g.mean - mu
    s_star = g.s + np.outer(d, d)
    f = 2 * np.sum(np.log(np.diag(chol))) + np.sum(inv * s_star) - g.logdet - p
    w = inv - inv @ s_star @ inv
    lam = st.matrices(values[:q])[LAMBDA]
    jac = mean_jacobian(st, m, eta, lam)
    gradient = -2 * jac.T @ (inv @ d)
    gradient[:q] += grads.reshape(q, -1) @ w.ravel()
    if not information:
        return f, gradient, None
    info = 2 * jac.T @ inv @ jac
    info[:q, :q] += _information(inv, grads)
    return f, gradient, info


def expand(g: GroupData, theta: np.ndarray) -> np.ndarray:
    return np.where(g.index >= 0, theta[np.maximum(g.index, 0)], 0.0)


def evaluate(layout: Layout, groups: list[GroupData], theta: np.ndarray, n_total: int, information: bool = True):
    """F = Σ (n_g/N) F_g with gradient and information over the global parameter vector."""
    size = len(theta)
    f, gradient = 0.0, np.zeros(size)
    info = np.zeros((size, size)) if information else None
    for g in groups:
        terms = group_terms(layout, g, expand(g, theta), information=information)
        if terms is None:
            return np.inf, None, None
        weight = g.n / n_total
        free = g.index >= 0
        idx = g.index[free]
        f += weight * terms[0]
        np.add.at(gradient, idx, weight * terms[1][free])
        if information:
            info[np.ix_(idx, idx)] += weight * terms[2][np.ix_(free, free)]  # a group's positions are distinct
    return f, gradient, info


def fisher_scoring_means(layout: Layout, groups: list[GroupData], theta: np.ndarray, n_total: int, *, tol: float = 1e-9,
             max_iter: int = 300) -> tuple[np.ndarray, bool, int]:
    """Fisher scoring with step halving (:func:`study.model.estimate.minimise_by_scoring`)."""
    return minimise_by_scoring(lambda point: evaluate(layout, groups, point, n_total), theta, tol=tol,
                               max_iter=max_iter)


# ---------------------------------------------------------------------------------------------
# robust ML with a mean structure (lavaan's MLM / MLR for group.equal models)


def _mean_cov_delta(layout: Layout, g: GroupData, values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Σ_g, μ_g and Δ_g = ∂(μ, vech Σ)/∂θᵀ over the global parameter vector ((p + p*) × size)."""
    q, p = layout.q, layout.p
    st = layout.structure
    sigma, grads = sigma_derivatives(st, values[:q])
    _, mu, m, eta = implied_moments(st, values[:q], values[q:q + p], values[q + p:])
    jac = mean_jacobian(st, m, eta, st.matrices(values[:q])[LAMBDA])
    rows, cols = _vech_index(p)
    local = np.vstack([jac, np.concatenate([grads[:, rows, cols].T, np.zeros((len(rows), p + layout.m))], axis=1)])
    delta = np.zeros((local.shape[0], size))
    free = g.index >= 0
    delta[:, g.index[free]] = local[:, free]
    return sigma, mu, delta


def _gamma_means(x: np.ndarray) -> np.ndarray:
    """Γ of √n·(x̄, vech S) without distributional assumptions: the covariance (divisor n) of
    zᵢ = (yᵢ − ȳ, vech((yᵢ − ȳ)(yᵢ − ȳ)ᵀ)) (lavaan's ``lav_samplestats_Gamma`` with a mean structure)."""
    yc = x - x.mean(axis=0)
    rows, cols = _vech_index(x.shape[1])
    z = np.concatenate([yc, yc[:, rows] * yc[:, cols]], axis=1)
    z = z - z.mean(axis=0)
    return z.T @ z / len(x)


def _half_gradient_global(layout: Layout, groups: list[GroupData], theta: np.ndarray, n_total: int) -> np.ndarray:
    return 0.5 * evaluate(layout, groups, theta, n_total, information=False)[1]


def robust_statistics(layout: Layout, groups: list[GroupData], theta: np.ndarray, kind: str, chisq: float) -> dict:
    """Robust covariance matrix and scaled test of a mean-structure multi-group ML fit.

    As :func:`study.model.robust.robust_ml_groups`, with the intercepts and latent means among the
    parameters: Δ_g stacks ∂μ/∂θ over ∂vech Σ/∂θ, W_g = diag(Σ⁻¹, ½Dᵀ(Σ⁻¹⊗Σ⁻¹)D), and Γ_g is the
    covariance of (yᵢ, vech of the centred cross-products), third moments included.

    - MLM: E = Σ f_g Δ_gᵀW_gΔ_g, V = E⁻¹[Σ f_g Δ_gᵀW_gΓ_gW_gΔ_g]E⁻¹/N, tr(UΓ) = Σ tr(W_gΓ_g) − tr(E⁻¹·meat).
    - MLR: H the observed information (Hessian of F/2), B = Σ f_g (1/n_g) Σᵢ sᵢsᵢᵀ with the casewise
      scores sᵢ (means part Jᵀ Σ⁻¹ eᵢ, covariance part ½ tr[(Σ⁻¹eᵢeᵢᵀΣ⁻¹ − Σ⁻¹) ∂Σ], eᵢ = yᵢ − μ);
      V = H⁻¹BH⁻¹/N; tr(UΓ) = Σ_g [p + tr(W_{S,g} Γ_g)] − tr(BH⁻¹) (lavaan's yuan.bentler.mplus).
    """
    size = len(theta)
    n_total = sum(g.n for g in groups)
    p = layout.p
    pstar = p * (p + 1) // 2
    n_groups = len(groups)
    df = n_groups * (pstar + p) - size
    gammas = [gamma_adf(g.x) for g in groups]  # of each group's covariances (MLR's h1 trace, the baseline)
    if kind == "MLM":
        e = np.zeros((size, size))
        meat = np.zeros((size, size))
        trace_w_gamma = 0.0
        for g in groups:
            sigma, _, delta = _mean_cov_delta(layout, g, expand(g, theta), size)
            w = np.zeros((p + pstar, p + pstar))
            w[:p, :p] = np.linalg.inv(sigma)
            w[p:, p:] = normal_weight(sigma)
            gamma = _gamma_means(g.x)
            f = g.n / n_total
            wd = w @ delta
            e += f * delta.T @ wd
            meat += f * wd.T @ gamma @ wd
            trace_w_gamma += float(np.sum(w * gamma))
        e_inv = np.linalg.pinv(e)
        vcov = e_inv @ meat @ e_inv / n_total
        trace = trace_w_gamma - float(np.sum(e_inv * meat.T))
    else:
        h = np.empty((size, size))
        step_size = 1e-6
        for j in range(size):
            step = np.zeros(size)
            step[j] = step_size
            grads = [_half_gradient_global(layout, groups, theta + k * step, n_total) for k in (-2, -1, 1, 2)]
            h[:, j] = (grads[0] - 8 * grads[1] + 8 * grads[2] - grads[3]) / (12 * step_size)
        h = (h + h.T) / 2
        h_inv = np.linalg.pinv(h)
        meat = np.zeros((size, size))
        trace_h1 = 0.0
        for g, gamma in zip(groups, gammas):
            values = expand(g, theta)
            q = layout.q
            sigma, grads = sigma_derivatives(layout.structure, values[:q])
            _, mu, m, eta = implied_moments(layout.structure, values[:q], values[q:q + p], values[q + p:])
            jac = mean_jacobian(layout.structure, m, eta, layout.structure.matrices(values[:q])[LAMBDA])
            inv = np.linalg.inv(sigma)
            e = g.x - mu
            u = e @ inv
            scores = u @ jac
            quad = np.einsum("ni,kij,nj->nk", u, grads, u, optimize=True)
            scores[:, :q] += 0.5 * (quad - np.einsum("ij,kji->k", inv, grads))
            free = g.index >= 0
            local = scores[:, free]
            meat[np.ix_(g.index[free], g.index[free])] += (g.n / n_total) * local.T @ local / g.n
            trace_h1 += p + float(np.sum(normal_weight(g.s) * gamma))
        vcov = h_inv @ meat @ h_inv / n_total
        trace = trace_h1 - float(np.sum(meat * h_inv.T))
    vcov = (vcov + vcov.T) / 2
    c = trace / df if df > 0 else np.nan
    if not c > 0:
        c = np.nan
    chisq_b = trace_b = 0.0
    for g, gamma in zip(groups, gammas):
        trace_h1_g = float(np.sum(normal_weight(g.s) * gamma)) if kind == "MLR" else np.nan
        x2_b, c_b_g, df_b_g = _baseline_scaling(kind, len(g.x), g.s, gamma, trace_h1_g)
        chisq_b += x2_b
        trace_b += c_b_g * df_b_g
    df_b = n_groups * p * (p - 1) // 2
    c_b = trace_b / df_b
    fit = _scaled_measures(chisq, df, c, chisq_b, df_b, c_b if c_b > 0 else np.nan, n_total, n_groups)
    return {"vcov": vcov, "fit": {k: float(v) for k, v in fit.items()}}
