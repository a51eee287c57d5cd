"""Routing lint: every alert has a routed team; inhibitions match alerts and can apply."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult
from tests.test_routing_definitions import routing_module, run_defs


def alert(name: str, expr: str, severity: str = "warning", team: str = "ops") -> str:
    team_arg = f", team={team!r}" if team else ""
    return (
        f'        AlertRule("{name}", {expr}, summary="s", description="d", for_="5m", '
        f"severity={severity!r}{team_arg})"
    )


PER_INSTANCE = alert("QueueHigh", 'f"{QUEUE} > 10"')
AGGREGATED = alert("QueueTotalHigh", 'f"sum({QUEUE}) > 10"', severity="critical")
PER_INSTANCE_CRITICAL = alert("QueueFull", 'f"{QUEUE} > 100"', severity="critical")


def routing(inhibitions: str = "", expect: str = "{}") -> str:
    return routing_module(
        f"""
routing = Routing(
    route=Route(receiver="ops", routes=[Route(receiver="pager", matchers=['severity="critical"'], continue_=True)]),
    receivers=[Receiver("ops", [S]), Receiver("pager", [PagerDuty(routing_key_file="/s/pd")])],
    teams=[Team("ops", "ops")],
    pager="pager",
    inhibitions=[{inhibitions}],
    expect={expect},
)
"""
    )


CASES = {
    "alert without a team": (
        [alert("QueueHigh", 'f"{QUEUE} > 10"', team="")],
        routing(),
        "defs/alerts.py:10: error [routing/unknown-team] alert 'QueueHigh': no team (teams: ops)",
    ),
    "alert with an unknown team": (
        [alert("QueueHigh", 'f"{QUEUE} > 10"', team="opps")],
        routing(),
        "defs/alerts.py:10: error [routing/unknown-team] alert 'QueueHigh': team 'opps' has no "
        "receiver (did you mean ops?)",
    ),
    "inhibition naming an alert that does not exist": (
        [PER_INSTANCE, PER_INSTANCE_CRITICAL],
        routing(
            "Inhibition(source=['alertname=\"QueueFul\"'], target=['alertname=\"QueueHigh\"'])"
        ),
        "defs/routing.py:12: error [routing/inhibition-unmatched] inhibition "
        '{alertname="QueueFul"} -> {alertname="QueueHigh"}: the source matches none of the alerts',
    ),
    "inhibition on instance between an aggregated and a per-instance alert": (
        [PER_INSTANCE, AGGREGATED],
        routing(
            "Inhibition(source=['alertname=\"QueueTotalHigh\"'], "
            "target=['alertname=\"QueueHigh\"'], equal=['instance'])"
        ),
        "defs/routing.py:12: error [routing/inhibition-never-applies] inhibition "
        '{alertname="QueueTotalHigh"} -> {alertname="QueueHigh"}: never applies: QueueHigh '
        "carries 'instance' and QueueTotalHigh never does",
    ),
    "inhibition on a label whose fixed values differ": (
        [PER_INSTANCE, PER_INSTANCE_CRITICAL],
        routing(
            "Inhibition(source=['severity=\"critical\"'], target=['severity=\"warning\"'], "
            "equal=['alertname'])"
        ),
        "defs/routing.py:12: error [routing/inhibition-never-applies] inhibition "
        '{severity="critical"} -> {severity="warning"}: never applies: \'alertname\' differs '
        "(QueueFull and QueueHigh)",
    ),
    "expected receivers of an alert that does not exist": (
        [PER_INSTANCE],
        routing(expect="{'QueueHihg': ['pager']}"),
        "defs/routing.py:7: error [routing/unknown-alert] expected receivers of 'QueueHihg': no "
        "alert has this name (did you mean QueueHigh?)",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_routing_lint_fires(
    case: str,
    make_defs: Callable[..., Path],
    run_cli: Callable[..., CliResult],
    tmp_path: Path,
) -> None:
    rules, routing_text, expected = CASES[case]
    result = run_defs(make_defs, run_cli, tmp_path, rules, routing_text)
    assert result.code == 2, result.out + result.err
    assert result.err.splitlines()[0] == expected


QUIET = {
    "teams known, inhibitions that can apply, expectations of real alerts": (
        [PER_INSTANCE, PER_INSTANCE_CRITICAL, AGGREGATED],
        routing(
            "Inhibition(source=['alertname=\"QueueFull\"'], target=['alertname=\"QueueHigh\"'], "
            "equal=['instance', 'job']), "
            # A label missing on both sides is equal: aggregated alerts compare on nothing.
            "Inhibition(source=['alertname=\"QueueTotalHigh\"'], target=['severity=\"warning\"'], "
            "equal=['cluster']), "
            # A label that comes from the series may match: it is not reported.
            "Inhibition(source=['instance=\"a:1\"'], target=['alertname=\"QueueHigh\"'])",
            expect="{'QueueFull': ['ops']}",
        ),
    ),
    "a silenced finding": (
        [PER_INSTANCE],
        routing(
            "Inhibition(source=['alertname=\"Watchdog\"'], target=['severity=\"warning\"'], "
            "silence={'routing/inhibition-unmatched': 'Watchdog comes from another Prometheus'})"
        ),
    ),
}


@pytest.mark.parametrize("case", sorted(QUIET))
def test_routing_lint_stays_quiet(
    case: str,
    make_defs: Callable[..., Path],
    run_cli: Callable[..., CliResult],
    tmp_path: Path,
) -> None:
    rules, routing_text = QUIET[case]
    result = run_defs(make_defs, run_cli, tmp_path, rules, routing_text)
    assert result.code == 0, result.out + result.err
    assert "routing/" not in result.err
