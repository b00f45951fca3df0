"""What the database stores, made into the analysis' frames: pandas, no database (see `stored_comparison`)."""

from __future__ import annotations

import io

import pandas as pd

from analysis.inputs import read_csv_text


def records_frame(text: str, columns: list[str], *, categorical: bool = False) -> pd.DataFrame:
    """Stored records (`records.records_text`) as a frame of `columns`: categoricals, or text ("" blank).

    Categoricals as the analysis reads a file (one small integer per cell, categories the text as written).
    """
    if categorical:
        frame = read_csv_text(io.StringIO(text), skip_blank_lines=False)
    else:
        cells = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False)
        frame = pd.DataFrame(cells.to_numpy(dtype=object), columns=columns)
    frame.columns = columns
    return frame


def with_keys(frame: pd.DataFrame, panels: list, groups: list, languages: list) -> pd.DataFrame:
    """The frame with the interchange format's first columns: respondent (a blank key ""), group, language."""
    frame.insert(0, "language", languages)
    frame.insert(0, "group", groups)
    frame.insert(0, "respondent", [panel or "" for panel in panels])
    return frame


def counts_frame(counts) -> pd.DataFrame:
    """An imported table of (item, code, count, group) rows as the analysis reads counts (no group column
    when the table gives none)."""
    frame = pd.DataFrame(list(counts), columns=["item", "code", "count", "group"])
    return frame.drop(columns="group") if (frame["group"] == "").all() else frame
