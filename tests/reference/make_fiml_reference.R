# Full-information maximum likelihood (lavaan's missing = "ml") for the mission model on the bank data
# with answers deleted at random, for tests/test_fiml.py.
# Data: the ECSI bank-customer survey ("satisfaction", 250 respondents) shipped with the R packages
# plspm and semPLS (Sanchez 2013; Monecke & Leisch 2012). tests/reference/satisfaction_missing.csv is
# that file with about 8% of the item answers blanked (MCAR, plus a few respondents who skipped a whole
# construct and one who answered nothing); it is made by the first block below, once.
# Run from the project root: Rscript tests/reference/make_fiml_reference.R
suppressMessages({library(lavaan); library(jsonlite)})
path <- "tests/reference/satisfaction_missing.csv"
if (!file.exists(path)) {
  d <- read.csv("questionnaires/data/satisfaction.csv", check.names = FALSE)
  set.seed(20261123)
  items <- setdiff(names(d)[-1], "gender")
  for (v in items) d[runif(nrow(d)) < 0.08, v] <- NA
  d[11:16, c("loy1", "loy2", "loy3", "loy4")] <- NA
  d[21, items] <- NA
  write.csv(d, path, row.names = FALSE, na = "")
}
d <- read.csv(path, check.names = FALSE)[, -1]
model <- "QUAL =~ qual1 + qual2 + qual3 + qual4 + qual5
SAT =~ sat1 + sat2 + sat3 + sat4
TRUST =~ imag1 + imag2 + imag3 + imag4 + imag5
LOY =~ loy1 + loy2 + loy3 + loy4
SAT ~ QUAL
TRUST ~ QUAL + SAT
LOY ~ SAT + TRUST"
cfa_model <- "QUAL =~ qual1 + qual2 + qual3 + qual4 + qual5
SAT =~ sat1 + sat2 + sat3 + sat4
TRUST =~ imag1 + imag2 + imag3 + imag4 + imag5
LOY =~ loy1 + loy2 + loy3 + loy4"
measures <- c("npar", "chisq", "df", "pvalue", "baseline.chisq", "baseline.df", "cfi", "tli", "nfi", "ifi",
              "rmsea", "rmsea.ci.lower", "rmsea.ci.upper", "rmsea.pvalue", "srmr", "gfi", "agfi",
              "logl", "unrestricted.logl", "aic", "bic", "ntotal")
one <- function(f) {
  opt <- lavInspect(f, "options")
  pe <- parameterEstimates(f)
  ss <- standardizedSolution(f)
  list(options = list(information = opt$information, observed.information = opt$observed.information,
                      h1.information = opt$h1.information, se = opt$se),
       nobs = lavInspect(f, "nobs"), npatterns = length(lavInspect(f, "patterns")[, 1]),
       coverage_min = min(lavInspect(f, "coverage")),
       fit = as.list(unclass(fitMeasures(f, measures))),
       estimates = lapply(seq_len(nrow(pe)), function(i) list(
         lhs = pe$lhs[i], op = pe$op[i], rhs = pe$rhs[i], est = pe$est[i], se = pe$se[i],
         z = if (is.na(pe$z[i])) NULL else pe$z[i], pvalue = if (is.na(pe$pvalue[i])) NULL else pe$pvalue[i])),
       std = lapply(seq_len(nrow(ss)), function(i) list(
         lhs = ss$lhs[i], op = ss$op[i], rhs = ss$rhs[i], est_std = ss$est.std[i], se = ss$se[i])))
}
sem_fit <- sem(model, data = d, missing = "ml")
cfa_fit <- cfa(cfa_model, data = d, missing = "ml")
h1 <- lavInspect(sem_fit, "sampstat.h1")
out <- list(lavaan_version = as.character(packageVersion("lavaan")), n_rows = nrow(d),
            sem = one(sem_fit), cfa = one(cfa_fit),
            h1_cov = unname(h1$cov), h1_mean = unname(h1$mean), h1_names = rownames(h1$cov))
write_json(out, "tests/reference/fiml_reference.json", digits = NA, auto_unbox = TRUE, pretty = TRUE)
