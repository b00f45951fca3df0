"""Year-over-year statistics; pandas and scipy only (never flask or survey)."""
