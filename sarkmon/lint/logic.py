"""Logic checks: expressions that are valid PromQL but cannot do what they are written for.

Label flow makes these decidable offline: two sides of a binary operator pair only when
their matching labels are the same names with the same values, and a ratio whose filter
label is kept on both sides divides each series by itself.
"""

from __future__ import annotations

from collections.abc import Iterator

from sarkmon.diagnostics import Finding, Severity
from sarkmon.lint.registry import LintContext, check
from sarkmon.model.durations import format_ms, parse_ms
from sarkmon.model.metrics import Metric
from sarkmon.model.rules import RecordingRule
from sarkmon.promql.absence import when_absent
from sarkmon.promql.functions import RANGE_SAMPLES
from sarkmon.promql.tree import (
    Aggregation,
    Binary,
    Call,
    Card,
    Node,
    Selector,
    unwrap,
)


def never_pairs(node: Binary) -> str:
    """Why the two sides of a vector operation can never pair, or "" when they can."""
    lhs, rhs = node.lhs.labels, node.rhs.labels
    if lhs is None or rhs is None:
        return ""
    if node.matching is not None and node.on:
        listed = frozenset(node.matching)
        left_only, right_only = (listed & lhs) - rhs, (listed & rhs) - lhs
        compared = listed
    else:
        ignored = frozenset(node.matching or ())
        left_only, right_only = (lhs - ignored) - rhs, (rhs - ignored) - lhs
        compared = (lhs & rhs) - ignored
    if left_only or right_only:
        parts = []
        if left_only:
            parts.append("only the left side has " + ", ".join(sorted(left_only)))
        if right_only:
            parts.append("only the right side has " + ", ".join(sorted(right_only)))
        return "; ".join(parts)
    for label in sorted(compared):
        left, right = node.lhs.pinned.get(label), node.rhs.pinned.get(label)
        if left is not None and right is not None and left != right:
            return f"{label} is {left!r} on the left side and {right!r} on the right"
    return ""


_OUTCOME = {
    "and": "'and' never returns anything",
    "unless": "'unless' never removes anything",
}


@check(
    "logic/never-pairs",
    Severity.ERROR,
    "vector matching whose two sides can never pair",
    """A binary operator between two vectors pairs series whose matching labels are equal:
    all labels by default, those listed in on(), all but those in ignoring(). When one side
    has a label the other lacks, or a label is pinned to different values on each side
    (decision="allow" against decision="deny"), no pair exists and the result is empty:
    the panel is blank, the alert never fires. Aggregate both sides to the same labels, or
    name the shared ones with on(...).""",
)
def never_pairs_check(ctx: LintContext) -> Iterator[Finding]:
    for site in ctx.parsed_sites():
        for node in site.nodes:
            if not isinstance(node, Binary) or not node.between_vectors or node.op == "or":
                continue
            reason = never_pairs(node)
            if reason:
                outcome = _OUTCOME.get(node.op, "the result is always empty")
                yield never_pairs_check.finding(
                    site,
                    f"the sides of {node.op!r} never pair ({reason}), so {outcome}",
                    "aggregate both sides to the same labels or match with on(...)",
                )


def _compared(node: Binary) -> frozenset[str]:
    lhs, rhs = node.lhs.labels or frozenset(), node.rhs.labels or frozenset()
    if node.matching is not None and node.on:
        return frozenset(node.matching) & lhs & rhs
    return (lhs & rhs) - frozenset(node.matching or ())


def trivial_ratio(node: Binary) -> frozenset[str] | None:
    """The filter labels that make a ratio divide each series by itself, or None."""
    if node.op != "/" or node.card is not Card.ONE_TO_ONE or not node.between_vectors:
        return None
    if node.lhs.labels is None or node.rhs.labels is None or never_pairs(node):
        return None
    if not node.lhs.flows or {s.name for s in node.lhs.flows} != {s.name for s in node.rhs.flows}:
        return None
    left = {m for s in node.lhs.flows for m in s.matchers}
    right = {m for s in node.rhs.flows for m in s.matchers}
    differing = frozenset(m.label for m in left ^ right)
    if not differing <= _compared(node):
        return None
    if node.lhs.shape(differing) != node.rhs.shape(differing):
        return None
    return differing


@check(
    "logic/trivial-ratio",
    Severity.ERROR,
    "ratio that is trivially 1 because the filter is on one side of a one-to-one match",
    """rate(x{decision="deny"}[5m]) / rate(x[5m]) looks like the share of denials, but the
    division matches series with equal labels, decision included, so each deny series is
    divided by itself: the ratio is 1 whenever there is data. Aggregate the filter label
    away on both sides: sum(rate(x{decision="deny"}[5m])) / sum(rate(x[5m])), or sum by the
    labels you want to keep.""",
)
def trivial_ratio_check(ctx: LintContext) -> Iterator[Finding]:
    for site in ctx.parsed_sites():
        for node in site.nodes:
            if not isinstance(node, Binary):
                continue
            differing = trivial_ratio(node)
            if differing is None:
                continue
            if differing:
                labels = ", ".join(sorted(differing))
                message = (
                    f"each series is divided by itself: the filter on {labels} is on one side "
                    f"only and both sides keep {labels}, so the ratio is always 1"
                )
            else:
                message = "both sides of the ratio are the same expression: it is always 1"
            yield trivial_ratio_check.finding(
                site, message, "sum both sides (by the labels to keep) before dividing"
            )


def filters(node: Node) -> bool:
    """True when the expression drops series (so an alert on it fires only sometimes)."""
    node = unwrap(node)
    if isinstance(node, Binary):
        if node.is_filter or node.op in ("and", "unless"):
            return True
        if node.op == "or":
            return filters(node.lhs) and filters(node.rhs)
        if node.lhs.is_scalar:
            return filters(node.rhs)
        if node.rhs.is_scalar:
            return filters(node.lhs)
        return filters(node.lhs) or filters(node.rhs)
    if isinstance(node, Call):
        if node.function in ("absent", "absent_over_time"):
            return True
        return node.series_arg is not None and filters(node.series_arg)
    if isinstance(node, Aggregation):
        return filters(node.expr)
    return False


@check(
    "logic/no-comparison",
    Severity.ERROR,
    "alert without a comparison",
    """An alert fires for every series its expression returns. Without a comparison (or
    absent(), and, unless) the expression returns a series whenever the metric exists, so
    the alert fires all the time. Compare with a threshold: rate(errors[5m]) > 0.1. Alerts
    that read no series at all (a Watchdog's vector(1)) are left alone.""",
)
def no_comparison(ctx: LintContext) -> Iterator[Finding]:
    for _, site, tree in ctx.alert_trees():
        if not any(isinstance(n, Selector) for n in site.nodes) or filters(tree):
            continue
        yield no_comparison.finding(
            site,
            "the expression has no comparison, so the alert fires whenever the series exist",
            "compare with a threshold (> 0.05) or use absent()",
        )


def _top_comparisons(node: Node) -> Iterator[Binary]:
    node = unwrap(node)
    if isinstance(node, Binary) and node.op in ("and", "or"):
        yield from _top_comparisons(node.lhs)
        yield from _top_comparisons(node.rhs)
    elif isinstance(node, Binary) and node.op == "unless":
        yield from _top_comparisons(node.lhs)
    elif isinstance(node, Binary) and node.is_filter:
        yield node


def _absent_safe(node: Node) -> bool:
    """True when the expression still returns a value when its series are absent."""
    for inner in node.walk():
        if isinstance(inner, Call) and inner.function in ("absent", "absent_over_time"):
            return True
        if (
            isinstance(inner, Binary)
            and inner.op == "or"
            and not (inner.rhs.flows and inner.lhs.flows)
        ):
            return True
    # A metric without labels is exported (at 0) as soon as the process starts.
    return bool(node.flows) and all(
        s.metric is not None and not s.metric.label_names for s in node.flows
    )


def _is_ratio(node: Node) -> bool:
    """A ratio: a division of vectors (scaled or aggregated), or a series declared as one."""
    node = unwrap(node)
    if node.quantity.is_ratio:
        return True
    if isinstance(node, Aggregation):
        return _is_ratio(node.expr)
    if isinstance(node, Binary) and node.op in ("*", "/") and node.rhs.constant is not None:
        return _is_ratio(node.lhs)
    if isinstance(node, Binary) and node.op == "*" and node.lhs.constant is not None:
        return _is_ratio(node.rhs)
    return isinstance(node, Binary) and node.op == "/" and node.between_vectors


def _blind_side(node: Binary) -> Node | None:
    """The vector side of ``x == 0``, ``x < c`` (or ``c > x``) when absence hides it."""
    if node.rhs.constant is not None and not node.lhs.is_scalar:
        side, op, constant = node.lhs, node.op, node.rhs.constant
    elif node.lhs.constant is not None and not node.rhs.is_scalar:
        flipped = {">": "<", ">=": "<=", "==": "=="}
        side, op, constant = node.rhs, flipped.get(node.op, ""), node.lhs.constant
    else:
        return None
    if op == "==" and constant == 0:
        return side
    if op in ("<", "<=") and not _is_ratio(side):
        return side
    return None


@check(
    "logic/absent-blind",
    Severity.WARNING,
    "== 0 or < x alert that returns nothing when the series is absent",
    """sum(rate(x[5m])) == 0 is meant to fire when nothing happens, but when x has no series
    at all (a labelled counter before its first increment, a target that stopped exposing
    it) the sum is empty rather than 0 and the alert stays silent exactly when it matters.
    Write (sum(rate(x[5m])) or vector(0)) == 0, or add an absent(x) alert. Metrics without
    labels are exported at 0 from the start and are not reported; ratios below a threshold
    are not either (no traffic means no ratio).""",
)
def absent_blind(ctx: LintContext) -> Iterator[Finding]:
    for _, site, tree in ctx.alert_trees():
        for comparison in _top_comparisons(tree):
            side = _blind_side(comparison)
            if side is None or _absent_safe(side):
                continue
            yield absent_blind.finding(
                site,
                f"'{comparison.op}' returns nothing when {_absence(side)}, so the alert cannot "
                "fire then",
                "compare (... or vector(0)), or add an absent() alert",
            )


def _absence(side: Node) -> str:
    """When the compared side is empty: its series are absent (or count() counts none)."""
    flows = side.flows or tuple(n for n in side.walk() if isinstance(n, Selector))
    names = ", ".join(sorted({s.name or "?" for s in flows}))
    node = unwrap(side)
    if isinstance(node, Aggregation) and node.op == "count":
        counted = f"{names} series" if names else "series"
        return f"count() finds no {counted} to count (it returns no series, not 0)"
    return f"{names} has no series" if names else "the compared expression has no series"


def never_recorded(ctx: LintContext) -> frozenset[str]:
    """Recorded series that cannot exist: their rule reads only series that never do."""
    trees = [
        (site.owner.record, site.tree)
        for site in ctx.parsed_sites("recording")
        if isinstance(site.owner, RecordingRule) and site.tree is not None
    ]
    empty: set[str] = set()
    changed = True
    while changed:  # a recording may read another: repeat until nothing is added
        changed = False
        for name, tree in trees:
            if name not in empty and when_absent(tree, lambda s: _never_exists(s, empty)).empty:
                empty.add(name)
                changed = True
    return frozenset(empty)


def _never_exists(selector: Selector, recorded_empty: set[str] | frozenset[str]) -> bool:
    """A selector of a dormant metric, or of a recording that reads only dormant ones."""
    metric = selector.metric
    if metric is None:
        return False
    return metric.dormant or selector.name in recorded_empty


@check(
    "logic/dormant-absence",
    Severity.ERROR,
    "alert that fires for good because it reads a dormant metric through absence handling",
    """An alert written to fire when its series are absent (absent(x), absent_over_time(x[1h]),
    (sum(rate(x[5m])) or vector(0)) == 0, ... or on() vector(1)) fires permanently when x is
    dormant: SARK's code defines the metric but nothing records it, so the series never exists
    and the alert pages from the first evaluation until SARK records it. A recording whose
    inputs are all dormant counts as dormant too. An alert that always fires is noise that
    teaches people to ignore pages, so this is an error. Rebuild the intent on a metric SARK
    records (the catalog's notes say which), or drop the absence handling so that the alert
    stays quiet until the metric exists, and say so in the alert's module.""",
)
def dormant_absence(ctx: LintContext) -> Iterator[Finding]:
    empty = never_recorded(ctx)

    def never(selector: Selector) -> bool:
        return _never_exists(selector, empty)

    for _, site, tree in ctx.alert_trees():
        missing = [n for n in site.nodes if isinstance(n, Selector) and never(n)]
        if not missing or not when_absent(tree, never).some:
            continue
        if when_absent(tree, lambda s: False).some:
            continue  # fires whatever the series do (a Watchdog): not the dormant metric's doing
        yield dormant_absence.finding(
            site,
            f"{_never_present(missing)}, and the expression returns a value without them: "
            "the alert fires permanently",
            "base the alert on a metric SARK records, or drop the absence handling until it does",
        )


def _never_present(selectors: list[Selector]) -> str:
    """Which series never exist, and why: dormant metrics, or recordings of them only."""
    names = sorted({s.name or "?" for s in selectors})
    recorded = sorted({s.name or "?" for s in selectors if s.metric and not s.metric.dormant})
    why = []
    if len(recorded) < len(names):
        why.append("dormant: SARK defines the metric but nothing records it")
    if recorded:
        why.append(f"{', '.join(recorded)} recorded from dormant metrics only")
    verb = "has" if len(names) == 1 else "have"
    return f"{', '.join(names)} never {verb} series ({'; '.join(why)})"


def scrape_interval_ms(ctx: LintContext, metric: Metric) -> int:
    """How often a series gets a new sample: its jobs' scrape interval, or rule evaluation."""
    scrape = ctx.catalog.scrape
    jobs = ctx.catalog.jobs_of(metric)
    if jobs:
        return max(scrape.interval_ms(job.name) for job in jobs)
    return parse_ms(scrape.evaluation_interval)


@check(
    "logic/rate-range",
    Severity.WARNING,
    "rate range shorter than 4 scrape intervals",
    """rate(x[1m]) over a series scraped every 30s sees two samples at best; one missed
    scrape and the rate is empty, so panels flicker and alerts flap. Give rate, increase,
    delta and deriv a range of at least 4 scrape intervals of the series' job (irate and
    idelta: 2); recorded series count in rule evaluation intervals. In Grafana use
    $__rate_interval, which does this for you: a range written so is never reported.""",
)
def rate_range(ctx: LintContext) -> Iterator[Finding]:
    intervals: dict[str, int] = {}
    for site in ctx.parsed_sites():
        for selector, function in site.selector_functions:
            samples = RANGE_SAMPLES.get(function or "")
            metric = selector.metric
            if not samples or selector.range_ms is None or metric is None:
                continue
            if selector.range_is_rate_interval:
                continue  # Grafana makes it at least 4 scrape intervals
            if metric.name not in intervals:
                intervals[metric.name] = scrape_interval_ms(ctx, metric)
            interval = intervals[metric.name]
            if selector.range_ms < samples * interval:
                yield rate_range.finding(
                    site,
                    f"{function}({selector.text}) covers fewer than {samples} samples of "
                    f"{selector.name} (one every {format_ms(interval)})",
                    f"use [{format_ms(samples * interval)}] or more",
                )
