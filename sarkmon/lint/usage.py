"""How queries use the catalog: metrics SARK does not export yet, metrics nothing reads."""

from __future__ import annotations

from collections.abc import Iterator

from sarkmon.diagnostics import Finding, Severity
from sarkmon.lint.registry import LintContext, check
from sarkmon.model.metrics import Metric, Status
from sarkmon.promql.tree import Selector


def metric_object(metric: Metric) -> str:
    """How findings name a catalog metric: ``counter 'x_total'``."""
    return f"{metric.type.value} {metric.display_name!r}"


@check(
    "catalog/planned-metric",
    Severity.WARNING,
    "query reads a planned metric, which is not exported yet",
    """The catalog declares the metric as planned: the monitoring wants it but SARK's code
    does not define it yet, so the panel stays empty and the alert cannot fire until it
    does. The warning stays until the metric is emitted (change its status to emitted) so
    that the gap is visible in every report; the metric's notes say what needs it.""",
)
def planned_metric(ctx: LintContext) -> Iterator[Finding]:
    for site in ctx.parsed_sites():
        seen: set[str] = set()
        for node in site.nodes:
            if not isinstance(node, Selector) or node.metric is None:
                continue
            metric = node.metric
            if metric.status is Status.PLANNED and metric.name not in seen:
                seen.add(metric.name)
                yield planned_metric.finding(
                    site,
                    f"{metric.display_name} is planned: its code does not export it yet",
                    metric.notes or "declared with status planned",
                )


@check(
    "catalog/unused-metric",
    Severity.INFO,
    "declared metric that no query reads",
    """A report, not a fault: the metric is declared in the catalog but no alert, recording
    rule, panel or variable reads it. Either the monitoring has a gap (nothing watches what
    the code measures) or the declaration is stale. Only reported when linting the
    definitions, where every query is known.""",
)
def unused_metric(ctx: LintContext) -> Iterator[Finding]:
    if ctx.project is None:
        return
    used: set[str] = set()
    for site in ctx.parsed_sites():
        for node in site.nodes:
            if isinstance(node, Selector) and node.metric is not None:
                used.add(node.metric.name)
    for metric in ctx.catalog:
        if metric.status is Status.RECORDED or metric.name in used:
            continue
        yield unused_metric.about(
            metric,
            metric_object(metric),
            metric.location,
            "no alert, recording rule or dashboard reads it",
        )
