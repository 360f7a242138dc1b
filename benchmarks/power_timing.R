# Times R on the power analyses of issue 17, the yardstick for study.power (benchmarks/run.py rows 9-10).
# Usage, from the project root:
#   Rscript benchmarks/power_timing.R rmsea DF N [--repeat=K]
#       semTools findRMSEApower (at N) and findRMSEAsamplesize (power .80) for the tests of close fit
#       (.05 vs .08), not-close fit (.05 vs .01) and exact fit (0 vs .05); median of K runs of all six calls.
#   Rscript benchmarks/power_timing.R montecarlo REPLICATIONS N1,N2,...
#       Monte Carlo power on the population of tests/reference/power_study.yaml (normal items), as
#       tests/reference/make_power_montecarlo_reference.R: per replication MASS::mvrnorm, lavaan sem(), the
#       Wald tests of the paths and a 2000-draw Monte Carlo interval per indirect effect; serial.
# Prints one JSON object: {"seconds", "replications", "n", "result", "lavaan_version", "semtools_version"}.
suppressMessages({ library(lavaan); library(semTools); library(MASS); library(jsonlite) })

argv <- commandArgs(trailingOnly = TRUE)
named <- grepl("^--[a-z]+=", argv)
opts <- list()
for (a in argv[named]) {
  kv <- regmatches(a, regexpr("=", a), invert = TRUE)[[1]]
  opts[[sub("^--", "", kv[1])]] <- kv[2]
}
args <- argv[!named]
elapsed <- function(expr) { t0 <- Sys.time(); force(expr); as.numeric(difftime(Sys.time(), t0, units = "secs")) }
versions <- list(lavaan_version = as.character(packageVersion("lavaan")),
                 semtools_version = as.character(packageVersion("semTools")))

if (args[1] == "rmsea") {
  df <- as.numeric(args[2]); n <- as.numeric(args[3])
  k <- if (!is.null(opts[["repeat"]])) as.integer(opts[["repeat"]]) else 5L
  tests <- list(c(0.05, 0.08), c(0.05, 0.01), c(0, 0.05))
  run <- function() lapply(tests, function(t) c(findRMSEApower(t[1], t[2], df, n),
                                                 findRMSEAsamplesize(t[1], t[2], df, power = 0.8)))
  result <- run()
  times <- replicate(k, elapsed(run()))
  cat(toJSON(c(list(seconds = median(times), times = times, result = result), versions),
             auto_unbox = TRUE, digits = NA), "\n")
} else if (args[1] == "montecarlo") {
  replications <- as.integer(args[2])
  ns <- as.integer(strsplit(args[3], ",")[[1]])
  constructs <- c("QUAL", "SAT", "TRUST", "LOY")
  paths <- list(c("QUAL", "SAT", 0.50), c("QUAL", "TRUST", 0.20), c("SAT", "TRUST", 0.40),
                c("SAT", "LOY", 0.30), c("TRUST", "LOY", 0.25))
  items <- list(QUAL = c(q1 = 0.80, q2 = 0.70, q3 = 0.65), SAT = c(s1 = 0.85, s2 = 0.75, s3 = 0.70),
                TRUST = c(t1 = 0.75, t2 = 0.70, t3 = 0.60), LOY = c(l1 = 0.80, l2 = 0.75, l3 = 0.70))
  k <- length(constructs)
  B <- matrix(0, k, k, dimnames = list(constructs, constructs))
  for (p in paths) B[p[2], p[1]] <- as.numeric(p[3])
  Phi <- matrix(0, k, k, dimnames = list(constructs, constructs))
  for (j in seq_len(k)) {
    if (j > 1) {
      b <- B[j, 1:(j - 1)]
      Phi[j, 1:(j - 1)] <- Phi[1:(j - 1), j] <- as.vector(b %*% Phi[1:(j - 1), 1:(j - 1), drop = FALSE])
    }
    Phi[j, j] <- 1
  }
  lambda <- unlist(lapply(names(items), function(c) items[[c]])); names(lambda) <- unlist(lapply(items, names))
  owner <- rep(names(items), sapply(items, length))
  Sigma <- outer(lambda, lambda) * Phi[owner, owner]; diag(Sigma) <- 1
  dimnames(Sigma) <- list(names(lambda), names(lambda))
  model <- "QUAL =~ q1 + q2 + q3\nSAT =~ s1 + s2 + s3\nTRUST =~ t1 + t2 + t3\nLOY =~ l1 + l2 + l3
SAT ~ a*QUAL\nTRUST ~ c*QUAL + b*SAT\nLOY ~ d*SAT + e*TRUST"
  chains <- list(c("a", "d"), c("a", "b", "e"))
  set.seed(1)
  power <- list()
  seconds <- elapsed(for (n in ns) {
    sig <- 0; used <- 0
    for (r in seq_len(replications)) {
      x <- as.data.frame(mvrnorm(n, rep(0, nrow(Sigma)), Sigma))
      fit <- tryCatch(sem(model, data = x), error = function(e) NULL, warning = function(w) NULL)
      if (is.null(fit) || !lavInspect(fit, "converged")) next
      pe <- parameterEstimates(fit)
      if (any(pe$est[pe$op == "~~" & pe$lhs == pe$rhs] < 0)) next
      used <- used + 1
      est <- coef(fit); V <- vcov(fit)
      sig <- sig + (pe$pvalue[pe$label == "c"] < 0.05)
      for (lab in chains) {
        d <- mvrnorm(2000, est[lab], V[lab, lab])
        q <- quantile(apply(d, 1, prod), c(0.025, 0.975))
      }
    }
    power[[as.character(n)]] <- sig / used
  })
  cat(toJSON(c(list(seconds = seconds, replications = replications, n = ns, result = power), versions),
             auto_unbox = TRUE, digits = NA), "\n")
} else {
  stop("usage: Rscript power_timing.R rmsea DF N | montecarlo REPLICATIONS N1,N2,...")
}
