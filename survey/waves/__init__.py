"""Waves: questionnaire editions, waves, their population sizes and the crosswalk between editions."""
