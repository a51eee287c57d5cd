"""SARK SIEM & Security Events: detected threats and the health of SIEM forwarding.

Rebuilt from grafana/dashboards/sark-siem.json. Fixed on the way:
- ``sark_siem_events_total`` is not defined by SARK's code: it is a planned metric, and the
  panels that read it say so; ``$severity`` filters them;
- ``sark_siem_exports_total`` and ``sark_siem_export_duration_seconds`` do not exist: the
  forwarder counts ``sark_siem_forwards_total`` (status success/error, not "failed") and
  times ``sark_siem_forward_duration_seconds`` per ``siem_platform``;
- failed logins were grouped by a ``user_id`` label the auth metric does not have: the
  gateway counts failures per ``user``;
- "Suspicious IP Addresses" grouped by ``ip_address``, a label no metric has (and should
  not: one series per address): the addresses come from the audit log in Loki;
- the SIEM queue is ``siem_queue_size`` against a planned ``siem_queue_capacity``;
- the annotation matched severities ``critical|high``; alerts are critical, warning or info.
"""

from definitions.dashboards.common import MENU, audit_top, described, firing
from definitions.metrics import gateway as gw
from definitions.metrics import policy, siem
from sarkmon.model.dashboards import (
    BarGauge,
    CustomVariable,
    Dashboard,
    Gauge,
    Query,
    Row,
    Stat,
    Table,
    Thresholds,
    TimeSeries,
    quantile,
    sum_increase,
    sum_rate,
)

SEVERITY = CustomVariable(
    "severity",
    values=("critical", "high", "medium", "low"),
    multi=True,
    include_all=True,
    all_value=".*",
    title="Severity",
)
EVENTS = siem.EVENTS(severity=SEVERITY.match)
FORWARDS = siem.FORWARDS


def events_of(title: str, event_type: str) -> Stat:
    """A count of one kind of detection in the last hour: any is worth a look."""
    return Stat(
        title,
        description=described(f"{event_type} detections in the last hour.", siem.EVENTS),
        unit="short",
        width=4,
        thresholds=Thresholds("green", ((1, "red"),)),
        queries=(sum_increase(siem.EVENTS(event_type=event_type), window="1h"),),
    )


detections = Row(
    "Detections",
    (
        events_of("MFA Bypass Attempts", "mfa_bypass_attempt"),
        events_of("Privilege Escalation Attempts", "privilege_escalation"),
        events_of("Data Exfiltration Alerts", "data_exfiltration"),
        Stat(
            "Unauthorized Access Attempts",
            description=described(
                "Policy denials for unauthorized access in the last hour.", policy.DENIALS
            ),
            unit="short",
            width=4,
            thresholds=Thresholds("green", ((1, "orange"), (10, "red"))),
            queries=(sum_increase(policy.DENIALS(denial_reason="unauthorized"), window="1h"),),
        ),
        Gauge(
            "SIEM Export Status",
            description=described(
                "Share of events forwarded to the SIEM successfully.", siem.FORWARDS
            ),
            unit="percentunit",
            width=4,
            height=4,
            min=0,
            max=1,
            thresholds=Thresholds("red", ((0.9, "orange"), (0.99, "green"))),
            queries=(f"{sum_rate(FORWARDS(status='success'))} / {sum_rate(FORWARDS)}",),
        ),
        Stat(
            "SIEM Export Failures",
            description=described("Failed SIEM forwards in the last hour.", siem.FORWARDS),
            unit="short",
            width=4,
            thresholds=Thresholds("green", ((1, "orange"), (5, "red"))),
            queries=(sum_increase(FORWARDS(status="error"), window="1h"),),
        ),
        TimeSeries(
            "SIEM Events Rate",
            description=described("Security events per second, by type.", siem.EVENTS),
            unit="reqps",
            queries=(Query(sum_rate(EVENTS, "event_type"), legend="{{event_type}}"),),
        ),
        TimeSeries(
            "Security Events by Severity",
            description=described("Security events per second, by severity.", siem.EVENTS),
            unit="reqps",
            queries=(Query(sum_rate(EVENTS, "severity"), legend="{{severity}}"),),
        ),
        TimeSeries(
            "Anomalous Access Patterns",
            description=described(
                "Anomalous, unusual-time and geographic access events per second.", siem.EVENTS
            ),
            unit="reqps",
            queries=(
                Query(sum_rate(EVENTS(event_type="anomalous_access")), legend="Anomalous access"),
                Query(
                    sum_rate(EVENTS(event_type="unusual_time_access")),
                    legend="Unusual time access",
                ),
                Query(sum_rate(EVENTS(event_type="geo_anomaly")), legend="Geographic anomaly"),
            ),
        ),
        BarGauge(
            "Top Security Events by Type",
            description=described("The most frequent event types, per second now.", siem.EVENTS),
            unit="reqps",
            queries=(
                Query(f"topk(15, {sum_rate(EVENTS, 'event_type')})", legend="{{event_type}}"),
            ),
        ),
    ),
)

threats = Row(
    "Threat sources",
    (
        TimeSeries(
            "Failed Login Attempts (Potential Brute Force)",
            width=8,
            description=described(
                "Authentication failures per second for the ten users with the most.",
                gw.AUTH_FAILURES,
            ),
            unit="ops",
            queries=(Query(f"topk(10, {sum_rate(gw.AUTH_FAILURES, 'user')})", legend="{{user}}"),),
        ),
        TimeSeries(
            "Policy Violations",
            width=8,
            description=described("Policy violations per second, by policy.", policy.VIOLATIONS),
            unit="ops",
            queries=(Query(sum_rate(policy.VIOLATIONS, "policy_name"), legend="{{policy_name}}"),),
        ),
        Table(
            "Suspicious IP Addresses",
            width=8,
            description="Addresses with the most suspicious-IP audit events in the selected "
            "range (audit log in Loki).",
            unit="short",
            sort_by="Events",
            rename={"Value": "Events", "ip_address": "IP address"},
            queries=(audit_top(20, "ip_address", 'event_type="suspicious_ip"'),),
        ),
    ),
)

forwarding = Row(
    "SIEM forwarding",
    (
        TimeSeries(
            "SIEM Export Latency",
            description=described(
                "Time to forward a batch to each SIEM platform (P95).",
                siem.FORWARD_DURATION_SECONDS,
            ),
            unit="s",
            queries=(
                Query(
                    quantile(0.95, siem.FORWARD_DURATION_SECONDS, "siem_platform"),
                    legend="{{siem_platform}} P95",
                ),
            ),
        ),
        TimeSeries(
            "SIEM Queue Depth",
            description=described(
                "Events queued for each SIEM and the queue's capacity.",
                siem.QUEUE_CAPACITY,
                siem.QUEUE_SIZE,
            ),
            unit="short",
            queries=(
                Query(
                    f"sum by (siem_type) ({siem.QUEUE_SIZE})", legend="Queue depth {{siem_type}}"
                ),
                Query(
                    f"sum by (siem_type) ({siem.QUEUE_CAPACITY})",
                    legend="Queue capacity {{siem_type}}",
                ),
            ),
        ),
    ),
)

dashboard = Dashboard(
    "sark-siem-security-events",
    "SARK SIEM & Security Events",
    description="Threats SARK detects and whether they reach the SIEM.",
    tags=("sark", "siem", "security"),
    refresh="30s",
    variables=(SEVERITY,),
    annotations=(firing("Critical alerts", severity="critical"),),
    links=(MENU,),
    rows=(detections, threats, forwarding),
)
