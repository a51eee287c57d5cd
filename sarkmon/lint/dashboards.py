"""Dashboard checks, on the read-only views of dashboards (from definitions or Grafana JSON).

Queries themselves go through every other check as analysis sites; these checks look at
what only a dashboard has: datasources, template variables, units and empty panels.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sarkmon.analysis import ExprSite
from sarkmon.diagnostics import Finding, Severity
from sarkmon.lint.registry import LintContext, check
from sarkmon.model.durations import DurationError, parse_ms
from sarkmon.promql.variables import variables_in
from sarkmon.source import Location
from sarkmon.views import DashboardView, PanelView

# Panels that show no query results.
NO_QUERY_PANELS = frozenset(
    {"text", "row", "dashlist", "alertlist", "news", "annolist", "welcome", "gettingstarted"}
)
# Panels that show numbers and so need a unit.
NUMBER_PANELS = frozenset(
    {"timeseries", "graph", "stat", "singlestat", "gauge", "bargauge", "trend", "barchart"}
)
MIXED = "-- Mixed --"


def panel_object(dash: DashboardView, panel: PanelView) -> str:
    return f"dashboard {dash.title!r} panel {panel.title!r}"


def dashboard_object(dash: DashboardView) -> str:
    return f"dashboard {dash.title!r}"


def is_variable(text: str) -> bool:
    return bool(variables_in(text)) and text.strip().startswith(("$", "[["))


def _prometheus_panels(dash: DashboardView) -> Iterator[PanelView]:
    for panel in dash.panels:
        if any(t.datasource_type == "prometheus" for t in panel.targets):
            yield panel


@check(
    "dashboard/datasource",
    Severity.WARNING,
    "panel or query not using the dashboard's datasource variable",
    """Every Prometheus query of a dashboard should read the datasource variable (${datasource})
    so one dashboard serves every environment: a fixed datasource name or uid breaks when
    the dashboard is imported elsewhere, and an unset one silently reads whatever the
    default datasource is. Define a datasource variable and use it on every panel, query
    variable and annotation.""",
)
def datasource(ctx: LintContext) -> Iterator[Finding]:
    for dash in ctx.dashboards:
        panels = list(_prometheus_panels(dash))
        if not any(v.type == "datasource" for v in dash.variables):
            if panels:
                yield datasource.about(
                    dash.owner,
                    dashboard_object(dash),
                    dash.location,
                    "no datasource variable",
                    "add a variable of type datasource (query: prometheus)",
                )
            continue
        for panel in panels:
            for target in panel.targets:
                source = target.datasource or panel.datasource
                if target.datasource_type != "prometheus" or is_variable(source):
                    continue
                where = f"datasource {source!r}" if source else "the default datasource"
                yield datasource.about(
                    target.owner or panel.owner,
                    panel_object(dash, panel),
                    target.location if target.location.line else panel.location,
                    f"query {target.ref_id or '?'} reads {where}, not the datasource variable",
                    "set its datasource to ${datasource}",
                )
                break
        for variable in dash.variables:
            if variable.type == "query" and not is_variable(variable.datasource):
                yield datasource.about(
                    variable.owner,
                    f"{dashboard_object(dash)} variable {variable.name!r}",
                    variable.location,
                    "the query variable does not read the datasource variable",
                    "set its datasource to ${datasource}",
                )


@dataclass(frozen=True)
class Use:
    """One element of a dashboard that reads a variable: findings are located there."""

    what: str  # "query A", "the panel", "the query"
    obj: str  # how findings name the element
    location: Location
    owner: object


def _references(dash: DashboardView) -> dict[str, list[Use]]:
    """Variable name -> the elements using it (queries, panels, variables, annotations)."""
    used: dict[str, list[Use]] = {}

    def note(texts: Iterable[str], use: Use) -> None:
        for text in texts:
            for name in variables_in(text):
                if not name.isdigit():
                    used.setdefault(name, []).append(use)

    for panel in dash.panels:
        obj = panel_object(dash, panel)
        for target in panel.targets:
            where = target.location if target.location.line else panel.location
            use = Use(f"query {target.ref_id or '?'}", obj, where, target.owner or panel.owner)
            note((target.expr, target.legend, target.datasource), use)
        use = Use("the panel", obj, panel.location, panel.owner)
        note((panel.title, panel.description, panel.datasource, panel.repeat), use)
        if panel.repeat:
            used.setdefault(panel.repeat, []).append(use)
    for variable in dash.variables:
        obj = f"{dashboard_object(dash)} variable {variable.name!r}"
        use = Use("the query", obj, variable.location, variable.owner)
        note((variable.query, variable.datasource), use)
    for annotation in dash.annotations:
        obj = f"{dashboard_object(dash)} annotation {annotation.ref_id!r}"
        use = Use("the query", obj, annotation.location, annotation.owner)
        note((annotation.expr, annotation.datasource), use)
    return used


@check(
    "dashboard/unused-variable",
    Severity.WARNING,
    "template variable defined but not used",
    """A variable no query, title, datasource or other variable reads still shows a
    drop-down that changes nothing: users pick a server and the panels ignore it. Use it in
    the queries it was meant to filter (x{server=~"$server"}) or remove it.""",
)
def unused_variable(ctx: LintContext) -> Iterator[Finding]:
    for dash in ctx.dashboards:
        used = _references(dash)
        for variable in dash.variables:
            if variable.type != "adhoc" and variable.name not in used:
                yield unused_variable.about(
                    variable.owner,
                    f"{dashboard_object(dash)} variable {variable.name!r}",
                    variable.location,
                    "no query, title or datasource uses it",
                )


@check(
    "dashboard/undefined-variable",
    Severity.ERROR,
    "template variable used but not defined",
    """A query that reads $server when the dashboard defines no server variable is sent to
    Prometheus with the text $server in it: it fails to parse or matches nothing. Define
    the variable or fix its name. Grafana's own variables ($__rate_interval, $__range, ...)
    are always defined.""",
)
def undefined_variable(ctx: LintContext) -> Iterator[Finding]:
    for dash in ctx.dashboards:
        defined = {v.name for v in dash.variables}
        for name, uses in sorted(_references(dash).items()):
            if name in defined or name.startswith("__") or name == "timeFilter":
                continue
            reported: set[str] = set()
            for use in uses:  # once per element, where it first reads the variable
                if use.obj not in reported:
                    reported.add(use.obj)
                    yield undefined_variable.about(
                        use.owner,
                        use.obj,
                        use.location,
                        f"${name} is used in {use.what} but not defined",
                        "define the variable or fix the name",
                    )


@check(
    "dashboard/unit",
    Severity.WARNING,
    "panel showing numbers without a unit",
    """A time series, stat or gauge without a unit shows 0.0523 and leaves the reader to
    guess whether it is seconds, a ratio or requests per second. Set the unit (s, percentunit,
    reqps, bytes, short for plain counts); Grafana then scales and suffixes the values.
    Panels that map their values to text (UP/DOWN) need none.""",
)
def unit(ctx: LintContext) -> Iterator[Finding]:
    for dash in ctx.dashboards:
        for panel in _prometheus_panels(dash):
            if panel.type in NUMBER_PANELS and not panel.unit and not panel.mappings:
                yield unit.about(
                    panel.owner,
                    panel_object(dash, panel),
                    panel.location,
                    f"{panel.type} panel without a unit",
                    "set a unit (s, percentunit, reqps, bytes, short, ...)",
                )


# Grafana units: (kind of quantity, scale of the value relative to the base unit).
_GRAFANA_UNITS: dict[str, tuple[str, tuple[float, ...]]] = {
    "s": ("seconds", (1.0,)),
    "dtdurations": ("seconds", (1.0,)),
    "clocks": ("seconds", (1.0,)),
    "ms": ("seconds", (1e3,)),
    "dtdurationms": ("seconds", (1e3,)),
    "clockms": ("seconds", (1e3,)),
    "µs": ("seconds", (1e6,)),
    "us": ("seconds", (1e6,)),
    "ns": ("seconds", (1e9,)),
    "m": ("seconds", (1 / 60,)),
    "h": ("seconds", (1 / 3600,)),
    "d": ("seconds", (1 / 86400,)),
    "percent": ("ratio", (100.0,)),
    "percentunit": ("ratio", (1.0,)),
    "bytes": ("bytes", (1.0,)),
    "decbytes": ("bytes", (1.0,)),
    "kbytes": ("bytes", (1 / 1024, 1e-3)),
    "deckbytes": ("bytes", (1 / 1024, 1e-3)),
    "mbytes": ("bytes", (1 / 1024**2, 1e-6)),
    "decmbytes": ("bytes", (1 / 1024**2, 1e-6)),
    "gbytes": ("bytes", (1 / 1024**3, 1e-9)),
    "decgbytes": ("bytes", (1 / 1024**3, 1e-9)),
}


@check(
    "dashboard/unit-scale",
    Severity.ERROR,
    "panel unit contradicts the scale of its query",
    """The catalog knows each metric's unit, so the unit of a query is known: seconds, a 0-1
    ratio, bytes, and any factor the query applies. A panel whose unit says otherwise shows
    wrong numbers: unit percent on a 0-1 ratio shows 0.05% for 5%, unit ms on seconds shows
    0.2 ms for 200 ms. Set the unit to what the query gives (percentunit, s) or scale the
    query to the unit.""",
)
def unit_scale(ctx: LintContext) -> Iterator[Finding]:
    by_panel: dict[int, list[ExprSite]] = {}
    for site in ctx.sites:
        if site.kind == "panel" and site.tree is not None:
            by_panel.setdefault(id(site.view), []).append(site)
    for dash in ctx.dashboards:
        for panel in dash.panels:
            expected = _GRAFANA_UNITS.get(panel.unit)
            if expected is None:
                continue
            kind, scales = expected
            for site in by_panel.get(id(panel), ()):
                assert site.tree is not None
                quantity = site.tree.quantity
                if quantity.kind() != kind:
                    continue
                if any(math.isclose(quantity.scale, s, rel_tol=1e-6) for s in scales):
                    continue
                yield unit_scale.finding(
                    site,
                    f"panel unit {panel.unit!r} but the query gives {quantity.describe()}",
                    "set the unit to match the query, or scale the query",
                )


_RANGE_RE = re.compile(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|`[^`]*`|\[([^\]]*)\]')


def literal_ranges(text: str) -> set[int]:
    """The ranges written as durations (not variables) in a query, in milliseconds."""
    found = set()
    for match in _RANGE_RE.finditer(text):
        inside = match.group(1)
        if inside is None:
            continue
        window = inside.split(":")[0].strip()
        try:
            found.add(parse_ms(window))
        except DurationError:
            continue
    return found


@check(
    "dashboard/rate-interval",
    Severity.WARNING,
    "rate in a panel with a fixed range instead of $__rate_interval",
    """rate(x[5m]) in a panel averages over 5 minutes whatever the zoom: zoomed out over a
    week each point still covers 5 minutes and spikes between points vanish; zoomed in the
    line is smoothed away. $__rate_interval follows the step and is never shorter than four
    scrape intervals. Write rate(x[$__rate_interval]); fixed windows are right for
    increase() over a stated period (the last hour).""",
)
def rate_interval(ctx: LintContext) -> Iterator[Finding]:
    for site in ctx.parsed_sites("panel"):
        fixed = literal_ranges(site.text)
        for selector, function in site.selector_functions:
            if function in ("rate", "irate") and selector.range_ms in fixed:
                yield rate_interval.finding(
                    site,
                    f"{function}({selector.text}) uses a fixed range",
                    "use [$__rate_interval]",
                )
                break


@check(
    "dashboard/no-targets",
    Severity.WARNING,
    "panel without queries",
    """A graph, stat or table panel without a query shows "No data" forever. Add the query
    it was meant to show, or remove the panel (text and row panels need none).""",
)
def no_targets(ctx: LintContext) -> Iterator[Finding]:
    for dash in ctx.dashboards:
        for panel in dash.panels:
            if not panel.targets and panel.type not in NO_QUERY_PANELS:
                yield no_targets.about(
                    panel.owner, panel_object(dash, panel), panel.location, "panel has no query"
                )
