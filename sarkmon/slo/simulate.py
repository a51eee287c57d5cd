"""What an SLO's burn-rate alerts do under given traffic, computed exactly.

The generated test cases rely on it to know when each tier fires. Inputs are sampled every
minute from 0 and counters start at 0; SLO rules run every minute (``rules.INTERVAL``), so at
a whole minute ``t`` a ``rate()`` window has samples exactly at both ends (or starts at the
first sample, from 0) and Prometheus extrapolates nothing: the error ratio over a window is
``(errors(t) - errors(t - w)) / (events(t) - events(t - w))`` with ``t - w`` clipped at 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from sarkmon.model.burn_rate import BurnRateTier
from sarkmon.model.durations import parse_ms
from sarkmon.model.slo import SLO

MINUTE_MS = 60_000


def minutes(duration: str) -> int:
    """Whole minutes in a duration, rounded up (a tier's ``for`` may be shorter)."""
    return -(-parse_ms(duration) // MINUTE_MS)


@dataclass(frozen=True)
class Phase:
    """``minutes`` of traffic: ``events`` per minute, ``errors`` of them failing the SLI."""

    minutes: int
    events: Fraction
    errors: Fraction


@dataclass(frozen=True)
class Traffic:
    phases: tuple[Phase, ...]

    @property
    def end(self) -> int:
        """The minute of the last sample (the first is at 0)."""
        return sum(p.minutes for p in self.phases)

    def _cumulative(self, at: int) -> tuple[Fraction, Fraction]:
        """Events and errors counted from minute 0 to minute ``at``: phase by phase, as each
        phase adds the same amount a minute (thousands of minutes, a handful of phases)."""
        events = errors = Fraction(0)
        for phase in self.phases:
            span = min(phase.minutes, at)
            if span <= 0:
                break
            events += phase.events * span
            errors += phase.errors * span
            at -= span
        return events, errors

    def error_ratio(self, at: int, window: str) -> Fraction | None:
        """The error ratio over ``window`` at minute ``at``; None without samples or events."""
        start = max(0, at - parse_ms(window) // MINUTE_MS)
        if at <= start or at > self.end:
            return None
        events_at, errors_at = self._cumulative(at)
        events_start, errors_start = self._cumulative(start)
        total = events_at - events_start
        return None if not total else (errors_at - errors_start) / total


def burning(slo: SLO, tier: BurnRateTier, traffic: Traffic, at: int) -> bool:
    """Whether the tier's expression holds at minute ``at`` (both windows over the limit)."""
    limit = tier.factor(slo.window) * slo.error_budget
    for window in (tier.long, tier.short):
        ratio = traffic.error_ratio(at, window)
        if ratio is None or ratio <= limit:
            return False
    return True


def first_firing(slo: SLO, tier: BurnRateTier, traffic: Traffic, after: int = 0) -> int | None:
    """The first minute after ``after`` at which the tier fires (it has been burning at every
    evaluation of its ``for``), None when it never does."""
    hold = minutes(tier.for_) if tier.for_ else 0
    streak = 0  # minutes burning in a row up to m; no minute before 0 burns
    for m in range(max(0, after + 1 - hold), traffic.end + 1):
        streak = streak + 1 if burning(slo, tier, traffic, m) else 0
        if m > after and streak > hold:
            return m
    return None


def expected_detection(slo: SLO, tier: BurnRateTier, error_ratio: Fraction) -> int:
    """Minutes a sustained error ratio takes to fire the tier once its long window is full.

    The long window's ratio grows by ``error_ratio / long`` a minute and must pass
    ``factor x budget``; the short window (shorter, so faster) is never the limit.
    """
    limit = tier.factor(slo.window) * slo.error_budget
    long = parse_ms(tier.long) // MINUTE_MS
    needed = limit * long / error_ratio  # minutes of errors to pass the limit
    return int(needed) + 1 + (minutes(tier.for_) if tier.for_ else 0)
