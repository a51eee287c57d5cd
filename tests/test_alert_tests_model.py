"""The alert test-case model: series values, expectations and the boundary-case helpers."""

from __future__ import annotations

from fractions import Fraction

import pytest

from sarkmon.diagnostics import DefinitionError, collecting
from sarkmon.model import Counter, Gauge, Histogram, Label
from sarkmon.model.alert_tests import (
    AlertTest,
    Fires,
    Quiet,
    Series,
    absent,
    observations,
    steady,
    threshold_cases,
)
from sarkmon.model.series_values import Values, exact, notation_slots, number_text

REQUESTS = Counter(
    "app_requests_total", "Requests", labels=("route", Label("code", values=("ok", "error")))
)
QUEUE = Gauge("app_queue_depth", "Queue depth")
LATENCY = Histogram("app_latency_seconds", "Latency", labels=("route",), buckets=(0.1, 0.5, 1))


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        ("1", 1),
        ("0+10x30", 31),
        ("5-1x4", 5),
        ("1x10 _x5 stale 3", 18),
        ("_ _ 1e3 -2 +Inf NaN", 6),
        ("1.5+0.25x2", 3),
    ],
)
def test_notation_counts_slots_as_promtool_does(text: str, slots: int) -> None:
    assert notation_slots(text) == slots


@pytest.mark.parametrize("text", ["", "1+2", "a", "1x", "0+10y3", "1,2"])
def test_invalid_notation_is_a_definition_error(text: str) -> None:
    assert notation_slots(text) is None
    with pytest.raises(DefinitionError, match="not promtool's expanding notation"):
        Values.of(text)


def test_numbers_are_exact() -> None:
    assert exact(0.1) * 60 == 6
    assert number_text(exact(10 * (1 - 0.31))) == "6.9"
    assert number_text(Fraction(1, 3)) == "0.333333333333333"
    assert number_text(Fraction(120)) == "120"
    with pytest.raises(TypeError):
        exact(True)


def test_profiles_render_counters_and_gauges_per_interval() -> None:
    profile = steady(0.1, "10m") + steady(0.5, "5m") + absent("2m") + steady(0, "3m")
    assert profile.duration_ms == 20 * 60_000
    counter = profile.counter()
    # 6 per minute for 10 minutes, then 30 per minute, a gap, then flat at the last value.
    assert counter.notation(60_000) == "0+6x10 90+30x4 _x2 210x2"
    assert counter.notation(30_000) == "0+3x20 75+15x9 _x4 210x5"
    assert counter.end_ms(60_000) == 20 * 60_000
    assert profile.gauge(lambda v: 100 * v).notation(60_000) == "10x10 50x4 _x2 0x2"
    assert absent("5m").counter().notation(60_000) == "_x6"
    # Runs that continue each other merge.
    assert (steady(1, "5m") + steady(1, "5m")).counter().notation(60_000) == "0+60x10"
    assert counter.describe() == "counter: 0.1 for 10m, 0.5 for 5m, absent for 2m, 0 for 3m"
    # A phase one sample long is written as that sample: promtool rejects "300+180".
    short = (steady(1, "2m") + steady(3, "1m")).counter().notation(60_000)
    assert short == "0+60x2 300"
    assert notation_slots(short) == 4


def test_counter_profiles_cannot_decrease() -> None:
    with pytest.raises(DefinitionError, match="a counter cannot decrease"):
        steady(1, "5m").counter(lambda v: -v)


def test_series_from_selectors_and_strings() -> None:
    series = Series(REQUESTS(route="/", code="ok"), "0+1x5")
    assert series.text == 'app_requests_total{route="/", code="ok"}'
    assert Series(QUEUE, "1").text == "app_queue_depth"
    assert Series('app_queue_depth{instance="a"}', "1").text == 'app_queue_depth{instance="a"}'
    with pytest.raises(DefinitionError, match="give a catalog metric"):
        Series(42, "1")  # type: ignore[arg-type]


def test_alert_test_checks_its_parts() -> None:
    with collecting() as problems:
        AlertTest("no expectations", series=[Series(QUEUE, steady(1, "90s").gauge())])
        AlertTest("", expect=[Quiet("5m")])
        AlertTest("bad item", expect=["fires at 5m"])  # type: ignore[list-item]
        Quiet("5m", since="10m")
        Fires("soon")
    messages = [f"{p.check}: {p.message}" for p in problems.findings]
    assert messages == [
        "definition/test-expect: no expectation",
        "definition/test-values: series app_queue_depth: phases must last whole multiples of "
        "the interval (1m)",
        "definition/test-name: give the case a name",
        "definition/test-expect: not a Series, Fires or Quiet: 'fires at 5m'",
        "definition/test-time: since (10m) must be before at (5m)",
        "definition/duration: at: invalid duration 'soon' (use units ms, s, m, h, d, w, y as in "
        "'1h30m')",
    ]


def test_alert_test_end_is_its_longest_series() -> None:
    test = AlertTest(
        "t",
        series=[Series(QUEUE, "1x10"), Series(QUEUE, steady(1, "30m").gauge())],
        expect=[Quiet("5m")],
    )
    assert test.end_ms == 30 * 60_000
    assert AlertTest("none", expect=[Quiet("5m")]).end_ms == 0


def test_observations_fill_buckets_count_and_sum_consistently() -> None:
    series = observations(LATENCY(route="/"), {0.05: 9, 0.7: 1}, over="10m")
    by_name = {s.text: s.samples.notation(60_000) for s in series}
    assert by_name == {
        'app_latency_seconds_bucket{route="/", le="0.1"}': "0+540x10",
        'app_latency_seconds_bucket{route="/", le="0.5"}': "0+540x10",
        'app_latency_seconds_bucket{route="/", le="1.0"}': "0+600x10",
        'app_latency_seconds_bucket{route="/", le="+Inf"}': "0+600x10",
        'app_latency_seconds_count{route="/"}': "0+600x10",
        'app_latency_seconds_sum{route="/"}': "0+69x10",
    }
    # As a function of a profile's level: the share of slow requests.
    shifting = observations(
        LATENCY(route="/"),
        lambda s: {0.05: 10 * (1 - s), 0.7: 10 * s},
        over=steady(0, "2m") + steady(0.5, "2m"),
    )
    assert shifting[0].samples.notation(60_000) == "0+600x2 1500+300x1"
    with pytest.raises(DefinitionError, match="needs a histogram"):
        observations(REQUESTS(route="/"), {1: 1}, over="1m")


def test_threshold_cases_cover_both_sides_of_threshold_and_for() -> None:
    cases = threshold_cases(
        lambda p: [Series(QUEUE, p.gauge())],
        threshold=100,
        for_="5m",
        annotations=lambda v: {"description": f"{v:g} waiting"},
        labels={"queue": "mail"},
    )
    names = [c.name for c in cases]
    assert names == [
        "just short of the threshold (95; fires when > 100): never fires",
        "just past the threshold (105; fires when > 100): fires",
        "past the threshold (105) for 2m, less than for (5m): never fires",
        "past the threshold (105) for longer than for (5m): quiet until for has elapsed, then fires",
    ]
    under, over, brief, longer = cases
    assert all(
        c.interval == "1m" and c.assumes_for == "5m" and c.assumes_threshold == 100 for c in cases
    )
    # lead 1m at the quiet level, horizon = lead + for + 2 intervals
    assert under.series[0].samples.notation(60_000) == "95x8"
    assert under.expect == (Quiet("8m", since="0s"),)
    assert over.expect == (Fires("8m", {"queue": "mail"}, {"description": "105 waiting"}),)
    assert brief.series[0].samples.notation(60_000) == "95x1 105x1 95x4"
    assert longer.series[0].samples.notation(60_000) == "95x1 105x6"
    assert longer.expect[0] == Quiet("5m", since="0s")
    assert cases[0].location.file.endswith("test_alert_tests_model.py")


def test_threshold_cases_below_and_without_for() -> None:
    cases = threshold_cases(
        lambda p: [Series(QUEUE, p.gauge())], threshold=0.8, above=False, window="10m"
    )
    assert [c.name for c in cases] == [
        "just short of the threshold (0.84; fires when < 0.8): never fires",
        "just past the threshold (0.76; fires when < 0.8): fires",
    ]
    assert cases[1].expect[0].at == "23m"  # lead (window + 1m) + window + 2 intervals
    short = threshold_cases(lambda p: [Series(QUEUE, p.gauge())], threshold=0, for_="1m")
    assert short[0].interval == "15s"
    assert short[0].name.startswith("just short of the threshold (-0.1;")


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ({"firing": 90}, "firing level is not past the threshold"),
        ({"quiet": 110}, "quiet level is past the threshold"),
        ({"quiet": 99, "firing": 150}, "the firing level is further from the threshold"),
        ({"for_": "5m", "brief": "5m"}, r"brief \(5m\) must be shorter than for"),
    ],
)
def test_threshold_cases_reject_levels_on_the_wrong_side(
    levels: dict[str, int], message: str
) -> None:
    with pytest.raises(DefinitionError, match=message):
        threshold_cases(lambda p: [Series(QUEUE, p.gauge())], threshold=100, **levels)  # type: ignore[arg-type]
