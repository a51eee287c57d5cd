"""Checks of label values: the enum values the catalog declares and what scraping can give.

A matcher whose value no series can carry selects nothing (or, negated, everything): a typo
in ``decision="denied"``, ``le="1"`` for a bucket written ``1.0``, or ``job="sark"`` when the
scrape job is called ``sark-api``. Values holding Grafana variables are not judged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from sarkmon.analysis import ExprSite
from sarkmon.diagnostics import Finding, Severity
from sarkmon.lint.registry import Check, LintContext, check
from sarkmon.model.catalog import Catalog
from sarkmon.model.metrics import Histogram, Matcher, Op, Sample, StateSet, Summary
from sarkmon.promql.tree import Selector


def _templated(value: str) -> bool:
    return "$" in value or "[[" in value


def _selecting(matcher: Matcher, values: Iterable[str]) -> list[str] | None:
    """The known values the matcher keeps; None when its regex cannot be read."""
    if matcher.op in (Op.EQ, Op.NE):
        hits = [v for v in values if v == matcher.value]
    else:
        try:
            pattern = re.compile(matcher.value)
        except re.error:
            return None
        hits = [v for v in values if pattern.fullmatch(v)]
    return hits


def _judge(
    the_check: Check, site: ExprSite, matcher: Matcher, values: tuple[str, ...], what: str
) -> Iterator[Finding]:
    if _templated(matcher.value) or not values:
        return
    hits = _selecting(matcher, values)
    if hits is None or hits:
        return
    negative = matcher.op in (Op.NE, Op.NRE)
    effect = "excludes nothing" if negative else "selects nothing"
    kind = "regex" if matcher.op in (Op.RE, Op.NRE) else "value"
    yield the_check.finding(
        site,
        f"{matcher}: {kind} {matcher.value!r} matches no {what}, so it {effect}",
        "known values: " + ", ".join(values),
    )


def declared_values(node: Selector, label: str) -> tuple[str, ...] | None:
    """The values a label of this series can take, when the catalog lists them."""
    metric = node.metric
    if metric is None:
        return None
    spec = metric.label(label)
    if spec is not None:
        return spec.values
    if label == "le" and isinstance(metric, Histogram) and node.sample is Sample.BUCKET:
        return metric.le_values()
    if isinstance(metric, StateSet) and label == metric.name:
        return tuple(metric.states)
    if isinstance(metric, Summary) and label == "quantile" and metric.quantiles:
        return tuple(repr(float(q)) for q in metric.quantiles)
    return None


@check(
    "catalog/label-value",
    Severity.ERROR,
    "label value outside the values the catalog declares",
    """The catalog lists the values of an enum label (decision: allow, deny) and of the le
    label of histogram buckets. A matcher whose value or regex matches none of them selects
    no series (or, negated, excludes none). Use a declared value; if the code really emits
    another one, add it to the label's values in the catalog.""",
)
def label_value(ctx: LintContext) -> Iterator[Finding]:
    for site in ctx.parsed_sites():
        for node in site.nodes:
            if not isinstance(node, Selector) or node.metric is None:
                continue
            for matcher in node.matchers:
                values = declared_values(node, matcher.label)
                if values is not None:
                    what = f"value of {matcher.label!r} for {node.name}"
                    yield from _judge(label_value, site, matcher, values, what)


def scrape_values(catalog: Catalog, node: Selector) -> dict[str, frozenset[str]]:
    """The values scraping gives each target label of a series (any job for recordings)."""
    assert node.metric is not None
    if node.metric.scraped:
        return catalog.target_labels(node.metric)
    out: dict[str, set[str]] = {}
    for job in catalog.scrape.jobs:
        out.setdefault("job", set()).add(job.name)
        out.setdefault("instance", set()).update(job.targets)
        for key, value in job.labels.items():
            out.setdefault(key, set()).add(value)
    return {k: frozenset(v) for k, v in out.items()}


@check(
    "catalog/target-label-value",
    Severity.ERROR,
    "job or other target label value that no scrape target has",
    """Scraping adds job, instance and the job's static labels (tier, service) to every
    series; the catalog knows the scrape jobs and which expose each metric. A matcher such
    as job="sark-gateway" when the job is sark-api, or tier="free" when tier is a target
    label whose only value is application, selects nothing. Use a value the hint lists, or
    add the scrape job to the catalog's Scrape settings.""",
)
def target_label_value(ctx: LintContext) -> Iterator[Finding]:
    for site in ctx.parsed_sites():
        for node in site.nodes:
            if not isinstance(node, Selector) or node.metric is None:
                continue
            given: dict[str, frozenset[str]] | None = None
            for matcher in node.matchers:
                if node.metric.label(matcher.label) is not None:
                    continue  # a label of the metric itself, not of its target
                if given is None:
                    given = scrape_values(ctx.catalog, node)
                values = tuple(sorted(given.get(matcher.label, ())))
                what = f"{matcher.label} of the scrape targets exposing {node.name}"
                yield from _judge(target_label_value, site, matcher, values, what)
