"""The design options of a comparison, declared once: the command line's options of `compare`, `report` and
`trend` (`cli/options.py: design_options`), the console's query arguments (`console` ones) and what a report's
stamp records (`stamp_settings`) all come from `DESIGN_OPTIONS`, and so do the keywords every caller passes to
`analysis.compare` and `analysis.trend.trend` (`design_arguments`). To add a design, add its option here and a
keyword of that name to `analysis.compare` (and to `analysis.trend.trend`, or mark it `trend=False`).

`weighted` has three values: None (the default) weights to the population sizes stored with the wave of the
database whenever it has some, True asks for them (an error when there are none), False (`--unweighted`)
leaves them out. The stamp records what was used."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DesignOption:
    name: str  # the keyword of `analysis.compare` and the key of the stamp's settings
    default: object  # False for a flag
    help: str
    choices: tuple[str, ...] = ()  # a choice among these; () with a bool default: a flag
    level: bool = False  # a number strictly between 0 and 1 (a confidence level)
    console: str = ""  # the label of its check box on the console's compare (and trend) page; "": not there
    off: str = ""  # a flag on by default where it applies: the name of the flag that turns it off
    trend: bool = True  # also an option of `trend` (and of the report over the period)

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def is_flag(self) -> bool:
        return isinstance(self.default, bool) or bool(self.off)

    @property
    def checked_value(self) -> str:
        """What its console check box sends when ticked: "1" for a flag, else the choice other than the default."""
        return "1" if self.is_flag else next(choice for choice in self.choices if choice != self.default)


DESIGN_OPTIONS = (
    DesignOption("by_group", False, "Also compare each stakeholder group (present in both waves; in a trend, over "
                                    "the waves that have it).", console="by stakeholder group"),
    DesignOption("stratify", False, "Add rows adjusted for group: Cochran-Mantel-Haenszel for each proportion (in a "
                                    "trend, a model with group).", console="adjusted for group (stratified)"),
    DesignOption("paired", False, "Add rows comparing the respondents present in both waves (same respondent key) "
                                  "as pairs.", console="paired (respondents in both waves)", trend=False),
    DesignOption("weighted", None, "Weight to the population sizes stored with the waves of the database: by "
                                   "default whenever they are stored (the weighted rows then lead); --weighted "
                                   "requires them, --unweighted leaves them out.",
                 console="weighted to the stored population sizes", off="unweighted"),
    DesignOption("base", "answered", "Proportions among those who answered, or among all the group's respondents "
                                     "(those an item did not apply to count as not successful).",
                 choices=("answered", "all"), console="shares among all respondents"),
    DesignOption("adjust", "holm", "Multiple-comparison correction within each family: rows sharing a group, a "
                                   "design and a role (headline or other).", choices=("holm", "bh", "none")),
    DesignOption("confidence", 0.95, "Confidence level of the intervals.", level=True),
)
BY_NAME = {option.name: option for option in DESIGN_OPTIONS}
MIN_CELL = 5  # a report's smallest cell shown (`--min-cell`'s default; the console's reports)
CONSOLE_FLAGS = tuple(option.name for option in DESIGN_OPTIONS if option.console and option.is_flag)


def with_defaults(options: dict, *, trend: bool = False) -> dict:
    """Every design option's value (a trend's only): as given, else its default."""
    return {option.name: options[option.name] if options.get(option.name) is not None else option.default
            for option in DESIGN_OPTIONS if option.trend or not trend}


def design_arguments(options: dict, *, trend: bool = False) -> dict:
    """The keywords `analysis.compare` (`trend`: `analysis.trend.trend`) takes from the design options, every one
    of them, so that an option added to `DESIGN_OPTIONS` reaches the analysis without another edit. `weighted` is
    the caller's to turn into population sizes (stored with the wave, or from a file), so it is left out."""
    return {name: value for name, value in with_defaults(options, trend=trend).items() if name != "weighted"}


def stamp_settings(options: dict, *, stored_sizes: bool, trend: bool = False) -> dict:
    """The options a report's stamp records (and `verify` repeats): every design option, then the data's (a
    trend's: its rounds, `waves` or `wave_files`). `stored_sizes`: whether the population sizes stored with
    the waves were used (`weighted`, whatever was asked: by default they are used whenever they are stored)."""
    o = options
    designs = with_defaults(o, trend=trend) | {"weighted": stored_sizes}
    data = {"population": str(o["population"]) if o.get("population") else None,
            "rake": str(o["rake"]) if o.get("rake") else None, "trim": o.get("trim")}
    if trend:
        return designs | data | {"waves": o.get("waves"),
                                 "wave_files": {label: str(path) for label, path in o.get("wave_files") or ()}}
    return designs | data | {"baseline_wave": o.get("baseline_wave"), "current_wave": o.get("current_wave")}


def report_settings(language: str, min_cell: int = MIN_CELL, title: str | None = None,
                    output_format: str | None = None) -> dict:
    """What a report's stamp records beside `stamp_settings`: how the report was written (the console's: no
    title, no file format)."""
    return {"language": language, "min_cell": min_cell, "title": title, "format": output_format}


def uses_stored_sizes(weighted: bool | None, sizes_stored: bool) -> bool:
    """Whether a comparison of waves of the database weights to their stored population sizes: when asked for
    (`weighted` True), and by default (None) whenever they are stored; never with `weighted` False."""
    return bool(sizes_stored) if weighted is None else weighted


def console_options(*, trend: bool = False) -> tuple[DesignOption, ...]:
    """The check boxes of the console's compare page (`trend`: of its trend page), in their declared order."""
    return tuple(option for option in DESIGN_OPTIONS if option.console and (option.trend or not trend))


def from_query(arguments, *, trend: bool = False) -> dict:
    """A console page's designs from its query arguments (flags "1", choices by value; a flag on by default
    is None when not given, False when "0": its form sends "0" before the check box's "1")."""
    options = {}
    for option in console_options(trend=trend):
        if option.off:
            given = arguments.getlist(option.name)
            options[option.name] = True if "1" in given else False if "0" in given else None
        elif option.is_flag:
            options[option.name] = arguments.get(option.name) == "1"
        else:
            value = arguments.get(option.name)
            options[option.name] = value if value in option.choices else option.default
    return options


def to_query(options: dict) -> dict:
    """The designs as query arguments for a link (flags only when set, choices only when not the default; a flag
    on by default 1 or 0 when given, left out when not)."""
    query = {}
    for option in DESIGN_OPTIONS:
        value = options.get(option.name)
        if not option.console or option.name not in options:
            continue
        if option.off and value is not None:
            query[option.name] = int(value)
        elif value not in (None, False, option.default):
            query[option.name] = 1 if option.is_flag else value
    return query
