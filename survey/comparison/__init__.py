"""Comparisons of waves: inputs read from files or the database, the design options, response rates."""
