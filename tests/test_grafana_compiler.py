"""The Grafana compiler on a small project with every panel type."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest

from sarkmon.compile.grafana import compile_dashboards, dashboard_documents
from sarkmon.compile.grafana_schema import schema_errors
from sarkmon.model import Catalog, Counter, Gauge, Histogram, Label, Project, Scrape, ScrapeJob
from sarkmon.model.dashboards import (
    Annotation,
    BarGauge,
    CustomVariable,
    Dashboard,
    DashboardsByTag,
    GrafanaSettings,
    Heatmap,
    Link,
    LogQuery,
    Logs,
    PieChart,
    Query,
    QueryVariable,
    Row,
    Stat,
    StateTimeline,
    Table,
    Text,
    Thresholds,
    TimeSeries,
    ValueMapping,
    quantile,
    sum_rate,
)
from sarkmon.model.dashboards import Gauge as GaugePanel
from sarkmon.pipeline import Build, build
from tests.conftest import SHARED

REQUESTS = Counter(
    "app_requests_total", "Requests", labels=("route", Label("code", values=("ok", "error")))
)
LATENCY = Histogram("app_latency_seconds", "Latency", labels=("route",), buckets=(0.1, 0.5, 1))
UP = Gauge("app_up", "Up")
CATALOG = Catalog(
    [REQUESTS, LATENCY, UP], Scrape([ScrapeJob("app", targets=("app:8000",), interval="10s")])
)
ROUTE = QueryVariable("route", metric=REQUESTS, label="route", title="Route")


def every_panel_type() -> Dashboard:
    routed = REQUESTS(route=ROUTE.match)
    return Dashboard(
        "app-overview",
        "App overview",
        tags=("app",),
        variables=(ROUTE, CustomVariable("code", values=("ok", "error"))),
        annotations=(Annotation("Restarts", "changes(app_up[5m]) > 0", title="restart"),),
        links=(DashboardsByTag(("app",)),),
        panels=(
            Stat(
                "Requests",
                unit="reqps",
                queries=(sum_rate(routed),),
                thresholds=Thresholds("green", ((10, "red"),)),
            ),
            Text("Notes", content="Read me first."),
        ),
        rows=(
            Row(
                "Latency",
                (
                    TimeSeries(
                        "p99",
                        unit="s",
                        queries=(Query(quantile(0.99, LATENCY), legend="p99"),),
                        links=(Link("Wiki", "https://wiki.example/app"),),
                    ),
                    Heatmap("Buckets", unit="s", queries=(Query(sum_rate(LATENCY.bucket, "le")),)),
                    Table("Top routes", queries=(f"topk(5, {sum_rate(REQUESTS, 'route')})",)),
                    PieChart(
                        "Codes", queries=(Query(sum_rate(REQUESTS, "code"), legend="{{code}}"),)
                    ),
                    GaugePanel("Ratio", unit="percentunit", min=0, max=1, queries=("app_up",)),
                    BarGauge("Bars", queries=(sum_rate(REQUESTS, "route"),)),
                    StateTimeline(
                        "Up",
                        mappings=(ValueMapping(0, "Down", "red"), ValueMapping(1, "Up", "green")),
                        queries=("app_up",),
                    ),
                    Logs("Errors", queries=(LogQuery('{service="app"} |= "error"'),)),
                ),
            ),
        ),
    )


def project_of(*dashboards: Dashboard, **grafana: Any) -> Project:
    return Project("test", CATALOG, dashboards=dashboards, grafana=GrafanaSettings(**grafana))


@pytest.fixture(scope="module")
def compiled() -> Build:
    return build(project_of(every_panel_type()))


def documents(result: Build) -> list[dict[str, Any]]:
    return list(dashboard_documents(result.project).values())


def walk(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from walk(inner, f"{path}/{key}")
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from walk(inner, f"{path}/{index}")


def test_every_panel_type_compiles_clean(compiled: Build) -> None:
    assert not compiled.errors, [f.line() for f in compiled.errors]
    (doc,) = documents(compiled)
    assert schema_errors(doc) == []
    types = [p["type"] for p in doc["panels"]]
    assert types == [
        "stat", "text", "row", "timeseries", "heatmap", "table", "piechart", "gauge",
        "bargauge", "state-timeline", "logs",
    ]  # fmt: skip


def test_grafana_published_schema_accepts_it(compiled: Build) -> None:
    schema = json.loads((SHARED / "schemas/grafana/dashboard.jsonschema.json").read_text())
    (doc,) = documents(compiled)
    errors = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(doc)]
    assert errors == []


def test_no_nulls_but_threshold_bases_and_no_legacy_keys(compiled: Build) -> None:
    (doc,) = documents(compiled)
    nulls = [path for path, value in walk(doc) if value is None]
    assert nulls and all(p.endswith("/thresholds/steps/0/value") for p in nulls)
    keys = {path.rsplit("/", 1)[-1] for path, _ in walk(doc)}
    legacy = {"rows", "style", "sharedCrosshair", "hideControls", "span", "intervalFactor"}
    legacy |= {"maxDataPoints", "error", "height", "minSpan", "time_options", "cards", "xAxis"}
    assert not keys & legacy
    for panel in doc["panels"]:
        for target in panel.get("targets", []):
            assert not {"query", "step", "metric", "target"} & set(target)
            assert target["refId"]


def test_every_query_reads_through_a_datasource_variable(compiled: Build) -> None:
    (doc,) = documents(compiled)
    for panel in doc["panels"]:
        if panel["type"] in ("row", "text"):
            continue
        uid = "${loki}" if panel["type"] == "logs" else "${datasource}"
        assert panel["datasource"]["uid"] == uid
        assert {t["datasource"]["uid"] for t in panel["targets"]} == {uid}
    names = [v["name"] for v in doc["templating"]["list"]]
    assert names[:2] == ["datasource", "loki"]


def test_output_is_sorted_stable_json(compiled: Build) -> None:
    first = compile_dashboards(compiled)
    again = compile_dashboards(build(project_of(every_panel_type())))
    assert first == again
    (text,) = first.values()
    assert (
        text.endswith("}\n")
        and json.dumps(json.loads(text), indent=2, sort_keys=True) + "\n" == text
    )


def test_views_make_every_query_an_analysis_site(compiled: Build) -> None:
    (view,) = compiled.dashboards
    kinds = sorted({s.kind for s in compiled.sites})
    assert kinds == ["annotation", "panel", "variable"]
    panel_sites = [s for s in compiled.sites if s.kind == "panel"]
    assert len(panel_sites) == 8  # the logs panel's LogQL is not PromQL
    assert all(s.parsed.ok for s in compiled.sites)
    assert [v.name for v in view.variables][:3] == ["datasource", "loki", "route"]
    assert (
        view.panels[0].unit == "reqps" and view.panels[0].targets[0].datasource == "${datasource}"
    )


def test_loki_and_tempo_can_be_switched_off() -> None:
    result = build(project_of(every_panel_type(), loki=None, tempo=None))
    (doc,) = documents(result)
    assert "logs" not in [p["type"] for p in doc["panels"]]
    assert [v["name"] for v in doc["templating"]["list"]][:2] == ["datasource", "route"]
    assert not any(k == "exemplar" for path, _ in walk(doc) for k in [path.rsplit("/", 1)[-1]])
    on = documents(build(project_of(every_panel_type())))[0]
    latency = next(p for p in on["panels"] if p["title"] == "p99")
    assert latency["targets"][0]["exemplar"] is True


@pytest.mark.parametrize(
    ("version", "schema_version"), [("10.1", 38), ("10.4", 39), ("11.3", 40), ("12.0", 41)]
)
def test_schema_version_follows_the_grafana_version(version: str, schema_version: int) -> None:
    (doc,) = documents(build(project_of(every_panel_type(), version=version)))
    assert doc["schemaVersion"] == schema_version
