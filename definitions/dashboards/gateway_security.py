"""SARK Gateway Security: authentication failures, denials, rate limiting, audit trail.

Rebuilt from monitoring/grafana/dashboards/gateway-security.json. Fixed on the way:
- "Suspicious Activity Patterns" compared each series with a threshold inside the query
  (``> 10``), so the lines vanished below it: the panel draws the rates and the alert
  thresholds as lines instead;
- "Denied Tool Invocations" grouped audit events by ``tool_name`` and ``server_name``,
  labels the audit counter does not have: denials are grouped by MCP server and action;
- "Security Alerts Timeline" drew ALERTS series as values: it is a state timeline;
- "Authorization Deny Rate %" is a ratio (0-1) shown as a percentage, not multiplied by 100;
- ``$user`` and ``$reason`` now filter the authentication panels;
- the audit log itself (Loki) shows the latest denials.
"""

from definitions.dashboards.common import AUDIT_LOGS, MENU, described, firing
from definitions.metrics import gateway as gw
from definitions.metrics.external import ALERTS
from sarkmon.model import re
from sarkmon.model.dashboards import (
    Dashboard,
    LogQuery,
    Logs,
    PieChart,
    Query,
    QueryVariable,
    Row,
    RunbookLink,
    Stat,
    StateTimeline,
    Table,
    Thresholds,
    TimeSeries,
    ValueMapping,
    sum_increase,
    sum_rate,
)

USER = QueryVariable("user", metric=gw.AUTH_FAILURES, label="user", title="User")
REASON = QueryVariable("reason", metric=gw.AUTH_FAILURES, label="reason", title="Reason")
FAILURES = gw.AUTH_FAILURES(user=USER.match, reason=REASON.match)
DENIED = gw.AUTHZ_REQUESTS(decision="deny")
CRITICAL_ERRORS = gw.ERRORS(severity="critical")

authentication = Row(
    "Authentication",
    (
        TimeSeries(
            "Authentication Failures",
            description=described(
                "Failed authentications per second, by reason.", gw.AUTH_FAILURES
            ),
            unit="ops",
            queries=(Query(sum_rate(FAILURES, "reason"), legend="{{reason}}"),),
        ),
        Stat(
            "Unique Users with Failures",
            description=described(
                "Users with at least one failed authentication in the last hour.", gw.AUTH_FAILURES
            ),
            unit="short",
            height=8,
            thresholds=Thresholds("green", ((5, "orange"), (20, "red"))),
            queries=(f"count({sum_increase(FAILURES, 'user', window='1h')} > 0)",),
        ),
        PieChart(
            "Security Events Breakdown",
            description=described(
                "Failed authentications in the selected range, by reason.", gw.AUTH_FAILURES
            ),
            unit="short",
            width=6,
            queries=(Query(sum_increase(FAILURES, "reason"), legend="{{reason}}"),),
        ),
        Table(
            "Failed Requests by User (Last Hour)",
            description=described(
                "The ten users with the most failed authentications in the last hour.",
                gw.AUTH_FAILURES,
            ),
            unit="short",
            sort_by="Failures",
            rename={"Value": "Failures", "user": "User"},
            queries=(f"topk(10, {sum_increase(FAILURES, 'user', window='1h')})",),
        ),
        TimeSeries(
            "Suspicious Activity Patterns",
            description=described(
                "Critical errors, authentication failures and rate-limit "
                "violations per second; the dashed lines are the alert thresholds (rate "
                "limiting at 5/s, authentication failures at 10/s).",
                gw.AUTH_FAILURES,
                gw.ERRORS,
                gw.RATE_LIMIT_EXCEEDED,
            ),
            unit="ops",
            thresholds=Thresholds("green", ((5, "orange"), (10, "red"))),
            show_thresholds="dashed",
            queries=(
                Query(sum_rate(CRITICAL_ERRORS, "error_type"), legend="Critical: {{error_type}}"),
                Query(sum_rate(gw.AUTH_FAILURES), legend="Authentication failures"),
                Query(sum_rate(gw.RATE_LIMIT_EXCEEDED), legend="Rate limit violations"),
            ),
        ),
    ),
)

authorization = Row(
    "Authorization and abuse",
    (
        Stat(
            "Authorization Deny Rate",
            description=described(
                "Share of authorization requests denied; the alert fires above 30%.",
                gw.AUTHZ_REQUESTS,
            ),
            unit="percentunit",
            decimals=1,
            thresholds=Thresholds("green", ((0.1, "orange"), (0.3, "red"))),
            queries=(f"{sum_rate(DENIED)} / {sum_rate(gw.AUTHZ_REQUESTS)}",),
            links=(RunbookLink("HighDenyRate"),),
        ),
        Stat(
            "A2A Authorization Denials",
            description=described(
                "Agent-to-agent requests denied per second.", gw.A2A_AUTHZ_REQUESTS
            ),
            unit="ops",
            thresholds=Thresholds("green", ((1, "orange"), (5, "red"))),
            queries=(sum_rate(gw.A2A_AUTHZ_REQUESTS(decision="deny")),),
        ),
        Stat(
            "Critical Errors (Last Hour)",
            description=described(
                "Gateway errors of critical severity in the last hour.", gw.ERRORS
            ),
            unit="short",
            thresholds=Thresholds("green", ((1, "red"),)),
            queries=(sum_increase(CRITICAL_ERRORS, window="1h"),),
        ),
        Stat(
            "Denied Tool Calls (Audit)",
            description=described(
                "Tool invocations the audit log recorded as denied, in the selected range.",
                gw.AUDIT_EVENTS,
            ),
            unit="short",
            graph="none",
            thresholds=Thresholds("green", ((1, "orange"),)),
            queries=(
                Query(
                    sum_increase(gw.AUDIT_EVENTS(event_type="tool_invoke", decision="deny")),
                    instant=True,
                ),
            ),
        ),
        TimeSeries(
            "Authorization Denials by Action",
            description=described(
                "Denied authorization requests per second, by action.", gw.AUTHZ_REQUESTS
            ),
            unit="ops",
            queries=(Query(sum_rate(DENIED, "action"), legend="{{action}}"),),
        ),
        TimeSeries(
            "Rate Limit Violations",
            description=described(
                "Requests refused by rate limiting per second, by limit type.",
                gw.RATE_LIMIT_EXCEEDED,
            ),
            unit="ops",
            queries=(
                Query(sum_rate(gw.RATE_LIMIT_EXCEEDED, "limit_type"), legend="{{limit_type}}"),
            ),
        ),
        Table(
            "Denied Tool Invocations",
            description=described(
                "Denied authorization requests in the selected range, by MCP server and action.",
                gw.AUTHZ_REQUESTS,
            ),
            unit="short",
            sort_by="Denials",
            rename={"Value": "Denials", "server": "MCP server", "action": "Action"},
            queries=(f"topk(10, {sum_increase(DENIED, 'server', 'action')})",),
        ),
        TimeSeries(
            "Client Errors by Type",
            description=described(
                "Errors of the gateway client per second, by type.", gw.CLIENT_ERRORS
            ),
            unit="ops",
            queries=(Query(sum_rate(gw.CLIENT_ERRORS, "error_type"), legend="{{error_type}}"),),
            links=(RunbookLink("GatewayClientErrors"),),
        ),
    ),
)

alerts_and_audit = Row(
    "Alerts and audit trail",
    (
        StateTimeline(
            "Security Alerts Timeline",
            description="When gateway, authentication and security alerts were firing.",
            mappings=(ValueMapping(1, "Firing", "red"),),
            queries=(
                Query(
                    "max by (alertname) ("
                    + str(ALERTS(alertstate="firing", alertname=re(".*(Gateway|Auth|Security).*")))
                    + ")",
                    legend="{{alertname}}",
                ),
            ),
        ),
        Logs(
            "Denied Requests (Audit Log)",
            description="The latest denials recorded in the audit log (Loki).",
            queries=(LogQuery(AUDIT_LOGS + ' | decision="deny"'),),
        ),
    ),
)

dashboard = Dashboard(
    "sark-gateway-security",
    "SARK Gateway Security",
    description="Who fails to authenticate, what gets denied, who is rate limited.",
    tags=("sark", "gateway", "security", "auth"),
    refresh="30s",
    variables=(USER, REASON),
    annotations=(firing("Security alerts", alertname=re(".*(Auth|Security|Privilege).*")),),
    links=(MENU,),
    rows=(authentication, authorization, alerts_and_audit),
)
