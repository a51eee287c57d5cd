"""SARK System Overview: the API's traffic, errors and latency, and each subsystem at a glance.

Rebuilt from grafana/dashboards/sark-overview.json. Fixed on the way:
- every query read job ``sark``: SARK is scraped as ``sark-api``;
- the HTTP metrics label the route ``endpoint``, not ``path``: grouped by ``endpoint``;
- latencies were multiplied by 1000 to show milliseconds: seconds with unit ``s`` let
  Grafana pick ms or s itself, and the percentages are ratios with unit ``percentunit``;
- the ``$interval`` variable was declared but no query used it: removed;
- the annotation filtered ALERTS on ``job="sark"``: it shows every critical alert.
"""

from definitions import recordings as rec
from definitions.dashboards.common import API_UP, MENU, RECORDED_5M, UP_DOWN, described, firing
from definitions.metrics import api, database, policy, siem
from sarkmon.model import re
from sarkmon.model.dashboards import (
    Dashboard,
    DashboardLink,
    Query,
    Row,
    Stat,
    Table,
    Thresholds,
    TimeSeries,
    sum_rate,
)

HTTP = api.HTTP_REQUESTS
HTTP_ERRORS = HTTP(status=re("5.."))
CACHE_HITS = f"{sum_rate(policy.CACHE_HITS)} + {sum_rate(policy.CACHE_STALE_HITS)}"

at_a_glance = Row(
    "At a glance",
    (
        Stat(
            "System Health",
            width=4,
            description="Whether every SARK API instance can be scraped.",
            mappings=UP_DOWN,
            thresholds=Thresholds("red", ((1, "green"),)),
            queries=(f"min({API_UP})",),
            links=(DashboardLink("sark-gateway-operations"),),
        ),
        Stat(
            "Error Ratio",
            width=4,
            description="Share of API requests answered with a 5xx status.",
            unit="percentunit",
            decimals=2,
            thresholds=Thresholds("green", ((0.01, "orange"), (0.05, "red"))),
            queries=(f"{sum_rate(HTTP_ERRORS)} / {sum_rate(HTTP)}",),
        ),
        Stat(
            "Cache Hit Rate",
            width=4,
            description=described(
                "Share of policy cache lookups answered from the cache, stale "
                "entries included; the alert fires below 70%.",
                policy.CACHE_HITS,
                policy.CACHE_MISSES,
                policy.CACHE_STALE_HITS,
            ),
            unit="percentunit",
            decimals=1,
            thresholds=Thresholds("red", ((0.7, "orange"), (0.85, "green"))),
            queries=(f"({CACHE_HITS}) / ({CACHE_HITS} + {sum_rate(policy.CACHE_MISSES)})",),
            links=(DashboardLink("sark-policy-evaluation"),),
        ),
        Stat(
            "Policy Evaluation Rate",
            width=4,
            description=described("Policy evaluations per second.", policy.EVALUATIONS),
            unit="reqps",
            queries=(sum_rate(policy.EVALUATIONS),),
        ),
        Stat(
            "SIEM Events Rate",
            width=4,
            description=described("Security events sent to the SIEM per second.", siem.EVENTS),
            unit="reqps",
            queries=(sum_rate(siem.EVENTS),),
            links=(DashboardLink("sark-siem-security-events"),),
        ),
        Stat(
            "Request Rate",
            width=4,
            description="API requests per second.",
            unit="reqps",
            queries=(sum_rate(HTTP),),
        ),
    ),
)

traffic = Row(
    "API traffic",
    (
        TimeSeries(
            "Request Rate",
            key="request-rate-by-endpoint",
            description="API requests per second, by method and endpoint.",
            unit="reqps",
            queries=(
                Query(sum_rate(HTTP, "method", "endpoint"), legend="{{method}} {{endpoint}}"),
            ),
        ),
        TimeSeries(
            "Error Rate",
            description="Share of API requests answered with a 5xx status.",
            unit="percentunit",
            queries=(Query(f"{sum_rate(HTTP_ERRORS)} / {sum_rate(HTTP)}", legend="5xx ratio"),),
        ),
        TimeSeries(
            "Response Time (P95, P99)",
            description="API latency per endpoint. " + RECORDED_5M,
            unit="s",
            queries=(
                Query(str(rec.HTTP_P95), legend="{{endpoint}} P95"),
                Query(str(rec.HTTP_P99), legend="{{endpoint}} P99"),
            ),
        ),
        TimeSeries(
            "Active Connections",
            description=described(
                "Database connections in use, the Redis pool size and policy evaluations "
                "in progress.",
                database.CONNECTIONS_CHECKED_OUT,
                policy.ACTIVE_POLICY_EVALUATIONS,
                policy.REDIS_CONNECTION_POOL_SIZE,
            ),
            unit="short",
            queries=(
                Query(f"sum({database.CONNECTIONS_CHECKED_OUT})", legend="DB connections active"),
                Query(f"sum({policy.REDIS_CONNECTION_POOL_SIZE})", legend="Redis pool size"),
                Query(
                    f"sum({policy.ACTIVE_POLICY_EVALUATIONS})", legend="Active policy evaluations"
                ),
            ),
        ),
        Table(
            "Top Endpoints by Request Count",
            description="The ten busiest endpoints, requests per second now.",
            unit="reqps",
            sort_by="Requests/s",
            rename={"Value": "Requests/s", "endpoint": "Endpoint", "method": "Method"},
            queries=(f"topk(10, {sum_rate(HTTP, 'endpoint', 'method')})",),
        ),
        Table(
            "Top Slowest Endpoints (P95)",
            description="The ten endpoints with the highest 95th percentile latency now, "
            "over the last 5 minutes (the recording the latency alert reads).",
            unit="s",
            sort_by="P95",
            rename={"Value": "P95", "endpoint": "Endpoint"},
            queries=(f"topk(10, {rec.HTTP_P95})",),
        ),
    ),
)

dashboard = Dashboard(
    "sark-system-overview",
    "SARK System Overview",
    description="SARK at a glance: API traffic, errors, latency and each subsystem's pulse.",
    tags=("sark", "overview"),
    refresh="30s",
    annotations=(firing("Critical alerts", severity="critical"),),
    links=(MENU,),
    rows=(at_a_glance, traffic),
)
