"""Threats SARK's detectors report as SIEM events: MFA bypass, escalation, exfiltration."""

from definitions import teams
from definitions.alerts import boards
from definitions.alerts.inputs import constant, counting
from definitions.metrics import siem
from sarkmon.model import AlertRule, RuleGroup, Runbook, Selector
from sarkmon.model import re as regex
from sarkmon.model.alert_tests import AlertTest, Fires, Quiet, Series, steady, threshold_cases

EVENTS = siem.EVENTS
BY_TYPE = f"sum by (event_type, severity) (rate({EVENTS}[5m]))"
ANOMALIES = EVENTS(event_type=regex("anomalous_access|unusual_time_access|geo_anomaly"))
SUSPICIOUS_IP = EVENTS(event_type="suspicious_ip", severity="medium")


def detection_cases(event_type: str, description: str) -> list[AlertTest]:
    """One event of the type fires (SARK creates the series at 0); other types do not."""
    detected = EVENTS(event_type=event_type, severity="critical")
    return [
        AlertTest(
            f"one {event_type} event after 10 quiet minutes: fires, then clears",
            series=[Series(detected, "0x10 1x20")],
            expect=[
                Quiet("10m"),
                Fires("12m", annotations={"description": description}),
                Quiet("20m"),
            ],
        ),
        AlertTest(
            "many events of other types: quiet",
            series=[Series(detected, "0x30"), Series(SUSPICIOUS_IP, steady(5, "30m").counter())],
            expect=[Quiet("30m", since="0s")],
        ),
    ]


def severe(event_type: str, severity: str) -> Selector:
    return EVENTS(event_type=event_type, severity=severity)


group = RuleGroup(
    "security_threats",
    interval="30s",
    rules=[
        AlertRule(
            "MFABypassAttempts",
            f"sum(increase({EVENTS(event_type='mfa_bypass_attempt')}[5m])) > 0",
            for_="1m",
            severity="critical",
            team=teams.SECURITY,
            category="authentication",
            dashboards=(boards.SIEM, boards.AUTH),
            component="auth",
            summary="MFA bypass attempts detected",
            description="{{ $value | humanize }} MFA bypass attempts in the last 5 minutes.",
            runbook=Runbook(
                impact="Someone holding a password is trying to get past MFA.",
                diagnosis=(BY_TYPE,),
                mitigation=(
                    "Find the account in the SIEM event; force a reset and revoke sessions.",
                    "Check the MFA provider's logs for the method being abused.",
                ),
            ),
            tests=detection_cases(
                "mfa_bypass_attempt", "1 MFA bypass attempts in the last 5 minutes."
            ),
        ),
        AlertRule(
            "PrivilegeEscalationAttempt",
            f"sum(increase({EVENTS(event_type='privilege_escalation')}[5m])) > 0",
            for_="1m",
            severity="critical",
            team=teams.SECURITY,
            category="privilege_escalation",
            dashboards=(boards.SIEM,),
            component="auth",
            summary="Privilege escalation attempt detected",
            description="{{ $value | humanize }} privilege escalation events in the last "
            "5 minutes.",
            runbook=Runbook(
                impact="An account tried to gain rights it does not have.",
                diagnosis=(BY_TYPE,),
                mitigation=(
                    "Identify the account from the SIEM event and suspend it.",
                    "Audit role changes in the same period; revert any not approved.",
                ),
            ),
            tests=detection_cases(
                "privilege_escalation",
                "1 privilege escalation events in the last 5 minutes.",
            ),
        ),
        AlertRule(
            "HighSeveritySecurityEvents",
            f"sum(rate({EVENTS(severity=regex('critical|high'))}[5m])) > 5",
            for_="2m",
            severity="critical",
            team=teams.SECURITY,
            category="siem",
            dashboards=(boards.SIEM,),
            component="siem",
            summary="High rate of critical and high severity security events",
            description="{{ $value | humanize }} critical or high severity security events "
            "per second (threshold 5/s).",
            runbook=Runbook(
                impact="Many serious detections at once: a broad attack or a noisy detector.",
                diagnosis=(BY_TYPE,),
                mitigation=(
                    "Open the SIEM; if one event type dominates, follow its own alert.",
                    "If a new detector rule is noisy, tune it rather than silence this alert.",
                ),
            ),
            tests=threshold_cases(
                counting(
                    severe("suspicious_ip", "critical"),
                    severe("geo_anomaly", "high"),
                    extra=(Series(SUSPICIOUS_IP, steady(20, "40m").counter()),),
                ),
                threshold=5,
                for_="2m",
                window="5m",
                annotations={
                    "description": "5.25 critical or high severity security events per "
                    "second (threshold 5/s)."
                },
            ),
        ),
        AlertRule(
            "DataExfiltrationDetected",
            f"sum(increase({EVENTS(event_type='data_exfiltration')}[5m])) > 0",
            for_="1m",
            severity="critical",
            team=teams.SECURITY,
            category="siem",
            dashboards=(boards.SIEM,),
            component="siem",
            summary="Potential data exfiltration detected",
            description="{{ $value | humanize }} data exfiltration events in the last 5 minutes.",
            runbook=Runbook(
                impact="Data may be leaving through an MCP tool.",
                diagnosis=(BY_TYPE,),
                mitigation=(
                    "Suspend the account or agent named in the SIEM event now.",
                    "Find what was read and where it went; start the incident process.",
                ),
            ),
            tests=detection_cases(
                "data_exfiltration", "1 data exfiltration events in the last 5 minutes."
            ),
        ),
        AlertRule(
            "AnomalousAccessPatterns",
            f"sum(rate({ANOMALIES}[5m])) > 10",
            for_="5m",
            severity="warning",
            team=teams.SECURITY,
            category="siem",
            dashboards=(boards.SIEM,),
            component="siem",
            summary="High rate of anomalous access patterns",
            description="{{ $value | humanize }} anomalous, off-hours or geographic anomaly "
            "events per second (threshold 10/s).",
            runbook=Runbook(
                impact="Access unlike the usual pattern: stolen credentials or travel.",
                diagnosis=(f"sum by (event_type) (rate({ANOMALIES}[5m]))",),
                mitigation=(
                    "Check the accounts involved in the SIEM; confirm with their owners.",
                    "Require MFA again for the affected accounts.",
                ),
            ),
            tests=threshold_cases(
                lambda p: [
                    *counting(
                        severe("anomalous_access", "medium"),
                        severe("unusual_time_access", "low"),
                        severe("geo_anomaly", "high"),
                    )(p),
                    constant(SUSPICIOUS_IP, 20, p),
                ],
                threshold=10,
                for_="5m",
                window="5m",
                annotations={
                    "description": "10.5 anomalous, off-hours or geographic anomaly events "
                    "per second (threshold 10/s)."
                },
            ),
        ),
    ],
)
