"""The parts of the semantic diff: canonical PromQL, old dashboards, routing, reports, git."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from sarkmon.artifacts.grafana import unwrap_dashboard
from sarkmon.review.catalog import MetricFacts, Use
from sarkmon.review.changes import Change, pair_by
from sarkmon.review.compare_catalog import diff_catalog
from sarkmon.review.dashboards import dashboard_facts, panel_facts
from sarkmon.review.diff import Report
from sarkmon.review.exprs import expr, same
from sarkmon.review.legacy import grid_height, is_legacy, modernize
from sarkmon.review.report import render_json, render_markdown
from sarkmon.review.routing import is_secret, routing_facts
from sarkmon.review.rules import NotRules, rules_facts, runbook_sections
from sarkmon.tools.git import GitError, commit_of, files_at


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            'sum(rate(x{a="b",c=~"d"}[5m])) by (le, job) > 0.30',
            'sum by (job, le) (rate(x{c=~"d", a="b"}[300s]))>0.3',
        ),
        ("(a + b) * c", "((a) + (b)) * c"),
        ("a / on(x) group_left(y) b", "a / on (x) group_left (y) b"),
        ("rate(x[1h] offset 5m)", "rate(x[60m] offset 300s)"),
        ("max_over_time(x[1h:5m])", "max_over_time((x)[3600s:5m])"),
        ("-x", "- x"),
        ('x{__name__="y"}', 'x{__name__="y"}'),
        ("sum(rate(x[$__rate_interval]))", "sum (rate(x[$__rate_interval]))"),
        ("1 < bool x", "1 <bool x"),
    ],
)
def test_spellings_of_one_query_are_the_same(a: str, b: str) -> None:
    assert same(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("sum(rate(x[$__rate_interval]))", "sum(rate(x[1m]))"),
        ('x{a="b"}', 'x{a="c"}'),
        ("sum by (a) (x)", "sum without (a) (x)"),
        ("rate(x[5m])", "rate(x[5m] offset 1m)"),
        ("a > 1", "a > bool 1"),
        ("a / on(x) b", "a / ignoring(x) b"),
        ("topk(3, x)", "topk(5, x)"),
        ("sum by ($g) (x)", "sum by ($h) (x)"),
    ],
)
def test_different_queries_differ(a: str, b: str) -> None:
    assert not same(a, b)


def test_thresholds_are_told_apart_from_the_rest() -> None:
    old, new = expr("x > 0 and y == 0"), expr("x > 5 and y == 0")
    assert old.skeleton == new.skeleton and old.canon != new.canon
    assert (old.thresholds, new.thresholds) == (("> 0", "== 0"), ("> 5", "== 0"))
    assert expr("0.5 < x").thresholds == ("0.5 <",)
    broken = expr("sum(rate(x[5m]")
    assert not broken.ok and broken.canon == "sum(rate(x[5m]" and broken.thresholds == ()


def test_pairs_only_by_keys_that_identify_one_item_on_each_side() -> None:
    base = [("a", 1), ("b", 1), ("b", 2), ("c", 7), ("e", 5), ("f", 5)]
    head = [("a", 9), ("b", 3), ("b", 4), ("d", 7), ("g", 5)]
    pairs, removed, added = pair_by(base, head, lambda i: i[0], lambda i: i[1])
    # "b" names two items on each side, 5 two on the left: neither pairs anything.
    assert pairs == [(("a", 1), ("a", 9)), (("c", 7), ("d", 7))]
    removed = [r for r in removed if r[0] != "e" and r[0] != "f"]
    added = [a for a in added if a[0] != "g"]
    assert removed == [("b", 1), ("b", 2)] and added == [("b", 3), ("b", 4)]


# -- old dashboards ---------------------------------------------------------------------------
def legacy(*rows: dict[str, object], **extra: object) -> dict[str, object]:
    return {"title": "Old", "uid": "old", "schemaVersion": 14, "rows": list(rows), **extra}


def test_rows_become_the_grid_as_grafana_migrates_them() -> None:
    doc, notes = modernize(
        legacy(
            {
                "height": "250px",
                "panels": [
                    {"id": 1, "type": "text", "span": 6, "content": "a"},
                    {"id": 2, "type": "text", "span": 8, "content": "b"},
                ],
            },
            {"height": 100, "panels": [{"id": 3, "type": "text", "content": "c"}]},
            sharedCrosshair=True,
        )
    )
    assert [p["gridPos"] for p in doc["panels"]] == [
        {"x": 0, "y": 0, "w": 12, "h": 7},
        {"x": 0, "y": 7, "w": 16, "h": 7},  # 12 + 16 > 24: wraps by the row's height
        {"x": 0, "y": 14, "w": 8, "h": 3},  # no span: 4 of 12 columns; 100px is 3 units
    ]
    assert all(p["type"] == "text" for p in doc["panels"]) and doc["graphTooltip"] == 1
    assert notes == [] and "rows" not in doc
    assert grid_height("bogus") == 7 and grid_height(10) == 3


def test_graphs_keep_units_thresholds_legends_and_axes() -> None:
    graph = {
        "id": 1,
        "type": "graph",
        "title": "G",
        "span": 12,
        "bars": True,
        "stack": True,
        "percentage": True,
        "fill": 2,
        "linewidth": 3,
        "steppedLine": True,
        "nullPointMode": "connected",
        "decimals": 1,
        "yaxes": [
            {"format": "bytes", "logBase": 10, "min": "0", "max": 100},
            {"format": "percent"},
        ],
        "legend": {"show": False},
        "tooltip": {"shared": False, "sort": 1},
        "thresholds": [
            {"value": 10, "op": "lt", "colorMode": "critical", "fill": False, "line": True},
            {
                "value": 90,
                "op": "gt",
                "colorMode": "custom",
                "fillColor": "#abcdef",
                "fill": True,
                "line": False,
            },
        ],
        "seriesOverrides": [{"alias": "/errors/", "yaxis": 2, "color": "#ff0000", "lines": False}],
        "aliasColors": {"ok": "green"},
        "xaxis": {"mode": "series"},
        "targets": [{"expr": "x", "refId": "A"}],
    }
    doc, notes = modernize(legacy({"panels": [graph]}))
    panel = doc["panels"][0]
    defaults = panel["fieldConfig"]["defaults"]
    assert panel["type"] == "timeseries" and defaults["unit"] == "bytes"
    assert (defaults["min"], defaults["max"], defaults["decimals"]) == (0, 100, 1)
    custom = defaults["custom"]
    assert custom["drawStyle"] == "bars" and custom["stacking"]["mode"] == "percent"
    assert custom["fillOpacity"] == 20 and custom["lineWidth"] == 3
    assert custom["scaleDistribution"] == {"log": 10, "type": "log"}
    assert custom["spanNulls"] is True and custom["lineInterpolation"] == "stepAfter"
    assert defaults["thresholds"]["steps"] == [
        {"color": "red", "value": None},
        {"color": "transparent", "value": 10},
        {"color": "#abcdef", "value": 90},
    ]
    assert custom["thresholdsStyle"] == {"mode": "line+area"}
    assert panel["options"]["legend"]["showLegend"] is False
    assert panel["options"]["tooltip"] == {"mode": "single", "sort": "asc"}
    overrides = panel["fieldConfig"]["overrides"]
    assert overrides[0]["matcher"] == {"id": "byRegexp", "options": "errors"}
    assert {p["id"] for p in overrides[0]["properties"]} == {
        "custom.axisPlacement",
        "unit",
        "color",
    }
    assert overrides[1]["matcher"] == {"id": "byName", "options": "ok"}
    assert notes == [
        "panel 'G': graph thresholds mix 'gt' and 'lt'; bands approximated",
        "panel 'G': series override '/errors/': lines=False not migrated",
        "panel 'G': graph option 'percentage' (True) not migrated",
        "panel 'G': graph x axis mode 'series' not migrated",
    ]


def test_singlestats_piecharts_heatmaps_and_tables() -> None:
    panels = [
        {
            "id": 1,
            "type": "singlestat",
            "title": "S",
            "format": "none",
            "thresholds": "bad",
            "gauge": {"show": True, "minValue": 0, "maxValue": 10, "thresholdMarkers": False},
            "valueName": "avg",
            "postfix": " req",
            "valueMaps": [{"value": "null", "text": "down"}, {"value": "1", "text": "up"}],
            "rangeMaps": [
                {"from": "2", "to": "5", "text": "busy"},
                {"from": "null", "to": "null", "text": "x"},
            ],
        },
        {
            "id": 2,
            "type": "grafana-piechart-panel",
            "title": "P",
            "pieType": "donut",
            "format": "short",
            "legendType": "Right side",
            "legend": {"show": True, "values": True, "percentage": True},
        },
        {
            "id": 3,
            "type": "heatmap",
            "title": "H",
            "dataFormat": "timeseries",
            "color": {"colorScheme": "interpolateBlues"},
            "yAxis": {"format": "s"},
        },
        {
            "id": 4,
            "type": "table",
            "title": "T",
            "transform": "timeseries_aggregations",
            "sort": {"col": 2, "desc": True},
            "styles": [
                {"pattern": "/.*/", "type": "string"},
                {"pattern": "Value", "type": "number", "unit": "s", "decimals": 2},
                {"pattern": "Time", "type": "date"},
                {"pattern": "job", "type": "hidden"},
            ],
        },
    ]
    doc, notes = modernize(legacy({"panels": panels}))
    stat, pie, heat, table = doc["panels"]
    assert stat["type"] == "gauge" and stat["options"]["showThresholdMarkers"] is False
    defaults = stat["fieldConfig"]["defaults"]
    assert (
        (defaults["min"], defaults["max"]) == (0, 10)
        and "unit" not in defaults
        and "thresholds" not in defaults
    )
    assert defaults["mappings"] == [
        {"type": "value", "options": {"1": {"text": "up", "index": 0}}},
        {"type": "special", "options": {"match": "null", "result": {"text": "down", "index": 1}}},
        {"type": "range", "options": {"from": 2, "to": 5, "result": {"text": "busy", "index": 2}}},
    ]
    assert stat["options"]["reduceOptions"]["calcs"] == ["mean"]
    assert pie["options"]["pieType"] == "donut" and pie["options"]["legend"]["placement"] == "right"
    assert pie["options"]["legend"]["values"] == ["value", "percent"]
    assert heat["options"]["calculate"] is True and heat["options"]["color"]["scheme"] == "Blues"
    assert heat["options"]["yAxis"]["unit"] == "s"
    assert table["fieldConfig"]["defaults"]["unit"] == "s"
    assert table["transformations"][0]["options"]["excludeByName"] == {"job": True}
    assert notes == [
        "panel 'S': singlestat option 'postfix' (' req') not migrated",
        "panel 'T': table column style '/.*/' not migrated",
        "panel 'T': table transform 'timeseries_aggregations' not migrated",
        "panel 'T': table sort by column 2 not migrated",
    ]


def test_modern_dashboards_pass_through() -> None:
    doc = {"uid": "m", "title": "M", "panels": [{"id": 1, "type": "stat", "title": "x"}]}
    assert not is_legacy(doc)
    assert modernize(doc) == (doc, [])
    assert unwrap_dashboard({"dashboard": doc, "overwrite": True}) == doc
    assert unwrap_dashboard({"title": "no panels"}) is None
    facts = dashboard_facts(doc)
    assert facts.time == "now-6h to now" and facts.panels[0].thresholds == ("green", "80 red")


def test_panel_facts_read_what_a_viewer_sees() -> None:
    panel = {
        "id": 7,
        "type": "piechart",
        "title": "P",
        "gridPos": {"x": 1, "y": 2, "w": 3, "h": 4},
        "fieldConfig": {
            "defaults": {
                "thresholds": {
                    "mode": "percentage",
                    "steps": [{"color": "green", "value": None}, {"color": "red", "value": 50}],
                },
                "mappings": [
                    {
                        "type": "regex",
                        "options": {"pattern": "a.*", "result": {"text": "A", "color": "blue"}},
                    },
                    {
                        "type": "range",
                        "options": {"from": None, "to": 3, "result": {"text": "low"}},
                    },
                ],
            }
        },
        "options": {
            "legend": {"displayMode": "table", "placement": "right", "values": ["percent"]}
        },
        "links": [{"title": "doc", "url": "https://x"}],
        "targets": [
            {
                "expr": '{job="x"} |= "err"',
                "refId": "A",
                "queryType": "instant",
                "datasource": {"type": "loki"},
            },
            {"expr": "x", "refId": "B", "instant": True, "range": True},
        ],
    }
    facts = panel_facts(panel, "Row")
    assert facts.thresholds == ("percentage: green", "50 red")
    assert facts.mappings == ("regex a.* -> A (blue)", "-inf..3 -> low")
    assert facts.legend == "table, right: percent" and facts.links == ("doc -> https://x",)
    assert [(q.kind, q.mode) for q in facts.queries] == [("loki", "instant"), ("", "both")]
    assert facts.queries[0].canon == '{job="x"} |= "err"' and facts.position == "x=1 y=2 w=3 h=4"


# -- rules and routing ------------------------------------------------------------------------
def test_rule_files_read_back() -> None:
    facts = rules_facts(
        "groups:\n- name: g\n  interval: 60s\n  limit: 5\n  query_offset: 1m\n  rules:\n"
        "  - alert: A\n    expr: x > 1\n    for: 300s\n    labels: {severity: critical, n: 1}\n"
        "  - record: a:b:c\n    expr: sum(x)\n  - not a rule\n",
        "r.yml",
    )
    assert facts.groups[0].interval == "1m" and facts.groups[0].limit == 5
    assert facts.groups[0].extra == {"query_offset": "1m"}
    alert = facts.alerts[0]
    assert (alert.for_, alert.severity, alert.labels["n"]) == ("5m", "critical", "1")
    assert facts.recordings[0].title == "recording rule a:b:c"
    with pytest.raises(NotRules):
        rules_facts("scrape_configs: []\n", "p.yml")
    sections = runbook_sections(
        "# A\n\n## Impact\n\nUsers\nwait.\n\n## Condition\n\nx\n\n## Mitigation\n\n1. Scale.\n"
    )
    assert sections == {"Impact": "Users wait.", "Mitigation": "1. Scale."}


ALERTMANAGER = """
route:
  receiver: default
  routes:
  - receiver: pager
    match: {severity: critical}
    continue: true
  - receiver: db
    match_re: {team: "db|data"}
    routes:
    - receiver: db-quiet
      matchers: ['severity="info"']
  - receiver: broken
    matchers: ['severity~"x"']
inhibit_rules:
- source_match: {alertname: Down}
  target_match_re: {alertname: "Slow.*"}
  equal: [instance]
receivers:
- name: default
  slack_configs: [{channel: "#a"}]
- name: pager
  pagerduty_configs: [{}]
"""


def test_routing_read_from_alertmanager_yaml() -> None:
    facts = routing_facts(ALERTMANAGER)
    assert facts.receivers_for({"severity": "critical", "team": "db"}) == ("pager", "db")
    assert facts.receivers_for({"severity": "info", "team": "data"}) == ("db-quiet",)
    assert facts.receivers_for({"team": "web"}) == ("default",)  # the unreadable route: never
    assert facts.inhibitions == (
        '{alertname="Down"} mutes {alertname=~"Slow.*"} when equal on (instance)',
    )
    assert facts.receiver_configs == {"default": "slack", "pager": "pagerduty"}
    assert len(facts.problems) == 1 and "broken" in facts.problems[0]
    routes = facts.routes()
    assert routes['route {severity="critical"}'] == "receiver pager, continue"
    assert routing_facts("[1, 2]").routing is None
    assert routing_facts("global: {}\n").receivers_for({}) == ()
    assert facts.integrations == {
        "default": {"slack": {"channel": "#a"}},
        "pager": {"pagerduty": {}},
    }


def test_receiver_fields_are_flattened_and_secrets_recognised() -> None:
    facts = routing_facts(
        "global: {resolve_timeout: 300s, smtp_auth_password: pw}\n"
        "receivers:\n- name: r\n  webhook_configs:\n"
        "  - {url: 'https://h/x', http_config: {authorization: {credentials: t}}, send_resolved: false}\n"
        "  - {url: 'https://u:p@h/y'}\n"
        "time_intervals:\n- name: w\n  time_intervals: [{weekdays: [saturday, sunday]}]\n"
    )
    assert facts.settings == {"global": {"resolve_timeout": "5m", "smtp_auth_password": "pw"}}
    assert facts.integrations["r"] == {
        "webhook 1": {
            "url": "https://h/x",
            "http_config.authorization.credentials": "t",
            "send_resolved": "false",
        },
        "webhook 2": {"url": "https://u:p@h/y"},
    }
    assert facts.time_intervals == {"w": "weekdays saturday, sunday"}
    assert is_secret("http_config.authorization.credentials", "t")
    assert is_secret("smtp_auth_password", "pw")
    assert is_secret("url", "https://u:p@h/y") and is_secret("url", "https://h/x?token=1")
    assert not is_secret("url", "https://h/x")
    assert not is_secret("api_url_file", "/s/a") and not is_secret("channel", "#a")


# -- catalog and report -----------------------------------------------------------------------
def metric(labels: dict[str, tuple[str, ...] | None], **extra: object) -> MetricFacts:
    fields: dict[str, object] = {"type": "counter", "status": "emitted", "labels": labels, **extra}
    return MetricFacts("m", "m_total", **fields)  # type: ignore[arg-type]


def test_catalog_changes_say_who_reads_a_lost_label() -> None:
    base = {"m": metric({"code": ("200", "500"), "route": None}, target_labels={"job": ("a", "b")})}
    head = {"m": metric({"code": ("200",)}, target_labels={"job": ("a",)}, type="gauge")}
    uses = {"m": [Use("panel 'P' of D (d)", frozenset({"code"})), Use("alert A", frozenset())]}
    changes = diff_catalog(base, head, uses, {"m": [Use("alert A", frozenset())]})
    fields = [(c.field, c.before, c.after) for c in changes]
    assert fields == [
        ("type", "counter", "gauge"),
        ("labels", ("code", "route"), ("code",)),
        ("values of code", "200, 500", "200"),
        ("target label job", ("a", "b"), ("a",)),
    ]
    assert changes[0].details == (
        "read by 2 panel(s) and rule(s):",
        "panel 'P' of D (d) (reads code)",
        "alert A (still reads it)",
    )
    added = diff_catalog({}, head, {}, {})
    assert added[0].action == "added"


def test_markdown_folds_long_sections_and_cuts_to_fit() -> None:
    changes = [
        Change(
            "alerts",
            "changed",
            f"Alert{i:02}",
            field="expr",
            before="x > 1\nand y",
            after="x > 2\nand y",
        )
        for i in range(30)
    ]
    changes.append(Change("files", "changed", "prometheus/prometheus.yml"))
    report = Report("a", "b", changes, ["b: x.json: not JSON"])
    text = render_markdown(report)
    assert "<details><summary>30 changes</summary>" in text
    assert "  - x > 1\n  + x > 2\n    and y" in text
    assert "`prometheus/prometheus.yml`\n- changed" in text
    assert "### Files that could not be read\n\n- b: x.json: not JSON" in text
    cut = render_markdown(report, max_chars=700)
    assert len(cut) < 760 and cut.endswith(
        "(report cut to fit; run `sarkmon diff` for all of it)\n"
    )
    assert cut.count("```") % 2 == 0
    data = json.loads(render_json(report))
    assert data["summary"] == {"alerts": 30, "files": 1} and data["problems"] == [
        "b: x.json: not JSON"
    ]


def test_markdown_shows_added_queries_and_code_safely() -> None:
    report = Report(
        "a",
        "b",
        [
            Change(
                "alerts", "added", "New", details=("for 5m",), queries=("sum(x)\n> 1", "y `quoted`")
            ),
            Change(
                "dashboards",
                "removed",
                "D (d)",
                "panel 'P'",
                "query B",
                "a_very_long_query_" * 5,
                None,
            ),
        ],
    )
    text = render_markdown(report)
    assert "  ```promql\n  sum(x)\n  > 1\n  ```" in text
    assert "  - `` y `quoted` ``" in text
    assert "- panel 'P': query B removed\n  ```diff\n  - a_very_long" in text


# -- git --------------------------------------------------------------------------------------
def test_files_of_a_commit_are_read_in_one_batch(tmp_path: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@x", *args],
            cwd=tmp_path,
            check=True,
            capture_output=True,
        )

    (tmp_path / "sub" / "out" / "deep").mkdir(parents=True)
    (tmp_path / "sub" / "out" / "a.json").write_bytes(b"{}\n")
    (tmp_path / "sub" / "out" / "deep" / "b.bin").write_bytes(bytes(range(256)) + b"\n\n")
    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "x")
    commit = commit_of("HEAD", tmp_path / "sub")
    files = files_at(commit, "out", tmp_path / "sub")
    assert files == {"a.json": b"{}\n", "deep/b.bin": bytes(range(256)) + b"\n\n"}
    assert files_at(commit, "missing", tmp_path) == {}
    with pytest.raises(GitError):
        commit_of("no-such-ref", tmp_path)


def test_panels_pushed_down_together_are_one_change() -> None:
    from sarkmon.review.compare_dashboards import diff_panels
    from sarkmon.review.dashboards import PanelFacts

    def panel(i: int, x: int, y: int, unit: str = "") -> PanelFacts:
        return PanelFacts(i, f"P{i}", "stat", grid=(x, y, 6, 4), unit=unit)

    row = [panel(i, 6 * i, 0) for i in range(4)]
    old = (*row, panel(9, 0, 4))
    pushed = [panel(i, 6 * i, 8, "s" if i == 1 else "") for i in range(4)]
    new = (PanelFacts(8, "New", "timeseries", grid=(0, 0, 24, 8)), *pushed, panel(9, 6, 12))
    changes = diff_panels("D (d)", old, new)
    assert [(c.action, c.item, c.field, c.after) for c in changes] == [
        ("added", "panel 'New'", "", None),
        ("changed", "panel 'P1'", "unit", "s"),
        ("moved", "panel 'P9'", "position", "x=6 y=12 w=6 h=4"),
        ("moved", "4 panels", "position", "down 8 grid rows"),
    ]
    assert changes[-1].details == ("P0", "P1", "P2", "P3")
    text = render_markdown(Report("a", "b", changes))
    assert "- 4 panels: position moved: `down 8 grid rows`\n  - P0\n  - P1" in text
