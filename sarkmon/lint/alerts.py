"""Alert hygiene: what an alert needs to be actionable when it reaches someone.

The model enforces the rest when definitions load or rule files are read: severity in the
allowed set (definition/severity), UpperCamelCase names (definition/alert-name), valid
durations (definition/duration) and no two alerts with the same name and labels
(definition/duplicate). These checks add what a valid alert can still lack.
"""

from __future__ import annotations

from collections.abc import Iterator

from sarkmon.diagnostics import Finding, Severity
from sarkmon.lint.registry import LintContext, check
from sarkmon.model.durations import DurationError, parse_ms
from sarkmon.model.rules import AlertRule
from sarkmon.promql.tree import Binary, Node, Selector, unwrap

RUNBOOK_ANNOTATIONS = ("runbook_url", "runbook")
BASE_KINDS = ("seconds", "bytes", "ratio")


def alert_object(alert: AlertRule) -> str:
    return f"alert {alert.name!r}"


def alert_value(tree: Node) -> Node:
    """The sub-expression whose value an alert reports as $value."""
    node = unwrap(tree)
    while isinstance(node, Binary) and (node.is_filter or node.is_set_operator):
        node = unwrap(node.rhs if node.is_filter and node.lhs.is_scalar else node.lhs)
    return node


@check(
    "alert/summary",
    Severity.WARNING,
    "alert without a summary",
    """The summary is the one line a notification shows (the Slack title, the page). Without
    it the receiver sees only the alert name. Write what is wrong, with the labels that say
    where: "Gateway client errors in {{ $labels.operation }}".""",
)
def summary(ctx: LintContext) -> Iterator[Finding]:
    for alert, _ in ctx.alerts():
        if not alert.summary.strip():
            yield summary.about(alert, alert_object(alert), alert.location, "no summary")


@check(
    "alert/description",
    Severity.WARNING,
    "alert without a description",
    """The description tells the receiver how bad it is and since when: the value against
    the threshold ({{ $value | humanizePercentage }} of requests failed, threshold 5%).
    Without it they must open Prometheus to know whether to act.""",
)
def description(ctx: LintContext) -> Iterator[Finding]:
    for alert, _ in ctx.alerts():
        if not alert.description.strip():
            yield description.about(alert, alert_object(alert), alert.location, "no description")


def has_runbook(ctx: LintContext, alert: AlertRule) -> bool:
    if alert.runbook.url or any(alert.annotations.get(k) for k in RUNBOOK_ANNOTATIONS):
        return True
    return ctx.project is not None and bool(ctx.project.targets.runbook_base_url)


@check(
    "alert/runbook",
    Severity.WARNING,
    "alert without a runbook link",
    """Whoever is paged needs to know what to do: every alert links to a runbook (impact,
    diagnosis, mitigation). In definitions the link is generated from the project's
    runbook_base_url or set with Runbook(url=...); in rule files it is the runbook_url
    annotation.""",
)
def runbook(ctx: LintContext) -> Iterator[Finding]:
    for alert, _ in ctx.alerts():
        if not has_runbook(ctx, alert):
            yield runbook.about(
                alert,
                alert_object(alert),
                alert.location,
                "no runbook link",
                "add a runbook_url annotation",
            )


def _for_ms(alert: AlertRule) -> int:
    try:
        return parse_ms(alert.for_) if alert.for_ else 0
    except DurationError:
        return 0  # reported by the model (definition/duration)


@check(
    "alert/for",
    Severity.WARNING,
    "alert without a for duration",
    """Without for, an alert fires on the first evaluation at which its expression is true:
    one slow scrape or one burst pages someone. Give every alert that reads series a for
    duration (how long the condition must hold), typically 2 to 10 minutes; alerts that
    read no series (a Watchdog) need none.""",
)
def for_duration(ctx: LintContext) -> Iterator[Finding]:
    for alert, site, _ in ctx.alert_trees():
        if _for_ms(alert) or not any(isinstance(n, Selector) for n in site.nodes):
            continue
        yield for_duration.finding(
            site,
            "no for duration: it fires on the first evaluation that matches",
            "add for_='5m' (how long the condition must hold)",
        )


@check(
    "alert/duplicate-name",
    Severity.WARNING,
    "the same alert name in several rule files",
    """Alertmanager routes, groups, inhibits and silences by alert name. Two alerts of the
    same name in different files (two HighCPUUsage for two services) are grouped and
    silenced together, and an inhibition meant for one hides the other. Several rules of
    one name in one file (a warning and a critical threshold) are fine. Rename one, or
    merge them if they watch the same thing.""",
)
def duplicate_name(ctx: LintContext) -> Iterator[Finding]:
    first: dict[str, tuple[AlertRule, str]] = {}
    for alert, rule_file in ctx.alerts():
        seen = first.setdefault(alert.name, (alert, rule_file.name))
        if seen[1] != rule_file.name:
            yield duplicate_name.about(
                alert,
                alert_object(alert),
                alert.location,
                f"alert name also used in rule file {seen[1]!r} (at {seen[0].location})",
                "rename one, or merge them if they watch the same thing",
            )


@check(
    "alert/unit-scale",
    Severity.WARNING,
    "alert compares a value converted out of base units",
    """histogram_quantile(...) * 1000 > 200 compares milliseconds; x / y * 100 > 5 compares
    percent; bytes / 1024 / 1024 > 1024 compares MiB. Prometheus works in base units
    (seconds, bytes, ratios 0-1) and so do Alertmanager templates: $value is then
    milliseconds where humanizeDuration expects seconds, percent where humanizePercentage
    expects a ratio. Compare in base units (> 0.2, > 0.05, > 1073741824) and let the
    template format the value.""",
)
def unit_scale(ctx: LintContext) -> Iterator[Finding]:
    for _, site, tree in ctx.alert_trees():
        quantity = alert_value(tree).quantity
        base = quantity.kind()
        if quantity.converted and not quantity.in_base_unit and base in BASE_KINDS:
            yield unit_scale.finding(
                site,
                f"compares {quantity.describe()}, converted from {base}",
                f"compare in {'a 0-1 ratio' if base == 'ratio' else base} and let the "
                "template format $value",
            )
