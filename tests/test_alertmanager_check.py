"""``sarkmon check``: amtool accepts the config, and each alert reaches exactly its receivers."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from sarkmon.model.routing import Routing
from tests.conftest import CliResult
from tests.test_routing_definitions import routing_module, run_defs
from tests.test_routing_lint import alert

ALERTS = [
    alert("DenyRateHigh", 'f"sum({QUEUE}) > 1"', team="security"),
    alert("QueueFull", 'f"sum({QUEUE}) > 100"', severity="critical", team="ops"),
    alert("QueueNoise", 'f"sum({QUEUE}) > 1000"', severity="info", team="ops"),
]


def sark_like_routing(routes: str) -> str:
    return routing_module(
        f"""
routing = Routing(
    route=Route(receiver="default", routes=[{routes}]),
    receivers=[
        Receiver("default", [S]),
        Receiver("pager", [PagerDuty(routing_key_file="/s/pd")]),
        Receiver("ops-team", [S]),
        Receiver("security-team", [S]),
        Receiver("business-team", [S]),
    ],
    teams=[Team("ops", "ops-team"), Team("security", "security-team"), Team("business", "business-team")],
    pager="pager",
)
"""
    )


GOOD_ROUTES = """
        Route(receiver="pager", matchers=['severity="critical"'], continue_=True),
        Route(receiver="ops-team", matchers=['team="ops"'], routes=[
            Route(matchers=['severity="info"'], repeat_interval="1d"),
        ]),
        Route(receiver="security-team", matchers=['team="security"']),
        Route(receiver="business-team", matchers=['team="business"']),
"""


def check(
    make_defs: Callable[..., Path],
    run_cli: Callable[..., CliResult],
    tmp_path: Path,
    routes: str,
) -> CliResult:
    routing_text = sark_like_routing(routes)
    return run_defs(
        make_defs,
        run_cli,
        tmp_path,
        ALERTS,
        routing_text,
        "check",
        "--skip",
        "drift",
        "--skip",
        "coverage",
    )


def test_sark_routing_passes_amtool_and_reaches_every_intended_receiver(
    run_cli: Callable[..., CliResult],
) -> None:
    result = run_cli("check", "--skip", "drift", "--skip", "promtool")
    assert result.code == 0, result.out
    assert re.search(
        r"^ok    amtool check-config: alertmanager/alertmanager.yml: 7 receivers, \d+ inhibit "
        r"rules; 3/3 templates render$",
        result.out,
        re.MULTILINE,
    ), result.out
    assert re.search(
        r"^ok    alert routing: \d+ alerts reach exactly their intended receivers \(amtool agrees\)$",
        result.out,
        re.MULTILINE,
    ), result.out


def test_correct_routes_pass(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    result = check(make_defs, run_cli, tmp_path, GOOD_ROUTES)
    assert result.code == 0, result.out
    assert "ok    alert routing: 3 alerts reach exactly their intended receivers" in result.out
    assert "      reached: ops-team 2, pager 1, security-team 1" in result.out
    assert '      routes no alert ends on yet: route {team="business"}' in result.out


def test_a_misrouted_alert_is_caught(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    # SARK's hand-written mistakes: the pager stops critical alerts, and a regular expression
    # meant for security sends the security team's alerts to the business team.
    routes = """
        Route(receiver="pager", matchers=['severity="critical"']),
        Route(receiver="ops-team", matchers=['team="ops"']),
        Route(receiver="business-team", matchers=['team=~"business|security"']),
        Route(receiver="security-team", matchers=['team="security"']),
"""
    result = check(make_defs, run_cli, tmp_path, routes)
    assert result.code == 1
    assert "FAIL  alert routing: 2 of 3 alerts misrouted" in result.out
    assert (
        "      DenyRateHigh (team='security', severity=warning): reaches business-team; "
        "intended security-team"
    ) in result.out
    assert (
        "      QueueFull (team='ops', severity=critical): reaches pager; intended ops-team, pager"
    ) in result.out
    assert '      routes no alert ends on yet: route {team="security"}' in result.out


def test_an_alert_that_misses_its_team_is_caught_even_when_the_policy_agrees(
    make_defs: Callable[..., Path],
    run_cli: Callable[..., CliResult],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # SARK's old policy: info alerts to the default channel only, their owner never told.
    routes = "\n        Route(receiver='default', matchers=['severity=\"info\"'])," + GOOD_ROUTES
    policy = Routing.intended_receivers

    def info_to_default(self: Routing, labels: dict[str, str]) -> tuple[str, ...]:
        return ("default",) if labels.get("severity") == "info" else policy(self, labels)

    monkeypatch.setattr(Routing, "intended_receivers", info_to_default)
    result = check(make_defs, run_cli, tmp_path, routes)
    assert result.code == 1
    assert "FAIL  alert routing: 1 of 3 alerts misrouted" in result.out
    assert (
        "      QueueNoise (team='ops', severity=info): never reaches its team's receiver "
        "ops-team (reaches default)"
    ) in result.out


def test_a_config_amtool_rejects_fails_the_check(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    # Python's regular expressions accept look-ahead; Alertmanager's (RE2) do not.
    routes = GOOD_ROUTES + "        Route(receiver='ops-team', matchers=['team=~\"(?=x)\"']),\n"
    result = check(make_defs, run_cli, tmp_path, routes)
    assert result.code == 1
    assert "FAIL  amtool check-config: alertmanager/alertmanager.yml rejected" in result.out
    assert "invalid or unsupported Perl syntax" in result.out
    assert "FAIL  alert routing: 3 of 3 alerts misrouted" in result.out
    assert "amtool failed" in result.out


def test_the_check_catches_sarkmon_disagreeing_with_amtool(
    make_defs: Callable[..., Path],
    run_cli: Callable[..., CliResult],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The documentation trusts sarkmon's evaluation; amtool keeps it honest.
    def backwards(self: Routing, labels: dict[str, str]) -> tuple[str, ...]:
        return tuple(reversed([d.receiver for d in self.deliveries(labels)]))

    monkeypatch.setattr(Routing, "receivers_for", backwards)
    result = check(make_defs, run_cli, tmp_path, GOOD_ROUTES)
    assert result.code == 1
    assert (
        "      QueueFull (team='ops', severity=critical): sarkmon's evaluation (ops-team, pager) "
        "disagrees with amtool (pager, ops-team)"
    ) in result.out
