"""Catalog hygiene: Prometheus naming conventions for the metrics SARK defines or plans.

Checked on emitted and planned metrics when linting the definitions (external ones are
named by their exporters). A metric SARK's code already defines can only be renamed in
SARK; silence the check on it with the reason (``silence={"naming/help": "..."}``) so the
report keeps only what can still be changed. The model already rejects invalid names and
labels (definition/metric-name, definition/label-name).
"""

from __future__ import annotations

from collections.abc import Iterator

from sarkmon.analysis import records_counter
from sarkmon.diagnostics import Finding, Severity
from sarkmon.lint.registry import LintContext, check
from sarkmon.lint.usage import metric_object
from sarkmon.model.metrics import Metric, MetricType, Status

# Label names that take one value per user, request or address.
UNBOUNDED_NAMES = frozenset(
    {
        "user",
        "user_id",
        "username",
        "email",
        "request_id",
        "session_id",
        "trace_id",
        "span_id",
        "ip",
        "ip_address",
        "client_ip",
        "token",
        "uuid",
        "url",
    }
)
# Name parts in a unit other than the base unit, and the base unit to use.
NON_BASE_UNITS = {
    "milliseconds": "seconds",
    "ms": "seconds",
    "microseconds": "seconds",
    "us": "seconds",
    "nanoseconds": "seconds",
    "ns": "seconds",
    "minutes": "seconds",
    "hours": "seconds",
    "days": "seconds",
    "kilobytes": "bytes",
    "kb": "bytes",
    "megabytes": "bytes",
    "mb": "bytes",
    "gigabytes": "bytes",
    "gb": "bytes",
    "percent": "ratio",
    "percentage": "ratio",
}
BASE_UNITS = ("seconds", "bytes", "ratio")
RESERVED_SUFFIXES = {
    "_total": MetricType.COUNTER,
    "_bucket": MetricType.HISTOGRAM,
    "_info": MetricType.INFO,
}
COUNT_SUFFIXES = ("_count", "_sum", "_created")


def _ours(ctx: LintContext) -> Iterator[Metric]:
    """The catalog's emitted and planned metrics, when linting the definitions."""
    if ctx.project is None:
        return
    for metric in ctx.catalog:
        if metric.status in (Status.EMITTED, Status.PLANNED):
            yield metric


def _words(metric: Metric) -> list[str]:
    return metric.name.split("_")


@check(
    "naming/help",
    Severity.WARNING,
    "metric without help text",
    """The help text is what /metrics, Grafana's metric browser and the generated catalog
    show about a metric. Without it (or when it repeats the name) nobody can tell what is
    counted and in what unit. Say what one increment or one value means.""",
)
def help_text(ctx: LintContext) -> Iterator[Finding]:
    for metric in _ours(ctx):
        if not metric.help.strip() or metric.help.strip() == metric.name:
            yield help_text.about(metric, metric_object(metric), metric.location, "no help text")


@check(
    "naming/unbounded-label",
    Severity.WARNING,
    "label with one value per user, request or address",
    """A label such as user, request_id or ip_address creates one series per value: the
    number of series grows with the number of users and each one costs memory in SARK and
    in Prometheus for as long as it is retained. Count per user in logs or traces; keep
    labels to small, known sets (decision, status, route).""",
)
def unbounded_label(ctx: LintContext) -> Iterator[Finding]:
    for metric in _ours(ctx):
        for label in metric.label_specs:
            if label.unbounded or label.name in UNBOUNDED_NAMES:
                yield unbounded_label.about(
                    metric,
                    metric_object(metric),
                    metric.location,
                    f"label {label.name!r} has one value per {label.name}: series grow "
                    "without bound",
                    "drop the label, or bucket it into a small set of values",
                )


@check(
    "naming/base-unit",
    Severity.WARNING,
    "metric named in a unit other than the base unit",
    """Prometheus metrics use base units: seconds (not milliseconds), bytes (not megabytes),
    ratios from 0 to 1 (not percent). Mixed units force every query to convert and every
    panel to guess. Name the metric _seconds, _bytes or _ratio and record values in that
    unit.""",
)
def base_unit(ctx: LintContext) -> Iterator[Finding]:
    for metric in _ours(ctx):
        for word in _words(metric):
            if word in NON_BASE_UNITS:
                yield base_unit.about(
                    metric,
                    metric_object(metric),
                    metric.location,
                    f"named in {word}, not in {NON_BASE_UNITS[word]}",
                    f"record {NON_BASE_UNITS[word]} and name it so",
                )
                break


@check(
    "naming/unit-suffix",
    Severity.WARNING,
    "declared unit and name suffix disagree",
    """A metric in seconds ends in _seconds (_seconds_total for a counter), one in bytes in
    _bytes: readers of a query know the unit without opening the catalog. The catalog's
    unit field is what sarkmon reads to check panel units and humanize functions, so a
    name that says seconds with no declared unit loses those checks. Make them agree.""",
)
def unit_suffix(ctx: LintContext) -> Iterator[Finding]:
    for metric in _ours(ctx):
        words = _words(metric)
        named = [u for u in BASE_UNITS if u in words]
        if metric.unit in BASE_UNITS and metric.unit not in named:
            message = f"declared in {metric.unit} but the name does not say so"
            hint = f"end the name in _{metric.unit}"
        elif named and not metric.unit:
            message = f"named in {named[0]} but no unit is declared"
            hint = f"declare unit={named[0]!r}"
        else:
            continue
        yield unit_suffix.about(metric, metric_object(metric), metric.location, message, hint)


@check(
    "naming/reserved-suffix",
    Severity.WARNING,
    "suffix reserved for another metric type",
    """_total marks counters, _bucket histograms, _info info metrics, and _count, _sum and
    _created are the series histograms and summaries add. A gauge named x_total is taken
    for a counter (rate() is applied to it); a gauge named x_count clashes with a summary
    x. Name gauges for what they measure (x_in_flight, x_size_bytes); declare counters as
    Counter, which exposes the _total series.""",
)
def reserved_suffix(ctx: LintContext) -> Iterator[Finding]:
    for metric in _ours(ctx):
        problem = _suffix_problem(metric)
        if problem:
            yield reserved_suffix.about(metric, metric_object(metric), metric.location, problem)


def _suffix_problem(metric: Metric) -> str:
    if metric.type is MetricType.COUNTER and metric.name.endswith("_total"):
        return f"the counter's family name {metric.name!r} already ends in _total"
    for series in metric.samples():
        for suffix, owner in RESERVED_SUFFIXES.items():
            if series.endswith(suffix) and metric.type is not owner:
                return f"{series} ends in {suffix}, which marks {owner.value} metrics"
    if metric.name.endswith(COUNT_SUFFIXES) and metric.type not in (
        MetricType.HISTOGRAM,
        MetricType.SUMMARY,
    ):
        return f"{metric.name} ends like a histogram or summary series"
    return ""


@check(
    "naming/reserved-label",
    Severity.WARNING,
    "label name reserved for another metric type or for scraping",
    """le belongs to histogram buckets and quantile to summary quantiles: on another metric
    they confuse histogram_quantile and every reader. job and instance are set by scraping;
    a metric's own job label is renamed exported_job and the query that reads it breaks.""",
)
def reserved_label(ctx: LintContext) -> Iterator[Finding]:
    reserved = {
        "le": MetricType.HISTOGRAM,
        "quantile": MetricType.SUMMARY,
        "job": None,
        "instance": None,
    }
    for metric in _ours(ctx):
        for name in metric.label_names:
            if name in reserved and reserved[name] is not metric.type:
                owner = reserved[name]
                why = f"reserved for {owner.value} series" if owner else "set by scraping"
                yield reserved_label.about(
                    metric, metric_object(metric), metric.location, f"label {name!r} is {why}"
                )


@check(
    "naming/counter-total",
    Severity.WARNING,
    "recording of raw counter values not named _total",
    """A recording rule that records counter values (a sum of counters, before any rate) is
    a counter: rate() and increase() are what its users will apply, and tools recognise
    counters by the _total suffix. sarkmon registers a recording named _total as a counter,
    any other as a gauge (and then reports rate() on it). Name it level:metric:op_total.""",
)
def counter_total(ctx: LintContext) -> Iterator[Finding]:
    for site in ctx.parsed_sites("recording"):
        record = str(getattr(site.owner, "record", ""))
        if site.tree is not None and records_counter(site.tree) and not record.endswith("_total"):
            yield counter_total.finding(
                site,
                f"records raw counter values but its name {record!r} does not end in _total",
                f"name it {record}_total",
            )
