# Common-method-bias check with an unmeasured latent method construct (ULMC; Podsakoff, MacKenzie,
# Lee & Podsakoff 2003): lavaan reference values for study/model/method_factor.py, read by
# tests/test_method_factor.py.
#
# For each data set two models are fitted with lavaan::cfa() (ML, marker-identified traits):
#   trait   the first-order CFA, all trait factors correlated;
#   method  the same plus a METHOD factor on which every item loads, variance fixed to 1, all method
#           loadings constrained equal (label m; "NA*" frees the first loading, which lavaan would
#           otherwise fix to 1), orthogonal to every trait factor;
# and compared by lavTestLRT (chi-square difference test).
# For the bank data the variant with free method loadings (variance 1, orthogonal) is stored too.
#
# Data:
#   bank   the ECSI bank-customer survey ("satisfaction", 250 respondents) shipped with the R packages
#          plspm and semPLS (Sanchez 2013; Monecke & Leisch 2012): questionnaires/data/satisfaction.csv
#   ecommerce  the analysed items of the default study questionnaires/ecommerce_loyalty.yaml (simulated
#          data), its first-order constructs: tests/reference/ecommerce_loyalty_analysed.csv
#
# Run from the project root: Rscript tests/reference/make_method_factor_reference.R
suppressMessages({library(lavaan); library(jsonlite)})

measures <- c("npar", "chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr", "aic", "bic")

trait_syntax <- function(constructs) {
  codes <- names(constructs)
  lines <- sprintf("%s =~ %s", codes, sapply(constructs, paste, collapse = " + "))
  if (length(codes) > 1) {
    pairs <- combn(codes, 2)
    lines <- c(lines, sprintf("%s ~~ %s", pairs[1, ], pairs[2, ]))
  }
  paste(lines, collapse = "\n")
}

method_syntax <- function(constructs, equal = TRUE) {
  items <- unlist(constructs, use.names = FALSE)
  loadings <- if (equal) c(paste0("NA*", items[1]), paste0("m*", items)) else c(paste0("NA*", items[1]), items[-1])
  paste(trait_syntax(constructs),
        paste("METHOD =~", paste(loadings, collapse = " + ")),
        "METHOD ~~ 1*METHOD",
        paste("METHOD ~~", paste0("0*", names(constructs), collapse = " + ")),
        sep = "\n")
}

describe <- function(f, syntax) {
  pe <- parameterEstimates(f)
  pe <- pe[pe$op %in% c("=~", "~~"), ]
  ss <- standardizedSolution(f)
  ss <- ss[ss$op %in% c("=~", "~~"), ]
  na_null <- function(x) if (is.na(x)) NULL else x
  list(syntax = syntax, converged = lavInspect(f, "converged"),
       fit = as.list(unclass(fitMeasures(f, measures))),
       estimates = lapply(seq_len(nrow(pe)), function(i) list(
         lhs = pe$lhs[i], op = pe$op[i], rhs = pe$rhs[i], est = pe$est[i], se = na_null(pe$se[i]))),
       std = lapply(seq_len(nrow(ss)), function(i) list(
         lhs = ss$lhs[i], op = ss$op[i], rhs = ss$rhs[i], est_std = ss$est.std[i], se = na_null(ss$se[i]))))
}

# Shares of item variance (Williams, Cote & Buckley 1989; Liang, Saraf, Hu & Xue 2007): the mean over
# items of the squared standardized method loading, and of the squared standardized trait loading.
shares <- function(f) {
  ss <- standardizedSolution(f)
  lo <- ss[ss$op == "=~", ]
  list(method = mean(lo$est.std[lo$lhs == "METHOD"]^2), substantive = mean(lo$est.std[lo$lhs != "METHOD"]^2))
}

one <- function(d, constructs, free_variant = FALSE) {
  ts <- trait_syntax(constructs)
  ms <- method_syntax(constructs)
  trait <- cfa(ts, data = d)
  method <- cfa(ms, data = d)
  lrt <- lavTestLRT(trait, method)
  out <- list(n = nrow(d), constructs = constructs,
              trait = describe(trait, ts), method = describe(method, ms),
              lrt = list(chisq_diff = lrt[["Chisq diff"]][2], df_diff = lrt[["Df diff"]][2],
                         pvalue = lrt[["Pr(>Chisq)"]][2]),
              shares = shares(method))
  if (free_variant) {
    fs <- method_syntax(constructs, equal = FALSE)
    free <- cfa(fs, data = d)
    out$method_free <- describe(free, fs)
    out$method_free$shares <- shares(free)
  }
  out
}

bank <- read.csv("questionnaires/data/satisfaction.csv", check.names = FALSE)[, -1]
bank_constructs <- list(QUAL = paste0("qual", 1:5), SAT = paste0("sat", 1:4),
                        TRUST = paste0("imag", 1:5), LOY = paste0("loy", 1:4))
ecommerce <- read.csv("tests/reference/ecommerce_loyalty_analysed.csv", check.names = FALSE)
ecommerce_constructs <- list(DES = paste0("des", 1:4), INFO = paste0("info", 1:3), RESP = paste0("resp", 1:4),
                             FUL = paste0("ful", 1:4), SAT = paste0("sat", 1:3), TRUST = paste0("trust", 1:4),
                             LOY = paste0("loy", 1:5), SWC = paste0("swc", 1:3))

out <- list(lavaan_version = as.character(packageVersion("lavaan")),
            bank = one(bank, bank_constructs, free_variant = TRUE),
            ecommerce = one(ecommerce, ecommerce_constructs))
write(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"),
      "tests/reference/method_factor_reference.json")
