"""Report sections "回归分析", "调节效应检验" and "有调节的中介效应" (regression, moderation, moderated
mediation on construct scores), the simple-slopes figure, and the hypothesis summary table.

Every sentence is derived from a number and a rule; the direction of a moderation ("W weakens the effect
of X on Y") is stated only when the interaction is significant. Wording is associational (the data are
cross-sectional). The section builders return document blocks (:mod:`.document`); :func:`build_document`
places them.
"""

from __future__ import annotations

import math

from ..analyses.regression import INTERCEPT
from ..messages import in_language
from .document import Cell, Figure, Paragraph, Table
from .figures import Canvas, _nice_step, text_width
from .mediation_types import preferred_support
from .reduced_models import ReducedModels
from .narrative import Context, f2, f3, pct, pv
from .analyses_text import READING, TEXT
from .tables import ci_text, hdr, num, pcell, txt
from ..messages import counted

VIF_MAX = 5.0  # Hair, Black, Babin & Anderson (2019)
# sample size from which the report relies on the OLS tests' robustness to non-normal residuals (central limit
# theorem; Lumley et al., 2002, show the large-sample tests adequate at a few hundred observations even for
# strongly skewed data); a convention, stated as such by the citation in the text
LARGE_N = 100

class AnalysesSections(ReducedModels):
    """Builds the three sections' blocks for one result set, language and audience."""

    def __init__(self, ctx: Context, label_of, audience: str = "thesis"):
        self.c, self.res, self.lang, self.audience = ctx, ctx.res, ctx.lang, audience
        self.t = TEXT[ctx.lang]
        self.label_of = label_of
        self.study = ctx.res.study

    # ------------------------------------------------------------------ names
    def var(self, code: str) -> str:
        """A construct's name, a background question's short name, or an item's code."""
        kind = self.study.variable_kind(code)
        if kind == "construct":
            return self.c.name(code)
        if kind == "background":
            return self.label_of(code)
        return code

    def term(self, column: str, x: str | None = None) -> str:
        """A design column as a reader knows it: constructs by name, dummies as question: level (ref.),
        products as X × W."""
        if ":" in column:
            left, right = column.split(":", 1)
            return f"{self.term(left)} × {self.term(right)}"
        if column.endswith("]") and "[" in column:
            question, level = column[:-1].split("[", 1)
            ref = next((c.reference for c in self.res.controls if c.question == question), None)
            if ref is None:
                ref = next((m.result.reference for m in [*self.res.moderation, *self.res.moderated_mediation]
                            if m.w == question and m.result.categorical), None)
            return self.t["dummy"].format(question=self.label_of(question), level=self.label_of(question, level),
                                          reference=self.label_of(question, ref) if ref is not None else "—")
        return self.var(column)

    def _read(self, table: Table, key: str) -> Table:
        if self.audience == "class" and key in READING:
            table.reading, table.formula = READING[key][self.lang]
        return table

    def L(self, en: str, zh: str) -> str:
        return zh if self.lang == "zh" else en

    # ------------------------------------------------------------------ regression
    def regression(self) -> list:
        res = self.res
        if not res.regression:
            return []
        blocks: list = [Paragraph(self._regression_intro())]
        for a in res.regression:
            blocks.append(Paragraph(self._regression_sentence(a)))
        for a in res.regression:
            if a.controls:
                blocks.append(self._read(self._hierarchy_table(a), "regression"))
        blocks.append(self._read(self._coefficients_table(), "regression"))
        hc3 = self._hc3_table()
        if hc3 is not None:
            blocks.append(self._read(hc3, "regression_hc3"))
        return blocks

    def _controls_phrase(self) -> str:
        parts = []
        for c in self.res.controls:
            if c.categorical:
                parts.append(self.L(f"{self.label_of(c.question)} (dummy-coded, reference: "
                                    f"{self.label_of(c.question, c.reference)})",
                                    f"{self.label_of(c.question)}（虚拟编码，参照组：{self.label_of(c.question, c.reference)}）"))
            else:
                parts.append(self.label_of(c.question))
        return self.c.join(parts)

    def _regression_intro(self) -> str:
        n = self.res.regression[0].model.n
        controls = self._controls_phrase()
        if self.res.sem is not None and not self.res.sem_proper:
            # no hypothesis is tested in this chapter (the model section says why): the regressions describe
            weak = [k for k, v in self.res.measurement.constructs.items() if not v.second_order and v.alpha < 0.70]
            pls = self.res.pls is not None and self.res.pls.converged and self.res.pls.resamples > 0
            return self.L(
                ("The covariance-based structural model has no proper solution (the hypotheses are tested by PLS-SEM "
                 "below); " if pls else "The structural model has no proper solution, so it tests no hypothesis; ")
                + "the regressions below only "
                "describe how the construct scores go together: each endogenous construct's score regressed on the "
                f"scores of its hypothesised predictors (item means, as in the correlation table; *n* = {n})"
                + (f", with {controls} entered first as control variables" if controls else "") + "."
                + (f" The scores of {self.c.join([self.c.name(k) for k in weak])} have α below 0.70: their measurement "
                   "error weakens the associations." if weak else "")
                + " These regressions cannot stand in for the model that could not be estimated.",
                ("协方差结构模型没有合理解（研究假设由下文的 PLS-SEM 检验）；" if pls else "结构模型没有合理解，不检验任何假设；")
                + "以下回归只描述构念得分之间的关联：以内生构念得分为因变量、以其假设前因的"
                f"得分为自变量（得分为题项均值，与相关分析相同；*n* = {n}）" + (f"，并先纳入{controls}作为控制变量" if controls else "")
                + "。" + (f"{self.c.join([self.c.name(k) for k in weak])}的 α 低于 0.70，其测量误差会削弱相关。" if weak else "")
                + "这些回归不能代替未能估计的结构模型。")
        return self.L(
            "Besides the structural model, each hypothesis was also tested by ordinary least-squares regression of "
            "the endogenous construct's score on the scores of its hypothesised predictors (scores are item means, as "
            f"in the correlation table; *n* = {n})"
            + (f", with {controls} entered first as control variables" if controls else "") + ".",
            "除结构方程模型外，本研究还以普通最小二乘回归检验各假设：以内生构念得分为因变量、以其假设前因的得分为自变量"
            f"（得分为题项均值，与相关分析相同；*n* = {n}）" + (f"，并先纳入{controls}作为控制变量" if controls else "") + "。")

    def _regression_sentence(self, a) -> str:
        m, c = a.model, self.c
        coef = m.coefficients
        parts = []
        for p in a.predictors:
            row = coef.loc[p]
            parts.append(f"{c.name(p)}（β = {f3(row['beta'])}，*t* = {f2(row['t'])}，{pv(row['p'])}）" if self.lang == "zh"
                         else f"{c.name(p)} (β = {f3(row['beta'])}, *t* = {f2(row['t'])}, {pv(row['p'])})")
        sig = [p for p in a.predictors if coef.loc[p, "p"] < 0.05]
        vif = coef["vif"].iloc[1:].max()
        change = a.hierarchy.changes.iloc[-1]
        added = ""
        if a.controls:
            added = self.L(f" The predictors add ΔR² = {f3(change['r2_change'])} to the controls (ΔF({int(change['df1'])}, "
                           f"{int(change['df2'])}) = {f2(change['f_change'])}, {pv(change['p_change'])}).",
                           f"在控制变量基础上，自变量使 R² 增加 {f3(change['r2_change'])}（ΔF({int(change['df1'])}, "
                           f"{int(change['df2'])}) = {f2(change['f_change'])}，{pv(change['p_change'])}）。")
        collinear = vif >= VIF_MAX
        dw_ok = 1 <= m.durbin_watson <= 3
        text = self.L(
            f"{c.name(a.dependent)}: R² = {f3(m.r2)}, adjusted R² = {f3(m.adj_r2)}, *F*({m.df_model}, {m.df_resid}) = "
            f"{f2(m.f)}, {pv(m.f_pvalue)}; " + "; ".join(parts) + ". "
            + (f"{c.join([c.name(p) for p in sig])} {'is' if len(sig) == 1 else 'are'} significantly associated with "
               f"{c.name(a.dependent)}." if sig else f"No predictor is significantly associated with {c.name(a.dependent)}.")
            + added
            + f" The largest VIF is {f2(vif)}" + (" (below 5: no collinearity problem)" if not collinear
                                                  else " (5 or more: the predictors overlap too much to separate their effects)")
            + f"; Durbin–Watson = {f2(m.durbin_watson)}" + (" (no evidence of serial correlation in file order)." if dw_ok
                                                            else " (a sign of serial correlation in file order)."),
            f"{c.name(a.dependent)}：R² = {f3(m.r2)}，调整后 R² = {f3(m.adj_r2)}，*F*({m.df_model}, {m.df_resid}) = {f2(m.f)}，"
            f"{pv(m.f_pvalue)}。" + "；".join(parts) + "。"
            + (f"{c.join([c.name(p) for p in sig])}与{c.name(a.dependent)}显著相关。" if sig
               else f"没有自变量与{c.name(a.dependent)}显著相关。") + added
            + f"最大 VIF 为 {f2(vif)}" + ("（小于 5，不存在多重共线性问题）" if not collinear else "（不小于 5，自变量重叠过多，难以区分各自的作用）")
            + f"，D–W 值为 {f2(m.durbin_watson)}" + ("（按数据文件顺序，残差无明显的序列相关）。" if dw_ok
                                                    else "（按数据文件顺序，残差可能存在序列相关）。"))
        return text + self._residual_sentence(a)

    def _residual_sentence(self, a) -> str:
        """Normality and constant variance of the residuals, each with its own remedy: with a large sample the
        OLS tests do not need normal residuals (central limit theorem; Lumley et al., 2002); heteroscedasticity
        is met by HC3 standard errors (Long & Ervin, 2000)."""
        m = a.model
        sw = self.L(f"Shapiro–Wilk *W* = {f3(m.shapiro_w)}, {pv(m.shapiro_p)}", f"Shapiro–Wilk *W* = {f3(m.shapiro_w)}，{pv(m.shapiro_p)}")
        bp = self.L(f"Breusch–Pagan χ²({m.bp_df}) = {f2(m.bp_lm)}, {pv(m.bp_p)}", f"Breusch–Pagan χ²({m.bp_df}) = {f2(m.bp_lm)}，{pv(m.bp_p)}")
        if not m.non_normal and not m.heteroscedastic:
            return self.L(f" The residuals pass the checks of normality ({sw}) and constant variance ({bp}).",
                          f"残差通过了正态性检验（{sw}）和同方差检验（{bp}）。")
        out = []
        if m.non_normal:
            large = m.n >= LARGE_N
            out.append(self.L(
                f" The residuals are not normal ({sw}); "
                + (f"with *n* = {m.n} the *t* and *F* tests of OLS do not depend on normal residuals ([@lumley2002])."
                   if large else f"with only *n* = {m.n} the *t* and *F* tests depend on normal residuals, so their "
                   "*p*-values are approximate."),
                f"残差未通过正态性检验（{sw}）；"
                + (f"样本量为 *n* = {m.n}，最小二乘的 *t* 检验与 *F* 检验对残差非正态是稳健的（[@lumley2002]）。"
                   if large else f"样本量仅为 *n* = {m.n}，*t* 检验与 *F* 检验依赖残差正态，其 *p* 值只是近似值。")))
        if m.heteroscedastic:
            changed = [p for p in a.predictors if (m.coefficients.loc[p, "p"] < 0.05) != (m.hc3.loc[p, "p"] < 0.05)]
            verdict = (self.L("every predictor keeps its significance", "各自变量的显著性不变") if not changed else
                       self.L(f"the significance of {self.c.join([self.c.name(p) for p in changed])} changes, so the HC3 "
                              "results are the ones reported",
                              f"{self.c.join([self.c.name(p) for p in changed])}的显著性发生变化，故以 HC3 结果为准"))
            out.append(self.L(f" The residual variance is not constant ({bp}); with heteroscedasticity-consistent (HC3) "
                              f"standard errors {verdict} ([@long2000]).",
                              f"残差未通过同方差检验（{bp}），故另报告异方差稳健（HC3）标准误：{verdict}（[@long2000]）。"))
        else:
            out.append(self.L(f" The Breusch–Pagan test does not reject constant residual variance ({bp}).",
                              f"Breusch–Pagan 检验未拒绝残差同方差的假设（{bp}）。"))
        return "".join(out)

    def _steps(self, hierarchy, column: str, symbol: str) -> tuple[list, list]:
        """Head and coefficient rows of a table of hierarchical models (Model 1, 2, …): ``column`` (B or beta,
        headed ``symbol``) with significance stars, and t, per term as it enters."""
        t, models = self.t, hierarchy.models
        head = [[txt(t["variable"], "label", rowspan=2)] + [txt(t["model"].format(k=k + 1), "label", colspan=2)
                                                             for k in range(len(models))],
                [*[c for _ in models for c in (txt(symbol, "label"), txt("t", "label"))]]]
        body = []
        for term in [x for s in hierarchy.steps for x in s]:
            row = [txt(self.term(term), "label")]
            for m in models:
                if term in m.coefficients.index:
                    cr = m.coefficients.loc[term]
                    row += [num(cr[column], p=cr["p"]), num(cr["t"], 2)]
                else:
                    row += [txt(""), txt("")]
            body.append(row)
        return head, body

    def _hierarchy_table(self, a) -> Table:
        t = self.t
        models = a.hierarchy.models
        head, body = self._steps(a.hierarchy, "beta", "β")
        changes = a.hierarchy.changes
        for label, key, digits in ((t["r2"], "r2", 3), (t["adj_r2"], "adj_r2", 3), (t["d_r2"], "r2_change", 3)):
            body.append([txt(label, "label")] + [c for _, ch in changes.iterrows()
                                                 for c in (num(ch[key], digits), txt(""))])
        body.append([txt(t["f"], "label")] + [c for m in models for c in (num(m.f, 2, p=m.f_pvalue), txt(""))])
        body.append([txt(t["d_f"], "label")] + [c for _, ch in changes.iterrows()
                                                for c in (num(ch["f_change"], 2, p=ch["p_change"]), txt(""))])
        return Table("regression", t["t_hier"].format(y=self.c.name(a.dependent)), head, body, notes=[t["hier_note"]])

    def _coefficients_table(self) -> Table:
        t = self.t
        head = [hdr(t["dependent"], t["predictor"], "B", "S.E.", "β", "t", "p", t["ci"], t["vif"], t["tol"])]
        body = []
        for a in self.res.regression:
            m = a.model
            terms = [INTERCEPT, *m.terms]
            first = True
            for term in terms:
                r = m.coefficients.loc[term]
                row = [txt(self.c.name(a.dependent), "label", rowspan=len(terms) + 1)] if first else []
                first = False
                row += [txt(t["intercept"] if term == INTERCEPT else self.term(term)), num(r["B"]), num(r["SE"]),
                        txt("—") if term == INTERCEPT else num(r["beta"], p=r["p"]), num(r["t"], 2), pcell(r["p"]),
                        ci_text(r["ci_lower"], r["ci_upper"]),
                        txt("—") if term == INTERCEPT else num(r["vif"], bad=r["vif"] >= VIF_MAX),
                        txt("—") if term == INTERCEPT else num(r["tolerance"], bad=r["tolerance"] <= 1 / VIF_MAX)]
                body.append(row)
            summary = self.L(f"R² = {f3(m.r2)}, adjusted R² = {f3(m.adj_r2)}, *F*({m.df_model}, {m.df_resid}) = {f2(m.f)}, "
                             f"{pv(m.f_pvalue)}, Durbin–Watson = {f2(m.durbin_watson)}, *n* = {m.n}",
                             f"R² = {f3(m.r2)}，调整后 R² = {f3(m.adj_r2)}，*F*({m.df_model}, {m.df_resid}) = {f2(m.f)}，"
                             f"{pv(m.f_pvalue)}，D–W = {f2(m.durbin_watson)}，*n* = {m.n}")
            body.append([txt(summary, colspan=9)])
        return Table("regression", t["t_coef"], head, body, notes=[t["coef_note"]])

    def _hc3_table(self) -> Table | None:
        t = self.t
        flagged = [a for a in self.res.regression if a.model.heteroscedastic]  # HC3 answers heteroscedasticity only
        if not flagged:
            return None
        head = [hdr(t["dependent"], t["predictor"], "B", t["hc3_se"], "t", "p", t["ci"])]
        body = []
        for a in flagged:
            m = a.model
            for j, term in enumerate(m.terms):
                r, h = m.coefficients.loc[term], m.hc3.loc[term]
                row = [txt(self.c.name(a.dependent), "label", rowspan=len(m.terms))] if j == 0 else []
                row += [txt(self.term(term)), num(r["B"], p=h["p"]), num(h["SE"]), num(h["t"], 2), pcell(h["p"]),
                        ci_text(h["ci_lower"], h["ci_upper"])]
                body.append(row)
        return Table("regression_hc3", t["t_hc3"], head, body, notes=[t["hc3_note"]])

    # ------------------------------------------------------------------ moderation
    def moderation(self) -> list:
        if not self.res.moderation:
            return []
        blocks: list = [Paragraph(self._moderation_intro())]
        for a in self.res.moderation:
            blocks.append(Paragraph(self._moderation_sentence(a)))
            reduced = self._reduced_note(a.id, (a.x, a.w, a.y), (a.x,), a.y, a.x)
            if reduced:
                blocks.append(Paragraph(reduced))
            blocks.append(self._read(self._moderation_table(a), "moderation"))
            blocks.append(self._read(self._slopes_table(a), "simple_slopes"))
            blocks.append(self._slopes_figure(a))
            if a.latent is not None and a.latent_note is None:
                blocks.append(self._read(self._latent_table(a), "latent_interaction"))
            if a.latent_note:
                blocks.append(Paragraph(in_language(a.latent_note, self.lang), kind="notice"))
        return blocks

    def _moderation_intro(self) -> str:
        controls = self._controls_phrase()
        return self.L(
            "Moderation was tested by hierarchical regression on construct scores following PROCESS model 1 "
            "([@hayes2022]): the predictor and a continuous moderator were mean-centred and their product formed "
            "([@aiken1991]); " + (f"step 1 enters the controls ({controls}), step 2 " if controls else "step 1 enters ")
            + "the predictor and the moderator, and the last step the product. A significant product term (and ΔR²) "
            "means the effect of the predictor depends on the moderator; simple slopes at the mean of the moderator "
            "and one SD below and above it (or in each group of a categorical moderator) show how, and the "
            "Johnson–Neyman technique gives the values of the moderator where the effect is significant "
            "([@hayes2009]).",
            "调节效应采用基于构念得分的分层回归检验，依照 PROCESS 模型 1（[@hayes2022]）：对自变量和连续调节变量进行均值中心化后"
            "构造乘积项（[@aiken1991]）；" + (f"第一步纳入控制变量（{controls}），第二步" if controls else "第一步")
            + "纳入自变量与调节变量，最后一步纳入乘积项。乘积项（及 ΔR²）显著表明自变量的效应随调节变量而变化；"
            "再以调节变量均值及加减一个标准差（或类别调节变量的各组）做简单斜率检验说明其变化方式，并以 Johnson–Neyman 法"
            "给出效应显著的调节变量取值范围（[@hayes2009]）。")

    def _moderation_sentence(self, a) -> str:
        r = a.result
        x, w, y = self.var(a.x), self.var(a.w), self.var(a.y)
        head = f"{a.id}：" if (a.id and self.lang == "zh") else (f"{a.id}: " if a.id else "")
        test = r.test
        f_test = f"*F*({test['df1']}, {test['df2']}) = {f2(test['f'])}"
        if r.categorical or len(r.interaction) > 1:
            stat_en = f"{f_test}, {pv(test['p'])}, ΔR² = {f3(test['r2_change'])}"
            stat_zh = f"{f_test}，{pv(test['p'])}，ΔR² = {f3(test['r2_change'])}"
        else:
            row = r.interaction.iloc[0]
            stat_en = f"*B* = {f3(row['B'])}, *t* = {f2(row['t'])}, {pv(row['p'])}, ΔR² = {f3(test['r2_change'])}, Δ{f_test}"
            stat_zh = f"*B* = {f3(row['B'])}，*t* = {f2(row['t'])}，{pv(row['p'])}，ΔR² = {f3(test['r2_change'])}，Δ{f_test}"
        verdict = self._verdict(a)
        if not r.significant:
            return self.L(f"{head}the product {x} × {w} is not significant ({stat_en}): the data give no evidence that "
                          f"{w} moderates the association of {x} with {y}; {verdict}.",
                          f"{head}{x} × {w} 乘积项不显著（{stat_zh}）：数据不支持{w}调节{x}与{y}之间的关系，{verdict}。")
        slopes = r.simple_slopes
        if r.categorical:
            parts = [self.L(f"*B* = {f3(s['slope'])} ({pv(s['p'])}) for {self.label_of(a.w, lv)}",
                            f"{self.label_of(a.w, lv)}组 *B* = {f3(s['slope'])}（{pv(s['p'])}）")
                     for lv, s in slopes.iterrows()]
            return self.L(f"{head}the product {x} × {w} is significant ({stat_en}): the effect of {x} on {y} differs "
                          f"between the groups of {w}: " + "; ".join(parts) + f"; {verdict}.",
                          f"{head}{x} × {w} 乘积项显著（{stat_zh}）：{x}对{y}的效应在{w}各组之间不同，" + "；".join(parts)
                          + f"，{verdict}。")
        low, high = slopes.loc["M-1SD"], slopes.loc["M+1SD"]
        direction = r.direction
        b_x = r.model.coefficients.loc[a.x, "B"]
        sign_en = "positive" if b_x > 0 else "negative"
        sign_zh = "正向" if b_x > 0 else "负向"
        text = self.L(
            f"{head}the product {x} × {w} is significant ({stat_en}): {w} moderates the association of {x} with {y}. "
            f"The effect of {x} is *B* = {f3(low['slope'])} ({pv(low['p'])}) at low {w} (M − 1 SD) and *B* = "
            f"{f3(high['slope'])} ({pv(high['p'])}) at high {w} (M + 1 SD): the higher {w}, the "
            f"{'stronger' if direction == 'strengthens' else 'weaker'} the {sign_en} association of {x} with {y} "
            f"(an association in cross-sectional data); {verdict}.",
            f"{head}{x} × {w} 乘积项显著（{stat_zh}）：{w}调节{x}与{y}之间的关系。低{w}（M − 1SD）时{x}的效应为 "
            f"*B* = {f3(low['slope'])}（{pv(low['p'])}），高{w}（M + 1SD）时为 *B* = {f3(high['slope'])}（{pv(high['p'])}）："
            f"{w}越高，{x}与{y}的{sign_zh}关联越{'强' if direction == 'strengthens' else '弱'}（横截面数据只表明关联），"
            f"{verdict}。")
        return text + self._jn_sentence(a)

    def _jn_sentence(self, a) -> str:
        r = a.result
        x, w = self.var(a.x), self.var(a.w)
        jn = r.johnson_neyman
        if jn is None:
            return ""
        sig = jn[jn["significant"]]
        if not r.jn_bounds:
            return self.L(f" Johnson–Neyman: the effect of {x} is {'significant' if len(sig) else 'not significant'} "
                          f"over the whole observed range of {w} ({f2(r.w_range[0])} to {f2(r.w_range[1])}).",
                          f"Johnson–Neyman 分析：在{w}的全部观测范围（{f2(r.w_range[0])} 至 {f2(r.w_range[1])}）内，"
                          f"{x}的效应{'均显著' if len(sig) else '均不显著'}。")
        regions = [self.L(f"{f2(row['w_from'])} to {f2(row['w_to'])} ({pct(row['share'])} of respondents)",
                          f"{f2(row['w_from'])} 至 {f2(row['w_to'])}（占受访者的 {pct(row['share'])}）")
                   for _, row in sig.iterrows()]
        bounds = self.c.join([f2(b) for b in r.jn_bounds])
        return self.L(f" Johnson–Neyman: the effect of {x} changes significance at {w} = {bounds}; it is significant "
                      f"(*p* < 0.05) for {w} from " + " and from ".join(regions) + ".",
                      f"Johnson–Neyman 分析：{x}的效应在{w} = {bounds} 处改变显著性；{w}取值在"
                      + "以及".join(regions) + f"时，{x}的效应显著（*p* < 0.05）。")

    def _verdict(self, a) -> str:
        if a.id is None:
            return self.L("no hypothesis was stated", "本研究未对此提出假设")
        if a.supported:
            return self.L(f"{a.id} is supported", f"{a.id} 得到支持")
        if a.sign is not None and a.result.significant:
            return self.L(f"{a.id} is not supported (the interaction has the opposite sign)",
                          f"{a.id} 未得到支持（交互项符号与预期相反）")
        return self.L(f"{a.id} is not supported", f"{a.id} 未得到支持")

    def _moderation_table(self, a) -> Table:
        t, r = self.t, a.result
        models = r.hierarchy.models
        head, body = self._steps(r.hierarchy, "B", "B")
        changes = r.hierarchy.changes
        for label, key in ((t["r2"], "r2"), (t["d_r2"], "r2_change")):
            body.append([txt(label, "label")] + [c for _, ch in changes.iterrows() for c in (num(ch[key]), txt(""))])
        body.append([txt(t["f"], "label")] + [c for m in models for c in (num(m.f, 2, p=m.f_pvalue), txt(""))])
        body.append([txt(t["d_f"], "label")] + [c for _, ch in changes.iterrows()
                                                for c in (num(ch["f_change"], 2, p=ch["p_change"]), txt(""))])
        notes = [t["mod_note"]]
        if r.n_excluded:
            notes.append(self.L(f"*n* = {r.n}; {counted(r.n_excluded, 'respondent')} without an answer to a variable of the model "
                                f"{'is' if r.n_excluded == 1 else 'are'} left out.", f"*n* = {r.n}；{r.n_excluded} 名受访者缺少模型中某一变量的作答，未纳入分析。"))
        return Table("moderation", t["t_mod"].format(w=self.var(a.w), x=self.var(a.x), y=self.var(a.y)), head, body,
                     notes=notes)

    def _w_label(self, a, label: str) -> str:
        if a.result.categorical:
            return self.label_of(a.w, label)
        key = {"M-1SD": "low", "M": "mid", "M+1SD": "high"}[label]
        return self.t[key].format(w=self.var(a.w))

    def _slopes_table(self, a) -> Table:
        t, r = self.t, a.result
        w, x = self.var(a.w), self.var(a.x)
        head = [hdr(w, t["w_value"].format(w=w), t["slope"].format(x=x), "S.E.", "t", "p", t["ci"])]
        body = []
        for label, s in r.simple_slopes.iterrows():
            body.append([txt(self._w_label(a, label), "label"),
                         txt("—") if r.categorical else num(s["w"]), num(s["slope"], p=s["p"]), num(s["SE"]),
                         num(s["t"], 2), pcell(s["p"]), ci_text(s["ci_lower"], s["ci_upper"])])
        return Table("simple_slopes", t["t_slopes"].format(x=x, y=self.var(a.y), w=w), head, body,
                     notes=[t["slopes_note"]])

    def _slopes_figure(self, a) -> Figure:
        r = a.result
        title = self.t["fig_slopes"].format(x=self.var(a.x), y=self.var(a.y), w=self.var(a.w))
        lines = []
        for label, rows in r.plot.groupby("w_label", sort=False):
            lines.append({"label": self._w_label(a, label), "x": rows["x"].tolist(), "y": rows["y"].tolist()})
        canvas = simple_slopes_figure(lines, self.L(f"{self.var(a.x)} (M − 1 SD to M + 1 SD)",
                                                    f"{self.var(a.x)}（M − 1SD 至 M + 1SD）"), self.var(a.y), title)
        return Figure("simple_slopes", title, canvas)

    def _latent_table(self, a) -> Table:
        t, li = self.t, a.latent
        x, w, y = self.var(a.x), self.var(a.w), self.var(a.y)
        est = li.fitted.estimates
        body = []
        for rhs in (a.x, a.w, li.product):
            row = est[(est["op"] == "~") & (est["lhs"] == a.y) & (est["rhs"] == rhs)].iloc[0]
            label = f"{x} × {w} → {y}" if rhs == li.product else f"{self.var(rhs)} → {y}"
            body.append([txt(label, "label"), num(row["est"], p=row["pvalue"]), num(row["se"]), num(row["z"], 2),
                         pcell(row["pvalue"]), num(row["std_all"])])
        for key, name in (("M-1SD", "low"), ("M", "mid"), ("M+1SD", "high")):
            s = li.simple_slopes.loc[key]
            body.append([txt(f"{x} → {y}：{t[name].format(w=w)}" if self.lang == "zh" else f"{x} → {y}, {t[name].format(w=w)}",
                             "label"), num(s["est"], p=s["pvalue"]), num(s["se"]), num(s["z"], 2), pcell(s["pvalue"]),
                         txt("—")])
        pairs = ", ".join(f"{p}×{q}" for p, q in li.pairs)
        return Table("latent_interaction", t["t_latent"].format(w=w, x=x, y=y),
                     [hdr(t["parameter"], "B", "S.E.", t["z"], "p", "β")], body,
                     notes=[t["latent_note"].format(pairs=pairs, x=x, w=w)])

    # ------------------------------------------------------------------ moderated mediation
    def moderated_mediation(self) -> list:
        if not self.res.moderated_mediation:
            return []
        blocks: list = []
        for a in self.res.moderated_mediation:
            blocks.append(Paragraph(self._mm_sentence(a)))
            x, m, y = a.path
            reduced = self._reduced_note(a.id, (x, m, a.w, y), (x, m), y, x, chain=(x, m, y),
                                         direct=a.result.direct.get("effect"))
            if reduced:
                blocks.append(Paragraph(reduced))
            blocks.append(self._read(self._mm_equations(a), "modmed_models"))
            blocks.append(self._read(self._mm_table(a), "modmed"))
            if a.latent is not None and a.latent_note is None:
                blocks.append(self._read(self._mm_sem_table(a), "modmed_sem"))
                blocks.append(Paragraph(self._mm_sem_sentence(a)))
            if a.latent_note:
                blocks.append(Paragraph(in_language(a.latent_note, self.lang), kind="notice"))
        return blocks

    def _mm_names(self, a):
        x, m, y = (self.var(v) for v in a.path)
        return x, m, y, self.var(a.w)

    def _mm_label(self, a) -> str:
        x, m, y, w = self._mm_names(a)
        return (a.id + " " if a.id else "") + f"{x} → {m} → {y}"

    def _mm_sentence(self, a) -> str:
        r = a.result
        x, m, y, w = self._mm_names(a)
        stage = self.t["stage"][a.stage]
        head = f"{a.id}：" if (a.id and self.lang == "zh") else (f"{a.id}: " if a.id else "")
        intro = self.L(
            f"{head}whether {w} moderates the indirect effect of {x} on {y} through {m} ({stage}) was tested with "
            f"PROCESS model {r.process_model} ([@hayes2022]; *n* = {r.n}).",
            f"{head}采用 PROCESS 模型 {r.process_model}（[@hayes2022]；*n* = {r.n}）检验{w}是否调节{x}经由{m}对{y}的间接效应"
            f"（调节{stage}）。")
        if not r.resamples:
            return intro + self.L(" No bootstrap was run, so moderated mediation is not judged.",
                                  "未进行 Bootstrap，因此不判断有调节的中介效应。")
        cond = r.conditional
        parts = [self.L(f"{self._w_label_mm(a, lv)}: {f3(row['effect'])}, 95% CI [{f3(row['ci_lower'])}, {f3(row['ci_upper'])}]",
                        f"{self._w_label_mm(a, lv)}为 {f3(row['effect'])}，95% 置信区间 [{f3(row['ci_lower'])}, {f3(row['ci_upper'])}]")
                 for lv, row in cond.iterrows()]
        idx = r.index
        what = self.t["index"] if r.index_kind == "index" else self.t["contrast"]
        idx_parts = [self.L(f"{what}{'' if len(idx) == 1 else ' (' + self._index_label(a, k) + ')'} = {f3(row['est'])}, "
                            f"95% CI [{f3(row['ci_lower'])}, {f3(row['ci_upper'])}]",
                            f"{what}{'' if len(idx) == 1 else '（' + self._index_label(a, k) + '）'}为 {f3(row['est'])}，"
                            f"95% 置信区间 [{f3(row['ci_lower'])}, {f3(row['ci_upper'])}]")
                     for k, row in idx.iterrows()]
        excludes = r.significant
        verdict = (self.L(f"{a.id} is supported", f"{a.id} 得到支持") if a.supported else
                   self.L(f"{a.id} is not supported", f"{a.id} 未得到支持")) if a.id else \
            self.L("no hypothesis was stated", "本研究未对此提出假设")
        if excludes:
            if r.index_kind == "index" and len(idx) == 1:
                grows = idx["est"].iloc[0] > 0
                trend = self.L(f"the indirect effect {'grows' if grows else 'shrinks'} as {w} increases",
                               f"{w}越高，间接效应越{'大' if grows else '小'}")
            else:
                trend = self.L(f"the indirect effect differs across values of {w}", f"间接效应随{w}取值不同而不同")
            conclusion = self.L(f"the interval excludes 0, so the mediation is moderated: {trend}; {verdict}.",
                                f"置信区间不含 0，有调节的中介效应成立：{trend}，{verdict}。")
        else:
            conclusion = self.L(f"the interval includes 0, so the data give no evidence that {w} moderates this indirect "
                                f"effect; {verdict}.", f"置信区间包含 0，数据不支持{w}调节该间接效应，{verdict}。")
        return intro + self.L(" Conditional indirect effects: " + "; ".join(parts) + ". " + "; ".join(idx_parts) + ": "
                              + conclusion,
                              "条件间接效应：" + "；".join(parts) + "。" + "；".join(idx_parts) + "，" + conclusion)

    def _w_label_mm(self, a, label: str) -> str:
        if a.result.categorical:
            return self.label_of(a.w, label)
        key = {"M-1SD": "low", "M": "mid", "M+1SD": "high"}[label]
        return self.t[key].format(w=self.var(a.w))

    def _index_label(self, a, key: str) -> str:
        if key in ("index", "contrast"):
            return ""
        level = key[:-1].split("[", 1)[1]
        return self.t["vs"].format(level=self.label_of(a.w, level), reference=self.label_of(a.w, a.result.reference))

    def _mm_equations(self, a) -> Table:
        t, r = self.t, a.result
        x, m, y, w = self._mm_names(a)
        models = [(m, r.mediator_model), (y, r.outcome_model)]
        terms = list(dict.fromkeys([*r.mediator_model.terms, *r.outcome_model.terms]))
        head = [[txt(t["variable"], "label", rowspan=2)] + [txt(f"{t['dependent']}: {name}" if self.lang == "en"
                                                                 else f"{t['dependent']}：{name}", "label", colspan=3)
                                                             for name, _ in models],
                [*[c for _ in models for c in (txt("B", "label"), txt("S.E.", "label"), txt("t", "label"))]]]
        body = []
        for term in [INTERCEPT, *terms]:
            row = [txt(t["intercept"] if term == INTERCEPT else self.term(term), "label")]
            for _, fit in models:
                if term in fit.coefficients.index:
                    cr = fit.coefficients.loc[term]
                    row += [num(cr["B"], p=cr["p"]), num(cr["SE"]), num(cr["t"], 2)]
                else:
                    row += [txt(""), txt(""), txt("")]
            body.append(row)
        body.append([txt(t["r2"], "label")] + [c for _, fit in models for c in (num(fit.r2), txt(""), txt(""))])
        body.append([txt(t["f"], "label")] + [c for _, fit in models for c in (num(fit.f, 2, p=fit.f_pvalue), txt(""),
                                                                                 txt(""))])
        return Table("modmed_models", t["t_mm_eq"].format(label=self._mm_label(a), model=r.process_model), head, body,
                     notes=[t["mm_eq_note"]])

    def _mm_table(self, a) -> Table:
        t, r = self.t, a.result
        x, m, y, w = self._mm_names(a)
        head = [hdr(w, t["w_value"].format(w=w), t["effect"], t["boot_se"], t["boot_ci"])]
        body = []
        for label, row in r.conditional.iterrows():
            body.append([txt(self._w_label_mm(a, label), "label"), txt("—") if r.categorical else num(row["w"]),
                         num(row["effect"]), num(row["boot_se"]), ci_text(row["ci_lower"], row["ci_upper"])])
        what = t["index"] if r.index_kind == "index" else t["contrast"]
        for key, row in r.index.iterrows():
            label = what + (f" ({self._index_label(a, key)})" if self._index_label(a, key) else "")
            body.append([txt(label, "label"), txt(""), num(row["est"]), num(row["boot_se"]),
                         ci_text(row["ci_lower"], row["ci_upper"], )])
        if r.resamples:
            note = (t["mm_note_58"] if r.index_kind == "contrast" and not r.categorical else t["mm_note"]).format(
                resamples=r.resamples, seed=r.seed)
        else:
            note = t["mm_no_boot"]
        return Table("modmed", t["t_mm"].format(x=x, m=m, y=y, w=w), head, body, notes=[note])

    def _mm_sem_table(self, a) -> Table:
        t, lm = self.t, a.latent
        w = self.var(a.w)
        boot = lm.bootstrap
        head = [hdr(t["parameter"], "B", "S.E.", *( [t["boot_ci"]] if boot is not None else ["p"]))]
        body = []
        for name in lm.definitions:
            d = lm.delta.loc[name]
            label = t[name].format(w=w) if name.startswith("ind_") else (t["index"] if name == "index" else t["contrast"])
            row = [txt(label, "label")]
            if boot is not None:
                b = boot.loc[name]
                row += [num(d["est"]), num(b["boot_se"]), ci_text(b["ci_lower"], b["ci_upper"])]
            else:
                row += [num(d["est"], p=d["pvalue"]), num(d["se"]), pcell(d["pvalue"])]
            body.append(row)
        resamples = lm.draws.theta.shape[0] if lm.draws is not None else 0
        return Table("modmed_sem", t["t_mm_sem"].format(label=self._mm_label(a)), head, body,
                     notes=[t["mm_sem_note"].format(resamples=resamples)])

    def _mm_sem_sentence(self, a) -> str:
        """The latent model against the regression on scores: they agree when the index has the same sign and the
        same significance; the sizes are said to differ when one is more than 1.25 times the other."""
        lm = a.latent
        key = "index" if "index" in lm.definitions else "contrast"
        if lm.bootstrap is None:
            d = lm.delta.loc[key]
            est, significant = d["est"], d["pvalue"] < 0.05
            stat = f"{f3(d['est'])}, {pv(d['pvalue'])}"
            stat_zh = f"{f3(d['est'])}，{pv(d['pvalue'])}"
        else:
            b = lm.bootstrap.loc[key]
            est, significant = b["est"], b["ci_lower"] > 0 or b["ci_upper"] < 0
            stat = f"{f3(b['est'])}, 95% CI [{f3(b['ci_lower'])}, {f3(b['ci_upper'])}]"
            stat_zh = f"{f3(b['est'])}，95% 置信区间 [{f3(b['ci_lower'])}, {f3(b['ci_upper'])}]"
        score = a.result.index["est"].iloc[0]
        same_sign = (est > 0) == (score > 0)
        agree = same_sign and bool(significant) == bool(a.result.significant)
        ratio = abs(est) / abs(score) if score else math.inf
        what = self.t["index"] if key == "index" else self.t["contrast"]
        if agree and 0.8 <= ratio <= 1.25:
            verdict_en = f"sign, significance and size agree with the regression on scores ({f3(score)})."
            verdict_zh = f"其方向、显著性与大小均与基于得分的回归（{f3(score)}）一致。"
        elif agree:
            verdict_en = (f"sign and significance agree with the regression on scores ({f3(score)}), but the size "
                          f"differs ({f2(ratio)} times as large): the latent model removes the measurement error that "
                          "attenuates the regression on scores, and its constructs take the scale of their marker items.")
            verdict_zh = (f"其方向与显著性与基于得分的回归（{f3(score)}）一致，但大小不同（为其 {f2(ratio)} 倍）："
                          "潜变量模型剔除了使基于得分的回归系数偏小的测量误差，且潜变量以各自的参照题项为尺度。")
        else:
            verdict_en = (f"the conclusion differs from the regression on scores ({f3(score)}): "
                          + ("the signs differ." if not same_sign else "one is significant and the other is not")
                          + ("" if not same_sign else " (measurement error is removed in the SEM)."))
            verdict_zh = (f"结论与基于得分的回归（{f3(score)}）不同："
                          + ("两者方向相反。" if not same_sign else "一个显著而另一个不显著（结构方程模型剔除了测量误差）。"))
        return self.L(f"In the SEM with latent products, the {what.lower()} is {stat}; " + verdict_en,
                      f"在含潜变量乘积项的结构方程模型中，{what}为 {stat_zh}；" + verdict_zh)

    # ------------------------------------------------------------------ hypothesis summary
    def hypothesis_summary(self) -> Table | None:
        t, res, c = self.t, self.res, self.c
        rows = []

        def result(value) -> Cell:
            text = t["not_judged"] if value is None else (t["supported"] if value else t["not_supported"])
            return txt(text, bad=value is False)

        # method both: the PLS-SEM verdict of each path and mediation hypothesis beside the covariance-based one
        pls = res.pls if res.method == "both" and res.pls is not None and res.pls.converged else None
        pls_paths = {h.id: h.supported for h in pls.hypotheses} if pls else {}
        pls_chains = {tuple(m.path): bool(m.ci_lower > 0 or m.ci_upper < 0) for m in pls.mediation} \
            if pls and pls.resamples else {}

        def with_pls(row: list, value) -> list:
            return row + [result(value)] if pls else row

        for h in res.hypotheses:
            sign = self.L("positive", "正向") if h.sign == "+" else self.L("negative", "负向")
            rows.append(with_pls([txt(h.id, "label"), txt(self.L(f"{c.name(h.from_)} → {c.name(h.to)} ({sign})",
                                                                 f"{c.name(h.from_)}对{c.name(h.to)}有{sign}影响")),
                                  result(h.supported)], pls_paths.get(h.id)))
        for m in res.mediation:
            if not m.id:
                continue
            chain = " → ".join(c.name(x) for x in m.path)
            ci = m.bootstrap if m.bootstrap is not None and math.isfinite(m.bootstrap.ci_lower) else m.monte_carlo
            ok = None if m.verdict == "not-interpretable" else bool(ci.ci_lower > 0 or ci.ci_upper < 0)
            preferred = preferred_support(res, m.path) if ok is not None else None
            ok = ok if preferred is None else preferred  # read from the partial-mediation model the data favour
            rows.append([txt(m.id, "label"), txt(self.L(f"mediation {chain}", f"{c.name(m.path[1]) if len(m.path) == 3 else '、'.join(c.name(x) for x in m.path[1:-1])}"
                                                        f"在{c.name(m.path[0])}与{c.name(m.path[-1])}之间起中介作用")),
                         result(ok)])
            rows[-1] = with_pls(rows[-1], pls_chains.get(tuple(m.path)))
        for a in res.moderation:
            if not a.id:
                continue
            sign = "" if a.sign is None else (self.L(" (positive)", "（正向）") if a.sign == "+" else self.L(" (negative)", "（负向）"))
            rows.append([txt(a.id, "label"), txt(self.L(f"{self.var(a.w)} moderates {self.var(a.x)} → {self.var(a.y)}{sign}",
                                                        f"{self.var(a.w)}{sign}调节{self.var(a.x)}对{self.var(a.y)}的影响")),
                         result(a.supported)])
        for a in res.moderated_mediation:
            if not a.id:
                continue
            x, m, y, w = self._mm_names(a)
            rows.append([txt(a.id, "label"), txt(self.L(f"{w} moderates the indirect effect {x} → {m} → {y} "
                                                        f"({t['stage'][a.stage]})",
                                                        f"{w}调节{x}经由{m}对{y}的间接效应（{t['stage'][a.stage]}）")),
                         result(a.supported)])
        if not rows:
            return None
        if pls:  # the moderation rows have no PLS-SEM test (regression on scores)
            from .pls import measurement_caveats
            cautious = {h.id for h in measurement_caveats(pls).hypotheses} | \
                {m.id for m in measurement_caveats(pls).mediations}
            rows = [r if len(r) == 4 else r + [txt("—")] for r in rows]
            for r in rows:  # a supported verdict between constructs that are not empirically distinct
                if r[0].text in cautious and r[-1].text == t["supported"]:
                    r[-1] = txt(t["supported"] + "ᵃ")
            head = [hdr(self.L("Hypothesis", "假设"), t["content"], "CB-SEM", "PLS-SEM")]
            return self._read(Table("hypothesis_summary", t["t_summary"], head, rows,
                                    notes=[self.L("CB-SEM: the covariance-based model; PLS-SEM: the same hypotheses "
                                                  "estimated by partial least squares (bootstrap intervals).",
                                                  "CB-SEM：协方差结构模型；PLS-SEM：以偏最小二乘法估计的同一组假设"
                                                  "（Bootstrap 置信区间）。")]
                                    + ([self.L("ᵃ To be read with caution: the constructs it links are not empirically "
                                               "distinct (HTMT; see the PLS-SEM structural model).",
                                               "ᵃ 应谨慎解读：其所连接的构念在实证上未能区分（HTMT；见 PLS-SEM 结构模型一节）。")]
                                       if cautious else [])), "hypothesis_summary")
        return self._read(Table("hypothesis_summary", t["t_summary"],
                                [hdr(self.L("Hypothesis", "假设"), t["content"], t["result"])], rows), "hypothesis_summary")

    def conclusions(self) -> list[str]:
        """One sentence on the moderation hypotheses, for the conclusions section."""
        parts = []
        for a in self.res.moderation:
            r = a.result
            stat = (f"*B* = {f3(r.interaction['B'].iloc[0])}, {pv(r.test['p'])}" if len(r.interaction) == 1
                    else f"*F*({r.test['df1']}, {r.test['df2']}) = {f2(r.test['f'])}, {pv(r.test['p'])}")
            stat_zh = stat.replace(", *p*", "，*p*")
            if r.significant and not r.categorical:
                positive = r.model.coefficients.loc[a.x, "B"] > 0
                more = r.direction == "strengthens"
                parts.append(self.L(
                    f"the higher {self.var(a.w)}, the {'stronger' if more else 'weaker'} the "
                    f"{'positive' if positive else 'negative'} association of {self.var(a.x)} with {self.var(a.y)} ({stat})",
                    f"{self.var(a.w)}越高，{self.var(a.x)}与{self.var(a.y)}的{'正向' if positive else '负向'}关联越"
                    f"{'强' if more else '弱'}（{stat_zh}）"))
            elif r.significant:
                parts.append(self.L(f"the effect of {self.var(a.x)} on {self.var(a.y)} differs across {self.var(a.w)} ({stat})",
                                    f"{self.var(a.x)}对{self.var(a.y)}的影响因{self.var(a.w)}而异（{stat_zh}）"))
        for a in self.res.moderated_mediation:
            if a.supported:
                x, m, y, w = self._mm_names(a)
                row = a.result.index.iloc[0]
                what = self.t["index"] if a.result.index_kind == "index" else self.t["contrast"]
                parts.append(self.L(f"{w} moderates the indirect effect of {x} on {y} through {m} ({what.lower()} "
                                    f"{f3(row['est'])}, 95% CI [{f3(row['ci_lower'])}, {f3(row['ci_upper'])}])",
                                    f"{w}调节了{x}经由{m}对{y}的间接效应（{what} {f3(row['est'])}，95% 置信区间 "
                                    f"[{f3(row['ci_lower'])}, {f3(row['ci_upper'])}]）"))
        if not parts:
            tested = len(self.res.moderation) + len(self.res.moderated_mediation)
            if tested:
                return [self.L(f"No moderation was found: none of the {tested} moderation hypotheses tested is supported "
                               "by the data.", f"未发现调节效应：所检验的 {tested} 个调节假设均未得到数据支持。")]
            return []
        return [self.L("Moderation: " + "; ".join(parts) + ".", "调节效应：" + "；".join(parts) + "。")]


def simple_slopes_figure(lines: list[dict], x_title: str, y_title: str, aria: str) -> object:
    """Predicted Y against X (mean ± 1 SD) for each value of the moderator: one line each, with a legend.

    lines: ``{"label", "x": [x₀, x₁], "y": [y₀, y₁]}``.
    """
    left, top, pw, ph = 70, 36, 420, 280
    legend_w = max(text_width(ln["label"], 12) for ln in lines) + 46
    width, height = left + pw + 24 + legend_w, top + ph + 56
    xs = [v for ln in lines for v in ln["x"]]
    ys = [v for ln in lines for v in ln["y"]]
    x0, x1 = min(xs), max(xs)
    pad = (x1 - x0) * 0.08 or 1.0
    x0, x1 = x0 - pad, x1 + pad
    span = (max(ys) - min(ys)) or 1.0
    step = _nice_step(span * 1.5, 5)
    y0 = math.floor((min(ys) - 0.25 * span) / step) * step
    y1 = math.ceil((max(ys) + 0.25 * span) / step) * step

    def px(v):
        return left + pw * (v - x0) / (x1 - x0)

    def py(v):
        return top + ph * (1 - (v - y0) / (y1 - y0))

    cv = Canvas(width, height, aria)
    cv.line(left, top + ph, left + pw, top + ph, stroke="#222")
    cv.line(left, top, left, top + ph, stroke="#222")
    v = y0
    while v <= y1 + 1e-9:
        cv.line(left - 4, py(v), left, py(v), stroke="#222")
        cv.text(left - 7, py(v) + 4, f"{v:.2f}", size=11, anchor="end")
        v += step
    for v in sorted({round(x, 6) for x in xs}):
        cv.line(px(v), top + ph, px(v), top + ph + 4, stroke="#222")
        cv.text(px(v), top + ph + 17, f"{v:.2f}", size=11, anchor="middle")
    cv.text(left + pw / 2, height - 10, x_title, size=12.5, anchor="middle")
    cv.text(left - 60, top - 16, y_title, size=12.5, anchor="start")
    styles = [("#1d4ed8", (6, 4)), ("#444", (2, 3)), ("#b91c1c", None), ("#047857", (8, 3)), ("#7c3aed", None)]
    for i, ln in enumerate(lines):
        color, dash = styles[i % len(styles)]
        (xa, xb), (ya, yb) = ln["x"], ln["y"]
        cv.line(px(xa), py(ya), px(xb), py(yb), stroke=color, width=2.2, dash=dash)
        cv.circle(px(xa), py(ya), 3.5, fill=color)
        cv.circle(px(xb), py(yb), 3.5, fill=color)
        ly = top + 18 + 22 * i
        lx = left + pw + 24
        cv.line(lx, ly - 4, lx + 30, ly - 4, stroke=color, width=2.2, dash=dash)
        cv.text(lx + 36, ly, ln["label"], size=12)
    return cv
