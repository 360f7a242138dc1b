# Reference values for tests/test_model.py on the mission model and the bank data ("satisfaction" data
# of the R packages plspm/semPLS): lavaan's standardizedSolution() with delta-method standard errors,
# modindices(), and semTools' monteCarloCI() for the indirect effects.
# Run from the project root: Rscript tests/reference/make_std_reference.R
# Writes tests/reference/satisfaction_mission_std.json and tests/reference/satisfaction_montecarlo.json.
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
save <- function(x, file) write(toJSON(x, auto_unbox = TRUE, digits = NA, pretty = TRUE), file)

ss <- standardizedSolution(f)
mi <- modindices(f, sort. = TRUE)[1:10, c("lhs", "op", "rhs", "mi", "epc", "sepc.all")]
save(list(lavaan_version = as.character(packageVersion("lavaan")),
          std = lapply(seq_len(nrow(ss)), function(i) list(lhs = ss$lhs[i], op = ss$op[i], rhs = ss$rhs[i],
            est_std = ss$est.std[i], se = ss$se[i])),
          modindices = lapply(seq_len(nrow(mi)), function(i) as.list(mi[i, ]))),
     "tests/reference/satisfaction_mission_std.json")

set.seed(20261122)
mc <- monteCarloCI(f, nRep = 100000, level = 0.95)
save(list(semtools_version = as.character(packageVersion("semTools")), nRep = 100000,
          ci = lapply(rownames(mc), function(n) list(name = n, est = mc[n, "est"],
                      ci_lower = mc[n, "ci.lower"], ci_upper = mc[n, "ci.upper"]))),
     "tests/reference/satisfaction_montecarlo.json")
