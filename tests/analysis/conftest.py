"""Fixtures of the analysis tests: the bundled instrument, waves read from data frames as `--baseline`/`--current`
files are, and the raked waves that tests/r/rake.R and tests/r/trend_rake.R build (test modules import the data
from here, never from one another)."""

from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

import questionnaires as q
from analysis import read_frame, read_wave
from analysis.synthetic import synthetic_wave

LMP = resources.files("questionnaires") / "library" / "lmp-stakeholder-review.yaml"  # the bundled instrument
SYNTHETIC = (("2017", 150, 0.5, 1), ("2018", 170, 0.7, 2))  # wave, respondents, awareness, seed

# Raking (tests/r/rake.R, tests/r/trend_rake.R). group, position, heard_policy, read_document (None: not asked),
# years_migration, count
RAKE_BASELINE = [
    ("government", "senior", "yes", "yes", 12, 3), ("government", "middle", "yes", "no", 6, 4),
    ("government", "technical", "no", None, 3, 5), ("government", "other", "yes", "yes", 1, 1),
    ("employers", "senior", "no", None, 8, 3), ("employers", "middle", "yes", "no", 4, 2),
    ("employers", "technical", "yes", "yes", 2, 1), ("employers", "other", "no", None, 0, 2),
    ("workers", "senior", "yes", "no", 15, 2), ("workers", "middle", "no", None, 5, 6),
    ("workers", "technical", "yes", "yes", 3, 4), ("workers", "technical", "no", None, 2, 5),
    ("workers", "other", "yes", "no", 1, 3),
]
RAKE_CURRENT = [
    ("government", "senior", "yes", "yes", 10, 4), ("government", "middle", "yes", "yes", 7, 5),
    ("government", "technical", "yes", "no", 2, 3), ("government", "other", "no", None, 0, 1),
    ("employers", "senior", "yes", "no", 9, 2), ("employers", "middle", "yes", "yes", 4, 3),
    ("employers", "technical", "no", None, 1, 2),
    ("workers", "senior", "yes", "yes", 14, 3), ("workers", "middle", "yes", "no", 6, 5),
    ("workers", "technical", "yes", "yes", 2, 6), ("workers", "technical", "no", None, 1, 2),
    ("workers", "other", "yes", "yes", 3, 2), ("workers", "other", "no", None, 0, 2),
]
RAKE_MARGINS = [("group", "government", 120), ("group", "employers", 60), ("group", "workers", 900),
                ("position", "senior", 90), ("position", "middle", 240), ("position", "technical", 450),
                ("position", "other", 300)]


def rake_wave(spec) -> pd.DataFrame:
    """A wave of respondents from rows of RAKE_BASELINE's form, each repeated `count` times."""
    columns = ["group", "position", "heard_policy", "read_document", "years_migration"]
    return pd.DataFrame([row[:5] for row in spec for _ in range(row[5])], columns=columns)


def margins_file(folder: Path, rows=RAKE_MARGINS, name: str = "margins.csv") -> Path:
    """A `--rake` file: variable, category, size."""
    path = folder / name
    pd.DataFrame(rows, columns=["variable", "category", "size"]).to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def lmp():
    """The bundled instrument, lmp-stakeholder-review."""
    return q.load(LMP)


@pytest.fixture
def read_frames(tmp_path):
    """read_frames(questionnaire, baseline, current, names=("b.csv", "c.csv")): each data frame written to a CSV
    file in tmp_path and read back as a wave, as `awareness compare --baseline/--current` read them."""

    def read(questionnaire, *frames: pd.DataFrame, names=("b.csv", "c.csv")):
        waves = []
        for name, frame in zip(names, frames, strict=True):
            frame.to_csv(tmp_path / name, index=False)
            waves.append(read_wave(tmp_path / name, questionnaire))
        return tuple(waves)

    return read


@pytest.fixture(scope="session")
def synthetic_waves(lmp):
    """Two synthetic waves of the bundled instrument (SYNTHETIC: 2017 and 2018, awareness rising), read as
    `compare` reads a file, sources "wave 2017" and "wave 2018"."""
    return tuple(read_frame(synthetic_wave(lmp, n, awareness=awareness, seed=seed).astype(str).replace("nan", ""),
                            lmp, source=f"wave {name}") for name, n, awareness, seed in SYNTHETIC)


@pytest.fixture(scope="session")
def synthetic_files(lmp, tmp_path_factory):
    """The same two waves as CSV files, 2017.csv and 2018.csv."""
    folder = tmp_path_factory.mktemp("synthetic")
    paths = []
    for name, n, awareness, seed in SYNTHETIC:
        synthetic_wave(lmp, n, awareness=awareness, seed=seed).to_csv(folder / f"{name}.csv", index=False)
        paths.append(folder / f"{name}.csv")
    return paths
