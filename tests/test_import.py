"""``sarkmon import``: the corpus round trip, ruff on the output, and what is reported."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from sarkmon.importer.pysource import docstring
from sarkmon.load import load_project
from sarkmon.output import with_manifest
from sarkmon.pipeline import build, render
from sarkmon.review.diff import diff_snapshots
from sarkmon.review.snapshot import snapshot
from tests.conftest import FIXTURES, MINI_CATALOG, REPO, CliResult

CORPUS = FIXTURES / "import"
SARK_HANDWRITTEN = FIXTURES / "sark-handwritten"
RUFF = REPO / ".venv" / "bin" / "ruff"

# What the corpus holds on purpose that sarkmon cannot represent: reported, never dropped.
EXPECTED_NOTES = [
    "gateway-alerts.yml: alert HighDenyRate: severity 'high' is not critical, warning or info; "
    "imported as warning",
    "gateway-alerts.yml: alert gateway_client_errors: names are UpperCamelCase "
    "(group gateway_integration); left out",
    "gateway-integration.json: panel 'Firing Gateway Alerts': panel type 'alertlist' has no "
    "sarkmon panel class; left out",
    "gateway-integration.json: panel 'Client Errors by Operation': options.minVizHeight 10 -> 16",
    "gateway-integration.json: panel 'Client Errors by Operation': options.minVizWidth 0 -> 8",
    "sark-overview-legacy.json: old schema: panel 'Requests and In-Flight': series override "
    "'in flight': dashes=True not migrated",
    "sark-overview-legacy.json: panel 'Response Time (P95)': options.tooltip.sort \"none\" -> "
    '"desc"',
    "sark-overview-legacy.json: panel 'Requests and In-Flight': options.tooltip.sort \"none\" -> "
    '"desc"',
    "security-prometheusrule.yaml: PrometheusRule metadata (name, namespace, labels) is set by "
    "the project's Kubernetes target, not per file",
]

# The semantic differences between the corpus and what the imported definitions generate
# (sarkmon's own datasource variable aside): only what the corpus holds on purpose that
# sarkmon cannot represent, each with the note that reports it. The other inputs, and the
# rest of these, round trip with no difference at all.
UNREPRESENTABLE = {
    ("dashboards", "removed", "SARK Gateway Integration (sark-gateway-integration)",
     "panel 'Firing Gateway Alerts'", ""): "panel type 'alertlist' has no sarkmon panel class",
    ("alerts", "changed", "HighDenyRate", "", "severity"): "severity 'high' is not critical",
    ("alerts", "removed", "gateway_client_errors", "", ""): "names are UpperCamelCase",
}  # fmt: skip


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CliResult]:
    from tests.conftest import invoke

    out = tmp_path_factory.mktemp("import") / "imported"
    result = invoke("import", str(CORPUS), "--out", str(out), "--root", str(REPO))
    return out, result


@pytest.fixture(scope="module")
def imported_sark(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CliResult]:
    """SARK's own hand-written dashboards and rules: long selectors, multi-line expressions."""
    from tests.conftest import invoke

    out = tmp_path_factory.mktemp("import-sark") / "imported"
    result = invoke("import", str(SARK_HANDWRITTEN), "--out", str(out), "--root", str(REPO))
    return out, result


def corpus_tree() -> dict[str, bytes]:
    """The corpus laid out where generate writes the same things."""
    tree: dict[str, bytes] = {}
    for path in sorted(CORPUS.iterdir()):
        if path.suffix == ".json":
            import json

            doc = json.loads(path.read_text())
            uid = doc.get("dashboard", doc)["uid"]
            tree[f"grafana/dashboards/sark/{uid}.json"] = path.read_bytes()
        elif path.suffix in (".yml", ".yaml"):
            tree[f"prometheus/rules/{path.stem}.yml"] = path.read_bytes()
    return tree


def test_the_import_reports_exactly_what_it_cannot_represent(
    imported: tuple[Path, CliResult],
) -> None:
    out, result = imported
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == f"wrote {out}/: 2 dashboard(s), 2 rule file(s), 7 modules"
    assert lines[1] == "not carried over (9), also written as comments in the modules:"
    reported = [line.strip().removeprefix(f"{CORPUS}/") for line in lines[2:-1]]
    assert reported == EXPECTED_NOTES
    assert lines[-1].startswith("try it: PYTHONPATH=")
    comments = (out / "dashboards" / "sark_gateway_integration.py").read_text()
    assert "# - panel 'Firing Gateway Alerts': panel type 'alertlist'" in comments


def test_generating_from_the_import_gives_back_the_corpus(
    imported: tuple[Path, CliResult],
) -> None:
    out, imported_result = imported
    project, problems = load_project(out.name, str(out.parent))
    assert not problems
    result = build(project)
    assert not result.errors, [f.line() for f in result.errors]
    generated = with_manifest(render(result))
    report = diff_snapshots(snapshot(corpus_tree(), "corpus"), snapshot(generated, "generated"))
    found = {
        (c.area, c.action, c.subject, c.item, c.field)
        for c in report.changes
        if c.area in ("dashboards", "alerts", "recording rules")
        and c.item != "variable $datasource"  # sarkmon's own, on every dashboard
    }
    assert found == set(UNREPRESENTABLE)
    assert not report.problems
    for note in UNREPRESENTABLE.values():
        assert note in imported_result.out

    # Every query of the corpus is in the output (unchanged in meaning: no query change above).
    def queries(files: dict[str, bytes]) -> int:
        return sum(
            len(p.queries) for d in snapshot(files, "").dashboards.values() for p in d.panels
        )

    assert queries(generated) == queries(corpus_tree()) == 18


def test_the_import_says_how_many_errors_stop_it_building(
    imported_sark: tuple[Path, CliResult],
) -> None:
    out, result = imported_sark
    project, problems = load_project(out.name, str(out.parent))
    assert not problems
    errors = build(project).errors
    assert errors  # SARK's own files use metrics and labels its catalog does not declare
    last = result.out.splitlines()[-1]
    assert last.startswith(f"it does not build yet: {len(errors)} error(s) (catalog/")
    assert last.endswith(f"sarkmon lint --root {out.parent} --definitions imported")
    assert "try it" not in result.out


@pytest.mark.parametrize("source", ["imported", "imported_sark"])
def test_the_imported_code_passes_ruff(request: pytest.FixtureRequest, source: str) -> None:
    out, result = request.getfixturevalue(source)
    assert result.code == 0, result.err
    assert len(list(out.rglob("*.py"))) >= 7
    config = str(REPO / "pyproject.toml")
    for args in (["check"], ["format", "--check", "--diff"]):
        done = subprocess.run(
            [str(RUFF), *args, "--config", config, str(out)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_the_imported_code_reads_like_definitions(imported: tuple[Path, CliResult]) -> None:
    out, _ = imported
    gateway = (out / "dashboards" / "sark_gateway_integration.py").read_text()
    assert (
        'SERVER = QueryVariable("server", metric=gateway.AUTHZ_REQUESTS, label="server",' in gateway
    )
    assert (
        "AUTHZ_REQUESTS = gateway.AUTHZ_REQUESTS(server=SERVER.match, action=ACTION.match)"
        in gateway
    )
    assert 'f"sum by (decision) (rate({AUTHZ_REQUESTS}[$__rate_interval]))"' in gateway
    assert "sark_gateway_authz_requests_total" not in gateway  # every use is the catalog object
    overview = (out / "dashboards" / "sark_overview.py").read_text()
    assert (
        'legend=Legend(mode="table", placement="right", calcs=("mean", "max", "lastNotNull"))'
        in overview
    )
    assert 'thresholds=Thresholds("transparent", ((0.5, "orange"), (1, "red")))' in overview
    assert "rows=(traffic, latency, details)" in overview
    alerts = (out / "alerts" / "gateway_alerts.py").read_text()
    assert 'runbook=Runbook(\n                        url="https://runbooks.example.com/' in alerts
    assert 'labels={"service": "sark-gateway"}' in alerts
    init = (out / "__init__.py").read_text()
    assert "from definitions.metrics import catalog" in init


DASHBOARD = """
{"uid": "shop", "title": "Shop", "schemaVersion": 39,
 "templating": {"list": [{"name": "route", "type": "query",
   "query": "label_values(app_requests_total, route)", "includeAll": true, "multi": true}]},
 "panels": [
  {"id": 1, "type": "timeseries", "title": "Requests", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8},
   "targets": [{"expr": "sum by (code) (rate(app_requests_total{route=~\\"$route\\"}[5m]))", "refId": "A"},
               {"expr": "sum(rate(app_requests_total{code=\\"bogus\\"}[5m]))", "refId": "B"}]},
  {"id": 2, "type": "timeseries", "title": "Requests", "gridPos": {"x": 12, "y": 0, "w": 12, "h": 8},
   "targets": [{"expr": "histogram_quantile(0.9, sum by (le) (rate(app_latency_seconds_bucket[5m])))", "refId": "A"}]},
  {"id": 3, "type": "stat", "title": "", "gridPos": {"x": 0, "y": 8, "w": 6, "h": 4},
   "targets": [{"expr": "app_queue_depth", "refId": "A"}]}
 ]}
"""


def test_a_project_catalog_and_duplicate_titles(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    root = make_defs({"catalog.py": MINI_CATALOG})
    source = tmp_path / "shop.json"
    source.write_text(DASHBOARD)
    out = root / "shop_defs"
    result = run_cli(
        "import", str(source), "--out", str(out), "--catalog", "defs.catalog", "--root", str(root)
    )
    assert result.code == 0, result.err
    assert "panel 'Stat': has no title; titled 'Stat'" in result.out
    assert "it does not build yet: 1 error(s) (catalog/" in result.out
    code = (out / "dashboards" / "shop.py").read_text()
    assert "from defs import catalog" in code
    assert (
        'ROUTE = QueryVariable("route", metric=catalog.REQUESTS, label="route", all_value="", sort=0)'
        in code
    )
    assert 'f"sum by (code) (rate({catalog.REQUESTS(route=ROUTE.match)}[5m]))"' in code
    assert "queries=(catalog.QUEUE,)" in code
    # A value the catalog does not know stays as written, and lint says so at generate time.
    assert "'sum(rate(app_requests_total{code=\"bogus\"}[5m]))'" in code
    assert code.count("key=") == 2 and 'key="requests-2"' in code and 'key="stat"' in code
    generated = run_cli(
        "generate", "--root", str(root), "--definitions", "shop_defs", "--out", str(root / "g")
    )
    assert generated.code == 2
    assert generated.err.startswith("shop_defs/dashboards/shop.py:")
    assert "value 'bogus' matches no value of 'code' for app_requests_total" in generated.err


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("x.json", "{not json", "x.json: not JSON:"),
        ("x.json", '{"title": "no panels"}', "x.json: not a Grafana dashboard (no panels or rows)"),
        ("x.yml", "scrape_configs: []\n", "x.yml: not a rule file: x: no rule groups"),
        ("x.yml", "groups: [\n", "x.yml: not a rule file:"),
    ],
)
def test_inputs_that_are_not_dashboards_or_rules(
    run_cli: Callable[..., CliResult], tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    result = run_cli("import", str(path), "--out", str(tmp_path / "out"), "--root", str(REPO))
    assert result.code == 2
    assert result.err.startswith("sarkmon import: ") and message in result.err
    assert len(result.err.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_missing_files_and_catalogs(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    result = run_cli("import", str(tmp_path / "nope.json"), "--out", str(tmp_path / "o"))
    assert result.code == 2 and "nope.json: no such file or directory" in result.err
    (tmp_path / "a.json").write_text('{"panels": []}')
    result = run_cli(
        "import",
        str(tmp_path / "a.json"),
        "--out",
        str(tmp_path / "o"),
        "--catalog",
        "no_such_catalog",
    )
    assert result.code == 2 and "cannot import catalog module 'no_such_catalog'" in result.err


@pytest.mark.parametrize("length", [60, 93, 94, 95, 96, 97, 100, 101, 130, 250])
def test_module_docstrings_are_as_ruff_formats_them(tmp_path: Path, length: int) -> None:
    # The source path goes into the docstring, so its length varies with the checkout.
    path = "/" + "d" * max(1, length - 40) + "/gateway-alerts.yml"
    text = f"Rules of {path}: imported by sarkmon import."[:length]
    module = tmp_path / "module.py"
    module.write_text("\n".join([*docstring(text), "", "VALUE = 1", ""]))
    config = str(REPO / "pyproject.toml")
    for args in (["check"], ["format", "--check", "--diff"]):
        done = subprocess.run(
            [str(RUFF), *args, "--config", config, str(module)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
