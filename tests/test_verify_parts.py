"""The parts of verify: the synthetic workload, Grafana's variables, ALERTS queries."""

from __future__ import annotations

import io
import itertools
import math
import re
from collections import defaultdict

import pytest

from sarkmon.analysis import ExprSite, analyze_site
from sarkmon.model import (
    AlertRule,
    Catalog,
    Counter,
    Gauge,
    Histogram,
    Label,
    RuleFile,
    RuleGroup,
    Scrape,
    ScrapeJob,
    Summary,
)
from sarkmon.model.metrics import Status
from sarkmon.pipeline import Build
from sarkmon.source import UNKNOWN
from sarkmon.verify.alerts import AlertCatalog, alert_selectors
from sarkmon.verify.queries import interpolate, variable_query, variables_used, window
from sarkmon.verify.workload import (
    MAX_COMBINATIONS,
    label_sets,
    literal_values,
    regex_examples,
    write_openmetrics,
)
from sarkmon.views import VariableView

EVENTS = Counter(
    "app_events_total",
    "Events",
    labels=("event_type", Label("decision", values=("allow", "deny"))),
)
TOOLS = Counter("app_tool_calls_total", "Tool calls", labels=("event_type",))
LATENCY = Histogram("app_latency_seconds", "Latency", labels=("route",), buckets=(0.1, 0.5, 1))
UP = Gauge("app_up", "Up", created=False)
RSS = Gauge("app_resident_memory_bytes", "Memory", unit="bytes", created=False)
RECORDED = Gauge("job:app_events:rate5m", "Recorded", status=Status.RECORDED, scraped=False)
SUMMARY = Summary("app_wait_seconds", "Wait", quantiles=(0.5, 0.9))
SCRAPE = Scrape(
    [ScrapeJob("app", targets=("app:8000", "app:8001"), interval="10s", labels={"tier": "web"})]
)
CATALOG = Catalog([EVENTS, TOOLS, LATENCY, UP, RSS, RECORDED, SUMMARY], SCRAPE)


def site(text: str) -> ExprSite:
    return analyze_site(ExprSite(None, "panel", "p", text, UNKNOWN), CATALOG)


@pytest.mark.parametrize(
    ("pattern", "examples"),
    [
        ("5..", ["500"]),
        (".*admin.*", ["admin"]),
        ("new_.+", ["new_x"]),
        (r"api\.v1|web", ["api.v1", "web"]),
        ("(read|write)", ["read", "write"]),
        (".*(Auth|Security).*", ["Auth", "Security"]),
        ("[0-9]+", []),
        ("(", []),
    ],
)
def test_regex_examples_are_strings_the_regex_accepts(pattern: str, examples: list[str]) -> None:
    assert regex_examples(pattern) == examples
    for example in examples:
        assert re.fullmatch(pattern, example)


def test_label_values_come_from_enums_query_literals_pooled_by_name_and_one_synthetic() -> None:
    sites = [
        site('sum(rate(app_events_total{event_type="tool_invoke", decision="deny"}[5m]))'),
        site('sum(rate(app_tool_calls_total{event_type=~"login|logout"}[5m]))'),
        site(
            'app_tool_calls_total{event_type="$type", event_type!="x"}'
        ),  # variables, negations: no
    ]
    literals = literal_values(sites, CATALOG)
    assert literals == {"event_type": {"tool_invoke", "login", "logout"}}
    sets = label_sets(EVENTS, CATALOG, literals)
    # 4 event types x 2 decisions x 2 targets, each with the job's target labels.
    assert len(sets) == 16
    assert {s["event_type"] for s in sets} == {"login", "logout", "tool_invoke", "event_type-1"}
    assert {s["instance"] for s in sets} == {"app:8000", "app:8001"}
    assert all(s["job"] == "app" and s["tier"] == "web" for s in sets)
    # The other metric with an event_type label gets the same values.
    assert {s["event_type"] for s in label_sets(TOOLS, CATALOG, literals)} == {
        "login",
        "logout",
        "tool_invoke",
        "event_type-1",
    }


def test_too_many_combinations_still_cover_every_value() -> None:
    wide = Counter("app_wide_total", "Wide", labels=("a", "b", "c"))
    values = {name: {f"{name}{i}" for i in range(8)} for name in "abc"}
    sets = label_sets(wide, CATALOG, values)
    assert MAX_COMBINATIONS < 9**3
    assert len(sets) == (1 + 8 + 8 + 8) * 2  # each value once per label, with both targets
    for name in "abc":
        assert {s[name] for s in sets} == values[name] | {f"{name}-1"}


def parse_workload(text: str) -> dict[str, list[tuple[int, float]]]:
    series: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        key, value, ts = line.rsplit(" ", 2)
        series[key].append((int(ts), float(value)))
    return series


def test_workload_shapes_are_realistic_consistent_and_reproducible() -> None:
    out = io.StringIO()
    workload = write_openmetrics(out, CATALOG, [], 1_000_000, 1_003_600)
    text = out.getvalue()
    assert text.endswith("# EOF\n")
    again = io.StringIO()
    write_openmetrics(again, CATALOG, [], 1_000_000, 1_003_600)
    assert again.getvalue() == text
    series = parse_workload(text)
    assert workload.families == 6  # the recorded gauge is Prometheus's to write
    assert workload.series == len(series)
    assert not any(key.startswith("job:") for key in series)
    target = 'job="app",instance="app:8000",tier="web"'
    # Counters only grow, every scrape interval (10s for this job).
    allow = series[f'app_events_total{{event_type="event_type-1",decision="allow",{target}}}']
    assert [t for t, _ in allow[:3]] == [1_000_000, 1_000_010, 1_000_020]
    assert len(allow) == 361
    assert all(b[1] >= a[1] for a, b in itertools.pairwise(allow))
    assert allow[-1][1] > allow[0][1]
    # Denials grow slowly: at most 1.5/s (5% of the fastest rate, at the wave's crest).
    deny = series[f'app_events_total{{event_type="event_type-1",decision="deny",{target}}}']
    assert 0 < deny[-1][1] - deny[0][1] <= 1.5 * 3600
    # Histograms: cumulative buckets, +Inf equal to _count, _sum = count x mean.
    base = f'route="route-1",{target}'
    for at in (0, 180, 360):
        buckets = [
            series[f'app_latency_seconds_bucket{{{base},le="{le}"}}'][at][1]
            for le in ("0.1", "0.5", "1.0", "+Inf")
        ]
        count = series[f"app_latency_seconds_count{{{base}}}"][at][1]
        total = series[f"app_latency_seconds_sum{{{base}}}"][at][1]
        assert buckets == sorted(buckets) and buckets[-1] == count
        assert math.isclose(total, count * 0.5 * math.exp(0.5), rel_tol=1e-6)
    # Gauges: up is 1, memory moves around a level fitting bytes.
    assert {v for _, v in series[f"app_up{{{target}}}"]} == {1.0}
    memory = [v for _, v in series[f"app_resident_memory_bytes{{{target}}}"]]
    assert 0.75 * 2**27 < min(memory) < max(memory) < 1.25 * 2**27
    # Summary quantiles grow with the quantile.
    q50 = series[f'app_wait_seconds{{{target},quantile="0.5"}}'][0][1]
    q90 = series[f'app_wait_seconds{{{target},quantile="0.9"}}'][0][1]
    assert q50 < q90


def test_old_history_reached_by_offsets_is_sparse() -> None:
    out = io.StringIO()
    write_openmetrics(out, CATALOG, [], 1_000_000, 1_010_800, dense_from=1_007_200)
    times = [
        t
        for t, _ in parse_workload(out.getvalue())[
            'app_up{job="app",instance="app:8000",tier="web"}'
        ]
    ]
    assert times[:2] == [1_000_020, 1_000_080]  # a sample a minute, aligned
    assert times[-2:] == [1_010_790, 1_010_800]  # every scrape interval near the range


def test_grafana_intervals_follow_the_range_and_scrape_interval() -> None:
    hour = window(10_000, 3600, 15)
    assert (hour.start, hour.interval_s, hour.rate_interval_s) == (6_400, 15, 60)
    day = window(100_000, 86_400, 15)
    assert (day.interval_s, day.rate_interval_s) == (87, 102)


def test_variables_are_substituted_everywhere_as_grafana_does() -> None:
    values = {"server": "github", "__rate_interval": "1m", "window": "5m"}
    text = 'sum(rate(x{server=~"$server", s="${server:regex}"}[$__rate_interval])) [[window]] $nope'
    assert interpolate(text, values) == 'sum(rate(x{server=~"github", s="github"}[1m])) 5m $nope'
    assert variables_used(text) == ["server", "server", "__rate_interval", "window", "nope"]


@pytest.mark.parametrize(
    ("query", "parsed"),
    [
        ("label_values(app_events_total, event_type)", ("app_events_total", "event_type")),
        ('label_values(up{job="app"}, instance)', ('up{job="app"}', "instance")),
        ("label_values(instance)", ("", "instance")),
        ("query_result(topk(5, app_up))", ("topk(5, app_up)", "")),
    ],
)
def test_variable_queries(query: str, parsed: tuple[str, str]) -> None:
    assert variable_query(VariableView("v", "query", query)) == parsed


def test_alerts_queries_match_the_alerts_that_could_fire() -> None:
    alerts = RuleFile(
        "app",
        groups=[
            RuleGroup(
                "app",
                rules=[
                    AlertRule("AppDown", "app_up == 0", severity="critical", component="api"),
                    AlertRule(
                        "SlowRoute",
                        "histogram_quantile(0.9, sum by (le, route) (rate(app_latency_seconds_bucket[5m]))) > 1",
                        labels={"page": "{{ $labels.route }}"},
                    ),
                ],
            )
        ],
    )
    sites = [
        analyze_site(ExprSite(a, "alert", a.name, str(a.expr), UNKNOWN), CATALOG)
        for a in alerts.alerts
    ]
    build = Build(None, CATALOG, (alerts,), tuple(sites), ())  # type: ignore[arg-type]
    catalog = AlertCatalog(build)

    def matching(expr: str) -> list[str]:
        uses = alert_selectors(expr)
        assert uses is not None
        return catalog.matching(uses[0])

    assert matching('ALERTS{alertstate="firing"}') == ["AppDown", "SlowRoute"]
    assert matching('ALERTS{severity="critical"}') == ["AppDown"]
    assert matching('count(ALERTS{alertname=~"App.*", alertstate="pending"})') == ["AppDown"]
    assert matching('ALERTS{route="/"}') == ["SlowRoute"]  # its expression keeps route
    assert matching('ALERTS{page="x"}') == ["SlowRoute"]  # a templated label: any value
    assert matching('ALERTS{component="db"}') == []
    assert matching('ALERTS{alertstate="resolved"}') == []
    assert alert_selectors("ALERTS and on() app_up") is None
    assert alert_selectors("sum(") is None


def test_a_recording_seen_late_after_a_restart_is_asked_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sarkmon.model import RecordingRule
    from sarkmon.verify import run

    early = RecordingRule("job:a:sum", "sum(a)")
    late = RecordingRule("job:b:sum", "sum(b)")
    never = RecordingRule("job:c:sum", "sum(c)")
    asked: list[str] = []

    def has_data(server: object, rule: RecordingRule, range_s: int, at: int) -> bool:
        asked.append(rule.record)
        # `late` shows only from the second look on; `never` has no data at all.
        return rule is early or (rule is late and asked.count(late.record) > 1)

    monkeypatch.setattr(run, "_has_data", has_data)
    monkeypatch.setattr(run, "RECHECK_PAUSES_S", (0.0, 0.0, 0.0))
    found = run._with_data(None, [early, late, never], 60, 0)  # type: ignore[arg-type]
    assert found == {id(early), id(late)}
    # Found rules are not asked again; the one without data is asked at every pause.
    assert asked.count("job:a:sum") == 1
    assert asked.count("job:b:sum") == 2
    assert asked.count("job:c:sum") == 3
