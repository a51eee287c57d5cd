"""Mistakes in SLO definitions: exit 2, one exact line per problem naming file:line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import MINI_CATALOG, CliResult

PROJECT = """
from defs.catalog import catalog
from defs.slos import SLOS
from sarkmon.model import Project

project = Project(name="t", catalog=catalog, slos=SLOS)
"""


def slos_module(*slos: str) -> str:
    body = ",\n".join(slos)
    return f"""
from defs.catalog import LATENCY, QUEUE, REQUESTS
from sarkmon.model.slo import SLO, Alerting, LatencySLI, RatioSLI

SLOS = [
{body},
]
"""


def slo(sli: str = 'RatioSLI(errors=REQUESTS(code="error"), total=REQUESTS)', **fields: str) -> str:
    args = {"service": '"app"', "objective": "99.9", "team": '"platform"', **fields}
    name = args.pop("name", '"app-availability"')
    rest = ", ".join(f"{k}={v}" for k, v in args.items())
    return f"    SLO({name}, sli={sli}, {rest})"


LINE = "defs/slos.py:5"  # the first SLO of slos_module
CASES = {
    "latency threshold that is not a bucket bound": (
        slo("LatencySLI(LATENCY, threshold=0.2)"),
        [
            f"{LINE}: error [definition/slo-threshold] latency SLI on app_latency_seconds: "
            "threshold 0.2 is not one of the histogram's bucket bounds (bounds: 0.1, 0.5, 1.0)"
        ],
    ),
    "latency SLI on a counter": (
        slo("LatencySLI(REQUESTS, threshold=0.1)"),
        [
            f"{LINE}: error [definition/slo-sli] latency SLI: 'app_requests' is not a histogram",
        ],
    ),
    "ratio SLI with one role": (
        slo("RatioSLI(errors=REQUESTS)"),
        [
            f"{LINE}: error [definition/slo-sli] ratio SLI: give exactly two of errors, good and "
            "total (got errors)"
        ],
    ),
    "ratio SLI over a gauge": (
        slo("RatioSLI(errors=QUEUE, total=REQUESTS)"),
        [
            f"{LINE}: error [definition/slo-sli] SLI errors: app_queue_depth is not a counter: an "
            "SLI counts events with rate() (use a catalog Counter, a selector of one, or a "
            "histogram's .count)"
        ],
    ),
    "objective of 100%": (
        slo(objective="100"),
        [
            f"{LINE}: error [definition/slo-objective] SLO 'app-availability': objective is a "
            "percentage between 0 and 100, got 100 (for example 99.9)"
        ],
    ),
    "objective that is not a number": (
        slo(objective='"three nines"'),
        [
            f"{LINE}: error [definition/slo-objective] SLO 'app-availability': expected a number, "
            "got 'three nines'",
        ],
    ),
    "unknown preset": (
        slo(alerting='Alerting(windows="google")'),
        [
            f"{LINE}: error [definition/slo-windows] SLO 'app-availability': no window table "
            "'google' for a 30d window (presets: sloth, sre-workbook)"
        ],
    ),
    "window the preset does not cover": (
        slo(window='"7d"'),
        [
            f"{LINE}: error [definition/slo-windows] SLO 'app-availability': no window table "
            "'sloth' for a 7d window (sloth has 28d, 30d)"
        ],
    ),
    "disabled tier that the table lacks": (
        slo(alerting='Alerting(windows="sre-workbook", disabled=("ticket-fast",))'),
        [
            f"{LINE}: error [definition/slo-windows] SLO 'app-availability': disabled tier "
            "'ticket-fast' is not in window table 'sre-workbook' (its tiers: page-fast, "
            "page-slow, ticket-slow)"
        ],
    ),
    "SLO name style": (
        slo(name='"App Availability"'),
        [
            f"{LINE}: error [definition/slo-name] SLO 'App Availability': SLO names are "
            "lower-case words joined by - (for example gateway-availability)"
        ],
    ),
    "tier that can never fire": (
        slo(objective="90"),
        [
            f"{LINE}: error [definition/slo-windows] SLO 'app-availability': tier 'page-fast' "
            "can never fire: it needs an error ratio above 1.44 (14.4 x the budget) (disable "
            "the tier, or raise the objective)"
        ],
    ),
    "missing team": (
        slo(team='""'),
        [f"{LINE}: error [definition/slo] SLO 'app-availability': team is required"],
    ),
    "duplicate SLO name": (
        slo() + ",\n" + slo(),
        [
            "defs/slos.py:6: error [definition/duplicate] SLO 'app-availability': SLO name "
            "'app-availability' used twice (first at defs/slos.py:5)",
        ],
    ),
    "duplicate alert name": (
        slo()
        + ",\n"
        + slo(name='"app-avail"', alerting='Alerting(name="AppAvailabilityBudgetBurn")'),
        [
            "defs/slos.py:6: error [definition/duplicate] SLO 'app-avail': SLO alert name prefix "
            "'AppAvailabilityBudgetBurn' used twice (first at defs/slos.py:5)",
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_slo_exits_2_with_exact_lines(
    case: str, make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    body, expected = CASES[case]
    root = make_defs(
        {"catalog.py": MINI_CATALOG, "__init__.py": PROJECT, "slos.py": slos_module(body)}
    )
    out = tmp_path / "out"
    result = run_cli("generate", "--root", str(root), "--definitions", "defs", "--out", str(out))
    assert result.code == 2, result.out
    lines = [line for line in result.err.splitlines() if not line.startswith("sarkmon:")]
    assert lines == expected
    assert "Traceback" not in result.err + result.out
    assert not out.exists()


def test_good_slo_generates_its_rule_file(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    body = slo() + ",\n" + slo("LatencySLI(LATENCY(route='/'), 0.5)", name='"app-latency"')
    root = make_defs(
        {"catalog.py": MINI_CATALOG, "__init__.py": PROJECT, "slos.py": slos_module(body)}
    )
    out = tmp_path / "out"
    result = run_cli("generate", "--root", str(root), "--definitions", "defs", "--out", str(out))
    assert result.code == 0, result.err
    text = (out / "prometheus/rules/slo-app-latency.yml").read_text()
    assert "# Generated by sarkmon from defs/slos.py." in text
    assert "alert: AppLatencyBudgetBurnPageFast" in text
    assert 'app_latency_seconds_bucket{route="/", le="0.5"}' in text
