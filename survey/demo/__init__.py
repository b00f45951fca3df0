"""The demo's data: four waves of a fieldwork that could have happened (`awareness demo`).

`fieldwork.py` plans it (the waves, their response rates and days), `operations.py` writes it, `queries.py`
reads what a second run reuses; `survey/cli/demo.py` only parses the command's options and prints.
"""
