# lavaan's ordinal estimator (estimator = "WLSMV", ordered = all items: DWLS on polychoric
# correlations, parameterization = "delta", se = "robust.sem", test = "scaled.shifted") for
# tests/test_ordinal.py.
# Case "bank": the mission model on the ECSI bank-customer survey ("satisfaction", 250 respondents,
# 10-point items) shipped with the R packages plspm and semPLS (Sanchez 2013; Monecke & Leisch 2012).
# Case "ecommerce": the default study questionnaires/ecommerce_loyalty.yaml (7-point items, second-order
# factor QUAL = DES + INFO + RESP + FUL), analysed items as in tests/reference/ecommerce_loyalty_analysed.csv,
# model = study.model.syntax.sem_syntax(load_study("questionnaires/ecommerce_loyalty.yaml")).
# Run from the project root: Rscript tests/reference/make_ordinal_reference.R
# (lavaan warns that the ecommerce model's vcov has a smallest eigenvalue of about -5e-17: rounding
# noise, harmless.)
suppressMessages({library(lavaan); library(jsonlite)})

bank <- read.csv("questionnaires/data/satisfaction.csv", check.names = FALSE)[, -1]
bank_model <- "QUAL =~ qual1 + qual2 + qual3 + qual4 + qual5
SAT =~ sat1 + sat2 + sat3 + sat4
TRUST =~ imag1 + imag2 + imag3 + imag4 + imag5
LOY =~ loy1 + loy2 + loy3 + loy4
SAT ~ QUAL
TRUST ~ QUAL + SAT
LOY ~ SAT + TRUST"

ecom <- read.csv("tests/reference/ecommerce_loyalty_analysed.csv", check.names = FALSE)
ecom_model <- "DES =~ des1 + des2 + des3 + des4
INFO =~ info1 + info2 + info3
RESP =~ resp1 + resp2 + resp3 + resp4
FUL =~ ful1 + ful2 + ful3 + ful4
SAT =~ sat1 + sat2 + sat3
TRUST =~ trust1 + trust2 + trust3 + trust4
LOY =~ loy1 + loy2 + loy3 + loy4 + loy5
SWC =~ swc1 + swc2 + swc3
QUAL =~ DES + INFO + RESP + FUL
SAT ~ QUAL
TRUST ~ QUAL + SAT
LOY ~ SAT + TRUST + SWC
QUAL ~~ SWC"

measures <- c("npar", "chisq", "df", "pvalue", "chisq.scaled", "df.scaled", "pvalue.scaled",
              "chisq.scaling.factor", "baseline.chisq", "baseline.df", "baseline.pvalue",
              "baseline.chisq.scaled", "baseline.df.scaled", "baseline.pvalue.scaled",
              "baseline.chisq.scaling.factor", "cfi", "tli", "cfi.scaled", "tli.scaled",
              "rmsea", "rmsea.ci.lower", "rmsea.ci.upper", "rmsea.pvalue",
              "rmsea.scaled", "rmsea.ci.lower.scaled", "rmsea.ci.upper.scaled", "rmsea.pvalue.scaled",
              "srmr", "wrmr")

one <- function(model, d) {
  items <- lavNames(lavaanify(model), "ov")
  d <- d[, items]
  f <- sem(model, data = d, estimator = "WLSMV", ordered = items)
  opt <- lavInspect(f, "options")
  pe <- parameterEstimates(f, standardized = TRUE)
  ss <- standardizedSolution(f)
  pc <- lavCor(d, ordered = items)
  th <- lavInspect(f, "sampstat")$th
  test <- lavInspect(f, "test")
  ts <- test[[2]]
  gamma <- lavInspect(f, "gamma")
  list(options = list(estimator = opt$estimator, se = opt$se, test = opt$test,
                      parameterization = opt$parameterization),
       items = items, n = nrow(d),
       thresholds = list(name = names(th), value = unname(th)),
       polychoric = unname(as.matrix(pc)),
       polychoric_names = colnames(pc),
       wls_v_diag = unname(diag(lavInspect(f, "wls.v"))),
       gamma_diag = unname(diag(gamma)),
       gamma_first = unname(gamma[1:5, 1:5]),
       gamma_corner = unname(gamma[nrow(gamma) - 0:2, c(1, ncol(gamma) - 0:2)]),
       test = list(stat = ts$stat, df = ts$df, pvalue = ts$pvalue, scaling.factor = ts$scaling.factor,
                   shift.parameter = ts$shift.parameter, trace.UGamma = ts$trace.UGamma,
                   standard = test[[1]]$stat),
       fit = as.list(unclass(fitMeasures(f, measures))),
       estimates = lapply(seq_len(nrow(pe)), function(i) list(
         lhs = pe$lhs[i], op = pe$op[i], rhs = pe$rhs[i], est = pe$est[i],
         se = pe$se[i], z = if (is.na(pe$z[i])) NULL else pe$z[i],
         pvalue = if (is.na(pe$pvalue[i])) NULL else pe$pvalue[i],
         std_all = pe$std.all[i], se_std = ss$se[i])))
}

# indirect effect QUAL -> SAT -> LOY (delta method), for study.model.effects.indirect_effect
bank_labelled <- sub("LOY ~ SAT + TRUST", "LOY ~ b*SAT + TRUST",
                     sub("SAT ~ QUAL", "SAT ~ a*QUAL", bank_model, fixed = TRUE), fixed = TRUE)
f <- sem(paste(bank_labelled, "ind := a*b", sep = "\n"), data = bank, estimator = "WLSMV",
         ordered = lavNames(lavaanify(bank_model), "ov"))
pe <- parameterEstimates(f)
ind <- pe[pe$op == ":=", ]

out <- list(lavaan_version = as.character(packageVersion("lavaan")),
            bank = c(one(bank_model, bank),
                     list(indirect = list(chain = c("QUAL", "SAT", "LOY"), est = ind$est, se = ind$se))),
            ecommerce = one(ecom_model, ecom))
write(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"),
      "tests/reference/ordinal_reference.json")
