"""The class edition's additions: reading notes computed from this study's own numbers, one worked example
per key statistic (done by hand from the data, as a student would check it), and — for simulated data —
the true population values beside the estimates.
"""

from __future__ import annotations

import math

import numpy as np

from .document import Cell, Table
from .narrative import Context, f3
from .tables import hdr, num, txt


def class_notes(c: Context) -> dict[str, str]:
    """Table key → a worked example from this study's data, appended to the table's how-to-read note."""
    res, out = c.res, {}
    m = res.measurement
    items = res.data.items
    first = [k for k, v in m.constructs.items() if not v.second_order]
    if first:
        code = min(first, key=lambda k: m.constructs[k].alpha)
        cols = list(m.constructs[code].items)
        x = items[cols].dropna()
        k = len(cols)
        var_items = float(x.var(ddof=1).sum())
        var_total = float(x.sum(axis=1).var(ddof=1))
        alpha = k / (k - 1) * (1 - var_items / var_total)
        out["reliability"] = c.L(
            f"Worked example, {c.name(code)} (lowest α): k = {k}, Σσᵢ² = {var_items:.3f}, σ²ₜ = {var_total:.3f}, so "
            f"α = {k}/{k - 1} × (1 − {var_items:.3f}/{var_total:.3f}) = {alpha:.3f}.",
            f"算例：{c.name(code)}（α 最低）：k = {k}，Σσᵢ² = {var_items:.3f}，σ²ₜ = {var_total:.3f}，"
            f"故 α = {k}/{k - 1} × (1 − {var_items:.3f}/{var_total:.3f}) = {alpha:.3f}。")
        lam = np.array(list(dict(m.constructs[first[0]].loadings).values()), dtype=float)
        if len(lam) and np.all(np.isfinite(lam)):
            s, e = float(lam.sum()), float((1 - lam ** 2).sum())
            cr, ave = s * s / (s * s + e), float((lam ** 2).mean())
            out["cfa"] = c.L(
                f"Worked example, {c.name(first[0])}: loadings {', '.join(f3(v) for v in lam)}; Σλ = {s:.3f}, "
                f"Σ(1 − λ²) = {e:.3f}, so CR = {s:.3f}² / ({s:.3f}² + {e:.3f}) = {cr:.3f} and AVE = mean λ² = {ave:.3f}.",
                f"算例：{c.name(first[0])}的载荷为 {'、'.join(f3(v) for v in lam)}；Σλ = {s:.3f}，Σ(1 − λ²) = {e:.3f}，"
                f"故 CR = {s:.3f}² / ({s:.3f}² + {e:.3f}) = {cr:.3f}，AVE = λ² 的均值 = {ave:.3f}。")
        fl = m.fornell_larcker  # None in a PLS-SEM study (no CFA)
        a = first[0]
        if fl is not None and a in fl.index:
            others = [(b, abs(fl.loc[max(a, b, key=list(fl.index).index), min(a, b, key=list(fl.index).index)]))
                      for b in fl.index if b != a]
            if others:
                b, r = max(others, key=lambda x: x[1])
                out["fl"] = c.L(f"In this study: √AVE of {c.name(a)} is {f3(fl.loc[a, a])}, its largest correlation "
                                f"{f3(r)} (with {c.name(b)}): the criterion {'holds' if fl.loc[a, a] > r else 'fails'}.",
                                f"本研究中：{c.name(a)}的 √AVE 为 {f3(fl.loc[a, a])}，其最大相关为 {f3(r)}（与{c.name(b)}），"
                                f"{'满足' if fl.loc[a, a] > r else '不满足'}该标准。")
    fit = res.sem_fit or {}
    if res.sem_proper and all(k in fit for k in ("chisq", "df", "rmsea")) and fit["df"] > 0:
        n = res.data.n_analysed
        rmsea = math.sqrt(max(fit["chisq"] - fit["df"], 0) / (fit["df"] * n))
        out["fit"] = c.L(f"By hand: RMSEA = √(max({fit['chisq']:.2f} − {fit['df']:.0f}, 0) / ({fit['df']:.0f} × {n})) "
                         f"= {rmsea:.3f}.",
                         f"手算：RMSEA = √(max({fit['chisq']:.2f} − {fit['df']:.0f}, 0) / ({fit['df']:.0f} × {n})) = {rmsea:.3f}。")
    if res.sem_proper and res.hypotheses:
        h = res.hypotheses[0]
        # five decimals, so that the division gives the table's C.R. (three-decimal B and S.E. may not)
        ratio = f"{h.est:.5f}/{h.se:.5f} = {h.est / h.se:.2f}"
        beyond = abs(h.est / h.se) > 1.96
        out["paths"] = c.L(f"By hand, {h.id}: C.R. = *B*/S.E. = {ratio}, "
                           + ("beyond ±1.96, so *p* < 0.05." if beyond else "within ±1.96, so *p* ≥ 0.05."),
                           f"手算 {h.id}：C.R. = *B*/S.E. = {ratio}，"
                           + ("超出 ±1.96，故 *p* < 0.05。" if beyond else "未超出 ±1.96，故 *p* ≥ 0.05。"))
    if res.sem_proper and res.mediation:
        md = res.mediation[0]
        paths = res.sem.paths()
        legs = []
        for x, y in zip(md.path[:-1], md.path[1:]):
            row = paths[(paths["rhs"] == x) & (paths["lhs"] == y)]
            if len(row):
                legs.append(float(row["est"].iloc[0]))
        if len(legs) == len(md.path) - 1:
            product = float(np.prod(legs))
            out["mediation"] = c.L(
                f"By hand, {md.id or ' → '.join(md.path)}: indirect = " + " × ".join(f3(v) for v in legs)
                + f" = {product:.3f}, the estimate in the table.",
                f"手算 {md.id or ' → '.join(md.path)}：间接效应 = " + " × ".join(f3(v) for v in legs) + f" = {product:.3f}，"
                "即表中的估计值。")
    if res.method_factor is not None:
        verdict = c.method_bias.statement()  # the section's one verdict, not a rule of the note's own
        out["ulmc"] = c.L("In this study: " + str(verdict) + ".", "本研究中：" + verdict.zh + "。")
    return out


def true_vs_estimated(c: Context, t: dict) -> Table | None:
    """Simulated data with a written population model: the true standardized paths and loadings beside the
    estimates, with the estimate's 95 % interval (std.all ± 1.96 SE) and whether it covers the true value."""
    res, study = c.res, c.res.study
    pop = study.data.population if study.data.simulated else None
    if pop is None or not res.sem_proper:
        return None
    est = res.sem.estimates
    rows, misses = [], []

    def add(label: str, truth: float, lhs: str, op: str, rhs: str) -> None:
        hit = est[(est["lhs"] == lhs) & (est["op"] == op) & (est["rhs"] == rhs)]
        if not len(hit):
            return
        r = hit.iloc[0]
        lo, hi = r["std_all"] - 1.96 * r["se_std"], r["std_all"] + 1.96 * r["se_std"]
        covered = lo <= truth <= hi
        misses.append(None if covered else (op, r["std_all"] - truth))
        rows.append([txt(label, "label"), num(truth, 2), num(r["std_all"]), num(r["std_all"] - truth),
                     Cell(f"[{f3(lo)}, {f3(hi)}]", None, kind="num"), txt(t["yes"] if covered else t["no"], bad=not covered)])

    for key, value in pop.paths.items():
        frm, to = [x.strip() for x in key.split("->")]
        add(f"{c.name(frm)} → {c.name(to)}", value, to, "~", frm)
    for dim, value in pop.dimension_loadings.items():
        parent = next((p.code for p in study.second_order if dim in p.dimensions), None)
        if parent:
            add(f"{c.name(parent)} → {c.name(dim)}", value, parent, "=~", dim)
    for construct in study.first_order:
        for item in construct.items:
            if item.loading is not None:
                add(f"{construct.code} → {item.code}", item.loading, construct.code, "=~", item.code)
    if not rows:
        return None
    missed = [x for x in misses if x is not None]
    low_loadings = sum(1 for op, diff in missed if op == "=~" and diff < 0)
    k, n = len(rows) - len(missed), len(rows)
    reading = c.L(
        f"In this study {k} of the {n} intervals ({100 * k / n:.0f}%) cover the true value"
        + (f"; {low_loadings} of the {len(missed)} misses are loadings estimated below their true value — the "
           "systematic attenuation of answering on a few categories, not sampling error alone." if low_loadings else
           "." if not missed else f"; the {len(missed)} misses are within what sampling error produces.")
        + " The loadings are those of the structural model, so they can differ slightly from the measurement "
        "model's in the CFA table.",
        f"本研究中 {n} 个置信区间有 {k} 个（{100 * k / n:.0f}%）包含真实值"
        + (f"；{len(missed)} 个未包含者中有 {low_loadings} 个是低估了真实值的载荷——这是分档作答造成的系统性衰减，而不仅是抽样误差。"
           if low_loadings else "。" if not missed else f"；{len(missed)} 个未包含者在抽样误差可以解释的范围内。")
        + "这里的载荷取自结构模型，可能与验证性因子分析表中测量模型的载荷略有差异。")
    return Table("truth", t["t_truth"], [hdr(t["parameter"], t["true_value"], t["estimate"], t["difference"],
                                              t["ci95"], t["covers"])], rows, notes=[t["truth_note"], reading])
