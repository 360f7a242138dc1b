"""Batched Fisher scoring (study.model.batch) and the batched bootstrap: the same fits as one at a time,
and the same intervals whatever the batch size and the number of workers."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from study.model.batch import BatchKernel, fisher_scoring_batch
from study.model.bootstrap import BLOCK, bootstrap_indirect, norm_inter
from study.model.effects import path_parameter_indices
from study.model.estimate import _group_terms, GroupMoments, fisher_scoring, fit_model

ROOT = Path(__file__).resolve().parent.parent
DATA = pd.read_csv(ROOT / "questionnaires/data/satisfaction.csv", index_col=0)
MISSION = ("QUAL =~ qual1 + qual2 + qual3 + qual4 + qual5\nSAT =~ sat1 + sat2 + sat3 + sat4\n"
           "TRUST =~ imag1 + imag2 + imag3 + imag4 + imag5\nLOY =~ loy1 + loy2 + loy3 + loy4\n"
           "SAT ~ QUAL\nTRUST ~ QUAL + SAT\nLOY ~ SAT + TRUST")
MODELS = {
    "mission": MISSION,
    # an equality constraint (one parameter in two places) and a residual covariance
    "equality": "QUAL =~ qual1 + a*qual2 + a*qual3\nLOY =~ loy1 + loy2 + loy3\nLOY ~ QUAL\nloy1 ~~ loy2",
    # a second-order factor (loadings of first-order factors sit in B)
    "second_order": "SQ =~ Q1 + Q2\nQ1 =~ qual1 + qual2 + qual3\nQ2 =~ qual4 + qual5\n"
                    "LOY =~ loy1 + loy2 + loy3\nLOY ~ SQ",
}


def _resample_covariances(x, k, seed):
    rng = np.random.default_rng(seed)
    return np.stack([np.cov(x[rng.integers(0, len(x), len(x))], rowvar=False, bias=True) for _ in range(k)])


@pytest.mark.parametrize("name", MODELS)
def test_terms_equal_the_single_fit_terms(name):
    fit = fit_model(MODELS[name], DATA)
    x = DATA[fit.structure.observed].to_numpy(float)
    s = _resample_covariances(x, 3, 1)
    theta = fit.theta + np.random.default_rng(2).normal(scale=0.01, size=(3, len(fit.theta)))
    f, gradient, information = BatchKernel(fit.structure).evaluate(theta, s, np.linalg.slogdet(s)[1])
    for i in range(3):
        group = GroupMoments(s=s[i], weight=1.0, index=np.arange(len(fit.theta)))
        f1, g1, i1 = _group_terms(fit.structure, group, theta[i])
        assert f[i] == pytest.approx(f1, abs=1e-12)
        np.testing.assert_allclose(gradient[i], g1, atol=1e-12)
        np.testing.assert_allclose(information[i], i1, atol=1e-10)


@pytest.mark.parametrize("name", MODELS)
def test_information_gathers_equal_the_strided_product_bit_for_bit(name):
    """The information's X ∘ Xᵀ is gathered as two contiguous arrays (for speed); it must be the very
    numbers of the plain fancy-indexed, strided-transpose form, so that bootstrap results do not move."""
    fit = fit_model(MODELS[name], DATA)
    s = _resample_covariances(DATA[fit.structure.observed].to_numpy(float), 5, 4)
    theta = fit.theta + np.random.default_rng(6).normal(scale=0.01, size=(5, len(fit.theta)))
    kernel = BatchKernel(fit.structure)
    _, gradient, information = kernel.evaluate(theta, s, np.linalg.slogdet(s)[1])
    lay = kernel._layout
    sigma, mm, k = kernel.implied(theta)
    inv = np.linalg.inv(sigma)
    g = np.concatenate([np.broadcast_to(np.eye(lay["p"]), sigma.shape), mm, k.transpose(0, 2, 1)], axis=2)
    pg = inv @ g
    h = g.transpose(0, 2, 1) @ pg
    hf, q_loc, flat = h.reshape(len(h), -1), len(lay["scale"]), lay["flat"]
    info = hf[:, flat["aa"]]
    info *= hf[:, flat["bb"]]
    info = info.reshape(-1, q_loc, q_loc)
    x = hf[:, flat["ab"]].reshape(-1, q_loc, q_loc)
    x *= x.transpose(0, 2, 1)
    info += x
    info *= lay["outer"]
    if lay["to_param"] is not None:
        info = lay["to_param"].T @ info @ lay["to_param"]
    assert np.array_equal(information, info)


@pytest.mark.parametrize("name", MODELS)
def test_batched_fits_reach_the_one_at_a_time_optimum(name):
    """The batched fits renew the information only where it pays (see fisher_scoring_batch): the same
    optimum as Fisher scoring one fit at a time — to 1e-8 when both are run to a tight end, and within
    the stopping rule with the bootstrap's (a step below 1e-5) — in about as many steps."""
    fit = fit_model(MODELS[name], DATA)
    s = _resample_covariances(DATA[fit.structure.observed].to_numpy(float), 60, 3)
    est, converged, iterations = fisher_scoring_batch(fit.structure, s, fit.theta, step_tol=1e-5, max_iter=100)
    tight, tight_converged, _ = fisher_scoring_batch(fit.structure, s, fit.theta, tol=1e-11, max_iter=200)
    assert converged.all() and tight_converged.all()
    single_iterations = []
    for i in range(len(s)):
        ref, ref_converged, _ = fisher_scoring(fit.structure, s[i], fit.theta, tol=1e-11, max_iter=200)
        assert ref_converged
        np.testing.assert_allclose(tight[i], ref, atol=1e-8)
        np.testing.assert_allclose(est[i], ref, atol=2e-5)
        single_iterations.append(fisher_scoring(fit.structure, s[i], fit.theta, step_tol=1e-5, max_iter=100)[2])
    assert iterations.mean() <= np.mean(single_iterations) + 1.5
    # the same fits in other batches: bit for bit
    again, _, _ = fisher_scoring_batch(fit.structure, s[7:19], fit.theta, step_tol=1e-5, max_iter=100)
    assert np.array_equal(again, est[7:19])
    one_by_one = np.vstack([fisher_scoring_batch(fit.structure, s[i:i + 1], fit.theta, step_tol=1e-5)[0]
                            for i in (3, 40)])
    assert np.array_equal(one_by_one, est[[3, 40]])


def test_a_start_that_is_not_positive_definite_fails_only_that_fit():
    fit = fit_model(MISSION, DATA)
    s = _resample_covariances(DATA[fit.structure.observed].to_numpy(float), 4, 5)
    theta = np.tile(fit.theta, (4, 1))
    variances = [k for w, r, c, k in fit.structure.locations if w == 3 and r == c]
    theta[2, variances] = -5.0  # Σ with negative diagonal: no Cholesky factor
    est, converged, iterations = fisher_scoring_batch(fit.structure, s, theta, step_tol=1e-5)
    assert converged.tolist() == [True, True, False, True]
    assert iterations[2] == 0 and np.array_equal(est[2], theta[2])


@pytest.mark.parametrize("name", MODELS)
def test_gradient_only_evaluation_equals_the_full_one(name):
    """The steps that reuse an information take F and its gradient from evaluate_gradient: the numbers of
    evaluate, also where Σ is not positive definite (F infinite, gradient 0) and with equality constraints."""
    fit = fit_model(MODELS[name], DATA)
    s = _resample_covariances(DATA[fit.structure.observed].to_numpy(float), 4, 8)
    theta = fit.theta + np.random.default_rng(9).normal(scale=0.01, size=(4, len(fit.theta)))
    variances = [k for w, r, c, k in fit.structure.locations if w == 3 and r == c]
    theta[1, variances] = -5.0
    kernel = BatchKernel(fit.structure)
    f, gradient, _ = kernel.evaluate(theta, s, np.linalg.slogdet(s)[1])
    f2, gradient2 = kernel.evaluate_gradient(theta, s, np.linalg.slogdet(s)[1])
    assert np.isinf(f[1]) and np.isinf(f2[1]) and not gradient2[1].any()
    np.testing.assert_allclose(f2[[0, 2, 3]], f[[0, 2, 3]], rtol=0, atol=1e-12)
    np.testing.assert_allclose(gradient2, gradient, rtol=0, atol=1e-12)


def _nearly_collinear():
    """60 respondents of whom 57 give qual3 the answer they give qual2: some resamples have a singular
    covariance matrix, others a Σ with a Cholesky factor but no numerical inverse on the way."""
    model = "QUAL =~ qual1 + qual2 + qual3\nSAT =~ sat1 + sat2 + sat3\nLOY =~ loy1 + loy2 + loy3\nSAT ~ QUAL\nLOY ~ SAT"
    d = DATA.iloc[:60].copy()
    d["qual3"] = d["qual2"]
    d.loc[d.index[:3], "qual3"] = d["qual2"].iloc[:3] + 1
    fit = fit_model(model, d)
    return fit, d[fit.structure.observed].to_numpy(float)


def test_a_singular_sample_matrix_first_in_its_batch_fails_alone():
    """The shared start's information is computed once; a singular S first in the batch must not spoil it
    for the others (a review found every fit of such a batch stopping at its start)."""
    fit, x = _nearly_collinear()
    seqs = np.random.SeedSequence(3).spawn(1)
    draws = np.random.default_rng(seqs[0]).integers(0, len(x), (100, len(x)))
    xc = x - x.mean(axis=0)
    sample = xc[draws]
    sample -= sample.mean(axis=1, keepdims=True)
    s = sample.transpose(0, 2, 1) @ sample / len(x)
    singular = [i for i in range(len(s)) if not np.isfinite(np.linalg.slogdet(s[i])[1])]
    assert singular, "the construction must give a singular resample"
    first = singular[0]
    with_it = fisher_scoring_batch(fit.structure, s[first:first + 9], fit.theta, step_tol=1e-5, max_iter=100)
    without = fisher_scoring_batch(fit.structure, s[first + 1:first + 9], fit.theta, step_tol=1e-5, max_iter=100)
    assert not with_it[1][0] and with_it[2][0] == 0
    for a, b in zip(with_it, without):
        assert np.array_equal(a[1:], b)
    assert (np.abs(without[0] - fit.theta).max(axis=1) > 0.1).all()  # the others did move


def test_nearly_singular_resamples_are_counted_as_failed_whatever_the_batch():
    """A Σ with a Cholesky factor but no numerical inverse is not positive definite for the fit: no
    LinAlgError, and the same intervals and failure count for every batch size."""
    fit, x = _nearly_collinear()
    runs = [bootstrap_indirect(fit, x, [("QUAL", "SAT", "LOY")], resamples=300, seed=3, workers=1, batch=b)[0]
            for b in (91, 200, 1)]
    assert runs[0].failed > 0 and runs[0].resamples + runs[0].failed == 300
    assert runs[1] == runs[0] and runs[2] == runs[0]


def test_bootstrap_equals_refitting_each_resample_alone():
    """The batched bootstrap draws the resamples the one-at-a-time bootstrap drew (same seeds per block of
    100) and refits them to the same optimum, within the bootstrap's stopping rule (a step below 1e-4: a
    refit within about 3e-5 of its optimum, a hundredth of the Monte Carlo error of the interval)."""
    fit = fit_model(MISSION, DATA)
    x = DATA[fit.structure.observed].to_numpy(float)
    chain = ("QUAL", "SAT", "TRUST", "LOY")
    ci = bootstrap_indirect(fit, x, [chain], resamples=2 * BLOCK, seed=11, workers=1)[0]
    idx = path_parameter_indices(fit, chain)
    products = []
    for seq in np.random.SeedSequence(11).spawn(2):
        rng = np.random.default_rng(seq)
        for _ in range(BLOCK):
            s = np.cov(x[rng.integers(0, len(x), len(x))], rowvar=False, bias=True)
            est, converged, _ = fisher_scoring(fit.structure, s, fit.theta, tol=1e-11, max_iter=200)
            assert converged
            products.append(np.prod(est[idx]))
    lo, hi = norm_inter(np.array(products), [0.025, 0.975])  # the percentiles as lavaan (boot's norm.inter) takes them
    assert ci.resamples == 2 * BLOCK and ci.failed == 0
    assert ci.ci_lower == pytest.approx(lo, abs=5e-5)
    assert ci.ci_upper == pytest.approx(hi, abs=5e-5)
    assert ci.boot_se == pytest.approx(np.std(products, ddof=1), rel=1e-4)


def test_same_seed_same_intervals_whatever_the_batch_size_and_workers():
    fit = fit_model(MISSION, DATA)
    x = DATA[fit.structure.observed].to_numpy(float)
    chains = [("QUAL", "SAT", "LOY"), ("QUAL", "TRUST", "LOY")]
    runs = [bootstrap_indirect(fit, x, chains, resamples=450, seed=3, workers=w, batch=b)
            for w, b in ((1, 450), (1, 100), (2, 100), (2, 300), (1, 7))]
    for other in runs[1:]:
        assert other == runs[0]
    assert runs[0][0].resamples + runs[0][0].failed == 450
    assert bootstrap_indirect(fit, x, chains, resamples=450, seed=4, workers=1) != runs[0]


def test_batch_must_be_positive():
    fit = fit_model(MISSION, DATA)
    with pytest.raises(ValueError, match="batch must be a positive number"):
        bootstrap_indirect(fit, DATA[fit.structure.observed].to_numpy(float), [("QUAL", "SAT", "LOY")],
                           resamples=10, batch=0)


@pytest.mark.parametrize("name", MODELS)
def test_fits_are_the_same_bit_for_bit_whatever_the_chunk(name):
    fit = fit_model(MODELS[name], DATA)
    s = _resample_covariances(DATA[fit.structure.observed].to_numpy(float), 23, seed=5)
    runs = []
    for chunk in (200, 7, 1):
        kernel = BatchKernel(fit.structure)
        kernel.__dict__["chunk"] = chunk  # the cached property, set as the model's size would
        runs.append(fisher_scoring_batch(kernel, s, fit.theta, tol=1e-9, step_tol=1e-5))
    for other in runs[1:]:
        for a, b in zip(runs[0], other):
            np.testing.assert_array_equal(a, b)
    assert BatchKernel(fit.structure).chunk == min(200, max(16, 250_000 // fit.structure.n_params ** 2))


def test_no_fits_give_empty_results():
    fit = fit_model(MISSION, DATA)
    theta, converged, iterations = fisher_scoring_batch(fit.structure, np.empty((0, 18, 18)), fit.theta)
    assert theta.shape == (0, fit.structure.n_params) and len(converged) == len(iterations) == 0


def test_a_single_row_start_is_every_fit_s_start():
    fit = fit_model(MISSION, DATA)
    s = _resample_covariances(DATA[fit.structure.observed].to_numpy(float), 40, seed=2)
    kernel = BatchKernel(fit.structure)
    kernel.__dict__["chunk"] = 16  # more fits than one chunk holds
    one_row = fisher_scoring_batch(kernel, s, fit.theta[None], tol=1e-9, step_tol=1e-5)
    every_row = fisher_scoring_batch(kernel, s, np.repeat(fit.theta[None], 40, axis=0), tol=1e-9, step_tol=1e-5)
    for a, b in zip(one_row, every_row):
        np.testing.assert_array_equal(a, b)


def test_resample_covariances_gathered_a_group_at_a_time_are_the_same_bit_for_bit(monkeypatch):
    """Many respondents: the resamples' rows are gathered a few resamples at a time (memory), and every
    covariance matrix is the same number for number."""
    import study.model.batch as batch

    rng = np.random.default_rng(5)
    x = rng.normal(size=(300, 6))
    xc = x - x.mean(axis=0)
    rows = rng.integers(0, len(x), (23, len(x)))
    whole = batch.resample_covariances(xc, rows)
    monkeypatch.setattr(batch, "GATHER_BYTES", 3 * xc.nbytes)  # groups of 3 resamples, the last of 2
    assert np.array_equal(batch.resample_covariances(xc, rows), whole)
