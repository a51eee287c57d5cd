"""Analysis: every PromQL expression of the project, parsed once, with its label flow.

An :class:`ExprSite` is one place an expression is written (an alert, a recording rule, a
panel query, ...). Lint checks and compilers read sites; nothing downstream parses again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from sarkmon.model.catalog import Catalog
from sarkmon.model.metrics import Gauge, Metric, Status
from sarkmon.model.rules import AlertRule, RecordingRule, RuleFile
from sarkmon.promql.labels import LabelSet, output_labels
from sarkmon.promql.parse import Parsed, parse
from sarkmon.promql.walk import SelectorUse, selectors
from sarkmon.source import Location
from sarkmon.views import DashboardView

if TYPE_CHECKING:
    from sarkmon.model.project import Project


@dataclass(frozen=True)
class ExprSite:
    owner: object  # the definition holding the expression
    kind: str  # alert | recording | panel | variable | ...
    object: str  # how findings name it: "alert 'HighDenyRate'"
    text: str
    location: Location
    variables: Mapping[str, str] = field(default_factory=dict)
    parsed: Parsed = field(default=None, compare=False)  # type: ignore[assignment]
    labels: LabelSet = field(default=None, compare=False)

    @cached_property
    def selectors(self) -> tuple[SelectorUse, ...]:
        return tuple(selectors(self.parsed.ast)) if self.parsed and self.parsed.ok else ()


SiteSource = Callable[["Project", Catalog], Iterable[ExprSite]]


def rule_sites(rule_files: Iterable[RuleFile]) -> Iterator[ExprSite]:
    for rule_file in rule_files:
        for group in rule_file.groups:
            for rule in group.rules:
                if isinstance(rule, AlertRule):
                    yield ExprSite(
                        rule, "alert", f"alert {rule.name!r}", str(rule.expr), rule.location
                    )
                    yield from runbook_sites(rule)
                else:
                    yield ExprSite(
                        rule,
                        "recording",
                        f"recording rule {rule.record!r}",
                        str(rule.expr),
                        rule.location,
                    )


def runbook_sites(alert: AlertRule) -> Iterator[ExprSite]:
    """The runbook's diagnosis entries that are PromQL (the others are steps in prose)."""
    for number, entry in enumerate(alert.runbook.diagnosis, 1):
        if parse(entry).ok:
            name = f"alert {alert.name!r} runbook diagnosis {number}"
            yield ExprSite(alert, "runbook", name, entry, alert.location)


def dashboard_sites(dashboards: Iterable[DashboardView]) -> Iterator[ExprSite]:
    """Every PromQL query of every dashboard: panel targets, query variables, annotations."""
    for dash in dashboards:
        values = dash.substitutions()
        for panel in dash.panels:
            for target in panel.targets:
                if target.datasource_type != "prometheus":
                    continue
                name = f"dashboard {dash.title!r} panel {panel.title!r} query {target.ref_id}"
                yield ExprSite(
                    target.owner or panel.owner,
                    "panel",
                    name,
                    target.expr,
                    target.location if target.location.line else panel.location,
                    values,
                )
        for variable in dash.variables:
            query = promql_of_variable(variable.query) if variable.type == "query" else ""
            if query:
                yield ExprSite(
                    variable.owner,
                    "variable",
                    f"dashboard {dash.title!r} variable {variable.name!r}",
                    query,
                    variable.location,
                    values,
                )
        for annotation in dash.annotations:
            if annotation.datasource_type == "prometheus":
                yield ExprSite(
                    annotation.owner,
                    "annotation",
                    f"dashboard {dash.title!r} annotation {annotation.ref_id!r}",
                    annotation.expr,
                    annotation.location,
                    values,
                )


def promql_of_variable(query: str) -> str:
    """The PromQL inside a query variable: ``label_values(expr, label)`` reads ``expr``."""
    text = query.strip()
    for prefix in ("label_values(", "query_result("):
        if text.startswith(prefix) and text.endswith(")"):
            inner = text[len(prefix) : -1]
            if prefix == "label_values(":
                head, sep, _label = inner.rpartition(",")
                return head.strip() if sep else ""  # label_values(label) reads no series
            return inner.strip()
    if text.startswith(("label_names(", "metrics(")):
        return ""
    return text


def analyze_site(site: ExprSite, catalog: Catalog) -> ExprSite:
    parsed = parse(site.text, site.variables)
    labels = output_labels(parsed.ast, catalog) if parsed.ok else None
    return ExprSite(
        site.owner, site.kind, site.object, site.text, site.location, site.variables, parsed, labels
    )


def recorded_metrics(rule_files: Iterable[RuleFile], catalog: Catalog) -> Catalog:
    """The catalog grown by every recording rule's output, with the labels it keeps.

    Rules are read in order, so a recording may use one recorded before it. A name recorded
    by several rules (one per static label value, say) gets the union of their labels.
    """
    scratch = catalog.with_metrics(())
    merged: dict[str, tuple[RecordingRule, frozenset[str] | None]] = {}
    for rule_file in rule_files:
        for rule in rule_file.recordings:
            parsed = parse(str(rule.expr))
            labels = output_labels(parsed.ast, scratch) if parsed.ok else None
            if labels is not None:
                labels = labels | frozenset(rule.labels)
            if rule.record not in merged:
                merged[rule.record] = (rule, labels)
                if rule.record not in scratch:
                    scratch.register(_recorded(rule, labels))
            else:
                first, known = merged[rule.record]
                both = None if known is None or labels is None else known | labels
                merged[rule.record] = (first, both)
    return catalog.with_metrics(_recorded(rule, labels) for rule, labels in merged.values())


def _recorded(rule: RecordingRule, labels: frozenset[str] | None) -> Metric:
    return Gauge(
        rule.record,
        rule.help or f"Recorded by {rule.record}",
        sorted(labels or ()),
        unit=rule.unit,
        status=Status.RECORDED,
        scraped=False,
        created=False,
        open_labels=labels is None,
        source="recording rule",
        location=rule.location,
    )
