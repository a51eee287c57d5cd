"""Units of expression values: seconds, bytes, ratios, and the constant factors applied.

A :class:`Quantity` holds the exponents of seconds and bytes (counts are dimensionless), the
scale relative to the base unit (1000 for milliseconds, 100 for percent) and whether the value
is a ratio of like quantities. It is derived from the catalog's declared units, so
``rate(x_seconds_sum[5m]) / rate(x_seconds_count[5m])`` is seconds,
``sum(rate(errors[5m])) / sum(rate(requests[5m])) * 100`` is a percent and
``histogram_quantile(...) * 1000`` is milliseconds. Checks compare it with annotation
templates (humanizeDuration wants seconds) and with panel units.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from sarkmon.model.metrics import Metric, MetricType, Sample


@dataclass(frozen=True, slots=True)
class Quantity:
    known: bool = False
    seconds: int = 0  # exponent of seconds: 1 for durations, -1 for per-second rates
    bytes: int = 0  # exponent of bytes
    scale: float = 1.0  # the value in base units is value / scale (1000: milliseconds)
    ratio: bool = False  # a ratio of like quantities: 0..1 at scale 1
    converted: bool = False  # the expression itself multiplied or divided it by a constant
    # (so ``100 * errors / requests`` is a converted ratio, a percent gauge is not)

    @property
    def is_duration(self) -> bool:
        return self.known and self.seconds == 1 and self.bytes == 0

    @property
    def is_bytes(self) -> bool:
        return self.known and self.seconds == 0 and self.bytes == 1

    @property
    def is_ratio(self) -> bool:
        return self.known and self.ratio and self.seconds == 0 and self.bytes == 0

    @property
    def in_base_unit(self) -> bool:
        return math.isclose(self.scale, 1.0)

    def scaled(self, factor: float) -> Quantity:
        if not self.known:
            return self
        converted = self.converted or not math.isclose(factor, 1.0)
        return replace(self, scale=self.scale * factor, converted=converted)

    def describe(self) -> str:
        """How people name the unit: ``seconds``, ``milliseconds``, ``percent``, ..."""
        if not self.known:
            return "unknown"
        names = _SCALED_NAMES.get(self.kind(), {})
        for factor, name in names.items():
            if math.isclose(self.scale, factor):
                return name
        return self.kind() if self.in_base_unit else f"{self.kind()} x {self.scale:g}"

    def kind(self) -> str:
        if self.is_duration:
            return "seconds"
        if self.is_bytes:
            return "bytes"
        if self.is_ratio:
            return "ratio"
        if self.known and self.seconds == 0 and self.bytes == 0:
            return "count"
        if self.known and self.seconds == -1 and self.bytes == 0:
            return "per second"
        return "other"


_SCALED_NAMES: dict[str, dict[float, str]] = {
    "seconds": {1.0: "seconds", 1e3: "milliseconds", 1e6: "microseconds", 1 / 60: "minutes"},
    "bytes": {1.0: "bytes", 1 / 1024: "KiB", 1 / 1024**2: "MiB", 1 / 1024**3: "GiB"},
    "ratio": {1.0: "a 0-1 ratio", 100.0: "percent"},
}

UNKNOWN_QUANTITY = Quantity()
COUNT = Quantity(known=True)
SECONDS = Quantity(known=True, seconds=1)
RATIO = Quantity(known=True, ratio=True)

# Declared units (Metric.unit) and what they mean.
_UNITS = {
    "seconds": SECONDS,
    "milliseconds": Quantity(known=True, seconds=1, scale=1e3),
    "bytes": Quantity(known=True, bytes=1),
    "ratio": RATIO,
    "percent": Quantity(known=True, ratio=True, scale=100.0),
}


def of_unit(unit: str) -> Quantity:
    """A declared unit; a metric without one counts things."""
    if not unit:
        return COUNT
    return _UNITS.get(unit, UNKNOWN_QUANTITY)


def of_sample(metric: Metric | None, sample: Sample | None) -> Quantity:
    """The unit of one series of a family: buckets and counts count, sums carry the unit."""
    if metric is None or sample is None:
        return UNKNOWN_QUANTITY
    if sample in (Sample.BUCKET, Sample.COUNT):
        return COUNT
    if sample is Sample.CREATED:
        return SECONDS
    if metric.type in (MetricType.INFO, MetricType.ENUM):
        return COUNT
    return of_unit(metric.unit)


def per_second(quantity: Quantity) -> Quantity:
    """A rate: seconds per second (CPU time, say) is a ratio."""
    if not quantity.known:
        return quantity
    seconds = quantity.seconds - 1
    return replace(quantity, seconds=seconds, ratio=seconds == 0 and quantity.bytes == 0)


def combine(op: str, lhs: Quantity, rhs: Quantity) -> Quantity:
    """The unit of ``lhs op rhs`` for two vectors (or non-constant scalars)."""
    if op in ("and", "unless"):
        return lhs
    if op == "or":
        return lhs if lhs.known else rhs
    if not (lhs.known and rhs.known):
        return UNKNOWN_QUANTITY
    converted = lhs.converted or rhs.converted
    if op == "/":
        seconds, bytes_ = lhs.seconds - rhs.seconds, lhs.bytes - rhs.bytes
        like = lhs.seconds == rhs.seconds and lhs.bytes == rhs.bytes
        return Quantity(True, seconds, bytes_, lhs.scale / rhs.scale, like, converted)
    if op == "*":
        return Quantity(
            True, lhs.seconds + rhs.seconds, lhs.bytes + rhs.bytes, lhs.scale * rhs.scale
        )
    if op in ("+", "-") or op in ("==", "!=", ">", "<", ">=", "<="):
        same = lhs.seconds == rhs.seconds and lhs.bytes == rhs.bytes
        if op in ("+", "-") and not same:
            return UNKNOWN_QUANTITY
        return lhs
    return UNKNOWN_QUANTITY


def with_constant(op: str, quantity: Quantity, constant: float, constant_first: bool) -> Quantity:
    """The unit of ``quantity op constant`` (or ``constant op quantity``)."""
    if op == "*":
        return quantity.scaled(constant)
    if op == "/" and not constant_first and constant != 0:
        return quantity.scaled(1 / constant)
    if op in ("+", "-", "==", "!=", ">", "<", ">=", "<=", "and", "or", "unless"):
        return quantity
    return UNKNOWN_QUANTITY
