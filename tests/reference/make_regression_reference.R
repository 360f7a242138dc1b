# R reference values for regression, moderation and moderated mediation (study/analyses/regression.py,
# moderation.py, moderated_mediation.py), read by tests/test_regression.py and tests/test_moderation.py.
#
# Data
#   bank  the ECSI bank-customer survey ("satisfaction", 250 respondents) of the R packages plspm and
#         semPLS: questionnaires/data/satisfaction.csv (items 0-10, gender)
#   sim   tests/reference/moderation_simulated.csv, 500 simulated respondents with a known interaction
#         (written by tests/reference/make_moderation_data.py): qual, sat, swc (switching cost), loy
#         items 1-7, frequency (low/medium/high), age, gender
# Construct scores are item means. Products are formed from mean-centred variables (PROCESS model 1
# convention: the variables that form a product are centred, on the full sample).
#
# What is computed
#   regression   lm + summary (B, SE, t, p, confint, R2, adj R2, F), standardized beta from lm on
#                scale()d variables, car::vif, lmtest::dwtest and bptest (studentized), shapiro.test of
#                the residuals, lmtest::coeftest/coefci with sandwich::vcovHC(type = "HC3");
#                hierarchical steps by anova(m_{s-1}, m_s) (step 1 against the intercept-only model)
#   moderation   simple slopes at W = mean - SD, mean, mean + SD and per level of a categorical W by
#                emmeans::emtrends; Johnson-Neyman bounds by the textbook quadratic, checked by emtrends
#                at the bound (p = .05 there)
#   moderated mediation (PROCESS 7, 14, 58 by regression): conditional indirect effects and the index
#                of moderated mediation; percentile bootstrap by resampling rows (lm.fit per resample)
#   SEM          latent interaction and moderated mediation with double-mean-centred matched-pair product
#                indicators (semTools::indProd(match = TRUE, meanC = TRUE, doubleMC = TRUE)), lavaan
#                sem(): estimates, fit, ":=" defined parameters (delta method), and se = "bootstrap" with
#                percentile intervals (parameterEstimates(boot.ci.type = "perc"))
#
# Run from the project root: Rscript tests/reference/make_regression_reference.R   (about 10 minutes)
suppressMessages({
  library(car); library(lmtest); library(sandwich); library(emmeans); library(lavaan); library(semTools)
  library(jsonlite)
})
emm_options(opt.digits = FALSE)

bank_raw <- read.csv("questionnaires/data/satisfaction.csv", row.names = 1)
sim_raw <- read.csv("tests/reference/moderation_simulated.csv")
items_of <- function(d, prefix) grep(paste0("^", prefix, "[0-9]+$"), names(d), value = TRUE)
scores <- function(d, prefixes) {
  s <- as.data.frame(lapply(prefixes, function(p) rowMeans(d[, items_of(d, p)])))
  names(s) <- prefixes
  s
}
bank <- scores(bank_raw, c("imag", "expe", "qual", "val", "sat", "loy"))
bank$female <- as.numeric(bank_raw$gender == "female")
bank$gender <- factor(bank_raw$gender, levels = c("male", "female"))
sim <- scores(sim_raw, c("qual", "sat", "swc", "loy"))
sim$age <- sim_raw$age
sim$frequency <- factor(sim_raw$frequency, levels = c("medium", "low", "high"))  # reference first
sim$freq_low <- as.numeric(sim$frequency == "low")
sim$freq_high <- as.numeric(sim$frequency == "high")
centre <- function(x) x - mean(x)

# ---------------------------------------------------------------------------------------------- lm
describe_lm <- function(m, data) {
  s <- summary(m)
  cf <- s$coefficients
  ci <- confint(m)
  y <- model.response(model.frame(m))
  X <- model.matrix(m)[, -1, drop = FALSE]
  beta <- coef(lm(scale(y) ~ scale(X)))[-1]  # standardized: every column scaled, dummies and products too
  hc <- coeftest(m, vcov. = vcovHC(m, type = "HC3"))
  hci <- coefci(m, vcov. = vcovHC(m, type = "HC3"))
  fs <- s$fstatistic
  out <- list(terms = rownames(cf), B = unname(cf[, 1]), SE = unname(cf[, 2]), t = unname(cf[, 3]),
              p = unname(cf[, 4]), ci_lower = unname(ci[, 1]), ci_upper = unname(ci[, 2]),
              beta = unname(beta), r2 = s$r.squared, adj_r2 = s$adj.r.squared, f = unname(fs[1]),
              df_model = unname(fs[2]), df_resid = unname(fs[3]),
              f_pvalue = unname(pf(fs[1], fs[2], fs[3], lower.tail = FALSE)), sigma = s$sigma,
              dw = unname(dwtest(m)$statistic), shapiro_w = unname(shapiro.test(resid(m))$statistic),
              shapiro_p = shapiro.test(resid(m))$p.value, bp = unname(bptest(m)$statistic),
              bp_df = unname(bptest(m)$parameter), bp_p = unname(bptest(m)$p.value),
              hc3_se = unname(hc[, 2]), hc3_t = unname(hc[, 3]), hc3_p = unname(hc[, 4]),
              hc3_ci_lower = unname(hci[, 1]), hc3_ci_upper = unname(hci[, 2]))
  if (ncol(X) > 1) out$vif <- unname(vif(m))
  out
}

hierarchical <- function(formulas, data) {
  models <- lapply(formulas, lm, data = data)
  null <- lm(update(formulas[[1]], . ~ 1), data = data)
  previous <- c(list(null), models[-length(models)])
  changes <- lapply(seq_along(models), function(i) {
    a <- anova(previous[[i]], models[[i]])
    list(r2 = summary(models[[i]])$r.squared,
         r2_change = summary(models[[i]])$r.squared - (if (i == 1) 0 else summary(models[[i - 1]])$r.squared),
         f_change = a$F[2], df1 = a$Df[2], df2 = a$Res.Df[2], p_change = a$`Pr(>F)`[2])
  })
  list(models = lapply(models, describe_lm, data = data), changes = changes)
}

# ----------------------------------------------------------------------------------- moderation
jn_bounds <- function(m, x, product, w_mean, w_range, level = 0.95) {
  b <- coef(m); V <- vcov(m)
  t2 <- qt(1 - (1 - level) / 2, df.residual(m))^2
  a <- b[product]^2 - t2 * V[product, product]
  bq <- 2 * (b[x] * b[product] - t2 * V[x, product])
  cc <- b[x]^2 - t2 * V[x, x]
  disc <- bq^2 - 4 * a * cc
  roots <- if (disc < 0) numeric(0) else sort(c((-bq - sqrt(disc)) / (2 * a), (-bq + sqrt(disc)) / (2 * a)))
  roots <- unname(roots) + w_mean
  roots[roots > w_range[1] & roots < w_range[2]]
}

moderation_continuous <- function(data, x, w, y, controls = character(0)) {
  d <- data
  xm <- mean(d[[x]]); wm <- mean(d[[w]]); wsd <- sd(d[[w]])
  d$xc <- centre(d[[x]]); d$wc <- centre(d[[w]])
  rhs_controls <- if (length(controls)) paste(controls, collapse = " + ") else NULL
  f_step <- function(terms) as.formula(paste(y, "~", paste(c(rhs_controls, terms), collapse = " + ")))
  formulas <- c(if (length(controls)) list(f_step(character(0))), list(f_step(c("xc", "wc")), f_step(c("xc", "wc", "xc:wc"))))
  h <- hierarchical(formulas, d)
  m <- lm(formulas[[length(formulas)]], data = d)
  at <- c(-wsd, 0, wsd)
  et <- summary(emtrends(m, ~ wc, var = "xc", at = list(wc = at)), infer = c(TRUE, TRUE))
  bounds <- jn_bounds(m, "xc", "xc:wc", wm, range(d[[w]]))
  check <- if (length(bounds)) summary(emtrends(m, ~ wc, var = "xc", at = list(wc = bounds - wm)),
                                       infer = c(TRUE, TRUE))$p.value else numeric(0)
  list(x = x, w = w, y = y, controls = controls, hierarchy = h,
       slopes = list(w = at + wm, slope = et$xc.trend, SE = et$SE, t = et$t.ratio, p = et$p.value,
                     ci_lower = et$lower.CL, ci_upper = et$upper.CL),
       jn_bounds = bounds, jn_p_at_bounds = check)
}

moderation_categorical <- function(data, x, w, y, controls = character(0)) {
  d <- data
  d$xc <- centre(d[[x]])
  rhs_controls <- if (length(controls)) paste(controls, collapse = " + ") else NULL
  f <- as.formula(paste(y, "~", paste(c(rhs_controls, "xc", w, paste0("xc:", w)), collapse = " + ")))
  m <- lm(f, data = d)
  m0 <- lm(update(f, as.formula(paste(". ~ . - xc:", w))), data = d)
  a <- anova(m0, m)
  et <- summary(emtrends(m, as.formula(paste("~", w)), var = "xc"), infer = c(TRUE, TRUE))
  list(x = x, w = w, y = y, controls = controls, levels = levels(d[[w]]), model = describe_lm(m, d),
       test = list(r2_change = summary(m)$r.squared - summary(m0)$r.squared, f = a$F[2], df1 = a$Df[2],
                   df2 = a$Res.Df[2], p = a$`Pr(>F)`[2]),
       slopes = list(level = as.character(et[[w]]), slope = et$xc.trend, SE = et$SE, t = et$t.ratio,
                     p = et$p.value, ci_lower = et$lower.CL, ci_upper = et$upper.CL))
}

# --------------------------------------------------- moderated mediation by regression (PROCESS)
process_mm <- function(data, x, m, y, w, stage, controls = character(0), reference = NULL, R = boot_n(5000), seed = 1) {
  first <- stage %in% c("first", "both"); second <- stage %in% c("second", "both")
  d <- data
  X <- if (first) centre(d[[x]]) else d[[x]]
  Mraw <- d[[m]]
  Mc <- if (second) centre(Mraw) else Mraw
  if (is.null(reference)) {
    wm <- mean(d[[w]]); wsd <- sd(d[[w]])
    W <- matrix(d[[w]] - wm, ncol = 1)
    points <- list(c(-wsd), c(0), c(wsd)); point_names <- c("M-1SD", "M", "M+1SD")
  } else {
    lv <- levels(d[[w]])
    W <- sapply(lv[-1], function(l) as.numeric(d[[w]] == l))
    W <- matrix(W, ncol = length(lv) - 1)
    points <- lapply(seq_along(lv), function(i) { v <- numeric(length(lv) - 1); if (i > 1) v[i - 1] <- 1; v })
    point_names <- lv
  }
  C <- as.matrix(d[, controls, drop = FALSE])
  Dm <- cbind(1, C, X, if (first) cbind(W, X * W))
  Dy <- cbind(1, C, X, Mc, if (second) cbind(W, Mc * W))
  k <- ncol(C)
  effects <- function(cm, cy) {
    a1 <- cm[k + 2]; b1 <- cy[k + 3]
    nw <- ncol(W)
    a3 <- if (first) cm[(k + 3 + nw):(k + 2 + 2 * nw)] else 0
    b3 <- if (second) cy[(k + 4 + nw):(k + 3 + 2 * nw)] else 0
    ind <- sapply(points, function(p) (a1 + if (first) sum(a3 * p) else 0) * (b1 + if (second) sum(b3 * p) else 0))
    names(ind) <- point_names
    extra <- if (!is.null(reference)) ind[-1] - ind[1]
             else if (stage == "first") c(index = a3 * b1)
             else if (stage == "second") c(index = a1 * b3)
             else c(contrast = unname(ind["M+1SD"] - ind["M-1SD"]))
    c(ind, extra)
  }
  full <- effects(lm.fit(Dm, Mraw)$coefficients, lm.fit(Dy, d[[y]])$coefficients)
  set.seed(seed)
  n <- nrow(d)
  boot <- t(replicate(R, {
    i <- sample.int(n, n, replace = TRUE)
    effects(lm.fit(Dm[i, , drop = FALSE], Mraw[i])$coefficients, lm.fit(Dy[i, , drop = FALSE], d[[y]][i])$coefficients)
  }))
  direct <- summary(lm(d[[y]] ~ Dy[, -1]))$coefficients[k + 2, ]
  list(x = x, m = m, y = y, w = w, stage = stage, controls = controls, resamples = R,
       names = names(full), est = unname(full), boot_se = unname(apply(boot, 2, sd)),
       ci_lower = unname(apply(boot, 2, quantile, 0.025)), ci_upper = unname(apply(boot, 2, quantile, 0.975)),
       direct = list(effect = unname(direct[1]), SE = unname(direct[2]), t = unname(direct[3]), p = unname(direct[4])))
}

# ------------------------------------------------------------------------------------------- SEM
measurement <- function(constructs) sprintf("%s =~ %s", names(constructs), sapply(constructs, paste, collapse = " + "))
with_products <- function(raw, pairs) {
  p <- indProd(raw, var1 = sapply(pairs, `[`, 1), var2 = sapply(pairs, `[`, 2), match = TRUE, meanC = TRUE,
               residualC = FALSE, doubleMC = TRUE)
  p
}
pe_list <- function(f, ops = c("=~", "~", "~~")) {
  pe <- parameterEstimates(f, standardized = TRUE)
  pe <- pe[pe$op %in% ops, ]
  lapply(seq_len(nrow(pe)), function(i) list(lhs = pe$lhs[i], op = pe$op[i], rhs = pe$rhs[i], est = pe$est[i],
                                             se = pe$se[i], std_all = pe$std.all[i]))
}
fit_list <- function(f) as.list(fitMeasures(f, c("npar", "chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr")))
defined_list <- function(f, boot = FALSE) {
  pe <- parameterEstimates(f, boot.ci.type = "perc")
  pe <- pe[pe$op == ":=", ]
  lapply(seq_len(nrow(pe)), function(i) list(name = pe$lhs[i], est = pe$est[i], se = pe$se[i],
                                             ci_lower = pe$ci.lower[i], ci_upper = pe$ci.upper[i]))
}
pair_list <- function(a, b) { k <- min(length(a), length(b)); lapply(seq_len(k), function(i) c(a[i], b[i])) }

latent_interaction <- function(raw, constructs, x, w, y) {
  pairs <- pair_list(constructs[[x]], constructs[[w]])
  prods <- with_products(raw, pairs)
  product <- paste0(x, w)
  exo <- c(x, w, product)
  cov_lines <- apply(combn(exo, 2), 2, function(p) sprintf("%s ~~ %s", p[1], p[2]))
  syntax <- paste(c(measurement(constructs[c(x, w, y)]),
                    sprintf("%s =~ %s", product, paste(sprintf("%s.%s", sapply(pairs, `[`, 1), sapply(pairs, `[`, 2)), collapse = " + ")),
                    sprintf("%s ~ %s", y, paste(exo, collapse = " + ")), cov_lines), collapse = "\n")
  labelled <- paste(c(measurement(constructs[c(x, w, y)]),
                      sprintf("%s =~ %s", product, paste(sprintf("%s.%s", sapply(pairs, `[`, 1), sapply(pairs, `[`, 2)), collapse = " + ")),
                      sprintf("%s ~ bx*%s + bw*%s + bxw*%s", y, x, w, product), cov_lines, sprintf("%s ~~ vw*%s", w, w),
                      "low := bx + bxw*(-sqrt(vw))", "mid := bx", "high := bx + bxw*sqrt(vw)"), collapse = "\n")
  f <- sem(labelled, data = prods)
  list(x = x, w = w, y = y, pairs = pairs, syntax = syntax, converged = lavInspect(f, "converged"),
       fit = fit_list(f), estimates = pe_list(f), defined = defined_list(f))
}

latent_mm <- function(raw, constructs, x, m, y, w, stage, R, seed = 1) {
  first <- stage %in% c("first", "both"); second <- stage %in% c("second", "both")
  lines <- measurement(constructs[c(x, m, y, w)])
  exo <- c(x, w)
  data <- raw
  pairs <- list()
  if (first) {
    pairs$XW <- pair_list(constructs[[x]], constructs[[w]])
    data <- with_products(data, pairs$XW)
    lines <- c(lines, sprintf("%s%s =~ %s", x, w, paste(sprintf("%s.%s", sapply(pairs$XW, `[`, 1), sapply(pairs$XW, `[`, 2)), collapse = " + ")))
    exo <- c(exo, paste0(x, w))
  }
  if (second) {
    pairs$MW <- pair_list(constructs[[m]], constructs[[w]])
    data <- with_products(data, pairs$MW)
    lines <- c(lines, sprintf("%s%s =~ %s", m, w, paste(sprintf("%s.%s", sapply(pairs$MW, `[`, 1), sapply(pairs$MW, `[`, 2)), collapse = " + ")))
    exo <- c(exo, paste0(m, w))
  }
  cov_lines <- apply(combn(exo, 2), 2, function(p) sprintf("%s ~~ %s", p[1], p[2]))
  syntax <- paste(c(lines, sprintf("%s ~ %s", m, paste(c(x, if (first) c(w, paste0(x, w))), collapse = " + ")),
                    sprintf("%s ~ %s", y, paste(c(m, x, if (second) c(w, paste0(m, w))), collapse = " + ")),
                    cov_lines), collapse = "\n")
  a <- function(k) if (first) sprintf("(a1 + a3*%s)", k) else "a1"
  b <- function(k) if (second) sprintf("(b1 + b3*%s)", k) else "b1"
  regressions <- c(sprintf("%s ~ a1*%s%s", m, x, if (first) sprintf(" + a2*%s + a3*%s%s", w, x, w) else ""),
                   sprintf("%s ~ b1*%s + c*%s%s", y, m, x, if (second) sprintf(" + b2*%s + b3*%s%s", w, m, w) else ""))
  defs <- c(sprintf("ind_low := %s*%s", a("(-sqrt(vw))"), b("(-sqrt(vw))")), "ind_mid := a1*b1",
            sprintf("ind_high := %s*%s", a("sqrt(vw)"), b("sqrt(vw)")),
            if (stage == "first") "index := a3*b1" else if (stage == "second") "index := a1*b3"
            else sprintf("contrast := %s*%s - %s*%s", a("sqrt(vw)"), b("sqrt(vw)"), a("(-sqrt(vw))"), b("(-sqrt(vw))")))
  labelled <- paste(c(lines, regressions, cov_lines, sprintf("%s ~~ vw*%s", w, w), defs), collapse = "\n")
  f <- sem(labelled, data = data)
  set.seed(seed)
  fb <- sem(labelled, data = data, se = "bootstrap", bootstrap = R)
  list(x = x, m = m, y = y, w = w, stage = stage, syntax = syntax, converged = lavInspect(f, "converged"),
       fit = fit_list(f), estimates = pe_list(f), defined = defined_list(f), resamples = R,
       resamples_ok = nrow(lavInspect(fb, "boot")), defined_boot = defined_list(fb, boot = TRUE))
}

quick <- Sys.getenv("QUICK") == "1"  # a dry run with few resamples, written to /tmp
boot_n <- function(R) if (quick) 50 else R
bank_constructs <- lapply(setNames(nm = c("imag", "expe", "qual", "val", "sat", "loy")), function(p) items_of(bank_raw, p))
sim_constructs <- lapply(setNames(nm = c("qual", "sat", "swc", "loy")), function(p) items_of(sim_raw, p))

out <- list(
  versions = list(R = R.version.string, lavaan = as.character(packageVersion("lavaan")),
                  semTools = as.character(packageVersion("semTools")), car = as.character(packageVersion("car")),
                  lmtest = as.character(packageVersion("lmtest")), sandwich = as.character(packageVersion("sandwich")),
                  emmeans = as.character(packageVersion("emmeans"))),
  regression = list(
    bank = describe_lm(lm(loy ~ female + sat + imag + qual, data = bank), bank),
    sim = describe_lm(lm(loy ~ age + freq_low + freq_high + qual + sat, data = sim), sim)),
  hierarchical = list(
    bank = hierarchical(list(loy ~ female, loy ~ female + sat + imag, loy ~ female + sat + imag + val), bank)),
  moderation = list(
    bank = moderation_continuous(bank, "sat", "expe", "loy", controls = "female"),
    bank_nocontrols = moderation_continuous(bank, "sat", "expe", "loy"),
    sim = moderation_continuous(sim, "sat", "swc", "loy", controls = c("age", "freq_low", "freq_high"))),
  moderation_categorical = list(
    bank = moderation_categorical(bank, "imag", "gender", "loy"),
    sim = moderation_categorical(sim, "sat", "frequency", "loy", controls = "age")),
  moderated_mediation = list(
    bank_first = process_mm(bank, "qual", "sat", "loy", "expe", "first"),
    bank_second = process_mm(bank, "qual", "sat", "loy", "expe", "second", controls = "female"),
    bank_both = process_mm(bank, "qual", "sat", "loy", "expe", "both"),
    bank_gender = process_mm(bank, "qual", "sat", "loy", "gender", "first", reference = "male"),
    sim_second = process_mm(sim, "qual", "sat", "loy", "swc", "second", controls = "age"),
    sim_frequency = process_mm(sim, "qual", "sat", "loy", "frequency", "second", reference = "medium")),
  latent_interaction = list(
    bank = latent_interaction(bank_raw, bank_constructs, "sat", "expe", "loy"),
    sim = latent_interaction(sim_raw, sim_constructs, "sat", "swc", "loy")),
  latent_moderated_mediation = list(
    bank_first = latent_mm(bank_raw, bank_constructs, "imag", "sat", "loy", "expe", "first", R = boot_n(2000)),
    sim_second = latent_mm(sim_raw, sim_constructs, "qual", "sat", "loy", "swc", "second", R = boot_n(2000)),
    sim_both = latent_mm(sim_raw, sim_constructs, "qual", "sat", "loy", "swc", "both", R = boot_n(1000)))
)
target <- if (quick) "/tmp/regression_reference_quick.json" else "tests/reference/regression_reference.json"
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), target)
cat("wrote", target, "\n")
