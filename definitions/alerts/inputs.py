"""Input builders for alert tests: a test profile's level as the series an expression reads.

``threshold_cases`` moves one level around an alert's threshold; these turn that level into
catalog series: counters growing at the level per second, gauges holding it, or a share of
a fixed traffic split between two outcomes (the level is the share of the first).
"""

from __future__ import annotations

from collections.abc import Callable

from sarkmon.model import Selector
from sarkmon.model.alert_tests import Profile, Series, observations
from sarkmon.model.series_values import exact

Inputs = Callable[[Profile], list[Series]]

# The labels of one gateway call, for the request counters' test series.
CALLS = {"method": "POST", "endpoint": "/gateway/invoke", "tool": "search", "user": "alice"}


def counting(*selectors: Selector, extra: tuple[Series, ...] = ()) -> Inputs:
    """Counters growing by the level per second in all, split evenly between the selectors."""
    parts = len(selectors)
    return lambda p: [
        *(Series(s, p.counter(lambda level: exact(level) / parts)) for s in selectors),
        *extra,
    ]


def holding(*selectors: Selector) -> Inputs:
    """Gauges holding the level in all, split evenly between the selectors."""
    parts = len(selectors)
    return lambda p: [Series(s, p.gauge(lambda level: exact(level) / parts)) for s in selectors]


def share(part: Selector, rest: Selector, total: float = 10) -> Inputs:
    """``total`` events per second, the level's share of them ``part``, the rest ``rest``."""
    return lambda p: [
        Series(part, p.counter(lambda s: exact(total) * exact(s))),
        Series(rest, p.counter(lambda s: exact(total) * (1 - exact(s)))),
    ]


def constant(selector: Selector, rate: float, profile: Profile) -> Series:
    """A counter growing at a fixed rate for as long as ``profile`` lasts."""
    return Series(selector, profile.counter(lambda _: rate))


def slow_share(histogram: Selector, fast: float, slow: float, total: float = 10) -> Inputs:
    """``total`` observations per second of a histogram, the level's share taking ``slow``.

    A quantile passes a bucket bound between ``fast`` and ``slow`` exactly when the slow
    share passes ``1 - q`` (5% for a p95): the share is the level to move around that.
    """
    return lambda p: observations(
        histogram, lambda s: {fast: total * (1 - s), slow: total * s}, over=p
    )
