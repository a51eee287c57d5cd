"""Panels: one class per Grafana visualization, each with the options that type has.

Every panel has a stable ``key`` (its title's slug unless given): the compiler derives the
panel id from it, so adding or moving a panel never renumbers the others.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field
from typing import Any, ClassVar

from sarkmon.diagnostics import report
from sarkmon.model.dashboards.fields import (
    Legend,
    Override,
    PanelLink,
    Thresholds,
    ValueMappingLike,
)
from sarkmon.model.dashboards.queries import AnyQuery, LogQuery, Query, as_query
from sarkmon.model.expressions import PromQL
from sarkmon.model.names import slugify
from sarkmon.model.scrape import frozen_map
from sarkmon.source import Location, caller_location

GRID_COLUMNS = 24


@dataclass(frozen=True)
class Panel:
    """What every visualization shares. Use a subclass (TimeSeries, Stat, ...)."""

    type: ClassVar[str] = ""
    size: ClassVar[tuple[int, int]] = (12, 8)  # default (width, height) in grid units
    takes_queries: ClassVar[bool | None] = True  # None: any number
    instant: ClassVar[bool] = False  # what queries that do not say are
    query_format: ClassVar[str] = "time_series"

    title: str
    _: KW_ONLY
    queries: Sequence[AnyQuery | PromQL] = ()
    description: str = ""
    unit: str = ""
    decimals: int | None = None
    min: float | None = None
    max: float | None = None
    thresholds: Thresholds | None = None
    mappings: Sequence[ValueMappingLike] = ()
    overrides: Sequence[Override] = ()
    links: Sequence[PanelLink] = ()
    color: str = ""  # "" -> the type's default; "thresholds", "palette-classic" or a color
    no_value: str = ""  # text shown when the query returns nothing
    width: int = 0  # 0 -> the type's default width
    height: int = 0
    column: int | None = None  # start at this grid column (on the next line if already past it)
    key: str = ""  # stable identity within the dashboard; "" -> slug of the title
    time_from: str = ""  # show a fixed relative range, e.g. "1h", whatever the dashboard's
    interval: str = ""  # minimum query step, e.g. "1m"
    silence: Mapping[str, str] = field(default_factory=dict)  # check id -> reason
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "queries", _with_ref_ids(self.queries))
        for name in ("mappings", "overrides", "links"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "silence", frozen_map(self.silence))
        if not self.key:
            object.__setattr__(self, "key", slugify(self.title) if self.title else "")
        self._validate()

    @property
    def obj(self) -> str:
        return f"panel {self.title!r}"

    @property
    def datasource_type(self) -> str:
        """prometheus or loki (from the queries); "" for panels that query nothing."""
        kinds = {q.datasource_type for q in self.targets}
        return kinds.pop() if len(kinds) == 1 else ""

    @property
    def targets(self) -> tuple[AnyQuery, ...]:
        return self.queries  # type: ignore[return-value]

    @property
    def grid_size(self) -> tuple[int, int]:
        return (self.width or self.size[0], self.height or self.size[1])

    def _validate(self) -> None:
        if not self.key:
            report("definition/panel", self.obj, "a panel needs a title or a key", self.location)
        if not 0 <= self.width <= GRID_COLUMNS or self.height < 0:
            report(
                "definition/panel-size",
                self.obj,
                f"size {self.width}x{self.height} does not fit the {GRID_COLUMNS}-column grid",
                self.location,
                f"width is 1..{GRID_COLUMNS}, height at least 1 (0 keeps the default)",
            )
        if self.column is not None and not 0 <= self.column <= GRID_COLUMNS - self.grid_size[0]:
            report(
                "definition/panel-size",
                self.obj,
                f"column {self.column} leaves no room for a width of {self.grid_size[0]}",
                self.location,
                f"column is 0..{GRID_COLUMNS} minus the width",
            )
        if self.takes_queries and not self.queries:
            report("definition/panel", self.obj, "the panel has no query", self.location)
        if self.takes_queries is False and self.queries:
            report(
                "definition/panel", self.obj, f"a {self.type} panel takes no query", self.location
            )
        if len({q.datasource_type for q in self.targets}) > 1:
            report(
                "definition/panel",
                self.obj,
                "a panel reads one datasource: PromQL and LogQL queries cannot be mixed",
                self.location,
                "split it into two panels",
            )
        refs = [q.ref_id for q in self.targets]
        for ref in sorted({r for r in refs if refs.count(r) > 1}):
            report("definition/duplicate", self.obj, f"refId {ref!r} used twice", self.location)

    def type_options(self) -> dict[str, Any]:
        """Options only this type has, read by the compiler."""
        return {}


def _with_ref_ids(queries: Sequence[AnyQuery | PromQL]) -> tuple[AnyQuery, ...]:
    """Queries with every empty refId filled in (A, B, ...), skipping letters already taken."""
    given = [as_query(q) for q in queries]
    taken = {q.ref_id for q in given if q.ref_id}
    free = (letter for letter in _ref_names() if letter not in taken)
    out = []
    for query in given:
        if not query.ref_id:
            query = _replace_ref(query, next(free))
        out.append(query)
    return tuple(out)


@functools.cache
def _ref_names() -> tuple[str, ...]:
    letters = list(string.ascii_uppercase)
    return tuple(letters + [a + b for a in letters for b in letters])


def _replace_ref(query: AnyQuery, ref: str) -> AnyQuery:
    from dataclasses import replace

    return replace(query, ref_id=ref, location=query.location)


@dataclass(frozen=True, kw_only=True)
class TimeSeries(Panel):
    type = "timeseries"
    legend: Legend = field(default_factory=Legend)
    tooltip: str = "multi"  # single | multi | none
    stack: bool = False
    fill: int = 10  # fill opacity, 0..100
    draw: str = "line"  # line | bars | points
    line_width: int = 1
    soft_min: float | None = None  # keep 0 on the axis without clipping negatives
    log_base: int = 0  # 2 or 10 for a log scale
    show_thresholds: str = "off"  # off | line | dashed | area | line+area


@dataclass(frozen=True, kw_only=True)
class Stat(Panel):
    type = "stat"
    size = (6, 4)
    graph: str = "area"  # area | line | none
    color_mode: str = "value"  # value | background | none
    reduce: str = "lastNotNull"
    text_mode: str = "auto"


@dataclass(frozen=True, kw_only=True)
class Gauge(Panel):
    type = "gauge"
    size = (6, 6)
    reduce: str = "lastNotNull"
    show_markers: bool = True


@dataclass(frozen=True, kw_only=True)
class BarGauge(Panel):
    type = "bargauge"
    instant = True
    display: str = "gradient"  # gradient | lcd | basic
    orientation: str = "horizontal"
    reduce: str = "lastNotNull"


@dataclass(frozen=True, kw_only=True)
class Table(Panel):
    """Instant queries by default: a table shows one row per series, now."""

    type = "table"
    instant = True
    query_format = "table"
    sort_by: str = ""  # a column's display name
    sort_desc: bool = True
    hide_columns: Sequence[str] = ("Time",)
    rename: Mapping[str, str] = field(default_factory=dict)  # column -> header

    def __post_init__(self) -> None:
        object.__setattr__(self, "hide_columns", tuple(self.hide_columns))
        object.__setattr__(self, "rename", frozen_map(self.rename))
        super().__post_init__()


@dataclass(frozen=True, kw_only=True)
class PieChart(Panel):
    type = "piechart"
    size = (8, 8)
    instant = True
    pie: str = "donut"  # pie | donut
    legend: Legend = field(
        default_factory=lambda: Legend("table", "right", values=("value", "percent"))
    )
    reduce: str = "lastNotNull"


@dataclass(frozen=True, kw_only=True)
class Heatmap(Panel):
    """A histogram's buckets over time: query ``sum by (le) (rate(x_bucket[...]))``."""

    type = "heatmap"
    query_format = "heatmap"
    scheme: str = "Oranges"


@dataclass(frozen=True, kw_only=True)
class Text(Panel):
    type = "text"
    size = (24, 3)
    takes_queries = False
    content: str = ""
    mode: str = "markdown"  # markdown | html | code


@dataclass(frozen=True, kw_only=True)
class Logs(Panel):
    """Log lines from Loki (LogQuery); dropped when the project switches Loki off."""

    type = "logs"
    size = (24, 10)
    show_time: bool = True
    wrap: bool = True
    details: bool = True
    newest_first: bool = True
    dedup: str = "none"  # none | exact | numbers | signature

    def _validate(self) -> None:
        super()._validate()
        if any(not isinstance(q, LogQuery) for q in self.targets):
            report(
                "definition/panel",
                self.obj,
                "a logs panel reads Loki: its queries are LogQuery",
                self.location,
            )


@dataclass(frozen=True, kw_only=True)
class StateTimeline(Panel):
    """States over time (up/down, open/closed): pair it with value mappings."""

    type = "state-timeline"
    size = (24, 6)
    legend: Legend = field(default_factory=Legend)
    merge_values: bool = True
    show_value: str = "auto"  # auto | always | never
    row_height: float = 0.9


@dataclass(frozen=True, kw_only=True)
class RawPanel(Panel):
    """Escape hatch: a grafanalib panel object compiled as it is (ids and layout still ours).

    Its queries are read from the grafanalib targets so that they are analyzed like any other.
    """

    type = "raw"
    takes_queries = None
    title: str = ""  # "" -> the grafanalib panel's title
    panel: Any = None

    def __post_init__(self) -> None:
        if not hasattr(self.panel, "to_json_data") or not hasattr(self.panel, "gridPos"):
            report(
                "definition/panel",
                f"raw panel {self.title or self.panel!r}",
                "RawPanel takes a grafanalib panel object",
                self.location,
                "for example RawPanel(panel=grafanalib.core.TimeSeries(...))",
            )
        if not self.title:
            object.__setattr__(self, "title", str(getattr(self.panel, "title", "")))
        object.__setattr__(self, "queries", self._raw_targets())
        super().__post_init__()

    def _raw_targets(self) -> tuple[Query, ...]:
        out = []
        for target in getattr(self.panel, "targets", None) or ():
            expr = getattr(target, "expr", "")
            if expr:
                out.append(
                    Query(
                        expr,
                        legend=getattr(target, "legendFormat", "") or "",
                        ref_id=getattr(target, "refId", "") or "",
                        location=self.location,
                    )
                )
        return tuple(out)


__all__ = [
    "GRID_COLUMNS",
    "BarGauge",
    "Gauge",
    "Heatmap",
    "Logs",
    "Panel",
    "PieChart",
    "RawPanel",
    "Stat",
    "StateTimeline",
    "Table",
    "Text",
    "TimeSeries",
]
