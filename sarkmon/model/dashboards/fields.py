"""How a panel shows its values: thresholds, value mappings, legends, overrides and links."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sarkmon.diagnostics import report
from sarkmon.source import Location, caller_location

THRESHOLD_MODES = ("absolute", "percentage")
SPECIAL_MATCHES = ("null", "nan", "null+nan", "true", "false", "empty")
LEGEND_MODES = ("list", "table", "hidden")
LEGEND_PLACEMENTS = ("bottom", "right")


@dataclass(frozen=True)
class Thresholds:
    """Colors by value: ``base`` below the first step, then each ``(value, color)`` from it on.

    ``Thresholds("green", ((0.8, "orange"), (0.95, "red")))`` colors a ratio that turns bad
    as it rises; percentage mode reads the values as a percent of the panel's min..max.
    """

    base: str = "green"
    steps: Sequence[tuple[float, str]] = ()
    mode: str = "absolute"
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps", tuple((float(v), c) for v, c in self.steps))
        values = [v for v, _ in self.steps]
        if values != sorted(set(values)):
            report(
                "definition/thresholds",
                "thresholds",
                "threshold values must be strictly increasing",
                self.location,
            )
        if self.mode not in THRESHOLD_MODES:
            report(
                "definition/thresholds",
                "thresholds",
                f"unknown mode {self.mode!r}",
                self.location,
                "use absolute or percentage",
            )


@dataclass(frozen=True)
class ValueMapping:
    """Show ``text`` (in ``color``) for one exact value, e.g. 0 -> "Down"."""

    value: str | float
    text: str
    color: str = ""


@dataclass(frozen=True)
class RangeMapping:
    """Show ``text`` for values in [start, end]; None is an open end."""

    start: float | None
    end: float | None
    text: str
    color: str = ""


@dataclass(frozen=True)
class SpecialMapping:
    """Show ``text`` for null, NaN, true, false or empty values ("No data" made explicit)."""

    match: str
    text: str
    color: str = ""
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.match not in SPECIAL_MATCHES:
            report(
                "definition/mapping",
                f"mapping {self.text!r}",
                f"unknown special value {self.match!r}",
                self.location,
                "use " + ", ".join(SPECIAL_MATCHES),
            )


ValueMappingLike = ValueMapping | RangeMapping | SpecialMapping


@dataclass(frozen=True)
class Legend:
    mode: str = "list"  # list | table | hidden
    placement: str = "bottom"  # bottom | right
    calcs: Sequence[str] = ()  # values shown beside each series: mean, max, lastNotNull...
    values: Sequence[str] = ()  # pie charts only: value, percent
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "calcs", tuple(self.calcs))
        object.__setattr__(self, "values", tuple(self.values))
        if self.mode not in LEGEND_MODES or self.placement not in LEGEND_PLACEMENTS:
            report(
                "definition/legend",
                "legend",
                f"unknown legend mode/placement {self.mode!r}/{self.placement!r}",
                self.location,
                "modes: list, table, hidden; placements: bottom, right",
            )


@dataclass(frozen=True)
class Override:
    """Field settings for some series only: those of one query (``ref_id``) or a name regex.

    Use it when one panel mixes units, e.g. a percentage on the right axis beside a rate.
    """

    ref_id: str = ""
    name_regex: str = ""
    unit: str = ""
    axis: str = ""  # left | right | hidden
    color: str = ""  # a fixed color for the matched series
    display_name: str = ""
    decimals: int | None = None
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        if bool(self.ref_id) == bool(self.name_regex):
            report(
                "definition/override",
                "override",
                "an override matches either a query (ref_id) or series names (name_regex)",
                self.location,
            )


# -- links ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Link:
    """A link to any URL (a wiki page, a tracing UI, ...)."""

    title: str
    url: str
    tooltip: str = ""
    new_tab: bool = True
    keep_time: bool = False
    include_vars: bool = False


@dataclass(frozen=True)
class RunbookLink:
    """The runbook of one of the project's alerts; its URL comes from the project's targets."""

    alert: str
    title: str = ""
    location: Location = field(default_factory=caller_location, compare=False, repr=False)


@dataclass(frozen=True)
class DashboardLink:
    """Another dashboard of the project, by uid; time range and variables carried over."""

    uid: str
    title: str = ""  # "" -> the target dashboard's title
    keep_time: bool = True
    include_vars: bool = False
    location: Location = field(default_factory=caller_location, compare=False, repr=False)


@dataclass(frozen=True)
class DashboardsByTag:
    """A dashboard-level menu of every dashboard carrying the tags."""

    tags: Sequence[str]
    title: str = "Dashboards"
    as_dropdown: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags", tuple(self.tags))


PanelLink = Link | RunbookLink | DashboardLink
AnyLink = Link | RunbookLink | DashboardLink | DashboardsByTag
