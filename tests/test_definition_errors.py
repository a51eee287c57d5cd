"""Mistakes in definitions: exit 2, one exact line per problem naming file:line, nothing written."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import MINI_CATALOG, CliResult

PROJECT = """
from defs.catalog import catalog
from defs.alerts import rules
from sarkmon.model import Project

project = Project(name="t", catalog=catalog, rule_files=[rules])
"""


def alerts_module(*rules: str) -> str:
    body = ",\n".join(rules)
    return f"""
from defs.catalog import LATENCY, QUEUE, REQUESTS
from sarkmon.model import AlertRule, RecordingRule, RuleFile, RuleGroup

rules = RuleFile(
    "app",
    groups=[
        RuleGroup(
            "app",
            rules=[
{body},
            ],
        )
    ],
)
"""


GOOD = '        AlertRule("QueueHigh", f"{QUEUE} > 10", summary="s", description="d", for_="5m")'

CASES = {
    "unknown metric in PromQL": (
        {
            "alerts.py": alerts_module(
                '        AlertRule("Errors", "sum(rate(app_request_total[5m])) > 1")'
            )
        },
        [
            "defs/alerts.py:10: error [catalog/unknown-metric] alert 'Errors': unknown metric "
            "'app_request_total' (did you mean app_requests_total?)"
        ],
    ),
    "unknown label in PromQL": (
        {
            "alerts.py": alerts_module(
                '        AlertRule("Errors", \'sum(rate(app_requests_total{status="5xx"}[5m])) > 1\')'
            )
        },
        [
            "defs/alerts.py:10: error [catalog/unknown-label] alert 'Errors': label 'status' is not "
            "a label of app_requests_total (its labels: code, instance, job, route, tier)"
        ],
    ),
    "unknown label in a selector": (
        {
            "alerts.py": alerts_module(
                '        AlertRule("Errors", f"sum(rate({REQUESTS(path=\'/\')}[5m])) > 1")'
            )
        },
        [
            "defs/alerts.py:10: error [definition/unknown-label] app_requests: label 'path' is not "
            "declared for this metric (its labels: route, code)"
        ],
    ),
    "label value outside its enum": (
        {
            "alerts.py": alerts_module(
                '        AlertRule("Errors", f"sum(rate({REQUESTS(code=\'5xx\')}[5m])) > 1")'
            )
        },
        [
            "defs/alerts.py:10: error [definition/label-value] app_requests: value '5xx' is not a "
            "known value of label 'code' (known values: ok, error)"
        ],
    ),
    "bad duration": (
        {
            "alerts.py": alerts_module(
                '        AlertRule("QueueHigh", f"{QUEUE} > 10", for_="5 minutes")'
            )
        },
        [
            "defs/alerts.py:10: error [definition/duration] alert 'QueueHigh': for: invalid "
            "duration '5 minutes' (use units ms, s, m, h, d, w, y as in '1h30m')"
        ],
    ),
    "unknown severity": (
        {
            "alerts.py": alerts_module(
                '        AlertRule("QueueHigh", f"{QUEUE} > 10", severity="high")'
            )
        },
        [
            "defs/alerts.py:10: error [definition/severity] alert 'QueueHigh': unknown severity "
            "'high' (use critical, warning or info)"
        ],
    ),
    "duplicate alert": (
        {"alerts.py": alerts_module(GOOD, GOOD)},
        [
            "defs/alerts.py:11: error [definition/duplicate] alert 'QueueHigh': alert defined twice "
            "with the same labels (first at defs/alerts.py:10) (rename one, or give each a "
            "distinguishing label)"
        ],
    ),
    "alert name style": (
        {"alerts.py": alerts_module('        AlertRule("queue_high", f"{QUEUE} > 10")')},
        [
            "defs/alerts.py:10: error [definition/alert-name] alert 'queue_high': alert names are "
            "UpperCamelCase"
        ],
    ),
    "record name style": (
        {"alerts.py": alerts_module('        RecordingRule("queue", f"sum({QUEUE})")')},
        [
            "defs/alerts.py:10: error [definition/record-name] recording rule 'queue': recording "
            "rule names follow level:metric:operations (for example "
            "job:sark_gateway_requests:rate5m)"
        ],
    ),
    "PromQL that does not parse": (
        {"alerts.py": alerts_module('        AlertRule("QueueHigh", f"sum({QUEUE} > 10")')},
        [
            "defs/alerts.py:10: error [promql/syntax] alert 'QueueHigh': does not parse: unclosed "
            "left parenthesis (query: sum(app_queue_depth > 10)"
        ],
    ),
    "duplicate metric": (
        {
            "catalog.py": MINI_CATALOG.replace(
                "catalog = Catalog([REQUESTS, LATENCY, QUEUE], SCRAPE)",
                'catalog = Catalog([REQUESTS, LATENCY, QUEUE, Gauge("app_queue_depth", "again")], SCRAPE)',
            ),
            "alerts.py": alerts_module(GOOD),
        },
        [
            "defs/catalog.py:11: error [definition/duplicate] gauge 'app_queue_depth': metric family "
            "declared twice (first at defs/catalog.py:9) (keep one definition; merge their labels "
            "if both are real)"
        ],
    ),
    "invalid label name": (
        {
            "catalog.py": MINI_CATALOG.replace(
                'Gauge("app_queue_depth", "Queue depth")',
                'Gauge("app_queue_depth", "Queue depth", labels=("queue-name",))',
            ),
            "alerts.py": alerts_module(GOOD),
        },
        [
            "defs/catalog.py:9: error [definition/label-name] gauge 'app_queue_depth': invalid label "
            "name 'queue-name' (label names match [a-zA-Z_][a-zA-Z0-9_]* and do not start with __)"
        ],
    ),
    "wrong type: histogram series of a counter": (
        {
            "alerts.py": alerts_module(
                '        AlertRule("Slow", f"sum(rate({REQUESTS.bucket}[5m])) > 1")'
            )
        },
        [
            "defs/alerts.py:10: error [definition/metric-type] counter 'app_requests': .bucket is "
            "app_requests_bucket, a series this counter does not expose (only histograms have "
            "_bucket series; did you mean app_requests_total?)"
        ],
    ),
    "wrong type: summary series of a gauge": (
        {"alerts.py": alerts_module('        AlertRule("Slow", f"{QUEUE.sum} > 1")')},
        [
            "defs/alerts.py:10: error [definition/metric-type] gauge 'app_queue_depth': .sum is "
            "app_queue_depth_sum, a series this gauge does not expose (only histograms and "
            "summaries have _sum series; did you mean app_queue_depth?)"
        ],
    ),
    "renamed metric constant": (
        {
            "alerts.py": alerts_module(GOOD).replace(
                "from defs.catalog import LATENCY, QUEUE, REQUESTS",
                "from defs.catalog import QUEUE_DEPTH",
            )
        },
        [
            "defs/alerts.py:1: error [definition/import] module defs.alerts: cannot import name "
            "'QUEUE_DEPTH' from defs.catalog (defs/catalog.py) (did you mean QUEUE?)"
        ],
    ),
    "constant that never existed": (
        {
            "alerts.py": alerts_module(GOOD).replace(
                "from defs.catalog import LATENCY, QUEUE, REQUESTS",
                "from defs.catalog import QUEUE, THROUGHPUT",
            )
        },
        [
            "defs/alerts.py:1: error [definition/import] module defs.alerts: cannot import name "
            "'THROUGHPUT' from defs.catalog (defs/catalog.py) (its constants: LATENCY, QUEUE, "
            "REQUESTS, SCRAPE)"
        ],
    ),
    "several problems at once": (
        {
            "alerts.py": alerts_module(
                '        AlertRule("QueueHigh", f"{QUEUE} > 10", for_="5x", severity="page")'
            )
        },
        [
            "defs/alerts.py:10: error [definition/severity] alert 'QueueHigh': unknown severity "
            "'page' (use critical, warning or info)",
            "defs/alerts.py:10: error [definition/duration] alert 'QueueHigh': for: invalid duration "
            "'5x' (use units ms, s, m, h, d, w, y as in '1h30m')",
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_definition_exits_2_with_exact_lines(
    case: str, make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    files, expected = CASES[case]
    root = make_defs({"catalog.py": MINI_CATALOG, "__init__.py": PROJECT, **files})
    out = tmp_path / "out"
    result = run_cli("generate", "--root", str(root), "--definitions", "defs", "--out", str(out))
    assert result.code == 2
    lines = [line for line in result.err.splitlines() if not line.startswith("sarkmon:")]
    assert lines == expected
    assert "Traceback" not in result.err + result.out
    assert not out.exists()


def test_good_definitions_generate(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    root = make_defs(
        {"catalog.py": MINI_CATALOG, "__init__.py": PROJECT, "alerts.py": alerts_module(GOOD)}
    )
    out = tmp_path / "out"
    result = run_cli("generate", "--root", str(root), "--definitions", "defs", "--out", str(out))
    assert result.code == 0, result.err
    assert (out / "prometheus/rules/app.yml").is_file()


def test_missing_project_and_package(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult]
) -> None:
    root = make_defs({"catalog.py": MINI_CATALOG})
    result = run_cli("generate", "--root", str(root), "--definitions", "defs", "--check")
    assert result.code == 2
    assert result.err.splitlines() == [
        "defs/__init__.py: error [definition/project] package defs: it must define "
        "`project = Project(...)` (found NoneType)"
    ]
    result = run_cli("generate", "--root", str(root), "--definitions", "nodefs")
    assert result.code == 2
    assert "no definitions package 'nodefs'" in result.err


def test_python_syntax_error_names_its_line(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult]
) -> None:
    root = make_defs(
        {
            "catalog.py": MINI_CATALOG,
            "__init__.py": PROJECT,
            "alerts.py": "rules = [\n  1,\n  2 3,\n]\n",
        }
    )
    result = run_cli("generate", "--root", str(root), "--definitions", "defs")
    assert result.code == 2
    assert result.err.splitlines()[0].startswith(
        "defs/alerts.py:3: error [definition/python] module defs: SyntaxError: "
    )


def test_generate_summarizes_warnings_in_one_line(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    planned = MINI_CATALOG.replace(
        'QUEUE = Gauge("app_queue_depth", "Queue depth")',
        'QUEUE = Gauge("app_queue_depth", "Queue depth", status=Status.PLANNED)',
    ).replace("Scrape, ScrapeJob", "Scrape, ScrapeJob, Status")
    root = make_defs(
        {"catalog.py": planned, "__init__.py": PROJECT, "alerts.py": alerts_module(GOOD)}
    )
    result = run_cli(
        "generate", "--root", str(root), "--definitions", "defs", "--out", str(tmp_path / "o")
    )
    assert result.code == 0, result.err
    summary = (
        r"^sarkmon: \d+ warning\(s\) \(.*catalog/planned-metric 1.*\); `sarkmon lint` lists them$"
    )
    assert re.search(summary, result.err, re.MULTILINE), result.err
    assert "[catalog/planned-metric]" not in result.err


RAISING = alerts_module(GOOD) + "THRESHOLD = 1 / 0\n"


@pytest.mark.parametrize("debug", [(), ("--debug",)])
def test_an_exception_in_a_definition_is_one_line_without_debug(
    debug: tuple[str, ...],
    make_defs: Callable[..., Path],
    run_cli: Callable[..., CliResult],
) -> None:
    root = make_defs({"catalog.py": MINI_CATALOG, "__init__.py": PROJECT, "alerts.py": RAISING})
    args = ("generate", "--root", str(root), "--definitions", "defs", "--check")
    for where in ((*debug, *args), (*args, *debug)):  # --debug before or after the command
        result = run_cli(*where)
        assert result.code == 2
        lines = result.err.splitlines()
        assert lines[0] == (
            "defs/alerts.py:15: error [definition/python] module defs.alerts: ZeroDivisionError: "
            "division by zero"
        )
        if not debug:
            assert len(lines) == 1
            continue
        assert lines[1] == "Traceback (most recent call last):"
        assert any(line.endswith('alerts.py", line 15, in <module>') for line in lines)
        assert lines[-1] == "ZeroDivisionError: division by zero"
