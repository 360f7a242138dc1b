# Times R lavaan on the mission model (QUAL -> SAT/TRUST -> LOY), the yardstick for our own timings.
# Needs: apt-get install -y r-base-core r-cran-lavaan r-cran-jsonlite
# Usage, from the project root:
#   Rscript benchmarks/lavaan_timing.R DATA.csv [RESAMPLES=1000] [PARALLEL=no|multicore|snow] [NCPUS=2]
#   e.g. Rscript benchmarks/lavaan_timing.R ../shared/data/satisfaction.csv 1000
# Prints one JSON object to stdout:
#   {"fit_seconds": median wall time of 5 plain sem() fits,
#    "boot_seconds": wall time of one sem(..., se = "bootstrap", bootstrap = RESAMPLES),
#    "resamples": RESAMPLES, "parallel": ..., "ncpus": ..., "lavaan_version": ..., "n": rows used}
suppressMessages({ library(lavaan); library(jsonlite) })

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1) stop("usage: Rscript lavaan_timing.R DATA.csv [RESAMPLES] [PARALLEL] [NCPUS]")
data_path <- args[1]
resamples <- if (length(args) >= 2) as.integer(args[2]) else 1000L
parallel <- if (length(args) >= 3) args[3] else "no"
ncpus <- if (length(args) >= 4) as.integer(args[4]) else if (parallel == "no") 1L else 2L

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
items <- c(paste0("qual", 1:5), paste0("sat", 1:4), paste0("imag", 1:5), paste0("loy", 1:4))

raw <- read.csv(data_path, check.names = FALSE)
if (names(raw)[1] %in% c("", "X")) raw <- raw[, -1]
d <- raw[, items]
d <- d[complete.cases(d), ]

elapsed <- function(expr) {
  t0 <- Sys.time(); force(expr); as.numeric(difftime(Sys.time(), t0, units = "secs"))
}

invisible(sem(model, data = d))  # warm-up: first call pays for loading and byte-compiling
fit_times <- replicate(5, elapsed(sem(model, data = d)))

set.seed(20261122)
boot_seconds <- elapsed(sem(model, data = d, se = "bootstrap", bootstrap = resamples,
                            parallel = parallel, ncpus = ncpus))

cat(toJSON(list(fit_seconds = median(fit_times), boot_seconds = boot_seconds, resamples = resamples,
                parallel = parallel, ncpus = ncpus,
                lavaan_version = as.character(packageVersion("lavaan")), n = nrow(d)),
           auto_unbox = TRUE, digits = NA), "\n")
