"""Type checks: each function gets the kind of series it is meant for.

The catalog says whether a series is a counter, a gauge, a histogram's buckets or a
summary's quantiles, so these checks need no guessing from name suffixes.
"""

from __future__ import annotations

from collections.abc import Iterator

from sarkmon.analysis import ExprSite
from sarkmon.diagnostics import Finding, Severity
from sarkmon.lint.registry import LintContext, check
from sarkmon.model.metrics import MetricType, Sample, Status
from sarkmon.promql.convert import CUMULATIVE
from sarkmon.promql.functions import COUNTER_FUNCTIONS, GAUGE_FUNCTIONS
from sarkmon.promql.tree import Binary, Call, Selector


def _kind(node: Selector) -> str:
    assert node.metric is not None
    if node.sample is Sample.VALUE or node.sample is None:
        return node.metric.type.value
    return f"{node.metric.type.value} {node.sample.value.lstrip('_')}"


@check(
    "types/rate-non-counter",
    Severity.ERROR,
    "rate, irate, increase or resets on something that is not a counter",
    """rate() and friends assume a value that only goes up and treat every drop as a counter
    reset, so on a gauge (or a recorded rate) they produce nonsense. Use them on counters and
    on histogram or summary _bucket, _count and _sum series; for a gauge use deriv() for a
    per-second trend or delta() for the change over the range.""",
)
def rate_non_counter(ctx: LintContext) -> Iterator[Finding]:
    for site in ctx.parsed_sites():
        for node in site.nodes:
            if not isinstance(node, Call) or node.function not in COUNTER_FUNCTIONS:
                continue
            arg = node.series_arg
            for selector in arg.flows if arg is not None else ():
                if selector.metric is None or selector.sample in CUMULATIVE:
                    continue
                yield rate_non_counter.finding(
                    site,
                    f"{node.function}() on {selector.name}, a {_kind(selector)}, not a counter",
                    "use deriv() or delta() for a gauge",
                )


@check(
    "types/raw-counter",
    Severity.WARNING,
    "counter shown or compared raw",
    """A counter's value is the total since the process started: it only grows, and it
    drops to zero when the process restarts, so showing it or comparing it with a threshold
    says little. Histogram buckets, _count and _sum are counters too. Use rate(x[5m]) for a
    per-second rate or increase(x[1h]) for a count over a period. Checked on alerts and
    panels; a recording rule may record raw counters (named _total, see
    naming/counter-total).""",
)
def raw_counter(ctx: LintContext) -> Iterator[Finding]:
    for site in ctx.parsed_sites("alert", "panel"):
        seen: set[str] = set()
        for selector in site.tree.raw if site.tree is not None else ():
            if selector.name is None or selector.name in seen:
                continue
            seen.add(selector.name)
            yield raw_counter.finding(
                site,
                f"{selector.name} is a {_kind(selector)} used raw",
                f"use rate({selector.name}[5m]) or increase({selector.name}[1h])",
            )


@check(
    "types/deriv-on-counter",
    Severity.ERROR,
    "deriv, delta or predict_linear on a counter",
    """deriv(), delta(), idelta() and predict_linear() are for gauges: they do not handle
    counter resets, so a restart shows as a huge negative slope. Use rate() or increase()
    on a counter.""",
)
def deriv_on_counter(ctx: LintContext) -> Iterator[Finding]:
    for site in ctx.parsed_sites():
        for node in site.nodes:
            if not isinstance(node, Call) or node.function not in GAUGE_FUNCTIONS:
                continue
            arg = node.series_arg
            for selector in arg.raw if arg is not None else ():
                yield deriv_on_counter.finding(
                    site,
                    f"{node.function}() on {selector.name}, a {_kind(selector)}",
                    "use rate() or increase() on counters",
                )


@check(
    "types/histogram-quantile",
    Severity.ERROR,
    "histogram_quantile over something that is not histogram buckets with le",
    """histogram_quantile(φ, b) reads the cumulative buckets of a classic histogram: series
    named _bucket that keep their le label. Over any other series it returns nothing or
    garbage; when an aggregation drops le (sum without le, sum by (route)) every bucket
    collapses into one and the quantile is NaN. Aggregate with sum by (le, ...) over
    rate(x_bucket[5m]).""",
)
def histogram_quantile(ctx: LintContext) -> Iterator[Finding]:
    for site in ctx.parsed_sites():
        for node in site.nodes:
            if isinstance(node, Call) and node.function == "histogram_quantile":
                yield from _quantile_problems(site, node)


def _quantile_problems(site: ExprSite, node: Call) -> Iterator[Finding]:
    arg = node.args[1] if len(node.args) > 1 else None
    if arg is None:
        return
    for selector in arg.flows:
        metric = selector.metric
        if metric is None or selector.sample is Sample.BUCKET:
            continue
        if metric.status is Status.RECORDED and "le" in (selector.labels or ()):
            continue  # a recording of bucket rates
        yield histogram_quantile.finding(
            site,
            f"histogram_quantile over {selector.name}, a {_kind(selector)}, not buckets",
            f"use {metric.name}_bucket"
            if metric.type is MetricType.HISTOGRAM
            else "only histograms have buckets",
        )
    had_le = any(s.sample is Sample.BUCKET for s in arg.flows)
    if had_le and arg.labels is not None and "le" not in arg.labels:
        yield histogram_quantile.finding(
            site,
            "histogram_quantile's argument has lost the le label",
            "keep le when aggregating: sum by (le) (rate(x_bucket[5m]))",
        )


@check(
    "types/sum-count",
    Severity.ERROR,
    "_sum divided by the _count of another family or over another range",
    """The average of a histogram or summary is rate(x_sum[5m]) / rate(x_count[5m]): the
    same family, the same range, the same matchers. Dividing one family's _sum by another's
    _count, or over different ranges, gives a number that means nothing.""",
)
def sum_count(ctx: LintContext) -> Iterator[Finding]:
    for site in ctx.parsed_sites():
        for node in site.nodes:
            if not isinstance(node, Binary) or node.op != "/" or not node.between_vectors:
                continue
            sums = [s for s in node.lhs.flows if s.sample is Sample.SUM]
            counts = [s for s in node.rhs.flows if s.sample is Sample.COUNT]
            if len(sums) != 1 or len(counts) != 1:
                continue
            total, count = sums[0], counts[0]
            assert total.metric is not None and count.metric is not None
            if total.metric is not count.metric:
                yield sum_count.finding(
                    site,
                    f"divides {total.name} by {count.name}, the count of another family",
                    f"use {total.metric.name}_count",
                )
            elif total.range_ms != count.range_ms:
                yield sum_count.finding(
                    site,
                    f"{total.text} and {count.text} are read over different ranges",
                    "use the same range on both",
                )


@check(
    "types/quantile-label",
    Severity.ERROR,
    "quantile label on a series that is not a summary quantile",
    """Only summaries with quantiles expose a quantile label. A histogram has none: its
    quantiles are computed with histogram_quantile(0.95, sum by (le) (rate(x_bucket[5m]))).
    prometheus_client summaries expose no quantiles at all, only _sum and _count.""",
)
def quantile_label(ctx: LintContext) -> Iterator[Finding]:
    for site in ctx.parsed_sites():
        for node in site.nodes:
            if not isinstance(node, Selector) or node.metric is None or node.labels is None:
                continue
            if not node.matched("quantile") or "quantile" in node.labels:
                continue
            metric = node.metric
            hint = (
                f"histogram_quantile(0.95, sum by (le) (rate({metric.name}_bucket[5m])))"
                if metric.type is MetricType.HISTOGRAM
                else "this summary exposes only _sum and _count"
                if metric.type is MetricType.SUMMARY
                else "only summaries have quantiles"
            )
            yield quantile_label.finding(
                site, f"{node.name} has no quantile label ({_kind(node)})", hint
            )
