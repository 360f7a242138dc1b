# Times R's bootstrap of the index of moderated mediation (PROCESS model 14: switching cost moderating
# satisfaction -> loyalty in quality -> satisfaction -> loyalty) on tests/reference/moderation_simulated.csv
# (n = 500): the yardstick for benchmarks/bench_moderated_mediation.py.
#   regression  PROCESS's way by hand: centre, form M x W, resample rows, lm.fit of both equations per
#               resample (the PROCESS macro for R does the same with its own OLS), RESAMPLES resamples
#   sem         lavaan sem() with double-mean-centred matched-pair product indicators (semTools indProd)
#               and the defined parameter index := a1*b3, se = "bootstrap", bootstrap = SEM_RESAMPLES,
#               serially and with parallel = "multicore" on 2 CPUs
# Usage, from the project root:
#   Rscript benchmarks/lavaan_modmed_timing.R [RESAMPLES=5000] [SEM_RESAMPLES=1000]
# Prints one JSON object: seconds for each, the resamples, the index and its bootstrap SE and interval.
suppressMessages({ library(lavaan); library(semTools); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
R <- if (length(args) >= 1) as.integer(args[1]) else 5000L
R_sem <- if (length(args) >= 2) as.integer(args[2]) else 1000L

raw <- read.csv("tests/reference/moderation_simulated.csv")
score <- function(p) rowMeans(raw[, grep(paste0("^", p, "[0-9]+$"), names(raw))])
X <- score("qual"); M <- score("sat"); Y <- score("loy"); W <- score("swc")
Mc <- M - mean(M); Wc <- W - mean(W)
Dm <- cbind(1, X)
Dy <- cbind(1, X, Mc, Wc, Mc * Wc)
index <- function(i) lm.fit(Dm[i, ], M[i])$coefficients[2] * lm.fit(Dy[i, ], Y[i])$coefficients[5]
n <- length(Y)
invisible(index(seq_len(n)))
set.seed(1)
t0 <- proc.time()[["elapsed"]]
boot <- replicate(R, index(sample.int(n, n, replace = TRUE)))
reg_seconds <- proc.time()[["elapsed"]] - t0

items <- function(p) grep(paste0("^", p, "[0-9]+$"), names(raw), value = TRUE)
pairs_m <- items("sat")[1:3]; pairs_w <- items("swc")
d <- indProd(raw, var1 = pairs_m, var2 = pairs_w, match = TRUE, meanC = TRUE, residualC = FALSE, doubleMC = TRUE)
model <- paste(
  sprintf("qual =~ %s", paste(items("qual"), collapse = " + ")),
  sprintf("sat =~ %s", paste(items("sat"), collapse = " + ")),
  sprintf("loy =~ %s", paste(items("loy"), collapse = " + ")),
  sprintf("swc =~ %s", paste(items("swc"), collapse = " + ")),
  sprintf("satswc =~ %s", paste(sprintf("%s.%s", pairs_m, pairs_w), collapse = " + ")),
  "sat ~ a1*qual", "loy ~ b1*sat + c*qual + b2*swc + b3*satswc",
  "qual ~~ swc\nqual ~~ satswc\nswc ~~ satswc", "index := a1*b3", sep = "\n")
invisible(sem(model, data = d))
sem_time <- function(parallel, ncpus) {
  set.seed(1)
  t0 <- proc.time()[["elapsed"]]
  f <- suppressWarnings(sem(model, data = d, se = "bootstrap", bootstrap = R_sem, parallel = parallel, ncpus = ncpus))
  list(seconds = proc.time()[["elapsed"]] - t0, f = f)
}
serial <- sem_time("no", 1L)
multi <- sem_time("multicore", 2L)
pe <- parameterEstimates(serial$f, boot.ci.type = "perc")
row <- pe[pe$op == ":=" & pe$lhs == "index", ]
cat(toJSON(list(regression_seconds = reg_seconds, resamples = R, regression_index = unname(index(seq_len(n))),
                regression_boot_se = sd(boot), regression_ci = unname(quantile(boot, c(.025, .975))),
                sem_resamples = R_sem, sem_seconds_serial = serial$seconds, sem_seconds_multicore = multi$seconds,
                sem_boot_ok = nrow(lavInspect(serial$f, "boot")), sem_index = row$est, sem_boot_se = row$se,
                sem_ci = c(row$ci.lower, row$ci.upper), lavaan_version = as.character(packageVersion("lavaan")),
                r_version = R.version.string), auto_unbox = TRUE, digits = NA))
cat("\n")
