# The values pinned in tests/analysis/test_trend_rake.py. Run: Rscript tests/r/trend_rake.R
# Three waves (2015, 2016, 2017), each raked to the same margins (group and position), then the trend's slope.
library(survey)
options(digits = 15, survey.lonely.psu = "adjust")
rows <- function(...) do.call(rbind, lapply(list(...), function(r) data.frame(group = r[[1]], position = r[[2]],
  heard_policy = r[[3]], read_document = r[[4]], years_migration = r[[5]])[rep(1, r[[6]]), ]))
waves <- list(
  "2015" = rows(
    list("government", "senior", "yes", "yes", 12, 3), list("government", "middle", "yes", "no", 6, 4),
    list("government", "technical", "no", NA, 3, 5), list("government", "other", "yes", "yes", 1, 1),
    list("employers", "senior", "no", NA, 8, 3), list("employers", "middle", "yes", "no", 4, 2),
    list("employers", "technical", "yes", "yes", 2, 1), list("employers", "other", "no", NA, 0, 2),
    list("workers", "senior", "yes", "no", 15, 2), list("workers", "middle", "no", NA, 5, 6),
    list("workers", "technical", "yes", "yes", 3, 4), list("workers", "technical", "no", NA, 2, 5),
    list("workers", "other", "yes", "no", 1, 3)),
  "2016" = rows(
    list("government", "senior", "yes", "yes", 10, 4), list("government", "middle", "yes", "yes", 7, 5),
    list("government", "technical", "yes", "no", 2, 3), list("government", "other", "no", NA, 0, 1),
    list("employers", "senior", "yes", "no", 9, 2), list("employers", "middle", "yes", "yes", 4, 3),
    list("employers", "technical", "no", NA, 1, 2),
    list("workers", "senior", "yes", "yes", 14, 3), list("workers", "middle", "yes", "no", 6, 5),
    list("workers", "technical", "yes", "yes", 2, 6), list("workers", "technical", "no", NA, 1, 2),
    list("workers", "other", "yes", "yes", 3, 2), list("workers", "other", "no", NA, 0, 2)),
  "2017" = rows(
    list("government", "senior", "yes", "yes", 11, 5), list("government", "middle", "yes", "yes", 5, 4),
    list("government", "technical", "no", NA, 2, 2), list("government", "other", "yes", "no", 1, 2),
    list("employers", "senior", "yes", "yes", 7, 3), list("employers", "middle", "no", NA, 3, 3),
    list("employers", "technical", "yes", "no", 2, 2), list("employers", "other", "yes", "yes", 1, 1),
    list("workers", "senior", "yes", "yes", 12, 4), list("workers", "middle", "yes", "no", 4, 4),
    list("workers", "technical", "yes", "yes", 3, 7), list("workers", "other", "no", NA, 0, 3),
    list("workers", "other", "yes", "yes", 2, 2)))
pg <- data.frame(group = c("government", "employers", "workers"), Freq = c(120, 60, 900))
pp <- data.frame(position = c("senior", "middle", "technical", "other"), Freq = c(90, 240, 450, 300))
trim <- as.numeric(Sys.getenv("TRIM", "0"))  # TRIM=1.5 Rscript tests/r/trend_rake.R: the --trim 1.5 values
stacked <- NULL
for (label in names(waves)) {
  d <- waves[[label]]; d$N <- pg$Freq[match(d$group, pg$group)]; d$wave <- label; d$position_num <- as.numeric(label)
  d$heard <- as.numeric(d$heard_policy == "yes"); d$read <- as.numeric(d$read_document == "yes")
  r <- rake(svydesign(ids = ~1, strata = ~group, fpc = ~N, data = d), list(~group, ~position), list(pg, pp),
            control = list(maxit = 1000, epsilon = 1e-10))
  if (trim > 0) {  # --trim: R's trimWeights, then a design with the trimmed weights (no raking credit)
    d$w <- weights(trimWeights(r, upper = trim * mean(weights(r)), strict = TRUE))
    r <- svydesign(ids = ~1, strata = ~group, fpc = ~N, weights = ~w, data = d)
  }
  m <- svymean(~heard, r); cat(label, "heard:", coef(m), attr(svyciprop(~heard, r, method = "logit"), "ci"), "\n")
  sub <- subset(r, !is.na(read))
  cat(label, "read:", coef(svymean(~read, sub, na.rm = TRUE)), attr(svyciprop(~read, sub, method = "logit"), "ci"), "\n")
  m <- svymean(~years_migration, r); cat(label, "years:", coef(m), confint(m), "\n")
  d$w <- weights(r)
  stacked <- rbind(stacked, d)
}
# The slope: every wave's respondents with their raked weights, strata wave x group, fpc N.
s <- svydesign(ids = ~1, strata = ~interaction(wave, group), fpc = ~N, weights = ~w, data = stacked)
for (y in c("heard", "read", "years_migration")) {
  family <- if (y == "years_migration") gaussian() else quasibinomial()
  fit <- svyglm(as.formula(paste(y, "~ position_num")), s, family = family)
  b <- coef(summary(fit))["position_num", ]
  cat(y, "slope:", b[1], b[2], b[3], fit$df.residual, b[4], confint(fit, ddf = fit$df.residual)["position_num", ], "\n")
}
