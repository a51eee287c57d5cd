"""``sarkmon check`` runs the alert tests with promtool and fails on uncovered alerts."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from sarkmon.check import CheckContext
from sarkmon.check.alert_tests import alert_test_coverage, coverage
from sarkmon.model.rules import RuleFile
from sarkmon.pipeline import Build
from tests.conftest import MINI_CATALOG, CliResult
from tests.test_alert_tests_lint import alerts_module
from tests.test_definition_errors import PROJECT

FIRES = 'Fires("20m", labels={"route": "/"}, annotations={"summary": "Busy route /"})'
SERIES = 'Series(REQUESTS(route="/", code="ok"), steady(2, "30m").counter())'


def check(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path, tests: str
) -> CliResult:
    root = make_defs(
        {"catalog.py": MINI_CATALOG, "__init__.py": PROJECT, "alerts.py": alerts_module(tests)}
    )
    return run_cli("check", "--root", str(root), "--definitions", "defs", "--skip", "drift")


def test_check_runs_the_sark_alert_tests_and_prints_coverage(
    sark_check: CliResult, sark_build: Build
) -> None:
    result = sark_check
    assert result.code == 0, result.out
    files = len([f for f in sark_build.rule_files if any(a.tests for a in f.alerts)])
    alerts = sum(len(f.alerts) for f in sark_build.rule_files)
    assert f"ok    promtool test rules: {files} test files, " in result.out
    assert (
        f"ok    alert test coverage: {alerts} of {alerts} alerts have a firing and a quiet case"
        in result.out
    )
    table = result.out.split("alert test coverage:")[1].splitlines()[1:]
    assert table[0].split() == ["alert", "rule", "file", "cases", "fires", "quiet"]
    assert table[1].split()[:2] == ["HighGatewayAuthorizationLatency", "gateway"]


def without_quiet_cases(rule_files: tuple[RuleFile, ...], alert_name: str) -> tuple[RuleFile, ...]:
    """The rule files with every quiet expectation of one alert removed."""

    def strip(rule_file: RuleFile) -> RuleFile:
        groups = []
        for group in rule_file.groups:
            rules = []
            for rule in group.rules:
                if getattr(rule, "name", None) == alert_name:
                    tests = [
                        dataclasses.replace(t, expect=t.fires)
                        for t in rule.tests  # type: ignore[union-attr]
                        if t.fires
                    ]
                    rule = dataclasses.replace(rule, tests=tests)  # type: ignore[type-var]
                rules.append(rule)
            groups.append(dataclasses.replace(group, rules=rules))
        return dataclasses.replace(rule_file, groups=groups)

    return tuple(strip(f) for f in rule_files)


def test_removing_the_quiet_cases_of_one_sark_alert_fails_coverage(
    sark_build: Build, tmp_path: Path
) -> None:
    ctx = CheckContext(sark_build, {}, tmp_path, tmp_path)
    assert alert_test_coverage(ctx).ok
    stripped = dataclasses.replace(
        sark_build, rule_files=without_quiet_cases(sark_build.rule_files, "HighDenyRate")
    )
    outcome = alert_test_coverage(CheckContext(stripped, {}, tmp_path, tmp_path))
    assert not outcome.ok
    alerts = sum(len(f.alerts) for f in sark_build.rule_files)
    assert outcome.summary == f"{alerts - 1} of {alerts} alerts have a firing and a quiet case"
    row = next(line for line in outcome.details if line.startswith("HighDenyRate "))
    assert row.split()[2:] == ["2", "2", "0", "no", "quiet", "case"]
    assert outcome.details[-1].startswith("definitions/alerts/gateway.py:")
    assert outcome.details[-1].endswith("alert 'HighDenyRate' has no quiet case")
    rows = {r.alert.name: r for r in coverage(stripped.rule_files)}
    assert (rows["HighDenyRate"].fires, rows["HighDenyRate"].quiet) == (2, 0)


def test_check_fails_an_alert_without_a_firing_case(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    calm = SERIES.replace("steady(2,", "steady(0.5,")
    tests = f'AlertTest("quiet only", series=[{calm}], expect=[Quiet("30m", since="0s")]),'
    result = check(make_defs, run_cli, tmp_path, tests)
    assert result.code == 1
    assert "ok    promtool test rules: 1 test files, 1 test cases" in result.out
    assert "FAIL  alert test coverage: 0 of 1 alerts have a firing and a quiet case" in result.out
    assert "defs/alerts.py:14: alert 'Busy' has no firing case" in result.out
    row = next(line for line in result.out.splitlines() if line.strip().startswith("Busy "))
    assert row.split() == ["Busy", "app", "1", "0", "1", "no", "firing", "case"]


def test_check_fails_a_wrong_expectation_and_names_the_alert(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    # 2 requests/s stays over "> 1": the alert keeps firing, so expecting it quiet is wrong.
    wrong = f'AlertTest("wrong", series=[{SERIES}], expect=[{FIRES}, Quiet("30m", since="25m")]),'
    result = check(make_defs, run_cli, tmp_path, wrong)
    assert result.code == 1
    assert "FAIL  promtool test rules: 1 test files, 1 test cases failed" in result.out
    assert 'count_over_time(ALERTS{alertname=\\"Busy\\"' in result.out
    assert "defs/alerts.py:14: tests of Busy failed" in result.out
    assert "ok    alert test coverage: 1 of 1" in result.out
