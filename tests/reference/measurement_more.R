# R reference values for the additional measurement statistics of study/measurement.py
# (alpha_ci, omega_from_loadings / mcdonald_omega, mardia, parallel_analysis, efa, kmo per item),
# checked by tests/test_measurement_more.py.
#
# Data: questionnaires/data/satisfaction.csv, the "satisfaction" data of the R packages plspm /
# semPLS (ECSI survey of 250 bank customers; first column = row names). Items of the mission model:
# QUAL = qual1-5, SAT = sat1-4, TRUST = imag1-5, LOY = loy1-4.
#
# R calls:
#   alpha_ci      psych::alpha(x, check.keys = FALSE)$feldt (Feldt 1965, 95 %) and
#                 psych::alpha.ci(alpha, n.obs, n.var, p.val = 0.10) (90 %)
#   omega         semTools::compRelSEM(fit) (obs.var = TRUE, the default: observed total variance in
#                 the denominator) and compRelSEM(fit, obs.var = FALSE) (model-implied), for the
#                 4-construct CFA (lavaan::cfa defaults, marker-variable scaling) and for one-factor
#                 CFAs of each construct alone (mcdonald_omega); omega$cfa_estimates: the CFA's
#                 unstandardized loadings, residual and factor variances (parameterEstimates) and
#                 omega$sample_cov: lavInspect(fit, "sampstat")$cov (divisor n)
#   mardia        psych::mardia(x, plot = FALSE) for each construct and for all 18 items
#   parallel      set.seed(20240101); psych::fa.parallel(x, n.iter = 100, plot = FALSE) (defaults:
#                 fm = "minres", fa = "both", simulated normal data, quant = .95); random, so only
#                 nfact / ncomp and the observed eigenvalues are exact. parallel$simulated: for three
#                 seeded 250 x 18 standard-normal data sets, cor(), eigen()$values and
#                 psych::fa(r, 1, fm = "minres", rotate = "none", SMC = FALSE)$values
#   efa           psych::fa(x, nfactors = 4, fm = "pa" | "ml", rotate = "none" | "varimax" |
#                 "promax"): $loadings, $communality, $uniquenesses, $Vaccounted, $Phi
#   kmo           psych::KMO(x)$MSAi (and $MSA), mission and ECSI item sets
#
# Usage, from the project root: Rscript tests/reference/measurement_more.R
suppressMessages({
  library(lavaan); library(semTools); library(psych); library(jsonlite)
})
d <- read.csv("questionnaires/data/satisfaction.csv", row.names = 1)

constructs <- list(
  QUAL = paste0("qual", 1:5),
  SAT = paste0("sat", 1:4),
  TRUST = paste0("imag", 1:5),
  LOY = paste0("loy", 1:4))
items <- unlist(constructs, use.names = FALSE)
ecsi_items <- c(paste0("imag", 1:5), paste0("expe", 1:5), paste0("qual", 1:5), paste0("val", 1:4),
                paste0("sat", 1:4), paste0("loy", 1:4))
x <- d[complete.cases(d[, items]), items]
n <- nrow(x)

named <- function(v, nm) { v <- as.numeric(v); names(v) <- nm; as.list(v) }
mat <- function(m) {  # column-wise {col: {row: value}}
  m <- unclass(m)
  out <- lapply(seq_len(ncol(m)), function(j) named(m[, j], rownames(m)))
  names(out) <- colnames(m)
  out
}

# ---- alpha CI (Feldt) ------------------------------------------------------------------------
alpha_ci <- lapply(constructs, function(its) {
  a <- suppressMessages(psych::alpha(x[, its], check.keys = FALSE, warnings = FALSE))
  ci90 <- psych::alpha.ci(a$total$raw_alpha, n.obs = n, n.var = length(its), p.val = 0.10)
  list(alpha = a$total$raw_alpha,
       lower_95 = as.numeric(a$feldt$lower.ci), upper_95 = as.numeric(a$feldt$upper.ci),
       lower_90 = ci90$lower.ci, upper_90 = ci90$upper.ci)
})

# ---- omega (semTools::compRelSEM) --------------------------------------------------------------
measurement <- paste(sprintf("%s =~ %s", names(constructs), sapply(constructs, paste, collapse = " + ")),
                     collapse = "\n")
cfa_fit <- cfa(measurement, data = x)
omega_cfa <- as.list(compRelSEM(cfa_fit))
omega_cfa_implied <- as.list(compRelSEM(cfa_fit, obs.var = FALSE))
pe <- parameterEstimates(cfa_fit)
cfa_est <- lapply(names(constructs), function(nm) {
  its <- constructs[[nm]]
  lam <- pe[pe$op == "=~" & pe$lhs == nm, ]
  th <- pe[pe$op == "~~" & pe$lhs %in% its & pe$lhs == pe$rhs, ]
  list(loadings = named(lam$est, lam$rhs), residual_variances = named(th$est, th$lhs),
       factor_variance = pe$est[pe$op == "~~" & pe$lhs == nm & pe$rhs == nm])
})
names(cfa_est) <- names(constructs)
sample_cov <- lavInspect(cfa_fit, "sampstat")$cov  # divisor n
omega_single <- list(); omega_single_implied <- list()
for (nm in names(constructs)) {
  f1 <- cfa(sprintf("%s =~ %s", nm, paste(constructs[[nm]], collapse = " + ")), data = x)
  omega_single[[nm]] <- unname(compRelSEM(f1)[[nm]])
  omega_single_implied[[nm]] <- unname(compRelSEM(f1, obs.var = FALSE)[[nm]])
}

# ---- Mardia --------------------------------------------------------------------------------------
mardia_one <- function(z) {
  m <- psych::mardia(z, plot = FALSE)
  list(n = m$n.obs, p = m$n.var, b1p = m$b1p, b2p = m$b2p, skew = m$skew, p_skew = m$p.skew,
       small_skew = m$small.skew, p_small = m$p.small, kurtosis = m$kurtosis, p_kurt = m$p.kurt)
}
mardia_ref <- c(lapply(constructs, function(its) mardia_one(x[, its])), list(ALL = mardia_one(x)))

# ---- parallel analysis -------------------------------------------------------------------------
options(mc.cores = 1)  # fa.parallel uses parallel::mclapply; serial keeps set.seed reproducible
set.seed(20240101)
pa <- suppressWarnings(psych::fa.parallel(x, n.iter = 100, plot = FALSE))
parallel <- list(n_iter = 100, nfact = pa$nfact, ncomp = pa$ncomp,
                 pc_values = pa$pc.values, fa_values = pa$fa.values,
                 pc_sim_mean = pa$pc.sim, fa_sim_mean = pa$fa.sim)
# psych's one-factor minres eigenvalues ("fa" values of fa.parallel) on three simulated normal
# data sets, to check the simulation step deterministically
set.seed(7)
parallel_sim <- lapply(1:3, function(i) {
  r <- cor(matrix(rnorm(250 * 18), 250))
  list(r = unname(r), pc_values = eigen(r)$values,
       fa_values = psych::fa(r, nfactors = 1, rotate = "none", fm = "minres", SMC = FALSE,
                             warnings = FALSE)$values)
})
parallel$simulated <- parallel_sim

# ---- EFA -----------------------------------------------------------------------------------------
efa <- list()
for (fm in c("pa", "ml")) for (rot in c("none", "varimax", "promax")) {
  f <- suppressWarnings(psych::fa(x, nfactors = 4, fm = fm, rotate = rot))
  e <- list(loadings = mat(f$loadings), communality = named(f$communality, items),
            uniquenesses = named(f$uniquenesses, items), vaccounted = mat(f$Vaccounted))
  if (!is.null(f$Phi)) e$phi <- mat(f$Phi)
  efa[[paste(fm, rot, sep = "_")]] <- e
}
# one- and two-factor solutions as well (1 factor: no rotation; 2 factors: varimax / promax)
for (fm in c("pa", "ml")) {
  f <- suppressWarnings(psych::fa(x[, c(constructs$SAT, constructs$LOY)], nfactors = 2, fm = fm,
                                  rotate = "promax"))
  efa[[paste(fm, "promax_satloy2", sep = "_")]] <- list(
    loadings = mat(f$loadings), communality = named(f$communality, rownames(f$loadings)),
    vaccounted = mat(f$Vaccounted), phi = mat(f$Phi))
  f <- suppressWarnings(psych::fa(x[, constructs$QUAL], nfactors = 1, fm = fm))
  efa[[paste(fm, "qual1f", sep = "_")]] <- list(
    loadings = mat(f$loadings), communality = named(f$communality, rownames(f$loadings)),
    vaccounted = mat(f$Vaccounted))
}

# ---- KMO per item -------------------------------------------------------------------------------
k_m <- psych::KMO(x)
xe <- d[complete.cases(d[, ecsi_items]), ecsi_items]
k_e <- psych::KMO(xe)
kmo <- list(mission = list(overall = k_m$MSA, per_item = named(k_m$MSAi, items)),
            ecsi = list(overall = k_e$MSA, per_item = named(k_e$MSAi, ecsi_items)))

out <- list(
  data = "questionnaires/data/satisfaction.csv (plspm/semPLS 'satisfaction', ECSI, 250 bank customers)",
  n = n, items = constructs,
  versions = list(R = paste(R.version$major, R.version$minor, sep = "."),
                  psych = as.character(packageVersion("psych")),
                  semTools = as.character(packageVersion("semTools")),
                  lavaan = as.character(packageVersion("lavaan"))),
  alpha_ci = alpha_ci,
  omega = list(cfa_syntax = measurement, cfa = omega_cfa, cfa_implied = omega_cfa_implied,
               cfa_estimates = cfa_est, sample_cov = mat(sample_cov),
               single = omega_single, single_implied = omega_single_implied),
  mardia = mardia_ref, parallel = parallel, efa = efa, kmo = kmo)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           "tests/reference/measurement_more.json")
cat("wrote tests/reference/measurement_more.json\n")
