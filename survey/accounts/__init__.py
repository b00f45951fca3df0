"""Console accounts: creating them and changing their passwords."""
