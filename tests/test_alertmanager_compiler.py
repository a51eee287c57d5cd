"""The generated alertmanager.yml: no inline secret, modern syntax, SARK's policy as intended."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from definitions import teams
from definitions.routing import OUTAGES, escalations, inhibitions
from sarkmon.compile.alertmanager import (
    CONFIG_PATH,
    TEMPLATES_PATH,
    compile_alertmanager,
    config_document,
)
from sarkmon.compile.yaml_text import dump_yaml
from sarkmon.model.receivers import Email, Notifications, PagerDuty, Receiver, Slack, Webhook
from sarkmon.model.routing import Route, Routing, alert_labels
from sarkmon.model.time_intervals import Period, TimeInterval
from sarkmon.pipeline import Build
from sarkmon.tools import amtool

# Every field Alertmanager 0.25 would read a secret from inline, and the file field to use.
INLINE_SECRETS = {
    "api_url",
    "slack_api_url",
    "routing_key",
    "service_key",
    "auth_password",
    "smtp_auth_password",
    "api_key",
    "opsgenie_api_key",
    "password",
    "credentials",
    "bearer_token",
}
DEPRECATED = {"match", "match_re", "source_match", "source_match_re", "target_match"}


def keys(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from keys(value)
    elif isinstance(node, list):
        for item in node:
            yield from keys(item)


@pytest.fixture(scope="module")
def config(sark_files: dict[str, str]) -> dict[str, Any]:
    return yaml.safe_load(sark_files[CONFIG_PATH])  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def routing(sark_build: Build) -> Routing:
    assert sark_build.project.routing is not None
    return sark_build.project.routing


def test_no_secret_is_inline_and_every_secret_file_is_absolute(config: dict[str, Any]) -> None:
    found = list(keys(config))
    assert not [k for k, _ in found if k in INLINE_SECRETS]
    files = {k: v for k, v in found if k.endswith("_file")}
    assert {"api_url_file", "routing_key_file", "smtp_auth_password_file"} <= set(files)
    assert all(
        str(v).startswith("/etc/alertmanager/secrets/") for _, v in found if _.endswith("_file")
    )


def test_matchers_use_the_modern_syntax(config: dict[str, Any]) -> None:
    assert not [k for k, _ in keys(config) if k in DEPRECATED]
    assert config["route"]["routes"][0]["matchers"] == ['severity="critical"']


def test_output_is_stable(sark_build: Build, sark_files: dict[str, str]) -> None:
    assert compile_alertmanager(sark_build) == {
        CONFIG_PATH: sark_files[CONFIG_PATH],
        TEMPLATES_PATH: sark_files[TEMPLATES_PATH],
    }


@pytest.mark.parametrize(
    ("alertname", "receivers"),
    [
        ("HighGatewayAuthorizationLatency", ("platform-team",)),
        ("CriticalGatewayAuthorizationLatency", ("oncall-pager", "platform-team")),
        ("HighDenyRate", ("security-team",)),
        # Info alerts reach the team they declare, not a shared channel.
        ("UserQuotaExceeded", ("business-team",)),
        ("LongAuditRetention", ("compliance-team",)),
        ("ElevatedMemoryUsage", ("infrastructure-team",)),
        # Copies by category and component (definitions/routing.py says why).
        ("AuditEventLoggingFailed", ("oncall-pager", "security-team", "compliance-team")),
        ("AuditLoggingDegraded", ("oncall-pager", "security-team", "compliance-team")),
        ("AuditQueueBacklog", ("compliance-team",)),  # a warning: no record lost yet
        ("SIEMForwardingComplianceRisk", ("security-team", "compliance-team")),
        ("SIEMQueueFull", ("oncall-pager", "security-team")),  # security's own: once
        (
            "GatewayAvailabilityBudgetBurnPageFast",
            ("oncall-pager", "business-team", "platform-team"),
        ),
        ("GatewayAvailabilityBudgetBurnTicketSlow", ("platform-team",)),
    ],
)
def test_sark_alerts_reach_their_receivers(
    sark_build: Build, routing: Routing, alertname: str, receivers: tuple[str, ...]
) -> None:
    (alert,) = [a for f in sark_build.rule_files for a in f.alerts if a.name == alertname]
    labels = alert_labels(alert, sark_build.project.scrape.external_labels)
    assert labels["cluster"] == "sark-dev"
    assert routing.receivers_for(labels) == receivers


@pytest.mark.parametrize("team", teams.ALL)
def test_sark_policy_for_each_team_and_severity(routing: Routing, team: str) -> None:
    def deliveries(severity: str) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        labels = {"team": team, "severity": severity, "cluster": "c", "environment": "e"}
        found = routing.deliveries(labels)
        return {d.receiver: (d.mute_time_intervals, d.active_time_intervals) for d in found}

    # Nothing that pages is ever muted or delayed to office hours.
    assert deliveries("critical") == {"oncall-pager": ((), ()), f"{team}-team": ((), ())}
    # Info reaches the team at low urgency: in office hours, batched, repeated daily.
    assert deliveries("info") == {f"{team}-team": ((), ("office-hours",))}
    (info,) = routing.deliveries({"team": team, "severity": "info"})
    assert (info.group_interval, info.repeat_interval) == ("1h", "1d")
    warning = deliveries("warning")
    assert list(warning) == [f"{team}-team"]
    expected = {
        teams.INFRASTRUCTURE: (("weekly-maintenance",), ()),
        teams.BUSINESS: ((), ("office-hours",)),
        teams.COMPLIANCE: ((), ("office-hours",)),
    }
    assert warning[f"{team}-team"] == expected.get(team, ((), ()))


def test_escalations_follow_sarks_names_within_a_team() -> None:
    alerts = {
        "HighCPUUsage": "infrastructure",
        "CriticalCPUUsage": "infrastructure",
        "RateLimitViolations": "security",
        "CriticalRateLimitViolations": "security",
        "HighThing": "platform",
        "CriticalThing": "business",  # another team's alert is not its escalation
        "ZeroCacheHits": "platform",
        "LowGatewayCacheHitRate": "platform",
    }
    assert escalations(alerts) == {
        "CriticalCPUUsage": "HighCPUUsage",
        "CriticalRateLimitViolations": "RateLimitViolations",
        "ZeroCacheHits": "LowGatewayCacheHitRate",
    }


def test_outage_inhibitions_apply_once_the_outage_alert_exists() -> None:
    assert "GatewayServiceDown" in OUTAGES
    without = inhibitions({"HighDenyRate": "security"})
    assert without == []
    (rule,) = inhibitions({"GatewayServiceDown": "infrastructure"})
    down = {"alertname": "GatewayServiceDown", "cluster": "c", "environment": "e"}
    symptom = {"component": "gateway", "severity": "warning", "cluster": "c", "environment": "e"}
    assert rule.inhibits(down, symptom)
    assert not rule.inhibits(down, {**symptom, "severity": "critical"})
    assert not rule.inhibits(down, {**symptom, "environment": "other"})


def test_no_instance_up_mutes_the_per_instance_pages() -> None:
    alerts = {"SARKServiceDown": "platform", "GatewayServiceDown": "platform"}
    rules = [r for r in inhibitions(alerts) if r.reason.startswith("While SARKServiceDown")]
    assert len(rules) == 1
    rule = rules[0]
    where = {"cluster": "c", "environment": "e", "severity": "critical", "component": "api"}
    all_down = {**where, "alertname": "SARKServiceDown"}
    one_down = {**where, "alertname": "GatewayServiceDown", "instance": "api:8000"}
    assert rule.inhibits(all_down, one_down)  # a page, muted all the same
    assert not rule.inhibits(one_down, all_down)
    assert not rule.inhibits(all_down, {**one_down, "cluster": "other"})
    # The per-instance alert still mutes the gateway's symptoms meanwhile.
    (symptoms,) = [
        r for r in inhibitions(alerts) if r.reason.startswith("While GatewayServiceDown")
    ]
    assert symptoms.inhibits(one_down, {**where, "component": "gateway", "severity": "warning"})
    # Without the wider alert, nothing is muted on its behalf.
    assert rule not in inhibitions({"GatewayServiceDown": "platform"})


def test_an_slo_page_mutes_the_tickets_of_the_same_slo() -> None:
    assert inhibitions({}) == []
    (rule,) = inhibitions({}, slos=True)
    page = {"alertname": "ABurnPageFast", "slo": "a", "severity": "critical", "tier": "page-fast"}
    ticket = {"alertname": "ABurnTicketSlow", "slo": "a", "severity": "warning"}
    assert rule.inhibits(page, ticket)
    assert not rule.inhibits(page, {**ticket, "slo": "b"})
    assert not rule.inhibits({**page, "alertname": "Down", "slo": ""}, {**ticket, "slo": ""})


def test_every_integration_and_option_passes_amtool(tmp_path: Path) -> None:
    slack = Slack("#ops", api_url_file="/s/slack", send_resolved=False)
    routing = Routing(
        route=Route(
            receiver="all",
            group_by=["..."],
            routes=[
                Route(
                    receiver="all",
                    matchers=['team=~"a|b"', 'severity!="info"'],
                    group_by=[],
                    group_wait="0s",
                    mute_time_intervals=["quarter-end"],
                )
            ],
        ),
        receivers=[
            Receiver(
                "all",
                [
                    slack,
                    PagerDuty(service_key_file="/s/pd-v1"),
                    Email("ops@example.com", auth_username="ops", auth_password_file="/s/mail"),
                    Webhook(
                        "https://hooks.example.com/x", credentials_file="/s/token", max_alerts=5
                    ),
                ],
            )
        ],
        time_intervals=[
            TimeInterval(
                "quarter-end",
                [
                    Period(days_of_month=["-3:-1"], months=["march", "6", "september:december"]),
                    Period(years=["2030:2031"], times=[("00:00", "24:00")], timezone="UTC"),
                ],
            )
        ],
        notifications=Notifications(smtp_smarthost="mail:25", smtp_from="am@example.com"),
    )
    config = tmp_path / "alertmanager.yml"
    document = config_document(routing)
    document.pop("templates")
    config.write_text(dump_yaml(document))
    result = amtool.check_config(str(config))
    assert result.ok, result.output
    (receiver,) = document["receivers"]
    assert receiver["webhook_configs"] == [
        {
            "send_resolved": True,
            "url": "https://hooks.example.com/x",
            "http_config": {"authorization": {"type": "Bearer", "credentials_file": "/s/token"}},
            "max_alerts": 5,
        }
    ]
    assert receiver["pagerduty_configs"][0]["service_key_file"] == "/s/pd-v1"
    assert receiver["email_configs"][0]["auth_password_file"] == "/s/mail"
    assert document["route"]["routes"][0]["group_by"] == []
    assert "smtp_auth_username" not in document["global"]
