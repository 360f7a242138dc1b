# lavaan / semTools / psych reference values for the default study questionnaires/ecommerce_loyalty.yaml
# (second-order construct QUAL = DES + INFO + RESP + FUL), for cross-checking study/.
#
# Input: tests/reference/ecommerce_loyalty_analysed.csv, the analysed item matrix exactly as the tool
# analyses it (after screening, listwise deletion and reverse coding), written from Python by
#   from study.questionnaire import load_study; from study.data import load_responses
#   load_responses(load_study("questionnaires/ecommerce_loyalty.yaml")).items.to_csv(..., index=False)
# Models: study.model.syntax.cfa_syntax(study) and sem_syntax(study), the latter with labelled paths
# and one ":=" indirect effect per model.mediation chain (as ../shared/tools/reference.R does).
# Usage, from the project root: Rscript tests/reference/make_ecommerce_reference.R
suppressMessages({
  library(lavaan); library(semTools); library(psych); library(jsonlite)
})
d <- read.csv("tests/reference/ecommerce_loyalty_analysed.csv", check.names = FALSE)

constructs <- list(
  DES = c("des1", "des2", "des3", "des4"),
  INFO = c("info1", "info2", "info3"),
  RESP = c("resp1", "resp2", "resp3", "resp4"),
  FUL = c("ful1", "ful2", "ful3", "ful4"),
  SAT = c("sat1", "sat2", "sat3"),
  TRUST = c("trust1", "trust2", "trust3", "trust4"),
  LOY = c("loy1", "loy2", "loy3", "loy4", "loy5"),
  SWC = c("swc1", "swc2", "swc3"))
second_order <- list(QUAL = c("DES", "INFO", "RESP", "FUL"))
paths <- list(c("QUAL", "SAT"), c("QUAL", "TRUST"), c("SAT", "TRUST"), c("SAT", "LOY"), c("TRUST", "LOY"),
              c("SWC", "LOY"))
mediation <- list(H6 = c("QUAL", "SAT", "LOY"), H7 = c("SAT", "TRUST", "LOY"),
                  H7b = c("QUAL", "SAT", "TRUST", "LOY"))

measurement <- paste(sprintf("%s =~ %s", names(constructs), sapply(constructs, paste, collapse = " + ")),
                     collapse = "\n")
codes <- names(constructs)
pairs <- combn(codes, 2)
cfa_model <- paste(measurement, paste(sprintf("%s ~~ %s", pairs[1, ], pairs[2, ]), collapse = "\n"), sep = "\n")
higher <- paste(sprintf("%s =~ %s", names(second_order), sapply(second_order, paste, collapse = " + ")),
                collapse = "\n")
label <- function(from, to) paste0("b_", from, "_", to)
tos <- unique(sapply(paths, `[[`, 2))
structural <- paste(sapply(tos, function(to) {
  froms <- unlist(lapply(paths, function(p) if (p[[2]] == to) p[[1]]))
  sprintf("%s ~ %s", to, paste(sprintf("%s*%s", label(froms, to), froms), collapse = " + "))
}), collapse = "\n")
defined <- paste(sapply(names(mediation), function(k) {
  chain <- mediation[[k]]
  sprintf("%s := %s", k, paste(label(chain[-length(chain)], chain[-1]), collapse = "*"))
}), collapse = "\n")
sem_model <- paste(measurement, higher, structural, defined, sep = "\n")

out <- list(lavaan_version = as.character(packageVersion("lavaan")),
            semtools_version = as.character(packageVersion("semTools")),
            psych_version = as.character(packageVersion("psych")),
            n = nrow(d), cfa_syntax = cfa_model, sem_syntax = sem_model)

fm_names <- c("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "rmsea.ci.lower", "rmsea.ci.upper",
              "srmr", "gfi", "agfi", "nfi", "ifi", "rni", "aic", "bic", "logl")
fits <- function(f) as.list(fitMeasures(f, fm_names))

# measurement model
cf <- cfa(cfa_model, data = d)
ss <- standardizedSolution(cf)
ld <- ss[ss$op == "=~", ]
out$cfa <- list(converged = lavInspect(cf, "converged"), fit = fits(cf),
                std_loadings = lapply(split(ld, ld$lhs)[codes], function(s) as.list(setNames(s$est.std, s$rhs))))

# structural model with the second-order factor
f <- sem(sem_model, data = d)
pe <- parameterEstimates(f, standardized = TRUE)
out$sem <- list(converged = lavInspect(f, "converged"), fit = fits(f))
reg <- pe[pe$op == "~", ]
out$sem$paths <- lapply(seq_len(nrow(reg)), function(i) list(
  from = reg$rhs[i], to = reg$lhs[i], est = reg$est[i], se = reg$se[i], z = reg$z[i],
  pvalue = reg$pvalue[i], std_all = reg$std.all[i]))
so <- pe[pe$op == "=~" & pe$lhs %in% names(second_order), ]
out$sem$second_order_loadings <- lapply(seq_len(nrow(so)), function(i) list(
  lhs = so$lhs[i], rhs = so$rhs[i], est = so$est[i], se = so$se[i], z = so$z[i], pvalue = so$pvalue[i],
  std_all = so$std.all[i]))
r2 <- lavInspect(f, "r2")
endogenous <- c(unlist(second_order, use.names = FALSE), tos)
out$sem$r2 <- as.list(r2[endogenous])
def <- pe[pe$op == ":=", ]
out$sem$indirect <- lapply(seq_len(nrow(def)), function(i) list(
  name = def$lhs[i], est = def$est[i], se_delta = def$se[i], z = def$z[i], pvalue = def$pvalue[i],
  std_all = def$std.all[i]))

# HTMT (semTools) of the first-order constructs, and Cronbach's alpha (psych)
ht <- htmt(measurement, data = d)
out$htmt <- lapply(as.data.frame(as.matrix(ht)), function(col) as.list(setNames(col, rownames(ht))))
out$alpha <- lapply(constructs, function(its) {
  a <- suppressWarnings(suppressMessages(psych::alpha(d[, its], check.keys = FALSE, warnings = FALSE)))
  a$total$raw_alpha
})

write(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null", na = "null"),
      "tests/reference/ecommerce_loyalty_lavaan.json")
