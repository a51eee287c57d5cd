"""``sarkmon check``: every step passes on SARK, and each fails when it should."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import MINI_CATALOG, CliResult
from tests.test_definition_errors import PROJECT, alerts_module


def test_check_passes_on_the_sark_definitions(sark_check: CliResult) -> None:
    result = sark_check
    assert result.code == 0, result.out + result.err
    assert "ok    promtool check rules:" in result.out
    assert "ok    drift:" in result.out
    for step in ("promtool check config", "kubernetes manifests", "ruler files", "runbook links"):
        assert f"ok    {step}" in result.out


def test_check_fails_on_drift_and_on_rules_promtool_rejects(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    # An unbalanced template passes our model but not Prometheus's template parser.
    rule = (
        '        AlertRule("QueueHigh", f"{QUEUE} > 10", summary="{{ $labels.instance ",'
        ' description="d", for_="5m")'
    )
    root = make_defs(
        {"catalog.py": MINI_CATALOG, "__init__.py": PROJECT, "alerts.py": alerts_module(rule)}
    )
    args = ("--root", str(root), "--definitions", "defs", "--out", str(tmp_path / "out"))
    result = run_cli("check", *args)
    assert result.code == 1
    assert "FAIL  drift:" in result.out
    assert "FAIL  promtool check rules: 1 rule files failed" in result.out
    assert "template" in result.out
    assert "1 alerts link no runbook: Targets.runbook_base_url is not set" in result.out
    skipped = run_cli("check", *args, "--skip", "drift", "--skip", "promtool", "--skip", "coverage")
    assert skipped.code == 0
    assert "skip  drift" in skipped.out
