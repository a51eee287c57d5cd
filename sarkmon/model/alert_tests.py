"""Test cases declared next to an alert, compiled to promtool tests.

A case gives input series (catalog selectors, so names and labels are checked), the samples
of each, and what must be true at given times: the alert fires (with these labels and
templated annotations) or stays quiet. Static annotations (summary, runbook_url, ...) and the
rule's own labels are filled in by the compiler; authors write only what the expression and
its templates produce. ``threshold_cases`` writes the boundary cases of a threshold alert::

    from sarkmon.model.alert_tests import AlertTest, Fires, Quiet, Series, steady
    from sarkmon.model.alert_tests import threshold_cases

    AlertRule(
        "QueueBacklog",
        f"sum({QUEUE}) > 100",
        for_="5m",
        description="{{ $value }} jobs are waiting.",
        tests=[
            AlertTest(
                "a backlog that lasts fires after 5m",
                series=[Series(QUEUE(queue="mail"), "50 150x20")],
                expect=[
                    Quiet("5m"),  # pending, not firing yet
                    Fires("10m", annotations={"description": "150 jobs are waiting."}),
                ],
            ),
            # just short of and past the threshold, past it for less and more than `for`:
            *threshold_cases(
                lambda level: [Series(QUEUE(queue="mail"), level.gauge())],
                threshold=100,
                for_="5m",
                annotations=lambda value: {"description": f"{value:g} jobs are waiting."},
            ),
        ],
    )

Series values are promtool's expanding notation, or a :class:`Profile` (``steady(level,
over) + ...``) read as a gauge or as a counter growing by the level per second, so a rate
alert is tested in the unit of its threshold: ``steady(2.5, "30m").counter()`` is 2.5/s.

``Fires`` at a time lists every alert of the rule's name firing then (promtool compares the
whole set, and the annotations exactly). ``Quiet(at)`` means none fires at ``at``;
``Quiet(at, since=...)`` means this rule fired at no evaluation in between (checked on
``ALERTS``), which is what "stays quiet" must mean when a value only passes by.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from sarkmon.diagnostics import report
from sarkmon.model.durations import DurationError, format_ms, parse_ms
from sarkmon.model.metrics import Histogram, Metric, Selector
from sarkmon.model.scrape import frozen_map
from sarkmon.model.series_values import (
    Number,
    Profile,
    Values,
    absent,
    exact,
    number_text,
    steady,
)
from sarkmon.source import Location, caller_location

__all__ = [
    "AlertTest",
    "Expectation",
    "Fires",
    "Profile",
    "Quiet",
    "Series",
    "Values",
    "absent",
    "is_templated",
    "observations",
    "steady",
    "threshold_cases",
]


def _ms(text: str, obj: str, what: str, where: Location) -> int:
    try:
        return parse_ms(text)
    except DurationError as err:
        report("definition/duration", obj, f"{what}: {err}", where)
        return 0


@dataclass(frozen=True)
class Series:
    """One input series: a catalog metric or selector (or a series string) and its samples."""

    series: Metric | Selector | str
    values: Values | str
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", Values.of(self.values))
        if not isinstance(self.series, Metric | Selector | str) or not str(self.series):
            report(
                "definition/test-series",
                f"series {self.series!r}",
                "give a catalog metric, a selector such as METRIC(label='v'), or a series string",
                self.location,
            )

    @property
    def text(self) -> str:
        """The series as promtool reads it: ``name{label="value", ...}``."""
        return str(self.series)

    @property
    def samples(self) -> Values:
        assert isinstance(self.values, Values)
        return self.values


@dataclass(frozen=True)
class Fires:
    """At ``at``, the alert fires with these labels (beyond the rule's) and annotations."""

    at: str
    labels: Mapping[str, str] = field(default_factory=dict)
    annotations: Mapping[str, str] = field(default_factory=dict)
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "labels", frozen_map(self.labels))
        object.__setattr__(self, "annotations", frozen_map(self.annotations))
        _ms(self.at, "Fires", "at", self.location)

    @property
    def at_ms(self) -> int:
        return parse_ms(self.at)


@dataclass(frozen=True)
class Quiet:
    """No alert of the rule fires at ``at``; with ``since``, at no evaluation in between."""

    at: str
    since: str | None = None
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        at = _ms(self.at, "Quiet", "at", self.location)
        if self.since is not None:
            since = _ms(self.since, "Quiet", "since", self.location)
            if since >= at:
                report(
                    "definition/test-time",
                    "Quiet",
                    f"since ({self.since}) must be before at ({self.at})",
                    self.location,
                )

    @property
    def at_ms(self) -> int:
        return parse_ms(self.at)

    @property
    def since_ms(self) -> int | None:
        return None if self.since is None else parse_ms(self.since)


Expectation = Fires | Quiet


def is_templated(text: str) -> bool:
    """True for a label or annotation value Prometheus renders as a template."""
    return "{{" in text


@dataclass(frozen=True)
class AlertTest:
    """One promtool test group for the alert that lists it in ``tests``."""

    name: str
    series: Sequence[Series] = ()
    expect: Sequence[Expectation] = ()
    interval: str = "1m"  # time between input samples
    # Set by threshold_cases: the alert's `for` and threshold the case was built around.
    assumes_for: str | None = None
    assumes_threshold: Number | None = None
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "series", tuple(self.series))
        object.__setattr__(self, "expect", tuple(self.expect))
        obj = f"alert test {self.name!r}"
        if not self.name:
            report("definition/test-name", "alert test", "give the case a name", self.location)
        interval = _ms(self.interval, obj, "interval", self.location)
        if not self.expect:
            report(
                "definition/test-expect",
                obj,
                "no expectation",
                self.location,
                "list Fires(...) and Quiet(...) in expect=",
            )
        given: tuple[object, ...] = (*self.expect, *self.series)  # definitions are untyped
        for item in given:
            if not isinstance(item, Fires | Quiet | Series):
                report(
                    "definition/test-expect",
                    obj,
                    f"not a Series, Fires or Quiet: {item!r}",
                    self.location,
                )
        for series in self.series:
            if isinstance(series, Series) and interval and series.samples.misaligned(interval):
                report(
                    "definition/test-values",
                    obj,
                    f"series {series.text}: phases must last whole multiples of the "
                    f"interval ({self.interval})",
                    series.location,
                )

    @property
    def interval_ms(self) -> int:
        return parse_ms(self.interval)

    @property
    def end_ms(self) -> int:
        """The time of the last input sample (0 without input series)."""
        return max((s.samples.end_ms(self.interval_ms) for s in self.series), default=0)

    @property
    def fires(self) -> tuple[Fires, ...]:
        return tuple(e for e in self.expect if isinstance(e, Fires))

    @property
    def quiet(self) -> tuple[Quiet, ...]:
        return tuple(e for e in self.expect if isinstance(e, Quiet))


# -- helpers ----------------------------------------------------------------------------------

Inputs = Callable[[Profile], Sequence[Series]]
AnnotationsFor = Mapping[str, str] | Callable[[float], Mapping[str, str]]


def threshold_cases(
    inputs: Inputs,
    *,
    threshold: Number,
    alert_threshold: Number | None = None,
    for_: str = "",
    above: bool = True,
    quiet: Number | None = None,
    firing: Number | None = None,
    window: str = "0s",
    interval: str = "",
    brief: str = "",
    labels: Mapping[str, str] | None = None,
    annotations: AnnotationsFor | None = None,
) -> list[AlertTest]:
    """The boundary cases of an alert that fires when a value passes ``threshold``.

    ``inputs(profile)`` returns the input series whose expression reads the profile's level
    (``lambda p: [Series(QUEUE, p.gauge())]``). Levels: ``quiet`` just on the quiet side,
    ``firing`` just past it (5% of the threshold either side by default; keep ``firing`` at
    most as far from the threshold as ``quiet``, so windows average a brief spike away).
    ``window`` is how long the expression takes to follow its input: its range (``[10m]``).
    When the level is not the value the expression compares (the share of slow requests
    behind a p95 alert), ``alert_threshold`` is the number it compares with; lint checks it
    against the expression, and ``for_`` against the alert's.
    ``annotations`` (a mapping, or a function of the firing level) gives the expected text of
    templated annotations. Cases: just short of the threshold (never fires), just past it
    (fires), past it for less than ``for`` (never fires) and for longer than ``for`` (quiet
    until ``for`` could have elapsed, firing after); without ``for`` only the first two.
    """
    where = caller_location()
    threshold_q = exact(threshold)
    step = abs(threshold_q) / 20 or Fraction(1, 10)
    sign = 1 if above else -1
    quiet_q = exact(quiet) if quiet is not None else threshold_q - sign * step
    firing_q = exact(firing) if firing is not None else threshold_q + sign * step
    _check_levels(threshold_q, quiet_q, firing_q, above, where)
    obj = "threshold_cases"
    for_ms = _ms(for_, obj, "for_", where) if for_ else 0
    window_ms = _ms(window, obj, "window", where)
    interval_ms = _ms(interval, obj, "interval", where) if interval else _interval_for(for_ms)
    if not interval_ms:
        return []
    every = format_ms(interval_ms)
    lead = window_ms + interval_ms  # a full window of the quiet level before the change
    horizon = lead + window_ms + for_ms + 2 * interval_ms
    fired = _annotations(annotations, float(firing_q))
    side = f"{'>' if above else '<'} {number_text(threshold_q)}"
    hold = format_ms(horizon)

    def case(name: str, profile: Profile, expect: list[Expectation]) -> AlertTest:
        return AlertTest(
            name,
            series=tuple(inputs(profile)),
            expect=expect,
            interval=every,
            assumes_for=for_ or "0s",
            assumes_threshold=threshold if alert_threshold is None else alert_threshold,
            location=where,
        )

    def fires_at(at_ms: int) -> Fires:
        return Fires(format_ms(at_ms), labels or {}, fired, location=where)

    q, f = number_text(quiet_q), number_text(firing_q)
    cases = [
        case(
            f"just short of the threshold ({q}; fires when {side}): never fires",
            steady(quiet_q, hold),
            [Quiet(hold, since="0s", location=where)],
        ),
        case(
            f"just past the threshold ({f}; fires when {side}): fires",
            steady(firing_q, hold),
            [fires_at(horizon)],
        ),
    ]
    if not for_ms:
        return cases
    spike = _ms(brief, obj, "brief", where) if brief else _brief(for_ms, interval_ms)
    if spike >= for_ms:
        report("definition/test-levels", obj, f"brief ({brief}) must be shorter than for", where)
        return cases
    after = horizon - lead - spike
    cases.append(
        case(
            f"past the threshold ({f}) for {format_ms(spike)}, less than for ({for_}): never fires",
            steady(quiet_q, format_ms(lead))
            + steady(firing_q, format_ms(spike))
            + steady(quiet_q, format_ms(after)),
            [Quiet(hold, since="0s", location=where)],
        )
    )
    cases.append(
        case(
            f"past the threshold ({f}) for longer than for ({for_}): "
            "quiet until for has elapsed, then fires",
            steady(quiet_q, format_ms(lead)) + steady(firing_q, format_ms(horizon - lead)),
            [
                Quiet(format_ms(lead + for_ms - interval_ms), since="0s", location=where),
                fires_at(horizon),
            ],
        )
    )
    return cases


def _check_levels(
    threshold: Fraction, quiet: Fraction, firing: Fraction, above: bool, where: Location
) -> None:
    sign = 1 if above else -1
    obj = "threshold_cases"
    if sign * (firing - threshold) <= 0:
        report("definition/test-levels", obj, "firing level is not past the threshold", where)
    if sign * (threshold - quiet) < 0:
        report("definition/test-levels", obj, "quiet level is past the threshold", where)
    elif abs(firing - threshold) > abs(threshold - quiet):
        report(
            "definition/test-levels",
            obj,
            "the firing level is further from the threshold than the quiet level",
            where,
            "a brief spike then stays over the threshold for longer than it lasts",
        )


def _interval_for(for_ms: int) -> int:
    """A sample interval fine enough to fit a spike shorter than ``for``: 1m, or for/4."""
    if not for_ms or for_ms >= 240_000:
        return 60_000
    return max(1000, for_ms // 4 // 1000 * 1000)


def _brief(for_ms: int, interval_ms: int) -> int:
    return max(interval_ms, for_ms // 2 // interval_ms * interval_ms)


def _annotations(given: AnnotationsFor | None, level: float) -> Mapping[str, str]:
    if given is None:
        return {}
    return given(level) if callable(given) else given


def observations(
    histogram: Selector,
    rates: Mapping[Number, Number] | Callable[[float], Mapping[Number, Number]],
    over: str | Profile,
) -> list[Series]:
    """The series of a histogram child observing values at given rates per second.

    ``rates`` maps an observed value to how many such observations happen per second
    (``{0.04: 9.5, 0.2: 0.5}``: 5% of requests take 200ms); ``over`` is how long, or a
    Profile whose level ``rates`` is a function of (``lambda share: {...}``). Every bucket,
    _count and _sum grows consistently, as a real client would expose them.
    """
    where = caller_location()
    metric = histogram.metric
    if not isinstance(metric, Histogram):
        report("definition/test-series", f"observations({histogram})", "needs a histogram", where)
        return []
    profile = over if isinstance(over, Profile) else steady(1, over)

    mixes: dict[float, list[tuple[Fraction, Fraction]]] = {}  # one per level, for every bucket

    def mix(level: float) -> list[tuple[Fraction, Fraction]]:
        if level not in mixes:
            given = rates(level) if callable(rates) else rates
            mixes[level] = [(exact(value), exact(rate)) for value, rate in given.items()]
        return mixes[level]

    def bucket(bound: Fraction | None) -> Callable[[float], Number]:
        return lambda level: sum(
            (r for v, r in mix(level) if bound is None or v <= bound), Fraction(0)
        )

    matchers = {m.label: m.value for m in histogram.matchers}
    bounds = [exact(b) for b in metric.buckets if math.isfinite(b)]
    out = [
        Series(metric.bucket(**matchers, le=le), profile.counter(bucket(bound)), where)
        for le, bound in zip(metric.le_values(), [*bounds, None], strict=True)
    ]
    out.append(Series(metric.count(**matchers), profile.counter(bucket(None)), where))
    total = lambda level: sum((v * r for v, r in mix(level)), Fraction(0))  # noqa: E731
    out.append(Series(metric.sum(**matchers), profile.counter(total), where))
    return out
