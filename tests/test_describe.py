"""PromQL in words, thresholds and units: what runbooks say about an alert's condition."""

from __future__ import annotations

import pytest

from sarkmon.model import Catalog, Counter, Gauge, Histogram, Scrape, ScrapeJob
from sarkmon.promql.describe import (
    code,
    describe,
    humanize,
    number,
    percentile,
    thresholds,
    value_unit,
)
from sarkmon.promql.parse import parse

CATALOG = Catalog(
    [
        Histogram("lat_seconds", "Latency", buckets=(0.1, 1), unit="seconds"),
        Gauge("mem_bytes", "Memory", unit="bytes"),
        Counter("req_total", "Requests"),
    ],
    Scrape([ScrapeJob("app", targets=("a:1",))]),
)

WORDS = {
    "rate(req_total[5m])": "the per-second rate of `req_total` over 5m",
    'sum by (code) (increase(req_total{code!="200"}[1h]))': (
        'the sum by `code` of the increase of `req_total{code!="200"}` over 1h'
    ),
    "max_over_time(rate(x[5m])[30m:1m]) > bool 1": (
        "1 where the maximum of (the per-second rate of `x` over 5m) over 30m at 1m steps "
        "is above 1, else 0"
    ),
    "topk(3, avg without (instance) (x offset 1h))": (
        "the top 3 series of the average without `instance` of `x` as of 1h earlier"
    ),
    "a / on (job) group_left (team) b": "`a` divided by `b` (matching on `job`) (keeping `team`)",
    "a unless ignoring (x) b": "`a`, unless `b` (matching ignoring `x`)",
    "-x <= -3": "minus `x` is at most -3",
    "quantile(0.5, x) != 2": "the median of `x` differs from 2",
    "count without (i) (up == 0)": "the count without `i` of (`up` equals 0)",
    'count_values("v", x)': "the count of each value of `x` (into label `v`)",
    'label_replace(x, "a", "$1", "b", "(.*)")': "`x` (with label `a` rewritten)",
    'absent(up{job="a"})': '1 when no series matches `up{job="a"}`',
    "predict_linear(x[1h], 3600) < 0": (
        "`x` predicted 3600s ahead from its trend over 1h is below 0"
    ),
    "quantile_over_time(0.99, x[10m])": "the 99th percentile of `x` over 10m",
    "rate(x[1h] offset 1d)": "the per-second rate of `x` over 1h (1d earlier)",
    "clamp_min(a - b, 0)": "(`a` minus `b`), at least 0",
    "abs(a - b) > 1": "`abs`(`a` minus `b`) is above 1",
    "time() - x > 300": "(`time()` minus `x`) is above 300",
    "x[5m]": "`x` over the last 5m",
    '{__name__="x", job="a"}': '`{job="a"}`',
    'vector(1) or label_join(up, "x", "-", "a")': "1, or else `up` (with label `x` rewritten)",
    "sort_desc(sum(x))": "`sort_desc`(the sum of `x`)",
    "time()": "`time()`",
}


@pytest.mark.parametrize("query", sorted(WORDS))
def test_expressions_in_words(query: str) -> None:
    parsed = parse(query)
    assert parsed.ok, parsed.error
    assert describe(parsed.ast) == WORDS[query]


def test_thresholds_go_through_set_operators_and_flip_constants_on_the_left() -> None:
    ast = parse("(a > 5 and 0.2 >= b) or c == bool 1 or (d < -(2))").ast
    found = [(describe(t.subject), t.text) for t in thresholds(ast)]
    assert found == [("`a`", "> 5"), ("`b`", "<= 0.2"), ("`d`", "< -2")]
    assert list(thresholds(parse("a > b").ast)) == []


def test_units_follow_what_the_value_is() -> None:
    def unit(query: str) -> str:
        return value_unit(parse(query).ast, CATALOG)

    assert unit("histogram_quantile(0.9, sum by (le) (rate(lat_seconds_bucket[5m])))") == "seconds"
    assert unit("max_over_time(mem_bytes[1h])") == "bytes"
    assert unit("(avg(mem_bytes))") == "bytes"
    assert unit("quantile_over_time(0.9, mem_bytes[5m])") == "bytes"
    assert unit("rate(req_total[5m])") == ""
    assert unit("mem_bytes / 2") == ""
    assert unit("nope") == ""


def test_numbers_percentiles_and_human_values() -> None:
    assert [number(v) for v in (1000.0, 0.05, 1e-7, 2.5e20)] == ["1000", "0.05", "1e-07", "2.5e+20"]
    assert [percentile(p) for p in (0.5, 0.9, 0.91, 0.92, 0.93, 0.999, 0.11)] == [
        "median",
        "90th percentile",
        "91st percentile",
        "92nd percentile",
        "93rd percentile",
        "99.9th percentile",
        "11th percentile",
    ]
    assert [humanize(v, "seconds") for v in (0.05, 1.5, 90.5, 7200, 0)] == [
        "50ms",
        "1.5s",
        "90.5s",
        "2h",
        "",
    ]
    assert [humanize(v, "bytes") for v in (10, 1536, 2**30)] == ["10B", "1.5KiB", "1GiB"]
    assert humanize(5, "requests") == ""
    assert code("a`b") == "``a`b``" and code("`x") == "`` `x ``"
