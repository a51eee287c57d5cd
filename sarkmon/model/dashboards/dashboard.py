"""The dashboard: panels in rows, variables, annotations and links, checked as a whole."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field

from sarkmon.diagnostics import report
from sarkmon.model.dashboards.fields import AnyLink
from sarkmon.model.dashboards.panels import Panel
from sarkmon.model.dashboards.variables import AnyVariable
from sarkmon.model.durations import DurationError, parse_ms
from sarkmon.model.expressions import PromQL, promql_text
from sarkmon.model.names import slugify
from sarkmon.model.scrape import frozen_map
from sarkmon.source import Location, caller_location

# Grafana accepts up to 40 characters; lower-case slugs also make safe file names and URLs.
UID_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
_TIME_RE = re.compile(r"^now(?:[-+]\d+[smhdwMy])?(?:/[smhdwMy])?$")


@dataclass(frozen=True)
class Row:
    """A titled band of panels; collapsed rows hide theirs until opened."""

    title: str
    panels: Sequence[Panel] = ()
    _: KW_ONLY
    collapsed: bool = False
    key: str = ""
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "panels", tuple(self.panels))
        if not self.key:
            object.__setattr__(self, "key", "row-" + slugify(self.title))


@dataclass(frozen=True)
class Annotation:
    """Events drawn over every time series: one marker per series the query returns."""

    name: str
    expr: PromQL
    _: KW_ONLY
    title: str = ""  # e.g. "{{alertname}}"
    text: str = ""  # e.g. "{{summary}}"
    tags: Sequence[str] = ()  # labels shown as the marker's tags
    color: str = "red"
    enabled: bool = True
    step: str = "1m"
    silence: Mapping[str, str] = field(default_factory=dict)
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "expr", promql_text(self.expr))
        object.__setattr__(self, "tags", tuple(self.tags))
        object.__setattr__(self, "silence", frozen_map(self.silence))


Section = tuple[Row | None, tuple[Panel, ...]]


@dataclass(frozen=True)
class Dashboard:
    uid: str
    title: str
    _: KW_ONLY
    panels: Sequence[Panel] = ()  # above the first row
    rows: Sequence[Row] = ()
    description: str = ""
    tags: Sequence[str] = ()
    folder: str = ""  # "" -> the project's Grafana folder
    refresh: str = "30s"  # "" -> no auto-refresh
    time_from: str = "now-6h"
    time_to: str = "now"
    variables: Sequence[AnyVariable] = ()
    annotations: Sequence[Annotation] = ()
    links: Sequence[AnyLink] = ()
    shared_crosshair: bool = True
    silence: Mapping[str, str] = field(default_factory=dict)
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name in ("panels", "rows", "tags", "variables", "annotations", "links"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "silence", frozen_map(self.silence))
        self._validate()

    @property
    def obj(self) -> str:
        return f"dashboard {self.uid!r}"

    def all_panels(self) -> Iterator[Panel]:
        yield from self.panels
        for row in self.rows:
            yield from row.panels

    def sections(self, logs: bool = True) -> list[Section]:
        """Panels grouped under their rows, in order; log panels only when ``logs`` is on.

        A row left without panels is dropped with them.
        """
        out: list[Section] = []

        def keep(panel: Panel) -> bool:
            return logs or panel.datasource_type != "loki"

        top = tuple(p for p in self.panels if keep(p))
        if top:
            out.append((None, top))
        for row in self.rows:
            kept = tuple(p for p in row.panels if keep(p))
            if kept:
                out.append((row, kept))
        return out

    def uses_logs(self, logs: bool = True) -> bool:
        return any(p.datasource_type == "loki" for _, ps in self.sections(logs) for p in ps)

    # -- validation -------------------------------------------------------------------------
    def _validate(self) -> None:
        if not isinstance(self.uid, str) or not UID_RE.match(self.uid):
            report(
                "definition/dashboard-uid",
                self.obj,
                "uids are 1-40 lower-case letters, digits and dashes",
                self.location,
                f"for example {slugify(str(self.title))[:40]!r}",
            )
        if not self.title:
            report("definition/dashboard", self.obj, "a dashboard needs a title", self.location)
        if self.refresh:
            try:
                parse_ms(self.refresh)
            except DurationError as err:
                report("definition/duration", self.obj, f"refresh: {err}", self.location)
        for value in (self.time_from, self.time_to):
            if not _TIME_RE.match(value):
                report(
                    "definition/dashboard",
                    self.obj,
                    f"time {value!r} is not a relative time",
                    self.location,
                    "use now, now-6h, now-7d/d, ...",
                )
        self._check_unique_keys()
        self._check_unique_variables()

    def _check_unique_keys(self) -> None:
        seen: dict[str, Location] = {}
        items: list[tuple[str, str, Location]] = [(p.key, p.obj, p.location) for p in self.panels]
        for row in self.rows:
            items.append((row.key, f"row {row.title!r}", row.location))
            items.extend((p.key, p.obj, p.location) for p in row.panels)
        for key, obj, where in items:
            if key in seen:
                report(
                    "definition/duplicate",
                    obj,
                    f"key {key!r} is used twice in {self.obj} (first at {seen[key]})",
                    where,
                    "give one of them key=... (the panel id is derived from it)",
                )
            seen.setdefault(key, where)

    def _check_unique_variables(self) -> None:
        seen: set[str] = set()
        for variable in self.variables:
            if variable.name in seen:
                report(
                    "definition/duplicate",
                    variable.obj,
                    f"variable defined twice in {self.obj}",
                    variable.location,
                )
            seen.add(variable.name)
