"""The report's tables, built once from the results as :class:`~study.report.document.Table` objects.

Each builder returns a three-line table with its title, header, body and notes (thresholds and sources);
numbering and the class audience's how-to-read notes are added when the document is assembled.
"""

from __future__ import annotations

import math


from .document import Cell, Table
from .verdicts import efa_factor_names, robust_paths
from .text import FIT_CRITERIA, estimation_label, fit_verdict, fmt, fmt_p, reported_fit, stars
from ..data.cells import answers_text


# --------------------------------------------------------------------------------------------- cells

def num(value, digits: int = 3, p=None, bad: bool = False, strong: bool = False, suffix: str = "") -> Cell:
    """A number with ``digits`` decimals; with ``p``, significance stars are appended."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return Cell("—", None, digits, kind="num")
    s = (stars(p) if p is not None else "") + suffix
    return Cell(fmt(float(value), digits) + s, float(value), digits, suffix=s, bad=bad, strong=strong)


def integer(value) -> Cell:
    return Cell(str(int(value)), int(value), 0)


def pcell(p, bad: bool = False) -> Cell:
    """p as tables print it: '< 0.001' or '0.023'."""
    if p is None or not math.isfinite(p):
        return Cell("—", None, kind="p")
    text = "< 0.001" if p < 0.001 else f"{p:.3f}"
    return Cell(text, float(p), 3, kind="p", bad=bad)


def txt(text, kind: str = "text", **kw) -> Cell:
    text = "" if text is None else str(text)
    if text in ("", "—") and kind == "text":
        kind = "num"  # empty and missing cells align with the numbers and take no text width
    return Cell(text, None, kind=kind, **kw)


def part_whole(study, a: str, b: str) -> bool:
    """Whether one construct is a dimension of the other (their score correlation is part–whole)."""
    for x, y in ((a, b), (b, a)):
        c = study.construct(x)
        if y in c.dimensions:
            return True
    return False


def hdr(*labels) -> list[Cell]:
    return [txt(x, "label") for x in labels]


def ci_text(lo, hi, digits: int = 3) -> Cell:
    if lo is None or hi is None or not (math.isfinite(lo) and math.isfinite(hi)):
        return Cell("—", None, kind="text")
    return Cell(f"[{fmt(lo, digits)}, {fmt(hi, digits)}]", None, kind="num")


# --------------------------------------------------------------------------------------------- builders

class Tables:
    """Builds every table of the report for one result set and language."""

    def __init__(self, res, lang: str, text: dict, name, label_of, scores, ipma):
        self.res, self.lang, self.t, self.name, self.label_of = res, lang, text, name, label_of
        self.scores, self.ipma = scores, ipma
        self.study = res.study

    # -- sample
    def screening(self) -> Table:
        t, d = self.t, self.res.data
        body = [[txt(t["received"]), integer(d.n_raw), num(100.0, 1)]]
        for reason, count in d.excluded_counts.items():
            body.append([txt(f"{t['excluded']}{t['lead_colon']}{t['reasons'].get(reason, reason)}"), integer(count),
                         num(100 * count / d.n_raw, 1)])
        body.append([txt(t["analysed"]), integer(d.n_analysed), num(100 * d.n_analysed / d.n_raw, 1)])
        return Table("screening", t["s_sample"], [hdr("", t["count"], t["share"])], body)

    def demographics(self) -> Table | None:
        t, d = self.t, self.res.data
        body = []
        for q in self.study.background:
            if q.code not in d.background or q.type != "categorical" or not q.levels:
                continue
            answers = answers_text(d.background[q.code])  # = .astype("string").str.strip(), fast
            counts = answers.value_counts()
            rows = [(lv.label.get(self.lang) or str(lv.code), int(counts.get(str(lv.code), 0))) for lv in q.levels]
            missing = int(answers.isna().sum() + (~answers.isin([str(lv.code) for lv in q.levels]) & answers.notna()).sum())
            if missing:
                rows.append((t["no_answer"], missing))
            qname = q.label(self.lang)
            for k, (label, n) in enumerate(rows):
                row = [txt(qname, "label", rowspan=len(rows))] if k == 0 else []
                row += [txt(label), integer(n), num(100 * n / d.n_analysed, 1)]
                body.append(row)
        if not body:
            return None
        return Table("demo", t["t_demo"], [hdr(t["question"], t["category"], t["count"], t["share"])], body,
                     notes=[f"*n* = {d.n_analysed}" + ("。" if self.lang == "zh" else ".")])

    def _construct_cell(self, code: str) -> str:
        """A construct in a table cell: its Chinese name in a Chinese table (codes such as DES are not Chinese);
        the short code in an English one, as English tables abbreviate."""
        return self.name(code) if self.lang == "zh" and code else code

    # -- items
    def items(self) -> Table:
        t, m = self.t, self.res.measurement
        construct_of = {i.code: c.code for c in self.study.first_order for i in c.items}
        body = []
        for item, row in m.items.iterrows():
            body.append([txt(item, "label"), txt(self._construct_cell(construct_of.get(item, ""))), num(row["mean"]), num(row["sd"]),
                         num(row["min"], 0), num(row["max"], 0),
                         num(row["skew_spss"], bad=abs(row["skew_spss"]) >= 2),
                         num(row["kurtosis_spss"], bad=abs(row["kurtosis_spss"]) >= 7),
                         integer(self.res.data.missing_by_item.get(item, 0))])
        head = [hdr(t["item"], t["construct"], t["mean"], t["sd"], t["min"], t["max"], t["skew"], t["kurt"], t["missing"])]
        return Table("items", t["s_items"], head, body, notes=[t["items_note"]])

    def mardia(self) -> Table:
        t, md = self.t, self.res.measurement.mardia
        p = md.p
        df = p * (p + 1) * (p + 2) / 6
        body = [[txt(t["mardia_skew"]), num(md.b1p), txt(f"χ²({df:.0f}) = {md.skew:.2f}"), pcell(md.p_skew, bad=md.p_skew < 0.05)],
                [txt(t["mardia_kurt"]), num(md.b2p), txt(f"*z* = {fmt(md.kurtosis, 2)}"),
                 pcell(md.p_kurt, bad=md.p_kurt < 0.05)]]
        return Table("mardia", t["t_mardia"], [hdr(t["statistic"], t["value"], t["test_stat"], "p")], body,
                     notes=[(f"*n* = {md.n}，{t['n_vars']} = {md.p}。" if self.lang == "zh" else
                             f"*n* = {md.n}, {t['n_vars']} = {md.p}. ") + t["mardia_note"]])

    # -- reliability
    def reliability(self) -> Table:
        t, m = self.t, self.res.measurement
        cfa = self.res.cfa is not None  # omega comes from the CFA's loadings
        reverse = self.t["reverse_mark"]
        item_text = {i.code: ((i.text.get(self.lang) if i.text else "") + (reverse if i.reverse else ""))
                     for i in self.study.items}
        body = []
        for code, c in m.constructs.items():
            if c.second_order:
                continue
            k = len(c.items)
            for j, item in enumerate(c.items):
                it = c.item_total.loc[item] if c.item_total is not None else None
                row = [txt(self.name(code), "label", rowspan=k)] if j == 0 else []
                row += [txt(item), txt(item_text.get(item, ""))]
                if it is not None:
                    rises = it["alpha_if_deleted"] > c.alpha + 0.005
                    row += [num(it["citc"], bad=it["citc"] < 0.40),
                            num(it["alpha_if_deleted"], bad=rises, suffix=" †" if rises else "")]
                else:
                    row += [txt("—"), txt("—")]
                if j == 0:
                    row += [_span(num(c.alpha, bad=c.alpha < 0.70), k),
                            _span(ci_text(c.alpha_ci.lower, c.alpha_ci.upper), k)]
                    if cfa:
                        row.append(_span(num(c.omega, bad=not (c.omega >= 0.70)), k))
                body.append(row)
        for code, c in m.constructs.items():
            if not c.second_order:
                continue
            body.append([txt(self.name(code), "label"), txt(("、" if self.lang == "zh" else ", ").join(self._construct_cell(x) for x in c.items)), txt(""), txt("—"), txt("—"),
                         num(c.alpha, bad=c.alpha < 0.70), ci_text(c.alpha_ci.lower, c.alpha_ci.upper), txt("—")])
        if not cfa:  # a PLS-SEM study: no omega (CFA loadings), and formative constructs are left out
            formative = [self.name(c.code) for c in self.study.first_order if c.mode == "formative"]
            notes = [t["rel_note_pls"]] + ([t["rel_formative"].format(names=("、" if self.lang == "zh" else ", ").join(formative))]
                                           if formative else [])
            head = [hdr(t["construct"], t["item"], "", t["citc"], t["aid"], t["alpha"], t["ci95"])]
            return Table("reliability", t["t_reliability"], head, body, notes=notes)
        head = [hdr(t["construct"], t["item"], "", t["citc"], t["aid"], t["alpha"], t["ci95"], t["omega"])]
        return Table("reliability", t["t_reliability"], head, body,
                     notes=[t["rel_note2"] + (t["rel_note_2nd"] if self.study.second_order else "")])

    # -- validity
    def kmo(self) -> Table:
        t, m = self.t, self.res.measurement
        k, b, pa = m.kmo.overall, m.bartlett, m.parallel
        msa = m.kmo.per_item
        n_cons = len(self.study.first_order)
        yes, no = (t["acceptable"], t["poor"])
        body = [
            [txt(t["kmo"]), num(k, bad=k < 0.70), txt("≥ 0.70"), txt(yes if k >= 0.70 else no, bad=k < 0.70)],
            [txt(t["msa_min"] + (f"（{msa.idxmin()}）" if self.lang == "zh" else f" ({msa.idxmin()})")),
             num(msa.min(), bad=msa.min() < 0.5), txt("≥ 0.50"),
             txt(yes if msa.min() >= 0.5 else no, bad=msa.min() < 0.5)],
            [txt(t["bartlett"] + (f"（df = {b.df}）" if self.lang == "zh" else f" (df = {b.df})")), num(b.chisq, 2), txt("*p* < 0.05"),
             txt(yes if b.pvalue < 0.05 else no, bad=b.pvalue >= 0.05)],
            [txt("p (Bartlett)"), pcell(b.pvalue), txt(""), txt("")],
            [txt(t["pa_factors"]), integer(pa.n_factors), txt(t["pa_criterion"].format(n=n_cons)),
             txt(yes if pa.n_factors == n_cons else no, bad=pa.n_factors != n_cons)],
            [txt(t["pa_components"]), integer(pa.n_components), txt(""), txt("")],
        ]
        return Table("kmo", t["t_kmo"], [hdr(t["statistic"], t["value"], t["criterion"], t["verdict"])], body,
                     notes=[t["kmo_note"]])

    def efa(self) -> Table:
        t, m = self.t, self.res.measurement
        loadings = m.efa.loadings
        flags = m.efa_flags
        construct_of = {i.code: c.code for c in self.study.first_order for i in c.items}
        names = efa_factor_names(self.study, loadings, flags)
        factors = list(loadings.columns)
        def factor_label(k: int, f: str) -> str:  # "PA1 (LOY)" in English, "因子1（顾客忠诚）" in Chinese
            if self.lang == "zh":
                return f"因子{k}" + (f"（{self.name(names[f])}）" if names[f] != f else "")
            return f"{f}" + (f" ({names[f]})" if names[f] != f else "")

        head = [hdr(t["item"], t["construct"], *[factor_label(k, f) for k, f in enumerate(factors, 1)],
                    t["h2"], t["msa"])]
        body = []
        msa = m.kmo.per_item
        for item in loadings.index:
            fl = flags.loc[item]
            row = [txt(item + (" ‡" if fl["flagged"] else ""), "label"), txt(self._construct_cell(construct_of.get(item, "")))]
            for f in factors:
                v = loadings.loc[item, f]
                primary = f == fl["primary"]
                row.append(num(v, strong=primary, bad=(primary and abs(v) < 0.5) or (not primary and abs(v) >= 0.4)))
            row += [num(m.efa.communalities[item]), num(msa.get(item, float("nan")), bad=msa.get(item, 1) < 0.5)]
            body.append(row)
        var = m.efa.variance
        for label, col, scale in ((t["ss_loadings"], "ss_loadings", 1), (t["prop_var"], "proportion_var", 100),
                                  (t["cum_var"], "cumulative_var", 100)):
            body.append([txt(label, "label", colspan=2)] + [num(var.loc[f, col] * scale, 3 if scale == 1 else 1)
                                                            for f in factors] + [txt(""), txt("")])
        return Table("efa", t["t_efa"], head, body, notes=[t["efa_note"]])

    def cfa(self) -> Table:
        t, m = self.t, self.res.measurement
        body = []
        for code, c in m.constructs.items():
            k = len(c.loadings)
            for j, (item, lam) in enumerate(c.loadings.items()):
                row = [txt(self.name(code), "label", rowspan=k)] if j == 0 else []
                row += [txt(self.name(item) if c.second_order else item), num(lam, bad=round(lam, 3) < 0.60 or lam > 1)]
                if j == 0:
                    row += [_span(num(c.cr, bad=not (c.cr >= 0.70)), k), _span(num(c.ave, bad=not (c.ave >= 0.50)), k)]
                body.append(row)
        return Table("cfa", t["cfa_title"], [hdr(t["construct"], t["item"], t["loading"], t["cr"], t["ave"])], body,
                     notes=[t["cfa_note"].format(estimator=estimation_label(self.res, t, short=True))
                            + (t["cfa_note_2nd"] if self.study.second_order else "")])

    def _fit_rows(self, fit: dict, with_source: bool, judged: bool = True,
                  converged: bool | None = None) -> list[list[Cell]]:
        """Rows of a fit table; with ``judged`` False (a model that did not converge or is improper) the
        values are shown for diagnosis but every verdict is "—"."""
        t = self.t
        if converged is False:  # no solution: not even the fit values are shown
            fit = {k: (float("nan") if isinstance(v, (int, float)) and k not in ("df", "npar", "ntotal") else v)
                   for k, v in fit.items()}
        # the χ² test's p is part of its value, not a verdict: the verdict column stays empty for it
        sep = "，" if self.lang == "zh" else ", "
        chisq = (f"{fit['chisq']:.2f} ({int(fit['df'])})" if fit["chisq"] == fit["chisq"] else f"— ({int(fit['df'])})")
        if fit["pvalue"] == fit["pvalue"]:
            chisq += f"{sep}*p* {fmt_p(fit['pvalue'])}"
        rows = [[txt("χ² (df)", "label"), txt(chisq), txt(""), txt("")] + ([txt("")] if with_source else [])]
        for key, label, *_rest, source in FIT_CRITERIA:
            if key not in fit:  # an ML index under WLSMV
                continue
            crit, verdict = fit_verdict(key, fit[key])
            rows.append([txt(label, "label"), num(fit[key], bad=judged and verdict == "poor"), txt(crit),
                         txt(t[verdict], bad=verdict == "poor") if judged else txt("—")]
                        + ([txt(source)] if with_source else []))
        rows.append([txt("RMSEA 90% CI", "label"), ci_text(fit["rmsea.ci.lower"], fit["rmsea.ci.upper"]), txt(""), txt("")]
                    + ([txt("")] if with_source else []))
        if self.res.estimator in ("MLM", "MLR"):  # robust ML: the scaled test and the robust indices
            scaled_p = fit["pvalue.scaled"]
            rows.append([txt(f"χ² scaled ({self.res.estimator})", "label"),
                         txt(f"{fit['chisq.scaled']:.2f} ({int(fit['df'])}){sep}c = {fit['chisq.scaling.factor']:.3f}"
                             f"{sep}*p* {fmt_p(scaled_p)}"), txt(""), txt("")]
                        + ([txt("[@satorra1994]" if self.res.estimator == "MLM" else "[@yuan2000]")]
                           if with_source else []))
            for key, label in (("cfi.robust", "CFI robust"), ("tli.robust", "TLI robust"),
                               ("rmsea.robust", "RMSEA robust")):
                crit, verdict = fit_verdict(key.split(".")[0], fit[key])
                rows.append([txt(label, "label"), num(fit[key], bad=judged and verdict == "poor"), txt(crit),
                             txt(t[verdict], bad=verdict == "poor") if judged else txt("—")]
                            + ([txt("[@brosseau2014]")] if with_source else []))
        return rows

    def cfa_fit(self) -> Table:
        t = self.t
        # with its own source column: the note's "see the sources in the table" must hold for this table too
        return Table("cfa_fit", t["cfa_fit"], [hdr(t["index"], t["value"], t["criterion"], t["verdict"], t["source_col"])],
                     self._fit_rows(reported_fit(self.res.cfa_fit, self.res.estimator), True, self.res.cfa.proper,
                                   self.res.cfa.converged),
                     notes=[t["wlsmv_note"] if self.res.estimator == "WLSMV" else t["fit_note"]])

    def fornell_larcker(self) -> Table:
        t, fl = self.t, self.res.measurement.fornell_larcker
        body = []
        for i, a in enumerate(fl.index):
            row = [txt(f"{i + 1}. {self.name(a)}", "label")]
            for j, b in enumerate(fl.columns):
                if j < i:
                    v = fl.loc[a, b]
                    row.append(num(v, bad=abs(v) > fl.loc[a, a] or abs(v) > fl.loc[b, b]))
                elif j == i:
                    row.append(num(fl.loc[a, a], strong=True))
                else:
                    row.append(txt(""))
            body.append(row)
        return Table("fl", t["fl_title"], [hdr(t["construct"], *[str(k + 1) for k in range(len(fl.columns))])], body,
                     notes=[t["fl_note"]])

    def htmt(self) -> Table:
        t, h = self.t, self.res.measurement.htmt
        codes = list(h.index)
        body = []  # the lower triangle without the diagonal: no empty first row, no empty last column
        for i, a in enumerate(codes[1:], 1):
            row = [txt(f"{i + 1}. {self.name(a)}", "label")]
            for j, b in enumerate(codes[:-1]):
                row.append(num(h.loc[a, b], bad=h.loc[a, b] >= 0.85) if j < i else txt(""))
            body.append(row)
        return Table("htmt", t["htmt_title"], [hdr(t["construct"], *[str(k + 1) for k in range(len(codes) - 1)])], body,
                     notes=[t["htmt_note"]])

    def htmt_ci(self) -> Table | None:
        t, ci = self.t, self.res.measurement.htmt_ci
        if ci is None or not len(ci):
            return None
        body = []
        for _, r in ci.iterrows():
            verdict = "good" if r["ci_upper"] < 0.85 else "acceptable" if r["ci_upper"] < 0.90 else "poor"
            body.append([txt(f"{self.name(r['a'])}—{self.name(r['b'])}", "label"), num(r["htmt"], bad=r["htmt"] >= 0.85),
                         ci_text(r["ci_lower"], r["ci_upper"]), txt(t[verdict], bad=verdict == "poor")])
        return Table("htmt_ci", t["t_htmt_ci"], [hdr(t["pair"], "HTMT", t["ci95"], t["verdict"])], body,
                     notes=[t["htmt_ci_note"]])

    # -- correlations of construct scores
    def correlations(self) -> Table:
        t, s = self.t, self.scores
        codes = list(s.r.index)
        head = [hdr(t["construct"], t["mean"], t["sd"], *[str(k + 1) for k in range(len(codes) - 1)])]
        body = []
        for i, a in enumerate(codes):
            row = [txt(f"{i + 1}. {self.name(a)}", "label"), num(s.mean[a]), num(s.sd[a])]
            for j, b in enumerate(codes[:-1]):
                if j < i:
                    row.append(txt("—") if part_whole(self.study, a, b) else num(s.r.loc[a, b], p=s.p.loc[a, b]))
                else:
                    row.append(txt(""))
            body.append(row)
        notes = [t["corr_note"].format(n=s.n, second=t["corr_note_2nd"] if self.study.second_order else "")]
        if self.study.second_order:
            notes.append(t["corr_part_whole"])
        return Table("corr", t["t_corr"], head, body, notes=notes)

    # -- structural model
    def fit(self) -> Table:
        t = self.t
        notes = [t["wlsmv_note"] if self.res.estimator == "WLSMV" else t["fit_note"]]
        if self.res.missing == "fiml":
            notes.append(t["fiml_note"].format(n=self.res.data.n_analysed, complete=self.res.n_complete))
        if self.res.estimator in ("MLM", "MLR"):
            notes.append(t["robust_note"].format(estimator=self.res.estimator))
        return Table("fit", t["t_fit"], [hdr(t["index"], t["value"], t["criterion"], t["verdict"], t["source_col"])],
                     self._fit_rows(reported_fit(self.res.sem_fit, self.res.estimator), True, self.res.sem_proper,
                                   self.res.sem.converged),
                     notes=notes)

    def _parameter(self, lhs: str, op: str, rhs: str) -> str:
        """A model parameter in words, not lavaan syntax: a path, a loading or a (residual) covariance."""
        zh = self.lang == "zh"
        name = self.name
        if op == "~":
            return f"{name(rhs)} → {name(lhs)}"
        if op == "=~":
            return f"{rhs} 在{name(lhs)}上的载荷" if zh else f"loading of {rhs} on {name(lhs)}"
        return f"{name(lhs)}与{name(rhs)}的残差协方差" if zh else f"residual covariance of {name(lhs)} and {name(rhs)}"

    def modification(self) -> Table | None:
        t, mi = self.t, self.res.modification
        if mi is None or not len(mi) or not self.res.sem_proper:
            return None
        body = [[txt(self._parameter(m["lhs"], m["op"], m["rhs"]), "label"), num(m["mi"], 2), num(m["epc"]),
                 num(m["sepc_all"])] for _, m in mi.iterrows()]
        return Table("mi", t["mi_title"], [hdr(t["parameter"], "MI", "EPC", "sEPC")], body, notes=[t["mi_note"]])

    def paths(self) -> Table:
        t = self.t
        body = []
        # the MLR sensitivity check, shown when the answers are too non-normal for ML (verdicts.robust_paths)
        robust = {r.id: r for r in (robust_paths(self.res) or ())}
        for h in self.res.hypotheses:
            row = [txt(h.id, "label"), txt(f"{self.name(h.from_)} → {self.name(h.to)}"), txt(h.sign)]
            if self.res.sem_proper:
                result = t["supported"] if h.supported else t["not_supported"]
                row += [num(h.est), num(h.se), num(h.z), pcell(h.pvalue), num(h.std_all, p=h.pvalue)]
                if robust:
                    r = robust[h.id]
                    row += [num(r.se), pcell(r.pvalue)]
                row.append(txt(result, bad=not h.supported))
            else:  # an improper solution's estimates are not findings
                row += [txt("—")] * 5 + [txt(t["not_judged"])]
            body.append(row)
        extra = (("S.E.（MLR）", "*p*（MLR）") if self.lang == "zh" else ("S.E. (MLR)", "*p* (MLR)")) if robust else ()
        head = [hdr(t["hypothesis"], t["path"], t["expected"], "*B*", "S.E.", "C.R.", "*p*", "β", *extra, t["result"])]
        notes = [t["paths_note"]] + ([t["paths_mlr_note"]] if robust else [])
        return Table("paths", t["t_paths"], head, body, notes=notes)

    def r2(self) -> Table:
        t = self.t
        body = [[txt(self.name(k), "label"), num(v) if self.res.sem_proper else txt("—")] for k, v in self.res.r2.items()]
        return Table("r2", t["r2_title"], [hdr(t["construct"], t["r2"])], body)

    def effects(self) -> Table | None:
        t, e = self.t, self.res.effects
        if not self.res.sem_proper:
            return None
        body = []
        for to in self.study.structural_constructs:
            for frm in self.study.structural_constructs:
                if frm == to:
                    continue
                total = e["total"].get(to, {}).get(frm, 0.0)
                if abs(total) < 1e-12:
                    continue
                direct = e["direct"][to][frm]
                body.append([txt(f"{self.name(frm)} → {self.name(to)}", "label"),
                             num(direct) if abs(direct) > 1e-12 else txt("—"),
                             num(e["indirect"][to][frm]) if abs(e["indirect"][to][frm]) > 1e-12 else txt("—"),
                             num(total)])
        if not body:
            return None
        return Table("effects", t["t_effects"], [hdr(t["path"], t["direct"], t["indirect_col"], t["total"])], body,
                     notes=[t["effects_note"]])

    def mediation(self) -> Table | None:
        t, res = self.t, self.res
        if not res.mediation:
            return None
        boot = res.bootstrap_resamples > 0 and any(m.bootstrap is not None for m in res.mediation)
        # AMOS theses report the bootstrap SE and both the percentile and the bias-corrected interval
        bc = "偏差校正" if self.lang == "zh" else "bias-corrected"
        head = [hdr(t["hypothesis"], t["chain"], t["effect"], "β",
                    *([f"Boot {t['se_boot']}", t["ci"], f"{t['ci']}（{bc}）" if self.lang == "zh" else f"{t['ci']} ({bc})"]
                      if boot else []), t["mc_ci"],
                    t["direct_beta"], t["type"])]
        body = []
        for m in res.mediation:
            row = [txt(m.id or "", "label"), txt(" → ".join(self.name(c) for c in m.path))]
            if not res.sem_proper:  # no interval was computed, and the estimates are not findings
                body.append(row + [txt("—")] * (len(head[0]) - 3) + [txt(t["not-interpretable"])])
                continue
            row += [num(m.delta.est), num(m.delta.std_all)]
            if boot:
                b = m.bootstrap
                row += [num(b.boot_se), ci_text(b.ci_lower, b.ci_upper), ci_text(b.bc_lower, b.bc_upper)] if b else \
                    [txt("—")] * 3
            kind = t[m.verdict]
            # the percentile interval decides the type; when the Monte Carlo or bias-corrected interval disagrees
            # on 0 the text calls the effect borderline, and so does the table
            b = m.bootstrap
            others = [(m.monte_carlo.ci_lower, m.monte_carlo.ci_upper)] + ([(b.bc_lower, b.bc_upper)] if b else [])
            decided = (b.ci_lower, b.ci_upper) if b else (m.monte_carlo.ci_lower, m.monte_carlo.ci_upper)
            excludes = lambda lo, hi: lo > 0 or hi < 0  # noqa: E731
            if any(excludes(*o) != excludes(*decided) for o in others if all(map(math.isfinite, o))):
                kind += "（临界）" if self.lang == "zh" else " (borderline)"
            row += [ci_text(m.monte_carlo.ci_lower, m.monte_carlo.ci_upper),
                    num(m.direct_std) if m.direct_std is not None else txt("—"), txt(kind)]
            body.append(row)
        draws = res.mediation[0].monte_carlo.draws
        if not res.sem_proper:
            note = t["med_improper"]
        else:
            note = (t["med_note"].format(resamples=res.bootstrap_resamples, seed=res.seed)
                    + t["mc_note"].format(draws=draws) if boot else t["med_none_boot"].format(draws=draws))
        return Table("mediation", t["t_mediation"], head, body, notes=[note])

    # -- groups
    def group_fit(self, g) -> Table:
        t = self.t
        tests = {x["model"]: x for x in g.tests}
        body = []
        robust = getattr(g, "estimator", "ML") != "ML"
        chisq, cfi, tli, rmsea = (("chisq.scaled", "cfi.robust", "tli.robust", "rmsea.robust") if robust else
                                  ("chisq", "cfi", "tli", "rmsea"))
        for level, m in g.models.items():
            test = tests.get(level)
            # an improper model's fit is no finding, nor a Δχ² test that compares it with another model
            fit = ([num(m.fit[chisq], 2), integer(m.fit["df"]), num(m.fit[cfi]), num(m.fit[tli]), num(m.fit[rmsea]),
                    num(m.fit["srmr"])] if m.proper else [txt("—")] * 6)
            tested = test is not None and m.proper and g.models[test["against"]].proper
            body.append([txt(t[level], "label")] + fit
                        + ([num(test["chisq_diff"], 2), integer(test["df_diff"]), pcell(test["pvalue"])] if tested
                           else [txt("—")] * 3 if test else [txt(""), txt(""), txt("")]))
        colon, semicolon = ("：", "；") if self.lang == "zh" else (": ", "; ")
        sizes = semicolon.join(f"{self.label_of(g.column, code)}{colon}*n* = {n}" for code, n in g.n.items())
        return Table("g_fit", t["g_fit"].format(column=self.label_of(g.column)),
                     [hdr(t["model"], "χ²", "df", "CFI", "TLI", "RMSEA", "SRMR", "Δχ²", "Δdf", "p")], body,
                     notes=[f"{sizes}{'。' if self.lang == 'zh' else '. '}{t['g_fit_note']}"]
                     + ([t["g_fit_note_scaled"].format(estimator=g.estimator)] if robust else [])
                     + ([t["g_not_proper"]] if not all(m.proper for m in g.models.values()) else []))

    def method_factor(self) -> Table | None:
        t, mf = self.t, self.res.method_factor
        if mf is None:
            return None
        rows = []
        for label, f, diff in ((t["ulmc_trait"], mf.trait_fit, False), (t["ulmc_method"], mf.method_fit, True)):
            if diff and not mf.proper:  # an improper solution's numbers are not findings, as the failed SEM's
                rows.append([txt(label, "label")] + [txt("—")] * 10)
                continue
            rows.append([txt(label, "label"), num(f.chisq, 2), integer(f.df), num(f.cfi), num(f.tli), num(f.rmsea),
                         num(f.srmr)]
                        + ([num(mf.chisq_diff, 2), integer(mf.df_diff), pcell(mf.pvalue_diff), num(mf.cfi_diff)]
                           if diff else [txt("")] * 4))
        on = (t["ulmc_on_complete"].format(n=self.res.n_complete)
              if self.res.missing == "fiml" and self.res.n_complete != self.res.data.n_analysed else "")
        if not mf.proper:
            note = t["ulmc_improper"].format(on=on)
        else:
            note = t["ulmc_note"].format(lam=fmt(mf.method_loading) if math.isfinite(mf.method_loading) else "—",
                                         method=f"{100 * mf.method_variance:.1f}%",
                                         trait=f"{100 * mf.substantive_variance:.1f}%", on=on)
            if math.isfinite(mf.pvalue_boundary):
                note += t["ulmc_boundary"].format(p=("*p* " + fmt_p(mf.pvalue_boundary)))
        return Table("ulmc", t["t_ulmc"],
                     [hdr(t["model"], "χ²", "df", "CFI", "TLI", "RMSEA", "SRMR", "Δχ²", "Δdf", "p", "ΔCFI")], rows,
                     notes=[note])

    def group_paths(self, g) -> Table:
        t = self.t
        two = len(g.groups) == 2
        head = [[txt(t["path"], "label", rowspan=2)] + [txt(self.label_of(g.column, code), "label", colspan=3)
                                                      for code in g.groups]
                + ([txt(t["cr_diff"], "label", rowspan=2)] if two else []),
                [txt(x, "label") for _ in g.groups for x in ("B", "β", "p")]]
        p = g.paths
        d = g.differences
        body = []
        proper = g.models["configural"].proper  # the paths are the configural model's estimates
        for h in self.res.hypotheses:
            row = [txt(f"{h.id}: {self.name(h.from_)} → {self.name(h.to)}", "label")]
            if not proper:
                body.append(row + [txt("—")] * (3 * len(g.groups) + two))
                continue
            for code in g.groups:
                r = p[(p["group"] == code) & (p["from"] == h.from_) & (p["to"] == h.to)].iloc[0]
                row += [num(r["est"]), num(r["std_all"], p=r["pvalue"]), pcell(r["pvalue"])]
            if two:
                r = d[(d["from"] == h.from_) & (d["to"] == h.to)].iloc[0]
                row.append(num(r["critical_ratio"], bad=abs(r["critical_ratio"]) > 1.96))
            body.append(row)
        return Table("g_paths", t["g_paths"].format(column=self.label_of(g.column)), head, body,
                     notes=[t["g_paths_note"]] + ([] if proper else [t["g_paths_not_proper"]]))

    # -- IPMA
    def ipma_table(self, level: str = "construct") -> Table | None:
        """The importance–performance table of one level of the drivers ("construct", "dimension", "item")."""
        t, ip = self.t, self.ipma
        if ip is None or not ip.points:
            return None
        out = self.name(ip.outcome)
        items = self.res.data.items

        def mean_of(code: str) -> float:
            from .scores import construct_items
            codes = [code] if code in items.columns else construct_items(self.study, code)
            return float(items[codes].mean(axis=1).mean())

        label = (lambda code: self.name(code)) if level != "item" else (lambda code: code)
        body = [[txt(label(p.code), "label"), num(p.importance), num(mean_of(p.code)), num(p.performance, 1),
                 txt(t[p.quadrant], bad=p.quadrant == "concentrate")]
                for p in sorted(ip.points, key=lambda p: -p.importance)]
        sc = self.study.scale
        note = t[f"ipma_note_{level}"].format(outcome=out, min=sc.min, max=sc.max, icut=fmt(ip.importance_cut),
                                              pcut=f"{ip.performance_cut:.1f}")
        first = {"construct": t["construct"], "dimension": t["dimension"], "item": t["item"]}[level]
        return Table(f"ipma_{level}", t[f"t_ipma_{level}"].format(outcome=out),
                     [hdr(first, t["importance"], t["mean"], t["performance"], t["quadrant"])], body,
                     notes=[note, *self._ipma_model_note(ip)])

    def _ipma_model_note(self, ip) -> list[str]:
        """When the data favour the partial-mediation model, which model's total effects the importances use,
        and the drivers' total effects in the favoured model."""
        from .mediation_types import better_partial_model
        q = self.res.questions
        if better_partial_model(q) is None:
            return []
        totals = {t.x: t.total.std_all for t in q.mediation if t.proper and t.model != "hypothesized"
                  and t.y == ip.outcome}
        here = self.res.effects["total"].get(ip.outcome, {})
        if not totals:
            return []
        zh = self.lang == "zh"
        pairs = [(f"{self.name(x)} → {self.name(ip.outcome)}", fmt(here.get(x, float("nan"))), fmt(v))
                 for x, v in totals.items()]
        if zh:
            return ["重要性采用假设模型的总效应；在数据更支持的部分中介模型中，"
                    + "；".join(f"“{a}”的标准化总效应为 {new}（此处为 {old}）" for a, old, new in pairs) + "。"]
        return ["The importances use the total effects of the hypothesized model; in the partial-mediation model "
                "that the data favour, the standardized total effect "
                + "; ".join(f"{a} is {new} (here {old})" for a, old, new in pairs) + "."]


def _span(cell: Cell, rows: int) -> Cell:
    cell.rowspan = rows
    return cell
