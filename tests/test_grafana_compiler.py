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


def test_exemplars_only_where_a_histogram_series_is_read() -> None:
    wait = Gauge("app_wait_seconds", "Wait", unit="seconds")
    catalog = Catalog([LATENCY, wait], Scrape([ScrapeJob("app", targets=("app:8000",))]))
    dashboard = Dashboard(
        "exemplars",
        "Exemplars",
        rows=(
            Row(
                "Latency",
                (
                    TimeSeries(
                        "Latency",
                        unit="s",
                        queries=(
                            Query(quantile(0.99, LATENCY), legend="p99"),
                            Query(f"{LATENCY.sum['5m']} / {LATENCY.count['5m']}", legend="mean"),
                            Query(f"max({wait})", legend="gauge in seconds"),
                            Query(f'max({wait}{{route="app_latency_seconds_bucket"}})', legend="s"),
                        ),
                    ),
                ),
            ),
        ),
    )
    (doc,) = documents(build(Project("test", catalog, dashboards=(dashboard,))))
    panel = next(p for p in doc["panels"] if p["type"] == "timeseries")
    assert [t.get("exemplar", False) for t in panel["targets"]] == [True, True, False, False]


@pytest.mark.parametrize(
    ("version", "schema_version"), [("10.1", 38), ("10.4", 39), ("11.3", 40), ("12.0", 41)]
)
def test_schema_version_follows_the_grafana_version(version: str, schema_version: int) -> None:
    (doc,) = documents(build(project_of(every_panel_type(), version=version)))
    assert doc["schemaVersion"] == schema_version


def test_grafanalib_quirks_are_cleaned() -> None:
    import grafanalib.core as gl

    from sarkmon.compile.grafana_json import clean_panel, clean_thresholds, clean_variable

    stat = json.loads(
        json.dumps(
            gl.Stat(title="s", targets=[gl.Target(expr="up")]).to_json_data(),
            default=lambda o: o.to_json_data(),
        )
    )
    assert stat["fieldConfig"]["defaults"]["thresholds"]["steps"] == ""  # the quirk
    cleaned = clean_panel(stat)
    assert cleaned["fieldConfig"]["defaults"]["thresholds"] == {
        "mode": "absolute",
        "steps": [{"color": "green", "value": None}],
    }
    assert "noValue" not in cleaned["fieldConfig"]["defaults"]  # grafanalib's "none"
    (target,) = cleaned["targets"]
    assert target == {"expr": "up", "format": "time_series", "instant": False, "refId": "A"}
    legacy = [
        gl.Threshold("green", 0, 0.0).to_json_data(),
        gl.Threshold("red", 1, 80.0).to_json_data(),
    ]
    assert legacy[0]["value"] == "null"  # a string, with op/yaxis/line/index beside it
    assert clean_thresholds({"mode": "absolute", "steps": legacy}) == {
        "mode": "absolute",
        "steps": [{"color": "green", "value": None}, {"color": "red", "value": 80.0}],
    }
    template = gl.Template(name="v", query="label_values(up, job)").to_json_data()
    assert {"useTags", "tagsQuery", "auto", "auto_min"} <= set(template)
    assert not {"useTags", "tagsQuery", "tagValuesQuery", "auto", "auto_min", "auto_count"} & set(
        clean_variable(template)
    )


def test_bad_documents_are_reported_by_json_path() -> None:
    doc = documents(build(project_of(every_panel_type())))[0]
    broken = json.loads(json.dumps(doc))
    broken["panels"][0]["targets"][0]["refId"] = ""
    broken["panels"][3]["gridPos"]["x"] = 20
    problems = schema_errors(broken)
    assert any("panels/0" in p and "refId" in p for p in problems), problems
    assert any("overlaps" in p or "exceeds 24 columns" in p for p in problems), problems


def test_check_step_reports_an_invalid_dashboard(tmp_path: Any, compiled: Build) -> None:
    from pathlib import Path

    from sarkmon.check import CheckContext
    from sarkmon.check.dashboards import dashboard_schema

    files = compile_dashboards(compiled)
    ctx = CheckContext(compiled, files, Path(tmp_path), Path(tmp_path))
    assert dashboard_schema(ctx).ok
    (path,) = files
    doc = json.loads(files[path])
    doc["panels"][0]["gridPos"]["w"] = 30
    bad = {path: json.dumps(doc), "grafana/dashboards/sark/broken.json": "{"}
    result = dashboard_schema(CheckContext(compiled, bad, Path(tmp_path), Path(tmp_path)))
    assert not result.ok
    assert any("panels/0/gridPos/w" in line for line in result.details), result.details
    assert any("broken.json: not JSON" in line for line in result.details)


@pytest.mark.parametrize(("default", "selected"), [("5m", "5m"), ("", "1m")])
def test_an_interval_keeps_its_order_and_marks_the_default(default: str, selected: str) -> None:
    from sarkmon.model.dashboards import IntervalVariable

    window = IntervalVariable("window", values=("1m", "5m", "1h"), default=default)
    dashboard = Dashboard("vars", "Vars", variables=(window,), panels=(Text("t", content="x"),))
    project = Project("test", CATALOG, dashboards=(dashboard,))
    (variable,) = dashboard_documents(project)["grafana/dashboards/sark/vars.json"]["templating"][
        "list"
    ][1:]
    assert [o["value"] for o in variable["options"]] == ["1m", "5m", "1h"]
    assert [o["value"] for o in variable["options"] if o["selected"]] == [selected]
    assert variable["current"]["value"] == selected
    assert window.options[0] == selected  # views still find the default first


def test_interval_constant_variables_overrides_and_links() -> None:
    from sarkmon.model import AlertRule, RuleFile, RuleGroup
    from sarkmon.model.dashboards import (
        ConstantVariable,
        DashboardLink,
        IntervalVariable,
        Override,
        RangeMapping,
        RunbookLink,
        SpecialMapping,
    )
    from sarkmon.model.targets import Targets

    window = IntervalVariable("window", values=("5m", "1m"), title="Window")
    floor = ConstantVariable("floor", value="0.5")
    other = Dashboard("other", "Other", panels=(Text("t", content="x"),))
    dashboard = Dashboard(
        "vars",
        "Vars",
        variables=(window, floor),
        links=(DashboardLink("other"), Link("Wiki", "https://wiki.example")),
        panels=(
            TimeSeries(
                "Windowed",
                unit="reqps",
                soft_min=0,
                log_base=10,
                stack=True,
                queries=(
                    f"sum(rate({REQUESTS}[$window])) > $floor",
                    Query(f"sum({UP})", legend="up", exemplars=False, interval="1m", hide=True),
                ),
                overrides=(
                    Override(ref_id="B", unit="short", axis="right", color="red", decimals=0),
                    Override(name_regex="up", display_name="Up"),
                ),
                mappings=(
                    RangeMapping(None, 0, "none", "grey"),
                    RangeMapping(0.5, None, "high"),
                    SpecialMapping("nan", "n/a"),
                ),
                links=(RunbookLink("AppDown"), DashboardLink("other", include_vars=True)),
            ),
        ),
    )
    alert = AlertRule("AppDown", f"{UP} == 0")
    project = Project(
        "test",
        CATALOG,
        rule_files=(RuleFile("app", (RuleGroup("app", (alert,)),)),),
        dashboards=(dashboard, other),
        targets=Targets(runbook_base_url="https://runbooks.example/"),
    )
    result = build(project)
    assert not result.errors, [f.line() for f in result.errors]
    doc = dashboard_documents(project)["grafana/dashboards/sark/vars.json"]
    assert schema_errors(doc) == []
    variables = {v["name"]: v for v in doc["templating"]["list"]}
    assert variables["window"]["current"]["value"] == "5m" and variables["window"]["refresh"] == 2
    assert variables["floor"]["hide"] == 2 and variables["floor"]["query"] == "0.5"
    panel = next(p for p in doc["panels"] if p["type"] == "timeseries")
    assert [link["url"] for link in panel["links"]] == [
        "https://runbooks.example/AppDown.md",
        "/d/other",
    ]
    assert [link["title"] for link in doc["links"]] == ["Other", "Wiki"]
    overrides = panel["fieldConfig"]["overrides"]
    assert overrides[0]["matcher"] == {"id": "byFrameRefID", "options": "B"}
    assert {p["id"] for p in overrides[0]["properties"]} == {
        "unit", "decimals", "custom.axisPlacement", "color",
    }  # fmt: skip
    mappings = panel["fieldConfig"]["defaults"]["mappings"]
    assert mappings[0]["options"] == {
        "from": None,
        "to": 0,
        "result": {"color": "grey", "index": 0, "text": "none"},
    }
    custom = panel["fieldConfig"]["defaults"]["custom"]
    assert custom["scaleDistribution"] == {"log": 10, "type": "log"}
    assert custom["stacking"]["mode"] == "normal" and custom["axisSoftMin"] == 0
    hidden = panel["targets"][1]
    assert hidden["hide"] is True and hidden["interval"] == "1m" and "exemplar" not in hidden
    (view,) = [v for v in result.dashboards if v.uid == "vars"]
    assert view.substitutions() == {"window": "5m", "floor": "0.5"}
