"""Every check fires on its mistake and stays quiet on the correct form next to it.

Cases run against the lint fixtures' catalog (tests/fixtures/lint/lintdefs): a web job
scraped every 15s and a worker job every 30s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pytest

from sarkmon.analysis import analyze_site, dashboard_sites, recorded_metrics, rule_sites
from sarkmon.diagnostics import Finding, collecting
from sarkmon.lint import LintContext, all_checks, run_checks
from sarkmon.load import load_project
from sarkmon.model import AlertRule, Catalog, RecordingRule, RuleFile, RuleGroup, Runbook
from sarkmon.model.project import Project
from sarkmon.source import Location
from sarkmon.views import DashboardView, PanelView, TargetView, VariableView
from tests.conftest import FIXTURES

LINT_FIXTURES = FIXTURES / "lint"
RUNBOOK = Runbook(url="https://runbooks.example/x")


@pytest.fixture(scope="module")
def fixture_project() -> Project:
    project, problems = load_project("lintdefs", str(LINT_FIXTURES))
    assert not problems
    return project


def lint(
    catalog: Catalog,
    rule_files: Sequence[RuleFile] = (),
    dashboards: Sequence[DashboardView] = (),
    project: Project | None = None,
) -> list[Finding]:
    raw = [*rule_sites(rule_files), *dashboard_sites(dashboards)]
    sites = [analyze_site(site, catalog) for site in raw]
    return run_checks(LintContext(catalog, sites, rule_files, project, dashboards))


def alert(expr: str, **fields: object) -> AlertRule:
    values: dict[str, object] = {
        "summary": "s",
        "description": "d",
        "for_": "5m",
        "runbook": RUNBOOK,
        **fields,
    }
    return AlertRule("Checked", expr, **values)  # type: ignore[arg-type]


def rules(*alerts: AlertRule, name: str = "checked") -> RuleFile:
    return RuleFile(name, [RuleGroup(name, list(alerts))])


def checks_on_alert(catalog: Catalog, expr: str, **fields: object) -> set[str]:
    return {f.check for f in lint(catalog, [rules(alert(expr, **fields))])}


# check id -> (an alert expression it reports, the correct form it leaves alone)
EXPRESSIONS = {
    "promql/syntax": (
        "sum(rate(http_requests_total[5m]) > 1",
        "sum(rate(http_requests_total[5m])) > 1",
    ),
    "catalog/unknown-metric": (
        "sum(rate(http_request_total[5m])) > 1",
        "sum(rate(http_requests_total[5m])) > 1",
    ),
    "catalog/unknown-label": (
        "sum by (status) (rate(http_requests_total[5m])) > 1",
        "sum by (code) (rate(http_requests_total[5m])) > 1",
    ),
    "catalog/label-value": (
        'sum(rate(http_requests_total{code="500"}[5m])) > 1',
        'sum(rate(http_requests_total{code=~"5xx|4xx"}[5m])) > 1',
    ),
    "catalog/target-label-value": ('up{job="frontend"} == 0', 'up{job=~"web|worker"} == 0'),
    "catalog/planned-metric": (
        "sum(rate(exports_total[5m])) > 1",
        "sum(rate(http_requests_total[5m])) > 1",
    ),
    "types/rate-non-counter": ("sum(rate(queue_depth[5m])) > 1", "sum(deriv(queue_depth[5m])) > 1"),
    "types/raw-counter": (
        "sum(logins_total) > 100",
        "sum(increase(logins_total[1h])) > 100",
    ),
    "types/deriv-on-counter": (
        "deriv(cache_hits_total[10m]) < 0",
        "rate(cache_hits_total[10m]) < 1",
    ),
    "types/histogram-quantile": (
        "histogram_quantile(0.9, sum(rate(http_request_duration_seconds_bucket[5m]))) > 1",
        "histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 1",
    ),
    "types/sum-count": (
        "sum(rate(http_request_duration_seconds_sum[5m])) / sum(rate(http_request_duration_seconds_count[10m])) > 1",
        "sum(rate(http_request_duration_seconds_sum[5m])) / sum(rate(http_request_duration_seconds_count[5m])) > 1",
    ),
    "types/quantile-label": (
        'memory_bytes{quantile="0.9"} > 1e9',
        'payload_size_bytes{quantile="0.9"} > 1e6',
    ),
    "logic/never-pairs": (
        "sum by (route) (rate(http_requests_total[5m])) / sum(rate(http_requests_total[5m])) > 0.5",
        "sum by (route) (rate(http_requests_total[5m])) / on () group_left sum(rate(http_requests_total[5m])) > 0.5",
    ),
    "logic/trivial-ratio": (
        'rate(http_requests_total{code="5xx"}[5m]) / rate(http_requests_total[5m]) > 0.05',
        'sum(rate(http_requests_total{code="5xx"}[5m])) / sum(rate(http_requests_total[5m])) > 0.05',
    ),
    "logic/no-comparison": (
        "sum(rate(http_requests_total[5m]))",
        "sum(rate(http_requests_total[5m])) > 0",
    ),
    "logic/absent-blind": (
        "sum(rate(logins_total[5m])) == 0",
        "(sum(rate(logins_total[5m])) or vector(0)) == 0",
    ),
    "logic/dormant-absence": (
        "(sum(rate(refunds_total[1h])) or vector(0)) == 0",
        "(sum(rate(logins_total[1h])) or vector(0)) == 0",
    ),
    "logic/rate-range": (
        "sum(rate(jobs_processed_total[1m])) > 100",
        "sum(rate(jobs_processed_total[2m])) > 100",
    ),
    "alert/unit-scale": (
        "histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) * 1000 > 500",
        "histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 0.5",
    ),
}


@pytest.mark.parametrize("check_id", sorted(EXPRESSIONS))
def test_expression_check_fires_and_stays_quiet(check_id: str, fixture_project: Project) -> None:
    bad, good = EXPRESSIONS[check_id]
    assert check_id in checks_on_alert(fixture_project.catalog, bad)
    assert checks_on_alert(fixture_project.catalog, good) == set()


LATENCY_MS = "histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) * 1000 > 500"
RATIO_X100 = (
    '100 * sum(rate(http_requests_total{code="5xx"}[5m])) / sum(rate(http_requests_total[5m])) > 5'
)
# check id -> (alert fields it reports, the correct fields); the expression is correct.
ALERT_FIELDS: dict[str, tuple[dict[str, object], dict[str, object]]] = {
    "alert/summary": ({"summary": " "}, {"summary": "Errors on the shop"}),
    "alert/description": ({"description": ""}, {"description": "{{ $value }} errors"}),
    "alert/runbook": (
        {"runbook": Runbook()},
        {"runbook": Runbook(), "annotations": {"runbook_url": "https://x"}},
    ),
    "alert/for": ({"for_": ""}, {"for_": "2m"}),
    "alert/template-label": (
        {"description": '{{ $labels.user }} {{ index $labels "route" }}'},
        {
            "description": "{{ $labels.route }} {{ .Labels.severity }} {{ $labels.team }}",
            "team": "web",
        },
    ),
    "alert/template-percentage": (
        {"expr": RATIO_X100, "description": "{{ $value | humanizePercentage }}"},
        {"expr": RATIO_X100, "description": "{{ $value | humanize }}%"},
    ),
    "alert/template-duration": (
        {"expr": LATENCY_MS, "summary": "p90 {{ humanizeDuration $value }}"},
        {"expr": LATENCY_MS, "summary": "p90 {{ $value | humanize }}ms"},
    ),
}
ROUTE_ERRORS = 'sum by (route) (rate(http_requests_total{code="5xx"}[5m])) > 1'


@pytest.mark.parametrize("check_id", sorted(ALERT_FIELDS))
def test_alert_check_fires_and_stays_quiet(check_id: str, fixture_project: Project) -> None:
    bad, good = ALERT_FIELDS[check_id]
    bad_expr, good_expr = str(bad.pop("expr", ROUTE_ERRORS)), str(good.pop("expr", ROUTE_ERRORS))
    assert check_id in checks_on_alert(fixture_project.catalog, bad_expr, **bad)
    assert check_id not in checks_on_alert(fixture_project.catalog, good_expr, **good)


def test_duplicate_alert_names_across_files_only(fixture_project: Project) -> None:
    catalog = fixture_project.catalog
    warning = alert(ROUTE_ERRORS, severity="warning")
    critical = alert(ROUTE_ERRORS.replace("> 1", "> 10"), severity="critical")
    same_file = lint(catalog, [rules(warning, critical)])
    assert "alert/duplicate-name" not in {f.check for f in same_file}
    two_files = lint(catalog, [rules(warning, name="a"), rules(critical, name="b")])
    found = [f for f in two_files if f.check == "alert/duplicate-name"]
    assert [f.message for f in found] == [
        f"alert name also used in rule file 'a' (at {warning.location})"
    ]


@dataclass
class Dash:
    """A dashboard view under construction, correct unless a case changes it."""

    panels: list[PanelView] = field(default_factory=list)
    variables: list[VariableView] = field(
        default_factory=lambda: [VariableView("datasource", "datasource", "prometheus")]
    )

    def panel(self, expr: str, unit: str = "reqps", **fields: object) -> Dash:
        target = TargetView(expr, "A", datasource=str(fields.pop("target_ds", "${datasource}")))
        values: dict[str, object] = {
            "key": str(len(self.panels)),
            "title": f"p{len(self.panels)}",
            "type": "timeseries",
            "unit": unit,
            "datasource": "${datasource}",
            "targets": (target,),
        }
        values.update(fields)
        self.panels.append(PanelView(**values))  # type: ignore[arg-type]
        return self

    def view(self) -> DashboardView:
        return DashboardView("d", "D", self.panels, self.variables)


RATE = "sum(rate(http_requests_total[$__rate_interval]))"
RATIO = f'sum(rate(http_requests_total{{code="5xx"}}[$__rate_interval])) / {RATE}'
LATENCY = "histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket[$__rate_interval])))"
ROUTE_VARIABLE = VariableView(
    "route", "query", "label_values(http_requests_total, route)", "${datasource}"
)


LOGS_VARIABLES = [*Dash().variables, VariableView("loki", "datasource", "loki")]


def log_target(expr: str) -> TargetView:
    return TargetView(expr, "A", datasource="${loki}", datasource_type="loki")


# check id -> (a dashboard it reports, the correct dashboard next to it)
DASHBOARDS = {
    "dashboard/datasource": (
        Dash().panel(RATE, target_ds="prometheus-uid"),
        Dash().panel(RATE, target_ds=""),
    ),
    "dashboard/unused-variable": (
        Dash(variables=[*Dash().variables, ROUTE_VARIABLE]).panel(RATE),
        Dash(variables=[*Dash().variables, ROUTE_VARIABLE]).panel(RATE, repeat="route"),
    ),
    "dashboard/undefined-variable": (
        Dash().panel('sum(rate(http_requests_total{route=~"$route"}[$__rate_interval]))'),
        Dash(variables=[*Dash().variables, ROUTE_VARIABLE]).panel(
            'sum(rate(http_requests_total{route=~"${route:regex}"}[$__rate_interval]))'
        ),
    ),
    "dashboard/unit": (
        Dash().panel(RATE, unit=""),
        Dash().panel(RATE, unit="short").panel("min(up)", unit="", mappings=True),
    ),
    "dashboard/unit-scale": (
        Dash().panel(RATIO, unit="percent").panel(LATENCY, unit="ms"),
        Dash()
        .panel(RATIO, unit="percentunit")
        .panel(f"100 * {RATIO}", unit="percent")
        .panel(LATENCY, unit="s"),
    ),
    "dashboard/rate-interval": (
        Dash().panel("sum(rate(http_requests_total[5m]))"),
        Dash().panel("sum(increase(http_requests_total[1h]))", unit="short"),
    ),
    "dashboard/no-targets": (
        Dash().panel(RATE, targets=()),
        Dash().panel(RATE).panel("", type="text", targets=()),
    ),
    "dashboard/logql": (
        Dash(variables=LOGS_VARIABLES).panel("", type="logs", targets=(log_target("| json"),)),
        Dash(variables=LOGS_VARIABLES).panel(
            "", type="logs", targets=(log_target('{app="shop"} | json'),)
        ),
    ),
}


@pytest.mark.parametrize("check_id", sorted(DASHBOARDS))
def test_dashboard_check_fires_and_stays_quiet(check_id: str, fixture_project: Project) -> None:
    bad, good = DASHBOARDS[check_id]
    catalog = fixture_project.catalog
    assert check_id in {f.check for f in lint(catalog, dashboards=[bad.view()])}
    assert lint(catalog, dashboards=[good.view()]) == []


# The check families of the catalog-aware lint (others test their own: routing/, grafana/...).
FAMILIES = ("promql/", "catalog/", "types/", "logic/", "alert/", "dashboard/", "naming/", "lint/")


def test_every_check_has_a_case_here_or_in_the_fixture_corpus() -> None:
    here = set(EXPRESSIONS) | set(ALERT_FIELDS) | set(DASHBOARDS) | {"alert/duplicate-name"}
    # Checks on the catalog and on silences need definitions: see test_lint_fixtures.py.
    definitions_only = {c.id for c in all_checks() if c.id.startswith(("naming/", "lint/"))}
    definitions_only.add("catalog/unused-metric")
    ours = {c.id for c in all_checks() if c.id.startswith(FAMILIES)}
    assert ours == here | definitions_only


def test_absent_blind_leaves_ratios_alone_computed_or_recorded(fixture_project: Project) -> None:
    catalog = fixture_project.catalog
    ratio = "sum(rate(cache_hits_total[5m])) / sum(rate(cache_misses_total[5m])) < 0.5"
    assert "logic/absent-blind" not in checks_on_alert(catalog, ratio)
    assert "logic/absent-blind" not in checks_on_alert(catalog, "avg(worker_busy_ratio) < 0.1")
    assert "logic/absent-blind" in checks_on_alert(catalog, "sum(queue_depth) < 1")


def test_rate_range_trusts_rate_interval_on_a_slow_job(fixture_project: Project) -> None:
    # jobs_processed_total is scraped every 30s: [1m] is 2 samples, $__rate_interval >= 4.
    catalog = fixture_project.catalog
    fixed = lint(catalog, dashboards=[Dash().panel("sum(rate(jobs_processed_total[1m]))").view()])
    assert "logic/rate-range" in {f.check for f in fixed}
    variable = Dash().panel("sum(rate(jobs_processed_total[$__rate_interval]))", unit="ops")
    assert lint(catalog, dashboards=[variable.view()]) == []


def test_checks_the_model_enforces_are_registered_for_their_docs_only(
    fixture_project: Project,
) -> None:
    by_model = {c.id: c for c in all_checks() if c.by_model}
    assert set(by_model) == {"definition/alert-name", "definition/severity"}
    assert all(len(c.doc) > 300 and c.summary for c in by_model.values())
    with collecting() as collector:
        wrong = AlertRule(
            "high_latency", ROUTE_ERRORS, severity="page", summary="s", description="d"
        )
    # The model reports each mistake once; the registered checks add nothing.
    assert sorted(f.check for f in collector.findings) == sorted(by_model)
    assert not {f.check for f in lint(fixture_project.catalog, [rules(wrong)])} & set(by_model)


def test_a_check_the_model_enforces_cannot_be_silenced(fixture_project: Project) -> None:
    silenced = alert(ROUTE_ERRORS, silence={"definition/severity": "we page on it"})
    found = lint(fixture_project.catalog, [rules(silenced)], project=fixture_project)
    silences = [(f.check, f.message) for f in found if f.check.startswith("lint/")]
    assert silences == [
        (
            "lint/unknown-silence",
            "silences definition/severity, which the model enforces: no silence applies",
        )
    ]


def test_undefined_variable_is_reported_where_it_is_read(fixture_project: Project) -> None:
    query = 'sum(rate(http_requests_total{route=~"$route"}[$__rate_interval]))'
    target = TargetView(query, "B", datasource="${datasource}", location=Location("d.json", 30))
    panel_at = Location("d.json", 40)
    dash = Dash().panel(RATE).panel(query, title="By route", targets=(target,))
    dash.panel(RATE, title="Requests on $route", location=panel_at)
    found = lint(fixture_project.catalog, dashboards=[dash.view()])
    assert [(f.check, str(f.location), f.obj, f.message) for f in found] == [
        (
            "dashboard/undefined-variable",
            "d.json:30",
            "dashboard 'D' panel 'By route'",
            "$route is used in query B but not defined",
        ),
        (
            "dashboard/undefined-variable",
            "d.json:40",
            "dashboard 'D' panel 'Requests on $route'",
            "$route is used in the panel but not defined",
        ),
    ]


def test_absent_blind_says_what_is_absent(fixture_project: Project) -> None:
    def message(expr: str) -> str:
        found = lint(fixture_project.catalog, [rules(alert(expr))])
        return next(f.message for f in found if f.check == "logic/absent-blind")

    assert message("count(queue_depth > 10) < 1") == (
        "'<' returns nothing when count() finds no queue_depth series to count (it returns no "
        "series, not 0), so the alert cannot fire then"
    )
    assert message("sum(queue_depth) < 1") == (
        "'<' returns nothing when queue_depth has no series, so the alert cannot fire then"
    )


# refunds_total is dormant (defined, never recorded); logins_total is recorded.
FIRES_FOR_GOOD = [
    "absent(refunds_total)",
    'absent(refunds_total{reason="fraud"})',
    "absent_over_time(refunds_total[1h])",
    "(sum(rate(refunds_total[1h])) or vector(0)) < 1",
    "(sum(rate(refunds_total[1h])) or on () vector(0)) == 0",
    "sum(rate(refunds_total[1h])) < 1 or on () absent(refunds_total)",
    "(sum(increase(refunds_total[1h])) or vector(0)) * 100 <= 0",
    "absent(refunds_total) and on () absent(refunds_total)",
    "absent(refunds_total) unless on () sum(rate(refunds_total[1h])) > 0",
]
QUIET = [
    "sum(rate(refunds_total[1h])) > 1",  # no absence handling: waits for the series
    "sum(rate(refunds_total[1h])) == 0",
    "(sum(rate(refunds_total[1h])) or vector(0)) > 1",  # 0 > 1: absence does not fire it
    "absent(logins_total)",  # a recorded metric: absent only when something is wrong
    "(sum(rate(logins_total[1h])) or vector(0)) == 0",
    "absent(refunds_total) and on () sum(rate(logins_total[1h])) > 1",  # depends on logins
    "absent(refunds_total) unless on () sum(rate(logins_total[1h])) > 1",
    "absent(refunds_total) or vector(1)",  # fires whatever refunds do (a Watchdog)
]


@pytest.mark.parametrize("expr", FIRES_FOR_GOOD)
def test_dormant_absence_fires_on_every_form_of_absence_handling(
    expr: str, fixture_project: Project
) -> None:
    assert "logic/dormant-absence" in checks_on_alert(fixture_project.catalog, expr)


@pytest.mark.parametrize("expr", QUIET)
def test_dormant_absence_stays_quiet_unless_absence_alone_fires_it(
    expr: str, fixture_project: Project
) -> None:
    assert "logic/dormant-absence" not in checks_on_alert(fixture_project.catalog, expr)


def test_dormant_absence_follows_recordings_of_dormant_metrics(fixture_project: Project) -> None:
    catalog = fixture_project.catalog
    # One recording reads only the dormant metric; the other also reads a recorded one.
    recorded = RecordingRule("reason:refunds:rate1h", "sum by (reason) (rate(refunds_total[1h]))")
    mixed = RecordingRule(
        "job:refunds_or_logins:rate1h",
        "sum(rate(refunds_total[1h])) or sum(rate(logins_total[1h]))",
    )
    files = [
        RuleFile("recordings", [RuleGroup("r", [recorded, mixed])]),
        rules(alert("(sum(reason:refunds:rate1h) or vector(0)) == 0", summary="a")),
        rules(alert("(sum(job:refunds_or_logins:rate1h) or vector(0)) == 0"), name="mixed"),
    ]
    found = [
        f
        for f in lint(recorded_metrics(files, catalog), files)
        if f.check == "logic/dormant-absence"
    ]
    assert [f.message for f in found] == [
        "reason:refunds:rate1h never has series (reason:refunds:rate1h recorded from dormant "
        "metrics only), and the expression returns a value without them: the alert fires "
        "permanently"
    ]
