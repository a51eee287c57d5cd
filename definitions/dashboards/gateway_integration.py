"""SARK Gateway Integration: MCP gateway authorization traffic, latency, cache and audit.

Rebuilt from monitoring/grafana/dashboards/gateway-integration.json. Fixed on the way:
- "Top Denied Users" read ``gateway_audit_events``, a metric nothing defines; the audit log
  has the user of every denial, so the table counts deny events in Loki (a per-user metric
  would give Prometheus one series per user);
- "Top Invoked Tools" grouped ``sark_gateway_authz_requests_total`` by ``tool_name`` and
  ``server_name``, labels it does not have: tool invocations are counted by tool and server;
- "Active Gateway Connections" showed one value per connection type: now their total;
- "Audit Events Logged (Total)" summed a raw counter (its value since the last restart):
  now the events logged in the selected time range;
- the cache hit rate and the latency quantiles sum across instances before dividing;
- the ``$server`` and ``$action`` variables now filter the panels.
"""

from definitions.dashboards.common import MENU, audit_top, described, firing
from definitions.metrics import gateway as gw
from sarkmon.model import re
from sarkmon.model.dashboards import (
    Dashboard,
    Gauge,
    PieChart,
    Query,
    QueryVariable,
    Row,
    RunbookLink,
    Stat,
    Table,
    Thresholds,
    TimeSeries,
    quantile,
    sum_increase,
    sum_rate,
)

SERVER = QueryVariable("server", metric=gw.AUTHZ_REQUESTS, label="server", title="MCP server")
ACTION = QueryVariable("action", metric=gw.AUTHZ_REQUESTS, label="action", title="Action")

AUTHZ = gw.AUTHZ_REQUESTS(server=SERVER.match, action=ACTION.match)
TOOLS = gw.TOOL_INVOCATIONS(server=SERVER.match)
LATENCY = gw.AUTHZ_LATENCY_SECONDS.bucket(action=ACTION.match)
HITS = sum_rate(gw.CACHE_HITS)
MISSES = sum_rate(gw.CACHE_MISSES)

authorization = Row(
    "Authorization",
    (
        TimeSeries(
            "Authorization Requests (Rate)",
            description=described(
                "Authorization decisions per second, by decision.", gw.AUTHZ_REQUESTS
            ),
            unit="reqps",
            queries=(Query(sum_rate(AUTHZ, "decision"), legend="{{decision}}"),),
            links=(RunbookLink("HighDenyRate"),),
        ),
        TimeSeries(
            "Authorization Latency (P50, P95, P99)",
            description=described(
                "Time to decide whether a tool call is allowed; warning at 50 ms, "
                "critical at 100 ms (p95).",
                gw.AUTHZ_LATENCY_SECONDS,
            ),
            unit="s",
            thresholds=Thresholds("green", ((0.05, "orange"), (0.1, "red"))),
            show_thresholds="dashed",
            queries=(
                Query(quantile(0.5, LATENCY), legend="P50"),
                Query(quantile(0.95, LATENCY), legend="P95"),
                Query(quantile(0.99, LATENCY), legend="P99"),
            ),
            links=(
                RunbookLink("HighGatewayAuthorizationLatency"),
                RunbookLink("CriticalGatewayAuthorizationLatency"),
            ),
        ),
        PieChart(
            "Allow/Deny Ratio",
            description=described("Decisions in the selected time range.", gw.AUTHZ_REQUESTS),
            unit="short",
            width=6,
            queries=(Query(sum_increase(AUTHZ, "decision"), legend="{{decision}}"),),
        ),
        Gauge(
            "Cache Hit Rate",
            description=described(
                "Share of authorization lookups answered by the gateway's policy "
                "cache; below 80% the gateway waits on OPA more than it should.",
                gw.CACHE_HITS,
                gw.CACHE_MISSES,
            ),
            unit="percentunit",
            decimals=1,
            min=0,
            max=1,
            height=8,
            thresholds=Thresholds("red", ((0.8, "orange"), (0.9, "green"))),
            queries=(f"{HITS} / ({HITS} + {MISSES})",),
            links=(RunbookLink("LowGatewayCacheHitRate"),),
        ),
        TimeSeries(
            "Authorization Requests by Server",
            description=described(
                "Authorization decisions per second, by MCP server.", gw.AUTHZ_REQUESTS
            ),
            unit="reqps",
            queries=(Query(sum_rate(AUTHZ, "server"), legend="{{server}}"),),
        ),
    ),
)

agents_and_errors = Row(
    "Agents and errors",
    (
        TimeSeries(
            "A2A Authorization Requests",
            description=described(
                "Agent-to-agent authorization decisions per second.", gw.A2A_AUTHZ_REQUESTS
            ),
            unit="reqps",
            queries=(Query(sum_rate(gw.A2A_AUTHZ_REQUESTS, "decision"), legend="{{decision}}"),),
        ),
        TimeSeries(
            "Error Rate by Operation",
            description=described(
                "Errors of the gateway client per second, by operation and type.", gw.CLIENT_ERRORS
            ),
            unit="ops",
            queries=(
                Query(
                    sum_rate(gw.CLIENT_ERRORS, "operation", "error_type"),
                    legend="{{operation}} - {{error_type}}",
                ),
            ),
            links=(RunbookLink("GatewayClientErrors"),),
        ),
    ),
)

usage = Row(
    "Usage",
    (
        Stat(
            "Active Gateway Connections",
            description=described(
                "Open gateway connections, all connection types together.", gw.ACTIVE_CONNECTIONS
            ),
            unit="short",
            queries=(f"sum({gw.ACTIVE_CONNECTIONS})",),
        ),
        Stat(
            "Audit Events Logged",
            description=described(
                "Gateway audit events logged in the selected time range.", gw.AUDIT_EVENTS
            ),
            unit="short",
            graph="none",
            queries=(Query(sum_increase(gw.AUDIT_EVENTS), instant=True),),
            links=(RunbookLink("AuditEventLoggingFailed"),),
        ),
        Stat(
            "Denied Decisions",
            description=described(
                "Authorization requests denied in the selected time range.", gw.AUTHZ_REQUESTS
            ),
            unit="short",
            graph="none",
            thresholds=Thresholds("green", ((1, "orange"),)),
            queries=(Query(sum_increase(AUTHZ(decision="deny")), instant=True),),
        ),
        Stat(
            "Tool Invocations",
            description=described(
                "Tool calls through the gateway in the selected time range.", gw.TOOL_INVOCATIONS
            ),
            unit="short",
            graph="none",
            queries=(Query(sum_increase(TOOLS), instant=True),),
        ),
        Table(
            "Top Invoked Tools",
            description=described(
                "The ten most called tools in the selected time range.", gw.TOOL_INVOCATIONS
            ),
            unit="short",
            sort_by="Invocations",
            rename={"Value": "Invocations", "tool": "Tool", "server": "MCP server"},
            queries=(f"topk(10, {sum_increase(TOOLS, 'tool', 'server')})",),
        ),
        Table(
            "Top Denied Users",
            description="Users with the most denied requests in the selected time range, "
            "counted in the audit log (Loki).",
            unit="short",
            sort_by="Denials",
            rename={"Value": "Denials", "user_id": "User"},
            queries=(audit_top(10, "user_id", 'decision="deny"'),),
        ),
    ),
)

dashboard = Dashboard(
    "sark-gateway-integration",
    "SARK Gateway Integration",
    description="MCP gateway authorization: traffic, decisions, latency, cache, audit.",
    tags=("sark", "gateway", "mcp", "authorization"),
    refresh="30s",
    variables=(SERVER, ACTION),
    annotations=(firing("Gateway alerts", alertname=re(".*Gateway.*")),),
    links=(MENU,),
    rows=(authorization, agents_and_errors, usage),
)
