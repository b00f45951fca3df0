"""The design options of a comparison, declared once: the command line's options of `compare`, `report` and
`trend` (`cli/options.py: design_options`), the console's query arguments (`console` ones) and what a report's
stamp records (`stamp_settings`) all come from `DESIGN_OPTIONS`. To add a design, add its option here and pass
it on in `analysis.compare`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DesignOption:
    name: str  # the keyword of `analysis.compare` and the key of the stamp's settings
    default: object  # False for a flag
    help: str
    choices: tuple[str, ...] = ()  # a choice among these; () with a bool default: a flag
    level: bool = False  # a number strictly between 0 and 1 (a confidence level)
    console: bool = False  # a check box (flags) or a choice of the console's compare page

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def is_flag(self) -> bool:
        return isinstance(self.default, bool)


DESIGN_OPTIONS = (
    DesignOption("by_group", False, "Also compare each stakeholder group present in both waves.", console=True),
    DesignOption("stratify", False, "Add, for each proportion, a row stratified by group (Cochran-Mantel-Haenszel).",
                 console=True),
    DesignOption("paired", False, "Add rows comparing the respondents present in both waves (same respondent key) "
                                  "as pairs.", console=True),
    DesignOption("weighted", False, "Add rows weighted to the population sizes stored with the current wave "
                                    "(database waves).", console=True),
    DesignOption("base", "answered", "Proportions among those who answered, or among all the group's respondents "
                                     "(those an item did not apply to count as not successful).",
                 choices=("answered", "all"), console=True),
    DesignOption("adjust", "holm", "Multiple-comparison correction within each family: rows sharing a group, a "
                                   "design and a role (headline or other).", choices=("holm", "bh", "none")),
    DesignOption("confidence", 0.95, "Confidence level of the intervals.", level=True),
)
BY_NAME = {option.name: option for option in DESIGN_OPTIONS}
CONSOLE_FLAGS = tuple(option.name for option in DESIGN_OPTIONS if option.console and option.is_flag)


def with_defaults(options: dict) -> dict:
    """Every design option's value: as given, else its default."""
    return {option.name: options[option.name] if options.get(option.name) is not None else option.default
            for option in DESIGN_OPTIONS}


def stamp_settings(options: dict) -> dict:
    """The options a report's stamp records (and `verify` repeats): every design option, then the data's."""
    o = options
    designs = with_defaults(o)
    designs["weighted"] = bool(o.get("weighted")) and not o.get("population")
    return designs | {"population": str(o["population"]) if o.get("population") else None,
                      "rake": str(o["rake"]) if o.get("rake") else None, "trim": o.get("trim"),
                      "baseline_wave": o.get("baseline_wave"), "current_wave": o.get("current_wave")}


def from_query(arguments) -> dict:
    """The console's compare page's designs from its query arguments (flags "1", choices by value)."""
    options = {}
    for option in DESIGN_OPTIONS:
        if not option.console:
            continue
        value = arguments.get(option.name)
        if option.is_flag:
            options[option.name] = value == "1"
        else:
            options[option.name] = value if value in option.choices else option.default
    return options


def to_query(options: dict) -> dict:
    """The designs as query arguments for a link (flags only when set, choices only when not the default)."""
    query = {}
    for option in DESIGN_OPTIONS:
        if option.console and options.get(option.name) not in (None, False, option.default):
            query[option.name] = 1 if option.is_flag else options[option.name]
    return query
