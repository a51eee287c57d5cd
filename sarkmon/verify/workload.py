"""A realistic, deterministic workload for every scraped metric of the catalog, as OpenMetrics.

Each family gets one series per combination of its label values: a label's enum values, or
the literal values the project's queries match on (so ``event_type="tool_invoke"`` finds
data) plus one synthetic value; scrape jobs add ``job``, ``instance`` and their static
labels. Shapes follow the metric type: counters grow at a varying rate (errors, denials and
misses more slowly), gauges move around a level fitting their unit, histograms fill their
buckets from one smooth latency distribution with ``_count`` and ``_sum`` consistent,
summaries likewise; ``up`` and ``*_up`` are 1. Samples come every scrape interval of the
job exposing them. Everything is derived from names by CRC32, so runs are reproducible.
"""

from __future__ import annotations

import itertools
import math
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

from sarkmon.analysis import ExprSite
from sarkmon.model.catalog import Catalog
from sarkmon.model.metrics import (
    Counter,
    Histogram,
    Info,
    Metric,
    Op,
    StateSet,
    Status,
    Summary,
    le_text,
)

MAX_COMBINATIONS = 256  # beyond this, cover every value once instead of every combination
_QUIET_VALUES = {"error", "errors", "deny", "denied", "failure", "failed", "miss", "timeout"}
_QUIET_NAMES = ("error", "fail", "denied", "reject", "violation", "miss", "timeout")
_PERIOD_S = 1800.0  # one slow wave every half hour
SPARSE_STEP_S = 60


@dataclass(frozen=True)
class Workload:
    start: int  # seconds since the epoch, first sample
    end: int  # last sample
    families: int
    series: int
    samples: int


def literal_values(sites: Iterable[ExprSite], catalog: Catalog) -> dict[str, set[str]]:
    """label name -> values the queries match on, exactly or through a simple regex.

    Values are pooled by label name, as in SARK a tool, server or action is one thing
    whichever metric counts it: a dashboard variable listing the tools of one metric then
    finds its value in every panel it filters.
    """
    found: dict[str, set[str]] = {}
    for site in sites:
        for use in site.selectors:
            metric = catalog.metric(use.name) if use.name else None
            if metric is None:
                continue
            for matcher in use.matchers:
                label = metric.label(matcher.label)
                if label is None or label.values is not None or "$" in matcher.value:
                    continue
                if matcher.op is Op.EQ:
                    candidates = [matcher.value]
                elif matcher.op is Op.RE:
                    candidates = regex_examples(matcher.value)
                else:
                    continue
                found.setdefault(label.name, set()).update(c for c in candidates if c)
    return found


def regex_examples(pattern: str) -> list[str]:
    """Strings a simple regex matcher accepts: its alternatives, with wildcards filled in.

    ``5..`` gives ``500``, ``.*admin.*`` gives ``admin``, ``new_.+`` gives ``new_x``;
    patterns beyond that (classes, groups inside alternatives) give nothing.
    """
    try:
        compiled = re.compile(pattern)
    except re.error:
        return []
    inner = pattern[1:-1] if pattern.startswith("(") and pattern.endswith(")") else pattern
    out = []
    for part in inner.split("|"):
        text = part.replace("\\.", "\x00")  # an escaped dot is a dot: keep it aside
        for wildcard, example in ((".*", ""), (".+", "x"), (".?", ""), (".", "0")):
            text = text.replace(wildcard, example)
        text = text.replace("\x00", ".").replace("(", "").replace(")", "").strip("^$")
        if text and compiled.fullmatch(text):
            out.append(text)
    return out


def _seed(text: str) -> float:
    """A stable number in [0, 1) derived from a name."""
    return zlib.crc32(text.encode("utf-8")) / 2**32


def _label_text(labels: Mapping[str, str]) -> str:
    if not labels:
        return ""
    body = ",".join(
        f'{k}="' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
        for k, v in labels.items()
    )
    return "{" + body + "}"


def label_sets(
    metric: Metric, catalog: Catalog, literals: Mapping[str, set[str]]
) -> list[dict[str, str]]:
    """The label sets the workload exposes for one family (target labels included)."""
    names: list[str] = []
    choices: list[list[str]] = []
    for label in metric.label_specs:
        if label.values is not None:
            values = list(label.values)
        else:
            values = [*sorted(literals.get(label.name, ())), f"{label.name}-1"]
        names.append(label.name)
        choices.append(list(dict.fromkeys(values)))
    if math.prod(len(c) for c in choices) <= MAX_COMBINATIONS:
        combos = [dict(zip(names, combo, strict=True)) for combo in itertools.product(*choices)]
    else:  # every value at least once, each with the first value of the other labels
        combos = []
        for i, name in enumerate(names):
            for value in choices[i]:
                combos.append(
                    {n: (value if n == name else c[0]) for n, c in zip(names, choices, strict=True)}
                )
        combos = [dict(t) for t in dict.fromkeys(tuple(c.items()) for c in combos)]
    out: list[dict[str, str]] = []
    for job in catalog.jobs_of(metric) or [None]:
        targets = job.targets if job is not None and job.targets else ("",)
        for instance in targets:
            target = {} if job is None else {"job": job.name, "instance": instance, **job.labels}
            out.extend({**combo, **target} for combo in combos)
    return out


def _is_quiet(metric: Metric, labels: Mapping[str, str]) -> bool:
    """Errors, denials, misses: series that grow slowly in a healthy system."""
    return any(part in metric.name for part in _QUIET_NAMES) or bool(
        _QUIET_VALUES & set(labels.values())
    )


def _counter_value(rate: float, phase: float, t: float, start: float) -> float:
    """A counter growing at ``rate * (1 + sin/2)`` per second since an hour before start."""
    w = 2 * math.pi / _PERIOD_S
    elapsed = t - start + 3600
    wave = (math.cos(phase) - math.cos(w * elapsed + phase)) / (2 * w)
    return math.floor(rate * (elapsed + wave))


def _gauge_level(metric: Metric) -> float:
    name, unit = metric.name, metric.unit
    if name == "up" or name.endswith("_up"):
        return 1.0
    if unit == "bytes" or name.endswith("_bytes"):
        return 2.0**27
    if unit == "seconds" or name.endswith("_seconds"):
        return 0.25
    if unit == "percent" or name.endswith(("_percent", "_percentage")):
        return 60.0
    if unit == "ratio" or name.endswith("_ratio"):
        return 0.6
    return 10 + 90 * _seed(name)


def family_lines(
    metric: Metric,
    sets: Sequence[dict[str, str]],
    times: Mapping[str, Sequence[int]],
    start: int,
) -> Iterator[str]:
    """The TYPE line and every timestamped sample of one family."""
    yield f"# TYPE {metric.name} {metric.type.value}"
    for labels in sets:
        ts = times[labels.get("job", "")]
        key = metric.name + _label_text(labels)
        seed = _seed(key)
        phase = 2 * math.pi * seed
        rate = (0.5 + 19.5 * seed) * (0.05 if _is_quiet(metric, labels) else 1.0)
        text = _label_text(labels)
        created = f"{start - 3600}"
        if isinstance(metric, Counter):
            for t in ts:
                yield f"{metric.name}_total{text} {_counter_value(rate, phase, t, start)} {t}"
                if metric.created:
                    yield f"{metric.name}_created{text} {created} {t}"
        elif isinstance(metric, Histogram | Summary):
            yield from _distribution_lines(metric, labels, ts, start, rate, phase)
        elif isinstance(metric, Info):
            yield from (f"{metric.name}_info{text} 1 {t}" for t in ts)
        elif isinstance(metric, StateSet):
            for i, state in enumerate(metric.states or ("unknown",)):
                state_text = _label_text({**labels, metric.name: state})
                yield from (f"{metric.name}{state_text} {int(i == 0)} {t}" for t in ts)
        else:
            level = _gauge_level(metric)
            steady = level == 1.0 or metric.name.endswith(("_timestamp_seconds", "_time_seconds"))
            for t in ts:
                value = (
                    level
                    if steady
                    else level * (1 + 0.2 * math.sin(2 * math.pi * t / _PERIOD_S + phase))
                )
                yield f"{metric.name}{text} {_number(value)} {t}"


def _distribution_lines(
    metric: Histogram | Summary,
    labels: dict[str, str],
    ts: Sequence[int],
    start: int,
    rate: float,
    phase: float,
) -> Iterator[str]:
    """Observations of one smooth log-normal latency, consistent across every series."""
    text = _label_text(labels)
    bounds = [b for b in getattr(metric, "buckets", ()) if math.isfinite(b)]
    median = bounds[len(bounds) // 3] if bounds else 0.1
    sigma = 1.0
    mean = median * math.exp(sigma**2 / 2)
    shares = [
        0.5 * (1 + math.erf(math.log(b / median) / (sigma * math.sqrt(2)))) if b > 0 else 0.0
        for b in bounds
    ]
    for t in ts:
        count = _counter_value(rate, phase, t, start)
        if isinstance(metric, Histogram):
            for bound, share in zip(bounds, shares, strict=True):
                bucket = _label_text({**labels, "le": le_text(bound)})
                yield f"{metric.name}_bucket{bucket} {math.floor(count * share)} {t}"
            yield f"{metric.name}_bucket{_label_text({**labels, 'le': '+Inf'})} {count} {t}"
        else:
            for q in metric.quantiles:
                value = median * math.exp(sigma * math.sqrt(2) * _erfinv(2 * q - 1))
                quantile = _label_text({**labels, "quantile": _number(q)})
                yield f"{metric.name}{quantile} {_number(value)} {t}"
        yield f"{metric.name}_count{text} {count} {t}"
        yield f"{metric.name}_sum{text} {_number(count * mean)} {t}"
        if metric.created:
            yield f"{metric.name}_created{text} {start - 3600} {t}"


def _erfinv(y: float) -> float:
    """Inverse error function by bisection (summary quantiles only; a few per family)."""
    lo, hi = -6.0, 6.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if math.erf(mid) < y else (lo, mid)
    return (lo + hi) / 2


def _number(value: float) -> str:
    return format(value, ".10g")


def synthesized(metric: Metric) -> bool:
    """Families the workload exposes: scraped ones; Prometheus makes the rest itself."""
    return metric.scraped and metric.status is not Status.RECORDED


def sample_times(
    catalog: Catalog, start: int, end: int, dense_from: int | None = None
) -> dict[str, list[int]]:
    """Scrape timestamps per job (key "" for families without a job), aligned on the step.

    Before ``dense_from`` (old history that only offsets reach) one sample a minute is enough.
    """
    dense_from = start if dense_from is None else max(start, dense_from)
    sparse = list(range(start + (-start) % SPARSE_STEP_S, dense_from, SPARSE_STEP_S))
    out = {}
    for job in ["", *(j.name for j in catalog.scrape.jobs)]:
        step = max(1, catalog.scrape.interval_ms(job) // 1000)
        first = dense_from + (-dense_from) % step
        out[job] = sparse + list(range(first, end + 1, step))
    return out


def write_openmetrics(
    out: TextIO,
    catalog: Catalog,
    sites: Iterable[ExprSite],
    start: int,
    end: int,
    dense_from: int | None = None,
) -> Workload:
    """Write the workload for [start, end] to ``out``; returns what was written."""
    literals = literal_values(sites, catalog)
    times = sample_times(catalog, start, end, dense_from)
    families = samples = 0
    series: set[str] = set()
    for metric in catalog:
        if not synthesized(metric):
            continue
        families += 1
        sets = label_sets(metric, catalog, literals)
        for line in family_lines(metric, sets, times, start):
            out.write(line)
            out.write("\n")
            if not line.startswith("#"):
                samples += 1
                series.add(line.rsplit(" ", 2)[0])
    out.write("# EOF\n")
    return Workload(start, end, families, len(series), samples)
