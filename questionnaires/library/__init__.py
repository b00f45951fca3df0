"""Instruments bundled with the platform, as data files."""

from pathlib import Path

LIBRARY = Path(__file__).parent
BUNDLED_INSTRUMENT = LIBRARY / "lmp-stakeholder-review.yaml"
