"""Indirect effects along named chains, with delta-method standard errors (lavaan's ``:=``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from .estimate import BETA, FittedModel


@dataclass(frozen=True)
class IndirectEffect:
    path: tuple[str, ...]  # constructs in order: X, mediator(s), Y
    est: float
    se_delta: float
    z: float
    pvalue: float
    std_all: float


def path_parameter_indices(fitted: FittedModel, chain: tuple[str, ...]) -> list[int]:
    """Indices of the free regression parameters b(X→M1), b(M1→M2), …, b(Mk→Y) of a chain."""
    latent = fitted.structure.latent
    free = {(r, c): k for m, r, c, k in fitted.structure.locations if m == BETA}
    indices = []
    for a, b in zip(chain, chain[1:]):
        key = (latent.index(b), latent.index(a))  # B[to, from]
        if key not in free:
            raise ValueError(f"the model has no free path {a} -> {b}")
        indices.append(free[key])
    return indices


def indirect_effect(fitted: FittedModel, chain: tuple[str, ...]) -> IndirectEffect:
    """The product of the path coefficients along ``chain``.

    Notes
    -----
    For a = Π bᵢ the delta-method variance is ∇aᵀ V ∇a with ∂a/∂bᵢ = Π_{j≠i} bⱼ and V the covariance
    matrix of the estimates (Sobel 1982, generalised to serial chains). The standardized effect is
    the product of the standardized paths (lavaan's ``std.all`` of a defined parameter).
    """
    idx = path_parameter_indices(fitted, chain)
    b = fitted.theta[idx]
    est = float(np.prod(b))
    grad = np.array([np.prod(np.delete(b, i)) for i in range(len(b))])
    se = float(np.sqrt(grad @ fitted.vcov[np.ix_(idx, idx)] @ grad))
    paths = fitted.paths().set_index(["rhs", "lhs"])
    std = float(np.prod([paths.loc[(a, c), "std_all"] for a, c in zip(chain, chain[1:])]))
    z = est / se if se > 0 else np.nan
    return IndirectEffect(path=tuple(chain), est=est, se_delta=se, z=z,
                          pvalue=float(2 * stats.norm.sf(abs(z))), std_all=std)


def effects_matrix(fitted: FittedModel, constructs: list[str]) -> dict[str, dict]:
    """Direct, indirect and total effects between the structural constructs (standardized).

    Notes
    -----
    With B* the matrix of standardized paths among the constructs, total effects are
    (I − B*)⁻¹ − I, direct effects B*, and indirect = total − direct (Bollen 1987).
    """
    paths = fitted.paths()
    k = len(constructs)
    pos = {c: i for i, c in enumerate(constructs)}
    b = np.zeros((k, k))
    for row in paths.itertuples():
        if row.lhs in pos and row.rhs in pos:
            b[pos[row.lhs], pos[row.rhs]] = row.std_all
    total = np.linalg.inv(np.eye(k) - b) - np.eye(k)
    out = {}
    for kind, mat in (("direct", b), ("indirect", total - b), ("total", total)):
        out[kind] = {to: {frm: float(mat[pos[to], pos[frm]]) for frm in constructs if frm != to}
                     for to in constructs}
    return out
