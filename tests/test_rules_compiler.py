"""The rule compiler: fixed YAML layout, canonical durations, routing labels, runbook links."""

from __future__ import annotations

import yaml

from sarkmon.compile.prometheus import rule_file_document
from sarkmon.compile.yaml_text import dump_yaml
from sarkmon.model import AlertRule, RecordingRule, RuleFile, RuleGroup, Runbook
from sarkmon.model.durations import canonical, format_ms, parse_ms
from sarkmon.model.targets import Targets
from sarkmon.tools import promtool

TARGETS = Targets(runbook_base_url="https://runbooks.example/sark/")


def sample_file() -> RuleFile:
    return RuleFile(
        "demo",
        groups=[
            RuleGroup(
                "demo_alerts",
                interval="60s",
                limit=10,
                rules=[
                    RecordingRule(
                        "job:demo_requests:rate5m",
                        "sum by (job) (rate(demo_total[5m]))",
                        labels={"team": "platform"},
                    ),
                    AlertRule(
                        "DemoDown",
                        """
                            up{job="demo"}
                              == 0
                        """,
                        for_="90s",
                        keep_firing_for="120s",
                        severity="critical",
                        team="platform",
                        category="availability",
                        labels={"page": "yes"},
                        annotations={"dashboard": "https://grafana/d/demo"},
                        summary="Demo is down",
                        description="{{ $labels.instance }} is down.",
                    ),
                    AlertRule(
                        "DemoSlow",
                        "demo_latency > 1",
                        summary="s",
                        runbook=Runbook(url="https://elsewhere/slow"),
                    ),
                ],
            )
        ],
    )


def test_rule_file_document_has_fixed_order_and_canonical_values() -> None:
    doc = rule_file_document(sample_file(), TARGETS)
    group = doc["groups"][0]
    assert list(group) == ["name", "interval", "limit", "rules"]
    assert group["interval"] == "1m"
    record, down, slow = group["rules"]
    assert record == {
        "record": "job:demo_requests:rate5m",
        "expr": "sum by (job) (rate(demo_total[5m]))",
        "labels": {"team": "platform"},
    }
    assert list(down) == ["alert", "expr", "for", "keep_firing_for", "labels", "annotations"]
    assert down["expr"] == 'up{job="demo"}\n  == 0'
    assert (down["for"], down["keep_firing_for"]) == ("1m30s", "2m")
    assert down["labels"] == {
        "category": "availability",
        "page": "yes",
        "severity": "critical",
        "team": "platform",
    }
    assert down["annotations"] == {
        "dashboard": "https://grafana/d/demo",
        "description": "{{ $labels.instance }} is down.",
        "runbook_url": "https://runbooks.example/sark/DemoDown.md",
        "summary": "Demo is down",
    }
    assert "for" not in slow
    assert slow["labels"] == {"severity": "warning"}
    assert slow["annotations"]["runbook_url"] == "https://elsewhere/slow"


def test_yaml_uses_block_scalars_and_reads_back_equal() -> None:
    doc = rule_file_document(sample_file(), TARGETS)
    text = dump_yaml(doc, header="line one\n\nline two")
    assert text.startswith("# line one\n#\n# line two\ngroups:\n")
    assert '    expr: |-\n      up{job="demo"}\n        == 0\n' in text
    assert yaml.safe_load(text) == doc


def test_generated_rules_pass_promtool(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "demo.yml"
    path.write_text(dump_yaml(rule_file_document(sample_file(), TARGETS)))
    result = promtool.check_rules([str(path)])
    assert result.ok, result.output
    assert "SUCCESS: 3 rules found" in result.output


def test_durations_round_trip_exactly() -> None:
    assert parse_ms("1h30m") == 5_400_000
    assert format_ms(parse_ms("90s")) == "1m30s"
    assert canonical("4w2d") == "30d"
    assert canonical("1y") == "365d"
    assert canonical("1500ms") == "1s500ms"
    assert format_ms(0) == "0s"


def test_sark_rule_files_pass_promtool(sark_files: dict[str, str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    rule_paths = []
    for rel, text in sark_files.items():
        if rel.startswith("prometheus/rules/"):
            path = tmp_path / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            rule_paths.append(str(path))
    assert rule_paths
    result = promtool.check_rules(rule_paths)
    assert result.ok, result.output
