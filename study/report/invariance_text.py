"""The report's measurement-invariance blocks (:mod:`study.model.invariance`): the table of levels, the text
and the latent mean differences, in Chinese and English.

A level whose comparison is not established — a model of the pair has no proper solution, or the χ² difference
criterion has no p-value (a negative Satorra–Bentler scaling factor) — is neither "holds" nor "does not hold":
the table prints "—" for its differences and the text says that it could not be tested and why; the sequence
stops there (:func:`study.model.invariance.measurement_invariance`).

:class:`InvarianceWriter` is a part of the examiner's-questions writer (:mod:`.model_questions`), which provides
``q``, ``w``, ``zh``, ``res``, ``L``, ``name`` and ``label_of``.
"""

from __future__ import annotations

import math

from ..model.invariance import DELTA_CFI, DELTA_RMSEA
from . import verdicts
from .document import Paragraph, Table
from .mediation_types import _f, _p
from .tables import hdr, integer, num, pcell, txt

LEVELS = {
    "en": {"configural": "Configural", "metric": "Metric (equal loadings)",
           "scalar": "Scalar (equal loadings and intercepts)", "strict": "Strict (also equal residual variances)"},
    "zh": {"configural": "形态不变", "metric": "弱不变（载荷相等）", "scalar": "强不变（载荷与截距相等）",
           "strict": "严格不变（残差方差亦相等）"},
}
NOT_TESTED = {"en": "not tested", "zh": "无法检验"}


def _short(level: str, lang: str) -> str:
    """"metric", "弱不变": a level's name inside a sentence."""
    return LEVELS["en"][level].split(" (")[0].lower() if lang == "en" else LEVELS["zh"][level].split("（")[0]


class InvarianceWriter:
    """The invariance blocks of :class:`study.report.model_questions._Writer`."""

    def invariance_blocks(self) -> list:
        blocks = []
        for gi in self.q.invariance:
            r = gi.result
            blocks += [Paragraph(x) for x in self.invariance_text(gi)]
            blocks.append(self.invariance_table(gi))
            if r.latent_means is not None:
                blocks.append(self.means_table(gi))
        return blocks

    def _level_label(self, r, level: str) -> str:
        freed = [s.name for s in r.partial if s.level == level]
        label = self.w["levels"][level]
        if freed:
            label += self.L(f" — partial: {', '.join(freed)} free", f"——部分不变：释放 {', '.join(freed)}")
        return label

    def invariance_table(self, gi) -> Table:
        r, w = gi.result, self.w
        robust = r.estimator != "ML"
        chisq, cfi, rmsea = ("chisq.scaled", "cfi.robust", "rmsea.robust") if robust else ("chisq", "cfi", "rmsea")
        tests = {t.level: t for t in r.tests}
        body = []
        for level, fit in r.levels.items():
            f = fit.fit
            if not fit.proper:  # not a finding: no numbers
                body.append([txt(self._level_label(r, level), "label"),
                             txt(self.L("no proper solution", "没有合理解"), bad=True), *([txt("")] * 10)])
                continue
            row = [txt(self._level_label(r, level), "label"), num(f[chisq], 2), integer(f["df"]), num(f[cfi]),
                   num(f[rmsea]), num(f["srmr"])]
            t = tests.get(level)
            if t is None:
                row += [txt("")] * 6
            elif t.holds is None and t.not_established == "improper":  # the model it is compared with is improper
                row += [txt("—")] * 5 + [txt(NOT_TESTED[self.lang], bad=True)]
            elif t.holds is None:  # the χ² criterion without a p-value: the differences, no verdict
                row += [num(t.chisq_diff, 2), integer(t.df_diff), pcell(t.pvalue), num(t.delta_cfi),
                        num(t.delta_rmsea), txt(NOT_TESTED[self.lang], bad=True)]
            else:
                row += [num(t.chisq_diff, 2), integer(t.df_diff), pcell(t.pvalue), num(t.delta_cfi),
                        num(t.delta_rmsea), txt(w["holds"] if t.holds else w["fails"], bad=not t.holds)]
            body.append(row)
        colon, semi = ("：", "；") if self.zh else (": ", "; ")
        sizes = semi.join(f"{self.label_of(gi.column, g)}{colon}n = {n}" for g, n in r.n.items())
        rule = (self.L(f"invariance holds when ΔCFI ≥ −{DELTA_CFI} ([@cheung2002]) and ΔRMSEA ≤ "
                       f"{DELTA_RMSEA} ([@chen2007])", f"ΔCFI ≥ −{DELTA_CFI}（[@cheung2002]）且 ΔRMSEA ≤ "
                       f"{DELTA_RMSEA}（[@chen2007]）时不变性成立")
                if r.criterion == "fit_indices" else
                self.L("invariance holds when the χ² difference test is not significant (*p* ≥ 0.05)",
                       "χ² 差异检验不显著（*p* ≥ 0.05）时不变性成立"))
        notes = [sizes + self.L(". ", "。") + self.L(
            f"First-order measurement model with a mean structure, {r.estimator}"
            + (" (scaled χ² and scaled differences, [@satorra2001]; robust CFI and RMSEA)" if robust else "")
            + f"; each level against the one above it; {rule}. Δχ², ΔCFI and ΔRMSEA are reported for each level.",
            f"基于含均值结构的一阶测量模型，{r.estimator} 估计"
            + ("（校正 χ² 与校正差异检验，[@satorra2001]；稳健 CFI、RMSEA）" if robust else "")
            + f"；每一层级与上一层级比较；{rule}。各层级同时报告 Δχ²、ΔCFI 与 ΔRMSEA。")]
        if any(t.holds is None for t in r.tests):
            notes.append(self._not_tested_note(r))
        if r.partial:
            notes.append(self._partial_note(r))
        return Table("invariance", w["t_inv"].format(column=self.label_of(gi.column)),
                     [hdr(w["level"], "χ²", "df", "CFI", "RMSEA", "SRMR", "Δχ²", "Δdf", "p", "ΔCFI", "ΔRMSEA",
                          w["verdict"])], body, notes=notes)

    def _why_not(self, r, t) -> tuple[str, str]:
        """Why a level could not be tested, as a clause (en, zh)."""
        if t.not_established == "improper":
            bad = [lev for lev in (t.against, t.level) if not r.levels[lev].proper]
            en = " and ".join(f"the {_short(lev, 'en')} model" for lev in bad)
            zh = "与".join(f"{_short(lev, 'zh')}模型" for lev in bad)
            return (f"{en} {'has' if len(bad) == 1 else 'have'} no proper solution (not converged or a negative variance)",
                    f"{zh}没有合理解（未收敛或方差为负）")
        return ("the scaled χ² difference test cannot be computed (its scaling factor is negative, [@satorra2001])",
                "校正 χ² 差异检验无法计算（其校正因子为负，[@satorra2001]）")

    def _not_tested_note(self, r) -> str:
        t = next(t for t in r.tests if t.holds is None)
        why_en, why_zh = self._why_not(r, t)
        return self.L(f"{LEVELS['en'][t.level].split(' (')[0]} invariance could not be tested: {why_en}; the "
                      "comparison is not a finding, and the later levels are not tested.",
                      f"{_short(t.level, 'zh')}无法检验：{why_zh}，该比较不构成研究发现；其后的层级不再检验。")

    def _partial_note(self, r) -> str:
        bits_en, bits_zh = [], []
        for s in r.partial:
            if s.reason == "requested":
                bits_en.append(f"{s.name} (named in the study)")
                bits_zh.append(f"{s.name}（研究设定）")
            else:
                bits_en.append(f"{s.name} (largest score test, χ²(1) = {_f(s.X2, 2)}, {_p(s.pvalue)})")
                bits_zh.append(f"{s.name}（得分检验最大，χ²(1) = {_f(s.X2, 2)}，{_p(s.pvalue)}）")
        return self.L(
            "Partial invariance ([@byrne1989]): freed one at a time, "
            + "; ".join(bits_en) + ". A constraint is freed only while each construct keeps at least two items with "
            "equal parameters ([@steenkamp1998]); score tests as lavaan's lavTestScore.",
            "部分不变（[@byrne1989]）：逐一释放 " + "；".join(bits_zh)
            + "。每个构念至少保留两个参数相等的题项（[@steenkamp1998]）；得分检验与 lavaan 的 lavTestScore 相同。")

    def means_table(self, gi) -> Table:
        r, w = gi.result, self.w
        body = []
        rank = {c.code: i for i, c in enumerate(self.res.study.constructs)}
        means = r.latent_means.assign(_c=r.latent_means["lhs"].map(rank)).sort_values(["group", "_c"], kind="stable")
        for _, row in means.iterrows():
            label = self.name(row["lhs"])
            if len(r.groups) > 2:
                label = f"{label} ({self.label_of(gi.column, row['group'])})"
            body.append([txt(label, "label"), num(row["est"], p=row["pvalue"]), num(row["se"]), num(row["z"], 2),
                         pcell(row["pvalue"]), num(row["d"], 2)])
        group = ", ".join(self.label_of(gi.column, g) for g in r.groups[1:])
        reference = self.label_of(gi.column, r.reference)
        partial = bool([s for s in r.partial if s.level == "scalar"])
        note = self.L(
            f"Latent means of {group} minus those of {reference} (fixed at 0), from the "
            f"{'partial ' if partial else ''}scalar invariance model ([@sorbom1974]); d = difference / √(pooled latent "
            "variance) ([@hancock2001]). * *p* < 0.05, ** *p* < 0.01, *** *p* < 0.001.",
            f"{group}与{reference}（固定为 0）的潜变量均值之差，来自{'部分' if partial else ''}强不变（截距等同）模型（[@sorbom1974]）；"
            "d = 差值 / √合并潜变量方差（[@hancock2001]）。* *p* < 0.05，** *p* < 0.01，*** *p* < 0.001。")
        return Table("latent_means", w["t_means"].format(column=self.label_of(gi.column), reference=reference),
                     [hdr(w["construct"], w["difference"], "S.E.", "z", "p", "d")], body, notes=[note])

    def invariance_text(self, gi) -> list[str]:
        r = gi.result
        col = self.label_of(gi.column)
        robust = r.estimator != "ML"
        cfi = "cfi.robust" if robust else "cfi"
        rmsea = "rmsea.robust" if robust else "rmsea"
        conf = r.levels["configural"].fit
        parts_en, parts_zh = [], []
        for t in r.tests:
            if t.holds is None:
                why_en, why_zh = self._why_not(r, t)
                if t.not_established == "improper":
                    parts_en.append(f"{_short(t.level, 'en')} invariance could not be tested: {why_en}")
                    parts_zh.append(f"{_short(t.level, 'zh')}无法检验：{why_zh}")
                else:
                    parts_en.append(f"{_short(t.level, 'en')} invariance could not be judged by the χ² difference "
                                    f"test: {why_en}; ΔCFI = {_f(t.delta_cfi)}, ΔRMSEA = {_f(t.delta_rmsea)}")
                    parts_zh.append(f"{_short(t.level, 'zh')}无法以 χ² 差异检验判断：{why_zh}；ΔCFI = "
                                    f"{_f(t.delta_cfi)}，ΔRMSEA = {_f(t.delta_rmsea)}")
                if t.level != list(LEVELS["en"])[-1]:
                    parts_en[-1] += ", so the later levels are not tested"
                    parts_zh[-1] += "，其后的层级不再检验"
                continue
            freed = [s.name for s in r.partial if s.level == t.level]
            partial_en = f" (partially: {', '.join(freed)} free)" if freed and t.holds else ""
            partial_zh = f"（部分不变：释放 {', '.join(freed)}）" if freed and t.holds else ""
            if math.isfinite(t.pvalue):
                stat = (f"Δχ²({int(t.df_diff)}) = {_f(t.chisq_diff, 2)}, {_p(t.pvalue)}, ΔCFI = {_f(t.delta_cfi)}, "
                        f"ΔRMSEA = {_f(t.delta_rmsea)}")
            else:  # decided by the fit indices; the scaled Δχ² has no p-value
                stat = self.L("the scaled Δχ² test cannot be computed, its scaling factor being negative, "
                              "[@satorra2001]; ", "校正 Δχ² 检验因校正因子为负而无法计算，[@satorra2001]；") + \
                    f"ΔCFI = {_f(t.delta_cfi)}, ΔRMSEA = {_f(t.delta_rmsea)}"
            # a Δχ² p in [0.05, 0.10) is borderline (verdicts.borderline), whatever the criterion decides
            edge_en = ", the Δχ² test borderline" if verdicts.borderline(t.pvalue) else ""
            edge_zh = "，Δχ² 检验接近显著" if verdicts.borderline(t.pvalue) else ""
            parts_en.append(f"{_short(t.level, 'en')} invariance "
                            f"{'holds' if t.holds else 'does not hold'}{partial_en} ({stat}{edge_en})")
            parts_zh.append(f"{_short(t.level, 'zh')}{'成立' if t.holds else '不成立'}{partial_zh}"
                            f"（{stat.replace(', ', '，')}{edge_zh}）")
        rule_en = (f"ΔCFI ≥ −{DELTA_CFI}, [@cheung2002]; ΔRMSEA ≤ {DELTA_RMSEA}, [@chen2007]"
                   if r.criterion == "fit_indices" else "χ² difference test, *p* ≥ 0.05")
        rule_zh = (f"ΔCFI ≥ −{DELTA_CFI}，[@cheung2002]；ΔRMSEA ≤ {DELTA_RMSEA}，[@chen2007]"
                   if r.criterion == "fit_indices" else "χ² 差异检验 *p* ≥ 0.05")
        if not r.levels["configural"].proper:  # not a finding: no fit quoted, nothing tested on it
            return [self.L(
                f"Measurement invariance by {col} could not be tested: the configural model (the first-order "
                "measurement model with item intercepts, free in every group) has no proper solution (not converged "
                "or a negative variance), so no invariance level and no latent mean difference is reported.",
                f"无法按{col}检验测量不变性：形态不变模型（含题项截距、各组参数自由估计的一阶测量模型）没有合理解"
                "（未收敛或方差为负），因此不报告任何层级的不变性检验与潜变量均值差异。")]
        out = [self.L(
            f"Measurement invariance by {col}, tested on the first-order measurement model with item intercepts: "
            f"the configural model fits with CFI = {_f(conf[cfi])} and RMSEA = {_f(conf[rmsea])}; " + "; ".join(parts_en)
            + f" (criterion: {rule_en}).",
            f"在含题项截距的一阶测量模型上按{col}检验测量不变性：形态不变模型的 CFI = {_f(conf[cfi])}，"
            f"RMSEA = {_f(conf[rmsea])}；" + "；".join(parts_zh) + f"（判断标准：{rule_zh}）。")]
        # invariance steps and latent means read on a poorly fitting baseline are tentative (verdicts.baseline_fit)
        base = verdicts.baseline_fit(conf, robust)
        scalar = next((t for t in r.tests if t.level == "scalar"), None)
        edge = scalar is not None and verdicts.borderline(scalar.pvalue)
        means_follow = r.latent_means is not None
        tentative = base.poor or edge
        if base.poor:
            out.append(self.L(
                "However, " + str(base.statement()) + ", so the invariance steps built on it are hard to interpret"
                + ("; with the scalar Δχ² test also borderline, the comparison of latent means below is tentative."
                   if edge and means_follow else
                   ", and the comparison of latent means below is tentative." if means_follow else "."),
                "但" + base.statement().zh + "，在其基础上的各步不变性检验难以解释"
                + ("；加之强不变的 Δχ² 检验接近显著" if edge and means_follow else "")
                + ("，下文潜变量均值的比较只能是初步的。" if means_follow else "。")))
        elif edge and means_follow:
            out.append(self.L("The scalar Δχ² test is borderline, so the comparison of latent means below is tentative.",
                              "强不变的 Δχ² 检验接近显著，因此下文潜变量均值的比较只能是初步的。"))
        if r.latent_means is None:
            untested = next((t for t in r.tests if t.holds is None), None)
            if untested is not None and untested.level in ("metric", "scalar"):
                out.append(self.L(
                    f"As {_short(untested.level, 'en')} invariance could not be tested, the groups' latent means are "
                    "not compared ([@steenkamp1998]).",
                    f"由于{_short(untested.level, 'zh')}无法检验，不比较各组潜变量均值（[@steenkamp1998]）。"))
            elif r.highest in (None, "metric") or "scalar" not in r.levels:
                out.append(self.L(
                    "Without (partial) scalar invariance the groups' latent means are not compared: differences in "
                    "item means may reflect the items rather than the constructs ([@steenkamp1998]).",
                    "未达到（部分）强不变，因此不比较各组潜变量均值：题项均值的差异可能源于题项本身而非构念"
                    "（[@steenkamp1998]）。"))
            return out
        means = r.latent_means
        sig = means[means["pvalue"] < 0.05]
        reference = self.label_of(gi.column, r.reference)
        partial = any(s.level == "scalar" for s in r.partial)
        scalar_en, scalar_zh = ("partial scalar", "部分强不变") if partial else ("scalar", "强不变")
        can_en, can_zh = ("are compared tentatively", "初步比较潜变量均值") if tentative else ("can be compared", "可以比较潜变量均值")
        if sig.empty:
            out.append(self.L(
                f"With {scalar_en} invariance the latent means {can_en} ([@sorbom1974]): no construct's "
                f"latent mean differs significantly from that of the reference group ({reference}; all *p* ≥ 0.05, "
                f"largest |d| = {_f(means['d'].abs().max(), 2)}).",
                f"{scalar_zh}成立，{can_zh}（[@sorbom1974]）：与参照组（{reference}）相比，各构念的潜变量均值均无显著差异"
                f"（所有 *p* ≥ 0.05，最大 |d| = {_f(means['d'].abs().max(), 2)}）。"))
        else:
            bits_en = [f"{self.name(row['lhs'])} ({self.label_of(gi.column, row['group'])} "
                       f"{'higher' if row['est'] > 0 else 'lower'} by {_f(abs(row['est']))}, {_p(row['pvalue'])}, "
                       f"d = {_f(row['d'], 2)})" for _, row in sig.iterrows()]
            bits_zh = [f"{self.name(row['lhs'])}（{self.label_of(gi.column, row['group'])}"
                       f"{'高' if row['est'] > 0 else '低'} {_f(abs(row['est']))}，{_p(row['pvalue'])}，d = {_f(row['d'], 2)}）"
                       for _, row in sig.iterrows()]
            out.append(self.L(
                f"With {scalar_en} invariance the latent means {can_en} ([@sorbom1974]); relative to the "
                f"reference group ({reference}), the latent means differ for " + "; ".join(bits_en)
                + " (d after [@!hancock2001]).",
                f"{scalar_zh}成立，{can_zh}（[@sorbom1974]）；与参照组（{reference}）相比，以下构念的潜变量均值存在"
                "显著差异：" + "；".join(bits_zh) + "（d 依 [@!hancock2001]）。"))
        return out

