"""Words of the regression, moderation and moderated-mediation sections in Chinese and English: labels,
table titles, notes with their sources, and the class edition's how-to-read texts (read by
:mod:`.analyses_sections`)."""

from __future__ import annotations


TEXT = {
    "en": {
        "s_regression": "Regression analysis", "s_moderation": "Moderation",
        "s_moderated_mediation": "Moderated mediation",
        "variable": "Variable", "dependent": "Dependent variable", "predictor": "Predictor", "model": "Model {k}",
        "r2": "R²", "adj_r2": "Adjusted R²", "d_r2": "ΔR²", "f": "F", "d_f": "ΔF", "dw": "Durbin–Watson",
        "vif": "VIF", "tol": "Tolerance", "ci": "95 % CI", "intercept": "(Constant)",
        "controls_head": "Control variables", "dummy": "{question}: {level} (ref. {reference})",
        "t_hier": "Hierarchical regression of {y}", "t_coef": "Regression of the construct scores on their hypothesised predictors",
        "t_hc3": "Regressions with heteroscedasticity-consistent (HC3) standard errors",
        "hc3_se": "HC3 S.E.",
        "coef_note": "OLS on construct scores (item means, the scores of the correlation table). B: unstandardized; β: "
                     "standardized coefficient (B·SD(X)/SD(Y)). * *p* < 0.05, ** *p* < 0.01, *** *p* < 0.001. VIF < 5 (tolerance > .20) "
                     "indicates no collinearity problem ([@hair2019]); Durbin–Watson near 2 indicates no serial correlation "
                     "of the residuals in the order of the data file (values below 1 or above 3 are a concern; "
                     "[@field2013]); with cross-sectional respondents it is a check of that order only.",
        "hier_note": "Standardized coefficients β, each with its *t* value in the next column; ΔF tests the R² added by each step (F change). Step 1: control "
                     "variables; step 2: the hypothesised predictors.",
        "hc3_note": "Shown for models whose residuals fail the Breusch–Pagan (Koenker) test of constant variance at "
                    "*p* < 0.05: HC3 standard errors remain valid under heteroscedasticity ([@long2000]).",
        "t_mod": "Moderating effect of {w} on {x} → {y}",
        "mod_note": "Unstandardized coefficients B, each with its *t* value in the next column; X and W are mean-centred before the product is formed "
                    "(PROCESS model 1; [@hayes2022; @aiken1991]). * *p* < 0.05, ** *p* < 0.01, *** *p* < 0.001.",
        "t_slopes": "Simple slopes: effect of {x} on {y} at values of {w}",
        "w_value": "Value of {w}", "slope": "Effect of {x} (B)",
        "slopes_note": "Effect of X at the mean of W and one standard deviation below and above it ([@aiken1991]), or in each group of W; t-tests on the residual degrees of freedom of the model.",
        "low": "Low {w} (M − 1 SD)", "mid": "Mean {w} (M)", "high": "High {w} (M + 1 SD)",
        "fig_slopes": "Simple slopes: {x} and {y} at values of {w}",
        "t_latent": "Latent interaction in the SEM: {w} × {x} → {y}",
        "latent_note": "Double-mean-centred matched-pair product indicators ([@marsh2004; @lin2010]), "
                       "{pairs}; ML. Effects of {x} at the latent mean of {w} and ±1 SD: defined parameters with "
                       "delta-method standard errors.",
        "parameter": "Parameter", "z": "z",
        "t_mm_eq": "Moderated mediation {label}: regression models (PROCESS model {model})",
        "mm_eq_note": "Unstandardized B; variables that form a product are mean-centred (PROCESS; [@hayes2022]). "
                      "* *p* < 0.05, ** *p* < 0.01, *** *p* < 0.001.",
        "t_mm": "Conditional indirect effects of {x} on {y} through {m} at values of {w}",
        "effect": "Indirect effect", "boot_se": "Boot S.E.", "boot_ci": "95 % bootstrap CI",
        "index": "Index of moderated mediation", "contrast": "Difference (high − low)",
        "vs": "{level} − {reference}",
        "mm_note": "Percentile bootstrap, {resamples} resamples (seed {seed}). Moderated mediation is supported when "
                   "the interval of the index excludes 0 ([@hayes2015]).",
        "mm_note_58": "Percentile bootstrap, {resamples} resamples (seed {seed}). With W on both stages the indirect "
                      "effect is not a linear function of W, so the difference between the conditional indirect "
                      "effects at high and low W is tested ([@hayes2022]).",
        "mm_no_boot": "No bootstrap was run: the indirect effects are shown without intervals and "
                      "moderated mediation is not judged.",
        "t_mm_sem": "Moderated mediation {label} in the SEM (latent products)",
        "mm_sem_note": "Defined parameters (lavaan's :=) of the latent model with product indicators; percentile "
                       "bootstrap of ML refits, {resamples} resamples.",
        "ind_low": "Indirect effect, low {w} (−1 SD)", "ind_mid": "Indirect effect, mean {w}",
        "ind_high": "Indirect effect, high {w} (+1 SD)",
        "t_summary": "Summary of hypothesis tests", "content": "Hypothesised relationship", "result": "Result",
        "supported": "supported", "not_supported": "not supported", "not_judged": "not judged",
        "stage": {"first": "first stage, X → M", "second": "second stage, M → Y", "both": "both stages"},
        "M-1SD": "M − 1 SD", "M": "M", "M+1SD": "M + 1 SD",
    },
    "zh": {
        "s_regression": "回归分析", "s_moderation": "调节效应检验", "s_moderated_mediation": "有调节的中介效应",
        "variable": "变量", "dependent": "因变量", "predictor": "自变量", "model": "模型{k}",
        "r2": "R²", "adj_r2": "调整后 R²", "d_r2": "ΔR²", "f": "F", "d_f": "ΔF", "dw": "D–W 值",
        "vif": "VIF", "tol": "容差", "ci": "95% 置信区间", "intercept": "（常量）",
        "controls_head": "控制变量", "dummy": "{question}：{level}（参照：{reference}）",
        "t_hier": "{y}的分层回归分析", "t_coef": "构念得分对其假设前因的回归分析",
        "t_hc3": "异方差稳健（HC3）标准误下的回归结果", "hc3_se": "HC3 标准误",
        "coef_note": "基于构念得分（题项均值，与相关分析相同）的最小二乘回归。B 为非标准化系数，β 为标准化系数（B·SD(X)/SD(Y)）。"
                     "* *p* < 0.05，** *p* < 0.01，*** *p* < 0.001。VIF < 5（容差 > 0.20）表明不存在多重共线性问题（[@hair2019]）；"
                     "D–W 值接近 2 表明按数据文件顺序残差无明显的序列相关（小于 1 或大于 3 需要注意；[@field2013]）；"
                     "对横截面受访者而言，它只检查这一顺序。",
        "hier_note": "表中为标准化系数 β，其右列为对应的 *t* 值；ΔF 检验每一步新增的 R²。第一步纳入控制变量，第二步纳入假设的自变量。",
        "hc3_note": "仅列出残差未通过 Breusch–Pagan（Koenker）同方差检验（*p* < 0.05）的模型：HC3 标准误在异方差下"
                    "仍然有效（[@long2000]）。",
        "t_mod": "{w}对{x}与{y}关系的调节效应检验",
        "mod_note": "表中为非标准化系数 B，其右列为对应的 *t* 值；构造乘积项前对自变量和调节变量进行均值中心化（PROCESS 模型 1；"
                    "[@hayes2022; @aiken1991]）。* *p* < 0.05，** *p* < 0.01，*** *p* < 0.001。",
        "t_slopes": "简单斜率检验：{w}不同水平下{x}对{y}的效应",
        "w_value": "{w}取值", "slope": "{x}的效应（B）",
        "slopes_note": "调节变量取均值及均值加减一个标准差（[@aiken1991]），或按调节变量的各组计算自变量的效应；"
                       "t 检验的自由度为模型的残差自由度。",
        "low": "低{w}（M − 1SD）", "mid": "{w}均值（M）", "high": "高{w}（M + 1SD）",
        "fig_slopes": "{w}的调节效应：简单斜率图",
        "t_latent": "结构方程模型中的潜变量交互：{w} × {x} → {y}",
        "latent_note": "采用双重均值中心化的配对乘积指标（[@marsh2004; @lin2010]）：{pairs}；极大似然估计。"
                       "{x}在{w}潜变量均值及加减一个标准差处的效应为定义参数，标准误采用 delta 法。",
        "parameter": "参数", "z": "z",
        "t_mm_eq": "有调节的中介 {label}：回归模型（PROCESS 模型 {model}）",
        "mm_eq_note": "表中为非标准化系数 B；构成乘积项的变量均已均值中心化（PROCESS；[@hayes2022]）。"
                      "* *p* < 0.05，** *p* < 0.01，*** *p* < 0.001。",
        "t_mm": "{w}不同水平下{x}经由{m}对{y}的条件间接效应",
        "effect": "间接效应", "boot_se": "Boot 标准误", "boot_ci": "95% Bootstrap 置信区间",
        "index": "有调节的中介指数", "contrast": "差值（高 − 低）", "vs": "{level} − {reference}",
        "mm_note": "百分位 Bootstrap，重抽样 {resamples} 次（种子 {seed}）。有调节的中介指数的置信区间不含 0 时，"
                   "有调节的中介效应成立（[@hayes2015]）。",
        "mm_note_58": "百分位 Bootstrap，重抽样 {resamples} 次（种子 {seed}）。调节变量同时作用于前后两段路径时，间接效应"
                      "不是调节变量的线性函数，因此检验高、低调节变量水平下条件间接效应之差（[@hayes2022]）。",
        "mm_no_boot": "未进行 Bootstrap：仅列出间接效应的估计值，不判断有调节的中介效应。",
        "t_mm_sem": "有调节的中介 {label}：结构方程模型（潜变量乘积项）",
        "mm_sem_note": "含乘积指标的潜变量模型中的定义参数（lavaan 的 :=）；极大似然重估的百分位 Bootstrap，"
                       "重抽样 {resamples} 次。",
        "ind_low": "低{w}（−1SD）时的间接效应", "ind_mid": "{w}均值处的间接效应", "ind_high": "高{w}（+1SD）时的间接效应",
        "t_summary": "假设检验结果汇总", "content": "假设内容", "result": "检验结果",
        "supported": "支持", "not_supported": "不支持", "not_judged": "无法判断",
        "stage": {"first": "前半段路径 X → M", "second": "后半段路径 M → Y", "both": "前后两段路径"},
        "M-1SD": "M − 1SD", "M": "M", "M+1SD": "M + 1SD",
    },
}

READING = {
    "regression": {
        "en": ("Read β to compare predictors on one scale, and p for significance; VIF above 5 would mean the "
               "predictors overlap too much to separate their effects.",
               "B = (XᵀX)⁻¹Xᵀy;  βⱼ = Bⱼ·SD(Xⱼ) / SD(Y);  VIFⱼ = 1 / (1 − R²ⱼ)"),
        "zh": ("比较各自变量的 β 大小并看 p 值是否显著；VIF 超过 5 说明自变量之间重叠过多，难以区分各自的作用。",
               "B = (XᵀX)⁻¹Xᵀy；βⱼ = Bⱼ·SD(Xⱼ) / SD(Y)；VIFⱼ = 1 / (1 − R²ⱼ)"),
    },
    "moderation": {
        "en": ("The product term's B and ΔR² in the last model say whether W changes the effect of X; the simple "
               "slopes show how.", "Ŷ = b₀ + b₁X + b₂W + b₃XW;  effect of X at W = w: b₁ + b₃w"),
        "zh": ("看最后一个模型中乘积项的 B 与 ΔR² 是否显著，判断 W 是否改变 X 的效应；简单斜率说明如何改变。",
               "Ŷ = b₀ + b₁X + b₂W + b₃XW；W = w 时 X 的效应为 b₁ + b₃w"),
    },
    "regression_hc3": {
        "en": ("Compare the HC3 p-values with the usual ones: a predictor whose significance changes should be "
               "reported with the HC3 result.",
               "Var(B) = (XᵀX)⁻¹ Xᵀ diag(eᵢ² / (1 − hᵢᵢ)²) X (XᵀX)⁻¹"),
        "zh": ("将 HC3 的 p 值与普通 p 值比较：显著性发生变化的自变量应以 HC3 结果为准。",
               "Var(B) = (XᵀX)⁻¹ Xᵀ diag(eᵢ² / (1 − hᵢᵢ)²) X (XᵀX)⁻¹"),
    },
    "simple_slopes": {
        "en": ("Each row is the effect of X when W takes the value in the first column; compare their sizes and "
               "significance.", "θ(w) = b₁ + b₃w;  SE = √(V₁₁ + 2wV₁₃ + w²V₃₃)"),
        "zh": ("每一行是 W 取第一列数值时 X 的效应；比较各行效应的大小与显著性。", "θ(w) = b₁ + b₃w；SE = √(V₁₁ + 2wV₁₃ + w²V₃₃)"),
    },
    "latent_interaction": {
        "en": ("The X × W row is the interaction free of measurement error; compare its sign and significance with "
               "the regression.", "xᵢwᵢ* = (xᵢ − x̄ᵢ)(wᵢ − w̄ᵢ) − mean;  η(Y) = γ₁ξ(X) + γ₂ξ(W) + γ₃ξ(XW) + ζ"),
        "zh": ("X × W 一行是剔除测量误差后的交互效应；将其符号与显著性与回归结果比较。",
               "xᵢwᵢ* = (xᵢ − x̄ᵢ)(wᵢ − w̄ᵢ) − 均值；η(Y) = γ₁ξ(X) + γ₂ξ(W) + γ₃ξ(XW) + ζ"),
    },
    "modmed_models": {
        "en": ("The mediator model gives the a paths, the outcome model the b path and the direct effect; the "
               "product term shows where W acts.", "M = a₀ + a₁X + a₂W + a₃XW;  Y = c₀ + c′X + bM"),
        "zh": ("中介变量模型给出 a 路径，结果变量模型给出 b 路径与直接效应；乘积项表明 W 作用于哪一段。",
               "M = a₀ + a₁X + a₂W + a₃XW；Y = c₀ + c′X + bM"),
    },
    "modmed_sem": {
        "en": ("The same conditional indirect effects among latent constructs; an interval that excludes 0 is "
               "significant.", "ind(w) = (a₁ + a₃w)·b at w = 0, ±√Var(ξ(W))"),
        "zh": ("潜变量层面的条件间接效应；置信区间不含 0 即为显著。", "ind(w) = (a₁ + a₃w)·b，w = 0、±√Var(ξ(W))"),
    },
    "hypothesis_summary": {
        "en": ("One row per hypothesis with the verdict of its test in the sections above.",
               "supported: *p* < 0.05 in the expected direction, or a bootstrap interval that excludes 0"),
        "zh": ("每个假设一行，列出前文对应检验的结论。", "支持：在预期方向上 *p* < 0.05，或 Bootstrap 置信区间不含 0"),
    },
    "modmed": {
        "en": ("An interval of the index that excludes 0 means the indirect effect depends on W.",
               "indirect effect θ(w) = (a₁ + a₃w)·b;  index = a₃·b ([@hayes2015])"),
        "zh": ("有调节的中介指数的置信区间不含 0，说明间接效应随 W 变化。", "间接效应 θ(w) = (a₁ + a₃w)·b；指数 = a₃·b（[@hayes2015]）"),
    },
}
