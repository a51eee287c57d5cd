"""The synthetic definitions of ``make bench``: a valid project that generates and lints clean.

The benchmark is only worth its figures while its project stays realistic and valid; this
keeps it from rotting as the model changes. ``sarkmon check --offline`` runs on it too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from sarkmon.bench.synthetic import PACKAGE, SCALES, Scale, half, package_files, write_package
from sarkmon.check.kubernetes import shared_dir
from sarkmon.load import load_project
from tests.conftest import REPO, CliResult

TINY = Scale("tiny", dashboards=3, panels=12, alerts=40, metrics=30)


def test_synthetic_project_generates_lints_and_checks_clean(
    tmp_path: Path, run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The CRD is found beside the repository (the output here is not in it).
    monkeypatch.setenv("SARKMON_SHARED", str(shared_dir(REPO / "generated")))
    root = write_package(TINY, tmp_path / "defs")
    where = ("--definitions", PACKAGE, "--root", str(root))
    out = tmp_path / "out"
    generated = run_cli("generate", *where, "--out", str(out))
    assert generated.code == 0, generated.out + generated.err
    linted = run_cli("lint", *where, "--format", "json")
    assert linted.code == 0, linted.out
    assert [f for f in json.loads(linted.out) if f["severity"] == "error"] == []

    project, problems = load_project(PACKAGE, str(root))
    assert problems == []
    explicit = [a for f in project.rule_files for a in f.alerts]
    assert len(explicit) == TINY.alerts
    assert len(project.catalog.scrape.jobs) == TINY.services
    assert len(project.dashboards) == TINY.dashboards + 1  # and the SLO dashboard
    assert {len(list(d.all_panels())) for d in project.dashboards[:-1]} == {TINY.panels}
    assert sum(bool(a.tests) for a in explicit) >= TINY.alerts // 5  # a share is tested
    assert len(list(out.rglob("*.json"))) > TINY.dashboards

    checked = run_cli("check", *where, "--out", str(out), "--offline")
    assert "ok    drift:" in checked.out
    assert "ok    dashboard schema:" in checked.out
    assert "valid against the CRD," in checked.out
    assert "skip  promtool_test_rules (runs a tool)" in checked.out
    # Tests cover a share of the alerts, as in real projects: coverage is what fails.
    assert [line.split(":")[0] for line in checked.out.splitlines() if line.startswith("FAIL")] == [
        "FAIL  alert test coverage"
    ]


def test_scales_and_determinism() -> None:
    assert SCALES["L"].services == 200 and SCALES["M"].services == 50
    assert half(SCALES["L"]) == Scale("L/2", 500, 20, 5_000, 1_000)
    assert package_files(TINY) == package_files(TINY)
