"""The samples of an alert test's input series.

Either promtool's expanding notation written by hand (``"0+60x30"``), checked here, or a
:class:`Profile`: a level held phase by phase (``steady(0.2, "10m") + steady(0.5, "5m")``)
read as a gauge (the series holds the level) or as a counter (it grows by the level per
second). Profiles are resolved to notation once the test's sample interval is known, with
exact arithmetic, so ``0.1/s`` every minute is ``6`` and never ``6.000000000000001``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Context, Decimal
from fractions import Fraction

from sarkmon.diagnostics import report
from sarkmon.model.durations import DurationError, format_ms, parse_ms
from sarkmon.source import caller_location

Number = int | float | Fraction | Decimal

_NUM = r"[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|Inf|NaN)"
# One item of promtool's notation and how many sample slots it fills.
_ITEM_RE = re.compile(
    rf"^(?:(?P<gap>_)(?:x(?P<gapn>\d+))?|(?P<stale>stale)|(?P<a>{_NUM})"
    rf"(?:(?P<sign>[-+])(?P<b>{_NUM}))?(?:x(?P<n>\d+))?)$"
)
_DIGITS = Context(prec=15)


# Floats already read: test cases map a few thresholds through thousands of samples, and
# reading a float's decimal text as a Fraction is the slow part.
_FLOATS: dict[float, Fraction] = {}


def exact(value: Number) -> Fraction:
    """A number as an exact fraction; floats are read at 15 significant digits."""
    if type(value) is float:
        known = _FLOATS.get(value)
        if known is None:
            if not math.isfinite(value):
                raise ValueError(f"not a finite number: {value!r}")
            known = _FLOATS[value] = Fraction(format(value, ".15g"))
        return known
    if isinstance(value, bool) or not isinstance(value, int | float | Fraction | Decimal):
        raise TypeError(f"not a number: {value!r}")
    if isinstance(value, float):  # a float subclass
        return exact(float(value))
    return Fraction(value)


def number_text(value: Fraction) -> str:
    """The shortest decimal text of a number: ``120``, ``3.1``, ``0.333333333333333``."""
    if value.denominator == 1:
        return str(value.numerator)
    quotient = _DIGITS.divide(Decimal(value.numerator), Decimal(value.denominator))
    return format(quotient.normalize(), "f")


def notation_slots(text: str) -> int | None:
    """How many sample slots promtool's notation fills, or None when it is not valid."""
    items = text.split()
    if not items:
        return None
    slots = 0
    for item in items:
        match = _ITEM_RE.match(item)
        if match is None:
            return None
        if match["gap"]:
            slots += int(match["gapn"]) if match["gapn"] else 1
        elif match["stale"] or match["n"] is None:
            if match["sign"]:  # "a+b" without "xN"
                return None
            slots += 1
        else:
            slots += int(match["n"]) + 1
    return slots


@dataclass(frozen=True)
class Phase:
    level: Fraction | None  # None: the series has no samples (absent)
    duration_ms: int


@dataclass(frozen=True)
class Profile:
    """A level held phase by phase; ``+`` appends phases. Build with steady() and absent()."""

    phases: tuple[Phase, ...]

    def __add__(self, other: Profile) -> Profile:
        return Profile(self.phases + other.phases)

    @property
    def duration_ms(self) -> int:
        return sum(p.duration_ms for p in self.phases)

    def gauge(self, value: Callable[[float], Number] | None = None) -> Values:
        """A gauge holding ``value(level)`` (the level itself by default) in each phase."""
        return Values("gauge", phases=self._mapped(value))

    def counter(self, rate: Callable[[float], Number] | None = None) -> Values:
        """A counter growing by ``rate(level)`` per second (the level by default)."""
        phases = self._mapped(rate)
        if any(level is not None and level < 0 for level, _ in phases):
            report(
                "definition/test-values",
                "counter profile",
                "a counter cannot decrease: its rate must be >= 0",
                caller_location(),
            )
        return Values("counter", phases=phases)

    def _mapped(
        self, func: Callable[[float], Number] | None
    ) -> tuple[tuple[Fraction | None, int], ...]:
        return tuple(
            (
                None
                if p.level is None
                else (p.level if func is None else exact(func(float(p.level)))),
                p.duration_ms,
            )
            for p in self.phases
        )


def _duration(over: str, what: str) -> int:
    try:
        ms = parse_ms(over)
    except DurationError as err:
        report("definition/duration", what, str(err), caller_location())
        return 0
    if ms <= 0:
        report("definition/duration", what, "a phase must last longer than 0s", caller_location())
    return ms


def steady(level: Number, over: str) -> Profile:
    """The level ``level`` held for ``over`` (a duration such as ``"10m"``)."""
    return Profile((Phase(exact(level), _duration(over, "steady()")),))


def absent(over: str) -> Profile:
    """No samples for ``over``: the series is missing (a target down, a process not started)."""
    return Profile((Phase(None, _duration(over, "absent()")),))


@dataclass(frozen=True)
class Values:
    """The samples of one series: ``kind`` notation (``text``), gauge or counter (``phases``)."""

    kind: str
    text: str = ""
    phases: tuple[tuple[Fraction | None, int], ...] = ()

    @staticmethod
    def of(values: Values | str) -> Values:
        if isinstance(values, Values):
            return values
        text = " ".join(str(values).split())
        if notation_slots(text) is None:
            report(
                "definition/test-values",
                f"values {values!r}",
                "not promtool's expanding notation",
                caller_location(),
                "items such as 1 2.5 _ stale 0+10x30 5-1x4 1x10 _x5, separated by spaces",
            )
        return Values("notation", text=text)

    def misaligned(self, interval_ms: int) -> list[int]:
        """Phase durations that are not a whole number of sample intervals."""
        return [ms for _, ms in self.phases if interval_ms <= 0 or ms % interval_ms]

    def end_ms(self, interval_ms: int) -> int:
        """The time of the last sample slot (the first one is at 0)."""
        if self.kind == "notation":
            return max((notation_slots(self.text) or 1) - 1, 0) * interval_ms
        return sum(ms for _, ms in self.phases)

    def notation(self, interval_ms: int) -> str:
        """promtool's notation for these samples, one slot every ``interval_ms``."""
        if self.kind == "notation":
            return self.text
        runs: list[_Run] = []
        last = Fraction(0)
        seconds = Fraction(interval_ms, 1000)
        for index, (level, ms) in enumerate(self.phases):
            slots = ms // interval_ms + (index == 0)  # the first phase also fills slot 0
            if level is None:
                runs.append(_Run(None, Fraction(0), slots))
                continue
            if self.kind == "gauge":
                runs.append(_Run(level, Fraction(0), slots))
                continue
            step = level * seconds
            start = last if index == 0 else last + step
            runs.append(_Run(start, step, slots))
            last = start + step * (slots - 1)
        return " ".join(str(run) for run in _merged(runs))

    def describe(self) -> str:
        if self.kind == "notation":
            return self.text
        parts = [
            ("absent" if level is None else number_text(level)) + f" for {format_ms(ms)}"
            for level, ms in self.phases
        ]
        return f"{self.kind}: " + ", ".join(parts)


@dataclass(frozen=True)
class _Run:
    """``slots`` samples from ``start`` by ``step`` (no samples when start is None)."""

    start: Fraction | None
    step: Fraction
    slots: int

    def follows(self, other: _Run) -> bool:
        if self.start is None or other.start is None:
            return self.start is other.start
        return self.step == other.step and self.start == other.start + other.step * other.slots

    def __str__(self) -> str:
        times = self.slots - 1
        if self.start is None:
            return f"_x{self.slots}" if self.slots > 1 else "_"
        text = number_text(self.start)
        if not times:  # one sample: promtool rejects "a+b" without a count
            return text
        if self.step:
            text += ("+" if self.step > 0 else "-") + number_text(abs(self.step))
        return f"{text}x{times}"


def _merged(runs: list[_Run]) -> list[_Run]:
    """Runs that continue each other written as one (``0x6 0x9`` is ``0x16``)."""
    out: list[_Run] = []
    for run in runs:
        if out and run.follows(out[-1]):
            out[-1] = _Run(out[-1].start, out[-1].step, out[-1].slots + run.slots)
        else:
            out.append(run)
    return out
