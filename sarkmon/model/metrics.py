"""The metric model: what a metric is, which series it exposes, which labels they carry.

Definitions construct metrics the way prometheus_client does (``Counter("x_total", ...)``);
the objects stringify to their main series and can be narrowed with label matchers, so a
rename or a wrong label is a Python-level error at the line that wrote it.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import ClassVar

from sarkmon.diagnostics import report
from sarkmon.model.names import is_label_name, is_metric_name
from sarkmon.source import Location, caller_location


class MetricType(StrEnum):
    COUNTER = "counter"
    GAUGE = "gauge"
    HISTOGRAM = "histogram"
    SUMMARY = "summary"
    INFO = "info"
    ENUM = "stateset"
    UNTYPED = "unknown"


class Status(StrEnum):
    EMITTED = "emitted"  # SARK's code defines it
    PLANNED = "planned"  # wanted by monitoring, not yet exported by SARK's code
    EXTERNAL = "external"  # produced by Prometheus itself or another exporter
    RECORDED = "recorded"  # the output of a recording rule


class Sample(StrEnum):
    """Which series of a family a sample name denotes."""

    VALUE = ""
    TOTAL = "_total"
    CREATED = "_created"
    BUCKET = "_bucket"
    COUNT = "_count"
    SUM = "_sum"
    INFO = "_info"


# prometheus_client's default histogram buckets, used when a definition gives none.
DEFAULT_BUCKETS: tuple[float, ...] = (
    0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0,
)  # fmt: skip


def le_text(bound: float) -> str:
    """A bucket bound as prometheus_client writes the ``le`` label (Go float formatting)."""
    if math.isinf(bound):
        return "+Inf" if bound > 0 else "-Inf"
    text = repr(float(bound))
    point = text.find(".")
    if bound > 0 and point > 6:  # Go switches to an exponent from 1e+06 on
        digits = (text[:point] + text[point + 1 :]).rstrip("0")
        mantissa = (digits[0] + "." + digits[1:]).rstrip(".")
        return f"{mantissa}e+0{point - 1}"
    return text


@dataclass(frozen=True)
class Label:
    """A label of a metric; ``values`` lists its known values when it is an enum."""

    name: str
    values: tuple[str, ...] | None = None
    help: str = ""
    unbounded: bool = False  # one series per user, request, ... (a cardinality risk)

    def __post_init__(self) -> None:
        if self.values is not None:
            object.__setattr__(self, "values", tuple(self.values))


LabelSpec = str | Label


def _labels(specs: Iterable[LabelSpec]) -> tuple[Label, ...]:
    return tuple(s if isinstance(s, Label) else Label(s) for s in specs)


class Op(StrEnum):
    EQ = "="
    NE = "!="
    RE = "=~"
    NRE = "!~"


@dataclass(frozen=True)
class Matcher:
    label: str
    op: Op
    value: str

    def __str__(self) -> str:
        escaped = self.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'{self.label}{self.op.value}"{escaped}"'


def re(pattern: str) -> tuple[Op, str]:
    """A regex matcher value: ``metric.select(action=re(".*admin.*"))``."""
    return (Op.RE, pattern)


def not_re(pattern: str) -> tuple[Op, str]:
    return (Op.NRE, pattern)


def ne(value: str) -> tuple[Op, str]:
    return (Op.NE, value)


MatcherValue = str | tuple[Op, str]


@dataclass(frozen=True, eq=False)
class Metric:
    """A metric family. Subclasses fix the type and the series it exposes."""

    type: ClassVar[MetricType] = MetricType.UNTYPED

    name: str
    help: str = ""
    labels: Sequence[LabelSpec] = ()
    unit: str = ""
    status: Status = Status.EMITTED
    subsystem: str = ""
    owner: str = ""
    source: str = ""  # where SARK's code defines it, or where the series comes from
    notes: str = ""
    # Emitted but recorded by nothing in SARK's code yet (never imported, no call sites):
    # the series exists in name only, so whatever reads it shows no data.
    dormant: bool = False
    jobs: tuple[str, ...] = ()  # scrape jobs exposing it; empty means the default job
    created: bool = True  # prometheus_client also exposes a ``_created`` series
    scraped: bool = True  # False for series Prometheus makes itself (ALERTS, recordings)
    open_labels: bool = False  # labels beyond those declared may appear (ALERTS)
    silence: Mapping[str, str] = field(default_factory=dict)  # check id -> reason
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "labels", _labels(self.labels))
        object.__setattr__(self, "silence", MappingProxyType(dict(sorted(self.silence.items()))))
        object.__setattr__(self, "jobs", tuple(self.jobs))
        object.__setattr__(self, "name", self._family_name(self.name))
        self._validate()

    # -- naming ---------------------------------------------------------------------------
    def _family_name(self, name: str) -> str:
        return name

    @property
    def family(self) -> str:
        return self.name

    @property
    def main_sample(self) -> str:
        """The series a bare reference to this metric means."""
        return self.name

    @property
    def display_name(self) -> str:
        """How people name the metric: its series name, or the family of a histogram/summary."""
        return self.main_sample

    def samples(self) -> dict[str, Sample]:
        """Every series name this family exposes, with its kind."""
        return {self.name: Sample.VALUE}

    @property
    def label_specs(self) -> tuple[Label, ...]:
        """The declared labels (``labels`` holds Label objects once constructed)."""
        return self.labels  # type: ignore[return-value]

    @property
    def label_names(self) -> tuple[str, ...]:
        return tuple(label.name for label in self.label_specs)

    def label(self, name: str) -> Label | None:
        for label in self.label_specs:
            if label.name == name:
                return label
        return None

    def reserved_labels(self) -> tuple[str, ...]:
        """Labels the family's own series add (``le``, ``quantile``, the enum label)."""
        return ()

    # -- validation -----------------------------------------------------------------------
    def _validate(self) -> None:
        what = f"{self.type.value} {self.name!r}"
        if not is_metric_name(self.name):
            report(
                "definition/metric-name",
                what,
                "invalid metric name",
                self.location,
                "use [a-zA-Z_:][a-zA-Z0-9_:]*",
            )
        if self.status not in Status:
            report(
                "definition/metric-status", what, f"unknown status {self.status!r}", self.location
            )
        elif self.dormant and self.status is not Status.EMITTED:
            report(
                "definition/metric-status",
                what,
                f"a {self.status.value} metric cannot be dormant",
                self.location,
                "dormant marks an emitted metric that SARK's code does not record yet",
            )
        seen: set[str] = set()
        for label in self.label_specs:
            if not is_label_name(label.name):
                report(
                    "definition/label-name",
                    what,
                    f"invalid label name {label.name!r}",
                    self.location,
                    "label names match [a-zA-Z_][a-zA-Z0-9_]* and do not start with __",
                )
            if label.name in seen:
                report(
                    "definition/label-name",
                    what,
                    f"label {label.name!r} declared twice",
                    self.location,
                )
            if label.name in self.reserved_labels():
                report(
                    "definition/label-name",
                    what,
                    f"label {label.name!r} is reserved for {self.type.value} series",
                    self.location,
                )
            seen.add(label.name)

    # -- selectors ------------------------------------------------------------------------
    def __str__(self) -> str:
        return self.main_sample

    def select(self, **matchers: MatcherValue) -> Selector:
        """This metric's main series narrowed by label matchers, checked against the catalog."""
        return Selector(self, self.main_sample, _matchers(self, matchers, caller_location()))

    def __call__(self, **matchers: MatcherValue) -> Selector:
        return Selector(self, self.main_sample, _matchers(self, matchers, caller_location()))

    def __getitem__(self, range_: str) -> str:
        return f"{self.main_sample}[{range_}]"

    # -- series of other types --------------------------------------------------------------
    # Histograms and summaries override these. Asked of another type they are a mistake in
    # the definition, reported at the caller's line like any other, not an AttributeError.
    @property
    def bucket(self) -> Selector:
        return self._missing_series("bucket", "histograms")

    @property
    def count(self) -> Selector:
        return self._missing_series("count", "histograms and summaries")

    @property
    def sum(self) -> Selector:
        return self._missing_series("sum", "histograms and summaries")

    def _missing_series(self, attribute: str, types: str) -> Selector:
        suffix = "_" + attribute
        exposed = [name for name, kind in self.samples().items() if kind is not Sample.CREATED]
        report(
            "definition/metric-type",
            f"{self.type.value} {self.name!r}",
            f".{attribute} is {self.name}{suffix}, a series this {self.type.value} does not expose",
            caller_location(),
            f"only {types} have {suffix} series; did you mean {' or '.join(exposed)}?",
        )
        return Selector(self, self.main_sample)


def _matchers(
    metric: Metric, given: Mapping[str, MatcherValue], where: Location
) -> tuple[Matcher, ...]:
    out = []
    for name, value in given.items():
        op, text = (Op.EQ, value) if isinstance(value, str) else value
        label = metric.label(name)
        known_name = (
            label is not None
            or metric.open_labels
            or name in metric.reserved_labels()
            or (metric.scraped and name in TARGET_LABELS)
        )
        if not known_name:
            known = ", ".join(metric.label_names + metric.reserved_labels()) or "none"
            report(
                "definition/unknown-label",
                metric.name,
                f"label {name!r} is not declared for this metric",
                where,
                f"its labels: {known}",
            )
        elif (
            label is not None
            and label.values is not None
            and op is Op.EQ
            and text not in label.values
        ):
            report(
                "definition/label-value",
                metric.name,
                f"value {text!r} is not a known value of label {name!r}",
                where,
                "known values: " + ", ".join(label.values),
            )
        out.append(Matcher(name, op, text))
    return tuple(out)


# Labels any scraped series may carry; the catalog narrows which values they can take.
TARGET_LABELS = ("job", "instance")
ALL_JOBS = "*"  # in ``Metric.jobs``: every scrape job exposes it (``up``)


@dataclass(frozen=True)
class Selector:
    """A series selector built from a catalog metric; ``str()`` gives PromQL."""

    metric: Metric
    sample: str
    matchers: tuple[Matcher, ...] = ()

    def __str__(self) -> str:
        if not self.matchers:
            return self.sample
        return self.sample + "{" + ", ".join(str(m) for m in self.matchers) + "}"

    def __call__(self, **matchers: MatcherValue) -> Selector:
        extra = _matchers(self.metric, matchers, caller_location())
        return Selector(self.metric, self.sample, self.matchers + extra)

    select = __call__

    def __getitem__(self, range_: str) -> str:
        return f"{self}[{range_}]"


class Counter(Metric):
    type = MetricType.COUNTER

    def _family_name(self, name: str) -> str:
        return name[: -len("_total")] if name.endswith("_total") else name

    @property
    def main_sample(self) -> str:
        return self.name + "_total"

    def samples(self) -> dict[str, Sample]:
        out = {self.name + "_total": Sample.TOTAL}
        if self.created:
            out[self.name + "_created"] = Sample.CREATED
        return out


class Gauge(Metric):
    type = MetricType.GAUGE


@dataclass(frozen=True, eq=False)
class Histogram(Metric):
    type = MetricType.HISTOGRAM
    buckets: Sequence[float] = DEFAULT_BUCKETS

    def __post_init__(self) -> None:
        object.__setattr__(self, "buckets", tuple(float(b) for b in self.buckets))
        super().__post_init__()

    def _validate(self) -> None:
        super()._validate()
        finite = [b for b in self.buckets if not math.isinf(b)]
        if not finite or finite != sorted(set(finite)):
            report(
                "definition/buckets",
                f"histogram {self.name!r}",
                "buckets must be a non-empty, strictly increasing list",
                self.location,
            )

    def reserved_labels(self) -> tuple[str, ...]:
        return ("le",)

    @property
    def main_sample(self) -> str:
        return self.name + "_bucket"

    def samples(self) -> dict[str, Sample]:
        out = {
            self.name + "_bucket": Sample.BUCKET,
            self.name + "_count": Sample.COUNT,
            self.name + "_sum": Sample.SUM,
        }
        if self.created:
            out[self.name + "_created"] = Sample.CREATED
        return out

    @property
    def display_name(self) -> str:
        return self.name

    def le_values(self) -> tuple[str, ...]:
        """The ``le`` label values the buckets produce, ``+Inf`` included."""
        return _le_values(tuple(self.buckets))

    def le(self, bound: float) -> str:
        """The ``le`` text of one declared bound; an undeclared bound is a definition error."""
        if float(bound) not in self.buckets:
            report(
                "definition/buckets",
                f"histogram {self.name!r}",
                f"{bound} is not one of its bucket bounds",
                caller_location(),
                "bounds: " + ", ".join(self.le_values()),
            )
        return le_text(float(bound))

    @property
    def bucket(self) -> Selector:
        return Selector(self, self.name + "_bucket")

    @property
    def count(self) -> Selector:
        return Selector(self, self.name + "_count")

    @property
    def sum(self) -> Selector:
        return Selector(self, self.name + "_sum")


@dataclass(frozen=True, eq=False)
class Summary(Metric):
    type = MetricType.SUMMARY
    quantiles: Sequence[float] = ()  # prometheus_client summaries expose none

    def __post_init__(self) -> None:
        object.__setattr__(self, "quantiles", tuple(self.quantiles))
        super().__post_init__()

    def reserved_labels(self) -> tuple[str, ...]:
        return ("quantile",) if self.quantiles else ()

    @property
    def main_sample(self) -> str:
        return self.name + "_count"

    @property
    def display_name(self) -> str:
        return self.name

    def samples(self) -> dict[str, Sample]:
        out = {self.name + "_count": Sample.COUNT, self.name + "_sum": Sample.SUM}
        if self.quantiles:
            out[self.name] = Sample.VALUE
        if self.created:
            out[self.name + "_created"] = Sample.CREATED
        return out

    @property
    def count(self) -> Selector:
        return Selector(self, self.name + "_count")

    @property
    def sum(self) -> Selector:
        return Selector(self, self.name + "_sum")


class Info(Metric):
    type = MetricType.INFO

    def _family_name(self, name: str) -> str:
        return name[: -len("_info")] if name.endswith("_info") else name

    @property
    def main_sample(self) -> str:
        return self.name + "_info"

    def samples(self) -> dict[str, Sample]:
        return {self.name + "_info": Sample.INFO}


@dataclass(frozen=True, eq=False)
class StateSet(Metric):
    """prometheus_client's Enum: one series per state, labelled with the metric's name."""

    type = MetricType.ENUM
    states: Sequence[str] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "states", tuple(self.states))
        super().__post_init__()

    def reserved_labels(self) -> tuple[str, ...]:
        return (self.name,)


Enum_ = StateSet


def no_data_note(metrics: Iterable[Metric]) -> str:
    """Why whatever reads ``metrics`` shows no data yet: planned and dormant ones, named.

    Empty when every metric has data (or may have: external and recorded ones).
    """
    unique = list(dict.fromkeys(metrics))
    planned = [m.display_name for m in unique if m.status is Status.PLANNED]
    dormant = [m.display_name for m in unique if m.dormant]
    out = []
    if planned:
        out.append(
            f"Needs {', '.join(planned)}, a planned metric SARK does not export yet: "
            "the panel shows no data until it does (see the catalog)."
        )
    if dormant:
        them = "it" if len(dormant) == 1 else "them"
        out.append(
            f"SARK defines {', '.join(dormant)} but does not record {them} yet: "
            "no data until it does."
        )
    return " ".join(out)


@functools.lru_cache(maxsize=1024)  # asked for every bucket selector and test series
def _le_values(buckets: tuple[float, ...]) -> tuple[str, ...]:
    return (*tuple(le_text(b) for b in buckets if not math.isinf(b)), "+Inf")
