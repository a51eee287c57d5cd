"""Mistakes in dashboard definitions: exit 2, one line per problem naming file:line and object."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import MINI_CATALOG, CliResult
from tests.test_definition_errors import GOOD, alerts_module

PROJECT = """
from defs.alerts import rules
from defs.catalog import catalog
from defs.dashboards import dashboards
from sarkmon.model import Project
from sarkmon.model.dashboards import GrafanaSettings

project = Project(name="t", catalog=catalog, rule_files=[rules], dashboards=dashboards{extra})
"""


def dashboards_module(*panels: str, uid: str = "app", variables: str = "") -> str:
    """The dashboard is on line 5, its variables on line 8, its panels from line 10."""
    body = ",\n".join(panels)
    return f"""
from defs.catalog import LATENCY, QUEUE, REQUESTS
from sarkmon.model.dashboards import *

dashboards = [
    Dashboard(
        "{uid}",
        "App",
        variables=({variables}),
        panels=(
{body},
        ),
    ),
]
"""


STAT = '            Stat("Queue", queries=(f"sum({QUEUE})",))'

CASES: dict[str, tuple[dict[str, str], list[str]]] = {
    "uid that is not a slug": (
        {"dashboards.py": dashboards_module(STAT, uid="App Overview")},
        [
            "defs/dashboards.py:5: error [definition/dashboard-uid] dashboard 'App Overview': "
            "uids are 1-40 lower-case letters, digits and dashes (for example 'app')"
        ],
    ),
    "two panels with one title": (
        {"dashboards.py": dashboards_module(STAT, STAT)},
        [
            "defs/dashboards.py:11: error [definition/duplicate] panel 'Queue': key 'queue' is used "
            "twice in dashboard 'app' (first at defs/dashboards.py:10) (give one of them key=... "
            "(the panel id is derived from it))"
        ],
    ),
    "variable on an undeclared label": (
        {
            "dashboards.py": dashboards_module(
                STAT, variables='QueryVariable("path", metric=REQUESTS, label="path"),'
            )
        },
        [
            "defs/dashboards.py:8: error [definition/unknown-label] variable 'path': label 'path' "
            "is not declared for app_requests_total (its labels: route, code)"
        ],
    ),
    "panel without a query": (
        {"dashboards.py": dashboards_module('            TimeSeries("Empty")')},
        ["defs/dashboards.py:10: error [definition/panel] panel 'Empty': the panel has no query"],
    ),
    "PromQL and LogQL in one panel": (
        {
            "dashboards.py": dashboards_module(
                '            Table("Mixed", queries=(f"{QUEUE}", LogQuery(\'{job="app"}\')))'
            )
        },
        [
            "defs/dashboards.py:10: error [definition/panel] panel 'Mixed': a panel reads one "
            "datasource: PromQL and LogQL queries cannot be mixed (split it into two panels)"
        ],
    ),
    "panel wider than the grid": (
        {
            "dashboards.py": dashboards_module(
                '            Stat("Wide", width=30, queries=(f"sum({QUEUE})",))'
            )
        },
        [
            "defs/dashboards.py:10: error [definition/panel-size] panel 'Wide': size 30x0 does not "
            "fit the 24-column grid (width is 1..24, height at least 1 (0 keeps the default))"
        ],
    ),
    "unknown metric in a panel query": (
        {
            "dashboards.py": dashboards_module(
                '            TimeSeries("Errors", queries=(Query("sum(rate(app_request_total[5m]))"),))'
            )
        },
        [
            "defs/dashboards.py:10: error [catalog/unknown-metric] dashboard 'App' panel 'Errors' "
            "query A: unknown metric 'app_request_total' (did you mean app_requests_total?)"
        ],
    ),
    "runbook link to no alert": (
        {
            "dashboards.py": dashboards_module(
                '            Stat("Queue", queries=(f"sum({QUEUE})",), links=(RunbookLink("QueueFull"),))'
            )
        },
        [
            "defs/dashboards.py:10: error [grafana/link] dashboard 'app' panel 'Queue': no alert "
            "named 'QueueFull'"
        ],
    ),
    "link to no dashboard": (
        {
            "dashboards.py": dashboards_module(
                '            Stat("Queue", queries=(f"sum({QUEUE})",), links=(DashboardLink("ap"),))'
            )
        },
        [
            "defs/dashboards.py:10: error [grafana/link] dashboard 'app' panel 'Queue': no "
            "dashboard with uid 'ap' (uids: app)"
        ],
    ),
    "custom variable default not among its values": (
        {
            "dashboards.py": dashboards_module(
                STAT, variables='CustomVariable("code", values=("ok", "error"), default="5xx"),'
            )
        },
        [
            "defs/dashboards.py:8: error [definition/variable] variable 'code': default '5xx' is "
            "not one of its values"
        ],
    ),
    "reserved variable name": (
        {
            "dashboards.py": dashboards_module(
                STAT, variables='ConstantVariable("datasource", value="x"),'
            )
        },
        [
            "defs/dashboards.py:8: error [definition/variable-name] variable 'datasource': "
            "variable names are identifiers; datasource and loki are reserved"
        ],
    ),
    "unsupported Grafana version": (
        {
            "__init__.py": PROJECT.format(extra=', grafana=GrafanaSettings(version="9.5")'),
            "dashboards.py": dashboards_module(STAT),
        },
        [
            "defs/__init__.py:7: error [definition/grafana-version] grafana settings: unsupported "
            "Grafana version '9.5' (use a release of Grafana 10, 11, 12)"
        ],
    ),
}


def generate(
    files: dict[str, str],
    make_defs: Callable[..., Path],
    run_cli: Callable[..., CliResult],
    out: Path,
) -> CliResult:
    base = {
        "catalog.py": MINI_CATALOG,
        "__init__.py": PROJECT.format(extra=""),
        "alerts.py": alerts_module(GOOD),
    }
    root = make_defs({**base, **files})
    return run_cli("generate", "--root", str(root), "--definitions", "defs", "--out", str(out))


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_dashboard_exits_2_with_exact_lines(
    case: str, make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    files, expected = CASES[case]
    out = tmp_path / "out"
    result = generate(files, make_defs, run_cli, out)
    assert result.code == 2, result.err
    lines = [line for line in result.err.splitlines() if not line.startswith("sarkmon:")]
    assert lines == expected
    assert "Traceback" not in result.err + result.out
    assert not out.exists()


def test_good_dashboards_generate_with_provisioning(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = generate({"dashboards.py": dashboards_module(STAT)}, make_defs, run_cli, out)
    assert result.code == 0, result.err
    assert (out / "grafana/dashboards/sark/app.json").is_file()
    assert (out / "grafana/provisioning/dashboards/sarkmon.yaml").is_file()
    assert (out / "grafana/provisioning/datasources/sarkmon.yaml").is_file()
    check = run_cli(
        "check",
        "--root",
        str(out.parent / "defs").replace("/defs", ""),
        "--definitions",
        "defs",
        "--out",
        str(out),
        "--skip",
        "promtool",
    )
    assert "ok    dashboard schema: 1 dashboards valid" in check.out, check.out + check.err


def test_a_panel_silences_a_check_on_its_queries(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    silenced = (
        '            TimeSeries("Errors", queries=("sum(rate(app_request_total[5m]))",), '
        'silence={"catalog/unknown-metric": "exported from next release"})'
    )
    result = generate(
        {"dashboards.py": dashboards_module(silenced)}, make_defs, run_cli, tmp_path / "o"
    )
    assert result.code == 0, result.err


def test_two_dashboards_with_one_uid(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    module = dashboards_module(STAT).replace(
        "dashboards = [",
        'dashboards = [\n    Dashboard("app", "Again", panels=(Text("t", content="x"),)),',
    )
    result = generate({"dashboards.py": module}, make_defs, run_cli, tmp_path / "o")
    assert result.code == 2
    assert (
        "defs/dashboards.py:6: error [grafana/duplicate-uid] dashboard 'app': uid also used by "
        "'Again' (defs/dashboards.py:5)"
    ) in result.err


def test_raw_grafanalib_panels_are_compiled_and_analyzed(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    raw = "            RawPanel(panel=G.TimeSeries(title='Raw', targets=[G.Target(expr=f'sum({QUEUE})')]))"
    module = dashboards_module(raw).replace(
        "from sarkmon.model.dashboards import *",
        "import grafanalib.core as G\nfrom sarkmon.model.dashboards import *",
    )
    out = tmp_path / "o"
    result = generate({"dashboards.py": module}, make_defs, run_cli, out)
    assert result.code == 0, result.err
    import json

    (panel,) = json.loads((out / "grafana/dashboards/sark/app.json").read_text())["panels"]
    assert panel["targets"][0]["refId"] == "A" and "query" not in panel["targets"][0]
    assert panel["fieldConfig"]["defaults"]["thresholds"]["steps"][0] == {
        "color": "green",
        "value": None,
    }
    broken = module.replace("sum({QUEUE})", "sum(app_queue_dept)")
    result = generate({"dashboards.py": broken}, make_defs, run_cli, tmp_path / "o2")
    assert result.code == 2
    assert "[catalog/unknown-metric] dashboard 'App' panel 'Raw' query A" in result.err


def test_grafanalib_warnings_become_schema_errors(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    # grafanalib prints (to stdout) when a Graph has both an alert and thresholds.
    raw = (
        "            RawPanel(panel=G.Graph(title='Old', targets=[G.Target(expr=f'{QUEUE}', refId='A')], "
        "alert=G.Alert(name='a', message='m', alertConditions=[]), "
        "thresholds=[G.GraphThreshold(value=1.0)]))"
    )
    module = dashboards_module(raw).replace(
        "from sarkmon.model.dashboards import *",
        "import grafanalib.core as G\nfrom sarkmon.model.dashboards import *",
    )
    out = tmp_path / "o"
    result = generate({"dashboards.py": module}, make_defs, run_cli, out)
    assert result.code == 2
    assert "[grafana/schema] dashboard 'app'" in result.err
    assert "Graph threshold ignored" in result.err
    assert not out.exists() and "Warning" not in result.out


def _dashboard_with(**kwargs: object) -> object:
    from sarkmon.model.dashboards import Dashboard, Text

    return Dashboard("d", "D", panels=(Text("t", content="x"),), **kwargs)  # type: ignore[arg-type]


MODEL_MISTAKES = {
    "thresholds not increasing": (
        "definition/thresholds",
        lambda m: m.Thresholds("green", ((80, "red"), (50, "orange"))),
    ),
    "thresholds mode": ("definition/thresholds", lambda m: m.Thresholds(mode="relative")),
    "legend mode": ("definition/legend", lambda m: m.Legend("grid")),
    "override matching both": (
        "definition/override",
        lambda m: m.Override(ref_id="A", name_regex="x"),
    ),
    "special mapping": ("definition/mapping", lambda m: m.SpecialMapping("zero", "0")),
    "query format": ("definition/query-format", lambda m: m.Query("up", format="graph")),
    "empty query": ("definition/expr", lambda m: m.Query("  ")),
    "empty log query": ("definition/expr", lambda m: m.LogQuery("")),
    "text panel with a query": (
        "definition/panel",
        lambda m: m.Text("t", queries=("up",)),
    ),
    "logs panel on PromQL": ("definition/panel", lambda m: m.Logs("l", queries=("up",))),
    "refId twice": (
        "definition/duplicate",
        lambda m: m.Stat("s", queries=(m.Query("up", ref_id="A"), m.Query("up", ref_id="A"))),
    ),
    "untitled panel": ("definition/panel", lambda m: m.Text("", content="x")),
    "raw panel of something else": ("definition/panel", lambda m: m.RawPanel(panel={"type": "x"})),
    "refresh": ("definition/duration", lambda m: _dashboard_with(refresh="often")),
    "time range": ("definition/dashboard", lambda m: _dashboard_with(time_from="yesterday")),
    "no title": ("definition/dashboard", lambda m: m.Dashboard("d", "")),
    "variable twice": (
        "definition/duplicate",
        lambda m: _dashboard_with(
            variables=(m.ConstantVariable("a", value="1"), m.ConstantVariable("a", value="2"))
        ),
    ),
    "interval variable": (
        "definition/duration",
        lambda m: m.IntervalVariable("w", values=("5 minutes",)),
    ),
    "custom variable without values": (
        "definition/variable",
        lambda m: m.CustomVariable("c", values=()),
    ),
}


@pytest.mark.parametrize("case", sorted(MODEL_MISTAKES))
def test_model_mistakes_raise_outside_loading(case: str) -> None:
    import sarkmon.model.dashboards as m
    from sarkmon.diagnostics import DefinitionError

    check, make = MODEL_MISTAKES[case]
    with pytest.raises(DefinitionError) as raised:
        make(m)
    assert raised.value.finding.check == check
    assert raised.value.finding.location.file.endswith("test_dashboard_definitions.py")
