"""``sarkmon verify`` on a real Prometheus: data for every query, and a broken one named."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from sarkmon import pipeline
from sarkmon.pipeline import Build
from tests.conftest import MINI_CATALOG, CliResult

# The mini catalog plus ALERTS, which alert panels read (Prometheus writes it).
CATALOG = MINI_CATALOG.replace(
    "catalog = Catalog([REQUESTS, LATENCY, QUEUE], SCRAPE)",
    """ALERTS = Gauge(
    "ALERTS", "Alerts", labels=("alertname", "alertstate"), scraped=False, open_labels=True,
    created=False,
)
catalog = Catalog([REQUESTS, LATENCY, QUEUE, ALERTS], SCRAPE)""",
)

PROJECT = """
from defs.catalog import catalog
from defs.rules import rules
from sarkmon.model import Project

project = Project(name="t", catalog=catalog, rule_files=[rules])
"""

RULES = """
from defs.catalog import QUEUE, REQUESTS
from sarkmon.model import AlertRule, RecordingRule, RuleFile, RuleGroup

rules = RuleFile(
    "app",
    groups=[
        RuleGroup(
            "app_records",
            interval="1s",
            rules=[
                RecordingRule("route:app_requests:rate1m", f"sum by (route) (rate({REQUESTS}[1m]))"),
                # Reads the recording above: it gets data in a second backfill round.
                RecordingRule("app:app_requests:rate1m", "sum(route:app_requests:rate1m)"),
            ],
        ),
        RuleGroup(
            "app_alerts",
            interval="1s",
            rules=[AlertRule("QueueHigh", f"max({QUEUE}) > 1000", summary="Queue is long")],
        ),
    ],
)
"""


def verify(
    make_defs: Callable[..., Path],
    run_cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
    views: str,
    rules: str = RULES,
) -> CliResult:
    monkeypatch.setattr(pipeline, "DASHBOARD_VIEWS", (views,))
    root = make_defs({"catalog.py": CATALOG, "__init__.py": PROJECT, "rules.py": rules})
    return run_cli("verify", "--root", str(root), "--definitions", "defs")


def test_every_query_of_a_project_has_data(
    make_defs: Callable[..., Path],
    run_cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    scratch = tmp_path / "tmp"  # verify's own temporary directory goes here, then away
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    result = verify(make_defs, run_cli, monkeypatch, "tests.verify_views:app_views")
    assert result.code == 0, result.out + result.err
    assert "recording rules backfilled in 2 round(s); 0 without data" in result.out
    assert "queries: 9 (1 alert, 1 annotation, 4 panel, 2 recording, 1 variable)" in result.out
    # Nothing fires in a healthy workload: the alerts annotation is judged by what it matches.
    assert "1 dashboard queries read only ALERTS: empty while no alert fires" in result.out
    assert "ok    every one of 9 queries returned data without error" in result.out
    # Off a terminal the progress line is one line per phase.
    assert "verify: starting prometheus on 127.0.0.1 with the generated rules" in result.err
    assert list(scratch.iterdir()) == []


def test_a_broken_query_fails_naming_its_dashboard_and_panel(
    make_defs: Callable[..., Path],
    run_cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = verify(make_defs, run_cli, monkeypatch, "tests.verify_views:broken_app_views")
    assert result.code == 1
    failures = [line for line in result.out.splitlines() if line.startswith("FAIL")]
    assert failures == [
        "FAIL  dashboard 'App' panel 'Requests' query A: no data",
        "FAIL  dashboard 'App' annotation 'alerts': no data, and "
        'ALERTS{alertstate="firing", severity="page"} matches none of the project\'s 1 alerts',
    ]
    assert (
        'query: sum(rate(app_requests_total{job="app", route=~"/checkout"}[1m])) > 1000000'
        in result.out
    )
    assert "sarkmon verify: 2 of 9 queries without data or failing" in result.err


def test_rule_errors_are_reported(
    make_defs: Callable[..., Path],
    run_cli: Callable[..., CliResult],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Both sides keep "route" and "code": many-to-many, an error Prometheus finds at run time.
    rules = RULES.replace(
        'f"max({QUEUE}) > 1000"',
        'f"rate({REQUESTS}[1m]) / on (route) group_left rate({REQUESTS}[1m]) > 2"',
    )
    result = verify(make_defs, run_cli, monkeypatch, "tests.verify_views:app_views", rules)
    assert result.code == 1
    assert "FAIL  alert 'QueueHigh': evaluation error: " in result.out
    assert "many-to-many matching not allowed" in result.out


def test_sark_definitions_show_data_on_every_panel(
    run_cli: Callable[..., CliResult], sark_build: Build
) -> None:
    # Rule evaluation waits are tested on the 1s groups above; SARK's take up to a minute.
    result = run_cli("verify", "--rule-wait", "5")
    assert result.code == 0, result.out + result.err
    assert "FAIL" not in result.out
    # Every dashboard query, and every alert and recording rule of the project.
    counts = re.search(r"queries: \d+ \((\d+) alert, (\d+) annotation, (\d+) panel, ", result.out)
    assert counts, result.out
    assert int(counts.group(1)) == sum(len(f.alerts) for f in sark_build.rule_files)
    assert int(counts.group(3)) >= 100


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_verify_stops_prometheus_and_removes_its_data(
    sig: signal.Signals, make_defs: Callable[..., Path], tmp_path: Path
) -> None:
    # A 5m group keeps verify waiting for its first evaluation: interrupt it there.
    rules = RULES.replace('interval="1s"', 'interval="5m"')
    root = make_defs({"catalog.py": MINI_CATALOG, "__init__.py": PROJECT, "rules.py": rules})
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "sarkmon", "verify", "--root", str(root), "--definitions", "defs"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    try:
        assert process.stderr is not None
        for line in process.stderr:
            if "waiting for every rule group" in line:
                break
        servers = children(process.pid)
        assert len(servers) == 1
        assert "prometheus" in Path(f"/proc/{servers[0]}/cmdline").read_text()
        assert any(scratch.iterdir())
        process.send_signal(sig)
        assert process.wait(timeout=30) == 130
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert "interrupted; prometheus stopped, data removed" in process.stderr.read()
    assert not Path(f"/proc/{servers[0]}").exists()
    assert list(scratch.iterdir()) == []
