"""What a comparison reads of waves from the database (`comparison.queries`), before `comparison.inputs` makes
it the analysis' data: the current edition with its crosswalk, and each wave's counts or records."""

from __future__ import annotations

from dataclasses import dataclass

from questionnaires import Questionnaire


@dataclass(frozen=True)
class CrosswalkRow:
    """How an item of a wave's edition relates to its baseline wave's edition (`crosswalk.crosswalk`)."""

    item: str  # current id ("" for a dropped item)
    baseline_item: str  # baseline id ("" for a new item)
    status: str  # comparable | changed | confirmed | new | dropped
    code_map: dict[str, str]

    @property
    def compared(self) -> bool:
        return self.status in ("comparable", "confirmed")


@dataclass(frozen=True)
class StoredWave:
    """One wave as a comparison reads it: an imported table of counts, or its responses.

    Responses come as the rows of its export (`keys`: the respondent key, group and language of each;
    `records`: `records.records_text`, a header of the item `columns` then one record a line), or, for
    responses stored before records existed, as a frame of text cells.
    """

    slug: str
    sha256: str | None  # of the imported file (counts), or of the wave's `awareness export` (responses)
    counts: tuple[tuple[str, str, int, str], ...] | None = None  # (item, code, count, group)
    columns: tuple[str, ...] = ()
    keys: tuple[list[str], list[str], list[str]] | None = None
    records: str | None = None
    frame: object = None  # a pandas DataFrame (responses stored without records only)


@dataclass(frozen=True)
class StoredComparison:
    """The current edition's questionnaire and how its items relate to the baseline's (the waves themselves
    come apart, one `StoredWave` each, so that the first is made a frame while the second is read)."""

    questionnaire: Questionnaire
    rows: tuple[CrosswalkRow, ...]
    notes: tuple[str, ...]  # on the items left out: changed, new, dropped
    population: dict[str, int] | None  # the sizes stored with the current wave, when asked for

    @property
    def changed(self) -> tuple[str, ...]:
        """The items whose wording or codes changed, not confirmed comparable."""
        return tuple(row.item for row in self.rows if row.status == "changed")
