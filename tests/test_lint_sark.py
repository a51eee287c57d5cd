"""sarkmon lint on SARK: its definitions lint clean; its hand-written artifacts do not.

tests/fixtures/sark-handwritten holds SARK's hand-written dashboards and rule files,
reassembled from the quotes in monitoring-intent.md (see its README.md).
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, REPO, CliResult

HANDWRITTEN = FIXTURES / "sark-handwritten"
RULES = "monitoring/prometheus/rules"


@pytest.fixture(scope="module")
def handwritten() -> list[dict[str, object]]:
    from tests.conftest import invoke

    result = invoke("lint", "--format", "json", str(HANDWRITTEN))
    assert result.code == 1
    findings: list[dict[str, object]] = json.loads(result.out)
    for finding in findings:
        finding["file"] = str(finding["file"]).removeprefix(f"{HANDWRITTEN}/")
    return findings


def found(findings: list[dict[str, object]], check: str, file: str, obj: str) -> list[str]:
    return [
        str(f["message"])
        for f in findings
        if f["check"] == check and f["file"] == file and f["object"] == obj
    ]


@pytest.mark.parametrize(
    ("check", "file", "obj", "fragment"),
    [
        # Unknown metrics, with the name to use instead.
        (
            "catalog/unknown-metric",
            "monitoring/grafana/dashboards/gateway-integration.json",
            "dashboard 'SARK Gateway Integration' panel 'Top Denied Users (Last Hour)' query A",
            "'gateway_audit_events' (did you mean sark_gateway_audit_events_total?)",
        ),
        (
            "catalog/unknown-metric",
            "prometheus/alerts/sark-alerts.yml",
            "alert 'SIEMExportFailures'",
            "unknown metric 'sark_siem_exports_total'",
        ),
        (
            "catalog/unknown-metric",
            "grafana/rust-rollout-dashboard.json",
            "dashboard 'Rust Rollout Performance Comparison' panel 'Feature Flag Rollout Percentages' query A",
            "is a histogram family",
        ),
        # Wrong labels.
        (
            "catalog/unknown-label",
            "monitoring/grafana/dashboards/gateway-integration.json",
            "dashboard 'SARK Gateway Integration' panel 'Top Invoked Tools' query A",
            "label 'tool_name' is not a label of sark_gateway_authz_requests_total",
        ),
        (
            "catalog/unknown-label",
            "prometheus/alerts/sark-alerts.yml",
            "alert 'SlowResponseTime'",
            "sum by (path): the aggregated series have no label 'path'",
        ),
        (
            "catalog/target-label-value",
            f"{RULES}/business-alerts.yaml",
            "alert 'FreeTierOveruse'",
            "tier=\"free\": value 'free' matches no tier",
        ),
        # Wrong job names.
        (
            "catalog/target-label-value",
            f"{RULES}/infrastructure-alerts.yaml",
            "alert 'GatewayServiceDown'",
            "job=\"sark-gateway\": value 'sark-gateway' matches no job",
        ),
        (
            "catalog/target-label-value",
            "grafana/dashboards/sark-overview.json",
            "dashboard 'SARK - System Overview' annotation 'Alerts'",
            "job=\"sark\": value 'sark' matches no job",
        ),
        # Matches that never pair, ratios that are always 1.
        (
            "logic/never-pairs",
            f"{RULES}/gateway-alerts.yaml",
            "alert 'AuditEventLoggingFailed'",
            "only the left side has event_type; only the right side has action, server",
        ),
        (
            "logic/never-pairs",
            "monitoring/grafana/dashboards/gateway-performance.json",
            "dashboard 'SARK Gateway Performance' panel 'Cache Hit Rate %' query A",
            "result is 'hit' on the left side and 'miss' on the right",
        ),
        (
            "logic/never-pairs",
            f"{RULES}/security-alerts.yaml",
            "alert 'AbnormalToolUsagePattern'",
            "only the left side has tool",
        ),
        (
            "logic/trivial-ratio",
            f"{RULES}/gateway-alerts.yaml",
            "alert 'HighDenyRate'",
            "each series is divided by itself",
        ),
        # Unit mistakes.
        (
            "alert/unit-scale",
            "prometheus/alerts/sark-alerts.yml",
            "alert 'SlowResponseTime'",
            "compares milliseconds, converted from seconds",
        ),
        (
            "alert/unit-scale",
            "prometheus/alerts/sark-alerts.yml",
            "alert 'HighMemoryUsage'",
            "compares MiB, converted from bytes",
        ),
        (
            "alert/unit-scale",
            f"{RULES}/infrastructure-alerts.yaml",
            "alert 'HighRequestErrorRate'",
            "compares percent, converted from ratio",
        ),
        (
            "types/rate-non-counter",
            f"{RULES}/infrastructure-alerts.yaml",
            "alert 'MemoryLeakSuspected'",
            "rate() on process_resident_memory_bytes, a gauge",
        ),
        # Alert hygiene the model itself enforces, and across files.
        (
            "definition/severity",
            "prometheus/alerts/sark-alerts.yml",
            "alert 'BruteForceAttackSuspected'",
            "unknown severity 'high'",
        ),
        (
            "alert/duplicate-name",
            "prometheus/alerts/sark-alerts.yml",
            "alert 'HighCPUUsage'",
            "also used in rule file 'infrastructure-alerts'",
        ),
        (
            "alert/template-label",
            f"{RULES}/business-alerts.yaml",
            "alert 'NewFeatureNotAdopted'",
            "summary reads $labels.tool",
        ),
    ],
)
def test_handwritten_artifacts_show_their_mistakes(
    handwritten: list[dict[str, object]], check: str, file: str, obj: str, fragment: str
) -> None:
    messages = found(handwritten, check, file, obj)
    assert any(fragment in m for m in messages), messages


def test_every_handwritten_file_is_read(handwritten: list[dict[str, object]]) -> None:
    files = {f["file"] for f in handwritten}
    expected = {str(p.relative_to(HANDWRITTEN)) for p in HANDWRITTEN.rglob("*.*")}
    assert files == expected - {"README.md"}


def test_sark_definitions_lint_clean(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("lint", "--format", "json")
    assert result.code == 0, result.out
    errors = [f for f in json.loads(result.out) if f["severity"] == "error"]
    assert [f for f in errors if "silenced" not in f] == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'f"sum(rate({AUTHZ}[5m])) > 1000"',
            '"sum(rate(sark_gateway_authz_request_total[5m])) > 1000"',
            "error [catalog/unknown-metric] alert 'HighGatewayRequestVolume': unknown metric "
            "'sark_gateway_authz_request_total' (did you mean sark_gateway_authz_requests_total?)",
        ),
        (
            'f"sum by (operation) (rate({gw.CLIENT_ERRORS}[5m])) > 0.1"',
            'f"sum by (operations) (rate({gw.CLIENT_ERRORS}[5m])) > 0.1"',
            "error [catalog/unknown-label] alert 'GatewayClientErrors': sum by (operations): the "
            "aggregated series have no label 'operations' (did you mean operation?)",
        ),
    ],
)
def test_a_mutated_sark_definition_fails_the_build(
    tmp_path: Path,
    run_cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
    old: str,
    new: str,
    expected: str,
) -> None:
    # Loading puts the copy's root first on sys.path; later tests must import the real one.
    monkeypatch.setattr(sys, "path", list(sys.path))
    shutil.copytree(REPO / "definitions", tmp_path / "definitions")
    gateway = tmp_path / "definitions" / "alerts" / "gateway.py"
    source = gateway.read_text()
    assert source.count(old) == 1
    gateway.write_text(source.replace(old, new))
    out = tmp_path / "generated"
    (out / "prometheus").mkdir(parents=True)
    (out / "prometheus" / "gateway.yml").write_text("the tree of the last good run\n")
    result = run_cli("generate", "--root", str(tmp_path), "--out", str(out))
    assert result.code == 2
    errors = [line for line in result.err.splitlines() if ": error [" in line]
    assert errors and all(e.startswith("definitions/alerts/gateway.py:") for e in errors)
    assert any(e.endswith(expected) for e in errors), errors
    # Nothing written: the last good tree is there as it was.
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "prometheus",
        "prometheus/gateway.yml",
    ]
    assert (out / "prometheus" / "gateway.yml").read_text() == "the tree of the last good run\n"
    assert run_cli("lint", "--root", str(tmp_path)).code == 1
