"""The SLO dashboard is generated from the SLOs: one row each, on their recorded series."""

from __future__ import annotations

import json

import jsonschema

from sarkmon.compile.grafana import dashboard_documents
from sarkmon.compile.grafana_schema import schema_errors
from sarkmon.model import Catalog, Counter, Gauge, Histogram, Label, Project, Scrape, ScrapeJob
from sarkmon.model.slo import SLO, Alerting, LatencySLI, RatioSLI
from sarkmon.pipeline import Build, build
from sarkmon.slo.dashboard import slo_dashboard
from tests.conftest import SHARED

REQUESTS = Counter("app_requests_total", "Requests", labels=(Label("code", ("ok", "error")),))
LATENCY = Histogram("app_latency_seconds", "Latency", buckets=(0.1, 0.25, 1))
CATALOG = Catalog([REQUESTS, LATENCY], Scrape([ScrapeJob("app", targets=("app:8000",))]))
SLOS = [
    SLO(
        "app-availability",
        service="app",
        objective=99.9,
        team="platform",
        description="Requests succeed.",
        sli=RatioSLI(errors=REQUESTS(code="error"), total=REQUESTS),
    ),
    SLO(
        "app-latency",
        service="app",
        objective=99,
        window="28d",
        team="platform",
        sli=LatencySLI(LATENCY, threshold=0.25),
        # The fast page off: the dashboard still has the 1h ratio it shows.
        alerting=Alerting(windows="sre-workbook", disabled=("page-fast",)),
    ),
]


def built() -> Build:
    dashboard = slo_dashboard(SLOS, uid="app-slos", title="App SLOs")
    result = build(Project("t", CATALOG, dashboards=[dashboard], slos=SLOS))
    assert not result.errors, [f.line() for f in result.errors]
    return result


def test_one_row_per_slo_reading_only_recorded_series() -> None:
    result = built()
    (doc,) = dashboard_documents(result.project).values()
    rows = [p["title"] for p in doc["panels"] if p["type"] == "row"]
    assert rows == [
        "App availability: 99.9% over 30d (app)",
        "App latency: 99% over 28d (app)",
    ]
    exprs = [t["expr"] for p in doc["panels"] for t in p.get("targets", ())]
    assert len(exprs) == 2 * 7 + 4 + 2  # 7 queries a row, and one per burn-rate window
    for expr in exprs:
        assert "slo:" in expr, expr
    sites = [s for s in result.sites if s.kind == "panel"]
    assert sites and all(s.labels is not None for s in sites)  # every one parsed, on the catalog
    for site in sites:
        for use in site.selectors:
            metric = result.catalog.metric(use.name or "")
            assert metric is not None and metric.status.value == "recorded"


def test_panels_of_an_slo_on_a_metric_without_data_say_so() -> None:
    idle = Counter("idle_requests_total", "Never recorded", dormant=True)
    slo = SLO(
        "idle-availability",
        service="idle",
        objective=99,
        team="platform",
        description="Requests succeed.",
        sli=RatioSLI(errors=idle, total=idle),
    )
    alerts = Gauge("ALERTS", "Alerts", labels=("alertname", "alertstate", "slo"))
    note = "SARK defines idle_requests_total but does not record it yet"
    (dormant_row,) = slo_dashboard([slo], alerts=alerts).rows
    said = {p.title: note in p.description for p in dormant_row.panels}
    assert said.pop("Burn-rate alerts firing") is False  # it reads 0, not "no data"
    assert said and all(said.values())
    for row in slo_dashboard(SLOS).rows:
        assert not any("does not record" in p.description for p in row.panels)


def test_burn_rates_per_alert_window_with_the_tiers_as_thresholds() -> None:
    (doc,) = dashboard_documents(built().project).values()
    burn = [p for p in doc["panels"] if p["title"] == "Burn rate by alert window"]
    assert [t["legendFormat"] for t in burn[0]["targets"]] == [
        "1h (page-fast)",
        "6h (page-slow)",
        "1d (ticket-fast)",
        "3d (ticket-slow)",
    ]
    assert burn[0]["targets"][0]["expr"] == (
        'slo:sli_error:ratio_rate1h{slo="app-availability"} / 0.001'
    )
    steps = burn[0]["fieldConfig"]["defaults"]["thresholds"]["steps"]
    assert [s["value"] for s in steps] == [None, 1, 3, 6, 14.4]
    latency = [t["legendFormat"] for t in burn[1]["targets"]]
    assert latency == ["6h (page-slow)", "3d (ticket-slow)"]
    steps = burn[1]["fieldConfig"]["defaults"]["thresholds"]["steps"]
    assert [s["value"] for s in steps] == [None, 14 / 15, 1, 5.6]


def test_valid_for_our_schema_and_grafanas() -> None:
    (doc,) = dashboard_documents(built().project).values()
    assert schema_errors(doc) == []
    schema = json.loads((SHARED / "schemas/grafana/dashboard.jsonschema.json").read_text())
    assert [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(doc)] == []


def test_sark_slo_dashboard_is_generated_and_linked_from_the_alerts(sark_build: Build) -> None:
    (dashboard,) = [d for d in sark_build.project.dashboards if d.uid == "sark-slos"]
    assert len(dashboard.rows) == len(sark_build.project.slos) == 4
    slo_alerts = [a for f in sark_build.rule_files if f.name.startswith("slo-") for a in f.alerts]
    assert len(slo_alerts) == 16
    assert all(a.dashboards == ("sark-slos",) for a in slo_alerts)
    alerts = [p for p in dashboard.all_panels() if p.title == "Burn-rate alerts firing"]
    assert str(alerts[0].targets[0].expr) == (
        'count(ALERTS{alertstate="firing", slo="gateway-availability"}) or vector(0)'
    )
