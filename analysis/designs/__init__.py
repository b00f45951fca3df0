"""One module per design: how the two waves' answers are compared.

- independent: two separate samples (the default), chi-square/Fisher, Mann-Whitney, Welch;
- stratified: the groups as strata, Cochran-Mantel-Haenszel (`--stratify`);
- paired: the same respondents in both waves, McNemar, Wilcoxon signed-rank, paired t (`--paired`);
- weighted: the groups weighted to their population sizes, stratified-sample means (`--population`).
"""
