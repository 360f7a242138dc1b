# Reference output for group differences (差异分析) and item analysis (项目分析), issue 12.
#
# Run from the repository root:  Rscript tests/reference/make_differences_reference.R
# Writes tests/reference/differences_reference.json (read by tests/test_differences.py).
#
# Data:
#  - bank: questionnaires/data/satisfaction.csv (ECSI survey of 250 bank customers, items 0-10, gender);
#    construct scores = mean of the items (QUAL qual1-5, SAT sat1-4, TRUST imag1-5, LOY loy1-4), by gender
#    (levels male, female: differences are male - female).
#  - ecommerce: tests/reference/differences_scores.csv, a fixed copy of the default study's construct
#    scores (425 analysed respondents) with its background answers; by gender (2 levels), shopping
#    frequency (4 levels) and age band (5 levels).
#  - item analysis: the bank items per construct and all 18 together; the default study's analysed items
#    (tests/reference/ecommerce_loyalty_analysed.csv) per first-order construct.
#
# R 4.x with car, rstatix, effectsize, emmeans, jsonlite (Debian r-cran-* packages).

suppressPackageStartupMessages({
  library(car); library(rstatix); library(effectsize); library(emmeans); library(jsonlite)
})

bank <- read.csv("questionnaires/data/satisfaction.csv")
bank_scales <- list(QUAL = paste0("qual", 1:5), SAT = paste0("sat", 1:4), TRUST = paste0("imag", 1:5),
                    LOY = paste0("loy", 1:4))
bank_scores <- as.data.frame(lapply(bank_scales, function(cols) rowMeans(bank[, cols])))
bank_scores$gender <- bank$gender

shop <- read.csv("tests/reference/differences_scores.csv", colClasses = c(gender = "character",
                 age = "character", frequency = "character"))

# Brown & Forsythe (1974) F* test of equal means: no package on Debian has it, so from the formula.
brown_forsythe <- function(y, g) {
  n <- tapply(y, g, length); m <- tapply(y, g, mean); v <- tapply(y, g, var); N <- sum(n)
  w <- (1 - n / N) * v
  f <- sum(n * (m - mean(y))^2) / sum(w)
  cc <- w / sum(w)
  df1 <- length(n) - 1; df2 <- 1 / sum(cc^2 / (n - 1))
  list(f = f, df1 = df1, df2 = df2, p = pf(f, df1, df2, lower.tail = FALSE))
}

levene <- function(y, g, center) {
  l <- leveneTest(y ~ g, center = center)
  list(f = l[1, "F value"], df1 = l[1, "Df"], df2 = l[2, "Df"], p = l[1, "Pr(>F)"])
}

describe <- function(y, g) {
  lv <- levels(g)
  lapply(setNames(lv, lv), function(l) {
    v <- y[g == l]; n <- length(v); se <- sd(v) / sqrt(n); h <- qt(0.975, n - 1) * se
    list(n = n, mean = mean(v), sd = sd(v), ci_lower = mean(v) - h, ci_upper = mean(v) + h)
  })
}

two_groups <- function(y, g) {
  g <- factor(g, levels = levels(g))
  x1 <- y[g == levels(g)[1]]; x2 <- y[g == levels(g)[2]]
  st <- t.test(x1, x2, var.equal = TRUE); we <- t.test(x1, x2, var.equal = FALSE)
  tt <- function(r) list(t = unname(r$statistic), df = unname(r$parameter), p = r$p.value,
                         difference = unname(r$estimate[1] - r$estimate[2]), se = r$stderr,
                         ci_lower = r$conf.int[1], ci_upper = r$conf.int[2])
  w <- wilcox.test(x1, x2)  # R's default: exact without ties when both n < 50
  list(groups = describe(y, g), student = tt(st), welch = tt(we),
       levene_mean = levene(y, g, "mean"), levene_median = levene(y, g, "median"),
       cohen_d = cohens_d(x1, x2)$Cohens_d, hedges_g = hedges_g(x1, x2)$Hedges_g,
       mann_whitney = list(u = unname(w$statistic), p = w$p.value,
                           rank_biserial = rank_biserial(x1, x2)$r_rank_biserial))
}

pairs_table <- function(em, adjust) {
  # emmeans on the ANOVA model: pooled MS_within for every pair, as SPSS's LSD, Bonferroni, Scheffé, Tukey
  ct <- contrast(em, method = "pairwise", adjust = adjust)
  s <- summary(ct, infer = c(TRUE, TRUE), adjust = adjust)
  list(contrast = as.character(s$contrast), difference = s$estimate, se = s$SE, df = s$df,
       t = s$t.ratio, p = s$p.value, ci_lower = s$lower.CL, ci_upper = s$upper.CL)
}

more_groups <- function(y, g, ordered_scores = NULL) {
  d <- data.frame(y = y, g = g)
  fit <- aov(y ~ g, data = d)
  tab <- summary(fit)[[1]]
  tk <- TukeyHSD(fit)$g
  em <- emmeans(fit, ~ g)
  gh <- games_howell_test(d, y ~ g, conf.level = 0.95, detailed = TRUE)
  dn <- dunn_test(d, y ~ g, p.adjust.method = "holm", detailed = TRUE)
  ow <- oneway.test(y ~ g, data = d, var.equal = FALSE)
  ow_eq <- oneway.test(y ~ g, data = d, var.equal = TRUE)
  kw <- kruskal.test(y ~ g, data = d)
  out <- list(
    groups = describe(y, g),
    anova = list(f = tab[1, "F value"], df1 = tab[1, "Df"], df2 = tab[2, "Df"], p = tab[1, "Pr(>F)"],
                 ss_between = tab[1, "Sum Sq"], ss_within = tab[2, "Sum Sq"], f_oneway_test = unname(ow_eq$statistic)),
    eta2 = eta_squared(fit, partial = FALSE)$Eta2, omega2 = omega_squared(fit, partial = FALSE)$Omega2,
    welch = list(f = unname(ow$statistic), df1 = unname(ow$parameter[1]), df2 = unname(ow$parameter[2]),
                 p = ow$p.value),
    brown_forsythe = brown_forsythe(y, g),
    levene_mean = levene(y, g, "mean"), levene_median = levene(y, g, "median"),
    tukey_hsd = list(pair = rownames(tk), difference = unname(tk[, "diff"]), ci_lower = unname(tk[, "lwr"]),
                     ci_upper = unname(tk[, "upr"]), p = unname(tk[, "p adj"])),
    tukey = pairs_table(em, "tukey"), lsd = pairs_table(em, "none"),
    bonferroni = pairs_table(em, "bonferroni"), scheffe = pairs_table(em, "scheffe"),
    games_howell = list(group1 = gh$group1, group2 = gh$group2, estimate = gh$estimate,
                        ci_lower = gh$conf.low, ci_upper = gh$conf.high, p = gh$p.adj),
    kruskal = list(h = unname(kw$statistic), df = unname(kw$parameter), p = kw$p.value,
                   epsilon2 = rank_epsilon_squared(y ~ g, data = d)$rank_epsilon_squared),
    dunn = list(group1 = dn$group1, group2 = dn$group2, z = dn$statistic, p = dn$p, p_adj = dn$p.adj)
  )
  if (!is.null(ordered_scores)) {
    d$o <- factor(d$g, levels = levels(g), ordered = TRUE)
    contrasts(d$o) <- contr.poly(nlevels(g), scores = ordered_scores)
    co <- summary(lm(y ~ o, data = d))$coefficients
    out$trend <- list(estimate = co["o.L", "Estimate"], se = co["o.L", "Std. Error"], t = co["o.L", "t value"],
                      p = co["o.L", "Pr(>|t|)"])
    # the same contrast without assuming equal variances (SPSS ONEWAY's second contrast row):
    # SE from each group's own variance, Welch-Satterthwaite df
    cc <- contr.poly(nlevels(g), scores = ordered_scores)[, 1]
    m <- tapply(y, g, mean); v <- tapply(y, g, var); n <- tapply(y, g, length)
    part <- cc^2 * v / n
    est <- sum(cc * m); se <- sqrt(sum(part)); df <- sum(part)^2 / sum(part^2 / (n - 1))
    out$trend_welch <- list(estimate = est, se = se, t = est / se, df = df, p = 2 * pt(-abs(est / se), df))
  }
  out
}

result <- list(bank = list(), shop = list(), item_analysis = list())
bank_gender <- factor(bank_scores$gender, levels = c("male", "female"))
for (sc in names(bank_scales)) result$bank[[sc]] <- list(gender = two_groups(bank_scores[[sc]], bank_gender))

shop_outcomes <- c("SAT", "TRUST", "LOY", "QUAL")
for (sc in shop_outcomes) {
  result$shop[[sc]] <- list(
    gender = two_groups(shop[[sc]], factor(shop$gender, levels = c("1", "2"))),
    frequency = more_groups(shop[[sc]], factor(shop$frequency, levels = c("1", "2", "3", "4")), 1:4),
    age = more_groups(shop[[sc]], factor(shop$age, levels = c("1", "2", "3", "4", "5")), 1:5))
}
# a grouping with a left-out middle level keeps the positions of the others in the trend contrast
keep <- shop$age != "3"
result$shop$SAT$age_without_3 <- more_groups(shop$SAT[keep], factor(shop$age[keep], levels = c("1", "2", "4", "5")),
                                             c(1, 2, 4, 5))

# a small case without ties: R's wilcox.test uses the exact distribution (both n < 50)
w <- wilcox.test(c(1.1, 2.3, 3.5, 4.2, 8), c(5.5, 6.1, 7.7, 9.9))
result$mann_whitney_exact <- list(x = c(1.1, 2.3, 3.5, 4.2, 8), y = c(5.5, 6.1, 7.7, 9.9), u = unname(w$statistic),
                                  p = w$p.value, rank_biserial = rank_biserial(c(1.1, 2.3, 3.5, 4.2, 8),
                                                                               c(5.5, 6.1, 7.7, 9.9))$r_rank_biserial)

# ---- item analysis: top and bottom 27 % by SPSS percentiles (type 6), Levene mean-centred decides the t
item_analysis <- function(items) {
  total <- rowSums(items)
  cuts <- unname(quantile(total, c(0.27, 0.73), type = 6))
  low <- total <= cuts[1]; high <- total >= cuts[2]
  per_item <- lapply(setNames(names(items), names(items)), function(it) {
    v <- items[[it]]
    g <- factor(c(rep("high", sum(high)), rep("low", sum(low))), levels = c("high", "low"))
    vv <- c(v[high], v[low])
    lev <- leveneTest(vv ~ g, center = mean)
    equal <- lev[1, "Pr(>F)"] >= 0.05
    tt <- t.test(v[high], v[low], var.equal = equal)
    list(levene_f = lev[1, "F value"], levene_p = lev[1, "Pr(>F)"], equal_variances = equal,
         cr = unname(tt$statistic), df = unname(tt$parameter), p = tt$p.value,
         mean_high = mean(v[high]), mean_low = mean(v[low]),
         item_total_r = cor(v, total), citc = cor(v, total - v))
  })
  list(low_cut = cuts[1], high_cut = cuts[2], n_low = sum(low), n_high = sum(high), items = per_item)
}
for (sc in names(bank_scales)) result$item_analysis[[paste0("bank_", sc)]] <- item_analysis(bank[, bank_scales[[sc]]])
result$item_analysis$bank_all <- item_analysis(bank[, unlist(bank_scales)])
shop_items <- read.csv("tests/reference/ecommerce_loyalty_analysed.csv")
shop_scales <- split(names(shop_items), sub("[0-9]+$", "", names(shop_items)))
for (sc in names(shop_scales)) result$item_analysis[[paste0("shop_", sc)]] <- item_analysis(shop_items[, shop_scales[[sc]]])

result$meta <- list(R = R.version.string, car = as.character(packageVersion("car")),
                    rstatix = as.character(packageVersion("rstatix")),
                    effectsize = as.character(packageVersion("effectsize")),
                    emmeans = as.character(packageVersion("emmeans")))
write(toJSON(result, auto_unbox = TRUE, digits = NA, pretty = TRUE), "tests/reference/differences_reference.json")
cat("wrote tests/reference/differences_reference.json\n")
