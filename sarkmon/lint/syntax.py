"""Checks that an expression is PromQL at all."""

from __future__ import annotations

from collections.abc import Iterator

from sarkmon.diagnostics import Finding, Severity
from sarkmon.lint.registry import LintContext, check


@check(
    "promql/syntax",
    Severity.ERROR,
    "expression does not parse",
    """Every expression is parsed with promql-parser after Grafana variables are replaced.
    One that does not parse is rejected by Prometheus (a rule file fails to load) or shows an
    error in its panel. Fix the expression; the message gives the parser's reason.""",
)
def syntax(ctx: LintContext) -> Iterator[Finding]:
    for site in ctx.sites:
        if not site.parsed.ok:
            yield syntax.finding(
                site, f"does not parse: {site.parsed.error}", f"query: {site.parsed.query}"
            )
