"""The routing model: matchers, the tree evaluated as Alertmanager does, and the policy."""

from __future__ import annotations

import pytest

from sarkmon.diagnostics import DefinitionError
from sarkmon.model.matchers import Matcher, MatcherError, MatchOp
from sarkmon.model.receivers import PagerDuty, Receiver, Slack
from sarkmon.model.routing import Copy, Inhibition, Route, Routing, Team


def slack(channel: str) -> Slack:
    return Slack(channel, api_url_file=f"/secrets/{channel.lstrip('#')}")


def receivers(*names: str) -> list[Receiver]:
    return [Receiver(name, [slack(f"#{name}")]) for name in names]


@pytest.mark.parametrize(
    ("text", "name", "op", "value", "canonical"),
    [
        ('severity="critical"', "severity", MatchOp.EQ, "critical", 'severity="critical"'),
        ("team = security", "team", MatchOp.EQ, "security", 'team="security"'),
        ('team!="business"', "team", MatchOp.NE, "business", 'team!="business"'),
        ('alertname=~"High.*|Low.*"', "alertname", MatchOp.RE, "High.*|Low.*", None),
        ('category!~"audit"', "category", MatchOp.NRE, "audit", None),
        ('summary="say \\"hi\\"\\n"', "summary", MatchOp.EQ, 'say "hi"\n', None),
        ('x=""', "x", MatchOp.EQ, "", None),
    ],
)
def test_matchers_parse_and_print_in_alertmanager_syntax(
    text: str, name: str, op: MatchOp, value: str, canonical: str | None
) -> None:
    matcher = Matcher.parse(text)
    assert (matcher.name, matcher.op, matcher.value) == (name, op, value)
    assert str(matcher) == (canonical or text)
    assert Matcher.parse(str(matcher)) == matcher


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("severity", "cannot parse matcher 'severity'"),
        ('1team="x"', "cannot parse matcher"),
        ('team="x', "unbalanced quotes"),
        ('team="a"b"', "unescaped quote"),
        ('team="\\t"', "invalid escape \\t"),
        ('team=~"(unclosed"', "invalid regular expression '(unclosed'"),
    ],
)
def test_bad_matchers_are_rejected_with_the_reason(text: str, error: str) -> None:
    with pytest.raises(MatcherError, match=None) as info:
        Matcher.parse(text)
    assert error in str(info.value)


def test_matchers_evaluate_like_alertmanager() -> None:
    labels = {"team": "security", "severity": "critical"}
    assert Matcher.parse('team="security"').matches(labels)
    assert not Matcher.parse('team="sec"').matches(labels)
    # Regular expressions are anchored at both ends.
    assert not Matcher.parse('team=~"sec"').matches(labels)
    assert Matcher.parse('team=~"sec.*|infra"').matches(labels)
    # A missing label has the empty value.
    assert Matcher.parse('component=""').matches(labels)
    assert Matcher.parse('component!="gateway"').matches(labels)
    assert Matcher.parse('component!~".+"').matches(labels)
    assert not Matcher.parse('component=~".+"').matches(labels)


def tree() -> Routing:
    """A pager that continues, a stop for info, team routes, one with a child."""
    return Routing(
        route=Route(
            receiver="default",
            group_by=["alertname"],
            group_wait="20s",
            routes=[
                Route(receiver="pager", matchers=['severity="critical"'], continue_=True),
                Route(matchers=['severity="info"'], repeat_interval="1d"),
                Route(
                    receiver="ops",
                    matchers=['team="ops"'],
                    group_interval="10m",
                    routes=[Route(matchers=['severity="warning"'], group_by=["alertname", "job"])],
                ),
                Route(receiver="sec", matchers=['team=~"sec|security"']),
            ],
        ),
        receivers=[
            *receivers("default", "ops", "sec"),
            Receiver("pager", [PagerDuty(routing_key_file="/secrets/pd")]),
        ],
        teams=[Team("ops", "ops"), Team("security", "sec")],
        pager="pager",
    )


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        ({"team": "ops", "severity": "critical"}, ("pager", "ops")),
        ({"team": "ops", "severity": "warning"}, ("ops",)),
        ({"team": "security", "severity": "warning"}, ("sec",)),
        ({"team": "security", "severity": "critical"}, ("pager", "sec")),
        ({"team": "ops", "severity": "info"}, ("default",)),
        ({"team": "nobody", "severity": "warning"}, ("default",)),
        ({"team": "nobody", "severity": "critical"}, ("pager",)),
        ({}, ("default",)),
    ],
)
def test_receivers_for_walks_the_tree_like_alertmanager(
    labels: dict[str, str], expected: tuple[str, ...]
) -> None:
    assert tree().receivers_for(labels) == expected


def test_deliveries_carry_the_inherited_settings() -> None:
    routing = tree()
    (warning,) = routing.deliveries({"team": "ops", "severity": "warning"})
    assert warning.receiver == "ops"
    assert warning.path == (2, 0)
    assert warning.group_by == ("alertname", "job")
    assert (warning.group_wait, warning.group_interval, warning.repeat_interval) == (
        "20s",
        "10m",
        "4h",  # Alertmanager's default, as the root sets none
    )
    (info,) = routing.deliveries({"severity": "info"})
    assert (info.receiver, info.group_by, info.repeat_interval) == ("default", ("alertname",), "1d")
    assert routing.describe(warning.path) == 'route {team="ops"} > {severity="warning"}'
    assert routing.describe(()) == "root route"


def test_the_policy_sends_every_alert_to_its_team_and_critical_ones_to_the_pager() -> None:
    routing = tree()
    intended = routing.intended_receivers
    assert intended({"team": "ops", "severity": "critical"}) == ("ops", "pager")
    assert intended({"team": "ops", "severity": "warning"}) == ("ops",)
    assert intended({"team": "ops", "severity": "info"}) == ("ops",)
    assert intended({"team": "nobody", "severity": "critical"}) == ("default", "pager")


def test_copies_and_expect_add_receivers() -> None:
    base = tree()
    routing = Routing(
        route=base.route,
        receivers=base.receivers,
        teams=base.teams,
        pager=base.pager,
        copies=[Copy(['category=~"audit|compliance"'], "sec", reason="audit gaps blind security")],
        expect={"AuditGap": "default"},
    )
    audit = {"alertname": "AuditLoss", "team": "ops", "severity": "warning", "category": "audit"}
    assert routing.intended_receivers(audit) == ("ops", "sec")
    # A copy to the owner team's own receiver adds nothing: the team hears of it once.
    assert routing.intended_receivers({**audit, "team": "security"}) == ("sec",)
    assert routing.intended_receivers({**audit, "category": "errors"}) == ("ops",)
    gap = {"alertname": "AuditGap", "team": "ops", "severity": "warning"}
    assert routing.intended_receivers(gap) == ("default", "ops")
    assert routing.policy() == (
        "critical: pager and the owner team's receiver",
        "warning: the owner team's receiver",
        "info: the owner team's receiver",
        "alerts of no known team: default instead of the owner team's receiver",
        '{category=~"audit|compliance"}: also sec (audit gaps blind security)',
        "AuditGap: also default",
    )


def test_a_copy_without_matchers_or_to_an_unknown_receiver_is_refused() -> None:
    with pytest.raises(DefinitionError, match=r"copy to 'sec': no matchers"):
        Copy([], "sec")
    base = tree()
    with pytest.raises(DefinitionError, match=r"receiver 'secc' is not a receiver"):
        Routing(route=base.route, receivers=base.receivers, copies=[Copy(['a="b"'], "secc")])


def test_missed_team_names_the_owner_receiver_an_alert_does_not_reach() -> None:
    routing = tree()
    info = {"team": "ops", "severity": "info"}
    assert routing.missed_team(info, ("default",)) == "ops"
    assert routing.missed_team(info, ("default", "ops")) == ""
    assert routing.missed_team({"team": "nobody"}, ("default",)) == ""  # no team to miss


def test_inhibition_follows_alertmanagers_equal_rule() -> None:
    rule = Inhibition(
        source=['alertname="Down"'], target=['severity="warning"'], equal=["cluster", "instance"]
    )
    down = {"alertname": "Down", "cluster": "a", "instance": "x"}
    assert rule.inhibits(down, {"severity": "warning", "cluster": "a", "instance": "x"})
    assert not rule.inhibits(down, {"severity": "warning", "cluster": "a", "instance": "y"})
    # A label missing on one side does not equal a value on the other...
    assert not rule.inhibits(down, {"severity": "warning", "cluster": "a"})
    # ...and missing on both sides counts as equal.
    assert rule.inhibits({"alertname": "Down"}, {"severity": "warning"})
    assert not rule.inhibits(down, {"severity": "critical", "cluster": "a", "instance": "x"})
    assert tree().inhibitors_of({"severity": "warning"}) == ()


def test_outside_a_collector_a_bad_definition_raises() -> None:
    with pytest.raises(DefinitionError, match=r"\[definition/matcher\] route to .x.: cannot parse"):
        Route(receiver="x", matchers=["severity"])
