"""The power analysis as a short method-chapter section (``analysis.py STUDY.yaml --power``).

Before the data are collected there is no empirical chapter yet: the power analysis is a document of its own
(power.html, power.docx, power.json), built in the same document model as the report, with the RMSEA tests
of model fit (MacCallum, Browne & Sugawara 1996), the Monte Carlo power of each hypothesised path and
indirect effect (Muthén & Muthén 2002; Schoemann, Boulton & Short 2017), a power-curve figure and the
sample size to plan for. Every sentence is derived from the numbers by a rule, in Chinese and English.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from ..power.monte_carlo import PowerAnalysis
from ..power.rmsea import RmseaPlan
from ..questionnaire import Study
from .document import Cell, Document, Figure, Paragraph, Section, Table, number_document
from .markup import resolve_document
from .figures import Canvas, text_width
from .html import render_document
from .text import TEXT, fmt

COLORS = ["#1d4ed8", "#b91c1c", "#047857", "#a16207", "#7c3aed", "#0e7490", "#be185d", "#4b5563", "#65a30d",
          "#c2410c"]

T = {
    "en": {
        "title": "Sample size and statistical power", "subtitle": "Power analysis before data collection",
        "rmsea_title": "Power of the RMSEA tests of model fit (df = {df})",
        "mc_title": "Monte Carlo power of the hypothesised effects by sample size",
        "est_title": "Monte Carlo estimates at N = {n}",
        "fig_title": "Power curves of the hypothesised effects (Monte Carlo, {r} data sets per N)",
        "test": "Test", "h0": "H0: RMSEA", "ha": "Alternative RMSEA", "power_at": "Power at N = {n}",
        "n_needed": "N for power {target}", "effect": "Effect", "true": "True β", "mean": "Mean estimate",
        "bias": "Relative bias", "sd": "SD (B)", "se": "Mean SE (B)", "coverage": "95 % coverage", "power": "Power",
        "close": "Close fit", "not_close": "Not-close fit", "exact": "Exact fit", "none": "> {n}",
        "axis_x": "Sample size N", "axis_y": "Power",
        "note_rmsea": "Power of the test of H0 when the population RMSEA equals the alternative value; α = {alpha} "
                      "([@maccallum1996]; computed as the R package semTools does, [@jorgensen2022]).",
        "note_mc": "Share of {r} simulated data sets in which the effect was significant (paths: Wald z test; indirect "
                   "effects: 95 % Monte Carlo confidence interval without 0), α = {alpha}; bold: at least {target}. "
                   "Monte Carlo error of a power near 0.80: ±{err} (95 %).",
        "note_est": "Over the {used} of {r} data sets with a proper solution. Relative bias = (mean standardized "
                    "estimate − true β) / true β; coverage: share of 95 % confidence intervals of B that hold the "
                    "population value (paths).",
        "items_likert": "answers on the study's {points}-point scale, normal scores cut into its categories",
        "items_normal": "normally distributed item scores",
    },
    "zh": {
        "title": "样本量与统计功效", "subtitle": "数据收集前的统计功效分析",
        "rmsea_title": "RMSEA 模型拟合检验的统计功效（df = {df}）",
        "mc_title": "各假设效应在不同样本量下的蒙特卡洛统计功效",
        "est_title": "N = {n} 时的蒙特卡洛估计",
        "fig_title": "各假设效应的统计功效曲线（蒙特卡洛模拟，每个样本量 {r} 个数据集）",
        "test": "检验", "h0": "H0：RMSEA", "ha": "备择 RMSEA", "power_at": "N = {n} 时的功效",
        "n_needed": "功效达 {target} 所需 N", "effect": "效应", "true": "真实 β", "mean": "估计均值",
        "bias": "相对偏差", "sd": "标准差（B）", "se": "平均标准误（B）", "coverage": "95% 覆盖率", "power": "功效",
        "close": "近似拟合检验", "not_close": "非近似拟合检验", "exact": "精确拟合检验", "none": "> {n}",
        "axis_x": "样本量 N", "axis_y": "统计功效",
        "note_rmsea": "注：总体 RMSEA 等于备择值时拒绝 H0 的概率；α = {alpha}（[@maccallum1996]；"
                      "计算方法与 R 软件包 semTools 一致，[@jorgensen2022]）。",
        "note_mc": "注：{r} 个模拟数据集中效应显著的比例（路径：Wald z 检验；间接效应：95% 蒙特卡洛置信区间不含 0），"
                   "α = {alpha}；粗体表示达到 {target}。功效在 0.80 附近时的蒙特卡洛误差为 ±{err}（95%）。",
        "note_est": "注：基于 {r} 个数据集中得到合理解的 {used} 个。相对偏差 =（标准化估计均值 − 真实 β）/ 真实 β；"
                    "覆盖率：B 的 95% 置信区间包含总体值的比例（路径）。",
        "items_likert": "题项为 {points} 点量表作答，由正态分数按答案类别切分而得",
        "items_normal": "正态分布的题项分数",
    },
}


def _p2(x: float) -> str:
    """A proportion with two decimals and a leading zero, as every number of the report (0.80)."""
    if x is None or not math.isfinite(x):
        return "—"
    return f"{x:.2f}"


def _label(study: Study, parameter: str, lang: str) -> str:
    arrow = " → "
    names = []
    for code in parameter.split("->"):
        try:
            names.append(study.construct(code).label(lang))
        except StopIteration:
            names.append(code)
    return arrow.join(names)


def _effect_name(study: Study, row, lang: str) -> str:
    name = _label(study, row["parameter"], lang)
    return f"{row['hypothesis']} {name}".strip() if row["hypothesis"] else name


def recommended_n(mc: PowerAnalysis) -> int | None:
    """The smallest N of the grid at which every effect that is not zero in the population reaches the target
    power (None if some effect never does)."""
    needed = mc.required_n[mc.required_n["true"] != 0]["n_required"]
    if needed.isna().any() or not len(needed):
        return None
    return int(needed.max())


def power_curves(study: Study, mc: PowerAnalysis, lang: str) -> Canvas:
    """Power (y, 0–1) against N (x) for each effect, the target power dashed; indirect effects in dashed
    lines; the legend below the plot."""
    t = T[lang]
    rows = mc.table[mc.table["true"] != 0]
    effects = list(dict.fromkeys(zip(rows["kind"], rows["parameter"], rows["hypothesis"])))
    labels = [(f"{h} " if h else "") + _label(study, p, lang) for _, p, h in effects]
    left, top, pw, ph = 56, 30, 480, 260
    legend_top = top + ph + 52
    width = max(left + pw + 24, left + max([text_width(s, 11.5) for s in labels] + [0]) + 40)
    height = legend_top + 18 * len(labels) + 8
    cv = Canvas(width, height, t["fig_title"].format(r=mc.replications))
    n0, n1 = min(mc.n), max(mc.n)
    span = (n1 - n0) or 1

    def px(n):
        return left + pw * (n - n0) / span

    def py(v):
        return top + ph * (1 - v)

    cv.rect(left, top, pw, ph, fill="#fff", stroke="#222", width=1)
    for k in range(6):  # y grid at 0, 0.20, … 1
        v = k / 5
        if 0 < k < 5:
            cv.line(left, py(v), left + pw, py(v), stroke="#e5e7eb", width=1)
        cv.line(left - 4, py(v), left, py(v), stroke="#222")
        cv.text(left - 7, py(v) + 4, "0" if k == 0 else "1" if k == 5 else _p2(v), size=11, anchor="end")
    for n in mc.n:
        cv.line(px(n), top + ph, px(n), top + ph + 4, stroke="#222")
        cv.text(px(n), top + ph + 17, str(n), size=10.5, anchor="middle")
    cv.line(left, py(mc.target), left + pw, py(mc.target), stroke="#111", width=1.2, dash=(6, 4))
    cv.text(left + pw - 4, py(mc.target) - 5, _p2(mc.target), size=11, anchor="end")
    for i, (kind, parameter, _) in enumerate(effects):
        color = COLORS[i % len(COLORS)]
        dash = (5, 3) if kind == "indirect" else None
        series = rows[(rows["kind"] == kind) & (rows["parameter"] == parameter)].sort_values("n")
        pts = [(px(n), py(p)) for n, p in zip(series["n"], series["power"]) if math.isfinite(p)]
        for (x1, y1), (x2, y2) in zip(pts, pts[1:]):
            cv.line(x1, y1, x2, y2, stroke=color, width=1.8, dash=dash)
        for x, y in pts:
            cv.circle(x, y, 3.2, fill=color)
        ly = legend_top + 18 * i
        cv.line(left, ly - 4, left + 24, ly - 4, stroke=color, width=1.8, dash=dash)
        cv.circle(left + 12, ly - 4, 3.2, fill=color)
        cv.text(left + 32, ly, labels[i], size=11.5)
    cv.text(left + pw / 2, top + ph + 36, t["axis_x"], size=12.5, anchor="middle")
    cv.text(left - 44, top - 12, t["axis_y"], size=12.5)
    return cv


def power_document(study: Study, rmsea: RmseaPlan, mc: PowerAnalysis, lang: str | None = None, *,
                   chapter: str = "3") -> Document:
    """The power analysis as a numbered :class:`~study.report.document.Document` in one language."""
    lang = lang or study.meta.language
    t = T[lang]
    zh = lang == "zh"
    target = _p2(mc.target)
    alpha = _p2(mc.alpha)
    blocks: list = []

    # --- RMSEA
    close = rmsea.table.set_index("test")
    n_of = {k: int(close.loc[k, "n_required"]) for k in ("close", "not_close", "exact")}
    if zh:
        text = (f"结构模型的自由度为 {rmsea.df}。按 [@!maccallum1996] 的方法（α = {alpha}），"
                f"近似拟合检验（H0：RMSEA = 0.05，备择 RMSEA = 0.08）的统计功效达到 {target} 需要 N = {n_of['close']}；"
                f"非近似拟合检验（H0：RMSEA = 0.05，备择 RMSEA = 0.01）需要 N = {n_of['not_close']}；"
                f"精确拟合检验（H0：RMSEA = 0，备择 RMSEA = 0.05）需要 N = {n_of['exact']}。")
        if rmsea.n:
            text += (f"计划样本量 N = {rmsea.n} 时，三项检验的功效分别为 {_p2(close.loc['close', 'power'])}、"
                     f"{_p2(close.loc['not_close', 'power'])} 和 {_p2(close.loc['exact', 'power'])}。")
    else:
        text = (f"The structural model has {rmsea.df} degrees of freedom. Following [@!maccallum1996] "
                f"(α = {alpha}), the test of close fit (H0: RMSEA = 0.05 against RMSEA = 0.08) reaches a power of {target} "
                f"at N = {n_of['close']}, the test of not-close fit (H0: RMSEA = 0.05 against 0.01) at "
                f"N = {n_of['not_close']}, and the test of exact fit (H0: RMSEA = 0 against 0.05) at N = {n_of['exact']}.")
        if rmsea.n:
            text += (f" With the planned N = {rmsea.n}, their powers are {_p2(close.loc['close', 'power'])}, "
                     f"{_p2(close.loc['not_close', 'power'])} and {_p2(close.loc['exact', 'power'])}.")
    blocks.append(Paragraph(text))
    head = [[Cell(t["test"], kind="label"), Cell(t["h0"], kind="label"), Cell(t["ha"], kind="label")]
            + ([Cell(t["power_at"].format(n=rmsea.n), kind="label")] if rmsea.n else [])
            + [Cell(t["n_needed"].format(target=target), kind="label")]]
    body = []
    for row in rmsea.table.itertuples():
        cells = [Cell(t[row.test], kind="label"), Cell(_p2(row.rmsea0) if row.rmsea0 else "0", value=row.rmsea0, digits=2),
                 Cell(_p2(row.rmsea_a), value=row.rmsea_a, digits=2)]
        if rmsea.n:
            cells.append(Cell(_p2(row.power), value=row.power, digits=3, strong=row.power >= mc.target))
        cells.append(Cell(str(int(row.n_required)), value=float(row.n_required), digits=0))
        body.append(cells)
    blocks.append(Table("power_rmsea", t["rmsea_title"].format(df=rmsea.df), head, body,
                        notes=[t["note_rmsea"].format(alpha=alpha)]))

    # --- Monte Carlo: method
    points = study.scale.max - study.scale.min + 1
    items = t["items_likert"].format(points=points) if mc.items == "likert" else t["items_normal"]
    grid = ("、" if zh else ", ").join(map(str, mc.n))
    if zh:
        blocks.append(Paragraph(
            f"各假设路径与间接效应的统计功效采用蒙特卡洛模拟估计（[@muthen2002]）：在 N = {grid} 的每个样本量下，"
            f"由研究设定的总体模型（标准化路径系数与题项载荷，{items}）生成 {mc.replications} 个数据集，以极大似然法估计结构模型；"
            f"路径的 Wald 检验 *p* < {alpha} 即为显著，间接效应的 95% 蒙特卡洛置信区间（{mc.draws} 次抽取）不含 0 即为显著"
            f"（[@schoemann2017]）。统计功效即效应显著的数据集所占比例。"))
    else:
        blocks.append(Paragraph(
            f"The power of each hypothesised path and indirect effect was estimated by a Monte Carlo simulation "
            f"([@muthen2002]): {mc.replications} data sets were drawn for each sample size (N = {grid}) from "
            f"the population model of the study (standardized paths and item loadings; {items}), and the structural "
            f"model was fitted to each by maximum likelihood. A path counted as significant when its Wald test gave *p* < {alpha}, an "
            f"indirect effect when its 95% Monte Carlo confidence interval ({mc.draws} draws) excluded zero ([@schoemann2017]). "
            f"Power is the share of the data sets in which the effect was significant."))

    # --- Monte Carlo: findings
    effects = mc.required_n.copy()
    nonzero = effects[effects["true"] != 0]
    zero = effects[effects["true"] == 0]
    n_rec = recommended_n(mc)
    rows = mc.table

    def name_of(r):
        return _effect_name(study, r, lang)

    if n_rec is not None:
        weakest = nonzero.sort_values(["n_required", "true"], ascending=[False, True]).iloc[0]
        weak_name, weak_beta = name_of(weakest), fmt(weakest["true"], 2)
        kind_word = ("间接效应" if weakest["kind"] == "indirect" else "路径") if zh else \
            ("indirect effect" if weakest["kind"] == "indirect" else "path")
        blocks.append(Paragraph(
            f"N = {n_rec} 时，所有假设效应的统计功效均达到 {target} 以上；所需样本量由最弱的{kind_word}“{weak_name}”"
            f"（真实 β = {weak_beta}）决定。" if zh else
            f"At N = {n_rec} every hypothesised effect reaches a power of at least {target}; this sample size is set by "
            f"the weakest {kind_word}, {weak_name} (true β = {weak_beta})."))
    else:
        short = nonzero[nonzero["n_required"].isna()]
        names = ("、" if zh else ", ").join(name_of(r) for _, r in short.iterrows())
        blocks.append(Paragraph(
            f"在 N ≤ {max(mc.n)} 的范围内，{names}的统计功效未达到 {target}：需要更大的样本，或重新审视预期效应的大小。" if zh else
            f"Within N ≤ {max(mc.n)}, {names} do{'es' if len(short) == 1 else ''} not reach a power of {target}: a larger "
            f"sample is needed, or the expected effect should be reconsidered.", kind="warning"))
    if len(zero):
        names = ("、" if zh else ", ").join(name_of(r) for _, r in zero.iterrows())
        blocks.append(Paragraph(
            f"{names}在总体模型中为 0：其显著比例是第一类错误率，而非统计功效。" if zh else
            f"{names} {'is' if len(zero) == 1 else 'are'} zero in the population model: the share of significant "
            f"results is the type I error rate, not power.", kind="notice"))
    conv = mc.convergence
    worst = conv.sort_values("rate").iloc[0]
    if worst["rate"] < 1:
        blocks.append(Paragraph(
            f"N = {int(worst['n'])} 时有 {1 - worst['rate']:.1%} 的数据集未收敛或得到不合理解（如负方差），"
            "这些数据集未计入功效与偏差；小样本下此类问题本身就是样本不足的信号。" if zh else
            f"At N = {int(worst['n'])}, {1 - worst['rate']:.1%} of the data sets did not converge or gave an improper "
            "solution (e.g. a negative variance); they are left out of power and bias, and at small N they are "
            "themselves a sign that the sample is too small.", kind="notice"))
    else:
        blocks.append(Paragraph("所有模拟数据集的估计均收敛且解合理。" if zh else
                                "Every simulated data set gave a converged, proper solution.", kind="plain"))
    if n_rec is not None:
        blocks.append(Paragraph(
            f"据此建议经数据筛查后的有效样本不少于 N = {n_rec}；考虑到不完整作答、直线作答等将被剔除的问卷，"
            "实际发放的问卷应相应多于此数。" if zh else
            f"The study should therefore plan for at least N = {n_rec} analysed respondents, and collect more "
            "questionnaires than that to allow for those excluded in screening (incomplete or straight-lined answers)."))

    # --- tables and figure
    order = list(dict.fromkeys(zip(rows["kind"], rows["parameter"])))
    head = [[Cell(t["effect"], kind="label"), Cell(t["true"], kind="label")]
            + [Cell(f"N = {n}", kind="label") for n in mc.n] + [Cell(t["n_needed"].format(target=target), kind="label")]]
    body = []
    for kind, parameter in order:
        sub = rows[(rows["kind"] == kind) & (rows["parameter"] == parameter)].set_index("n")
        first = sub.iloc[0]
        need = effects[(effects["kind"] == kind) & (effects["parameter"] == parameter)]["n_required"].iloc[0]
        cells = [Cell(_effect_name(study, first, lang), kind="label"),
                 Cell(fmt(first["true"], 2), value=float(first["true"]), digits=2)]
        for n in mc.n:
            p = float(sub.loc[n, "power"])
            cells.append(Cell(_p2(p), value=p, digits=3, strong=bool(first["true"] != 0 and p >= mc.target)))
        cells.append(Cell(str(int(need)) if not _isna(need) else t["none"].format(n=max(mc.n)),
                          value=None if _isna(need) else float(need), digits=0, kind="num" if not _isna(need) else "text"))
        body.append(cells)
    err = f"{1.96 * math.sqrt(0.8 * 0.2 / mc.replications):.3f}".replace("0.", ".", 1)
    blocks.append(Table("power_mc", t["mc_title"], head, body,
                        notes=[t["note_mc"].format(r=mc.replications, alpha=alpha, target=target, err=err)]))
    blocks.append(Figure("power_curves", t["fig_title"].format(r=mc.replications), power_curves(study, mc, lang)))

    at = n_rec if n_rec is not None else max(mc.n)
    sub = rows[rows["n"] == at]
    head = [[Cell(t[k], kind="label") for k in ("effect", "true", "mean", "bias", "sd", "se", "coverage", "power")]]
    body = []
    for _, r in sub.iterrows():
        path = r["kind"] == "path"
        body.append([
            Cell(_effect_name(study, r, lang), kind="label"),
            Cell(fmt(r["true"]), value=float(r["true"])), Cell(fmt(r["mean_std"]), value=float(r["mean_std"])),
            Cell("—" if not math.isfinite(r["relative_bias"]) else f"{fmt(100 * r['relative_bias'], 1)}%",
                 value=None if not math.isfinite(r["relative_bias"]) else float(r["relative_bias"]), digits=3,
                 kind="num" if math.isfinite(r["relative_bias"]) else "text"),
            Cell(fmt(r["sd_est"]) if path else "—", value=float(r["sd_est"]) if path else None,
                 kind="num" if path else "text"),
            Cell(fmt(r["mean_se"]) if path else "—", value=float(r["mean_se"]) if path else None,
                 kind="num" if path else "text"),
            Cell(_p2(r["coverage"]) if path else "—", value=float(r["coverage"]) if path else None,
                 kind="num" if path else "text"),
            Cell(_p2(r["power"]), value=float(r["power"]))])
    used = int(conv.set_index("n").loc[at, "usable"])
    blocks.append(Table("power_estimates", t["est_title"].format(n=at), head, body,
                        notes=[t["note_est"].format(used=used, r=mc.replications)]))

    section = Section("power", t["title"], blocks, chapter=chapter)
    doc = Document(lang=lang, audience="thesis", title=study.meta.title.get(lang) or "", subtitle=t["subtitle"],
                   sections=[section],
                   footer=("由 loyalty-study 生成；蒙特卡洛种子 {seed}，每个样本量 {r} 个数据集。" if zh else
                           "Generated by loyalty-study; Monte Carlo seed {seed}, {r} data sets per sample size.")
                   .format(seed=mc.seed, r=mc.replications),
                   # the report's words for the writers (lead punctuation, "how to read" …), as build_document
                   labels={k: v for k, v in TEXT[lang].items() if isinstance(v, str)})
    number_document(doc)
    resolve_document(doc)  # citations → in-text form, and the reference list they make
    return doc


def _isna(value) -> bool:
    return value is None or bool(pd.isna(value))


def power_results(rmsea: RmseaPlan, mc: PowerAnalysis) -> dict:
    """The power analysis as plain JSON-ready data (power.json)."""
    def records(frame):
        out = []
        for row in frame.to_dict("records"):
            out.append({k: (None if _isna(v) or (isinstance(v, float) and not math.isfinite(v)) else
                            (int(v) if isinstance(v, (np.integer,)) else float(v) if isinstance(v, np.floating) else v))
                        for k, v in row.items()})
        return out

    return {
        "rmsea": {"df": rmsea.df, "n": rmsea.n, "alpha": rmsea.alpha, "target": rmsea.target,
                  "tests": records(rmsea.table)},
        "monte_carlo": {"n": list(mc.n), "replications": mc.replications, "alpha": mc.alpha, "target": mc.target,
                        "items": mc.items, "seed": mc.seed, "draws": mc.draws, "n_parameters": mc.n_parameters,
                        "recommended_n": recommended_n(mc), "convergence": records(mc.convergence),
                        "required_n": records(mc.required_n), "table": records(mc.table)},
    }


def write_power_outputs(study: Study, rmsea: RmseaPlan, mc: PowerAnalysis, out_dir: Path, lang: str | None = None,
                        *, chapter: str = "3") -> dict[str, Path]:
    """Write power.html, power.docx and power.json into ``out_dir``; returns {"html", "docx", "json"} → path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    doc = power_document(study, rmsea, mc, lang, chapter=chapter)
    paths = {"html": out_dir / "power.html", "docx": out_dir / "power.docx", "json": out_dir / "power.json"}
    paths["html"].write_text(render_document(doc), encoding="utf-8")
    from .docx import write_docx  # python-docx loaded only when a Word file is written

    write_docx(doc, paths["docx"])
    paths["json"].write_text(json.dumps(power_results(rmsea, mc), ensure_ascii=False, indent=1), encoding="utf-8")
    return paths
