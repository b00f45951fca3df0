# The values pinned in tests/analysis/test_weighted_domains.py. Run: Rscript tests/r/weighted_domains.R
library(survey)
options(digits = 15, survey.lonely.psu = "adjust")
pop <- c(government = 120, workers = 1500, employers = 40)
# group, heard_policy, policy_period, trainings, count: BASELINE and CURRENT of the test
rows <- function(...) do.call(rbind, lapply(list(...), function(r) data.frame(group = r[[1]], heard = r[[2]],
  period = r[[3]], trainings = r[[4]])[rep(1, r[[5]]), ]))
baseline <- rows(list("government", "yes", "p2", 3, 4), list("government", "yes", "p1", 1, 1),
  list("government", "yes", "dk", 0, 1), list("government", "no", NA, 0, 4),
  list("workers", "yes", "p2", 2, 3), list("workers", "yes", "p3", 1, 2), list("workers", "yes", "dk", 0, 2),
  list("workers", "yes", NA, 5, 1), list("workers", "no", NA, 0, 17),
  list("employers", "yes", "p2", 4, 1), list("employers", "yes", "dk", 2, 1), list("employers", "no", NA, 1, 4))
current <- rows(list("government", "yes", "p2", 4, 7), list("government", "yes", "p1", 2, 2),
  list("government", "no", NA, 1, 3), list("workers", "yes", "p2", 3, 9), list("workers", "yes", "p3", 0, 3),
  list("workers", "yes", "dk", 1, 3), list("workers", "no", NA, 0, 15), list("employers", "yes", "p2", 6, 1))
design <- function(d) {
  d$N <- pop[d$group]
  d$y <- ifelse(is.na(d$period), NA, as.numeric(d$period == "p2"))
  d$y_all <- ifelse(d$heard != "yes", 0, d$y)
  svydesign(ids = ~1, strata = ~group, fpc = ~N, data = d)
}
kish <- function(des, v) { w <- weights(des)[!is.na(des$variables[[v]])]; length(w) * sum(w^2) / sum(w)^2 }
means <- list()
for (name in c("baseline", "current")) {
  des <- design(get(name)); sub <- subset(des, !is.na(y))
  m <- svymean(~y, sub); means[[name]] <- m
  cat(name, "domain mean, SE:", coef(m), SE(m), "\n")
  cat(name, "logit ci:", attr(svyciprop(~y, sub, method = "logit"), "ci"), "\n")
  cat(name, "kish:", kish(des, "y"), " n_eff:", sum(!is.na(des$variables$y)) / kish(des, "y"), "\n")
  all <- subset(des, !is.na(y_all))
  cat(name, "base all:", coef(svymean(~y_all, all)), attr(svyciprop(~y_all, all, method = "logit"), "ci"), "\n")
  mt <- svymean(~trainings, des)
  cat(name, "trainings:", coef(mt), confint(mt), " kish:", kish(des, "trainings"), "\n")
}
diff <- coef(means$current) - coef(means$baseline)
se <- sqrt(SE(means$baseline)^2 + SE(means$current)^2)
cat("difference:", diff, " z:", diff / se, " p:", 2 * pnorm(-abs(diff / se)),
    " ci:", as.vector(diff) + c(-1, 1) * qnorm(0.975) * as.vector(se), "\n")
# 1 in 27, and 0 in 27 (Korn-Graubard with the NCHS rule where the logit interval is 0 to 0)
d <- data.frame(group = "workers", y = c(1, rep(0, 26)), N = 1500)
cat("1/27 logit ci:", attr(svyciprop(~y, svydesign(ids = ~1, strata = ~group, fpc = ~N, data = d),
                                     method = "logit"), "ci"), "\n")
d <- data.frame(group = rep(c("government", "workers"), c(10, 17)), y = 0); d$N <- pop[d$group]
des <- svydesign(ids = ~1, strata = ~group, fpc = ~N, data = d)
n <- 27; neff <- min(n, n * (qt(0.975, n - 1) / qt(0.975, degf(des)))^2)
cat("0/27 logit ci:", attr(svyciprop(~y, des, method = "logit"), "ci"), " Korn-Graubard:", 0, qbeta(0.975, 1, neff), "\n")
