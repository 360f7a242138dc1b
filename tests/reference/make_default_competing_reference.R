# lavaan / semTools reference for the competing models of the default study (questionnaires/ecommerce_loyalty.yaml):
# fit measures, semTools::net() nesting of each alternative with the hypothesized model, and lavTestLRT where nested.
# The one-factor model is nested in the hypothesized model at the edge of its parameter space (all disturbance
# variances 0): net() finds it nested, which the tool must find too.
# Input: tests/reference/ecommerce_loyalty_analysed.csv (see make_ecommerce_reference.R).
# Models: as study.model.alternatives builds them (partial_mediation_model, first_order_model, one_factor_model).
# Usage, from the project root: Rscript tests/reference/make_default_competing_reference.R
suppressMessages({library(lavaan); library(semTools); library(jsonlite)})
d <- read.csv("tests/reference/ecommerce_loyalty_analysed.csv", check.names = FALSE)
measurement <- "DES =~ des1 + des2 + des3 + des4
INFO =~ info1 + info2 + info3
RESP =~ resp1 + resp2 + resp3 + resp4
FUL =~ ful1 + ful2 + ful3 + ful4
SAT =~ sat1 + sat2 + sat3
TRUST =~ trust1 + trust2 + trust3 + trust4
LOY =~ loy1 + loy2 + loy3 + loy4 + loy5
SWC =~ swc1 + swc2 + swc3"
items <- c("des1", "des2", "des3", "des4", "info1", "info2", "info3", "resp1", "resp2", "resp3", "resp4",
           "ful1", "ful2", "ful3", "ful4", "sat1", "sat2", "sat3", "trust1", "trust2", "trust3", "trust4",
           "loy1", "loy2", "loy3", "loy4", "loy5", "swc1", "swc2", "swc3")
syntax <- list(
  hypothesized = paste(measurement, "QUAL =~ DES + INFO + RESP + FUL
SAT ~ QUAL
TRUST ~ QUAL + SAT
LOY ~ SAT + TRUST + SWC
QUAL ~~ SWC", sep = "\n"),
  partial_mediation = paste(measurement, "QUAL =~ DES + INFO + RESP + FUL
SAT ~ QUAL
TRUST ~ QUAL + SAT
LOY ~ SAT + TRUST + SWC + QUAL
QUAL ~~ SWC", sep = "\n"),
  first_order = paste(measurement, "SAT ~ DES + INFO + RESP + FUL
TRUST ~ DES + INFO + RESP + FUL + SAT
LOY ~ SAT + TRUST + SWC
DES ~~ INFO
DES ~~ RESP
DES ~~ FUL
DES ~~ SWC
INFO ~~ RESP
INFO ~~ FUL
INFO ~~ SWC
RESP ~~ FUL
RESP ~~ SWC
FUL ~~ SWC", sep = "\n"),
  one_factor = paste("G =~", paste(items, collapse = " + ")))
# fitted one by one with named syntax objects: net() refits the models with update(), which needs the
# calls to name objects it can find
s_hypothesized <- syntax$hypothesized; s_partial_mediation <- syntax$partial_mediation
s_first_order <- syntax$first_order; s_one_factor <- syntax$one_factor
models <- list(hypothesized = sem(s_hypothesized, data = d), partial_mediation = sem(s_partial_mediation, data = d),
               first_order = sem(s_first_order, data = d), one_factor = sem(s_one_factor, data = d))
fits <- lapply(models, function(m) as.list(fitMeasures(m, c("chisq", "df", "aic", "bic"))))
hyp <- models$hypothesized
nested <- list(); lrt <- list()
for (name in setdiff(names(models), "hypothesized")) {
  alt <- models[[name]]
  restricted_is_alt <- fitMeasures(alt, "df") > fitMeasures(hyp, "df")
  pair <- if (restricted_is_alt) net(alt, hyp) else net(hyp, alt)
  # net()@test: [restricted row, free column]
  is_nested <- unname(pair@test[2, 1])
  nested[[name]] <- list(nested = is_nested, restricted = if (restricted_is_alt) name else "hypothesized")
  if (isTRUE(is_nested)) {
    a <- lavTestLRT(hyp, alt)
    lrt[[name]] <- list(chisq_diff = a[2, "Chisq diff"], df_diff = a[2, "Df diff"], pvalue = a[2, "Pr(>Chisq)"])
  }
}
write_json(list(lavaan_version = as.character(packageVersion("lavaan")),
                semtools_version = as.character(packageVersion("semTools")),
                syntax = syntax, fits = fits, nested = nested, lrt = lrt),
           "tests/reference/default_competing_reference.json", auto_unbox = TRUE, digits = NA, pretty = TRUE)
