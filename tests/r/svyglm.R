# The values pinned in tests/analysis/test_svyglm.py. Run: Rscript tests/r/svyglm.R
library(survey)
options(digits = 15, survey.lonely.psu = "adjust")
waves <- list(
  "2015" = list(government = c("0101001", "3142051"), employers = c("00100", "20131"), workers = c("0010000100", "1203400215")),
  "2016" = list(government = c("1101001", "4152061"), employers = c("1", "3"), workers = c("0110010100", "2213401215")),
  "2017" = list(government = c("11010111", "41520613"), employers = c("010", "314"), workers = c("1110010101", "3213501216")),
  "2018" = list(government = c("11110110", "52520624"), employers = c("0110", "3245"), workers = c("1110110111", "3314502316")))
pop <- c(government = 40, employers = 25, workers = 30)
digits <- function(s) as.numeric(strsplit(s, "")[[1]])
d <- do.call(rbind, unlist(lapply(names(waves), function(w) lapply(names(waves[[w]]), function(g)
  data.frame(wave = as.numeric(w), group = g, y = digits(waves[[w]][[g]][1]), s = digits(waves[[w]][[g]][2])))),
  recursive = FALSE))
d$N <- pop[d$group]; d$position <- d$wave
des <- svydesign(ids = ~1, strata = ~interaction(wave, group), fpc = ~N, data = d)
f <- svyglm(y ~ position, des, family = quasibinomial())
print(nrow(d)); print(summary(f)$coefficients); print(f$df.residual); print(confint(f))
g <- svyglm(s ~ position, des)
print(summary(g)$coefficients); print(g$df.residual); print(confint(g))
