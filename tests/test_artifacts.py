"""Reading hand-written artifacts: line numbers, Grafana JSON of any age, rule YAML, bad input."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from sarkmon.artifacts import Artifacts, read_paths
from sarkmon.artifacts.grafana import dashboard_of, read_dashboard
from sarkmon.artifacts.lines import Lined, ReadError, load_json, load_yaml
from sarkmon.model import AlertRule, RecordingRule
from sarkmon.source import Location
from tests.conftest import CliResult


def test_documents_remember_their_lines() -> None:
    doc = load_json('{\n  "a": [\n    {"b": 1},\n    {\n      "c": {}\n    }\n  ]\n}', "x.json")
    assert (doc.line, doc["a"][0].line, doc["a"][1].line, doc["a"][1]["c"].line) == (1, 3, 4, 5)
    docs = load_yaml("a: 1\n---\n\n---\ngroups:\n  - name: g\n    rules: []\n", "x.yml")
    assert [d.line for d in docs] == [1, 5]
    assert docs[1]["groups"][0].line == 6
    with pytest.raises(ReadError, match=r"^x.json:2: invalid JSON: Expecting value$"):
        load_json('{\n"a": }', "x.json")
    with pytest.raises(ReadError, match=r"^x.yml:2: invalid YAML: "):
        load_yaml("a: [\n", "x.yml")


def grafana(doc: dict[str, object]) -> Lined:
    found = dashboard_of(load_json(json.dumps(doc, indent=1), "d.json"))
    assert found is not None
    return found


def test_grafana_json_of_every_age_becomes_views() -> None:
    doc = {
        "dashboard": {
            "title": "T",
            "uid": "t",
            "templating": {
                "list": [
                    {"name": "ds", "type": "datasource", "query": "prometheus"},
                    {"name": "logs", "type": "datasource", "query": "loki"},
                    {"name": "env", "type": "custom", "query": "prod, staging"},
                    {
                        "name": "window",
                        "type": "interval",
                        "options": [{"value": "5m"}, {"value": "1h"}],
                        "current": {"value": "1h"},
                    },
                    {"name": "route", "type": "query", "query": {"query": "label_values(x, r)"}},
                ]
            },
            "annotations": {
                "list": [
                    {"name": "deploys", "datasource": "-- Grafana --", "expr": "x"},
                    {"name": "alerts", "datasource": "$ds", "expr": "ALERTS"},
                    {"name": "off", "datasource": "$ds"},
                ]
            },
            "panels": [
                {
                    "id": 1,
                    "type": "timeseries",
                    "title": "A",
                    "datasource": {"type": "prometheus", "uid": "${ds}"},
                    "fieldConfig": {"defaults": {"unit": "s", "mappings": [{"type": "value"}]}},
                    "repeat": "env",
                    "targets": [
                        {"refId": "A", "expr": "up", "legendFormat": "{{job}}", "instant": True},
                        {"refId": "B", "expr": "  "},
                        {"refId": "C", "expr": '{app="x"}', "datasource": "${logs}"},
                    ],
                },
                {
                    "type": "row",
                    "collapsed": True,
                    "panels": [
                        {
                            "id": 2,
                            "type": "singlestat",
                            "format": "bytes",
                            "valueMaps": [{"value": "null", "op": "=", "text": "N/A"}],
                            "targets": [],
                        }
                    ],
                },
            ],
            "rows": [
                {
                    "panels": [
                        {
                            "id": 3,
                            "type": "graph",
                            "datasource": "Loki logs",
                            "yaxes": [{"format": "ms"}, {"format": "short"}],
                            "rangeMaps": [{"from": "0", "to": "1", "text": "down"}],
                            "targets": [{"expr": "rate(x[5m])"}],
                        }
                    ]
                }
            ],
        }
    }
    view = read_dashboard(grafana(doc), "d.json")
    assert (view.uid, view.title, view.location) == ("t", "T", Location("d.json", 2))
    assert [(p.key, p.type, p.unit, p.repeat, p.mappings) for p in view.panels] == [
        ("1", "timeseries", "s", "env", True),
        ("2", "singlestat", "bytes", "", False),
        ("3", "graph", "ms", "", True),
    ]
    first = view.panels[0]
    assert [(t.ref_id, t.datasource_type, t.legend, t.instant) for t in first.targets] == [
        ("A", "prometheus", "{{job}}", True),
        ("C", "loki", "", False),
    ]
    assert first.targets[0].location.line > first.location.line
    assert view.panels[2].targets[0].datasource_type == "loki"
    assert [(v.name, v.type, v.query, tuple(v.options)) for v in view.variables] == [
        ("ds", "datasource", "prometheus", ()),
        ("logs", "datasource", "loki", ()),
        ("env", "custom", "prod, staging", ("prod", "staging")),
        ("window", "interval", "", ("1h", "5m")),
        ("route", "query", "label_values(x, r)", ()),
    ]
    assert [(a.ref_id, a.datasource_type) for a in view.annotations] == [
        ("deploys", "grafana"),
        ("alerts", "prometheus"),
    ]
    assert dashboard_of(load_json('{"title": "not a dashboard"}', "x")) is None


RULES = """
apiVersion: v1
kind: List
items:
  - apiVersion: monitoring.coreos.com/v1
    kind: PrometheusRule
    metadata: {name: shop-rules}
    spec:
      groups:
        - name: shop
          interval: 1m
          limit: 10
          rules:
            - record: job:x:sum
              expr: sum by (job) (x)
              labels: {source: shop}
            - alert: Down
              expr: up == 0
              for: 5m
              keep_firing_for: 10m
              labels: {severity: critical, team: web, category: availability, component: shop, page: "yes"}
              annotations:
                summary: s
                description: d
                runbook_url: https://r
                dashboard: https://g
---
groups:
  - name: plain
    rules:
      - alert: Numbers
        expr: 1
"""


def test_rule_yaml_and_prometheus_rule_manifests_become_the_model(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(textwrap.dedent(RULES))
    found = read_paths([str(path)])
    assert [f.name for f in found.rule_files] == ["shop-rules", "rules"]
    group = found.rule_files[0].groups[0]
    assert (group.name, group.interval, group.limit) == ("shop", "1m", 10)
    record, alert = group.rules
    assert isinstance(record, RecordingRule) and dict(record.labels) == {"source": "shop"}
    assert isinstance(alert, AlertRule)
    assert alert.location == Location(str(path), 17)
    assert (alert.severity, alert.team, alert.category, alert.component) == (
        "critical",
        "web",
        "availability",
        "shop",
    )
    assert (alert.for_, alert.keep_firing_for, alert.runbook.url) == ("5m", "10m", "https://r")
    assert dict(alert.labels) == {"page": "yes"}
    assert dict(alert.annotations) == {"dashboard": "https://g"}
    numbers = found.rule_files[1].alerts[0]
    assert numbers.expr == "1"
    assert [f.check for f in found.findings] == ["definition/severity"]  # Numbers has none


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return str(path)


def test_directories_skip_other_files_but_named_files_must_be_known(tmp_path: Path) -> None:
    write(tmp_path, "d/alertmanager.yml", "route: {receiver: x}\n")
    write(tmp_path, "d/notes.txt", "ignored\n")
    dash = write(tmp_path, "d/sub/dash.json", '{"title": "t", "panels": []}')
    found = read_paths([str(tmp_path / "d")])
    assert isinstance(found, Artifacts)
    assert [d.title for d in found.dashboards] == ["t"]
    assert found.skipped == [str(tmp_path / "d" / "alertmanager.yml")]
    assert dash.endswith("dash.json")
    with pytest.raises(ReadError, match="neither a Grafana dashboard nor a Prometheus rule file"):
        read_paths([str(tmp_path / "d" / "alertmanager.yml")])
    with pytest.raises(ReadError, match="no such file or directory"):
        read_paths([str(tmp_path / "missing.json")])
    bad = write(tmp_path, "bad.yml", "groups:\n  - name: g\n    rules:\n      - expr: up\n")
    with pytest.raises(ReadError, match=r"bad.yml:4: a rule needs 'alert' or 'record'"):
        read_paths([bad])


def test_lint_command_reports_unreadable_files_with_exit_2(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    bad = write(tmp_path, "broken.json", '{\n  "panels": [\n    {"id": 1,}\n  ]\n}')
    result = run_cli("lint", bad)
    assert result.code == 2
    assert result.err == (
        f"{bad}:3: error [lint/read] file {bad}: invalid JSON: Expecting property name "
        "enclosed in double quotes\n"
    )
    assert result.out == ""
    other = write(tmp_path, "dir/alertmanager.yml", "route: {}\n")
    skipped = run_cli("lint", str(tmp_path / "dir"))
    assert skipped.code == 0
    assert f"skipped {other}: neither a dashboard nor a rule file" in skipped.err


def test_lint_list_names_every_check(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("lint", "--list")
    assert result.code == 0
    ids = [line.split()[0] for line in result.out.splitlines()]
    assert ids == sorted(ids) and "logic/never-pairs" in ids and len(ids) >= 40


def test_odd_dashboard_json_is_read_without_crashing() -> None:
    doc = {
        "title": 7,
        "panels": [
            "not a panel",
            {"type": "row", "panels": None},
            {"id": 1, "title": None, "targets": {"expr": "up"}, "fieldConfig": [], "yaxes": "x"},
            {"id": 2, "type": "graph", "targets": [{"expr": 1}], "valueMaps": "x"},
        ],
        "rows": None,
        "templating": None,
        "annotations": {"list": "none"},
    }
    view = read_dashboard(grafana(doc), "odd.json")
    assert view.title == "7"
    assert [(p.key, len(p.targets)) for p in view.panels] == [("1", 0), ("2", 1)]
    assert view.panels[1].targets[0].expr == "1"
    assert view.variables == () and view.annotations == ()
