# Reference values for tests/test_stats.py, computed with R's own functions.
# Run: Rscript tests/r/reference.R
options(digits = 15)
show <- function(label, x) cat(label, "=", format(x, digits = 15), "\n")

# Proportions: Malaria Journal 2016 Table 6 (310/412 before, 409/412 after)
tab <- matrix(c(310, 412 - 310, 409, 412 - 409), nrow = 2, byrow = TRUE)
ct <- chisq.test(tab, correct = FALSE)
show("malaria chisq", ct$statistic); show("malaria p", ct$p.value)
b <- prop.test(310, 412, correct = FALSE)$conf.int; a <- prop.test(409, 412, correct = FALSE)$conf.int
show("wilson 310/412", b); show("wilson 409/412", a)
p1 <- 310/412; p2 <- 409/412
show("newcombe", c(p2 - p1 - sqrt((p2 - a[1])^2 + (b[2] - p1)^2), p2 - p1 + sqrt((a[2] - p2)^2 + (p1 - b[1])^2)))

# 74/120 vs 137/150
ct <- chisq.test(matrix(c(74, 46, 137, 13), nrow = 2, byrow = TRUE), correct = FALSE)
show("74/120 137/150 chisq", ct$statistic); show("p", ct$p.value)
show("wilson 74/120", prop.test(74, 120, correct = FALSE)$conf.int)
show("wilson 137/150 at 90%", prop.test(137, 150, correct = FALSE, conf.level = 0.90)$conf.int)

# Small cells: Fisher
show("fisher 3/4 vs 1/4", fisher.test(matrix(c(3, 1, 1, 3), nrow = 2, byrow = TRUE))$p.value)
show("fisher 2/9 vs 7/8", fisher.test(matrix(c(2, 7, 7, 1), nrow = 2, byrow = TRUE))$p.value)
show("fisher 0/8 vs 8/8", fisher.test(matrix(c(0, 8, 8, 0), nrow = 2, byrow = TRUE))$p.value)
show("chisq 0/10 vs 10/10", chisq.test(matrix(c(0, 10, 10, 0), nrow = 2, byrow = TRUE), correct = FALSE)$statistic)
show("wilson 0/10", prop.test(0, 10, correct = FALSE)$conf.int)
show("wilson 10/10", prop.test(10, 10, correct = FALSE)$conf.int)

# Ordinal: Mann-Whitney with tie and continuity correction
base <- rep(1:5, c(10, 20, 30, 25, 15)); cur <- rep(1:5, c(5, 10, 25, 35, 25))
w <- wilcox.test(cur, base, exact = FALSE, correct = TRUE)
show("likert W", w$statistic); show("likert p", w$p.value)
base2 <- c(1, 2, 2, 3); cur2 <- c(3, 4, 4, 5, 5)
w <- wilcox.test(cur2, base2, exact = FALSE, correct = TRUE)
show("small W", w$statistic); show("small p", w$p.value)
w <- wilcox.test(c(2, 2, 3), c(3, 3, 3, 3), exact = FALSE, correct = TRUE)
show("lower W", w$statistic); show("lower p", w$p.value)
show("mean level ci", t.test(cur)$conf.int)

# Scores: Welch's t-test
sb <- c(0, 1, 1, 2, 3, 0, 5, 2, 1, 1, 4); sc <- c(2, 3, 1, 4, 6, 2, 3, 8, 5)
t <- t.test(sc, sb)
show("welch t", t$statistic); show("welch df", t$parameter); show("welch p", t$p.value); show("welch ci", t$conf.int)
show("welch ci 99%", t.test(sc, sb, conf.level = 0.99)$conf.int)
show("mean ci base", t.test(sb)$conf.int)

# Multiple comparisons
p <- c(0.01, 0.04, 0.03, 0.2, 0.001, 0.04)
show("holm", p.adjust(p, "holm")); show("BH", p.adjust(p, "BH"))
