# Monte Carlo confidence intervals of the indirect effects (semTools::monteCarloCI) for the mission
# model on the bank data, for tests/test_model.py. Run from the project root:
#   Rscript tests/reference/make_montecarlo_reference.R
suppressMessages({library(lavaan); library(semTools); library(jsonlite)})
d <- read.csv("questionnaires/data/satisfaction.csv", check.names = FALSE)[, -1]
model <- "QUAL =~ qual1 + qual2 + qual3 + qual4 + qual5
SAT =~ sat1 + sat2 + sat3 + sat4
TRUST =~ imag1 + imag2 + imag3 + imag4 + imag5
LOY =~ loy1 + loy2 + loy3 + loy4
SAT ~ a*QUAL
TRUST ~ c*QUAL + b*SAT
LOY ~ d*SAT + e*TRUST
QUAL_SAT_LOY := a*d
QUAL_TRUST_LOY := c*e
QUAL_SAT_TRUST_LOY := a*b*e"
f <- sem(model, data = d)
set.seed(20261122)
mc <- monteCarloCI(f, nRep = 100000, level = 0.95)
out <- list(semtools_version = as.character(packageVersion("semTools")), nRep = 100000,
            ci = lapply(rownames(mc), function(n) list(name = n, est = mc[n, "est"],
                        ci_lower = mc[n, "ci.lower"], ci_upper = mc[n, "ci.upper"])))
write(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "tests/reference/satisfaction_montecarlo.json")
