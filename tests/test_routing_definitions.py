"""Mistakes in routing definitions: exit 2, one line per problem naming file:line and object."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import MINI_CATALOG, CliResult
from tests.test_definition_errors import GOOD, alerts_module

PROJECT = """
from defs.alerts import rules
from defs.catalog import catalog
from defs.routing import routing
from sarkmon.model import Project

project = Project(name="t", catalog=catalog, rule_files=[rules], routing=routing)
"""

IMPORTS = """
from sarkmon.model.receivers import Email, Notifications, PagerDuty, Receiver, Slack, Webhook
from sarkmon.model.routing import Inhibition, Route, Routing, Team
from sarkmon.model.time_intervals import Period, TimeInterval

S = Slack("#ops", api_url_file="/s/ops")
"""


def routing_module(body: str) -> str:
    """IMPORTS (lines 1-6) then ``body`` from line 7."""
    return IMPORTS.lstrip("\n") + "\n" + body.strip("\n") + "\n"


VALID = """
routing = Routing(
    route=Route(receiver="ops", routes=[Route(receiver="pager", matchers=['severity="critical"'])]),
    receivers=[Receiver("ops", [S]), Receiver("pager", [PagerDuty(routing_key_file="/s/pd")])],
    teams=[Team("ops", "ops")],
    pager="pager",
)
"""

CASES = {
    "unknown receiver, with a suggestion": (
        """
routing = Routing(
    route=Route(receiver="ops", routes=[
        Route(receiver="opz", matchers=['team="x"']),
    ]),
    receivers=[Receiver("ops", [S])],
)
""",
        [
            'defs/routing.py:9: error [definition/unknown-receiver] route {team="x"}: '
            "receiver 'opz' is not a receiver (did you mean ops?)"
        ],
    ),
    "duplicate receiver, unused receiver": (
        """
routing = Routing(
    route=Route(receiver="ops"),
    receivers=[Receiver("ops", [S]), Receiver("ops", [S]), Receiver("spare", [S])],
)
""",
        [
            "defs/routing.py:9: error [definition/duplicate] receiver 'ops': receiver name used "
            "twice (first at defs/routing.py:9)",
            "defs/routing.py:9: error [definition/unused] receiver 'spare': no route sends alerts "
            "to this receiver (route to it or remove it)",
        ],
    ),
    "bad matchers, durations and group_by": (
        """
routing = Routing(
    route=Route(receiver="ops", group_by=["alertname", "..."], routes=[
        Route(matchers=['team~"x"'], group_interval="0s", repeat_interval="5 minutes"),
    ]),
    receivers=[Receiver("ops", [S])],
)
""",
        [
            "defs/routing.py:8: error [definition/group-by] route to 'ops': '...' groups by every "
            "label and cannot be combined with others",
            "defs/routing.py:9: error [definition/duration] route: group_interval cannot be zero",
            "defs/routing.py:9: error [definition/duration] route: repeat_interval: invalid "
            "duration '5 minutes' (use units ms, s, m, h, d, w, y as in '1h30m')",
            "defs/routing.py:9: error [definition/matcher] route: cannot parse matcher 'team~\"x\"' "
            '(write it as name="value")',
        ],
    ),
    "root route with matchers, unknown time interval, unused interval": (
        """
routing = Routing(
    route=Route(receiver="ops", matchers=['a="b"'], routes=[
        Route(matchers=['team="x"'], mute_time_intervals=["nights"]),
    ]),
    receivers=[Receiver("ops", [S])],
    time_intervals=[TimeInterval("weekends", [Period(weekdays=["saturday", "sunday"])])],
)
""",
        [
            "defs/routing.py:8: error [definition/route] root route: the root route cannot have "
            "matchers: every alert enters the root",
            'defs/routing.py:9: error [definition/unknown-time-interval] route {team="x"}: '
            "time interval 'nights' is not defined (declare it in time_intervals)",
            "defs/routing.py:12: error [definition/unused] time interval 'weekends': no route "
            "mutes or activates on this time interval",
        ],
    ),
    "time interval fields Alertmanager rejects": (
        """
T = TimeInterval("t", [
    Period(times=[("18:00", "09:00"), ("9am", "10:00")], weekdays=["sunday:saturday", "funday"]),
    Period(days_of_month=["0", "-1:5"], months=["13"], timezone="Mars/Olympus"),
])
routing = Routing(
    route=Route(receiver="ops", routes=[Route(matchers=['a="b"'], active_time_intervals=["t"])]),
    receivers=[Receiver("ops", [S])],
    time_intervals=[T],
)
""",
        [
            "defs/routing.py:8: error [definition/time-interval] time interval 't': times "
            "('18:00', '09:00'): the start must be before the end",
            "defs/routing.py:8: error [definition/time-interval] time interval 't': times "
            "('9am', '10:00'): use ('HH:MM', 'HH:MM') between 00:00 and 24:00",
            "defs/routing.py:8: error [definition/time-interval] time interval 't': weekdays: "
            "'funday' is outside sunday..saturday",
            "defs/routing.py:9: error [definition/time-interval] time interval 't': days_of_month: "
            "'-1:5' starts after it ends",
            "defs/routing.py:9: error [definition/time-interval] time interval 't': days_of_month: "
            "'0' is outside -31..31",
            "defs/routing.py:9: error [definition/time-interval] time interval 't': months: "
            "'13' is outside january..december",
            "defs/routing.py:9: error [definition/time-interval] time interval 't': unknown time "
            "zone 'Mars/Olympus'",
        ],
    ),
    "secrets inline or missing": (
        """
routing = Routing(
    route=Route(receiver="ops"),
    receivers=[Receiver("ops", [
        Slack("#ops", api_url_file=""),
        PagerDuty(),
        Webhook("https://user:token@hooks.example.com/x"),
        Webhook("https://hooks.example.com/x?token=abc"),
        Email("ops@example.com"),
    ])],
)
""",
        [
            "defs/routing.py:10: error [definition/receiver] slack integration '#ops': "
            "api_url_file is required (the webhook address is a secret: name the file that "
            "holds it)",
            "defs/routing.py:11: error [definition/receiver] pagerduty integration: give exactly "
            "one of routing_key_file and service_key_file (routing_key_file for an Events API v2 "
            "integration)",
            "defs/routing.py:12: error [definition/secret] webhook integration "
            "'https://user:token@hooks.example.com/x': the url carries credentials or a query "
            "string, which would be stored inline (put the token in a file and name it with "
            "credentials_file)",
            "defs/routing.py:13: error [definition/secret] webhook integration "
            "'https://hooks.example.com/x?token=abc': the url carries credentials or a query "
            "string, which would be stored inline (put the token in a file and name it with "
            "credentials_file)",
            "defs/routing.py:7: error [definition/receiver] notification settings: email "
            "receivers need smtp_smarthost and smtp_from",
        ],
    ),
    "integration settings": (
        """
routing = Routing(
    route=Route(receiver="ops"),
    receivers=[Receiver("ops", [
        Email("ops@example.com", auth_username="ops"),
        Webhook("ftp://hooks.example.com/x", max_alerts=-1),
        "slack",
    ])],
    notifications=Notifications(smtp_smarthost="smtp.example.com", smtp_auth_username="u"),
)
""",
        [
            "defs/routing.py:10: error [definition/receiver] email integration "
            "'ops@example.com': auth_username and auth_password_file go together",
            "defs/routing.py:11: error [definition/receiver] webhook integration "
            "'ftp://hooks.example.com/x': url must be an http(s) address",
            "defs/routing.py:11: error [definition/receiver] webhook integration "
            "'ftp://hooks.example.com/x': max_alerts must be >= 0",
            "defs/routing.py:9: error [definition/receiver] receiver 'ops': unknown integration "
            "'slack' (use Slack, PagerDuty, Email or Webhook)",
            "defs/routing.py:14: error [definition/receiver] notification settings: "
            "smtp_auth_username and smtp_auth_password_file go together",
            "defs/routing.py:14: error [definition/receiver] notification settings: "
            "smtp_smarthost must be host:port, got 'smtp.example.com'",
            "defs/routing.py:14: error [definition/receiver] notification settings: email "
            "receivers need smtp_smarthost and smtp_from",
        ],
    ),
    "time intervals without a name or periods": (
        """
routing = Routing(
    route=Route(receiver="ops", routes=[Route(matchers=['a="b"'], mute_time_intervals=["", "x"])]),
    receivers=[Receiver("ops", [S])],
    time_intervals=[
        TimeInterval("", [Period(weekdays=["1"], years=["2024:2025:2026"], months=[5])]),
        TimeInterval("x", []),
    ],
)
""",
        [
            "defs/routing.py:11: error [definition/time-interval] time interval '': a time "
            "interval needs a name",
            "defs/routing.py:11: error [definition/time-interval] time interval '': weekdays: "
            "'1' is outside sunday..saturday",
            "defs/routing.py:11: error [definition/time-interval] time interval '': years: "
            "'2024:2025:2026' has more than one ':'",
            "defs/routing.py:11: error [definition/time-interval] time interval '': months: 5 "
            "is not a range",
            "defs/routing.py:12: error [definition/time-interval] time interval 'x': no periods: "
            "it would never apply",
        ],
    ),
    "inhibitions without matchers, labels that are not labels": (
        """
routing = Routing(
    route=Route(receiver="ops", continue_=True, group_by=["job", "job", "le-vel"]),
    receivers=[Receiver("ops", [S])],
    inhibitions=[Inhibition(source=[], target=['a="b"'], equal=["in-stance"])],
)
""",
        [
            "defs/routing.py:8: error [definition/group-by] route to 'ops': 'job' twice",
            "defs/routing.py:8: error [definition/group-by] route to 'ops': invalid label 'le-vel'",
            "defs/routing.py:8: error [definition/route] root route: the root route cannot have "
            "continue: it has no siblings",
            "defs/routing.py:10: error [definition/inhibition] inhibition: source has no "
            "matchers: it would match every alert",
            'defs/routing.py:10: error [definition/inhibition] inhibition {} -> {a="b"}: '
            "invalid label 'in-stance' in equal",
        ],
    ),
    "teams and pager that cannot notify anyone": (
        """
routing = Routing(
    route=Route(receiver="ops", routes=[Route(receiver="void", matchers=['a="b"'])]),
    receivers=[Receiver("ops", [S]), Receiver("void")],
    teams=[Team("ops", "void"), Team("sec", "security")],
    pager="pagr",
)
""",
        [
            "defs/routing.py:10: error [definition/receiver] team 'ops': receiver 'void' has no "
            "integrations: its alerts would reach nobody",
            "defs/routing.py:10: error [definition/unknown-receiver] team 'sec': receiver "
            "'security' is not a receiver (declare it in receivers)",
            "defs/routing.py:7: error [definition/unknown-receiver] routing: pager 'pagr' is not "
            "a receiver (declare it in receivers)",
        ],
    ),
}


def run_defs(
    make_defs: Callable[..., Path],
    run_cli: Callable[..., CliResult],
    tmp_path: Path,
    rules: list[str],
    routing_text: str,
    *command: str,
) -> CliResult:
    """``sarkmon <command>`` on throwaway definitions: MINI_CATALOG, these rules and routing."""
    root = make_defs(
        {
            "catalog.py": MINI_CATALOG,
            "alerts.py": alerts_module(*rules),
            "routing.py": routing_text,
            "__init__.py": PROJECT,
        }
    )
    args = ("--root", str(root), "--definitions", "defs", "--out", str(tmp_path / "out"))
    return run_cli(*(command or ("generate",)), *args)


@pytest.mark.parametrize("case", sorted(CASES))
def test_routing_mistakes_are_reported_with_their_location(
    case: str,
    make_defs: Callable[..., Path],
    run_cli: Callable[..., CliResult],
    tmp_path: Path,
) -> None:
    body, expected = CASES[case]
    result = run_defs(make_defs, run_cli, tmp_path, [GOOD], routing_module(body))
    assert result.code == 2, result.out + result.err
    assert sorted(result.err.splitlines()) == sorted(expected)
    assert not (tmp_path / "out").exists()


def test_a_valid_routing_generates(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    team_alert = GOOD.replace('for_="5m")', 'for_="5m", team="ops")')
    result = run_defs(make_defs, run_cli, tmp_path, [team_alert], routing_module(VALID))
    assert result.code == 0, result.out + result.err
    out = tmp_path / "out" / "alertmanager"
    assert (out / "alertmanager.yml").is_file()
    assert (out / "templates" / "sarkmon.tmpl").is_file()
