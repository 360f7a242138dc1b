"""The report's answers to the examiner's questions (:mod:`study.model_questions`): the type of mediation
(its blocks in :mod:`.mediation_types`), competing models, measurement invariance with latent means, and the AMOS-style tables
(unstandardized CFA loadings with SMC, VIF and f²). Tables and text in Chinese and English; every
sentence is derived from a number and a rule with its source. The hypothesized model stays the
headline: each table says which model its numbers come from.

:func:`add_sections` puts the blocks into the sections of :func:`study.report.build.build_document`;
:func:`results_json` gives the results.json keys (documented in the README).
"""

from __future__ import annotations

import math

import pandas as pd

from .document import Paragraph, Table
from .invariance_text import InvarianceWriter
from .mediation_types import MediationWriter, _f, _p, _pct, better_partial_model
from .tables import hdr, integer, num, pcell, txt

WORDS = {
    "en": {
        "s_alternatives": "Competing models",
        "t_med": "Mediation type and effect decomposition: the models with the direct path",
        "t_alt": "Competing models",
        "t_inv": "Measurement invariance across groups of {column}",
        "t_means": "Latent mean differences by {column} (reference group: {reference})",
        "t_loadings": "Confirmatory factor analysis: unstandardized and standardized loadings (AMOS style)",
        "t_vif": "Collinearity of the predictors (VIF) and effect sizes (f²)",
        "hypothesis": "Hypothesis", "effect": "Effect", "type": "Mediation", "model": "Model",
        "direct": "Direct effect", "indirect": "Indirect effect", "total": "Total effect",
        "share": "Share mediated", "se_boot": "Boot SE", "perc": "95% CI (percentile)", "bc": "95% CI (bias-corrected)",
        "construct": "Construct", "item": "Item", "path": "Path", "size": "Effect size", "verdict": "Invariance",
        "holds": "holds", "fails": "does not hold", "difference": "Difference", "level": "Level",
        "vif_latent": "VIF (latent)", "vif_scores": "VIF (scores)", "r2_in": "R² with", "r2_out": "R² without",
        "total_indirect": "Total indirect effect",
        "types": {"full": "indirect-only mediation", "partial": "partial mediation (complementary)",
                  "competitive": "competitive mediation (suppression)", "direct-only": "no mediation (direct only)",
                  "none": "no effect", "not-interpretable": "not interpretable"},
        "sizes": {"large": "large", "medium": "medium", "small": "small", "negligible": "negligible"},
        "models": {"hypothesized": "Hypothesized model", "partial_mediation": "Partial-mediation model",
                   "first_order": "First-order model", "one_factor": "One-factor model"},
        "levels": {"configural": "Configural", "metric": "Metric (equal loadings)",
                   "scalar": "Scalar (equal loadings and intercepts)",
                   "strict": "Strict (also equal residual variances)"},
    },
    "zh": {
        "s_alternatives": "竞争模型比较",
        "t_med": "中介类型与效应分解（含直接路径的模型）",
        "t_alt": "竞争模型比较",
        "t_inv": "{column}各组之间的测量不变性检验",
        "t_means": "按{column}分组的潜变量均值差异（参照组：{reference}）",
        "t_loadings": "验证性因子分析：非标准化与标准化载荷（AMOS 格式）",
        "t_vif": "预测变量的共线性（VIF）与效应量（f²）",
        "hypothesis": "假设", "effect": "效应", "type": "中介类型", "model": "模型",
        "direct": "直接效应", "indirect": "间接效应", "total": "总效应",
        "share": "中介效应占比", "se_boot": "Bootstrap 标准误", "perc": "95% 置信区间（百分位）",
        "bc": "95% 置信区间（偏差校正）",
        "construct": "构念", "item": "题项", "path": "路径", "size": "效应大小", "verdict": "结论",
        "holds": "成立", "fails": "不成立", "difference": "差值", "level": "模型",
        "vif_latent": "VIF（潜变量）", "vif_scores": "VIF（构念得分）", "r2_in": "含该路径 R²", "r2_out": "去掉该路径 R²",
        "total_indirect": "总间接效应",
        "types": {"full": "仅间接效应的中介", "partial": "部分中介（互补型）", "competitive": "竞争型中介（遮掩效应）",
                  "direct-only": "无中介（仅直接效应）", "none": "无效应", "not-interpretable": "不予解释"},
        "sizes": {"large": "大", "medium": "中", "small": "小", "negligible": "可忽略"},
        "models": {"hypothesized": "假设模型", "partial_mediation": "部分中介模型",
                   "first_order": "一阶维度模型", "one_factor": "单因子模型"},
        "levels": {"configural": "形态不变", "metric": "弱不变（载荷相等）", "scalar": "强不变（载荷与截距相等）",
                   "strict": "严格不变（残差方差亦相等）"},
    },
}


class _Writer(MediationWriter, InvarianceWriter):
    """Tables and paragraphs for one result set and language."""

    def __init__(self, ctx, label_of):
        self.ctx, self.res, self.lang = ctx, ctx.res, ctx.lang
        self.q = ctx.res.questions
        self.w = WORDS[ctx.lang]
        self.name, self.label_of = ctx.name, label_of
        self.zh = ctx.lang == "zh"

    def L(self, en: str, zh: str) -> str:
        return zh if self.zh else en

    def arrow(self, chain) -> str:
        return " → ".join(self.name(c) for c in chain)

    def model_name(self, key: str) -> str:
        if key in self.w["models"]:
            return self.w["models"][key]
        name = self.q.names.get(key)
        return f"{key}: {name.get(self.lang)}" if name else key

    def model_of(self, t) -> str:
        """Which model a mediation test's numbers come from."""
        if t.direct_in_hypothesized:
            return self.L("the hypothesized model", "假设模型")
        return self.L(f"the hypothesized model with the direct path {self.arrow((t.x, t.y))} added",
                      f"假设模型加入直接路径“{self.arrow((t.x, t.y))}”后的模型")

    # ------------------------------------------------------------------ competing models
    def competing_table(self) -> Table | None:
        c = self.q.competing
        if c is None or len(c.models) < 2:
            return None
        w = self.w
        table = c.table()
        head = [hdr(w["model"], "χ²", "df", "χ²/df", "CFI", "TLI", "RMSEA", "SRMR", "AIC", "BIC", "Δχ²", "Δdf", "p")]
        body = []
        for m, (_, row) in zip(c.models, table.iterrows()):
            label = self.model_name(m.name) + self._change(m)
            if not m.fitted.proper:  # not a finding: no numbers
                body.append([txt(label, "label"), txt(self.L("improper solution", "解不合理")), *([txt("")] * 11)])
                continue
            cells = [txt(label, "label"), num(row["chisq"], 2), integer(row["df"]), num(row["chisq/df"], 2),
                     num(row["cfi"]), num(row["tli"]), num(row["rmsea"]), num(row["srmr"]), num(row["aic"], 1),
                     num(row["bic"], 1)]
            if m.test is not None:
                cells += [num(row["chisq_diff"], 2), integer(row["df_diff"]), pcell(row["pvalue_diff"])]
            else:
                dash = ("" if m.name == "hypothesized" else
                        self.L("nesting not established", "嵌套未确定") if m.nested is None else self.L("not nested", "非嵌套"))
                cells += [txt(dash), txt(""), txt("")]
            body.append(cells)
        notes = [self.L(
            f"All models fitted by {c.estimator} to the same {self.q.n} respondents"
            + (" (scaled χ², robust CFI, TLI and RMSEA)" if c.estimator != "ML" else "") + ". Δχ² is the χ² difference "
            "test against the hypothesized model, given only where one model is nested in the other (checked by the "
            "NET procedure, [@bentler2010]; scaled for MLM/MLR, [@satorra2001]). Non-nested models are compared "
            "by AIC and BIC: smaller is better ([@akaike1974; @schwarz1978]).",
            f"所有模型均以 {c.estimator} 估计，基于同一批 {self.q.n} 名受访者"
            + ("（χ² 为校正 χ²，CFI、TLI、RMSEA 为稳健值）" if c.estimator != "ML" else "") + "。Δχ² 为与假设模型比较的 χ² "
            "差异检验，仅在两模型嵌套时给出（以 NET 程序检验嵌套关系，[@bentler2010]；MLM/MLR 采用校正差异检验，"
            "[@satorra2001]）。非嵌套模型以 AIC、BIC 比较，越小越好（[@akaike1974; @schwarz1978]）。")]
        for m in c.models[1:]:
            if m.nested is None and m.fitted.proper:
                notes.append(self.L(
                    f"{self.model_name(m.name)}: whether it is nested with the hypothesized model could not be "
                    "established (the NET fit did not converge, [@bentler2010]); it is compared by AIC and BIC only.",
                    f"{self.model_name(m.name)}与假设模型是否嵌套未能确定（NET 检验的拟合未收敛，[@bentler2010]），"
                    "仅以 AIC、BIC 比较。"))
                continue
            why_en, why_zh = self._not_nested_reason(m)
            if why_en and m.fitted.proper:
                notes.append(self.L(f"{self.model_name(m.name)}: not nested{why_en}.",
                                    f"{self.model_name(m.name)}与假设模型不嵌套{why_zh}。"))
        for m in c.models[1:]:
            if m.nested_at_boundary and m.test is not None and m.fitted.proper:
                name = self.model_name(m.name)
                if m.restricted == m.name:
                    en, zh = f"{name}: nested in the hypothesized model", f"{name}只在假设模型参数空间的边界上"
                else:
                    en, zh = f"{name}: the hypothesized model is nested in it", f"假设模型只在{name}参数空间的边界上"
                notes.append(self.L(
                    f"{en} only at the edge of the parameter space (a variance of 0 or a correlation of ±1), where "
                    "the χ² difference does not follow its χ² distribution exactly: its p-value is conservative "
                    "([@stoel2006]).",
                    f"{zh}（方差为 0 或相关为 ±1）与之嵌套，此时 χ² 差异并不严格服从 χ² 分布，其 p 值偏保守（[@stoel2006]）。"))
        for target in c.targets:
            notes.append(self._target_note(target))
        improper = [self.model_name(m.name) for m in c.models[1:] if not m.fitted.proper]
        if improper:
            notes.append(self.L(f"No proper solution (not converged or a negative variance), so no figures are "
                                f"given: {', '.join(improper)}.",
                                f"以下模型没有合理解（未收敛或方差为负），不列出其数值：{'、'.join(improper)}。"))
        return Table("competing", w["t_alt"], head, body, notes=notes)

    def _ref(self, key: str) -> str:
        """A model named inside an English sentence: "the one-factor model", "model M1"."""
        return f"the {self.w['models'][key].lower()}" if key in self.w["models"] else f"model {key}"

    def _change(self, m) -> str:
        """What an alternative changes, in words."""
        hyp = self.q.competing.models[0].spec
        if m.name == "partial_mediation":
            added = [p for p in m.spec.paths if p not in hyp.paths]
            if self.zh:
                return "（加入" + self.ctx.join([f"“{self.arrow(p)}”" for p in added]) + "）"
            return " (+ " + self.ctx.join([self.arrow(p) for p in added]) + ")"
        if m.name == "first_order":
            return self.L(" (", "（") + self.ctx.join([self.name(c) for c in hyp.second_order]) + \
                self.L(" replaced by its dimensions)", "以其各维度代替）")
        if m.name in ("hypothesized", "one_factor"):
            return ""
        added = [p for p in m.spec.paths if p not in hyp.paths]
        dropped = [p for p in hyp.paths if p not in m.spec.paths]
        bits = [f"+ {self.arrow(p)}" for p in added] + [f"− {self.arrow(p)}" for p in dropped]
        return self.L(" (", "（") + ("; " if not self.zh else "；").join(bits) + self.L(")", "）")

    def _target_note(self, target) -> str:
        name = self.name(target.construct)
        dims = self.ctx.join([self.name(d) for d in target.dimensions])
        if not target.proper:
            return self._target_not_established(target)
        if target.test is None:
            return self.L(f"{name}: with three dimensions the second-order and first-order models are equivalent "
                          "(target coefficient T = 1; [@marsh1985]).",
                          f"{name}：仅有三个维度时二阶模型与一阶模型等价（目标系数 T = 1；[@marsh1985]）。")
        test = target.test
        if not math.isfinite(test["pvalue"]):
            return self.L(
                f"Target coefficient of {name} ([@marsh1985]), on the items of {dims}: T = {_f(target.target)}; the "
                "scaled χ² difference test cannot be computed (its scaling factor is negative, [@satorra2001]).",
                f"{name}的目标系数（[@marsh1985]，基于{dims}的题项）：T = {_f(target.target)}；校正 χ² 差异检验因校正因子"
                "为负而无法计算（[@satorra2001]）。")
        return self.L(
            f"Target coefficient of {name} ([@marsh1985]), on the items of {dims}: T = χ²(first-order, "
            f"{int(target.df_first_order)} df) / χ²(second-order, {int(target.df_second_order)} df) = "
            f"{_f(target.chisq_first_order, 2)} / {_f(target.chisq_second_order, 2)} = {_f(target.target)}; "
            f"Δχ²({int(test['df_diff'])}) = {_f(test['chisq_diff'], 2)}, {_p(test['pvalue'])}.",
            f"{name}的目标系数（[@marsh1985]，基于{dims}的题项）：T = χ²（一阶，df = {int(target.df_first_order)}）"
            f"/ χ²（二阶，df = {int(target.df_second_order)}）= {_f(target.chisq_first_order, 2)} / "
            f"{_f(target.chisq_second_order, 2)} = {_f(target.target)}；Δχ²({int(test['df_diff'])}) = "
            f"{_f(test['chisq_diff'], 2)}，{_p(test['pvalue'])}。")

    def _target_not_established(self, target) -> str:
        name = self.name(target.construct)
        return self.L(f"Target coefficient of {name} ([@marsh1985]): not computed, because the first-order or the "
                      "second-order model of its dimensions' items has no proper solution (not converged or a negative "
                      "variance).",
                      f"{name}的目标系数（[@marsh1985]）未计算：其维度题项的一阶或二阶模型没有合理解（未收敛或方差为负）。")

    def _links(self, construct: str) -> list[str]:
        """Constructs tied to a second-order construct in the hypothesized model other than through its
        dimensions: a free covariance with it or a path into it."""
        hyp = self.q.competing.models[0].spec
        out = [b if a == construct else a for a, b in hyp.latent_covariances() if construct in (a, b)]
        out += [a for a, b in hyp.paths if b == construct]
        return list(dict.fromkeys(out))

    def _not_nested_reason(self, m, short: bool = False) -> tuple[str, str]:
        """Why a model is not nested with the hypothesized one (the NET check says so; here in words)."""
        if m.name != "first_order" or m.nested is not False:
            return "", ""
        hyp = self.q.competing.models[0].spec
        seconds = list(hyp.second_order)
        links = {s: self._links(s) for s in seconds}
        if not any(links.values()):
            return (" (NET check: it does not reproduce the hypothesized model's covariance matrix, [@bentler2010])",
                    "（NET 检验：一阶维度模型不能再现假设模型的协方差矩阵，[@bentler2010]）")
        en, zh = [], []
        for sec, others in links.items():
            if not others:
                continue
            o_en = self.ctx.join([self.name(x) for x in others])
            s_name = self.name(sec)
            if short:
                en.append(f"{o_en} is tied to the dimensions of {s_name} only through {s_name}, which the first-order "
                          "model cannot reproduce")
                zh.append(f"假设模型中{o_en}只经由{s_name}与其各维度相关联，一阶维度模型无法再现这一约束")
                continue
            en.append(f"in the hypothesized model {o_en} is tied to the dimensions of {s_name} only through "
                      f"{s_name} itself, and so to the constructs that {s_name} predicts; the first-order model has "
                      "no common factor of the dimensions and cannot reproduce these covariances")
            zh.append(f"假设模型中{o_en}只经由{s_name}本身与其各维度相关联，并由此与{s_name}所预测的构念相关联；"
                      "一阶维度模型没有各维度的共同因子，无法再现这些协方差")
        if short:
            return (" (" + "; ".join(en) + "; NET check, [@bentler2010])",
                    "（" + "；".join(zh) + "；NET 检验，[@bentler2010]）")
        return (" (" + "; ".join(en) + " — NET check, [@bentler2010])",
                "（" + "；".join(zh) + "——NET 检验，[@bentler2010]）")

    def competing_text(self) -> list[str]:
        c = self.q.competing
        if c is None or len(c.models) < 2:
            return []
        hyp = c.models[0]
        out = []
        bits_en, bits_zh = [], []
        for m in c.models[1:]:
            name = self.model_name(m.name) + self._change(m)
            ref = self._ref(m.name) + self._change(m)  # inside the English sentence: "the one-factor model"
            if not m.fitted.proper:
                bits_en.append(f"{ref} has no proper solution and is not compared")
                bits_zh.append(f"{name}没有合理解，不作比较")
                continue
            if m.test is None and m.nested is None:
                bits_en.append(f"whether {ref} is nested with it could not be "
                               "established (the NET fit did not converge), so it is compared by AIC/BIC only")
                bits_zh.append(f"{name}与之是否嵌套未能确定（NET 检验的拟合未收敛），仅以 AIC/BIC 比较")
                continue
            if m.test is None:
                why_en, why_zh = self._not_nested_reason(m, short=True)
                bits_en.append(f"{ref} is not nested with it{why_en} and is compared by AIC/BIC only")
                bits_zh.append(f"{name}与之不嵌套{why_zh}，仅以 AIC/BIC 比较")
                continue
            if not math.isfinite(m.test["pvalue"]):  # no p-value is no verdict (a negative Satorra–Bentler ĉ_d)
                bits_en.append(f"the scaled χ² difference test against {ref} cannot be computed, its scaling factor "
                               "being negative ([@satorra2001]), so it is compared by AIC/BIC only")
                bits_zh.append(f"与{name}的校正 χ² 差异检验因校正因子为负而无法计算（[@satorra2001]），仅以 AIC/BIC 比较")
                continue
            worse = m.test["pvalue"] < 0.05
            more = m.restricted == m.name  # the alternative is the restricted one
            if more:
                verdict_en = "fits significantly worse" if worse else "does not fit significantly worse"
                verdict_zh = "拟合显著更差" if worse else "拟合并未显著变差"
            else:
                verdict_en = "fits significantly better" if worse else "does not fit significantly better"
                verdict_zh = "拟合显著更好" if worse else "拟合并未显著改善"
            stat = f"Δχ²({int(m.test['df_diff'])}) = {_f(m.test['chisq_diff'], 2)}, {_p(m.test['pvalue'])}"
            bits_en.append(f"{ref} {verdict_en} ({stat})")
            bits_zh.append(f"{name}{verdict_zh}（{stat.replace(', ', '，')}）")
        proper = [m for m in c.models if m.fitted.proper]
        best_aic = min(proper, key=lambda m: m.fit["aic"])
        best_bic = min(proper, key=lambda m: m.fit["bic"])
        if best_aic is best_bic:
            ic_en = f"{self._ref(best_aic.name).capitalize()} has the smallest AIC and BIC"
            ic_zh = f"{self.model_name(best_aic.name)}的 AIC 与 BIC 均最小"
        else:
            ic_en = (f"The smallest AIC is that of {self._ref(best_aic.name)}, the smallest BIC "
                     f"that of {self._ref(best_bic.name)}")
            ic_zh = f"AIC 最小的是{self.model_name(best_aic.name)}，BIC 最小的是{self.model_name(best_bic.name)}"
        cfi, rmsea = ("cfi.robust", "rmsea.robust") if c.estimator != "ML" else ("cfi", "rmsea")
        out.append(self.L(
            f"Against the hypothesized model (CFI = {_f(hyp.fit[cfi])}, RMSEA = {_f(hyp.fit[rmsea])}): "
            + "; ".join(bits_en) + f". {ic_en} ([@akaike1974; @schwarz1978])."
            + (" The hypothesized model is retained." if best_aic is hyp and best_bic is hyp else ""),
            f"与假设模型（CFI = {_f(hyp.fit[cfi])}，RMSEA = {_f(hyp.fit[rmsea])}）相比：" + "；".join(bits_zh)
            + f"。{ic_zh}（[@akaike1974; @schwarz1978]）"
            + ("，故保留假设模型。" if best_aic is hyp and best_bic is hyp else "。")))
        better = better_partial_model(self.q)
        if better is not None:
            out.append(self._preferred_text(hyp, better))
        for target in c.targets:
            if not target.proper:
                out.append(self._target_not_established(target))
                continue
            if target.test is None:
                continue
            if not math.isfinite(target.test["pvalue"]):  # no p-value is no verdict
                out.append(self.L(
                    f"The second-order structure of {self.name(target.construct)} has a target coefficient of "
                    f"{_f(target.target)}: it keeps {_pct(target.target)} of the first-order model's χ² "
                    "([@marsh1985]); whether it fits worse than the correlated dimensions is not judged, as the scaled "
                    "χ² difference test cannot be computed, its scaling factor being negative ([@satorra2001]).",
                    f"{self.name(target.construct)}二阶结构的目标系数为 {_f(target.target)}，即二阶模型保留了一阶模型 χ² 的 "
                    f"{_pct(target.target)}（[@marsh1985]）；由于校正 χ² 差异检验因校正因子为负而无法计算"
                    "（[@satorra2001]），无法判断其拟合是否比维度间自由相关的一阶模型更差。"))
                continue
            worse = target.test["pvalue"] < 0.05
            out.append(self.L(
                f"The second-order structure of {self.name(target.construct)} has a target coefficient of "
                f"{_f(target.target)}: it keeps {_pct(target.target)} of the first-order model's χ², and it "
                f"{'fits significantly worse' if worse else 'does not fit significantly worse'} than the correlated "
                f"dimensions in the measurement model of the dimensions' items, where the two are nested (Δχ²({int(target.test['df_diff'])}) = {_f(target.test['chisq_diff'], 2)}, "
                f"{_p(target.test['pvalue'])}; [@marsh1985])"
                + ("." if worse else ", so the second-order construct is a parsimonious account of its dimensions."),
                f"{self.name(target.construct)}二阶结构的目标系数为 {_f(target.target)}，即二阶模型保留了一阶模型 χ² 的 "
                f"{_pct(target.target)}；在仅含各维度题项的测量模型中（二者嵌套），与维度间自由相关的一阶模型相比拟合"
                f"{'显著更差' if worse else '并未显著变差'}"
                f"（Δχ²({int(target.test['df_diff'])}) = {_f(target.test['chisq_diff'], 2)}，{_p(target.test['pvalue'])}；"
                "[@marsh1985]）" + ("。" if worse else "，二阶构念是对其各维度更简约的概括。")))
        return out

    def _preferred_text(self, hyp, better) -> str:
        """The partial-mediation model fits better: which model each kind of hypothesis is read from, and whether
        the path hypotheses keep their sign and significance in it."""
        added = [p for p in better.spec.paths if p not in hyp.spec.paths]
        arrows_en = self.ctx.join([self.arrow(p) for p in added])
        arrows_zh = self.ctx.join([f"“{self.arrow(p)}”" for p in added])
        a = hyp.fitted.paths().set_index(["rhs", "lhs"])
        b = better.fitted.paths().set_index(["rhs", "lhs"])
        shared = [k for k in a.index if k in b.index]
        changed = [k for k in shared if (a.loc[k, "pvalue"] < 0.05) != (b.loc[k, "pvalue"] < 0.05)
                   or (a.loc[k, "est"] > 0) != (b.loc[k, "est"] > 0)]
        largest = max(shared, key=lambda k: abs(a.loc[k, "std_all"] - b.loc[k, "std_all"]), default=None)
        diff = abs(a.loc[largest, "std_all"] - b.loc[largest, "std_all"]) if largest is not None else 0.0
        if changed:
            what_en = ("; in the partial-mediation model these change sign or significance: "
                       + "; ".join(f"{self.arrow(k)} (β = {_f(b.loc[k, 'std_all'])}, {_p(b.loc[k, 'pvalue'])})"
                                   for k in changed) + ", so their support is conditional on the hypothesized model")
            what_zh = ("；在部分中介模型中以下路径的符号或显著性发生变化："
                       + "；".join(f"{self.arrow(k)}（β = {_f(b.loc[k, 'std_all'])}，{_p(b.loc[k, 'pvalue'])}）"
                                  for k in changed) + "，其结论取决于采用假设模型")
        else:
            where = (f", {self.arrow(largest)}: {_f(a.loc[largest, 'std_all'])} vs {_f(b.loc[largest, 'std_all'])}"
                     if largest is not None else "")
            where_zh = (f"，{self.arrow(largest)}：{_f(a.loc[largest, 'std_all'])} 对 {_f(b.loc[largest, 'std_all'])}"
                        if largest is not None else "")
            what_en = (f"; every shared path keeps its sign and significance in the partial-mediation model (largest "
                       f"difference in β {_f(diff)}{where})")
            what_zh = f"；各共同路径在部分中介模型中的符号与显著性均不变（β 的最大差异为 {_f(diff)}{where_zh}）"
        return self.L(
            f"The data therefore favour the partial-mediation model, with the direct path {arrows_en}. The mediation "
            "hypotheses are read from it: their types and their direct and indirect effects (see the mediation "
            "section) all come from this model. The path hypotheses are read from the hypothesized model, as "
            f"specified before the data were seen{what_en}.",
            f"因此数据更支持加入直接路径{arrows_zh}的部分中介模型。中介假设据此模型判断：其中介类型及直接效应、"
            f"间接效应（见中介效应检验）均来自该模型；路径假设仍依事先设定的假设模型判断{what_zh}。")

    # ------------------------------------------------------------------ AMOS-style tables
    def loadings_table(self) -> Table | None:
        table = self.q.loadings
        if table is None or table.empty:
            return None
        # in the study's order of constructs and items
        study = self.res.study
        rank = {c.code: i for i, c in enumerate(study.constructs)}
        item_rank = {i.code: k for k, i in enumerate(study.items)}
        table = table.assign(_c=table["construct"].map(rank), _i=table["indicator"].map(item_rank))
        table = table.sort_values(["_c", "_i"], kind="stable")
        body = []
        for construct, rows in table.groupby("construct", sort=False):
            k = len(rows)
            for j, (_, r) in enumerate(rows.iterrows()):
                row = [txt(self.name(construct), "label", rowspan=k)] if j == 0 else []
                marker = bool(r["marker"])
                row += [txt(r["indicator"]), num(r["est"]), txt("—") if marker else num(r["se"]),
                        txt("—") if marker else num(r["z"], 2), txt("—") if marker else pcell(r["pvalue"]),
                        num(r["std_all"]), num(r["smc"])]
                body.append(row)
        w = self.w
        note = self.L(
            "B: unstandardized loading; S.E., C.R. (= B / S.E.) and p as AMOS prints them; the first item of each "
            "construct is fixed at 1 (marker) and has no test; β: standardized loading; SMC: squared multiple "
            "correlation (R²) of the item. From the measurement model of the validity section.",
            "B 为非标准化载荷；S.E.、C.R.（= B / S.E.）与 p 同 AMOS 输出；各构念第一个题项的载荷固定为 1（参照题项），"
            "不作检验；β 为标准化载荷；SMC 为题项的多元相关平方（R²）。来自效度分析中的测量模型。")
        return Table("cfa_unstd", w["t_loadings"],
                     [hdr(w["construct"], w["item"], "B", "S.E.", "C.R.", "p", "β", "SMC")], body, notes=[note])

    def vif_table(self) -> Table | None:
        v, f2 = self.q.collinearity, self.q.effect_sizes
        if v is None or f2 is None:
            return None
        w = self.w
        vif = v.set_index(["construct", "predictor"])
        body = []
        for _, r in f2.iterrows():
            key = (r["to"], r["from"])
            body.append([txt(f"{self.name(r['from'])} → {self.name(r['to'])}", "label"),
                         num(vif.loc[key, "vif_latent"], 2, bad=vif.loc[key, "vif_latent"] >= 5),
                         num(vif.loc[key, "vif_scores"], 2, bad=vif.loc[key, "vif_scores"] >= 5),
                         num(r["r2_included"]), num(r["r2_excluded"]), num(r["f2"], suffix="ᵃ" if r["f2"] < 0 else ""),
                         txt(w["sizes"][r["size"]] if r["proper"] else "—")])
        note = self.L(
            "VIF of each predictor among the predictors of the same construct, from the latent correlations of the "
            "structural model and from the construct mean scores; VIF < 3.3 ([@kock2012]) or < 5 "
            "([@hair2019ebr]) indicates no collinearity problem. f² = (R² with − R² without the path) / (1 − R² with), R² "
            "without from the model refitted without the path; 0.02, 0.15 and 0.35 are small, medium and large "
            "effects ([@cohen1988]).",
            "VIF 为同一被解释构念的各预测变量之间的方差膨胀因子，分别基于结构模型的潜变量相关与构念均值得分；"
            "VIF < 3.3（[@kock2012]）或 < 5（[@hair2019ebr]）表示不存在共线性问题。f² =（含该路径 R² − "
            "去掉该路径 R²）/（1 − 含该路径 R²），后者由去掉该路径后重新估计的模型得到；0.02、0.15、0.35 分别为小、"
            "中、大效应（[@cohen1988]）。")
        notes = [note]
        negative = f2[f2["f2"] < 0]
        if not negative.empty:
            notes.append(self._negative_f2_note(negative))
        improper = [f"{self.name(r['from'])} → {self.name(r['to'])}" for _, r in f2.iterrows() if not r["proper"]]
        if improper:
            notes.append(self.L(
                f"f² not computed for {self.ctx.join(improper)}: the model refitted without the path has no proper "
                "solution (not converged or a negative variance), so its R² is not a finding.",
                f"{'、'.join(improper)}的 f² 未计算：去掉该路径后重新估计的模型没有合理解（未收敛或方差为负），"
                "其 R² 不能作为结论。"))
        return Table("vif_f2", w["t_vif"], [hdr(w["path"], w["vif_latent"], w["vif_scores"], w["r2_in"], w["r2_out"],
                                                 "f²", w["size"])], body, notes=notes)

    def _negative_f2_note(self, negative) -> str:
        paths = [f"{self.name(r['from'])} → {self.name(r['to'])}" for _, r in negative.iterrows()]
        r2 = [f"{_f(r['r2_included'])} / {_f(r['r2_excluded'])}" for _, r in negative.iterrows()]
        return self.L(
            f"ᵃ Negative f² ({'; '.join(f'{p}: R² with / without the path {x}' for p, x in zip(paths, r2))}): the model "
            "without the path is refitted as a whole, so its other estimates move and can explain slightly more of the "
            "outcome than the full model does. f² cannot be negative as a share of explained variance; the value is "
            "printed as computed and read as 0, a negligible effect.",
            f"ᵃ f² 为负（{'；'.join(f'{p}：含 / 去掉该路径 R² 为 {x}' for p, x in zip(paths, r2))}）：去掉该路径后整个模型"
            "重新估计，其他参数随之变化，可能比完整模型解释略多的结果变量方差。作为解释方差之比 f² 不可能为负，"
            "此处照实列出计算值，按 0 解读，即可忽略的效应。")

    def vif_text(self) -> list[str]:
        v, f2 = self.q.collinearity, self.q.effect_sizes
        if v is None or f2 is None or f2.empty:
            return []
        top = max(v["vif_latent"].max(), v["vif_scores"].max())
        ok = top < 3.3
        sizes_en = "; ".join(
            f"{self.name(r['from'])} → {self.name(r['to'])} "
            + (f"f² = {_f(r['f2'])} ({r['size']}" + ("; negative because the model without the path is refitted, "
                                                     "see the table note)" if r["f2"] < 0 else ")")
               if r["proper"] else "f² not computed (the model without the path has no proper solution)")
            for _, r in f2.iterrows())
        sizes_zh = "；".join(
            f"{self.name(r['from'])} → {self.name(r['to'])} "
            + (f"f² = {_f(r['f2'])}（{WORDS['zh']['sizes'][r['size']]}"
               + ("；为负值是因为去掉该路径后模型重新估计，见表注）" if r["f2"] < 0 else "）")
               if r["proper"] else "f² 未计算（去掉该路径后的模型没有合理解）")
            for _, r in f2.iterrows())
        return [self.L(
            f"The largest VIF among the predictors of a construct is {_f(top, 2)}, "
            + ("below 3.3: collinearity does not distort the paths ([@kock2012]). " if ok else
               "at or above 3.3: the paths of these predictors may be distorted by collinearity ([@kock2012]). ")
            + f"Effect sizes ([@cohen1988]): {sizes_en}.",
            f"同一构念的预测变量之间 VIF 最大为 {_f(top, 2)}，"
            + ("低于 3.3，共线性不会扭曲路径系数（[@kock2012]）。" if ok else
               "达到或超过 3.3，相关路径系数可能受共线性影响（[@kock2012]）。")
            + f"效应量（[@cohen1988]）：{sizes_zh}。")]


def add_sections(sec: dict, add, ctx, label_of) -> None:
    """Put the blocks into the report's sections: the AMOS loadings after the CFA table (validity), VIF and f²
    in the paths section, full or partial mediation in the mediation section, a section of competing models,
    and measurement invariance with latent means at the head of the group comparison."""
    if ctx.res.questions is None:
        return
    wr = _Writer(ctx, label_of)

    def insert_after(key: str, table_key: str, blocks: list) -> None:
        section = sec.get(key)
        blocks = [b for b in blocks if b is not None]
        if section is None or not blocks:
            return
        at = next((i + 1 for i, b in enumerate(section.blocks) if isinstance(b, Table) and b.key == table_key),
                  len(section.blocks))
        section.blocks[at:at] = blocks

    insert_after("validity", "cfa", [wr.loadings_table()])
    insert_after("paths", "r2", [*(Paragraph(x) for x in wr.vif_text()), wr.vif_table()])
    if wr.q.mediation and "mediation" in sec:
        sec["mediation"].blocks += [*(Paragraph(x) for x in wr.mediation_text()), wr.mediation_table()]
    table = wr.competing_table()
    if table is not None:
        add("alternatives", wr.w["s_alternatives"], [*(Paragraph(x) for x in wr.competing_text()), table])
    if wr.q.invariance and "groups" in sec:
        sec["groups"].blocks[0:0] = wr.invariance_blocks()


# --------------------------------------------------------------------------------------------- results.json

def _num(value):
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _records(frame: pd.DataFrame | None) -> list[dict] | None:
    if frame is None:
        return None
    return [{k: (v if isinstance(v, (str, bool)) or v is None else _num(v)) for k, v in row.items()}
            for row in frame.to_dict("records")]


def _effect(e) -> dict:
    b = e.bootstrap
    return {"est": _num(e.est), "std_all": _num(e.std_all), "se_delta": _num(e.se), "pvalue_delta": _num(e.pvalue),
            "boot_se": _num(b.boot_se) if b else None, "ci_lower": _num(b.ci_lower) if b else None,
            "ci_upper": _num(b.ci_upper) if b else None, "bc_lower": _num(b.bc_lower) if b else None,
            "bc_upper": _num(b.bc_upper) if b else None, "resamples": b.resamples if b else 0}


def _test(test: dict | None) -> dict | None:
    return None if test is None else {k: (v if isinstance(v, str) else _num(v)) for k, v in test.items()}


def results_json(res) -> dict:
    """The results.json keys of the examiner's analyses (see the README's results.json reference)."""
    q = res.questions
    if q is None:
        return {}
    out = {"model_questions": {"estimator": q.estimator, "n": q.n}}
    out["mediation_tests"] = [{
        "id": t.id, "path": list(t.chain), "model": t.model, "direct_in_hypothesized": t.direct_in_hypothesized,
        "chisq_diff": _num(t.chisq_diff), "df_diff": _num(t.df_diff), "pvalue": _num(t.pvalue), "method": t.method,
        "direct": _effect(t.direct), "indirect": _effect(t.indirect), "total_indirect": _effect(t.total_indirect),
        "total": _effect(t.total), "share": _num(t.share), "share_total_indirect": _num(t.share_total_indirect),
        "consistent": t.consistent, "mediation": t.mediation, "zhao_type": t.zhao_type,
        "specific_indirect": [{"path": list(e.chains[0]), **_effect(e)} for e in t.specific],
        "agreement": t.agreement, "proper": t.proper, "test_proper": t.test_proper}
        for t in q.mediation]
    if q.competing is not None:
        out["competing_models"] = {
            "estimator": q.competing.estimator,
            "models": [{"name": m.name, "syntax": m.spec.syntax(), "proper": m.fitted.proper,
                        "fit": {k: _num(m.fit.get(k)) for k in ("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr",
                                                                "aic", "bic", "npar", "chisq.scaled", "cfi.robust",
                                                                "tli.robust", "rmsea.robust") if k in m.fit},
                        "nested": m.nested, "nested_at_boundary": m.nested_at_boundary, "restricted": m.restricted,
                        "test": _test(m.test)}
                       for m in q.competing.models],
            "target_coefficients": [{"construct": t.construct, "dimensions": list(t.dimensions),
                                     "chisq_first_order": _num(t.chisq_first_order),
                                     "df_first_order": _num(t.df_first_order),
                                     "chisq_second_order": _num(t.chisq_second_order),
                                     "df_second_order": _num(t.df_second_order), "target": _num(t.target),
                                     "test": _test(t.test), "proper": t.proper} for t in q.competing.targets]}
    out["invariance"] = []
    for gi in q.invariance:
        r = gi.result
        out["invariance"].append({
            "column": gi.column, "groups": r.groups, "reference": r.reference, "n": r.n, "estimator": r.estimator,
            "criterion": r.criterion, "highest": r.highest,
            "levels": {level: {"group_partial": list(f.group_partial), "converged": f.converged,
                               "fit": {k: _num(v) for k, v in f.fit.items()}} for level, f in r.levels.items()},
            "tests": [{"level": t.level, "against": t.against, "chisq_diff": _num(t.chisq_diff),
                       "df_diff": _num(t.df_diff), "pvalue": _num(t.pvalue), "method": t.method,
                       "delta_cfi": _num(t.delta_cfi), "delta_rmsea": _num(t.delta_rmsea), "holds": t.holds,
                       "not_established": t.not_established}
                      for t in r.tests],
            "partial": [{"level": s.level, "name": s.name, "reason": s.reason, "X2": _num(s.X2),
                         "pvalue": _num(s.pvalue)} for s in r.partial],
            "score_tests": _records(r.score_tests),
            "latent_means": _records(r.latent_means)})
    out["cfa_estimates"] = _records(q.loadings)
    out["collinearity"] = _records(q.collinearity)
    out["effect_sizes"] = _records(q.effect_sizes)
    return out
