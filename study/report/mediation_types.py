"""The report's reading of the mediation tests (:mod:`study.model.mediation`): per model with the direct path
the effect decomposition (direct, every specific indirect, total indirect and total effect, which add up), the
type of mediation in Zhao, Lynch & Chen's (2010) terms — indirect-only rather than "full" mediation inferred
from a non-significant direct effect — the share mediated only for partial (complementary) mediation, and
which model the mediation hypotheses are read from when the data favour the partial-mediation model.

:class:`MediationWriter` is a part of the examiner's-questions writer (:mod:`.model_questions`);
:func:`better_partial_model` and :func:`preferred_support` are shared with the narrative, the conclusions and
the hypothesis summary, so that every section reads a mediation hypothesis from the same model.
"""

from __future__ import annotations

import math

from .document import Table
from .tables import ci_text, hdr, num, pcell, txt
from .text import fmt


def _f(x, digits=3) -> str:
    return fmt(x, digits)


def _p(p) -> str:
    """'*p* < 0.001' / '*p* = 0.023' (the house form: leading zero, italic symbol)."""
    if p is None or not math.isfinite(p):
        return "*p* = —"
    return "*p* < 0.001" if p < 0.001 else f"*p* = {p:.3f}"


def _pct(x) -> str:
    return f"{100 * x:.1f}%"


def _borderline(e) -> bool:
    """The percentile and bias-corrected bootstrap intervals of an effect disagree on whether it excludes 0."""
    b = e.bootstrap
    if b is None or not all(math.isfinite(v) for v in (b.ci_lower, b.ci_upper, b.bc_lower, b.bc_upper)):
        return False
    return (b.ci_lower > 0 or b.ci_upper < 0) != (b.bc_lower > 0 or b.bc_upper < 0)


def better_partial_model(q):
    """The partial-mediation model when the data favour it over the hypothesized model — nested χ²
    difference test *p* < 0.05 and smaller AIC and BIC — else None. The mediation hypotheses are then read
    from it (they are judged in the model with the direct path anyway), and the report says so."""
    c = getattr(q, "competing", None) if q is not None else None
    if c is None or not c.models:
        return None
    hyp = c.models[0]
    for m in c.models[1:]:
        if (m.name == "partial_mediation" and m.fitted.proper and m.test is not None and m.test["pvalue"] < 0.05
                and m.fit["aic"] < hyp.fit["aic"] and m.fit["bic"] < hyp.fit["bic"]):
            return m
    return None


def preferred_support(res, chain) -> bool | None:
    """Whether a mediation hypothesis is supported in the partial-mediation model when the data favour that
    model (:func:`better_partial_model`): its indirect effect's interval there excludes 0. None when the
    hypothesized model decides (the data do not favour the partial-mediation model, or the chain was not
    tested in it)."""
    q = getattr(res, "questions", None)
    if better_partial_model(q) is None:
        return None
    t = next((x for x in q.mediation if x.chain == tuple(chain) and x.proper and not x.direct_in_hypothesized), None)
    return None if t is None else t.indirect.significant


class MediationWriter:
    """The mediation blocks of :class:`study.report.model_questions._Writer` (which provides ``q``, ``w``,
    ``zh``, ``ctx``, ``res``, ``L``, ``name``, ``arrow`` and ``model_of``)."""

    def groups(self) -> list[list]:
        """The mediation tests by model and pair X, Y (hypotheses sharing them share one decomposition)."""
        out: dict[tuple, list] = {}
        for t in self.q.mediation:
            out.setdefault((t.model, t.x, t.y), []).append(t)
        return list(out.values())

    @property
    def colon(self) -> str:
        """Between an effect's kind and its path in a table cell."""
        return "：" if self.zh else ": "

    def _effect_row(self, ids: str, what: str, e, boot: bool, kind: str = "") -> list:
        row = [txt(ids, "label"), txt(what), num(e.est), num(e.std_all)]
        if boot:
            b = e.bootstrap
            row += [num(b.boot_se) if b else txt("—"), ci_text(b.ci_lower, b.ci_upper) if b else txt("—"),
                    ci_text(b.bc_lower, b.bc_upper) if b else txt("—")]
        else:
            row += [num(e.se), pcell(e.pvalue)]
        return row + [txt(kind)]

    def mediation_table(self) -> Table | None:
        """The effect decomposition of each pair X, Y in the model with the direct path: the direct effect,
        every specific indirect effect (the hypotheses' chains marked), the total indirect and the total
        effect, so that total = direct + Σ specific indirect effects can be checked from the table."""
        tests = self.q.mediation
        if not tests:
            return None
        w = self.w
        boot = any(t.direct.bootstrap is not None for t in tests)
        head = [hdr(w["hypothesis"], w["effect"], "B", "β", *([w["se_boot"], w["perc"], w["bc"]] if boot else
                                                                  ["S.E.", "p"]), w["type"])]
        width = len(head[0])
        body = []
        for group in self.groups():
            t0 = group[0]
            if not t0.proper:  # not a finding: no numbers
                ids = self.ctx.join([t.id or "→".join(t.chain) for t in group])
                body.append([txt(ids, "label"), txt(self.L(
                    "the model with the direct path has no proper solution: not interpreted",
                    "含直接路径的模型没有合理解，不予解释")), *([txt("")] * (width - 2))])
                continue
            body.append([txt(self.L("Model: ", "模型：") + self.model_of(t0), "label", colspan=width)])
            body.append(self._effect_row("", f"{w['direct']}{self.colon}{self.arrow((t0.x, t0.y))}", t0.direct, boot))
            specific = t0.specific or (t0.indirect,)
            for e in specific:
                mine = [t for t in group if t.chain == e.chains[0]]
                ids = self.ctx.join([t.id for t in mine if t.id])
                kinds = "；".join(w["types"][t.mediation] for t in mine) if self.zh else \
                    "; ".join(w["types"][t.mediation] for t in mine)
                if kinds and _borderline(e):  # the bias-corrected interval disagrees with the percentile one on 0
                    kinds += "（临界）" if self.zh else " (borderline)"
                body.append(self._effect_row(ids, f"{w['indirect']}{self.colon}{self.arrow(e.chains[0])}", e, boot, kinds))
            if len(specific) > 1:
                body.append(self._effect_row("", w["total_indirect"], t0.total_indirect, boot))
            body.append(self._effect_row("", f"{w['total']}{self.colon}{self.arrow((t0.x, t0.y))}", t0.total, boot))
            for t in group:
                if t.mediation == "partial" and math.isfinite(t.share):
                    body.append([txt(t.id or "", "label"), txt(w["share"]), txt(_pct(t.share)),
                                 *([txt("")] * (width - 3))])
        resamples = next((t.direct.bootstrap.resamples for t in tests if t.direct.bootstrap), 0)
        notes = [self.L(
            "B: unstandardized, β: standardized effect. Every effect comes from the model with the direct path "
            "(the hypothesized model where it has the path, else the hypothesized model with the path added, a nested "
            "model). Total effect = direct effect + the sum of the specific indirect effects listed (total indirect "
            f"effect). Bootstrap: {resamples} resamples (seed {self.res.seed}); bias-corrected intervals as lavaan's "
            "bca.simple ([@efron1993]). An effect is significant when its percentile interval excludes 0. "
            "Type of mediation after [@!zhao2010]: indirect-only mediation = the indirect effect is significant and "
            "the direct effect is not (the conventional \"full mediation\", [@wen2014]; a non-significant direct "
            "effect is not evidence that it is zero). Share mediated = indirect / total effect, given only for "
            "partial (complementary) mediation, when the direct and indirect effects are both significant and of "
            "the same sign ([@mackinnon2007]).",
            f"B 为非标准化效应，β 为标准化效应。所有效应均来自含直接路径的模型（假设模型本身已含该路径时即为假设模型，"
            f"否则为在假设模型中加入该直接路径的嵌套模型）。总效应 = 直接效应 + 表中所列各特定间接效应之和（总间接效应）。"
            f"Bootstrap 重抽样 {resamples} 次（种子 {self.res.seed}）；偏差校正区间与 lavaan 的 bca.simple 相同"
            "（[@efron1993]）。百分位置信区间不含 0 时效应显著。中介类型依 [@!zhao2010]：间接效应显著而直接效应"
            "不显著为“仅间接效应的中介”（传统上称“完全中介”，[@wen2014]；但直接效应不显著并不证明其为 0）。"
            "中介效应占比 = 间接效应 / 总效应，仅在部分中介（互补型，直接效应与间接效应均显著且同号）时报告"
            "（[@mackinnon2007]）。")]
        if not boot:
            notes = [self.L("No bootstrap was run: effects are tested by the delta method (z test).",
                            "未进行 Bootstrap：效应以 Delta 法（z 检验）检验。")] + notes
        return Table("mediation_type", w["t_med"], head, body, notes=notes)

    def type_phrase(self, t) -> str:
        """The mediation type in words, after Zhao, Lynch & Chen (2010), with its reason."""
        share_en = share_zh = ""
        if t.mediation == "partial":
            if math.isfinite(t.share):
                share_en = f"; the indirect effect is {_pct(t.share)} of the total effect ({_f(t.total.est)})"
                share_zh = f"；间接效应占总效应（{_f(t.total.est)}）的 {_pct(t.share)}"
            else:
                share_en = ("; another indirect effect from the same cause has the opposite sign, so no share "
                            "mediated is given ([@mackinnon2007])")
                share_zh = "；同一自变量的其他间接效应符号相反，不报告中介效应占比（[@mackinnon2007]）"
        en = {
            "full": "the indirect effect is significant and the direct effect is not: indirect-only mediation after "
                    "[@!zhao2010] (conventionally called full mediation, [@wen2014]; a non-significant direct effect "
                    "is not evidence that it is zero)",
            "partial": "both are significant and of the same sign: partial (complementary) mediation "
                       "([@zhao2010; @wen2014])",
            "competitive": "both are significant, with opposite signs: competitive mediation, a suppression effect "
                           "([@zhao2010; @wen2014]); the share mediated is not a proportion here and is not given "
                           "([@mackinnon2007])",
            "direct-only": "only the direct effect is significant: no mediation (direct-only, [@zhao2010])",
            "none": "neither is significant: no effect through this chain (no-effect non-mediation, [@zhao2010])",
        }
        zh = {
            "full": "间接效应显著而直接效应不显著，属于仅间接效应的中介（[@zhao2010]；传统上称“完全中介”，[@wen2014]，"
                    "但直接效应不显著并不证明其为 0）",
            "partial": "两者均显著且同号，属于部分中介（互补型）（[@zhao2010; @wen2014]）",
            "competitive": "两者均显著且符号相反，属于竞争型中介（遮掩效应）（[@zhao2010; @wen2014]），此时中介效应占比"
                           "不是比例，不予报告（[@mackinnon2007]）",
            "direct-only": "仅直接效应显著，不存在中介（仅直接效应，[@zhao2010]）",
            "none": "两者均不显著，该链条上不存在效应（[@zhao2010]）",
        }
        if t.mediation == "full" and getattr(self, "_explained", False):  # the first one says why, the others name it
            en["full"] = "the indirect effect is significant and the direct effect is not: indirect-only mediation"
            zh["full"] = "间接效应显著而直接效应不显著，属于仅间接效应的中介"
        return self.L(en[t.mediation] + share_en, zh[t.mediation] + share_zh)

    def mediation_text(self) -> list[str]:
        """Per model with a direct path: the Δχ² test and the direct effect once, then each hypothesis's indirect
        effect with its type — every number of a hypothesis from that one model."""
        out = []
        self._explained = False

        def interval(e):
            b = e.bootstrap
            if b is None:
                return f"SE = {_f(e.se)}, {_p(e.pvalue)}"
            return f"95% CI [{_f(b.ci_lower)}, {_f(b.ci_upper)}]"

        for group in self.groups():
            t = group[0]
            named = [x.id for x in group if x.id]
            ids = "、".join(named) if self.zh else self.ctx.join(named)
            label = (f"{ids}：" if self.zh else f"{ids}: ") if ids else ""
            if not t.proper:
                out.append(self.L(f"{label}{self.model_of(t)} has no proper solution, so the type of mediation is "
                                  "not judged.",
                                  f"{label}{self.model_of(t)}没有合理解，因此不判断中介类型。"))
                continue
            d = t.direct
            better = t.pvalue < 0.05
            if not t.test_proper:  # the model without the direct path is improper: no test
                test_en = ("the model without the direct path has no proper solution, so there is no χ² difference "
                           "test")
                test_zh = "去掉直接路径的模型没有合理解，因此不作 χ² 差异检验"
            elif not math.isfinite(t.pvalue):  # no p-value is no verdict (a negative Satorra–Bentler ĉ_d)
                test_en = ("whether dropping the direct path worsens the fit is not judged: the scaled χ² difference "
                           "test cannot be computed, its scaling factor being negative, [@satorra2001]")
                test_zh = "去掉直接路径是否使拟合变差无法判断：校正 χ² 差异检验因校正因子为负而无法计算，[@satorra2001]"
            else:
                test_en = (f"Δχ²({int(t.df_diff)}) = {_f(t.chisq_diff, 2)}, {_p(t.pvalue)}: "
                           + ("the model with the direct path fits better" if better else
                              "dropping the direct path does not make the fit significantly worse"))
                test_zh = (f"Δχ²({int(t.df_diff)}) = {_f(t.chisq_diff, 2)}，{_p(t.pvalue)}："
                           + ("含直接路径的模型拟合显著更好" if better else "去掉直接路径并不使拟合显著变差"))
            sig_en = "significant" if d.significant else "not significant"
            sig_zh = "显著" if d.significant else "不显著"
            agree_en = agree_zh = ""
            if t.agreement is False and better:
                agree_en = (" The χ² difference test finds the direct path significant while its bootstrap interval "
                            "includes 0: the evidence on the direct effect is mixed, so partial mediation cannot be "
                            "ruled out; the types below follow the interval.")
                agree_zh = ("χ² 差异检验表明直接路径显著，而其 Bootstrap 区间包含 0：关于直接效应的证据并不一致，"
                            "不能排除部分中介；下文的中介类型以区间为准。")
            elif t.agreement is False:
                agree_en = (" The χ² difference test does not find the direct path significant while its bootstrap "
                            "interval excludes 0; the types below follow the interval.")
                agree_zh = "χ² 差异检验未发现直接路径显著，而其 Bootstrap 区间不含 0；下文的中介类型以区间为准。"
            parts_en, parts_zh = [], []
            for x in group:
                i = x.indirect
                kind = self.L(*self._type_pair(x))
                head_en = f"{x.id}: t" if x.id and len(group) > 1 else "T"
                head_zh = f"{x.id}：" if x.id and len(group) > 1 else ""
                parts_en.append(f"{head_en}he indirect effect along {self.arrow(x.chain)} is B = {_f(i.est)} "
                                f"(β = {_f(i.std_all)}, {interval(i)}); {kind}.")
                parts_zh.append(f"{head_zh}经“{self.arrow(x.chain)}”的间接效应 B = {_f(i.est)}（β = {_f(i.std_all)}，"
                                f"{interval(i)}），{kind}。")
            out.append(self.L(
                f"{label}in {self.model_of(t)} ({test_en}), the direct effect of {self.name(t.x)} on {self.name(t.y)} "
                f"is B = {_f(d.est)} (β = {_f(d.std_all)}, {interval(d)}), {sig_en}.{agree_en} " + " ".join(parts_en),
                f"{label}在{self.model_of(t)}中（{test_zh}），{self.name(t.x)}对{self.name(t.y)}的直接效应 "
                f"B = {_f(d.est)}（β = {_f(d.std_all)}，{interval(d)}），{sig_zh}。{agree_zh}" + "".join(parts_zh)))
        return out

    def _type_pair(self, t) -> tuple[str, str]:
        """The type phrase in both languages (the one of this writer is used); the first indirect-only type of the
        section carries the explanation, the later ones only the name."""
        en_zh = []
        for lang in ("en", "zh"):
            keep, self.zh = self.zh, lang == "zh"
            try:
                en_zh.append(self.type_phrase(t))
            finally:
                self.zh = keep
        self._explained = self._explained or t.mediation == "full"
        if _borderline(t.indirect):  # as the decomposition table marks it
            b = t.indirect.bootstrap
            bc = f"[{_f(b.bc_lower)}, {_f(b.bc_upper)}]"
            en_zh[0] += f" (borderline: the bias-corrected interval {bc} {'excludes' if b.bc_lower > 0 or b.bc_upper < 0 else 'includes'} 0)"
            en_zh[1] += f"（临界：偏差校正置信区间 {bc} {'不含' if b.bc_lower > 0 or b.bc_upper < 0 else '包含'} 0）"
        return en_zh[0], en_zh[1]
