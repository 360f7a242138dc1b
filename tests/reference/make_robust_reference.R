# Robust maximum likelihood (lavaan's estimator = "MLM", Satorra-Bentler, and "MLR", Huber-White
# standard errors with the Yuan-Bentler (Mplus variant) scaled test) for the mission model on the
# bank data, for tests/test_robust.py.
# Data: the ECSI bank-customer survey ("satisfaction", 250 respondents) shipped with the R packages
# plspm and semPLS (Sanchez 2013; Monecke & Leisch 2012).
# Run from the project root: Rscript tests/reference/make_robust_reference.R
suppressMessages({library(lavaan); library(jsonlite)})
d <- read.csv("questionnaires/data/satisfaction.csv", check.names = FALSE)[, -1]
model <- "QUAL =~ qual1 + qual2 + qual3 + qual4 + qual5
SAT =~ sat1 + sat2 + sat3 + sat4
TRUST =~ imag1 + imag2 + imag3 + imag4 + imag5
LOY =~ loy1 + loy2 + loy3 + loy4
SAT ~ QUAL
TRUST ~ QUAL + SAT
LOY ~ SAT + TRUST"
measures <- c("chisq", "df", "pvalue", "chisq.scaled", "df.scaled", "pvalue.scaled", "chisq.scaling.factor",
              "baseline.chisq", "baseline.df", "baseline.chisq.scaled", "baseline.chisq.scaling.factor",
              "cfi", "tli", "rmsea", "cfi.scaled", "tli.scaled", "rmsea.scaled",
              "cfi.robust", "tli.robust", "rmsea.robust",
              "rmsea.ci.lower.scaled", "rmsea.ci.upper.scaled", "rmsea.pvalue.scaled",
              "rmsea.ci.lower.robust", "rmsea.ci.upper.robust", "rmsea.pvalue.robust")
one <- function(estimator) {
  f <- sem(model, data = d, estimator = estimator)
  opt <- lavInspect(f, "options")
  pe <- parameterEstimates(f)
  pe <- pe[pe$op %in% c("=~", "~", "~~"), ]
  ss <- standardizedSolution(f)
  ss <- ss[ss$op %in% c("=~", "~", "~~"), ]
  list(options = list(se = opt$se, test = opt$test, information = opt$information[1],
                      observed.information = opt$observed.information[1],
                      gamma.n.minus.one = opt$gamma.n.minus.one, gamma.unbiased = opt$gamma.unbiased),
       fit = as.list(unclass(fitMeasures(f, measures))),
       estimates = lapply(seq_len(nrow(pe)), function(i) list(
         lhs = pe$lhs[i], op = pe$op[i], rhs = pe$rhs[i], est = pe$est[i], se = pe$se[i],
         z = if (is.na(pe$z[i])) NULL else pe$z[i], pvalue = if (is.na(pe$pvalue[i])) NULL else pe$pvalue[i])),
       std = lapply(seq_len(nrow(ss)), function(i) list(
         lhs = ss$lhs[i], op = ss$op[i], rhs = ss$rhs[i], est_std = ss$est.std[i], se = ss$se[i])))
}
out <- list(lavaan_version = as.character(packageVersion("lavaan")), n = nrow(d),
            MLM = one("MLM"), MLR = one("MLR"))
write(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"),
      "tests/reference/robust_reference.json")
