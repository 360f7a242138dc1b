# Times R lavaan's FIML (missing = "ml") fit and bootstrap, and its WLSMV fit, on the bank mission model:
# the yardstick for study.model.fiml.fit_fiml, bootstrap_indirect(..., fiml = ...) and
# study.model.ordinal.fit_wlsmv (benchmarks/run.py rows 6-8). Companion of benchmarks/lavaan_timing.R.
# Needs: apt-get install -y r-base-core r-cran-lavaan r-cran-jsonlite
# Usage, from the project root:
#   Rscript benchmarks/lavaan_timing_more.R fiml  DATA.csv [RESAMPLES=200] [PARALLEL=no|multicore|snow] [NCPUS] [OPTIONS]
#   Rscript benchmarks/lavaan_timing_more.R wlsmv DATA.csv [OPTIONS]
#   e.g. Rscript benchmarks/lavaan_timing_more.R fiml tests/reference/satisfaction_missing.csv 50
#        Rscript benchmarks/lavaan_timing_more.R wlsmv questionnaires/data/satisfaction.csv
# fiml:  sem(model, data = d, missing = "ml") on every row of DATA (lavaan itself drops rows with no
#        answer, with a warning, silenced here); with RESAMPLES > 0 also one
#        sem(..., missing = "ml", se = "bootstrap", bootstrap = RESAMPLES, parallel, ncpus).
# wlsmv: sem(model, data = d, estimator = "WLSMV", ordered = <all observed variables of the model>) on the
#        complete rows of DATA. No bootstrap.
# A first column named "" or "X" (row names) is dropped.
# Options (any position):
#   --model=FILE   lavaan model syntax (default: the mission model below, with QUAL_SAT_LOY := a*b)
#   --fits=K       number of timed plain fits; the median is reported (default 5; 0 = only the warm-up fit)
# Prints one JSON object to stdout:
#   {"mode", "fit_seconds": median wall time of K fits, "fit_times", "boot_seconds" (null if none),
#    "boot_ok": converged resamples, "resamples", "parallel", "ncpus", "chisq", "chisq_scaled" (wlsmv),
#    "npar", "converged", "n": rows used, "npatterns" (fiml), "defined": {name: est} of the := rows,
#    "defined_boot_se": {name: bootstrap SE} (fiml with bootstrap), "lavaan_version", "r_version", "blas"}
suppressMessages({ library(lavaan); library(jsonlite) })

argv <- commandArgs(trailingOnly = TRUE)
named <- grepl("^--[a-z]+=", argv)
opts <- list()
for (a in argv[named]) {
  kv <- regmatches(a, regexpr("=", a), invert = TRUE)[[1]]
  opts[[sub("^--", "", kv[1])]] <- kv[2]
}
args <- argv[!named]
if (length(args) < 2 || !(args[1] %in% c("fiml", "wlsmv"))) {
  stop("usage: Rscript lavaan_timing_more.R fiml DATA.csv [RESAMPLES] [PARALLEL] [NCPUS] [--model=FILE] [--fits=K]\n",
       "       Rscript lavaan_timing_more.R wlsmv DATA.csv [--model=FILE] [--fits=K]")
}
mode <- args[1]
data_path <- args[2]
resamples <- if (mode == "fiml" && length(args) >= 3) as.integer(args[3]) else if (mode == "fiml") 200L else 0L
parallel <- if (length(args) >= 4) args[4] else "no"
ncpus <- if (length(args) >= 5) as.integer(args[5]) else if (parallel == "no") 1L else 2L
n_fits <- if (!is.null(opts$fits)) as.integer(opts$fits) else 5L

model <- "
QUAL =~ qual1 + qual2 + qual3 + qual4 + qual5
SAT =~ sat1 + sat2 + sat3 + sat4
TRUST =~ imag1 + imag2 + imag3 + imag4 + imag5
LOY =~ loy1 + loy2 + loy3 + loy4
SAT ~ b_QUAL_SAT*QUAL
TRUST ~ QUAL + SAT
LOY ~ b_SAT_LOY*SAT + TRUST
QUAL_SAT_LOY := b_QUAL_SAT*b_SAT_LOY
"
if (!is.null(opts$model)) model <- paste(readLines(opts$model, warn = FALSE), collapse = "\n")
items <- lavNames(lavParseModelString(model), "ov")

elapsed <- function(expr) {
  t0 <- Sys.time(); force(expr); as.numeric(difftime(Sys.time(), t0, units = "secs"))
}
quiet_empty <- function(expr) {  # only lavaan's "some cases are empty and will be ignored" warning
  withCallingHandlers(expr, warning = function(w) {
    if (grepl("cases are empty", conditionMessage(w))) invokeRestart("muffleWarning")
  })
}

raw <- read.csv(data_path, check.names = FALSE)
if (names(raw)[1] %in% c("", "X")) raw <- raw[, -1]
d <- raw[, items]
if (mode == "fiml") {
  fit_once <- function() quiet_empty(sem(model, data = d, missing = "ml"))
} else {
  d <- d[complete.cases(d), ]
  fit_once <- function() sem(model, data = d, estimator = "WLSMV", ordered = items)
}

first <- fit_once()  # warm-up: first call pays for loading and byte-compiling
fit_times <- if (n_fits > 0) replicate(n_fits, elapsed(fit_once())) else numeric(0)

pe <- parameterEstimates(first)
def <- pe[pe$op == ":=", ]
defined <- as.list(setNames(def$est, def$lhs))

boot_seconds <- NULL
boot_ok <- NULL
boot_se <- NULL
if (resamples > 0) {
  set.seed(20261122)
  boot_seconds <- elapsed(boot_fit <- quiet_empty(sem(model, data = d, missing = "ml", se = "bootstrap",
                                                      bootstrap = resamples, parallel = parallel,
                                                      ncpus = ncpus)))
  boot_ok <- nrow(lavInspect(boot_fit, "boot"))
  pb <- parameterEstimates(boot_fit)
  pb <- pb[pb$op == ":=", ]
  boot_se <- as.list(setNames(pb$se, pb$lhs))
}

blas <- tryCatch(extSoftVersion()[["BLAS"]], error = function(e) NA)
if (is.na(blas) || blas == "") blas <- tryCatch(sessionInfo()$BLAS, error = function(e) NA)

fm <- fitMeasures(first)
cat(toJSON(list(mode = mode,
                fit_seconds = if (length(fit_times)) median(fit_times) else NULL, fit_times = fit_times,
                boot_seconds = boot_seconds, boot_ok = boot_ok, resamples = resamples, parallel = parallel,
                ncpus = ncpus, chisq = unname(fm["chisq"]),
                chisq_scaled = if ("chisq.scaled" %in% names(fm)) unname(fm["chisq.scaled"]) else NULL,
                npar = unname(fm["npar"]), converged = lavInspect(first, "converged"),
                n = lavInspect(first, "nobs"),
                npatterns = if (mode == "fiml") nrow(lavInspect(first, "patterns")) else NULL,
                defined = if (length(defined)) defined else NULL, defined_boot_se = boot_se,
                lavaan_version = as.character(packageVersion("lavaan")),
                r_version = paste(R.version$major, R.version$minor, sep = "."), blas = blas),
           auto_unbox = TRUE, digits = NA, null = "null"), "\n")
