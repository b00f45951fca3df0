"""Monitoring a wave: response rates, dispositions and mail counts, from the trigger-kept tallies."""
