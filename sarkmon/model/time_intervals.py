"""Named time intervals, for routes that mute notifications (or send them only) at set times.

A :class:`TimeInterval` is a union of :class:`Period` entries; a period is the intersection of
its fields (times of day, weekdays, days of month, months, years) in one time zone. The syntax
and limits are Alertmanager's (``time_intervals`` in 0.25).
"""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field

from sarkmon.diagnostics import report
from sarkmon.source import Location, caller_location

WEEKDAYS = ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_CLOCK_RE = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


def _minutes(clock: str) -> int | None:
    found = _CLOCK_RE.match(clock) if isinstance(clock, str) else None
    if found is None:
        return None
    minutes = int(found.group(1)) * 60 + int(found.group(2))
    return minutes if minutes <= 24 * 60 else None


def _ordinal(text: str, names: Sequence[str], low: int, high: int) -> int | None:
    """The number of a weekday or month name, or a number in [low, high] other than 0."""
    word = text.strip().lower()
    if word in names:
        return names.index(word) + (1 if names is MONTHS else 0)
    if names is WEEKDAYS:  # Alertmanager takes weekday names only
        return None
    try:
        number = int(word)
    except ValueError:
        return None
    return number if number != 0 and low <= number <= high else None


def _range_problem(item: str, names: Sequence[str], low: int, high: int) -> str:
    """Why ``item`` (``a`` or ``a:b``) is not a valid range, or '' when it is."""
    if not isinstance(item, str) or not item:
        return f"{item!r} is not a range"
    ends = item.split(":")
    if len(ends) > 2:
        return f"{item!r} has more than one ':'"
    values = [_ordinal(end, names, low, high) for end in ends]
    if any(v is None for v in values):
        allowed = f"{names[0]}..{names[-1]}" if names else f"{low}..{high}"
        return f"{item!r} is outside {allowed}"
    first, last = values[0], values[-1]
    assert first is not None and last is not None
    # Negative days count from the end of the month; a range must not mix signs.
    if (first < 0) != (last < 0) or first > last:
        return f"{item!r} starts after it ends"
    return ""


@dataclass(frozen=True)
class Period:
    """One entry of a time interval; an empty field means 'any'."""

    times: Sequence[tuple[str, str]] = ()  # ("09:00", "17:00"): start inclusive, end exclusive
    weekdays: Sequence[str] = ()  # "monday:friday", "saturday"
    days_of_month: Sequence[str] = ()  # "1:7", "-1" (the last day)
    months: Sequence[str] = ()  # "january:march", "12"
    years: Sequence[str] = ()  # "2025:2026"
    timezone: str = ""  # IANA name, Alertmanager's `location`; empty is UTC
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name in ("times", "weekdays", "days_of_month", "months", "years"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    def problems(self) -> list[str]:
        """What Alertmanager would reject in this period."""
        out = []
        for span in self.times:
            start, end = (_minutes(t) for t in span) if len(span) == 2 else (None, None)
            if start is None or end is None:
                out.append(f"times {span!r}: use ('HH:MM', 'HH:MM') between 00:00 and 24:00")
            elif start >= end:
                out.append(f"times {span!r}: the start must be before the end")
        checks = (
            ("weekdays", self.weekdays, WEEKDAYS, 0, 6),
            ("days_of_month", self.days_of_month, (), -31, 31),
            ("months", self.months, MONTHS, 1, 12),
            ("years", self.years, (), 1, 9999),
        )
        for what, items, names, low, high in checks:
            for item in items:
                problem = _range_problem(item, names, low, high)
                if problem:
                    out.append(f"{what}: {problem}")
        if self.timezone:
            try:
                zoneinfo.ZoneInfo(self.timezone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                out.append(f"unknown time zone {self.timezone!r}")
        return out


@dataclass(frozen=True)
class TimeInterval:
    name: str
    periods: Sequence[Period]
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "periods", tuple(self.periods))
        obj = f"time interval {self.name!r}"
        if not isinstance(self.name, str) or not self.name:
            report("definition/time-interval", obj, "a time interval needs a name", self.location)
        if not self.periods:
            report(
                "definition/time-interval", obj, "no periods: it would never apply", self.location
            )
        for period in self.periods:
            for problem in period.problems():
                report("definition/time-interval", obj, problem, period.location)
