# The values pinned in tests/analysis/test_rake.py. Run: Rscript tests/r/rake.R
library(survey)
options(digits = 15, survey.lonely.psu = "adjust")
# group, position, heard_policy, read_document, years_migration, count: BASELINE and CURRENT of the test
rows <- function(...) do.call(rbind, lapply(list(...), function(r) data.frame(group = r[[1]], position = r[[2]],
  heard_policy = r[[3]], read_document = r[[4]], years_migration = r[[5]])[rep(1, r[[6]]), ]))
baseline <- rows(
  list("government", "senior", "yes", "yes", 12, 3),
  list("government", "middle", "yes", "no", 6, 4),
  list("government", "technical", "no", NA, 3, 5),
  list("government", "other", "yes", "yes", 1, 1),
  list("employers", "senior", "no", NA, 8, 3),
  list("employers", "middle", "yes", "no", 4, 2),
  list("employers", "technical", "yes", "yes", 2, 1),
  list("employers", "other", "no", NA, 0, 2),
  list("workers", "senior", "yes", "no", 15, 2),
  list("workers", "middle", "no", NA, 5, 6),
  list("workers", "technical", "yes", "yes", 3, 4),
  list("workers", "technical", "no", NA, 2, 5),
  list("workers", "other", "yes", "no", 1, 3))
current <- rows(
  list("government", "senior", "yes", "yes", 10, 4),
  list("government", "middle", "yes", "yes", 7, 5),
  list("government", "technical", "yes", "no", 2, 3),
  list("government", "other", "no", NA, 0, 1),
  list("employers", "senior", "yes", "no", 9, 2),
  list("employers", "middle", "yes", "yes", 4, 3),
  list("employers", "technical", "no", NA, 1, 2),
  list("workers", "senior", "yes", "yes", 14, 3),
  list("workers", "middle", "yes", "no", 6, 5),
  list("workers", "technical", "yes", "yes", 2, 6),
  list("workers", "technical", "no", NA, 1, 2),
  list("workers", "other", "yes", "yes", 3, 2),
  list("workers", "other", "no", NA, 0, 2))
pg <- data.frame(group = c("government", "employers", "workers"), Freq = c(120, 60, 900))
pp <- data.frame(position = c("senior", "middle", "technical", "other"), Freq = c(90, 240, 450, 300))
raked <- list()
for (name in c("baseline", "current")) {
  d <- get(name); d$N <- pg$Freq[match(d$group, pg$group)]
  d$heard <- as.numeric(d$heard_policy == "yes"); d$read <- as.numeric(d$read_document == "yes")
  r <- rake(svydesign(ids = ~1, strata = ~group, fpc = ~N, data = d), list(~group, ~position), list(pg, pp),
            control = list(maxit = 1000, epsilon = 1e-10))
  raked[[name]] <- r
  m <- svymean(~heard, r); cat(name, "heard:", coef(m), SE(m), attr(svyciprop(~heard, r, method = "logit"), "ci"), "\n")
  sub <- subset(r, !is.na(read)); m <- svymean(~read, sub, na.rm = TRUE)
  cat(name, "read:", coef(m), SE(m), attr(svyciprop(~read, sub, method = "logit"), "ci"), "\n")
  m <- svymean(~years_migration, r); cat(name, "years:", coef(m), SE(m), confint(m), "\n")
  w <- weights(r); cat(name, "kish:", length(w) * sum(w^2) / sum(w)^2, " n:", length(w), "\n")
  wd <- w[!is.na(d$read)]; cat(name, "kish read:", length(wd) * sum(wd^2) / sum(wd)^2, " n:", length(wd), "\n")
  # --trim 1.5: R's trimWeights, then a design with the trimmed weights
  up <- 1.5 * mean(w); d$w <- weights(trimWeights(r, upper = up, strict = TRUE))
  dt <- svydesign(ids = ~1, strata = ~group, fpc = ~N, weights = ~w, data = d)
  m <- svymean(~heard, dt)
  cat(name, "trimmed heard:", up, max(d$w), coef(m), SE(m), attr(svyciprop(~heard, dt, method = "logit"), "ci"), "\n")
}
hb <- svymean(~heard, raked$baseline); hc <- svymean(~heard, raked$current)
diff <- coef(hc) - coef(hb); se <- sqrt(SE(hb)^2 + SE(hc)^2)
cat("heard difference:", diff, " z:", diff / se, " p:", 2 * pnorm(-abs(diff / se)), "\n")
