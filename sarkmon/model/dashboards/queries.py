"""Panel queries (PromQL and LogQL) and the few builders dashboards use most.

Builders return plain PromQL text, so a query can always be written by hand instead; their
range defaults to ``$__rate_interval``, which Grafana sizes to the scrape interval and the
panel's resolution (a fixed ``[5m]`` is too coarse zoomed in and too fine zoomed out).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sarkmon.diagnostics import report
from sarkmon.model.expressions import PromQL, promql_text
from sarkmon.model.metrics import Histogram, Selector
from sarkmon.source import Location, caller_location

RATE_INTERVAL = "$__rate_interval"  # the range of rate(), irate(), increase() over a panel
RANGE = "$__range"  # the whole dashboard time range ("in the last 6 hours")

FORMATS = ("time_series", "table", "heatmap")


@dataclass(frozen=True)
class Query:
    """A PromQL query of a panel. ``exemplars=None`` lets the compiler decide (latency)."""

    expr: PromQL
    legend: str = ""
    instant: bool | None = None  # None -> the panel type's habit (tables: instant)
    ref_id: str = ""  # "" -> A, B, C... by position in the panel
    format: str = ""  # "" -> the panel type's habit (tables: table, heatmaps: heatmap)
    interval: str = ""  # minimum step, e.g. "1m"
    exemplars: bool | None = None
    hide: bool = False
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    datasource_type = "prometheus"

    def __post_init__(self) -> None:
        object.__setattr__(self, "expr", promql_text(self.expr))
        if not self.expr:
            report("definition/expr", "query", "empty expression", self.location)
        if self.format and self.format not in FORMATS:
            report(
                "definition/query-format",
                f"query {self.expr!r}",
                f"unknown format {self.format!r}",
                self.location,
                "use " + ", ".join(FORMATS),
            )


@dataclass(frozen=True)
class LogQuery:
    """A LogQL query, read from the Loki datasource (dropped when Loki is switched off)."""

    expr: str
    legend: str = ""
    instant: bool | None = None
    ref_id: str = ""
    max_lines: int = 0  # 0: the datasource's limit
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    datasource_type = "loki"
    hide = False
    exemplars: bool | None = False
    format = ""
    interval = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "expr", promql_text(self.expr))
        if not self.expr:
            report("definition/expr", "log query", "empty expression", self.location)


AnyQuery = Query | LogQuery


def as_query(value: AnyQuery | PromQL) -> AnyQuery:
    """A query as given, or a PromQL string/selector wrapped in a Query."""
    if isinstance(value, Query | LogQuery):
        return value
    return Query(value)


# -- builders ---------------------------------------------------------------------------------
def rate(selector: PromQL, window: str = RATE_INTERVAL) -> str:
    return f"rate({selector}[{window}])"


def increase(selector: PromQL, window: str = RANGE) -> str:
    return f"increase({selector}[{window}])"


def sum_by(expr: PromQL, *labels: str) -> str:
    """``sum by (labels) (expr)``: one series per label combination, or one in all."""
    return f"sum by ({', '.join(labels)}) ({expr})" if labels else f"sum({expr})"


def sum_rate(selector: PromQL, *labels: str, window: str = RATE_INTERVAL) -> str:
    return sum_by(rate(selector, window), *labels)


def sum_increase(selector: PromQL, *labels: str, window: str = RANGE) -> str:
    return sum_by(increase(selector, window), *labels)


def quantile(
    q: float,
    histogram: Histogram | Selector,
    *labels: str,
    window: str = RATE_INTERVAL,
    **matchers: object,
) -> str:
    """``histogram_quantile`` over a histogram's buckets, aggregated ``by (le, labels)``."""
    buckets = histogram.bucket if isinstance(histogram, Histogram) else histogram
    if matchers:
        buckets = buckets(**matchers)  # type: ignore[arg-type]
    return f"histogram_quantile({q:g}, {sum_rate(buckets, 'le', *labels, window=window)})"


def mean(
    histogram: Histogram, *labels: str, window: str = RATE_INTERVAL, **matchers: object
) -> str:
    """Average observation: rate of the sum over rate of the count, per ``labels``."""
    total = histogram.sum(**matchers) if matchers else histogram.sum  # type: ignore[arg-type]
    count = histogram.count(**matchers) if matchers else histogram.count  # type: ignore[arg-type]
    return f"{sum_rate(total, *labels, window=window)} / {sum_rate(count, *labels, window=window)}"
