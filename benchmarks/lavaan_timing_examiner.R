# lavaan timings for benchmarks/bench_examiner.py: the examiner's analyses on the fixed copy of the default
# study's data. Usage: Rscript benchmarks/lavaan_timing_examiner.R <resamples>; prints one JSON line.
suppressMessages({library(lavaan); library(jsonlite)})
args <- commandArgs(trailingOnly = TRUE)
resamples <- if (length(args)) as.integer(args[1]) else 1000L
d <- read.csv("tests/reference/ecommerce_loyalty_gender.csv")
measurement <- "DES =~ des1 + des2 + des3 + des4
INFO =~ info1 + info2 + info3
RESP =~ resp1 + resp2 + resp3 + resp4
FUL =~ ful1 + ful2 + ful3 + ful4
SAT =~ sat1 + sat2 + sat3
TRUST =~ trust1 + trust2 + trust3 + trust4
LOY =~ loy1 + loy2 + loy3 + loy4 + loy5"
second <- "QUAL =~ DES + INFO + RESP + FUL"
hyp <- paste(measurement, second, "SAT ~ a*QUAL\nTRUST ~ QUAL + d*SAT\nLOY ~ b*SAT + e*TRUST", sep = "\n")
with_direct <- paste(measurement, second,
                     "SAT ~ a*QUAL\nTRUST ~ QUAL + d*SAT\nLOY ~ b*SAT + e*TRUST + c*QUAL\nind := a*b\nser := a*d*e\ntot := c + a*b + a*d*e",
                     sep = "\n")
first_order <- paste(measurement, "SAT ~ DES + INFO + RESP + FUL\nTRUST ~ DES + INFO + RESP + FUL + SAT\nLOY ~ SAT + TRUST",
                     sep = "\n")
one <- paste("F =~", paste(setdiff(names(d), "gender"), collapse = " + "))
secs <- function(expr) unname(system.time(expr)["elapsed"])
sem(hyp, data = d)  # warm-up
out <- list()
out[[sprintf("mediation: the model with QUAL -> LOY, %d bootstrap resamples (serial)", resamples)]] <-
  secs({f <- sem(with_direct, data = d, se = "bootstrap", bootstrap = resamples)
        parameterEstimates(f, boot.ci.type = "bca.simple")})
out[["competing models: 4 fits, lavTestLRT"]] <- secs({
  fits <- lapply(c(hyp, with_direct, first_order, one), sem, data = d)
  lavTestLRT(fits[[1]], fits[[2]])})
out[["invariance configural -> strict, lavTestLRT, lavTestScore (ML)"]] <- secs({
  eq <- list("", "loadings", c("loadings", "intercepts"), c("loadings", "intercepts", "residuals"))
  fits <- lapply(eq, function(e) cfa(measurement, data = d, group = "gender", group.equal = e))
  lavTestLRT(fits[[1]], fits[[2]], fits[[3]], fits[[4]]); lavTestScore(fits[[3]])})
out[["invariance configural -> strict, lavTestLRT (MLR)"]] <- secs({
  fits <- lapply(eq, function(e) cfa(measurement, data = d, group = "gender", group.equal = e, estimator = "MLR"))
  lavTestLRT(fits[[1]], fits[[2]], fits[[3]], fits[[4]])})
out[["f2: 4 refits"]] <- secs(for (m in c("SAT ~ QUAL\nTRUST ~ SAT\nLOY ~ SAT + TRUST", "SAT ~ QUAL\nTRUST ~ QUAL\nLOY ~ SAT + TRUST",
                                         "SAT ~ QUAL\nTRUST ~ QUAL + SAT\nLOY ~ TRUST", "SAT ~ QUAL\nTRUST ~ QUAL + SAT\nLOY ~ SAT"))
                               sem(paste(measurement, second, m, sep = "\n"), data = d))
cat(toJSON(out, auto_unbox = TRUE, digits = NA), "\n")
