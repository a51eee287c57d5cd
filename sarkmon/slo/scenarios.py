"""Test cases generated for every burn-rate alert, from the SLO alone.

For each tier, three or four cases, each proving one property with the real rules in promtool:

- a total outage after clean traffic: quiet until the simulated minute, then fires, within
  the time the tier's table promises (``simulate.expected_detection``);
- an error ratio just under the tier's threshold (99% of ``factor x budget``): never fires;
- just over it (101%): fires, so the factor is exactly the one written;
- for the first (fastest) tier, an error ratio just under the budget itself (a burn rate of
  0.99): never fires. Slower tiers with a factor of 1 or more are quiet there by the case
  above; one with a smaller factor is meant to fire.

Input series come from the SLI's own selectors: events failing the SLI go to a series that
matches its error (and total) selectors but not its good ones, and the reverse for good
events; a latency SLI observes good events at its threshold and bad ones just above it, so a
threshold one bucket off fails. When times are simulated (``simulate``), the alert's
``$value`` is known exactly, so its templated description is expected word for word.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from sarkmon.diagnostics import report
from sarkmon.model.alert_tests import AlertTest, Expectation, Fires, Quiet, Series, observations
from sarkmon.model.burn_rate import BurnRateTier
from sarkmon.model.durations import format_ms, parse_ms
from sarkmon.model.metrics import Matcher, Metric, Op, Selector
from sarkmon.model.numbers import decimal_text, terminates
from sarkmon.model.series_values import Number, Profile, steady
from sarkmon.model.slo import SLO, LatencySLI, RatioSLI
from sarkmon.slo.simulate import MINUTE_MS, Phase, Traffic, expected_detection, first_firing

OUTAGE_RATE = Fraction(60)  # events a minute during the outage case: one a second
MAX_CLEAN = "1h"  # clean traffic before an outage: the long window, at most this much
STEADY = 10  # minutes a steady error ratio is held: every window sees it from the first


@dataclass(frozen=True)
class Feed:
    """An input series: per minute it grows by ``good`` x the good events + ``bad`` x the bad."""

    selector: Selector
    good: int
    bad: int


# -- input series -----------------------------------------------------------------------
def _matches(labels: Mapping[str, str], selector: Selector) -> bool:
    """Whether a series with these labels is selected (a missing label reads as "")."""
    for matcher in selector.matchers:
        value = labels.get(matcher.label, "")
        if matcher.op in (Op.EQ, Op.NE):
            hit = value == matcher.value
        else:
            hit = re.fullmatch(matcher.value, value) is not None
        if hit != (matcher.op in (Op.EQ, Op.RE)):
            return False
    return True


def _solve(
    metric: Metric, positive: Sequence[Selector], negative: Sequence[Selector]
) -> dict[str, str] | None:
    """Labels of a series matching every positive selector and no negative one, or None.

    Every declared label gets a value, as prometheus_client writes them all: one of its
    known values when it is an enum, else a value the selectors name or ``test``. Labels
    the metric does not declare (``job``...) are set only when a selector needs them.
    """
    mentioned = [m for s in (*positive, *negative) for m in s.matchers]
    names = sorted({*metric.label_names, *(m.label for m in mentioned)})
    choices = []
    for name in names:
        label = metric.label(name)
        literal = [m.value for m in mentioned if m.label == name and m.op in (Op.EQ, Op.NE)]
        if label is None:
            values = [*literal, ""]  # "": the series does not carry it
        elif label.values is not None:
            values = list(label.values)
        else:
            values = [*literal, "test"]
        choices.append(list(dict.fromkeys(values)))
    for combo in itertools.islice(itertools.product(*choices), 100_000):
        labels = {n: v for n, v in zip(names, combo, strict=True) if v}
        if all(_matches(labels, s) for s in positive) and not any(
            _matches(labels, s) for s in negative
        ):
            return labels
    return None


def _series_of(metric: Metric, sample: str, labels: Mapping[str, str]) -> Selector:
    return Selector(metric, sample, tuple(Matcher(k, Op.EQ, v) for k, v in sorted(labels.items())))


def _selects(selector: Selector, series: Selector) -> bool:
    labels = {m.label: m.value for m in series.matchers}
    return selector.sample == series.sample and _matches(labels, selector)


def ratio_feeds(sli: RatioSLI) -> list[Feed] | None:
    """Series carrying the good and the bad events of a ratio SLI; None when none fit.

    For each kind of event, each role that must count it (bad: errors and total; good: good
    and total) gets a series from its first selector, unless one made for another role
    already matches it; the series matches the selectors of the other counting roles on the
    same series name, and none of the rest (the roles that must not see it, and the other
    terms of a summed role, which would count it twice).
    """
    roles = sli.selectors()
    weights: dict[str, list[int]] = {}
    made_series: dict[str, Selector] = {}
    for kind, counted in (("good", ("good", "total")), ("bad", ("errors", "total"))):
        targets = [r for r in counted if r in roles]
        made: list[Selector] = []
        for role in targets:
            if any(_selects(s, m) for m in made for s in roles[role]):
                continue
            first = roles[role][0]
            family = [
                s
                for sels in roles.values()
                for s in sels
                if (s.metric, s.sample) == (first.metric, first.sample)
            ]
            positive = [first] + [
                next(s for s in roles[other] if s in family)
                for other in targets
                if other != role and any(s in family for s in roles[other])
            ]
            labels = _solve(first.metric, positive, [s for s in family if s not in positive])
            if labels is None:
                return None
            series = _series_of(first.metric, first.sample, labels)
            made.append(series)
            made_series[str(series)] = series
            weights.setdefault(str(series), [0, 0])[kind == "bad"] += 1
    feeds = [Feed(made_series[k], good, bad) for k, (good, bad) in sorted(weights.items())]
    return feeds if _counts_right(roles, feeds) else None


def _counts_right(roles: Mapping[str, Sequence[Selector]], feeds: Sequence[Feed]) -> bool:
    """Each role's sum sees exactly the events it should, once (a check of ``ratio_feeds``)."""
    wanted = {"errors": (0, 1), "good": (1, 0), "total": (1, 1)}
    for role, sels in roles.items():
        seen = [0, 0]
        for feed in feeds:
            hits = sum(1 for s in sels if _selects(s, feed.selector))
            seen[0] += hits * feed.good
            seen[1] += hits * feed.bad
        if tuple(seen) != wanted[role]:
            return False
    return True


def _profile(traffic: Traffic) -> Profile:
    """One phase per traffic phase, its level the phase's index (read by the rate functions)."""
    out: Profile | None = None
    for index, phase in enumerate(traffic.phases):
        step = steady(index, format_ms(phase.minutes * MINUTE_MS))
        out = step if out is None else out + step
    assert out is not None
    return out


def input_series(slo: SLO, traffic: Traffic, feeds: Sequence[Feed]) -> list[Series]:
    phases = traffic.phases

    def per_second(good: int, bad: int) -> Callable[[float], Fraction]:
        def rate(index: float) -> Fraction:
            phase = phases[int(index)]
            return (good * (phase.events - phase.errors) + bad * phase.errors) / 60

        return rate

    profile = _profile(traffic)
    sli = slo.sli
    if isinstance(sli, LatencySLI):
        fast, slow = _latencies(sli)

        def observed(index: float) -> Mapping[Number, Number]:
            phase = phases[int(index)]
            return {fast: (phase.events - phase.errors) / 60, slow: phase.errors / 60}

        labels = _solve(sli.metric, [sli.total], []) or {}
        histogram = _series_of(sli.metric, sli.total.sample, labels)
        return [
            Series(s.series, s.values, slo.location)
            for s in observations(histogram, observed, profile)
        ]
    return [
        Series(feed.selector, profile.counter(per_second(feed.good, feed.bad)), slo.location)
        for feed in feeds
    ]


def _latencies(sli: LatencySLI) -> tuple[Fraction, Fraction]:
    """A good latency (the threshold itself) and a bad one (between it and the next bound)."""
    bounds = sorted(Fraction(repr(b)) for b in sli.metric.buckets if b != float("inf"))
    threshold = Fraction(sli.le)
    above = [b for b in bounds if b > threshold]
    return threshold, (threshold + above[0]) / 2 if above else threshold * 2


# -- cases ------------------------------------------------------------------------------
def humanize_percentage(ratio: Fraction) -> str:
    """Prometheus's ``humanizePercentage``: Go's ``%.4g`` of the ratio x 100."""
    return f"{float(ratio) * 100:.4g}%"


def _steady_traffic(ratio: Fraction) -> Traffic:
    """Whole events a minute at exactly ``ratio`` failing."""
    return Traffic((Phase(STEADY, Fraction(ratio.denominator), Fraction(ratio.numerator)),))


def _ratio_text(ratio: Fraction) -> str:
    return decimal_text(ratio) if terminates(ratio) else f"{float(ratio):.6g}"


def tier_cases(
    slo: SLO,
    tier: BurnRateTier,
    feeds: Sequence[Feed],
    describe: Callable[[str], str],
) -> list[AlertTest]:
    """The cases of one tier; ``describe(value)`` renders its description annotation."""
    limit = tier.factor(slo.window) * slo.error_budget
    cases = [_outage_case(slo, tier, feeds, describe)]
    under = limit * Fraction(99, 100)
    over = min(limit * Fraction(101, 100), (limit + 1) / 2)
    cases.append(
        _steady_case(
            slo, tier, feeds, describe, under,
            f"error ratio just under the threshold ({_ratio_text(under)}, 99% of "
            f"{_ratio_text(limit)}): never fires",
        )
    )  # fmt: skip
    cases.append(
        _steady_case(
            slo, tier, feeds, describe, over,
            f"error ratio just over the threshold ({_ratio_text(over)}): fires",
        )
    )  # fmt: skip
    budget = slo.error_budget * Fraction(99, 100)
    if tier == slo.tiers[0] and budget < limit:  # the fastest tier; slower ones are implied
        cases.append(
            _steady_case(
                slo, tier, feeds, describe, budget,
                f"error ratio just under the budget ({_ratio_text(budget)}, a burn rate of "
                "0.99): never fires",
            )
        )  # fmt: skip
    return cases


def _fires(
    slo: SLO, tier: BurnRateTier, traffic: Traffic, at: int, describe: Callable[[str], str]
) -> Fires:
    ratio = traffic.error_ratio(at, tier.long)
    assert ratio is not None
    return Fires(
        format_ms(at * MINUTE_MS),
        annotations={"description": describe(humanize_percentage(ratio))},
        location=slo.location,
    )


def _case(
    slo: SLO, name: str, traffic: Traffic, feeds: Sequence[Feed], expect: list[Expectation]
) -> AlertTest:
    return AlertTest(
        name,
        series=input_series(slo, traffic, feeds),
        expect=expect,
        interval="1m",
        location=slo.location,
    )


def _steady_case(
    slo: SLO,
    tier: BurnRateTier,
    feeds: Sequence[Feed],
    describe: Callable[[str], str],
    ratio: Fraction,
    name: str,
) -> AlertTest:
    traffic = _steady_traffic(ratio)
    end = format_ms(traffic.end * MINUTE_MS)
    at = first_firing(slo, tier, traffic)
    expect: list[Expectation]
    if at is None:
        expect = [Quiet(end, since="0s", location=slo.location)]
    else:
        expect = [_fires(slo, tier, traffic, traffic.end, describe)]
    return _case(slo, name, traffic, feeds, expect)


def _outage_case(
    slo: SLO, tier: BurnRateTier, feeds: Sequence[Feed], describe: Callable[[str], str]
) -> AlertTest:
    clean = min(parse_ms(tier.long), parse_ms(MAX_CLEAN)) // MINUTE_MS
    promised = expected_detection(slo, tier, Fraction(1))
    traffic = Traffic(
        (
            Phase(clean, OUTAGE_RATE, Fraction(0)),
            Phase(promised, OUTAGE_RATE, OUTAGE_RATE),
        )
    )
    at = first_firing(slo, tier, traffic, after=clean)
    assert at is not None, "a tier that can fire fires within its promised time"
    # One sample past the firing minute: a phase of a single sample is not valid notation.
    traffic = Traffic((traffic.phases[0], Phase(at - clean + 1, OUTAGE_RATE, OUTAGE_RATE)))
    took = format_ms((at - clean) * MINUTE_MS)
    name = (
        f"total outage after {format_ms(clean * MINUTE_MS)} of clean traffic: fires after "
        f"{took} (at most {format_ms(promised * MINUTE_MS)} with a full {tier.long} window)"
    )
    expect: list[Expectation] = [
        Quiet(format_ms((at - 1) * MINUTE_MS), since="0s", location=slo.location),
        _fires(slo, tier, traffic, at, describe),
    ]
    return _case(slo, name, traffic, feeds, expect)


def slo_feeds(slo: SLO) -> list[Feed] | None:
    """The input series of a ratio SLI (a latency SLI's come from observations())."""
    sli = slo.sli
    if isinstance(sli, LatencySLI):
        return []
    feeds = ratio_feeds(sli)
    if feeds is None:
        report(
            "definition/slo-tests",
            f"SLO {slo.name!r}",
            "no input series matches its error selectors but not its good ones "
            "(or the reverse), so its alerts cannot be tested",
            slo.location,
            "make the selectors tell good events from bad ones",
        )
    return feeds
