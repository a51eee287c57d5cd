"""PromQL analysis: Grafana variable substitution, selectors, label flow."""

from __future__ import annotations

import pytest

from sarkmon.model import Catalog, Counter, Gauge, Histogram, Scrape, ScrapeJob
from sarkmon.promql.convert import to_tree
from sarkmon.promql.labels import output_labels
from sarkmon.promql.parse import parse
from sarkmon.promql.tree import Selector
from sarkmon.promql.variables import substitute, variables_in
from sarkmon.promql.walk import selectors

CATALOG = Catalog(
    [
        Counter("req_total", "r", labels=("route", "code")),
        Counter("err_total", "e", labels=("route", "kind")),
        Histogram("lat_seconds", "l", labels=("route",), buckets=(0.1, 1)),
        Gauge("info_gauge", "i", labels=("route", "owner")),
    ],
    Scrape([ScrapeJob("app", targets=("a:1",), labels={"tier": "web"})]),
)
TARGET = {"job", "instance", "tier"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("rate(x[$__rate_interval])", "rate(x[60001ms])"),
        ("rate(x[${__interval}])", "rate(x[1m])"),
        ("rate(x[[[interval]]])", "rate(x[5m])"),
        ("sum by ($group) (x)", "sum by (group) (x)"),
        ("sum without (a, ${grp:raw}) (x)", "sum without (a, grp) (x)"),
        ('x{a=~"$server", b="${b:regex}"}', 'x{a=~"$server", b="${b:regex}"}'),
        ("topk($n, x)", "topk(1, x)"),
        ("x > $threshold", "x > 1"),
        ("increase(x[$__range])", "increase(x[1h])"),
        ("x / $__range_s", "x / 3600"),
    ],
)
def test_substitution_keeps_queries_parseable(query: str, expected: str) -> None:
    assert substitute(query) == expected
    assert parse(query).ok


def test_substitution_uses_known_values_where_they_fit() -> None:
    values = {"interval": "30s", "n": "5", "group": "route", "bad": "not a label"}
    assert substitute("rate(x[$interval])", values) == "rate(x[30s])"
    assert substitute("topk($n, sum by ($group) (x))", values) == "topk(5, sum by (route) (x))"
    assert substitute("sum by ($bad) (x)", values) == "sum by (bad) (x)"


def test_variables_in_lists_each_variable_once() -> None:
    query = 'sum by ($g) (rate(x{s=~"${server:regex}"}[$__rate_interval])) / $g'
    assert variables_in(query) == ["g", "server", "__rate_interval"]


def test_parse_reports_errors_without_raising() -> None:
    bad = parse("sum(rate(x[5m])")
    assert not bad.ok and bad.error == "unclosed left parenthesis"
    assert parse("rate(x)").error.startswith("expected type matrix")


def test_selectors_carry_range_offset_and_function() -> None:
    uses = list(
        selectors(
            parse(
                'histogram_quantile(0.9, sum by (le) (rate(lat_seconds_bucket{route="/a"}[5m] offset 1h))) '
                "/ on() group_left sum(info_gauge)"
            ).ast
        )
    )
    assert [(u.name, u.range_ms, u.offset_ms, u.function) for u in uses] == [
        ("lat_seconds_bucket", 300_000, 3_600_000, "rate"),
        ("info_gauge", None, None, None),
    ]
    assert [str(m) for m in uses[0].matchers] == ['route="/a"']
    name_only = list(selectors(parse('{__name__="req_total", code="500"}').ast))
    assert name_only[0].name == "req_total" and [m.label for m in name_only[0].matchers] == ["code"]


@pytest.mark.parametrize(
    ("query", "labels"),
    [
        ("req_total", {"route", "code"} | TARGET),
        ("rate(req_total[5m])", {"route", "code"} | TARGET),
        ("sum(rate(req_total[5m]))", set()),
        ("sum by (route) (rate(req_total[5m]))", {"route"}),
        ("sum by (route, nope) (req_total)", {"route"}),
        ("sum without (code) (req_total)", {"route"} | TARGET),
        ("topk(3, req_total)", {"route", "code"} | TARGET),
        ('count_values("v", sum by (route) (req_total))', {"v"}),
        ('count_values by (route) ("v", req_total)', {"route", "v"}),
        ("histogram_quantile(0.9, sum by (le, route) (rate(lat_seconds_bucket[5m])))", {"route"}),
        ("histogram_quantile(0.9, rate(lat_seconds_bucket[5m]))", {"route"} | TARGET),
        ("sum by (route) (req_total) / on (route) sum by (route, kind) (err_total)", {"route"}),
        (
            "sum by (route) (req_total) / ignoring (kind) sum by (route, kind) (err_total)",
            {"route"},
        ),
        (
            "sum by (route, code) (req_total) * on (route) group_left (owner) info_gauge",
            {"route", "code", "owner"},
        ),
        (
            "info_gauge * on (route) group_right (owner) sum by (route, code) (req_total)",
            {"route", "code", "owner"},
        ),
        ("sum by (route) (req_total) and on (route) sum by (route, kind) (err_total)", {"route"}),
        ("sum by (route) (req_total) or sum by (kind) (err_total)", {"route", "kind"}),
        ("sum(req_total) > 5", set()),
        ("5 < sum by (code) (req_total)", {"code"}),
        ("vector(0)", set()),
        ("time() - 5", set()),
        ('absent(req_total{route="/x", code=~"5.."})', {"route"}),
        (
            'label_replace(sum by (route) (req_total), "path", "$1", "route", "(.*)")',
            {"route", "path"},
        ),
        ("hour(sum by (route) (info_gauge))", {"route"}),
        ("max_over_time(sum by (route) (req_total)[1h:5m])", {"route"}),
        ("-(sum by (code) (req_total))", {"code"}),
    ],
)
def test_label_flow(query: str, labels: set[str]) -> None:
    parsed = parse(query)
    assert parsed.ok, parsed.error
    assert output_labels(parsed.ast, CATALOG) == frozenset(labels)


@pytest.mark.parametrize("query", ["unknown_metric", "sum without (a) (unknown)", "x or req_total"])
def test_label_flow_is_unknown_for_undeclared_metrics(query: str) -> None:
    assert output_labels(parse(query).ast, CATALOG) is None


def test_a_rate_interval_range_is_told_from_a_literal_one() -> None:
    def selector(query: str) -> Selector:
        tree = to_tree(parse(query).ast, CATALOG)
        return next(n for n in tree.walk() if isinstance(n, Selector))

    variable = selector("rate(req_total[$__rate_interval])")
    assert variable.range_is_rate_interval and variable.text == "req_total[$__rate_interval]"
    literal = selector("rate(req_total[1m])")
    assert not literal.range_is_rate_interval and literal.text == "req_total[1m]"
