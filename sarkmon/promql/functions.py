"""What each PromQL function does to the labels, values and unit of its series argument.

One table, read by the conversion (label flow, value flow, units) and by the type checks
(which functions want counters, which want gauges).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Labels(StrEnum):
    KEEP = "keep"  # the series argument's labels
    NONE = "none"  # no labels (vector(), time(), ...)
    ABSENT = "absent"  # the equality matchers of the selector argument
    REPLACE = "replace"  # the argument's labels plus a destination label
    DROP_LE = "drop-le"  # histogram_quantile: the bucket labels without le


class Values(StrEnum):
    KEEP = "keep"  # values derive from the argument's samples; counters stay raw
    CONSUME = "consume"  # reads a range of samples: the result is no longer cumulative
    NONE = "none"  # values do not come from the samples (absent, count_over_time)


class Unit(StrEnum):
    KEEP = "keep"
    PER_SECOND = "per-second"
    COUNT = "count"
    SECONDS = "seconds"  # a timestamp
    QUANTILE = "quantile"  # the unit of the histogram's buckets
    RATIO = "ratio"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Function:
    labels: Labels = Labels.KEEP
    values: Values = Values.KEEP
    unit: Unit = Unit.KEEP


_KEEP = Function()
_UNKNOWN_UNIT = Function(unit=Unit.UNKNOWN)
_DATE = Function(values=Values.NONE, unit=Unit.UNKNOWN)

FUNCTIONS: dict[str, Function] = {
    # Range functions over counters.
    "rate": Function(values=Values.CONSUME, unit=Unit.PER_SECOND),
    "irate": Function(values=Values.CONSUME, unit=Unit.PER_SECOND),
    "increase": Function(values=Values.CONSUME),
    "resets": Function(values=Values.CONSUME, unit=Unit.COUNT),
    "changes": Function(values=Values.CONSUME, unit=Unit.COUNT),
    # Range functions over gauges.
    "deriv": Function(values=Values.CONSUME, unit=Unit.PER_SECOND),
    "delta": Function(values=Values.CONSUME),
    "idelta": Function(values=Values.CONSUME),
    "predict_linear": Function(values=Values.CONSUME),
    "holt_winters": Function(values=Values.CONSUME),
    "double_exponential_smoothing": Function(values=Values.CONSUME),
    "avg_over_time": _KEEP,
    "min_over_time": _KEEP,
    "max_over_time": _KEEP,
    "sum_over_time": _KEEP,
    "last_over_time": _KEEP,
    "quantile_over_time": _KEEP,
    "mad_over_time": _KEEP,
    "stddev_over_time": _KEEP,
    "stdvar_over_time": _UNKNOWN_UNIT,
    "count_over_time": Function(values=Values.NONE, unit=Unit.COUNT),
    "present_over_time": Function(values=Values.NONE, unit=Unit.COUNT),
    "absent_over_time": Function(Labels.ABSENT, Values.NONE, Unit.COUNT),
    "absent": Function(Labels.ABSENT, Values.NONE, Unit.COUNT),
    "timestamp": Function(values=Values.NONE, unit=Unit.SECONDS),
    # Histograms.
    "histogram_quantile": Function(Labels.DROP_LE, Values.KEEP, Unit.QUANTILE),
    "histogram_fraction": Function(Labels.DROP_LE, Values.KEEP, Unit.RATIO),
    "histogram_count": Function(unit=Unit.COUNT),
    "histogram_sum": _UNKNOWN_UNIT,
    "histogram_avg": _UNKNOWN_UNIT,
    "histogram_stddev": _UNKNOWN_UNIT,
    "histogram_stdvar": _UNKNOWN_UNIT,
    # Labels.
    "label_replace": Function(labels=Labels.REPLACE),
    "label_join": Function(labels=Labels.REPLACE),
    # Value-preserving transformations.
    "abs": _KEEP,
    "ceil": _KEEP,
    "floor": _KEEP,
    "round": _KEEP,
    "clamp": _KEEP,
    "clamp_min": _KEEP,
    "clamp_max": _KEEP,
    "sort": _KEEP,
    "sort_desc": _KEEP,
    "sort_by_label": _KEEP,
    "sort_by_label_desc": _KEEP,
    "scalar": _KEEP,
    # Value-changing arithmetic.
    "sgn": _UNKNOWN_UNIT,
    "exp": _UNKNOWN_UNIT,
    "ln": _UNKNOWN_UNIT,
    "log2": _UNKNOWN_UNIT,
    "log10": _UNKNOWN_UNIT,
    "sqrt": _UNKNOWN_UNIT,
    "deg": _UNKNOWN_UNIT,
    "rad": _UNKNOWN_UNIT,
    # No series argument.
    "vector": Function(Labels.NONE, Values.NONE, Unit.UNKNOWN),
    "time": Function(Labels.NONE, Values.NONE, Unit.SECONDS),
    "pi": Function(Labels.NONE, Values.NONE, Unit.UNKNOWN),
    # Dates: the labels of their argument, when given one.
    **dict.fromkeys(
        (
            "minute",
            "hour",
            "day_of_month",
            "day_of_week",
            "day_of_year",
            "days_in_month",
            "month",
            "year",
        ),
        _DATE,
    ),
}
# Trigonometry and anything newer: labels kept, unit unknown.
DEFAULT = _UNKNOWN_UNIT

# Functions meant for counters (their resets are handled) and for gauges.
COUNTER_FUNCTIONS = frozenset({"rate", "irate", "increase", "resets"})
GAUGE_FUNCTIONS = frozenset(
    {"deriv", "delta", "idelta", "predict_linear", "holt_winters", "double_exponential_smoothing"}
)
# Range functions whose result needs several samples in the range (see logic/rate-range).
RANGE_SAMPLES = {
    "rate": 4,
    "increase": 4,
    "delta": 4,
    "deriv": 4,
    "predict_linear": 4,
    "irate": 2,
    "idelta": 2,
}


def function(name: str) -> Function:
    return FUNCTIONS.get(name, DEFAULT)
