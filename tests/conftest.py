"""Shared fixtures: the SARK project built once, throwaway definition packages, the CLI."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from sarkmon.cli import cli
from sarkmon.load import load_project
from sarkmon.pipeline import Build, build, render

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
# SARK's metric inventory (facts read from SARK's code), kept beside the tests.
INVENTORY = FIXTURES / "sark" / "metrics-inventory.json"
# Published schemas (Grafana's, the PrometheusRule CRD) live beside the repository.
SHARED = Path(os.environ.get("SARKMON_SHARED", REPO.parent / "shared"))

# A minimal catalog that test definitions build on.
MINI_CATALOG = """
from sarkmon.model import Catalog, Counter, Gauge, Histogram, Label, Scrape, ScrapeJob

REQUESTS = Counter(
    "app_requests_total",
    "Requests",
    labels=("route", Label("code", values=("ok", "error"))),
)
LATENCY = Histogram("app_latency_seconds", "Latency", labels=("route",), buckets=(0.1, 0.5, 1))
QUEUE = Gauge("app_queue_depth", "Queue depth")
SCRAPE = Scrape([ScrapeJob("app", targets=("app:8000",), interval="10s", labels={"tier": "web"})])
catalog = Catalog([REQUESTS, LATENCY, QUEUE], SCRAPE)
"""


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def invoke(*args: str) -> CliResult:
    """Run the sarkmon CLI in-process and capture stdout and stderr apart."""
    runner = CliRunner()
    result = runner.invoke(cli, list(args), catch_exceptions=False)
    return CliResult(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def run_cli() -> Callable[..., CliResult]:
    return invoke


@pytest.fixture
def make_defs(tmp_path: Path) -> Callable[..., Path]:
    """Write a definitions package ``defs`` under tmp_path from {relative path: source}."""

    def make(files: dict[str, str], package: str = "defs") -> Path:
        base = tmp_path / package
        base.mkdir(exist_ok=True)
        (base / "__init__.py").touch()
        for rel, text in files.items():
            path = base / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"))
        return tmp_path

    return make


@pytest.fixture(scope="session")
def sark_build() -> Build:
    project, problems = load_project("definitions", str(REPO))
    assert not problems, [p.line() for p in problems]
    return build(project)


@pytest.fixture(scope="session")
def sark_files(sark_build: Build) -> dict[str, str]:
    return render(sark_build)


@pytest.fixture(scope="session")
def sark_check() -> CliResult:
    """``sarkmon check`` on SARK's definitions, run once: promtool tests take a while."""
    return invoke("check")
