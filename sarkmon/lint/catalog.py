"""Checks against the catalog: every metric and label a query reads must be declared."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from sarkmon.diagnostics import Finding, Severity
from sarkmon.lint.registry import LintContext, check


@check(
    "catalog/unknown-metric",
    Severity.ERROR,
    "metric not declared in the catalog",
    """A selector names a series that no catalog metric exposes. Prometheus returns nothing
    for it, so the panel stays blank and the alert can never fire. Use the declared name (the
    hint names the closest one), or declare the metric: with status planned when SARK does
    not export it yet, external when another exporter does.""",
)
def unknown_metric(ctx: LintContext) -> Iterator[Finding]:
    for site in ctx.sites:
        for use in site.selectors:
            if use.name is None or use.name in ctx.catalog:
                continue
            suggestion = ctx.catalog.suggest(use.name)
            yield unknown_metric.finding(
                site,
                f"unknown metric {use.name!r}",
                f"did you mean {suggestion}?" if suggestion else "declare it in the catalog",
            )


@check(
    "catalog/unknown-label",
    Severity.ERROR,
    "label not declared for the metric",
    """A matcher names a label the metric does not have (neither declared nor added by
    scraping). An equality matcher on it matches nothing; a negative one matches everything,
    which is rarely meant. Use one of the metric's labels (the hint lists them).""",
)
def unknown_label(ctx: LintContext) -> Iterator[Finding]:
    for site in ctx.sites:
        for use in site.selectors:
            if use.name is None:
                continue
            known = ctx.catalog.series_labels(use.name)
            if known is None:
                continue
            for matcher in use.matchers:
                if matcher.label in known:
                    continue
                close = difflib.get_close_matches(matcher.label, sorted(known), n=1, cutoff=0.6)
                hint = (
                    f"did you mean {close[0]}?"
                    if close
                    else "its labels: " + ", ".join(sorted(known))
                )
                yield unknown_label.finding(
                    site, f"label {matcher.label!r} is not a label of {use.name}", hint
                )
