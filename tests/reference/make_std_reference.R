# Standardized solution with delta-method standard errors (lavaan's standardizedSolution) and
# modification indices for the mission model on the bank data, for tests/test_model.py.
# Run from the project root: Rscript tests/reference/make_std_reference.R
suppressMessages({library(lavaan); library(jsonlite)})
d <- read.csv("questionnaires/data/satisfaction.csv", check.names = FALSE)[, -1]
model <- "QUAL =~ qual1 + qual2 + qual3 + qual4 + qual5
SAT =~ sat1 + sat2 + sat3 + sat4
TRUST =~ imag1 + imag2 + imag3 + imag4 + imag5
LOY =~ loy1 + loy2 + loy3 + loy4
SAT ~ a*QUAL
TRUST ~ c*QUAL + b*SAT
LOY ~ d*SAT + e*TRUST
QUAL_SAT_LOY := a*d"
f <- sem(model, data = d)
ss <- standardizedSolution(f)
mi <- modindices(f, sort. = TRUE)[1:10, c("lhs", "op", "rhs", "mi", "epc", "sepc.all")]
out <- list(lavaan_version = as.character(packageVersion("lavaan")),
            std = lapply(seq_len(nrow(ss)), function(i) list(lhs = ss$lhs[i], op = ss$op[i], rhs = ss$rhs[i],
              est_std = ss$est.std[i], se = ss$se[i])),
            modindices = lapply(seq_len(nrow(mi)), function(i) as.list(mi[i, ])))
write(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "tests/reference/satisfaction_mission_std.json")
