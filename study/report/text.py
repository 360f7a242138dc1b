"""Words of the report in Chinese and English: labels, table titles, notes with thresholds and sources,
and, for the class audience, how to read each table and the formula behind it.

Finding paragraphs are not here: they are generated from the results in :mod:`study.report.narrative`.
"""

from __future__ import annotations

import math

from ..data import REASONS_ZH

# Thresholds with their sources, as examiners expect them quoted.
FIT_CRITERIA = [
    # key, label, direction, acceptable, good, source
    ("chisq/df", "χ²/df", "max", 3.0, 2.0, "[@carmines1981]"),
    ("cfi", "CFI", "min", 0.90, 0.95, "[@bentler1990; @hu1999]"),
    ("tli", "TLI", "min", 0.90, 0.95, "[@tucker1973; @hu1999]"),
    ("rmsea", "RMSEA", "max", 0.08, 0.06, "[@browne1993; @hu1999]"),
    ("srmr", "SRMR", "max", 0.08, 0.08, "[@hu1999]"),
    ("gfi", "GFI", "min", 0.80, 0.90, "[@doll1994]"),
    ("agfi", "AGFI", "min", 0.80, 0.90, "[@doll1994]"),
    ("nfi", "NFI", "min", 0.90, 0.95, "[@bentler1980]"),
    ("ifi", "IFI", "min", 0.90, 0.95, "[@bollen1989]"),
]

TEXT = {
    "en": {
        "report": "Empirical analysis", "simulated": "Simulated data",
        "simulated_note": "The responses analysed here are simulated by the tool from a population model with known "
                          "parameters. They illustrate the analysis; they are not findings about real customers.",
        "simulated_note_plain": "The responses analysed here are simulated. They illustrate the analysis; they are not "
                                "findings about real customers.",
        "t_ipma_construct": "Importance and performance of the driver constructs for {outcome}",
        "t_ipma_dimension": "Importance and performance of the dimensions for {outcome}",
        "t_ipma_item": "Importance and performance of the items for {outcome}",
        "ipma_note_construct": "Importance: total standardized effect on {outcome}; performance: the mean score rescaled "
                               "to 0–100, 100·(mean − {min})/({max} − {min}). Quadrants are cut at the mean importance "
                               "({icut}) and mean performance ({pcut}) of the points shown. Importance–performance map ([@!martilla1977]) adapted from "
                               "[@!ringle2016]: standardized total effects of the covariance-based model take the place of their unstandardized PLS-SEM effects.",
        "ipma_note_dimension": "Importance: the dimension's share of its construct's item weights (factor-score "
                               "regression weights of the fitted model, rescaled to sum to 1) × the construct's total "
                               "standardized effect on {outcome}; performance: the mean score rescaled to 0–100, "
                               "100·(mean − {min})/({max} − {min}). Quadrants are cut at the mean importance ({icut}) and "
                               "mean performance ({pcut}); adapted from [@!ringle2016], with factor-score weights in place of PLS-SEM weights.",
        "ipma_note_item": "Importance: the item's weight in its construct (factor-score regression weights of the "
                          "fitted model, rescaled to sum to 1) × the construct's total standardized effect on {outcome}; "
                          "performance: the item's mean rescaled to 0–100, 100·(mean − {min})/({max} − {min}). Quadrants "
                          "are cut at the mean importance ({icut}) and mean performance ({pcut}); adapted from [@!ringle2016], with factor-score weights in place of PLS-SEM weights.",
        "t_truth": "True (population) values and estimates of the simulated data", "true_value": "True value",
        "estimate": "Estimate (β)", "difference": "Difference", "covers": "95% CI covers the true value",
        "yes": "yes", "no": "no",
        "truth_note": "The data were simulated from these standardized values; an estimate differs from its true value by "
                      "sampling error, and answers on a Likert scale (categories instead of continuous values) pull "
                      "loadings slightly down. About 95% of the intervals should cover the true value. A true indirect effect is "
                      "the product of the true paths along its chain; its interval is the delta-method interval of the "
                      "standardized estimate. The true interaction is on the scale of standardized constructs.",
        "s_ipma": "Importance–performance analysis", "lead_end": ". ", "lead_colon": ": ", "warnings_n": "Warnings ({n})", "n_vars": "number of items *p*",
        "dimension": "Dimension", "key_findings": "Key findings", "actions": "Priorities for action",
        "med_improper": "The structural model has no proper solution: no indirect effect or interval is reported.",
        "source": "Data source", "warnings": "Warnings", "no_warnings": "No warnings.",
        "s_sample": "Sample and data screening", "s_items": "Descriptive statistics of the items",
        "s_reliability": "Reliability", "s_validity": "Validity", "s_cmb": "Common method bias",
        "s_corr": "Construct correlations", "s_fit": "Model fit", "s_paths": "Structural paths and hypotheses",
        "s_mediation": "Mediation", "s_about": "About this report",
        "reasons": {"incomplete answers": "incomplete answers", "straight-lining": "straight-lining",
                    "duplicate id": "duplicate id", "failed attention check": "failed attention check",
                    "too fast": "too fast"},
        "received": "Respondents received", "analysed": "Respondents analysed", "excluded": "Excluded",
        "reason": "Reason", "count": "n", "share": "%",
        "item": "Item", "construct": "Construct", "mean": "Mean", "sd": "SD", "min": "Min", "max": "Max",
        "skew": "Skewness", "kurt": "Kurtosis", "missing": "Missing",
        "items_note": "Skewness and kurtosis are SPSS's G1 and G2 (excess kurtosis). |skewness| < 2 and "
                      "|kurtosis| < 7 are taken as acceptable for ML estimation ([@west1995]).",
        "n_items": "Items", "alpha": "Cronbach's α", "std_alpha": "Standardized α", "citc": "CITC",
        "aid": "α if item deleted", "cr": "CR", "ave": "AVE", "loading": "Std. loading",
        "cfa_title": "Confirmatory factor analysis: standardized loadings, CR and AVE",
        "cfa_note": "Standardized loadings from the measurement model (all constructs correlated, {estimator}). "
                    "CR = (Σλ)² / ((Σλ)² + Σ(1 − λ²)), AVE = mean λ² ([@fornell1981]); "
                    "criteria: loading ≥ 0.70 (≥ 0.60 acceptable), CR ≥ 0.70, AVE ≥ 0.50 ([@hair2019]).",
        "cfa_note_2nd": " Second-order constructs: loadings of their dimensions in the structural model.",
        "cfa_fit": "Fit of the measurement model",
        "fl_title": "Discriminant validity: Fornell–Larcker criterion",
        "fl_note": "Diagonal: √AVE; below it: latent correlations from the CFA. Discriminant validity holds when "
                   "each √AVE exceeds the construct's correlations ([@fornell1981]); failures are bold.",
        "htmt_title": "Discriminant validity: heterotrait–monotrait ratio (HTMT)",
        "htmt_note": "HTMT as the R package semTools computes it ([@jorgensen2022]; geometric means of item correlations, [@roemer2021]). "
                     "Criterion: HTMT < 0.85 (< 0.90 for conceptually close constructs; [@henseler2015]); values at "
                     "or above 0.85 are bold.",
        "index": "Index", "value": "Value", "criterion": "Criterion", "verdict": "Verdict",
        "good": "good", "acceptable": "acceptable", "poor": "poor",
        "robust_note": "Estimator {estimator}: the estimates are maximum likelihood, but standard errors, p-values and "
                       "the χ² test are corrected for non-normal answers ({estimator} = Satorra-Bentler (MLM) or "
                       "Huber-White with the Yuan-Bentler test (MLR), as lavaan); the robust CFI, TLI and RMSEA follow "
                       "[@!brosseau2014]. Modification indices are normal-theory ML.",
        "fiml_note": "Missing answers: full-information maximum likelihood (FIML, lavaan missing = \"ml\") on all "
                     "{n} respondents ({complete} of them answered every item). χ² compares the model with the "
                     "unrestricted model estimated by EM; standard errors come from the observed information. "
                     "Modification indices are not computed under FIML.",
        "wlsmv_note": "Estimator WLSMV: the items are treated as ordinal; the model is fitted by diagonally weighted "
                      "least squares to their polychoric correlations ([@muthen1984]), with robust standard errors. "
                      "χ², CFI, TLI and RMSEA are the mean- and variance-adjusted (scaled and shifted) versions, "
                      "lavaan's .scaled; GFI, AGFI, NFI and IFI are maximum-likelihood indices and are not given. "
                      "Group comparisons and the method-factor check use normal-theory ML; modification indices "
                      "and the bootstrap are not available with WLSMV.",
        "fit_note": "Indices as lavaan defines them ([@rosseel2012]; ML). Criteria: see the sources in the table; GFI/AGFI ≥ 0.90 "
                    "good, ≥ 0.80 acceptable ([@doll1994]).",
        "hypothesis": "Hypothesis", "path": "Path", "expected": "Expected", "result": "Result",
        "supported": "supported", "not_supported": "not supported", "not_judged": "not judged",
        "not-interpretable": "not interpretable (improper solution)",
        "paths_mlr_note": "S.E. (MLR), *p* (MLR): robust (Huber–White) standard errors of the same ML estimates and "
                          "their *p*-values, as lavaan's MLR estimator gives them ([@yuan2000]); a sensitivity check for the "
                          "non-normal answers. The hypotheses are judged by the ML *p*-value.",
        "paths_note": "B: unstandardized estimate; S.E.: standard error; C.R.: critical ratio (z); β: standardized "
                      "estimate (std.all). * *p* < 0.05, ** *p* < 0.01, *** *p* < 0.001. A hypothesis is supported when its "
                      "path is significant (*p* < 0.05) in the expected direction.",
        "r2": "R²", "r2_title": "Explained variance of the endogenous constructs",
        "chain": "Indirect path", "effect": "Indirect effect", "ci": "95% bootstrap CI", "type": "Mediation",
        "mc_ci": "95% Monte Carlo CI",
        "med_note": "Unstandardized indirect effect (product of paths) with percentile bootstrap interval from "
                    "{resamples} resamples (seed {seed}); β: standardized indirect effect; an indirect effect "
                    "counts when its interval excludes 0; bias-corrected interval as lavaan's bca.simple "
                    "([@efron1993]). Mediation types after [@!zhao2010]. All from the hypothesized model; the type of "
                    "mediation is judged in the model with the direct path (below).",
        "med_none_boot": "No bootstrap was run (--bootstrap 0): significance is judged on the Monte Carlo interval "
                          "({draws} draws from the estimates' normal sampling distribution; [@preacher2012]).",
        "mc_note": " Monte Carlo interval: {draws} draws from the estimates' normal sampling distribution "
                   "([@preacher2012]), shown for comparison.",
        "full": "indirect-only", "complementary": "partial (complementary)",
        "competitive": "partial (competitive)", "direct-only": "none (direct only)", "none": "none",
        "indirect": "indirect (no direct path in the model)",
        "about": "About this report: computed with loyalty-study {version} (Python) on {created}. Estimation: {estimation}; the solution "
                 "is refined to lavaan's convergence and all fit indices follow lavaan 0.6's definitions.",
        "estimation": {"ML": "maximum likelihood", "MLM": "maximum likelihood with Satorra-Bentler corrections (MLM)",
                       "MLR": "maximum likelihood with robust (Huber-White) corrections (MLR)",
                       "WLSMV": "WLSMV on polychoric correlations (items as ordinal)",
                       "FIML": "full-information maximum likelihood (FIML)"},
        "fig_model": "Structural model with standardized paths",
        "mi_title": "Largest modification indices of the structural model",
        "mi_note": "MI: expected drop of χ² if the parameter were freed; EPC: expected parameter change (sEPC: "
                   "standardized). Shown for diagnosis only: freeing parameters because the data suggest it fits "
                   "the model to this sample and needs a substantive reason ([@maccallum1992]).",
        "parameter": "Parameter",
        "s_groups": "Group comparison", "g_fit": "Measurement and structural invariance across groups of {column}",
        "g_paths": "Structural paths by {column}", "model": "Model", "configural": "Configural",
        "metric": "Metric (equal loadings)", "structural": "Structural (equal loadings and paths)",
        "t_ulmc": "Common-method bias: model with an unmeasured latent method factor",
        "ulmc_trait": "CFA, constructs only (ML)", "ulmc_method": "CFA + method factor (ML)",
        "ulmc_note": "Method factor: every item loads on it with one common loading λₘ (variance 1, uncorrelated with "
                     "the constructs; [@podsakoff2003]). λₘ = {lam}. Average share of item variance explained by "
                     "the method factor: {method}; by the constructs: {trait}. Fitted by ML{on}.",
        "ulmc_on_complete": " on the {n} respondents who answered every item",
        "ulmc_boundary": " *p*: against χ²(1), as lavaan; “no method factor” lies on the boundary (λₘ² = 0), where the "
                         "mixture ½χ²₀ + ½χ²₁ applies (half the χ²(1) *p* when Δχ² > 0; [@self1987; @stoel2006]): {p}.",
        "ulmc_improper": "The model with the method factor has no proper solution (see the warnings): its fit, Δχ² and "
                         "variance shares are not interpretable (shown as —). Fitted by ML{on}.",
        "g_fit_note_scaled": "Δχ²: [@!satorra2001] scaled chi-square difference ({estimator}), as lavaan's "
                             "lavTestLRT; χ², CFI, TLI and RMSEA of each model are the robust versions.",
        "g_fit_note": "Δχ²: chi-square difference to the less constrained model above it. Invariance holds when "
                      "Δχ² is not significant (*p* ≥ 0.05); with large samples also ΔCFI ≥ −0.01 ([@cheung2002]).",
        "g_paths_note": "Unconstrained (configural) model. C.R.: critical ratio of the difference between the groups' "
                        "unstandardized paths, (B₁ − B₂)/√(SE₁² + SE₂²); |C.R.| > 1.96 means the path differs at *p* < 0.05.",
        "g_not_proper": "—: no proper solution (the model did not converge or its solution is improper); its fit and "
                        "the Δχ² tests that rest on it are not findings.",
        "g_paths_not_proper": "The configural model has no proper solution (see the warnings): its paths and their "
                              "differences are not findings (shown as —).",
        "cr_diff": "C.R. of difference",
        "improper": "Improper or unreliable solution",
        "improper_note": "The estimates below are not valid findings; read the warnings first.",
    },
    "zh": {
        "report": "实证分析", "simulated": "模拟数据",
        "simulated_note": "本报告分析的数据由本工具按参数已知的总体模型模拟生成，仅用于演示分析流程，不是关于真实顾客的研究结论。",
        "simulated_note_plain": "本报告分析的数据为模拟数据，仅用于演示分析流程，不是关于真实顾客的研究结论。",
        "t_ipma_construct": "各前因构念对{outcome}的重要性与表现",
        "t_ipma_dimension": "各维度对{outcome}的重要性与表现",
        "t_ipma_item": "各题项对{outcome}的重要性与表现",
        "ipma_note_construct": "重要性：对{outcome}的标准化总效应；表现：均值换算为 0–100，即 100·(均值 − {min})/({max} − {min})。"
                               "以所列各点的平均重要性（{icut}）与平均表现（{pcut}）划分象限。重要性—表现分析源自 [@!martilla1977]，本文参照 "
                               "[@!ringle2016] 的做法并加以调整：以协方差结构模型的标准化总效应代替其 PLS-SEM 非标准化总效应。",
        "ipma_note_dimension": "重要性：该维度在所属构念题项权重（拟合模型的因子得分回归权重，换算为总和为 1）中所占份额 × 所属构念对"
                               "{outcome}的标准化总效应；表现：均值换算为 0–100，即 100·(均值 − {min})/({max} − {min})。"
                               "以平均重要性（{icut}）与平均表现（{pcut}）划分象限；参照 [@!ringle2016] 的做法，以因子得分权重代替 PLS-SEM 权重。",
        "ipma_note_item": "重要性：该题项在所属构念中的权重（拟合模型的因子得分回归权重，换算为总和为 1）× 所属构念对{outcome}"
                          "的标准化总效应；表现：题项均值换算为 0–100，即 100·(均值 − {min})/({max} − {min})。以平均重要性"
                          "（{icut}）与平均表现（{pcut}）划分象限；参照 [@!ringle2016] 的做法，以因子得分权重代替 PLS-SEM 权重。",
        "t_truth": "模拟数据的真实（总体）值与估计值", "true_value": "真实值", "estimate": "估计值（β）",
        "difference": "差值", "covers": "95% 置信区间是否包含真实值", "yes": "是", "no": "否",
        "truth_note": "数据按这些标准化真实值模拟生成；估计值与真实值的差异来自抽样误差，且李克特量表的分档作答（而非连续值）"
                      "会使载荷略微偏低。约 95% 的置信区间应包含真实值。间接效应的真实值为中介链上各真实路径之积，其置信区间为标准化估计值的"
                      "delta 法区间；交互项的真实值以标准化构念为单位。",
        "s_ipma": "重要性—表现分析", "lead_end": "：", "lead_colon": "：", "warnings_n": "警告（{n}）", "n_vars": "题项数 *p*",
        "dimension": "维度", "key_findings": "主要发现", "actions": "行动优先顺序",
        "med_improper": "结构模型没有合理解：不报告任何间接效应及其置信区间。",
        "source": "数据来源", "warnings": "警告", "no_warnings": "无警告。",
        "s_sample": "样本与数据筛选", "s_items": "题项描述性统计", "s_reliability": "信度分析",
        "s_validity": "效度分析", "s_cmb": "共同方法偏差检验", "s_corr": "构念相关分析", "s_fit": "模型拟合",
        "s_paths": "路径系数与假设检验", "s_mediation": "中介效应检验", "s_about": "关于本报告",
        "reasons": REASONS_ZH,
        "received": "回收问卷", "analysed": "有效样本", "excluded": "剔除", "reason": "原因", "count": "人数",
        "share": "百分比",
        "item": "题项", "construct": "构念", "mean": "均值", "sd": "标准差", "min": "最小值", "max": "最大值",
        "skew": "偏度", "kurt": "峰度", "missing": "缺失",
        "items_note": "偏度与峰度为 SPSS 的 G1、G2（超额峰度）。|偏度| < 2、|峰度| < 7 视为可接受，满足极大似然估计对近似正态的要求（[@west1995]）。",
        "n_items": "题项数", "alpha": "Cronbach's α", "std_alpha": "标准化 α", "citc": "CITC",
        "aid": "删除该题项后的 α", "cr": "组合信度 CR", "ave": "平均方差抽取量 AVE", "loading": "标准化载荷",
        "cfa_title": "验证性因子分析：标准化载荷、CR 与 AVE",
        "cfa_note": "标准化载荷来自测量模型（各构念自由相关，{estimator}）。CR = (Σλ)² / ((Σλ)² + Σ(1 − λ²))，AVE = λ² 的均值（[@fornell1981]）；标准：载荷 ≥ 0.70（≥ 0.60 可接受），CR ≥ 0.70，AVE ≥ 0.50（[@hair2019]）。",
        "cfa_note_2nd": "二阶构念：各维度在结构模型中的载荷。",
        "cfa_fit": "测量模型拟合",
        "fl_title": "区分效度：Fornell–Larcker 检验",
        "fl_note": "对角线为 AVE 的平方根，下三角为验证性因子分析的潜变量相关系数。各构念 √AVE 大于其与其他构念的相关系数时，区分效度成立（[@fornell1981]）；不满足者加粗。",
        "htmt_title": "区分效度：异质—单质比率（HTMT）",
        "htmt_note": "HTMT 按 R 软件包 semTools 的算法（[@jorgensen2022]；题项相关的几何平均，[@roemer2021]）。标准：HTMT < 0.85（概念相近的构念 < 0.90；[@henseler2015]）；≥ 0.85 者加粗。",
        "index": "拟合指标", "value": "数值", "criterion": "标准", "verdict": "判断",
        "good": "良好", "acceptable": "可接受", "poor": "不佳",
        "robust_note": "估计方法 {estimator}：参数估计值仍为极大似然估计，但标准误、p 值与 χ² 检验已针对非正态作答进行校正（MLM 为 Satorra-Bentler 校正，MLR 为 Huber-White 标准误与 Yuan-Bentler 检验，与 lavaan 一致）；稳健 CFI、TLI、RMSEA 依 [@!brosseau2014]。修正指数仍基于正态理论的极大似然。",
        "fiml_note": "缺失值：采用完全信息极大似然法（FIML，即 lavaan 的 missing = \"ml\"），使用全部 {n} 名受访者"
                     "（其中 {complete} 人回答了全部题项）。χ² 为本模型与以 EM 算法估计的无约束模型之比较；标准误基于观测信息矩阵。"
                     "FIML 下不计算修正指数。",
        "wlsmv_note": "估计方法 WLSMV：题项作为有序类别变量处理，以对角加权最小二乘法拟合其多分格（polychoric）相关矩阵"
                      "（[@muthen1984]），并给出稳健标准误。χ²、CFI、TLI 与 RMSEA 为均值与方差校正（scaled and shifted）后的值，"
                      "即 lavaan 的 .scaled 指标；GFI、AGFI、NFI、IFI 属于极大似然指标，不予报告。分组比较与方法因子检验采用"
                      "正态理论的极大似然估计；WLSMV 下不提供修正指数与 Bootstrap。",
        "fit_note": "指标定义与 lavaan 一致（[@rosseel2012]；极大似然估计）。标准的出处见表；GFI/AGFI ≥ 0.90 为良好，≥ 0.80 为可接受（[@doll1994]）。",
        "hypothesis": "假设", "path": "路径", "expected": "预期", "result": "结论",
        "supported": "支持", "not_supported": "不支持", "not_judged": "无法判断",
        "not-interpretable": "无法解释（解不合理）",
        "paths_mlr_note": "S.E.（MLR）、*p*（MLR）：同一极大似然估计的稳健（Huber–White）标准误及其 *p* 值，与 lavaan 的 MLR "
                          "估计一致（[@yuan2000]）；因作答明显偏离正态而作为敏感性分析报告，假设仍按 ML 的 *p* 值判断。",
        "paths_note": "B：非标准化系数；S.E.：标准误；C.R.：临界比（z 值）；β：标准化系数。* *p* < 0.05，** *p* < 0.01，*** *p* < 0.001。路径在预期方向上显著（*p* < 0.05）时假设得到支持。",
        "r2": "R²", "r2_title": "内生构念的解释方差",
        "chain": "中介路径", "effect": "间接效应", "ci": "95% Bootstrap 置信区间", "type": "中介类型",
        "mc_ci": "95% 蒙特卡洛置信区间",
        "med_note": "非标准化间接效应（路径系数之积），百分位 Bootstrap 置信区间基于 {resamples} 次重抽样（种子 {seed}）；β 为标准化间接效应。置信区间不含 0 时间接效应显著；偏差校正区间与 lavaan 的 bca.simple 相同（[@efron1993]）。中介类型依 [@!zhao2010]。以上均来自假设模型；中介类型在含直接路径的模型中判断（见下表）。",
        "med_none_boot": "未进行 Bootstrap（--bootstrap 0）：显著性依据蒙特卡洛置信区间判断（从估计值的正态抽样分布中抽取 {draws} 次；[@preacher2012]）。",
        "mc_note": "蒙特卡洛置信区间：从估计值的正态抽样分布中抽取 {draws} 次（[@preacher2012]），供对照。",
        "full": "仅间接效应的中介", "complementary": "部分中介（互补型）", "competitive": "部分中介（竞争型）",
        "direct-only": "无中介（仅直接效应）", "none": "无中介", "indirect": "间接效应显著（模型中无直接路径）",
        "about": "关于本报告：由 loyalty-study {version}（Python）于 {created} 计算。估计方法：{estimation}；解收敛至 lavaan 的精度，全部拟合指标采用 lavaan 0.6 的定义。",
        "estimation": {"ML": "极大似然", "MLM": "极大似然（Satorra-Bentler 校正，MLM）",
                       "MLR": "极大似然（Huber-White 稳健校正，MLR）", "WLSMV": "基于多分格相关的 WLSMV（题项作为有序类别）",
                       "FIML": "完全信息极大似然（FIML）"},
        "fig_model": "结构模型及标准化路径系数",
        "mi_title": "结构模型最大的修正指数",
        "mi_note": "MI：释放该参数后 χ² 的预期下降量；EPC：参数的预期变化（sEPC 为标准化值）。仅供诊断：仅因数据提示而释放参数是在拟合本样本，必须有理论依据（[@maccallum1992]）。",
        "parameter": "参数",
        "s_groups": "多群组比较", "g_fit": "{column}各组之间的测量与结构不变性检验",
        "g_paths": "按{column}分组的结构路径", "model": "模型", "configural": "形态等同（未限定）",
        "metric": "测量等同（载荷相等）", "structural": "结构等同（载荷与路径相等）",
        "t_ulmc": "共同方法偏差：加入不可测量潜在方法因子的模型比较",
        "ulmc_trait": "CFA，仅构念（ML）", "ulmc_method": "CFA + 方法因子（ML）",
        "ulmc_note": "方法因子：全部题项以同一载荷 λₘ 负荷于其上（方差为 1，与各构念不相关；[@podsakoff2003]）。"
                     "λₘ = {lam}。方法因子平均解释题项方差的 {method}，构念平均解释 {trait}。以极大似然估计{on}。",
        "ulmc_on_complete": "（基于回答了全部题项的 {n} 名受访者）",
        "ulmc_boundary": "*p* 值按 χ²(1) 计算，与 lavaan 一致；“无方法因子”处于参数边界（λₘ² = 0），应以混合分布 ½χ²₀ + ½χ²₁ "
                         "为参照（Δχ² > 0 时 *p* 值减半；[@self1987; @stoel2006]）：{p}。",
        "ulmc_improper": "加入方法因子的模型未得到合理解（见警告）：其拟合、Δχ² 与方差比例均无法解释（以“—”表示）。以极大似然估计{on}。",
        "g_fit_note_scaled": "Δχ²：[@!satorra2001] 校正的卡方差异检验（{estimator}），与 lavaan 的 lavTestLRT 一致；"
                             "各模型的 χ²、CFI、TLI 与 RMSEA 为稳健值。",
        "g_fit_note": "Δχ²：与上一行限定较少的模型相比的卡方差异。Δχ² 不显著（*p* ≥ 0.05）时不变性成立；大样本下亦可参考 ΔCFI ≥ −0.01（[@cheung2002]）。",
        "g_paths_note": "未限定（形态等同）模型的估计。C.R.：两组非标准化路径系数之差的临界比 (B₁ − B₂)/√(SE₁² + SE₂²)；|C.R.| > 1.96 表示该路径在两组间差异显著（*p* < 0.05）。",
        "g_not_proper": "—：该模型没有得到合理解（未收敛或解不合理），其拟合指标及依赖它的 Δχ² 检验均不能作为结果解读。",
        "g_paths_not_proper": "形态等同模型没有得到合理解（见警告）：各组路径系数及其组间差异均不能作为结果解读（以“—”表示）。",
        "cr_diff": "差异临界比 C.R.",
        "improper": "解不合理或不可靠",
        "improper_note": "以下估计值不能作为研究结论，请先阅读警告。",
    },
}


def fmt(value, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if round(value, digits) == 0:
        value = 0.0  # no "−0.000"
    return f"{value:.{digits}f}".replace("-", "−")


def fmt_p(p) -> str:
    """p as APA prints it: '< 0.001' or '= 0.023'."""
    if p is None or not math.isfinite(p):
        return "—"
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


def stars(p) -> str:
    if p is None or not math.isfinite(p):
        return ""
    return "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else ""


SCALED_FOR_WLSMV = ("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "rmsea.ci.lower", "rmsea.ci.upper",
                    "rmsea.pvalue")


def reported_fit(fit: dict, estimator: str) -> dict:
    """The fit measures a report shows, under lavaan's plain names.

    For WLSMV these are lavaan's ``.scaled`` (mean- and variance-adjusted) χ², CFI, TLI and RMSEA,
    which WLSMV users report (the unscaled DWLS values are not a test); GFI, AGFI, NFI and IFI are ML
    indices and are absent. For the other estimators the fit is returned as it is.
    """
    if estimator != "WLSMV":
        return fit
    out = {k: v for k, v in fit.items() if not k.endswith(".scaled")}
    for key in SCALED_FOR_WLSMV:
        out[key] = fit[key + ".scaled"]
    out["chisq/df"] = out["chisq"] / out["df"] if out["df"] > 0 else float("nan")
    return out


def estimation_label(res, t: dict, short: bool = False) -> str:
    """How the models were estimated, in the report's language: the estimator, or FIML."""
    key = "FIML" if res.missing == "fiml" else res.estimator
    if short:  # the estimator's name, or the words for plain ML
        return t["estimation"]["ML"] if key == "ML" else key
    return t["estimation"][key]


def fit_verdict(key: str, value: float) -> tuple[str, str]:
    """(criterion text, verdict key) for a fit index."""
    for k, _, direction, acceptable, good, _ in FIT_CRITERIA:
        if k == key:
            if value is None or not math.isfinite(value):
                return "", "poor"
            if direction == "min":
                verdict = "good" if value >= good else "acceptable" if value >= acceptable else "poor"
                return (f"≥ {acceptable:.2f}" + (f" (≥ {good:.2f})" if good != acceptable else "")), verdict
            verdict = "good" if value <= good else "acceptable" if value <= acceptable else "poor"
            return (f"≤ {acceptable:.2f}" + (f" (≤ {good:.2f})" if good != acceptable else "")), verdict
    raise KeyError(key)


# --- words added for the chapter layout, the audiences and the class notes ----------------------------
EXTRA = {
    "en": {
        "s_conclusions": "Conclusions and management implications", "s_limitations": "Limitations",
        "s_summary": "Executive summary", "s_appendix": "Technical appendix",
        "s_front": "Overview", "chapter": "Chapter {n}",
        "prepared_for": "Prepared for {client}", "client_report": "Client report", "class_report": "Teaching edition",
        "how_to_read": "How to read this table", "formula": "Formula", "example": "In this study",
        "t_demo": "Profile of the respondents", "question": "Question", "category": "Category",
        "no_answer": "No answer", "t_mardia": "Multivariate normality (Mardia's test)",
        "statistic": "Statistic", "test_stat": "Test statistic", "df": "df", "p": "p",
        "mardia_skew": "Multivariate skewness b₁,ₚ", "mardia_kurt": "Multivariate kurtosis b₂,ₚ",
        "mardia_note": "Skewness test: χ² = n·b₁,ₚ/6 with p(p+1)(p+2)/6 df; kurtosis test: *z* = (b₂,ₚ − p(p+2))/√(8p(p+2)/n) "
                       "([@mardia1970]; as the R package psych computes it, [@revelle2022]). *p* < 0.05 rejects multivariate normality; a kurtosis z above 5 "
                       "signals a departure that matters for ML estimation ([@bentler2005]).",
        "t_reliability": "Reliability of the constructs", "ci95": "95% CI", "omega": "McDonald's ω",
        "rel_note2": "Criteria: α ≥ 0.70 ([@nunnally1978]); corrected item–total correlation (CITC) ≥ 0.40 ([@wu2010]; "
                     "[@!nunnally1994] give 0.30 as the minimum); an item "
                     "whose deletion raises α is marked †. 95% CI of α: [@!feldt1965]. ω: McDonald's omega from the "
                     "CFA loadings (as the R package semTools computes it, [@jorgensen2022]), ≥ 0.70.",
        "rel_note_2nd": " Second-order constructs: α of all their dimensions' items.",
        "rel_note_pls": "Criteria: α ≥ 0.70 ([@nunnally1978]); corrected item–total correlation (CITC) ≥ 0.40 "
                        "([@wu2010]; [@!nunnally1994] give 0.30 as the minimum); an item whose deletion raises α is "
                        "marked †. 95% CI of α: [@!feldt1965]. Composite reliability and AVE of the PLS-SEM model are "
                        "in the measurement-model section.",
        "rel_formative": "Formative constructs ({names}) are not in this table: α and the item–total correlation "
                         "assume items that reflect one construct, which formative indicators need not do "
                         "([@hair2022], ch. 5).",
        "t_kmo": "Sampling adequacy, sphericity and number of factors", "criterion_src": "Criterion",
        "kmo": "Kaiser–Meyer–Olkin (KMO)", "msa_min": "Smallest item MSA", "bartlett": "Bartlett's test χ²",
        "pa_factors": "Factors suggested by parallel analysis", "pa_components": "Components suggested by parallel analysis",
        "pa_criterion": "equal to the {n} first-order constructs", "reverse_mark": " (reverse-scored)",
        "n_constructs": "First-order constructs in the questionnaire",
        "kmo_note": "KMO ≥ 0.70 and each item's measure of sampling adequacy (MSA) ≥ 0.50 ([@kaiser1974]); Bartlett's "
                    "test *p* < 0.05; parallel analysis: factors whose eigenvalue exceeds the mean of 100 random data "
                    "sets of the same size ([@horn1965]).",
        "t_efa": "Exploratory factor analysis: rotated loading matrix", "h2": "h²", "msa": "MSA",
        "ss_loadings": "Sum of squared loadings", "prop_var": "Variance explained (%)",
        "cum_var": "Cumulative variance (%)",
        "efa_note": "Principal-axis factoring with varimax rotation, as many factors as first-order constructs "
                    "(as the R package psych computes it, [@revelle2022]). The item's largest loading is bold; ‡ marks an item with a primary loading below "
                    "0.50 or a cross-loading of 0.40 or more (red) ([@hair2019]). h²: communality; MSA: the item's "
                    "measure of sampling adequacy.",
        "t_htmt_ci": "HTMT with bootstrap confidence intervals", "pair": "Pair",
        "htmt_ci_note": "95% percentile bootstrap interval of HTMT (1,000 resamples of respondents; "
                        "[@henseler2015]). Discriminant validity is established when the upper bound is below 0.90 "
                        "(below 0.85 by the strict criterion).",
        "t_corr": "Means, standard deviations and correlations of the construct scores",
        "corr_note": "Construct score: the mean of its items{second}. "
                     "Pearson correlations, *n* = {n}; * *p* < 0.05, ** *p* < 0.01, *** *p* < 0.001 (two-sided).",
        "corr_part_whole": "—: a second-order construct and its own dimensions (a part–whole correlation, not reported).",
        "corr_note_2nd": " (a second-order construct: of all its dimensions' items)",
        "t_fit": "Fit of the structural model", "source_col": "Source",
        "t_paths": "Path coefficients and hypothesis tests",
        "t_effects": "Standardized direct, indirect and total effects", "direct": "Direct", "indirect_col": "Indirect",
        "total": "Total",
        "effects_note": "Standardized effects from the structural model: total = (I − B*)⁻¹ − I with B* the "
                        "standardized paths, indirect = total − direct ([@bollen1987]).",
        "t_mediation": "Indirect effects (mediation)", "direct_beta": "Direct β", "se_boot": "S.E.", "importance": "Importance",
        "performance": "Performance (0–100)", "quadrant": "Quadrant",
        "concentrate": "Concentrate here", "keep": "Keep up the good work", "low": "Low priority",
        "overkill": "Possible overkill",
        "fig_likert": "Distribution of the answers to each item", "fig_ipma": "Importance–performance map for {outcome}",
        "likert_note": "Share of the analysed respondents choosing each answer (percent in the bars).",
        "likert_reverse": "Reverse-coded items are shown after recoding.",
        "legend_sig": "*p* < 0.05", "legend_ns": "not significant (*p* ≥ 0.05)",
        "ipma_x": "Performance (0–100)", "ipma_y": "Importance (total effect)",
        "improper_fig": " (improper solution: not interpretable)",
        "logo": "Logo",
        "key_figures": "Key figures", "n_valid": "Valid responses", "hyp_supported": "Hypotheses supported",
        "model_fit": "Model fit",
        "sources": "Sources",
    },
    "zh": {
        "s_conclusions": "研究结论与管理启示", "s_limitations": "研究局限",
        "s_summary": "执行摘要", "s_appendix": "技术附录",
        "s_front": "概览", "chapter": "第{n}章",
        "prepared_for": "委托方：{client}", "client_report": "客户报告", "class_report": "教学版",
        "how_to_read": "如何阅读本表", "formula": "计算公式", "example": "本研究中",
        "t_demo": "样本人口统计特征", "question": "题项", "category": "类别",
        "no_answer": "未作答", "t_mardia": "多元正态性检验（Mardia 检验）",
        "statistic": "统计量", "test_stat": "检验统计量", "df": "自由度", "p": "p",
        "mardia_skew": "多元偏度 b₁,ₚ", "mardia_kurt": "多元峰度 b₂,ₚ",
        "mardia_note": "偏度检验：χ² = n·b₁,ₚ/6，自由度 p(p+1)(p+2)/6；峰度检验：*z* = (b₂,ₚ − p(p+2))/√(8p(p+2)/n)"
                       "（[@mardia1970]；与 R 软件包 psych 的 mardia 函数一致，[@revelle2022]）。*p* < 0.05 拒绝多元正态假设；峰度 z 值大于 5 表示偏离程度"
                       "足以影响极大似然估计（[@bentler2005]）。",
        "t_reliability": "各构念的信度", "ci95": "95% 置信区间", "omega": "McDonald's ω",
        "rel_note2": "判断标准：α ≥ 0.70（[@nunnally1978]）；校正的项总相关 CITC ≥ 0.40（[@wu2010]），[@!nunnally1994] 以 0.30 为最低要求；删除后 α 上升的题项以 † 标出。"
                     "α 的 95% 置信区间按 [@!feldt1965] 计算。ω：由验证性因子分析载荷计算的 McDonald's ω（与 R 软件包 "
                     "semTools 一致，[@jorgensen2022]），≥ 0.70。",
        "rel_note_2nd": "二阶构念：其全部维度题项的 α。",
        "rel_note_pls": "判断标准：α ≥ 0.70（[@nunnally1978]）；校正的项总相关 CITC ≥ 0.40（[@wu2010]），[@!nunnally1994] "
                        "以 0.30 为最低要求；删除后 α 上升的题项以 † 标出。α 的 95% 置信区间按 [@!feldt1965] 计算。"
                        "PLS-SEM 模型的组合信度与 AVE 见测量模型一节。",
        "rel_formative": "形成型构念（{names}）未列入本表：α 与项总相关以题项反映同一构念为前提，形成型指标不必满足这一前提"
                         "（[@hair2022]，第 5 章）。",
        "t_kmo": "抽样适当性、球形检验与因子数", "criterion_src": "标准",
        "kmo": "KMO 值", "msa_min": "题项 MSA 最小值", "bartlett": "Bartlett 球形检验 χ²",
        "pa_factors": "平行分析建议的因子数", "pa_components": "平行分析建议的成分数",
        "pa_criterion": "等于一阶构念数（{n}）", "reverse_mark": "（反向计分）",
        "n_constructs": "问卷中的一阶构念数",
        "kmo_note": "KMO ≥ 0.70，且每个题项的抽样适当性 MSA ≥ 0.50（[@kaiser1974]）；Bartlett 检验 *p* < 0.05；平行分析："
                    "特征值大于 100 组同规模随机数据平均特征值的因子数（[@horn1965]）。",
        "t_efa": "探索性因子分析：旋转后的因子载荷矩阵", "h2": "共同度 h²", "msa": "MSA",
        "ss_loadings": "载荷平方和", "prop_var": "解释方差（%）", "cum_var": "累计解释方差（%）",
        "efa_note": "主轴因子法，方差最大化（varimax）旋转，因子数等于一阶构念数（与 R 软件包 psych 一致，[@revelle2022]）。各题项最大的载荷加粗；"
                    "‡ 表示主载荷低于 0.50 或交叉载荷达到 0.40（红色）的题项（[@hair2019]）。h²：共同度；"
                    "MSA：题项的抽样适当性。",
        "t_htmt_ci": "HTMT 及其 Bootstrap 置信区间", "pair": "构念对",
        "htmt_ci_note": "HTMT 的 95% 百分位 Bootstrap 置信区间（对受访者重抽样 1000 次；[@henseler2015]）。区间上限低于 0.90（严格标准 0.85）时区分效度成立。",
        "t_corr": "构念得分的均值、标准差与相关系数",
        "corr_note": "构念得分为其题项的均值{second}。Pearson 相关，*n* = {n}；"
                     "* *p* < 0.05，** *p* < 0.01，*** *p* < 0.001（双侧）。",
        "corr_part_whole": "—：二阶构念与其自身维度之间为部分—整体相关，不予报告。",
        "corr_note_2nd": "（二阶构念为其全部维度题项的均值）",
        "t_fit": "结构模型拟合", "source_col": "出处",
        "t_paths": "路径系数与假设检验结果",
        "t_effects": "标准化直接效应、间接效应与总效应", "direct": "直接效应", "indirect_col": "间接效应",
        "total": "总效应",
        "effects_note": "结构模型的标准化效应：总效应 = (I − B*)⁻¹ − I，B* 为标准化路径系数矩阵；间接效应 = 总效应 − "
                        "直接效应（[@bollen1987]）。",
        "t_mediation": "中介效应（间接效应）检验", "direct_beta": "直接效应 β", "se_boot": "标准误", "importance": "重要性", "performance": "表现（0–100）",
        "quadrant": "象限",
        "concentrate": "重点改进区", "keep": "继续保持区", "low": "次要改进区", "overkill": "可能过度投入区",
        "fig_likert": "各题项的作答分布", "fig_ipma": "{outcome}的重要性—表现矩阵",
        "likert_note": "柱内数字为选择各选项的有效受访者百分比。",
        "likert_reverse": "反向计分题项按反向后的分值显示。",
        "legend_sig": "*p* < 0.05", "legend_ns": "不显著（*p* ≥ 0.05）",
        "ipma_x": "表现（0–100）", "ipma_y": "重要性（总效应）",
        "improper_fig": "（解不合理，不能解释）",
        "logo": "标志",
        "key_figures": "关键数字", "n_valid": "有效样本", "hyp_supported": "得到支持的假设",
        "model_fit": "模型拟合",
        "sources": "出处",
    },
}
for _lang, _words in EXTRA.items():
    TEXT[_lang].update(_words)


# --- class audience: how to read each table, and the formula behind it -------------------------------
READING = {
    "measures": {
        "en": ("Each construct is measured with items adapted from published scales; the source column says where "
               "they come from, and the reference list gives the full source.",
               "items of a second-order construct = the items of all its dimensions"),
        "zh": ("每个构念的题项改编自已发表的量表；“量表来源”列说明题项出处，完整文献见参考文献。",
               "二阶构念的题项数 = 其各维度题项数之和"),
    },
    "ratings": {
        "en": ("The summary's figures: how well each aspect is rated, as a mean on 0–100 and as the share of "
               "customers choosing one of the two highest points.",
               "rating = 100·(mean − scale minimum)/(scale maximum − scale minimum)"),
        "zh": ("摘要中的数字：各方面的评价，以 0–100 的均值和选择最高两档的顾客比例表示。",
               "评价 = 100·(均值 − 量表最低分)/(量表最高分 − 量表最低分)"),
    },
    "screening": {
        "en": ("Follow the respondents from the questionnaires received to those analysed: every excluded "
               "respondent is counted under one reason, so the rows add up.",
               "valid share = analysed / received × 100 %"),
        "zh": ("从回收问卷追踪到有效样本：每个被剔除的受访者只计入一个原因，各行相加等于回收总数。",
               "有效率 = 有效样本 / 回收问卷 × 100%"),
    },
    "demo": {
        "en": ("Each question's categories with their count and share of the valid respondents; compare the profile "
               "with the population the study speaks about (is any group over- or under-represented?).",
               "% = n(category) / n(valid) × 100 %"),
        "zh": ("每个背景题项各类别的人数及其占有效样本的比例；将样本结构与研究所推论的总体对照，看是否有群体过多或过少。",
               "% = 类别人数 / 有效样本数 × 100%"),
    },
    "items": {
        "en": ("Read the mean against the scale (its midpoint is neutral) and the SD as the spread of opinions. "
               "Skewness and kurtosis near 0 mean a roughly normal distribution; red values break |skew| < 2 or "
               "|kurtosis| < 7.",
               "G1 = √(n(n−1))/(n−2) · m₃/(m₂·√m₂);  G2 = (n−1)/((n−2)(n−3)) · ((n+1)·m₄/m₂² − 3(n−1)),  "
               "mᵣ = Σ(x − x̄)ʳ / n"),
        "zh": ("对照量表读均值（量表中点表示中立），标准差表示意见的分散程度。偏度、峰度接近 0 表示近似正态；"
               "红色数值超出 |偏度| < 2 或 |峰度| < 7。",
               "G1 = √(n(n−1))/(n−2) · m₃/(m₂·√m₂)；G2 = (n−1)/((n−2)(n−3)) · ((n+1)·m₄/m₂² − 3(n−1))，"
               "mᵣ = Σ(x − x̄)ʳ / n"),
    },
    "mardia": {
        "en": ("Univariate normality of every item does not guarantee multivariate normality. Look at the p-values: "
               "below 0.05 the joint distribution is not normal, and the kurtosis z tells how far it is from normal.",
               "b₁,ₚ = (1/n²) Σᵢ Σⱼ dᵢⱼ³,  b₂,ₚ = (1/n) Σᵢ dᵢᵢ²,  dᵢⱼ = (xᵢ − x̄)ᵀ S⁻¹ (xⱼ − x̄)"),
        "zh": ("每个题项单变量近似正态并不保证多元正态。看 p 值：低于 0.05 表示联合分布不服从正态，峰度 z 值表示偏离的程度。",
               "b₁,ₚ = (1/n²) Σᵢ Σⱼ dᵢⱼ³，b₂,ₚ = (1/n) Σᵢ dᵢᵢ²，dᵢⱼ = (xᵢ − x̄)ᵀ S⁻¹ (xⱼ − x̄)"),
    },
    "reliability": {
        "en": ("Read α per construct against 0.70, then each item: a CITC below 0.40 or an α that rises when the item "
               "is deleted (†) points to an item that does not measure what the others measure.",
               "α = k/(k−1) · (1 − Σσᵢ² / σ²ₜ);  CITC = r(item, sum of the other items);  "
               "ω = (Σλᵢ)² / ((Σλᵢ)² + Σθᵢ)"),
        "zh": ("先看各构念的 α 是否达到 0.70，再看各题项：CITC 低于 0.40 或删除后 α 上升（†）的题项，可能与其他题项测量的不是同一概念。",
               "α = k/(k−1) · (1 − Σσᵢ² / σ²ₜ)；CITC = r(该题项, 其余题项之和)；ω = (Σλᵢ)² / ((Σλᵢ)² + Σθᵢ)"),
    },
    "kmo": {
        "en": ("KMO tells whether the items share enough common variance to be factored; Bartlett's test whether "
               "they are correlated at all; parallel analysis how many factors the data support — compare it with "
               "the number of constructs the questionnaire was designed to measure.",
               "KMO = Σ r²ᵢⱼ / (Σ r²ᵢⱼ + Σ p²ᵢⱼ) over i ≠ j (p: partial correlations);  "
               "χ² = −(n − 1 − (2p + 5)/6) · ln|R|, df = p(p − 1)/2"),
        "zh": ("KMO 说明题项之间的共同方差是否足以做因子分析；Bartlett 检验说明题项之间是否相关；平行分析说明数据支持几个因子，"
               "应与问卷设计的构念数对照。",
               "KMO = Σ r²ᵢⱼ / (Σ r²ᵢⱼ + Σ p²ᵢⱼ)（i ≠ j，p 为偏相关）；χ² = −(n − 1 − (2p + 5)/6) · ln|R|，"
               "自由度 p(p − 1)/2"),
    },
    "efa": {
        "en": ("Each item should load strongly (bold) on one factor, and the items of one construct on the same "
               "factor; red values are cross-loadings. Factors are named after the construct whose items load on them.",
               "R ≈ ΛΛᵀ + Ψ (principal axis);  h²ᵢ = Σⱼ λ²ᵢⱼ;  varimax maximises Σⱼ Var(λ²ᵢⱼ)"),
        "zh": ("每个题项应在一个因子上有高载荷（加粗），同一构念的题项应落在同一个因子上；红色为交叉载荷。"
               "因子以其题项所属的构念命名。",
               "R ≈ ΛΛᵀ + Ψ（主轴因子法）；h²ᵢ = Σⱼ λ²ᵢⱼ；varimax 使 Σⱼ Var(λ²ᵢⱼ) 最大"),
    },
    "cfa": {
        "en": ("Each standardized loading is the correlation of an item with its construct; CR is the reliability of "
               "the construct as a whole, and AVE the share of the items' variance the construct explains.",
               "CR = (Σλ)² / ((Σλ)² + Σ(1 − λ²));  AVE = Σλ² / k"),
        "zh": ("标准化载荷是题项与其构念的相关；CR 是构念整体的信度，AVE 是构念解释其题项方差的比例。",
               "CR = (Σλ)² / ((Σλ)² + Σ(1 − λ²))；AVE = Σλ² / k"),
    },
    "cfa_fit": {
        "en": ("The same indices as for the structural model, for the measurement model alone: a poor fit here is "
               "a measurement problem, not a problem of the hypotheses.",
               "χ² = n·F(ML);  RMSEA = √(max(χ² − df, 0) / (df·n))  (lavaan; AMOS and LISREL use n − 1)"),
        "zh": ("与结构模型相同的指标，只针对测量模型：此处拟合不佳说明测量有问题，而不是假设有问题。",
               "χ² = n·F(ML)；RMSEA = √(max(χ² − df, 0) / (df·n))（lavaan；AMOS 与 LISREL 用 n − 1）"),
    },
    "fl": {
        "en": ("Compare each bold diagonal value (√AVE) with the correlations in its row and column: it should be "
               "the largest.", "√AVEᵢ > |rᵢⱼ| for every j ≠ i"),
        "zh": ("将对角线上加粗的 √AVE 与同行、同列的相关系数比较：它应当最大。", "对所有 j ≠ i，√AVEᵢ > |rᵢⱼ|"),
    },
    "htmt": {
        "en": ("Each value compares the correlations between two constructs' items with those within each construct; "
               "values near 1 mean the two constructs are not distinct.",
               "HTMTᵢⱼ = gmean(r between i and j) / √(gmean(r within i) · gmean(r within j)), gmean: geometric mean (HTMT2)"),
        "zh": ("每个数值比较两个构念题项之间的相关与各构念内部题项的相关；接近 1 表示两个构念难以区分。",
               "HTMTᵢⱼ = 构念间题项相关的几何均值 / √(i 内题项相关的几何均值 · j 内题项相关的几何均值)（HTMT2）"),
    },
    "htmt_ci": {
        "en": ("Judge each pair by the upper bound of its interval, not by the estimate alone.",
               "percentile interval: the 2.5th and 97.5th percentiles of HTMT over the bootstrap resamples"),
        "zh": ("以置信区间的上限而不只是点估计来判断每一对构念。", "百分位区间：各次 Bootstrap 重抽样所得 HTMT 的第 2.5 与第 97.5 百分位数"),
    },
    "corr": {
        "en": ("Means and SDs describe the constructs on the answer scale; below the diagonal, each correlation of "
               "two construct scores with its significance stars.",
               "*r* = Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)² Σ(y − ȳ)²);  *t* = r√((n − 2)/(1 − r²)), df = n − 2"),
        "zh": ("均值与标准差在作答量表上描述各构念；对角线以下是两两构念得分的相关系数及显著性星号。",
               "*r* = Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)² Σ(y − ȳ)²)；*t* = r√((n − 2)/(1 − r²))，自由度 n − 2"),
    },
    "fit": {
        "en": ("Compare each index with its criterion; no single index decides, but CFI, TLI, RMSEA and SRMR together "
               "do ([@hu1999]).",
               "CFI = 1 − max(χ² − df, 0) / max(χ²₀ − df₀, χ² − df, 0);  TLI = (χ²₀/df₀ − χ²/df) / (χ²₀/df₀ − 1);  "
               "SRMR = √(mean of squared standardized residuals)"),
        "zh": ("将每个指标与其标准比较；不由单一指标决定，而看 CFI、TLI、RMSEA 与 SRMR 的综合表现（[@hu1999]）。",
               "CFI = 1 − max(χ² − df, 0) / max(χ²₀ − df₀, χ² − df, 0)；TLI = (χ²₀/df₀ − χ²/df) / (χ²₀/df₀ − 1)；"
               "SRMR = √(标准化残差平方的均值)"),
    },
    "mi": {
        "en": ("Each row is a parameter the model fixes at 0 and how much χ² would drop if it were freed. Use it to "
               "find misfit, not to change the model without a theoretical reason.",
               "MI ≈ (∂F/∂θ)² / E(∂²F/∂θ²) · (n − 1)/2 (score test)"),
        "zh": ("每一行是模型中固定为 0 的参数，以及释放它后 χ² 的预期下降量。用于发现不拟合之处，不能没有理论依据就据此修改模型。",
               "MI ≈ (∂F/∂θ)² / E(∂²F/∂θ²) · (n − 1)/2（得分检验）"),
    },
    "paths": {
        "en": ("For each hypothesis: the unstandardized effect B with its standard error, their ratio C.R. (a z-value: "
               "|z| > 1.96 means *p* < 0.05), and the standardized β to compare paths with each other.",
               "C.R. = B / S.E.;  *p* = 2(1 − Φ(|C.R.|));  β = B · SD(X) / SD(Y)"),
        "zh": ("每个假设：非标准化效应 B 及其标准误，两者之比 C.R.（即 z 值：|z| > 1.96 表示 *p* < 0.05），以及可在路径之间比较的标准化系数 β。",
               "C.R. = B / S.E.；*p* = 2(1 − Φ(|C.R.|))；β = B · SD(X) / SD(Y)"),
    },
    "r2": {
        "en": ("The share of each endogenous construct's variance that its predictors explain.",
               "R² = 1 − ψ / Var(η)"),
        "zh": ("每个内生构念的方差中被其前因变量解释的比例。", "R² = 1 − ψ / Var(η)"),
    },
    "effects": {
        "en": ("Direct effects are the paths; indirect effects run through the mediators; the total is their sum.",
               "total = (I − B*)⁻¹ − I;  indirect = total − direct"),
        "zh": ("直接效应即路径系数；间接效应经由中介变量传递；总效应为两者之和。", "总效应 = (I − B*)⁻¹ − I；间接效应 = 总效应 − 直接效应"),
    },
    "mediation": {
        "en": ("An indirect effect is the product of the paths along the chain. It counts when its 95% interval "
               "excludes 0; the direct effect then tells the type of mediation.",
               "indirect = a·b (a·b·c for serial chains);  percentile CI: 2.5th and 97.5th percentiles over the "
               "bootstrap resamples"),
        "zh": ("间接效应是中介链上各路径系数之积。其 95% 置信区间不含 0 时间接效应显著；再看直接效应以判断中介类型。",
               "间接效应 = a·b（链式中介为 a·b·c）；百分位置信区间：Bootstrap 重抽样结果的第 2.5 与第 97.5 百分位数"),
    },
    "g_fit": {
        "en": ("Read down the models: each adds equality constraints. A non-significant Δχ² means the constraints "
               "are not rejected: the data are consistent with groups that do not differ in that respect.",
               "Δχ² = χ²(restricted) − χ²(free), Δdf = df(restricted) − df(free)"),
        "zh": ("自上而下，每个模型增加等同约束。Δχ² 不显著表示约束未被拒绝，即数据与各组在该方面无差异相容。",
               "Δχ² = χ²(限定模型) − χ²(较少限定的模型)，Δdf = df(限定) − df(较少限定)"),
    },
    "ulmc": {
        "en": ("Compare the two rows: the second adds a method factor that every item loads on equally. Read two "
               "numbers: whether Δχ² is significant — against the mixture ½χ²₀ + ½χ²₁, since “no method factor” lies on "
               "the boundary (λₘ² = 0), so *p* is half the χ²(1) value — and how much item variance the method factor "
               "explains beside the constructs. The 25% reported by [@!williams1989] is the average found in self-report research, a "
               "point of comparison, not a cut-off.",
               "method variance = mean over items of λₘ,std²;  substantive variance = mean of λₜ,std²;  "
               "Δχ² = χ²(CFA) − χ²(CFA + method)"),
        "zh": ("比较两行：第二行加入了一个所有题项以相等载荷负荷其上的方法因子。需看两个数字：Δχ² 是否显著——由于“无方法因子”"
               "处于参数边界（λₘ² = 0），应以混合分布 ½χ²₀ + ½χ²₁ 为参照，*p* 值为 χ²(1) 的一半——以及方法因子与构念各解释了"
               "多少题项方差。[@!williams1989]给出的 25% 是自陈量表研究中的平均水平，只作参照，并非临界值。",
               "方法方差 = 各题项 λₘ,std² 的均值；构念方差 = λₜ,std² 的均值；Δχ² = χ²(CFA) − χ²(CFA + 方法因子)"),
    },
    "g_paths": {
        "en": ("Compare a path across groups by its critical ratio of the difference, not by whether it is "
               "significant in one group and not in the other.",
               "C.R. = (B₁ − B₂) / √(SE₁² + SE₂²)"),
        "zh": ("比较各组的同一路径，应看差异的临界比，而不是看它在一组显著、在另一组不显著。", "C.R. = (B₁ − B₂) / √(SE₁² + SE₂²)"),
    },
    "ipma_construct": {
        "en": ("Points with high importance and low performance are the first candidates for improvement.",
               "performance = 100·(mean − scale minimum)/(scale maximum − scale minimum);  importance = total standardized effect"),
        "zh": ("重要性高而表现低的因素是优先改进的候选。", "表现 = 100·(均值 − 量表最低分)/(量表最高分 − 量表最低分)；重要性 = 标准化总效应"),
    },
    "cfa_unstd": {
        "en": ("The AMOS view of the CFA: B is the loading in the item's own units (the first item of each construct "
               "is fixed at 1 to give the construct a scale); C.R. is B divided by its S.E. and is significant beyond "
               "1.96; SMC is the share of the item's variance its construct explains.",
               "C.R. = B / S.E.;  SMC = β² (one construct per item) = 1 − θ/σ²"),
        "zh": ("AMOS 格式的 CFA 结果：B 为题项原始单位下的载荷（各构念第一个题项固定为 1，以确定构念的尺度）；"
               "C.R. 为 B 除以其标准误，绝对值大于 1.96 即显著；SMC 为构念解释的题项方差比例。",
               "C.R. = B / S.E.；SMC = β²（每个题项只负荷一个构念）= 1 − θ/σ²"),
    },
    "vif_f2": {
        "en": ("VIF tells whether a construct's predictors overlap so much that their paths cannot be told apart; "
               "f² tells how much a path adds to the explained variance of its outcome.",
               "VIFⱼ = 1 / (1 − R²ⱼ);  f² = (R²(with) − R²(without)) / (1 − R²(with))"),
        "zh": ("VIF 说明同一构念的各预测变量是否高度重叠、以致其路径难以区分；f² 说明一条路径对其结果变量的解释方差贡献多少。",
               "VIFⱼ = 1 / (1 − R²ⱼ)；f² = (含该路径 R² − 去掉该路径 R²) / (1 − 含该路径 R²)"),
    },
    "mediation_type": {
        "en": ("Read each hypothesis's rows: if the indirect effect's interval excludes 0 and the direct effect's "
               "includes 0, only the indirect effect is shown to exist (indirect-only mediation; the textbook label "
               "\"full mediation\" claims more, since an interval that includes 0 does not show that the direct "
               "effect is 0: with a larger sample it might be significant); if both exclude 0 with the same sign, "
               "partial mediation, and only then the share mediated, the indirect part of the total effect, is "
               "meaningful. Check the sum: the direct effect plus all indirect effects listed gives the total.",
               "total = direct + Σ indirect;  share = indirect / total"),
        "zh": ("逐个假设阅读：间接效应的置信区间不含 0 而直接效应的包含 0，只能说明间接效应存在，称为“仅间接效应的中介”；"
               "教科书中的“完全中介”说法过强——直接效应的区间包含 0 并不证明直接效应为 0，样本更大时它可能显著。"
               "两者均不含 0 且同号时为部分中介，此时中介效应占比（间接效应占总效应的比例）才有意义。"
               "可以验算：直接效应加上表中所列全部间接效应等于总效应。", "总效应 = 直接效应 + Σ 间接效应；占比 = 间接效应 / 总效应"),
    },
    "competing": {
        "en": ("Compare the hypothesized model with each alternative: Δχ² only where one model is a restricted "
               "version of the other (nested); otherwise, and in any case, the smaller AIC and BIC mark the better "
               "balance of fit and parsimony.",
               "Δχ² = χ²(restricted) − χ²(free);  AIC = −2 logL + 2q;  BIC = −2 logL + q ln n"),
        "zh": ("将假设模型与各备择模型比较：只有当一个模型是另一个模型的限定形式（嵌套）时才看 Δχ²；无论是否嵌套，"
               "AIC 与 BIC 越小，拟合与简约的平衡越好。",
               "Δχ² = χ²(限定模型) − χ²(较少限定的模型)；AIC = −2 logL + 2q；BIC = −2 logL + q ln n"),
    },
    "invariance": {
        "en": ("Read down the levels: each makes more parameters equal across groups. A level holds when fit "
               "barely worsens (small ΔCFI and ΔRMSEA); scalar invariance is needed before latent means are compared.",
               "ΔCFI = CFI(level) − CFI(previous);  ΔRMSEA = RMSEA(level) − RMSEA(previous)"),
        "zh": ("自上而下阅读：每一层级使更多参数在组间相等。拟合几乎不变差（ΔCFI、ΔRMSEA 很小）时该层级成立；"
               "比较潜变量均值之前需要强不变成立。", "ΔCFI = CFI(本层级) − CFI(上一层级)；ΔRMSEA = RMSEA(本层级) − RMSEA(上一层级)"),
    },
    "latent_means": {
        "en": ("Each row is how far a group's latent mean lies from the reference group's, in the construct's "
               "own units, with its test; d expresses it in latent standard deviations.",
               "z = difference / S.E.;  d = difference / √(pooled ψ)"),
        "zh": ("每一行是某组潜变量均值与参照组之差（以构念自身的单位计）及其检验；d 以潜变量标准差为单位表示这一差异。",
               "z = 差值 / S.E.；d = 差值 / √合并 ψ"),
    },
}
READING["ipma_dimension"] = READING["ipma_item"] = {
    "en": ("Points with high importance and low performance are the first candidates for improvement; importance splits the "
           "construct's total effect by the weight of each dimension or item.",
           "importance = wᵢ · total effect;  w = Σₓₓ⁻¹ Cov(x, η), rescaled to Σw = 1;  performance = 100·(mean − scale minimum)/(scale maximum − scale minimum)"),
    "zh": ("重要性高而表现低的因素是优先改进的候选；重要性按各维度或题项的权重分配所属构念的总效应。",
           "重要性 = wᵢ · 总效应；w = Σₓₓ⁻¹ Cov(x, η)，换算为 Σw = 1；表现 = 100·(均值 − 量表最低分)/(量表最高分 − 量表最低分)"),
}
