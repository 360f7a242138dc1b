# Monte Carlo power with lavaan, the reference for study.power.monte_carlo (tests/test_power.py).
# The population of tests/reference/power_study.yaml (standardized paths, item loadings, normal items),
# for n = 120 and 250, 1000 replications each: draw n respondents (MASS::mvrnorm), fit the structural
# model with sem() (ML, expected information), and count per path p < .05 (Wald z) and per indirect effect
# a 95 % Monte Carlo interval (2000 draws from N(coef, vcov)) without 0, over the replications that
# converged to a proper solution (no negative variance).
# Run from the project root: Rscript tests/reference/make_power_montecarlo_reference.R
# Writes tests/reference/power_montecarlo.json (takes a few minutes).
suppressMessages({library(lavaan); library(MASS); library(jsonlite)})

constructs <- c("QUAL", "SAT", "TRUST", "LOY")  # causal order
paths <- list(c("QUAL", "SAT", 0.50), c("QUAL", "TRUST", 0.20), c("SAT", "TRUST", 0.40),
              c("SAT", "LOY", 0.30), c("TRUST", "LOY", 0.25))
items <- list(QUAL = c(q1 = 0.80, q2 = 0.70, q3 = 0.65), SAT = c(s1 = 0.85, s2 = 0.75, s3 = 0.70),
              TRUST = c(t1 = 0.75, t2 = 0.70, t3 = 0.60), LOY = c(l1 = 0.80, l2 = 0.75, l3 = 0.70))
k <- length(constructs)
B <- matrix(0, k, k, dimnames = list(constructs, constructs))
for (p in paths) B[p[2], p[1]] <- as.numeric(p[3])
# standardized latent covariance, built recursively (each construct's disturbance makes its variance 1)
Phi <- matrix(0, k, k, dimnames = list(constructs, constructs))
for (j in seq_len(k)) {
  if (j > 1) {
    b <- B[j, 1:(j - 1)]
    S <- Phi[1:(j - 1), 1:(j - 1), drop = FALSE]
    Phi[j, 1:(j - 1)] <- Phi[1:(j - 1), j] <- as.vector(b %*% S)
  }
  Phi[j, j] <- 1
}
lambda <- unlist(lapply(names(items), function(c) items[[c]]))
names(lambda) <- unlist(lapply(items, names))
owner <- rep(names(items), sapply(items, length))
Sigma <- outer(lambda, lambda) * Phi[owner, owner]
diag(Sigma) <- 1
dimnames(Sigma) <- list(names(lambda), names(lambda))

model <- "
QUAL =~ q1 + q2 + q3
SAT =~ s1 + s2 + s3
TRUST =~ t1 + t2 + t3
LOY =~ l1 + l2 + l3
SAT ~ a*QUAL
TRUST ~ c*QUAL + b*SAT
LOY ~ d*SAT + e*TRUST
"
labels <- c("QUAL->SAT" = "a", "QUAL->TRUST" = "c", "SAT->TRUST" = "b", "SAT->LOY" = "d", "TRUST->LOY" = "e")
chains <- list("QUAL->SAT->LOY" = c("a", "d"), "QUAL->SAT->TRUST->LOY" = c("a", "b", "e"))
replications <- 1000
draws <- 2000
out <- list()
set.seed(20261201)
for (n in c(120, 250)) {
  sig <- matrix(NA, replications, length(labels) + length(chains),
                dimnames = list(NULL, c(names(labels), names(chains))))
  std <- matrix(NA, replications, length(labels), dimnames = list(NULL, names(labels)))
  usable <- logical(replications)
  for (r in seq_len(replications)) {
    x <- as.data.frame(mvrnorm(n, rep(0, nrow(Sigma)), Sigma))
    fit <- tryCatch(sem(model, data = x), error = function(e) NULL, warning = function(w) NULL)
    if (is.null(fit) || !lavInspect(fit, "converged")) next
    pe <- parameterEstimates(fit)
    if (any(pe$est[pe$op == "~~" & pe$lhs == pe$rhs] < 0)) next
    usable[r] <- TRUE
    est <- coef(fit)
    V <- vcov(fit)
    for (name in names(labels)) {
      row <- pe[pe$label == labels[[name]], ]
      sig[r, name] <- row$pvalue < 0.05
    }
    ss <- standardizedSolution(fit, se = FALSE, zstat = FALSE, pvalue = FALSE, ci = FALSE)
    for (name in names(labels)) std[r, name] <- ss$est.std[ss$label == labels[[name]]]
    for (name in names(chains)) {
      lab <- chains[[name]]
      d <- mvrnorm(draws, est[lab], V[lab, lab])
      q <- quantile(apply(d, 1, prod), c(0.025, 0.975))
      sig[r, name] <- q[1] > 0 || q[2] < 0
    }
  }
  out[[length(out) + 1]] <- list(n = n, replications = replications, usable = sum(usable),
                                 power = as.list(colMeans(sig[usable, , drop = FALSE])),
                                 mean_std = as.list(colMeans(std[usable, , drop = FALSE])))
}
write(toJSON(list(lavaan_version = as.character(packageVersion("lavaan")), draws = draws, results = out),
             auto_unbox = TRUE, digits = NA, pretty = TRUE), "tests/reference/power_montecarlo.json")
