# Robust multi-group comparison (lavaan's estimator = "MLM" and "MLR" with group = "gender" and
# group.equal = loadings / loadings + regressions) and the scaled chi-square difference tests of
# lavTestLRT(configural, metric, structural), for tests/test_robust_groups.py.
# Data: the ECSI bank-customer survey ("satisfaction", 250 respondents) shipped with the R packages
# plspm and semPLS (Sanchez 2013; Monecke & Leisch 2012).
# Run from the project root: Rscript tests/reference/make_robust_groups_reference.R
suppressMessages({library(lavaan); library(jsonlite)})
d <- read.csv("questionnaires/data/satisfaction.csv", check.names = FALSE)[, -1]
model <- "QUAL =~ qual1 + qual2 + qual3 + qual4 + qual5
SAT =~ sat1 + sat2 + sat3 + sat4
TRUST =~ imag1 + imag2 + imag3 + imag4 + imag5
LOY =~ loy1 + loy2 + loy3 + loy4
SAT ~ QUAL
TRUST ~ QUAL + SAT
LOY ~ SAT + TRUST"
measures <- c("npar", "ntotal", "chisq", "df", "pvalue", "chisq.scaled", "df.scaled", "pvalue.scaled",
              "chisq.scaling.factor", "baseline.chisq", "baseline.df", "baseline.chisq.scaled",
              "baseline.chisq.scaling.factor", "cfi", "tli", "rmsea", "cfi.scaled", "tli.scaled",
              "rmsea.scaled", "cfi.robust", "tli.robust", "rmsea.robust",
              "rmsea.ci.lower.scaled", "rmsea.ci.upper.scaled", "rmsea.pvalue.scaled",
              "rmsea.ci.lower.robust", "rmsea.ci.upper.robust", "rmsea.pvalue.robust")
levels <- list(configural = "", metric = "loadings",
               structural = c("loadings", "regressions"))
one_level <- function(f) {
  pe <- parameterEstimates(f)
  pe <- pe[pe$op %in% c("=~", "~", "~~"), ]
  labels <- lavInspect(f, "group.label")
  ss <- standardizedSolution(f)
  ss <- ss[ss$op %in% c("=~", "~"), ]
  list(fit = as.list(unclass(fitMeasures(f, measures))),
       std = lapply(seq_len(nrow(ss)), function(i) list(
         group = labels[ss$group[i]], lhs = ss$lhs[i], op = ss$op[i], rhs = ss$rhs[i],
         est_std = ss$est.std[i], se = ss$se[i])),
       estimates = lapply(seq_len(nrow(pe)), function(i) list(
         group = labels[pe$group[i]], lhs = pe$lhs[i], op = pe$op[i], rhs = pe$rhs[i], est = pe$est[i],
         se = pe$se[i], z = if (is.na(pe$z[i])) NULL else pe$z[i],
         pvalue = if (is.na(pe$pvalue[i])) NULL else pe$pvalue[i])))
}
one <- function(estimator) {
  fits <- lapply(levels, function(eq) sem(model, data = d, group = "gender", estimator = estimator,
                                          group.equal = eq))
  opt <- lavInspect(fits$configural, "options")
  lrt <- lavTestLRT(fits$configural, fits$metric, fits$structural)
  # lavTestLRT's default method for these scaled tests (see its source): Satorra & Bentler (2001)
  sb <- list(metric_vs_configural = lavaan:::lav_test_diff_SatorraBentler2001(fits$configural, fits$metric),
             structural_vs_metric = lavaan:::lav_test_diff_SatorraBentler2001(fits$metric, fits$structural))
  tests <- lapply(names(sb), function(name) {
    row <- if (name == "metric_vs_configural") 2 else 3
    list(chisq_diff = lrt[row, "Chisq diff"], df_diff = lrt[row, "Df diff"], pvalue = lrt[row, "Pr(>Chisq)"],
         scaling_factor = sb[[name]]$scaling.factor)
  })
  names(tests) <- names(sb)
  list(options = list(se = opt$se, test = opt$test, information = opt$information[1],
                      meanstructure = opt$meanstructure),
       lrt_heading = paste(attr(lrt, "heading"), collapse = " "),
       labels = lavInspect(fits$configural, "group.label"),
       models = lapply(fits, one_level), tests = tests)
}
out <- list(lavaan_version = as.character(packageVersion("lavaan")), n = nrow(d), group = "gender",
            MLM = one("MLM"), MLR = one("MLR"))
write(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"),
      "tests/reference/robust_groups_reference.json")
