"""The typed expression tree: structure, pinned label values, value flows, units, constants."""

from __future__ import annotations

import pytest

from sarkmon.analysis import ExprSite, analyze_site, recorded_metrics
from sarkmon.model import (
    Catalog,
    Counter,
    Gauge,
    Histogram,
    RecordingRule,
    RuleFile,
    RuleGroup,
    Scrape,
    ScrapeJob,
    Summary,
)
from sarkmon.model.metrics import MetricType
from sarkmon.promql.convert import to_tree
from sarkmon.promql.parse import parse
from sarkmon.promql.tree import (
    Aggregation,
    Binary,
    Call,
    Card,
    Node,
    Paren,
    Selector,
    Subquery,
    Unary,
    ValueType,
    unwrap,
)
from sarkmon.source import Location

CATALOG = Catalog(
    [
        Counter("req_total", "r", labels=("route", "code")),
        Histogram("lat_seconds", "l", labels=("route",), unit="seconds", buckets=(0.1, 1)),
        Gauge("queue_depth", "q", labels=("route",)),
        Gauge("mem_bytes", "m", unit="bytes"),
        Gauge("cpu_ms", "c", unit="milliseconds"),
        Gauge("used_percent", "u", unit="percent"),
        Summary("size_bytes", "s", unit="bytes"),
        Gauge("node_up", "n", jobs=("node",)),
    ],
    Scrape(
        [
            ScrapeJob("app", targets=("a:1",), labels={"tier": "web"}),
            ScrapeJob("node", targets=("n:1",), labels={"tier": "infra"}),
        ]
    ),
)


def tree(query: str) -> Node:
    parsed = parse(query)
    assert parsed.ok, parsed.error
    return to_tree(parsed.ast, CATALOG)


def test_structure_keeps_functions_aggregations_and_matching() -> None:
    root = tree(
        'sum by (route) (rate(req_total{code="error"}[5m] offset 1h)) '
        "/ on (route) group_left (tier) max without (code) (queue_depth)"
    )
    assert isinstance(root, Binary)
    assert (root.op, root.card, root.matching, root.on, root.include) == (
        "/",
        Card.MANY_TO_ONE,
        ("route",),
        True,
        ("tier",),
    )
    assert isinstance(root.lhs, Aggregation) and root.lhs.grouping == ("route",)
    assert not root.lhs.without and root.lhs.grouped
    assert isinstance(root.rhs, Aggregation) and root.rhs.without
    rate = root.lhs.expr
    assert isinstance(rate, Call) and rate.arg_types == (ValueType.MATRIX,)
    selector = rate.args[0]
    assert isinstance(selector, Selector)
    assert (selector.range_ms, selector.offset_ms) == (300_000, 3_600_000)
    assert selector.text == 'req_total{code="error"}[5m] offset 1h'
    assert selector.metric is not None and selector.metric.type is MetricType.COUNTER
    kinds = [type(n).__name__ for n in root.walk()]
    assert kinds == ["Binary", "Aggregation", "Call", "Selector", "Aggregation", "Selector"]


def test_wrappers_and_set_operators() -> None:
    root = tree("-(max_over_time(queue_depth[1h:5m])) and bool_ish_unknown")
    assert isinstance(root, Binary) and root.is_set_operator and root.card is Card.MANY_TO_MANY
    negative = root.lhs
    assert isinstance(negative, Unary) and isinstance(negative.expr, Paren)
    call = unwrap(negative.expr)
    assert isinstance(call, Call) and isinstance(call.args[0], Subquery)
    assert call.args[0].range_ms == 3_600_000 and call.args[0].step_ms == 300_000
    assert tree("x == bool 1").bool_modifier  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("query", "pins"),
    [
        ('req_total{code="error", route=~"/a.*"}', {"code": "error", "tier": "web", "job": "app"}),
        ('sum by (code) (req_total{code="error", route="/a"})', {"code": "error"}),
        (
            'sum without (code) (req_total{code="error", route="/a"})',
            {"route": "/a", "job": "app", "tier": "web"},
        ),
        ("node_up", {"job": "node", "tier": "infra"}),
        ('req_total{code="ok"} or req_total{code="error"}', {"job": "app", "tier": "web"}),
        (
            'label_replace(req_total{route="/a"}, "route", "x", "code", ".*")',
            {"job": "app", "tier": "web"},
        ),
        ('absent(req_total{route="/a", code=~"5.."})', {"route": "/a"}),
        (
            'sum by (route) (req_total{route="/a"}) / on (route) group_left sum by (route) (req_total)',
            {"route": "/a"},
        ),
    ],
)
def test_pinned_label_values(query: str, pins: dict[str, str]) -> None:
    assert dict(tree(query).pinned) == {k: v for k, v in pins.items()}


@pytest.mark.parametrize(
    ("query", "flows", "raw"),
    [
        ("req_total", ["req_total"], ["req_total"]),
        ("sum(rate(req_total[5m]))", ["req_total"], []),
        (
            "histogram_quantile(0.9, lat_seconds_bucket)",
            ["lat_seconds_bucket"],
            ["lat_seconds_bucket"],
        ),
        ("count(req_total)", [], []),
        ("queue_depth and req_total", ["queue_depth"], []),
        ("queue_depth > bool 3", [], []),
        ("absent(req_total)", [], []),
        ("req_total - req_total offset 1h", ["req_total", "req_total"], ["req_total", "req_total"]),
        ("avg_over_time(req_total[5m])", ["req_total"], ["req_total"]),
    ],
)
def test_value_flows_and_raw_counters(query: str, flows: list[str], raw: list[str]) -> None:
    root = tree(query)
    assert [s.name for s in root.flows] == flows
    assert [s.name for s in root.raw] == raw


@pytest.mark.parametrize(
    ("query", "unit", "converted"),
    [
        ("histogram_quantile(0.9, sum by (le) (rate(lat_seconds_bucket[5m])))", "seconds", False),
        (
            "histogram_quantile(0.9, sum by (le) (rate(lat_seconds_bucket[5m]))) * 1000",
            "milliseconds",
            True,
        ),
        ("rate(lat_seconds_sum[5m]) / rate(lat_seconds_count[5m])", "seconds", False),
        ("sum(rate(req_total{code='error'}[5m])) / sum(rate(req_total[5m]))", "a 0-1 ratio", False),
        (
            "100 * sum(rate(req_total{code='error'}[5m])) / sum(rate(req_total[5m]))",
            "percent",
            True,
        ),
        ("mem_bytes / 1024 / 1024", "MiB", True),
        ("cpu_ms", "milliseconds", False),
        ("used_percent", "percent", False),
        ("time() - queue_depth", "unknown", False),
        ("sum(rate(req_total[5m]))", "per second", False),
        ("count(queue_depth)", "count", False),
        ("(sum(rate(req_total[5m])) or vector(0)) == 0", "per second", False),
        (
            "1 - sum(rate(req_total{code='ok'}[5m])) / sum(rate(req_total[5m]))",
            "a 0-1 ratio",
            False,
        ),
        ("size_bytes_sum / size_bytes_count", "bytes", False),
        ("queue_depth ^ 2", "unknown", False),
        ("unknown_metric * 1000", "unknown", False),
    ],
)
def test_units(query: str, unit: str, converted: bool) -> None:
    quantity = tree(query).quantity
    assert quantity.describe() == unit
    assert quantity.converted is converted


def test_constants_fold_and_shapes_ignore_filters_and_factors() -> None:
    assert tree("2 * 1024 ^ 2").constant == 2 * 1024**2
    assert tree("1 > bool 0").constant == 1.0
    assert tree("-(3)").constant == -3.0
    assert tree("1 / 0").constant is not None
    assert tree("queue_depth").constant is None
    deny = tree('100 * rate(req_total{code="error"}[5m])')
    every = tree("rate(req_total[5m])")
    assert deny.shape(frozenset({"code"})) == every.shape(frozenset({"code"}))
    assert deny.shape(frozenset()) != every.shape(frozenset())


def test_sites_cache_nodes_and_selectors_and_recordings_become_metrics() -> None:
    site = analyze_site(
        ExprSite(
            None, "panel", "p", "sum(rate(req_total[5m])) / sum(queue_depth)", Location("d", 1)
        ),
        CATALOG,
    )
    assert len(site.nodes) == 6
    assert [(s.name, f) for s, f in site.selector_functions] == [
        ("req_total", "rate"),
        ("queue_depth", None),
    ]
    rules = RuleFile(
        "r",
        [
            RuleGroup(
                "g",
                [
                    RecordingRule("route:req:sum_total", "sum by (route) (req_total)"),
                    RecordingRule("route:req:rate5m", "sum by (route) (rate(req_total[5m]))"),
                ],
            )
        ],
    )
    grown = recorded_metrics([rules], CATALOG)
    total = grown.metric("route:req:sum_total")
    rate = grown.metric("route:req:rate5m")
    assert total is not None and total.type is MetricType.COUNTER
    assert rate is not None and rate.type is MetricType.GAUGE
    assert grown.series_labels("route:req:rate5m") == frozenset({"route"})


def test_a_job_matcher_narrows_the_target_labels_to_that_job() -> None:
    catalog = Catalog(
        [Gauge("up", "u", jobs=("*",))],
        Scrape(
            [
                ScrapeJob("app", labels={"tier": "web", "team": "a"}),
                ScrapeJob("node", labels={"tier": "infra"}),
            ]
        ),
    )
    every = to_tree(parse("up").ast, catalog)
    node = to_tree(parse('up{job="node"}').ast, catalog)
    other = to_tree(parse('up{job="elsewhere"}').ast, catalog)
    assert every.labels == frozenset({"job", "instance", "tier", "team"})
    assert node.labels == frozenset({"job", "instance", "tier"})
    assert other.labels == every.labels
