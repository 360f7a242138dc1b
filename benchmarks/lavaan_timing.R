# Times R lavaan on the mission model (QUAL -> SAT/TRUST -> LOY), the yardstick for our own timings.
# Needs: apt-get install -y r-base-core r-cran-lavaan r-cran-jsonlite
# Usage, from the project root:
#   Rscript benchmarks/lavaan_timing.R DATA.csv [RESAMPLES=1000] [PARALLEL=no|multicore|snow] [NCPUS=2] [OPTIONS]
#   Rscript benchmarks/lavaan_timing.R --cov=COV.csv --nobs=N [OPTIONS]
#   e.g. Rscript benchmarks/lavaan_timing.R questionnaires/data/satisfaction.csv 1000
# Options (any position):
#   --model=FILE   lavaan model syntax to fit (default: the mission model below, with its := indirect effects)
#   --fits=K       number of timed plain fits; the median is reported (default 5)
#   --cov=FILE     fit from a covariance matrix instead of raw data (lavaan's sample.cov + sample.nobs):
#                  a CSV with a header of variable names and one row per variable (row names optional),
#                  an unbiased (divisor N-1) covariance, which lavaan rescales to divisor N for ML, as it
#                  does with raw data. No bootstrap is possible from a covariance matrix.
#   --nobs=N       the number of observations behind --cov (required with --cov)
#   RESAMPLES=0 skips the bootstrap.
# Prints one JSON object to stdout:
#   {"fit_seconds": median wall time of K plain sem() fits, "fit_times": all K,
#    "boot_seconds": wall time of one sem(..., se = "bootstrap", bootstrap = RESAMPLES) (null if none),
#    "boot_ok": resamples that converged, "resamples", "parallel", "ncpus", "input": "data" | "sample.cov",
#    "chisq", "npar", "converged", "lavaan_version", "r_version", "blas", "n": rows used}
suppressMessages({ library(lavaan); library(jsonlite) })

argv <- commandArgs(trailingOnly = TRUE)
named <- grepl("^--[a-z]+=", argv)
opts <- list()
for (a in argv[named]) {
  kv <- regmatches(a, regexpr("=", a), invert = TRUE)[[1]]
  opts[[sub("^--", "", kv[1])]] <- kv[2]
}
args <- argv[!named]
from_cov <- !is.null(opts$cov)
if (!from_cov && length(args) < 1) {
  stop("usage: Rscript lavaan_timing.R DATA.csv [RESAMPLES] [PARALLEL] [NCPUS] [--model=FILE] [--fits=K]\n",
       "       Rscript lavaan_timing.R --cov=COV.csv --nobs=N [--model=FILE] [--fits=K]")
}
if (from_cov && is.null(opts$nobs)) stop("--cov needs --nobs=N")
data_path <- if (length(args) >= 1) args[1] else NA
resamples <- if (length(args) >= 2) as.integer(args[2]) else 1000L
if (from_cov) resamples <- 0L
parallel <- if (length(args) >= 3) args[3] else "no"
ncpus <- if (length(args) >= 4) as.integer(args[4]) else if (parallel == "no") 1L else 2L
n_fits <- if (!is.null(opts$fits)) as.integer(opts$fits) else 5L

model <- "
QUAL =~ qual1 + qual2 + qual3 + qual4 + qual5
SAT =~ sat1 + sat2 + sat3 + sat4
TRUST =~ imag1 + imag2 + imag3 + imag4 + imag5
LOY =~ loy1 + loy2 + loy3 + loy4
SAT ~ b_QUAL_SAT*QUAL
TRUST ~ b_QUAL_TRUST*QUAL + b_SAT_TRUST*SAT
LOY ~ b_SAT_LOY*SAT + b_TRUST_LOY*TRUST
QUAL_SAT_LOY := b_QUAL_SAT*b_SAT_LOY
QUAL_TRUST_LOY := b_QUAL_TRUST*b_TRUST_LOY
QUAL_SAT_TRUST_LOY := b_QUAL_SAT*b_SAT_TRUST*b_TRUST_LOY
"
if (!is.null(opts$model)) model <- paste(readLines(opts$model, warn = FALSE), collapse = "\n")
items <- lavNames(lavParseModelString(model), "ov")

elapsed <- function(expr) {
  t0 <- Sys.time(); force(expr); as.numeric(difftime(Sys.time(), t0, units = "secs"))
}

if (from_cov) {
  s <- as.matrix(read.csv(opts$cov, check.names = FALSE))
  if (!is.numeric(s)) {  # first column holds row names
    raw <- read.csv(opts$cov, check.names = FALSE)
    s <- as.matrix(raw[, -1]); rownames(s) <- raw[[1]]
  }
  rownames(s) <- colnames(s)
  s <- s[items, items]
  nobs <- as.numeric(opts$nobs)
  fit_once <- function() sem(model, sample.cov = s, sample.nobs = nobs)
  n_rows <- nobs
} else {
  raw <- read.csv(data_path, check.names = FALSE)
  if (names(raw)[1] %in% c("", "X")) raw <- raw[, -1]
  d <- raw[, items]
  d <- d[complete.cases(d), ]
  fit_once <- function() sem(model, data = d)
  n_rows <- nrow(d)
}

first <- fit_once()  # warm-up: first call pays for loading and byte-compiling
fit_times <- replicate(n_fits, elapsed(fit_once()))

boot_seconds <- NULL
boot_ok <- NULL
if (resamples > 0) {
  set.seed(20261122)
  boot_seconds <- elapsed(boot_fit <- sem(model, data = d, se = "bootstrap", bootstrap = resamples,
                                          parallel = parallel, ncpus = ncpus))
  boot_ok <- nrow(lavInspect(boot_fit, "boot"))
}

blas <- tryCatch(extSoftVersion()[["BLAS"]], error = function(e) NA)
if (is.na(blas) || blas == "") blas <- tryCatch(sessionInfo()$BLAS, error = function(e) NA)

cat(toJSON(list(fit_seconds = median(fit_times), fit_times = fit_times, boot_seconds = boot_seconds,
                boot_ok = boot_ok, resamples = resamples, parallel = parallel, ncpus = ncpus,
                input = if (from_cov) "sample.cov" else "data",
                chisq = unname(fitMeasures(first, "chisq")), npar = unname(fitMeasures(first, "npar")),
                converged = lavInspect(first, "converged"),
                lavaan_version = as.character(packageVersion("lavaan")),
                r_version = paste(R.version$major, R.version$minor, sep = "."), blas = blas, n = n_rows),
           auto_unbox = TRUE, digits = NA, null = "null"), "\n")
