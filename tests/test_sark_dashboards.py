"""SARK's dashboards as generated: valid for Grafana and for us, complete, and sound."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import jsonschema
import promql_parser
import pytest

from definitions.dashboards.common import described
from sarkmon.compile.grafana import DASHBOARDS_DIR, histogram_series
from sarkmon.compile.grafana_options import names_in
from sarkmon.compile.grafana_schema import schema_errors
from sarkmon.model.catalog import Catalog
from sarkmon.model.metrics import Counter, Gauge, Status
from sarkmon.model.names import slugify
from sarkmon.pipeline import Build
from sarkmon.promql.parse import parse
from sarkmon.promql.walk import selectors
from tests.conftest import SHARED

GRAFANA = SHARED / "schemas" / "grafana"
# The per-visualization schemas of Grafana's options (file stem by panel type).
PANEL_SCHEMAS = {
    "timeseries": "timeseries",
    "stat": "stat",
    "gauge": "gauge",
    "bargauge": "bargauge",
    "table": "table",
    "piechart": "piechart",
    "heatmap": "heatmap",
    "text": "text",
    "logs": "logs",
    "state-timeline": "statetimeline",
}


@pytest.fixture(scope="module")
def dashboards(sark_files: dict[str, str]) -> dict[str, dict[str, Any]]:
    return {
        path: json.loads(text)
        for path, text in sark_files.items()
        if path.startswith(DASHBOARDS_DIR + "/")
    }


def panels(dashboard: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for panel in dashboard["panels"]:
        if panel["type"] != "row":
            yield panel
        yield from panel.get("panels", ())


def grafana_schema(name: str, ref: str = "") -> jsonschema.Draft7Validator:
    schema = json.loads((GRAFANA / f"{name}.jsonschema.json").read_text())
    if ref:
        schema = {**schema, "$ref": f"#/definitions/{ref}"}
    return jsonschema.Draft7Validator(schema)


def test_nine_dashboards_and_over_a_hundred_panels(dashboards: dict[str, Any]) -> None:
    assert len(dashboards) >= 9
    counts = {d["uid"]: sum(1 for _ in panels(d)) for d in dashboards.values()}
    assert sum(counts.values()) >= 100, counts
    assert counts["sark-gateway-integration"] >= 11
    assert set(counts) >= {
        "sark-system-overview",
        "sark-gateway-integration",
        "sark-gateway-performance",
        "sark-gateway-security",
        "sark-gateway-operations",
        "sark-authentication-authorization",
        "sark-policy-evaluation",
        "sark-siem-security-events",
        "sark-rust-rollout",
    }


def test_every_dashboard_validates_against_grafanas_schema_and_ours(
    dashboards: dict[str, Any],
) -> None:
    validator = grafana_schema("dashboard")
    for path, dashboard in dashboards.items():
        grafana_errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(dashboard)]
        assert grafana_errors == [], path
        assert schema_errors(dashboard) == [], path


def test_panel_options_and_queries_match_grafanas_plugin_schemas(
    dashboards: dict[str, Any],
) -> None:
    options = {kind: grafana_schema(name, "Options") for kind, name in PANEL_SCHEMAS.items()}
    queries = {kind: grafana_schema(kind) for kind in ("prometheus", "loki")}
    problems = []
    for dashboard in dashboards.values():
        for panel in panels(dashboard):
            where = f"{dashboard['uid']} / {panel['title']}"
            problems += [
                f"{where}: {e.message}"
                for e in options[panel["type"]].iter_errors(panel["options"])
            ]
            for target in panel.get("targets", ()):
                validator = queries[target["datasource"]["type"]]
                problems += [f"{where}: {e.message}" for e in validator.iter_errors(target)]
    assert problems == []


def test_uids_are_title_slugs_and_file_names(dashboards: dict[str, Any]) -> None:
    for path, dashboard in dashboards.items():
        assert dashboard["uid"] == slugify(dashboard["title"])
        assert path == f"{DASHBOARDS_DIR}/sark/{dashboard['uid']}.json"


def test_no_overlaps_no_duplicate_ids_every_target_has_a_ref_id(
    dashboards: dict[str, Any],
) -> None:
    for dashboard in dashboards.values():
        boxes = []
        ids = [p["id"] for p in dashboard["panels"]] + [
            p["id"] for r in dashboard["panels"] for p in r.get("panels", ())
        ]
        assert len(ids) == len(set(ids)), dashboard["uid"]
        for panel in dashboard["panels"]:
            g = panel["gridPos"]
            assert g["x"] + g["w"] <= 24
            for other in boxes:
                assert not (
                    g["x"] < other["x"] + other["w"]
                    and other["x"] < g["x"] + g["w"]
                    and g["y"] < other["y"] + other["h"]
                    and other["y"] < g["y"] + g["h"]
                ), (dashboard["uid"], panel["title"])
            boxes.append(g)
            refs = [t["refId"] for t in panel.get("targets", ())]
            assert all(refs) and len(refs) == len(set(refs)), panel["title"]


GRAFANA_GLOBALS = {"__rate_interval": "1m", "__interval": "30s", "__range": "6h"}


def grafana_values(dashboard: dict[str, Any]) -> dict[str, str]:
    """What Grafana puts in for each variable: its current value, All as its regex."""
    out = dict(GRAFANA_GLOBALS)
    for variable in dashboard["templating"]["list"]:
        current = variable.get("current", {}).get("value")
        value = current[0] if isinstance(current, list) else current
        if value == "$__all":
            value = variable["allValue"]
        out[variable["name"]] = value or "any"
    return out


def interpolate(expr: str, values: dict[str, str]) -> str:
    """Grafana's interpolation: every $name and ${name}, inside strings too."""
    pattern = re.compile(r"\$\{(\w+)\}|\$(\w+)")
    return pattern.sub(lambda m: values[m.group(1) or m.group(2)], expr)


def test_every_query_parses_after_variable_substitution(dashboards: dict[str, Any]) -> None:
    count = 0
    for dashboard in dashboards.values():
        values = grafana_values(dashboard)
        exprs = [
            t["expr"]
            for p in panels(dashboard)
            for t in p.get("targets", ())
            if t["datasource"]["type"] == "prometheus"
        ]
        exprs += [a["expr"] for a in dashboard["annotations"]["list"] if "expr" in a]
        exprs += [
            v["query"][len("label_values(") : v["query"].rindex(",")]
            for v in dashboard["templating"]["list"]
            if v["type"] == "query"
        ]
        for expr in exprs:
            query = interpolate(expr, values)
            assert "$" not in query
            promql_parser.parse(query)  # raises on a syntax error
            count += 1
    assert count > 150


def test_queries_use_only_catalog_metrics_labels_and_the_real_job(sark_build: Build) -> None:
    catalog: Catalog = sark_build.catalog
    sites = [s for s in sark_build.sites if s.kind in ("panel", "variable", "annotation")]
    assert len(sites) > 150
    for site in sites:
        assert site.parsed.ok, site.object
        for use in selectors(site.parsed.ast):
            assert use.name in catalog, (site.object, use.name)
            known = catalog.series_labels(use.name)
            for matcher in use.matchers:
                assert known is None or matcher.label in known, (site.object, matcher)
                if matcher.label == "job":
                    assert matcher.value == "sark-api", site.object
    findings = [f for f in sark_build.findings if f.check.startswith(("grafana/", "catalog/"))]
    assert [f.line() for f in findings if f.severity == "error"] == []


def recorded_from(build: Build) -> tuple[dict[str, set[str]], set[str]]:
    """Each recording's name -> the series its expression reads; and the names several rules
    record (an SLO's, told apart by labels), whose sources a name alone does not tell."""
    out: dict[str, set[str]] = {}
    rules: dict[str, int] = {}
    for site in build.sites:
        if site.kind == "recording":
            record = getattr(site.owner, "record", "")
            rules[record] = rules.get(record, 0) + 1
            out.setdefault(record, set()).update(u.name for u in site.selectors if u.name)
    shared = {name for name, count in rules.items() if count > 1}
    return {k: v for k, v in out.items() if k not in shared}, shared


def underlying(names: set[str], recordings: dict[str, set[str]]) -> set[str]:
    """The series ``names`` read, with recordings replaced by what they read, transitively."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(recordings.get(name, ()))
    return seen


def test_panels_on_metrics_without_data_say_so(sark_build: Build) -> None:
    catalog = sark_build.catalog
    recordings, shared = recorded_from(sark_build)
    waiting = dormant_panels = 0
    for dashboard in sark_build.dashboards:
        for panel in dashboard.panels:
            read = {
                use.name
                for target in panel.targets
                if target.datasource_type == "prometheus"
                for use in selectors(parse(target.expr, dashboard.substitutions()).ast)
            }
            # A recording of a metric nothing records has no data either.
            names = underlying(read, recordings)
            if names & shared:
                continue  # the SLO dashboard's rows: test_slo_dashboard checks them
            metrics = [m for m in map(catalog.metric, sorted(names)) if m is not None]
            if any(m.status is Status.PLANNED for m in metrics):
                waiting += 1
                assert "planned metric" in panel.description, panel.title
            dormant = [m.display_name for m in metrics if m.dormant]
            if dormant:
                dormant_panels += 1
                assert "but does not record" in panel.description, (dashboard.uid, panel.title)
                for name in dormant:
                    assert name in panel.description, (dashboard.uid, panel.title, name)
            else:
                assert "but does not record" not in panel.description, panel.title
    assert waiting >= 10
    assert dormant_panels >= 80


def test_described_names_the_metrics_without_data() -> None:
    planned = Counter("p_total", "p", status=Status.PLANNED)
    dormant = Gauge("d", "d", dormant=True)
    live = Gauge("live", "l")
    assert described("Text.", live) == "Text."
    assert described("Text.", dormant, live) == (
        "Text. SARK defines d but does not record it yet: no data until it does."
    )
    both = described("Text.", planned, dormant, Gauge("e", "e", dormant=True))
    assert "Needs p_total, a planned metric" in both
    assert both.endswith("SARK defines d, e but does not record them yet: no data until it does.")


def test_variables_are_used_by_the_queries(dashboards: dict[str, Any]) -> None:
    for dashboard in dashboards.values():
        text = json.dumps([p for p in panels(dashboard)])
        for variable in dashboard["templating"]["list"]:
            assert "$" + variable["name"] in text or "${" + variable["name"] + "}" in text, (
                dashboard["uid"],
                variable["name"],
            )


def test_refresh_follows_sarks_intent(dashboards: dict[str, Any]) -> None:
    refresh = {d["uid"]: d["refresh"] for d in dashboards.values()}
    # monitoring-intent.md: 10s for these two, 30s for the hand-written others.
    assert refresh["sark-gateway-performance"] == refresh["sark-rust-rollout"] == "10s"
    assert refresh["sark-gateway-integration"] == refresh["sark-system-overview"] == "30s"


def test_logs_and_exemplars(dashboards: dict[str, Any], sark_build: Build) -> None:
    logs = {
        d["uid"]: [p["title"] for p in panels(d) if p["type"] == "logs"]
        for d in dashboards.values()
    }
    assert logs["sark-gateway-operations"] and logs["sark-gateway-security"]

    def unit(panel: dict[str, Any]) -> str:
        y_axis = panel["options"].get("yAxis", {})
        return str(y_axis.get("unit") or panel["fieldConfig"]["defaults"].get("unit", ""))

    latency = [
        p
        for d in dashboards.values()
        for p in panels(d)
        if p["type"] in ("timeseries", "heatmap") and unit(p) == "s"
    ]
    # Exemplars ride on histogram series: a gauge in seconds or a recorded quantile has none.
    histograms = histogram_series(sark_build.catalog)
    targets = [t for p in latency for t in p["targets"]]
    reads_histogram = [not histograms.isdisjoint(names_in(t["expr"])) for t in targets]
    assert [bool(t.get("exemplar")) for t in targets] == reads_histogram
    assert any(reads_histogram) and not all(reads_histogram)


def test_provisioning(sark_files: dict[str, str]) -> None:
    import yaml

    providers = yaml.safe_load(sark_files["grafana/provisioning/dashboards/sarkmon.yaml"])
    (provider,) = providers["providers"]
    assert provider["allowUiUpdates"] is False
    assert provider["folder"] == "SARK"
    assert provider["options"]["path"].endswith("/sark")
    sources = yaml.safe_load(sark_files["grafana/provisioning/datasources/sarkmon.yaml"])
    kinds = [s["type"] for s in sources["datasources"]]
    assert kinds == ["prometheus", "alertmanager", "loki", "tempo"]
    text = sark_files["grafana/provisioning/datasources/sarkmon.yaml"].lower()
    assert "password" not in text and "securejsondata" not in text and "token" not in text
    prometheus = sources["datasources"][0]
    assert prometheus["jsonData"]["exemplarTraceIdDestinations"] == [
        {"name": "trace_id", "datasourceUid": "tempo"}
    ]
