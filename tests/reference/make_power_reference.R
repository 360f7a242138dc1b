# Reference values for tests/test_power.py: semTools' findRMSEApower() and findRMSEAsamplesize()
# (MacCallum, Browne & Sugawara 1996) over the three standard tests, several df, n, alpha and groups.
# Run from the project root: Rscript tests/reference/make_power_reference.R
# Writes tests/reference/rmsea_power.json.
suppressMessages({library(semTools); library(jsonlite)})
tests <- list(list(name = "close", rmsea0 = 0.05, rmseaA = 0.08),
              list(name = "not_close", rmsea0 = 0.05, rmseaA = 0.01),
              list(name = "exact", rmsea0 = 0, rmseaA = 0.05),
              list(name = "other", rmsea0 = 0.02, rmseaA = 0.06))
power <- list(); samplesize <- list()
for (t in tests) {
  for (df in c(1, 5, 20, 48, 86, 200)) {
    for (n in c(50, 150, 200, 425, 1000)) {
      for (alpha in c(0.05, 0.01)) {
        for (group in c(1, 2)) {
          power[[length(power) + 1]] <- list(test = t$name, rmsea0 = t$rmsea0, rmseaA = t$rmseaA, df = df, n = n,
            alpha = alpha, group = group, power = findRMSEApower(t$rmsea0, t$rmseaA, df, n, alpha, group))
        }
      }
    }
    for (target in c(0.8, 0.9)) {
      for (group in c(1, 2)) {
        n <- findRMSEAsamplesize(t$rmsea0, t$rmseaA, df, power = target, alpha = 0.05, group = group)
        samplesize[[length(samplesize) + 1]] <- list(test = t$name, rmsea0 = t$rmsea0, rmseaA = t$rmseaA,
          df = df, power = target, alpha = 0.05, group = group, n = if (is.character(n)) 5 / group else n,
          note = if (is.character(n)) n else NA)
      }
    }
  }
}
write(toJSON(list(semtools_version = as.character(packageVersion("semTools")), power = power,
                  samplesize = samplesize), auto_unbox = TRUE, digits = NA, pretty = TRUE),
      "tests/reference/rmsea_power.json")
