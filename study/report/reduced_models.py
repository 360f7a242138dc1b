"""The moderation and moderated-mediation models as what they are: separate, reduced models. Their regression
on construct scores (and its latent version) contains only X, W, Y (and M) and leaves out the constructs the
hypothesized model places between them — e.g. trust between satisfaction and loyalty — so their "effect of
X" also carries the association through those constructs and differs from the structural model's direct
path and indirect effects. :class:`ReducedModels` says so, from the hypothesized paths; it is a part of
:class:`study.report.analyses_sections.AnalysesSections` (which provides ``res``, ``c``, ``lang``, ``var``
and ``L``).
"""

from __future__ import annotations

from .narrative import f3


class ReducedModels:
    """Which constructs a moderation model leaves out, and the sentence that says what follows from it."""

    def _left_out(self, included, sources, y) -> list[str]:
        """Constructs of the hypothesized model that lie on a chain of its paths from one of ``sources`` to ``y``
        but are not in the reduced model (``included``)."""
        nexts: dict[str, list[str]] = {}
        for h in self.res.hypotheses:
            nexts.setdefault(h.from_, []).append(h.to)
        out: list[str] = []

        def walk(chain):
            if chain[-1] == y:
                out.extend(c for c in chain[1:-1] if c not in included and c not in out)
                return
            for b in nexts.get(chain[-1], []):
                if b not in chain:
                    walk(chain + [b])

        for source in sources:
            walk([source])
        return out

    def _reduced_note(self, id_, included, sources, y, x, chain=None, direct=None) -> str:
        """A moderation or moderated-mediation model is a separate, reduced model: which constructs it has, which
        mediators of the hypothesized model it leaves out, and why its coefficients differ from the structural
        model's (the effects through the left-out constructs are folded into its paths)."""
        left = self._left_out(included, sources, y)
        if not left or not self.res.hypotheses:
            return ""
        c = self.c
        names = c.join([self.var(v) for v in included])
        gone = c.join([self.var(v) for v in left])
        between = ("、".join if self.lang == "zh" else c.join)([self.var(v) for v in sources])
        controls = bool(self.res.controls)
        head_en = f"The model of {id_}" if id_ else "This model"
        head_zh = f"{id_} 的模型" if id_ else "该模型"
        same = next((h.id for h in self.res.hypotheses if h.from_ == x and h.to == y), None)
        med = next((m.id for m in self.res.mediation if chain is not None and tuple(m.path) == tuple(chain)), None)
        if chain is None:
            what_en = (f"its effect of {self.var(x)} on {self.var(y)} therefore also carries the association through "
                       f"{gone}, which the structural model separates"
                       + (f" from the direct path ({same})" if same else "") + ", so the two differ")
            what_zh = (f"因此其中{self.var(x)}对{self.var(y)}的效应也包含了经由{gone}的关联，而结构方程模型将其与"
                       + (f"直接路径（{same}）" if same else "直接路径") + "分开估计，两者的系数因而不同")
        else:
            d_en = f" (B = {f3(direct)})" if direct is not None else ""
            what_en = (f"its direct effect of {self.var(x)} on {self.var(y)}{d_en} and its indirect effect through "
                       f"{self.var(chain[1])} therefore also carry the associations through {gone}, which the structural "
                       "model estimates as separate indirect effects, so they differ from the direct and indirect "
                       f"effects of {med or 'the mediation hypothesis'} there")
            what_zh = (f"因此其中{self.var(x)}对{self.var(y)}的直接效应{f'（B = {f3(direct)}）' if direct is not None else ''}"
                       f"及经由{self.var(chain[1])}的间接效应也包含了经由{gone}的关联，而结构方程模型将这些关联作为单独的"
                       f"间接效应估计，因此与{' ' + med + ' ' if med else '中介假设'}的直接效应和间接效应不同")
            # an observed (mean-score) mediator also leaves part of the indirect effect in the direct one
            what_en += (f"; in the regression, moreover, the measurement error of the {self.var(chain[1])} score "
                        "shrinks the indirect effect and leaves part of it in the direct effect, which the latent "
                        "version of the model does not")
            what_zh += (f"；此外，回归中{self.var(chain[1])}得分的测量误差会缩小间接效应，并把其中一部分留在直接效应中，"
                        "潜变量模型则不受此影响")
        return self.L(
            f"{head_en} is a separate, reduced model: it contains only {names}"
            + (" (the regression also has the controls)" if controls else "")
            + f" and leaves out {gone}, which the hypothesized model places on the paths from {between} to "
            f"{self.var(y)}; "
            + what_en + ". It answers the moderation question, not the hypotheses of the structural model.",
            f"{head_zh}是一个单独的简化模型：只包含{names}" + ("（回归模型另含控制变量）" if controls else "")
            + f"，未纳入假设模型中位于{between}与{self.var(y)}之间的{gone}；" + what_zh
            + "。它回答的是调节效应问题，而不是结构方程模型中的各项假设。")
