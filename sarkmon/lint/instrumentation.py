"""Checks that the instrumentation module can define every emitted and planned metric."""

from __future__ import annotations

from collections.abc import Iterator

from sarkmon.compile.instrumentation import constant_name, instrumented
from sarkmon.diagnostics import Finding, Severity
from sarkmon.lint.registry import LintContext, check
from sarkmon.model.metrics import Counter, Histogram, Metric, StateSet, Summary


def _what(metric: Metric) -> str:
    return f"{metric.type.value} {metric.name!r}"


@check(
    "instrumentation/unsupported",
    Severity.ERROR,
    "catalog metric that prometheus_client cannot define as declared",
    """The instrumentation module defines every emitted and planned metric with
    prometheus_client, which cannot honour some declarations: summaries expose no quantiles,
    counters, histograms and summaries always expose a ``_created`` series, and an enum
    needs its states. The module would expose other series than the catalog declares; fix
    the declaration (a histogram instead of quantiles, ``created=True``, the states).""",
)
def unsupported(ctx: LintContext) -> Iterator[Finding]:
    for metric in instrumented(ctx.catalog):
        problem = ""
        if isinstance(metric, Summary) and metric.quantiles:
            problem = "prometheus_client summaries expose no quantiles"
        elif isinstance(metric, Counter | Histogram | Summary) and not metric.created:
            problem = "prometheus_client always exposes a _created series for this type"
        elif isinstance(metric, StateSet) and not metric.states:
            problem = "an enum needs its states"
        if problem:
            yield unsupported.about(metric, _what(metric), metric.location, problem)


@check(
    "instrumentation/name-clash",
    Severity.ERROR,
    "two metrics would share one Python name in the instrumentation module",
    """Each emitted or planned family becomes a constant named after it in upper case
    (``sark_gateway_requests`` -> ``SARK_GATEWAY_REQUESTS``). Two names that differ only by
    case or punctuation would define the same constant; rename one.""",
)
def name_clash(ctx: LintContext) -> Iterator[Finding]:
    seen: dict[str, Metric] = {}
    for metric in sorted(instrumented(ctx.catalog), key=lambda m: m.family):
        first = seen.setdefault(constant_name(metric.family), metric)
        if first is not metric:
            yield name_clash.about(
                metric,
                _what(metric),
                metric.location,
                f"defines {constant_name(metric.family)}, as {first.name!r} does",
            )
