"""Checks against the catalog: every metric and label a query reads must be declared.

Labels are checked wherever a query names one: matchers, ``by``/``without``, ``on``/
``ignoring``, ``group_left``/``group_right`` and label_replace's source. Label flow says which
labels each sub-expression carries, so ``sum by (user) (rate(x[5m]))`` is an error when x has
no ``user`` label even though the selector itself is fine.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from sarkmon.analysis import ExprSite
from sarkmon.diagnostics import Finding, Severity
from sarkmon.lint.registry import LintContext, check
from sarkmon.promql.tree import Aggregation, Binary, Call, Card, LabelSet, Selector, String

# Functions that name source labels of their first argument, from this argument on.
_SOURCE_LABELS = {"label_replace": (3, 4), "label_join": (3, None), "sort_by_label": (1, None)}
_SOURCE_LABELS["sort_by_label_desc"] = (1, None)


@check(
    "catalog/unknown-metric",
    Severity.ERROR,
    "metric not declared in the catalog",
    """A selector names a series that no catalog metric exposes. Prometheus returns nothing
    for it, so the panel stays blank and the alert can never fire. Use the declared name (the
    hint names the closest one), or declare the metric: with status planned when SARK does
    not export it yet, external when another exporter does. A histogram's family name is not
    a series: read its _bucket, _sum or _count.""",
)
def unknown_metric(ctx: LintContext) -> Iterator[Finding]:
    for site in ctx.parsed_sites():
        reported: set[str] = set()
        for node in site.nodes:
            if not isinstance(node, Selector) or node.metric is not None:
                continue
            name = node.name
            if name is None or name in reported:
                continue
            reported.add(name)
            family = ctx.catalog.metric(name)
            if family is not None:
                series = ", ".join(sorted(family.samples()))
                hint = f"{name} is a {family.type.value} family; its series: {series}"
            else:
                suggestion = ctx.catalog.suggest(name)
                hint = f"did you mean {suggestion}?" if suggestion else "declare it in the catalog"
            yield unknown_metric.finding(site, f"unknown metric {name!r}", hint)


def _labels_hint(wanted: str, known: frozenset[str]) -> str:
    close = difflib.get_close_matches(wanted, sorted(known), n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]}?"
    return "its labels: " + (", ".join(sorted(known)) or "none")


@check(
    "catalog/unknown-label",
    Severity.ERROR,
    "label not declared for the metric",
    """A query names a label the series do not have (neither declared for the metric nor
    added by scraping): in a matcher, in by/without, in on/ignoring, in group_left/group_right
    or as label_replace's source. An equality matcher on it matches nothing; a negative one
    matches everything; grouping by it groups nothing. Use one of the labels the hint lists.""",
)
def unknown_label(ctx: LintContext) -> Iterator[Finding]:
    for site in ctx.parsed_sites():
        for node in site.nodes:
            if isinstance(node, Selector):
                yield from _selector_labels(site, node)
            elif isinstance(node, Aggregation) and node.grouped:
                clause = "without" if node.without else "by"
                for name in _missing(node.grouping, node.expr.labels):
                    yield unknown_label.finding(
                        site,
                        f"{node.op} {clause} ({name}): the aggregated series have no label "
                        f"{name!r}",
                        _labels_hint(name, node.expr.labels or frozenset()),
                    )
            elif isinstance(node, Binary) and node.between_vectors:
                yield from _binary_labels(site, node)
            elif isinstance(node, Call) and node.function in _SOURCE_LABELS:
                yield from _source_labels(site, node)


def _missing(names: tuple[str, ...], labels: LabelSet) -> list[str]:
    if labels is None:
        return []
    return [name for name in names if name not in labels]


def _selector_labels(site: ExprSite, node: Selector) -> Iterator[Finding]:
    if node.labels is None or node.name is None:
        return
    for matcher in node.matchers:
        if matcher.label in node.labels or matcher.label == "quantile":
            continue  # quantile on a non-summary has its own check (types/quantile-label)
        yield unknown_label.finding(
            site,
            f"label {matcher.label!r} is not a label of {node.name}",
            _labels_hint(matcher.label, node.labels),
        )


def _binary_labels(site: ExprSite, node: Binary) -> Iterator[Finding]:
    lhs, rhs = node.lhs.labels, node.rhs.labels
    if node.matching is not None and lhs is not None and rhs is not None:
        clause = "on" if node.on else "ignoring"
        for name in node.matching:
            if name not in lhs and name not in rhs:
                yield unknown_label.finding(
                    site,
                    f"{clause} ({name}): neither side of {node.op!r} has label {name!r}",
                    _labels_hint(name, lhs | rhs),
                )
    if node.include and node.card in (Card.MANY_TO_ONE, Card.ONE_TO_MANY):
        group, one = (
            ("group_left", node.rhs) if node.card is Card.MANY_TO_ONE else ("group_right", node.lhs)
        )
        for name in _missing(node.include, one.labels):
            yield unknown_label.finding(
                site,
                f"{group} ({name}): the side it copies labels from has no label {name!r}",
                _labels_hint(name, one.labels or frozenset()),
            )


def _source_labels(site: ExprSite, node: Call) -> Iterator[Finding]:
    start, stop = _SOURCE_LABELS[node.function]
    named = [a.value for a in node.args[start:stop] if isinstance(a, String) and a.value]
    source = node.args[0] if node.args else None
    if source is None:
        return
    for name in _missing(tuple(named), source.labels):
        yield unknown_label.finding(
            site,
            f"{node.function}: its argument has no label {name!r}",
            _labels_hint(name, source.labels or frozenset()),
        )
