"""Lint of alert test cases: each check fires on a bad case and stays quiet on good ones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sarkmon.pipeline import Build
from tests.conftest import MINI_CATALOG, CliResult
from tests.test_definition_errors import PROJECT


def alerts_module(tests: str, expr: str = 'f"sum by (route) (rate({REQUESTS}[5m])) > 1"') -> str:
    return f"""
from defs.catalog import LATENCY, QUEUE, REQUESTS
from sarkmon.model import AlertRule, RecordingRule, RuleFile, RuleGroup
from sarkmon.model.alert_tests import AlertTest, Fires, Quiet, Series, steady, threshold_cases

OK = Series(REQUESTS(route="/", code="ok"), steady(2, "30m").counter())

rules = RuleFile(
    "app",
    groups=[
        RuleGroup(
            "app",
            rules=[
                RecordingRule("route:app_requests:rate5m", f"sum by (route) (rate({{REQUESTS}}[5m]))"),
                AlertRule(
                    "Busy",
                    {expr},
                    for_="5m",
                    summary="Busy route {{{{ $labels.route }}}}",
                    description="static text",
                    tests=[
{tests}
                    ],
                ),
            ],
        )
    ],
)
"""


def case(series: str = "OK", expect: str = 'Quiet("30m", since="0s")') -> str:
    return f'AlertTest("case", series=[{series}], expect=[{expect}]),'


FIRES = 'Fires("20m", labels={"route": "/"}, annotations={"summary": "Busy route /"})'

CASES = {
    "unknown metric in a series string": (
        case('Series(\'app_request_total{route="/", code="ok"}\', "0+1x30")'),
        "error [alert-test/series] alert 'Busy' test 'case': unknown metric 'app_request_total' "
        'in input \'app_request_total{route="/", code="ok"}\' (did you mean app_requests_total?)',
    ),
    "unknown label in a series string": (
        case('Series(\'app_queue_depth{queue="a"}\', "1x30")'),
        "error [alert-test/series] alert 'Busy' test 'case': input 'app_queue_depth{queue=\"a\"}': "
        "label 'queue' is not a label of app_queue_depth (its labels: instance, job, tier)",
    ),
    "enum value in a series string": (
        case('Series(\'app_requests_total{route="/", code="5xx"}\', "0+1x30")'),
        "error [alert-test/series] alert 'Busy' test 'case': input "
        "'app_requests_total{route=\"/\", code=\"5xx\"}': '5xx' is not a value of label 'code' "
        "(known values: ok, error)",
    ),
    "regex matcher": (
        case("Series(REQUESTS(route='/', code=re('o.*')), '0+1x30')"),
        "error [alert-test/series] alert 'Busy' test 'case': input "
        '\'app_requests_total{route="/", code=~"o.*"}\': code=~: give an exact value with =',
    ),
    "missing declared label": (
        case("Series(REQUESTS(route='/'), '0+1x30')"),
        "error [alert-test/series] alert 'Busy' test 'case': input 'app_requests_total{route=\"/\"}' "
        "lacks label(s) code (prometheus_client writes every declared label on every series)",
    ),
    "le that is not a bucket bound": (
        case("Series('app_latency_seconds_bucket{route=\"/\", le=\"0.2\"}', '0+1x30')"),
        "error [alert-test/series] alert 'Busy' test 'case': input "
        "'app_latency_seconds_bucket{route=\"/\", le=\"0.2\"}': le='0.2' is not a bucket bound "
        "(bounds: 0.1, 0.5, 1.0, +Inf)",
    ),
    "job that does not expose the metric": (
        case("Series(QUEUE(job='db'), '1x30')"),
        "error [alert-test/series] alert 'Busy' test 'case': input 'app_queue_depth{job=\"db\"}': "
        "job 'db' does not expose app_queue_depth (jobs: app)",
    ),
    "recorded series as input": (
        case("Series('route:app_requests:rate5m{route=\"/\"}', '1x30')"),
        "error [alert-test/series] alert 'Busy' test 'case': input 'route:app_requests:rate5m' is "
        "recorded by a recording rule (feed the series the rule reads; the test loads the rule)",
    ),
    "expression instead of a series": (
        case("Series('rate(app_queue_depth[5m])', '1x30')"),
        "error [alert-test/series] alert 'Busy' test 'case': input 'rate(app_queue_depth[5m])' is "
        'not a series selector: write name{label="value", ...}',
    ),
    "templated annotation without its text": (
        case(expect='Fires("20m", labels={"route": "/"})'),
        "error [alert-test/expectations] alert 'Busy' test 'case': annotation 'summary' is "
        "templated: give its expected text in Fires(annotations=...) (template: Busy route "
        "{{ $labels.route }})",
    ),
    "annotation the rule lacks": (
        case(expect=FIRES.replace('"Busy route /"}', '"Busy route /", "dashboard": "x"}')),
        "error [alert-test/expectations] alert 'Busy' test 'case': the rule has no annotation "
        "'dashboard'",
    ),
    "label the rule sets otherwise": (
        case(expect=FIRES.replace('{"route": "/"}', '{"route": "/", "severity": "critical"}')),
        "error [alert-test/expectations] alert 'Busy' test 'case': label severity='critical': "
        "the rule sets severity='warning'",
    ),
    "expectation after the input ends": (
        case(expect='Quiet("45m")'),
        "error [alert-test/expectations] alert 'Busy' test 'case': expectation at 45m is after "
        "the input ends (30m) (extend the input (absent() keeps a series missing for a while))",
    ),
    "fires and quiet at once": (
        case(expect=FIRES + ', Quiet("25m", since="10m")'),
        "error [alert-test/expectations] alert 'Busy' test 'case': expected to fire at 20m and "
        "to stay quiet from 10m to 25m",
    ),
    "for changed under the cases": (
        "*threshold_cases(lambda p: [Series(REQUESTS(route='/', code='ok'), p.counter())], "
        "threshold=1, for_='10m', window='5m', labels={'route': '/'}, "
        "annotations={'summary': 'Busy route /'}),",
        "error [alert-test/assumptions] alert 'Busy': test cases built for for=10m; the alert "
        "has for=5m",
    ),
    "threshold changed under the cases": (
        "*threshold_cases(lambda p: [Series(REQUESTS(route='/', code='ok'), p.counter())], "
        "threshold=2, for_='5m', window='5m', labels={'route': '/'}, "
        "annotations={'summary': 'Busy route /'}),",
        "error [alert-test/assumptions] alert 'Busy': test cases built for threshold 2; the "
        "expression compares with 1 (when the level is another quantity, pass alert_threshold=)",
    ),
}


def run_generate(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path, tests: str
) -> CliResult:
    module = alerts_module(tests).replace(
        "from sarkmon.model import AlertRule", "from sarkmon.model import re, AlertRule"
    )
    root = make_defs({"catalog.py": MINI_CATALOG, "__init__.py": PROJECT, "alerts.py": module})
    out = tmp_path / "out"
    return run_cli("generate", "--root", str(root), "--definitions", "defs", "--out", str(out))


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_case_stops_generation_with_one_exact_line(
    name: str, make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    tests, expected = CASES[name]
    result = run_generate(make_defs, run_cli, tmp_path, tests)
    assert result.code == 2, result.out
    lines = [line.split(": ", 1)[1] for line in result.err.splitlines() if "alert-test/" in line]
    assert lines == [expected]
    assert not (tmp_path / "out").exists()


def test_good_cases_pass_every_check(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    tests = "\n".join(
        [
            case(expect=FIRES + ', Quiet("15m", since="0s")'),
            case(
                'Series(\'app_requests_total{route="/", code="ok", job="app"}\', \'0+120x30\')',
                FIRES,
            ),
            "*threshold_cases(lambda p: [Series(REQUESTS(route='/', code='ok'), p.counter())], "
            "threshold=1, for_='5m', window='5m', labels={'route': '/'}, "
            "annotations={'summary': 'Busy route /'}),",
        ]
    )
    result = run_generate(make_defs, run_cli, tmp_path, tests)
    assert result.code == 0, result.err
    assert "alert-test/" not in result.err
    assert (tmp_path / "out/prometheus/tests/app.yml").is_file()


def test_sark_tests_have_no_findings(sark_build: Build) -> None:
    assert [f.line() for f in sark_build.findings if f.check.startswith("alert-test/")] == []


THRESHOLD_CASES = (
    "*threshold_cases(lambda p: [Series(REQUESTS(route='/', code='ok'), p.counter())], "
    "threshold=1, for_='5m', window='5m', labels={'route': '/'}, "
    "annotations={'summary': 'Busy route /'}),"
)


@pytest.mark.parametrize(
    "expr",
    [
        'f"sum by (route) (rate({REQUESTS}[5m])) > 2 * 0.5"',  # folded: 1
        'f"sum by (route) (rate({REQUESTS}[5m])) > (-1) ^ 2"',
        # No constant to compare with: nothing to check the cases against.
        'f"sum by (route) (rate({REQUESTS}[5m])) > on () group_left sum(rate({REQUESTS}[1h]))"',
    ],
)
def test_thresholds_are_read_through_constant_arithmetic(
    expr: str, make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    module = alerts_module(THRESHOLD_CASES, expr)
    root = make_defs({"catalog.py": MINI_CATALOG, "__init__.py": PROJECT, "alerts.py": module})
    result = run_cli(
        "generate", "--root", str(root), "--definitions", "defs", "--out", str(tmp_path / "o")
    )
    assert "alert-test/assumptions" not in result.err
