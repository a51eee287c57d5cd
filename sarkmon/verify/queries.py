"""What verify runs: every dashboard query, as Grafana would send it, and every rule.

Dashboards are read from their views (``build.dashboards``) and the analysis sites: panel
targets, query variables and annotations. Grafana's global variables get the values Grafana
computes for the time range (``$__interval`` from the range and the scrape interval,
``$__rate_interval`` = max(``$__interval`` + scrape interval, 4 x scrape interval),
``$__range``); dashboard variables are substituted everywhere, string literals included,
with their default option or, for query variables, the first value Prometheus returns.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from sarkmon.analysis import promql_of_variable
from sarkmon.model.durations import format_ms
from sarkmon.model.metrics import Matcher, Op
from sarkmon.model.rules import AlertRule, RecordingRule
from sarkmon.pipeline import Build
from sarkmon.source import UNKNOWN, Location
from sarkmon.views import DashboardView, VariableView

DASHBOARD_KINDS = ("panel", "variable", "annotation")
MAX_DATA_POINTS = 1000  # about a panel's width in pixels: Grafana's default resolution

_VAR_RE = re.compile(r"\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)(?::[^\]]*)?\]\]")
_LABEL_VALUES_RE = re.compile(r"^label_values\(\s*(?:(?P<expr>.*),\s*)?(?P<label>\w+)\s*\)$", re.S)


@dataclass(frozen=True)
class Window:
    """The time range queries cover, and the intervals Grafana derives from it."""

    start: int
    end: int
    interval_s: int  # $__interval, also the step of range queries
    rate_interval_s: int

    @property
    def range_s(self) -> int:
        return self.end - self.start


def window(end: int, range_s: int, scrape_interval_s: int) -> Window:
    interval = max(scrape_interval_s, math.ceil(range_s / MAX_DATA_POINTS))
    rate_interval = max(interval + scrape_interval_s, 4 * scrape_interval_s)
    return Window(end - range_s, end, interval, rate_interval)


def global_variables(w: Window) -> dict[str, str]:
    return {
        "__interval": format_ms(w.interval_s * 1000),
        "__interval_ms": str(w.interval_s * 1000),
        "__rate_interval": format_ms(w.rate_interval_s * 1000),
        "__rate_interval_ms": str(w.rate_interval_s * 1000),
        "__range": format_ms(w.range_s * 1000),
        "__range_s": str(w.range_s),
        "__range_ms": str(w.range_s * 1000),
        "__from": str(w.start * 1000),
        "__to": str(w.end * 1000),
    }


def interpolate(text: str, values: Mapping[str, str]) -> str:
    """Replace every variable Grafana knows, inside strings too; unknown ones stay."""

    def value(match: re.Match[str]) -> str:
        name = next(g for g in match.groups() if g)
        return values.get(name, match.group(0))

    return _VAR_RE.sub(value, text)


def variables_used(text: str) -> list[str]:
    return [next(g for g in m.groups() if g) for m in _VAR_RE.finditer(text)]


@dataclass(frozen=True)
class Query:
    kind: str  # panel | variable | annotation | recording | alert
    object: str  # how the report names it
    expr: str  # as written, variables unsubstituted
    location: Location = UNKNOWN
    dashboard: DashboardView | None = field(default=None, compare=False)
    instant: bool = False
    label: str = ""  # for label_values() variables: the label whose values it lists
    panel: str = ""  # a panel query's panel key and refId: where its series are recorded
    ref_id: str = ""

    def line(self) -> str:
        return f"{self.location}: {self.object}" if self.location.line else self.object


def variable_query(variable: VariableView) -> tuple[str, str]:
    """(series expression, label) of a query variable; label is "" for a plain query."""
    text = variable.query.strip()
    match = _LABEL_VALUES_RE.match(text)
    if match:
        return (match["expr"] or "").strip(), match["label"]
    return promql_of_variable(text), ""


def dashboard_queries(build: Build) -> list[Query]:
    """Every Prometheus query of every dashboard view, in dashboard order."""
    out: list[Query] = []
    for dash in build.dashboards:
        out.extend(_queries_of(dash))
    covered = {q.object for q in out}
    for site in build.sites:  # dashboard sites from other sources, without their view
        if site.kind in DASHBOARD_KINDS and site.object not in covered:
            out.append(Query(site.kind, site.object, site.text, site.location))
    return out


def _queries_of(dash: DashboardView) -> Iterator[Query]:
    for variable in dash.variables:
        if variable.type != "query" or not variable.query.strip():
            continue
        expr, label = variable_query(variable)
        if expr or label:
            name = f"dashboard {dash.title!r} variable {variable.name!r}"
            yield Query("variable", name, expr, variable.location, dash, label=label)
    for panel in dash.panels:
        for target in panel.targets:
            if target.datasource_type != "prometheus" or not target.expr.strip():
                continue
            name = f"dashboard {dash.title!r} panel {panel.title!r} query {target.ref_id}"
            where = target.location if target.location.line else panel.location
            yield Query(
                "panel",
                name,
                target.expr,
                where,
                dash,
                instant=target.instant,
                panel=panel.key,
                ref_id=target.ref_id,
            )
    for annotation in dash.annotations:
        if annotation.datasource_type == "prometheus" and annotation.expr.strip():
            name = f"dashboard {dash.title!r} annotation {annotation.ref_id!r}"
            yield Query("annotation", name, annotation.expr, annotation.location, dash)


def lookback_s(build: Build) -> int:
    """How far back beyond the range dashboards and recordings read: their longest offset.

    A range (``[30d]``) needs no more history: two samples inside it give a rate. An offset
    moves the whole window back, so the data must reach that far.
    """
    kinds = {*DASHBOARD_KINDS, "recording"}
    longest = 0
    for site in build.sites:
        if site.kind in kinds:
            for use in site.selectors:
                longest = max(longest, use.offset_ms or 0)
    return math.ceil(longest / 1000)


def recording_query(rule: RecordingRule) -> Query:
    """The series a recording rule writes: its name and static labels."""
    selector = rule.record
    if rule.labels:
        matchers = (str(Matcher(k, Op.EQ, v)) for k, v in rule.labels.items())
        selector += "{" + ", ".join(matchers) + "}"
    name = f"recording rule {rule.record!r}"
    if rule.labels:
        name += " " + ", ".join(f"{k}={v}" for k, v in rule.labels.items())
    return Query("recording", name, selector, rule.location)


def rule_queries(build: Build) -> list[Query]:
    """Every recording rule's output, and every alert's expression (for evaluation errors)."""
    out = []
    for rule_file in build.rule_files:
        for rule in (r for g in rule_file.groups for r in g.rules):
            if isinstance(rule, RecordingRule):
                out.append(recording_query(rule))
            elif isinstance(rule, AlertRule):
                out.append(Query("alert", f"alert {rule.name!r}", str(rule.expr), rule.location))
    return out
