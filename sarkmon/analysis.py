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
from sarkmon.model.metrics import Counter, Gauge, Metric, Status
from sarkmon.model.rules import AlertRule, RecordingRule, RuleFile
from sarkmon.promql.convert import to_tree
from sarkmon.promql.parse import Parsed, parse
from sarkmon.promql.tree import LabelSet, Node, Selector, selectors_with_function
from sarkmon.promql.walk import SelectorUse, tree_selectors
from sarkmon.source import Location
from sarkmon.views import DashboardView, PanelView, TargetView, VariableView

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
    tree: Node | None = field(default=None, compare=False)  # None when it does not parse
    # The dashboard element the expression is from: panel, variable or annotation.
    view: PanelView | VariableView | TargetView | None = field(default=None, compare=False)

    @cached_property
    def selectors(self) -> tuple[SelectorUse, ...]:
        return tuple(tree_selectors(self.tree)) if self.tree is not None else ()

    @cached_property
    def nodes(self) -> tuple[Node, ...]:
        """Every node of the tree, parents first (walked once, read by every check)."""
        return tuple(self.tree.walk()) if self.tree is not None else ()

    @cached_property
    def selector_functions(self) -> tuple[tuple[Selector, str | None], ...]:
        """Every selector with the function it is the direct argument of."""
        return tuple(selectors_with_function(self.tree)) if self.tree is not None else ()


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
                    view=panel,
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
                    view=variable,
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
                    view=annotation,
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


def analyze_site(
    site: ExprSite, catalog: Catalog, trees: dict[str, Node] | None = None
) -> ExprSite:
    """The site with its expression parsed and converted to a tree against the catalog.

    ``trees`` (query -> tree, for one catalog) lets sites with the same query share one
    immutable tree: dashboards repeat their queries, often half of a project's sites.
    """
    parsed = parse(site.text, site.variables)
    tree = None
    if parsed.ok:
        tree = trees.get(parsed.query) if trees is not None else None
        if tree is None:
            tree = to_tree(parsed.ast, catalog)
            if trees is not None:
                trees[parsed.query] = tree
    return ExprSite(
        site.owner,
        site.kind,
        site.object,
        site.text,
        site.location,
        site.variables,
        parsed,
        tree.labels if tree is not None else None,
        tree,
        site.view,
    )


def recorded_metrics(rule_files: Iterable[RuleFile], catalog: Catalog) -> Catalog:
    """The catalog grown by every recording rule's output, with the labels it keeps.

    Rules are read in order, so a recording may use one recorded before it. A name recorded
    by several rules (one per static label value, say) gets the union of their labels. A
    recording of raw counter values named ``..._total`` is a counter (rate() applies to it);
    every other recording is a gauge.
    """
    scratch = catalog.with_metrics(())
    merged: dict[str, tuple[RecordingRule, frozenset[str] | None, bool]] = {}
    for rule_file in rule_files:
        for rule in rule_file.recordings:
            parsed = parse(str(rule.expr))
            tree = to_tree(parsed.ast, scratch) if parsed.ok else None
            labels = tree.labels if tree is not None else None
            if labels is not None:
                labels = labels | frozenset(rule.labels)
            counts = tree is not None and records_counter(tree) and rule.record.endswith("_total")
            if rule.record not in merged:
                merged[rule.record] = (rule, labels, counts)
                if rule.record not in scratch:
                    scratch.register(_recorded(rule, labels, counts))
            else:
                first, known, first_counts = merged[rule.record]
                both = None if known is None or labels is None else known | labels
                merged[rule.record] = (first, both, first_counts and counts)
    return catalog.with_metrics(_recorded(*entry) for entry in merged.values())


def records_counter(tree: Node) -> bool:
    """True when an expression's values are raw counter values (a sum of counters, say)."""
    return bool(tree.raw) and len(tree.raw) == len(tree.flows)


def _recorded(rule: RecordingRule, labels: frozenset[str] | None, counts: bool) -> Metric:
    kind: type[Metric] = Counter if counts else Gauge
    return kind(
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
