"""The instrumentation module: prometheus_client exposes exactly the catalog's series."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from sarkmon.compile.instrumentation import constant_name, instrumentation_path, instrumented
from sarkmon.model.metrics import Histogram, Info, Metric, StateSet, Summary
from sarkmon.pipeline import Build
from tests.conftest import MINI_CATALOG, CliResult


def load_module(text: str, tmp_path: Path, name: str) -> ModuleType:
    path = tmp_path / f"{name}.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[name]
    return module


def record_one_series(metric: Metric, client: Any) -> None:
    """Make the family expose its series: one child with a known value of every label."""
    values = {label.name: (label.values or ("x",))[0] for label in metric.label_specs}
    child = client.labels(**values) if values else client
    if isinstance(metric, Info):
        child.info({})
    elif isinstance(metric, StateSet):
        child.state(metric.states[0])
    elif isinstance(metric, Histogram | Summary):
        child.observe(0.2)
    elif metric.type.value == "counter":
        child.inc()
    else:
        child.set(1)


def exposed(module: ModuleType, metrics: list[Metric]) -> list[Any]:
    """Every sample the module's registry exposes once each family has recorded a series."""
    for metric in metrics:
        record_one_series(metric, getattr(module, constant_name(metric.family)))
    text = generate_latest(module.REGISTRY).decode()
    return [s for family in text_string_to_metric_families(text) for s in family.samples]


def test_sark_metrics_module_exposes_exactly_the_catalog_series(
    sark_build: Build, sark_files: dict[str, str], tmp_path: Path
) -> None:
    text = sark_files["python/sark_metrics.py"]
    metrics = instrumented(sark_build.catalog)
    assert len(metrics) > 100
    module = load_module(text, tmp_path, "sark_metrics_under_test")
    samples = exposed(module, metrics)
    expected = {name for m in metrics for name in m.samples()}
    assert {s.name for s in samples} == expected
    # Each family once, with the declared help, labels and buckets.
    assert sorted(module.__all__) == sorted(
        ["REGISTRY", *(constant_name(m.family) for m in metrics)]
    )
    for metric in metrics:
        client = getattr(module, constant_name(metric.family))
        assert client._documentation == metric.help
        assert tuple(client._labelnames) == metric.label_names
        if isinstance(metric, Histogram):
            les = [s.labels["le"] for s in samples if s.name == metric.family + "_bucket"]
            assert les == list(metric.le_values())


def test_external_and_recorded_metrics_are_left_out(sark_files: dict[str, str]) -> None:
    text = sark_files["python/sark_metrics.py"]
    assert '"up"' not in text and "ALERTS" not in text and "process_cpu" not in text
    assert 'Counter(\n    "sark_gateway_authz_requests_total",' in text


CATALOG_WITH_EVERY_TYPE = MINI_CATALOG.replace(
    "from sarkmon.model import",
    "from sarkmon.model import Info, StateSet, Summary, Status,",
).replace(
    "catalog = Catalog([REQUESTS, LATENCY, QUEUE], SCRAPE)",
    """
BUILD = Info("app_build", 'Build "info"', labels=("version",))
STATE = StateSet("app_state", "State", states=("up", "down"), status=Status.PLANNED)
SIZES = Summary("app_payload_bytes", "Payload <sizes>", unit="bytes")
ODD = Gauge("app_odd_total_seconds_x", "Unit without its suffix", unit="seconds")
EXTERNAL = Gauge("other_gauge", "Not ours", status=Status.EXTERNAL)
catalog = Catalog([REQUESTS, LATENCY, QUEUE, BUILD, STATE, SIZES, ODD, EXTERNAL], SCRAPE)
""",
)
PROJECT = """
from defs.catalog import catalog
from sarkmon.model import Project

project = Project(name="app", catalog=catalog)
"""


def test_every_metric_type_round_trips_through_prometheus_client(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    root = make_defs({"catalog.py": CATALOG_WITH_EVERY_TYPE, "__init__.py": PROJECT})
    out = tmp_path / "out"
    result = run_cli("generate", "--root", str(root), "--definitions", "defs", "--out", str(out))
    assert result.code == 0, result.err
    text = (out / instrumentation_path("app")).read_text()
    assert "# unit 'seconds' is not declared: the name lacks its suffix" in text
    from sarkmon.load import load_project
    from sarkmon.pipeline import build

    project, _ = load_project("defs", str(root))
    metrics = instrumented(build(project).catalog)
    assert [m.name for m in metrics if m.name == "other_gauge"] == []
    module = load_module(text, tmp_path, "app_metrics_under_test")
    samples = exposed(module, metrics)
    assert {s.name for s in samples} == {name for m in metrics for name in m.samples()}
    states = [(s.labels["app_state"], s.value) for s in samples if s.name == "app_state"]
    assert states == [("up", 1.0), ("down", 0.0)]
    assert module.APP_PAYLOAD_BYTES._unit == "bytes"
    assert module.APP_BUILD._documentation == 'Build "info"'


def test_declarations_prometheus_client_cannot_honour_are_refused(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    catalog = MINI_CATALOG.replace(
        "from sarkmon.model import", "from sarkmon.model import StateSet, Summary,"
    ).replace(
        "catalog = Catalog([REQUESTS, LATENCY, QUEUE], SCRAPE)",
        """
QUANTILES = Summary("app_wait_seconds", "Wait", quantiles=(0.5, 0.9))
NO_CREATED = Counter("app_jobs_total", "Jobs", created=False)
NO_STATES = StateSet("app_mode", "Mode")
CLASH = Gauge("APP_QUEUE_DEPTH", "Same constant as app_queue_depth")
catalog = Catalog([REQUESTS, LATENCY, QUEUE, QUANTILES, NO_CREATED, NO_STATES, CLASH], SCRAPE)
""",
    )
    root = make_defs({"catalog.py": catalog, "__init__.py": PROJECT})
    out = tmp_path / "out"
    result = run_cli("generate", "--root", str(root), "--definitions", "defs", "--out", str(out))
    assert result.code == 2
    assert not out.exists()
    assert result.err.splitlines() == [
        "defs/catalog.py:9: error [instrumentation/name-clash] gauge 'app_queue_depth': "
        "defines APP_QUEUE_DEPTH, as 'APP_QUEUE_DEPTH' does",
        "defs/catalog.py:12: error [instrumentation/unsupported] summary 'app_wait_seconds': "
        "prometheus_client summaries expose no quantiles",
        "defs/catalog.py:13: error [instrumentation/unsupported] counter 'app_jobs': "
        "prometheus_client always exposes a _created series for this type",
        "defs/catalog.py:14: error [instrumentation/unsupported] stateset 'app_mode': "
        "an enum needs its states",
        "sarkmon: 4 error(s); nothing written",
    ]
