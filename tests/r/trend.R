# Reference values for tests/analysis/test_trend.py, computed with R's own functions.
# Run: Rscript tests/r/trend.R
# The waves: heard_policy yes/no per group (employers did not answer in 2017), and `trainings` per
# respondent j of group index g in wave index k: (7 j + 3 k + g) %% 6, absent from the 2016 file.
options(digits = 15)
suppressMessages(library(survey))
show <- function(label, x) cat(label, "=", format(x, digits = 15), "\n")
counts <- list(
  "2015" = list(government = c(12, 18), employers = c(5, 15), workers = c(8, 22)),
  "2016" = list(government = c(15, 10), employers = c(7, 14), workers = c(10, 18)),
  "2017" = list(government = c(20, 8), workers = c(14, 16)),
  "2018" = list(government = c(24, 6), employers = c(10, 10), workers = c(18, 12)))
groups <- c("government", "employers", "workers")
pop <- c(government = 100, employers = 60, workers = 200)
rows <- list()
for (k in seq_along(counts)) {
  wave <- names(counts)[k]
  for (group in names(counts[[wave]])) {
    yn <- counts[[wave]][[group]]; n <- sum(yn); j <- 0:(n - 1)
    t <- if (wave == "2016") NA else (7 * j + 3 * (k - 1) + match(group, groups) - 1) %% 6
    rows[[length(rows) + 1]] <- data.frame(wave = as.numeric(wave), group = group,
                                           heard = rep(c(1, 0), yn), trainings = t)
  }
}
d <- do.call(rbind, rows)
d$N <- pop[d$group]
d$group <- factor(d$group, levels = groups)
x <- tapply(d$heard, d$wave, sum); n <- tapply(d$heard, d$wave, length)
show("all: x", x); show("all: n", n)

a <- prop.trend.test(x, n, score = c(2015, 2016, 2017, 2018))
show("prop.trend.test statistic", a$statistic); show("prop.trend.test p", a$p.value)
g <- d[d$group == "employers", ]
a <- prop.trend.test(tapply(g$heard, g$wave, sum), tapply(g$heard, g$wave, length), score = c(2015, 2016, 2018))
show("employers prop.trend.test statistic", a$statistic); show("employers p", a$p.value)
show("wilson 2017", prop.test(34, 58, correct = FALSE)$conf.int)
show("step 2016-2017 chisq", chisq.test(matrix(c(32, 42, 34, 24), 2, byrow = TRUE), correct = FALSE)$statistic)

m <- lm(trainings ~ wave, d)
show("lm slope", coef(m)["wave"]); show("lm t p", summary(m)$coefficients["wave", 3:4])
show("lm df", m$df.residual); show("lm confint", confint(m)["wave", ])

m <- glm(heard ~ wave + group, binomial, d, control = glm.control(epsilon = 1e-14, maxit = 100))
show("glm slope z p", summary(m)$coefficients["wave", c(1, 3, 4)]); show("glm confint.default", confint.default(m)["wave", ])
m <- lm(trainings ~ wave + group, d)
show("lm group slope t p", summary(m)$coefficients["wave", c(1, 3, 4)])

design <- svydesign(ids = ~1, strata = ~interaction(wave, group), fpc = ~N, data = d)
m <- svyglm(heard ~ wave, design, family = quasibinomial(), control = glm.control(epsilon = 1e-14, maxit = 100))
show("svyglm quasibinomial slope t p", summary(m)$coefficients["wave", c(1, 3, 4)])
show("svyglm df", m$df.residual); show("svyglm confint", confint(m)["wave", ])
m <- svyglm(trainings ~ wave, subset(design, !is.na(trainings)))
show("svyglm gaussian slope t p", summary(m)$coefficients["wave", c(1, 3, 4)]); show("svyglm gaussian df", m$df.residual)
by <- svyby(~heard, ~wave, design, svymean, covmat = TRUE)
show("svymean by wave", coef(by)); show("se", SE(by))
s <- svycontrast(by, quote(`2017` - `2016`)); show("weighted step 2016-2017", c(coef(s), SE(s)))

# Two waves only (2015, 2018), and labels that are not numbers (2015, 2016, 2017 as positions 1, 2, 3)
two <- d[d$wave %in% c(2015, 2018), ]
a <- prop.trend.test(tapply(two$heard, two$wave, sum), tapply(two$heard, two$wave, length), score = c(2015, 2018))
show("two waves statistic", a$statistic); show("two waves p", a$p.value)
show("two waves chisq.test", chisq.test(table(two$wave, two$heard), correct = FALSE)$statistic)
three <- d[d$wave < 2018, ]
a <- prop.trend.test(tapply(three$heard, three$wave, sum), tapply(three$heard, three$wave, length))
show("order statistic", a$statistic); show("order p", a$p.value)

# The mix of groups over the four waves
show("mix chisq", chisq.test(table(d$wave, d$group), correct = FALSE)[c("statistic", "parameter", "p.value")])

# Weighted shares' intervals, as compare gives them: svyciprop(method = "logit") within each wave
for (w in c(2015, 2016, 2017, 2018)) show(paste("svyciprop logit", w),
  as.vector(attr(svyciprop(~heard, subset(design, wave == w), method = "logit"), "ci")))

# An item asked of some within a stratum (a domain): the 12-respondent example of test_trend's lonely strata
e <- data.frame(wave = c(2015, 2015, 2015, 2016, 2016, 2017, 2017, 2017, 2017, 2018, 2018, 2018),
                group = c("a", "a", "b", "a", "b", "a", "b", "b", "b", "a", "b", "b"),
                y = c(3, NA, 4, 6, 2, 7, NA, 5, 6, 8, 9, 7))
e$N <- ifelse(e$group == "a", 10, 20)
options(survey.lonely.psu = "adjust")
m <- svyglm(y ~ wave, svydesign(ids = ~1, strata = ~interaction(wave, group), fpc = ~N, data = e))
show("domain svyglm slope t p", summary(m)$coefficients["wave", c(1, 3, 4)]); show("domain df", m$df.residual)
