"""SARK Gateway Performance: request and tool latency, cache efficiency, resources.

Rebuilt from monitoring/grafana/dashboards/gateway-performance.json. Fixed on the way:
- process metrics were read from job ``sark-gateway``, which does not exist: ``sark-api``;
- "Cache Hit Rate %" divided per-``result`` series by their sum, which never match (one
  side has ``result="hit"``, the other ``"miss"``): the rates are now summed first;
- "Slow Requests (>1s)" subtracted two raw bucket counters (counts since start-up, not
  requests): it now counts requests slower than 1 s per endpoint in the selected range;
- "Average Request Duration" and "Policy Evaluation Overhead" averaged per-series ratios,
  which weighs a quiet endpoint like a busy one: now the ratio of summed rates;
- the p100 series ("Max") reported the top bucket bound, not the slowest request: dropped;
- CPU is in cores (1 = one core busy), not a percentage multiplied by 100.
"""

from definitions import recordings as rec
from definitions.dashboards.common import (
    API_UP,
    INSTANCE,
    JOB,
    MENU,
    RECORDED_5M,
    described,
    firing,
)
from definitions.metrics import external, policy
from definitions.metrics import gateway as gw
from sarkmon.model import re
from sarkmon.model.dashboards import (
    Dashboard,
    Heatmap,
    Query,
    QueryVariable,
    Row,
    Stat,
    Table,
    Thresholds,
    TimeSeries,
    mean,
    quantile,
    sum_increase,
    sum_rate,
)

TOOL = QueryVariable("tool", metric=gw.TOOL_INVOCATIONS, label="tool", title="Tool")
PROCESS = {"job": JOB, "instance": INSTANCE.match}
DURATION = gw.REQUEST_DURATION_SECONDS
TOOL_DURATION = gw.TOOL_EXECUTION_DURATION_SECONDS.bucket(tool=TOOL.match)

requests = Row(
    "Requests",
    (
        Stat(
            "Requests In Flight",
            description=described(
                "Gateway requests being processed now, all instances.", gw.REQUESTS_IN_FLIGHT
            ),
            unit="short",
            thresholds=Thresholds("green", ((50, "orange"), (100, "red"))),
            queries=(f"sum({gw.REQUESTS_IN_FLIGHT})",),
        ),
        Stat(
            "Average Request Duration",
            description=described(
                "Mean duration of gateway requests: time spent over requests served.",
                gw.REQUEST_DURATION_SECONDS,
            ),
            unit="s",
            thresholds=Thresholds("green", ((0.5, "orange"), (1, "red"))),
            queries=(mean(DURATION),),
        ),
        Stat(
            "Request Rate",
            description=described("Gateway requests per second.", gw.REQUESTS),
            unit="reqps",
            queries=(sum_rate(gw.REQUESTS),),
        ),
        Stat(
            "Error Ratio",
            description=described("Share of gateway requests that failed.", gw.REQUESTS),
            unit="percentunit",
            decimals=2,
            thresholds=Thresholds("green", ((0.01, "orange"), (0.05, "red"))),
            queries=(f"{sum_rate(gw.REQUESTS(status='error'))} / {sum_rate(gw.REQUESTS)}",),
        ),
        Heatmap(
            "Request Latency Heatmap",
            description=described(
                "How long gateway requests take: each column is a histogram of the "
                "requests of one interval.",
                gw.REQUEST_DURATION_SECONDS,
            ),
            unit="s",
            queries=(Query(sum_rate(DURATION.bucket, "le"), legend="{{le}}"),),
        ),
        TimeSeries(
            "Request Duration Percentiles",
            description=described(
                "Gateway request duration quantiles, all endpoints together. " + RECORDED_5M,
                gw.REQUEST_DURATION_SECONDS,
            ),
            unit="s",
            queries=(
                Query(str(rec.REQUEST_P50), legend="P50"),
                Query(str(rec.REQUEST_P90), legend="P90"),
                Query(str(rec.REQUEST_P95), legend="P95"),
                Query(str(rec.REQUEST_P99), legend="P99"),
            ),
        ),
        TimeSeries(
            "Requests by Status",
            description=described("Gateway requests per second, by outcome.", gw.REQUESTS),
            unit="reqps",
            queries=(Query(sum_rate(gw.REQUESTS, "status"), legend="{{status}}"),),
        ),
        Table(
            "Slow Requests (>1s)",
            description=described(
                "Requests that took longer than 1 s in the selected range, by "
                "endpoint: all requests minus those in the 1 s bucket.",
                gw.REQUEST_DURATION_SECONDS,
            ),
            unit="short",
            sort_by="Slow requests",
            rename={"Value": "Slow requests", "endpoint": "Endpoint"},
            queries=(
                f"topk(10, {sum_increase(DURATION.count, 'endpoint')}"
                f" - {sum_increase(DURATION.bucket(le=DURATION.le(1.0)), 'endpoint')})",
            ),
        ),
    ),
)

tools_and_policy = Row(
    "Tools and policy",
    (
        TimeSeries(
            "Tool Execution Time Breakdown",
            description=described(
                "Tool execution duration by tool (P95 and P50).", gw.TOOL_EXECUTION_DURATION_SECONDS
            ),
            unit="s",
            queries=(
                Query(quantile(0.95, TOOL_DURATION, "tool"), legend="{{tool}} (P95)"),
                Query(quantile(0.5, TOOL_DURATION, "tool"), legend="{{tool}} (P50)"),
            ),
        ),
        TimeSeries(
            "Policy Evaluation Overhead",
            description=described(
                "Time each request spends in policy evaluation. The percentiles are over "
                "5-minute windows, read from the recording rules the alerts share; the mean "
                "follows the zoom.",
                policy.EVALUATION_DURATION_SECONDS,
            ),
            unit="s",
            queries=(
                Query(str(rec.POLICY_P95), legend="P95"),
                Query(str(rec.POLICY_P50), legend="P50"),
                Query(mean(policy.EVALUATION_DURATION_SECONDS), legend="Mean"),
            ),
        ),
        TimeSeries(
            "Cache Performance",
            description=described(
                "Gateway and policy cache lookups per second.",
                gw.CACHE_OPERATIONS,
                policy.CACHE_HITS,
                policy.CACHE_MISSES,
            ),
            unit="ops",
            queries=(
                Query(sum_rate(gw.CACHE_OPERATIONS(result="hit")), legend="Cache hits/s"),
                Query(sum_rate(gw.CACHE_OPERATIONS(result="miss")), legend="Cache misses/s"),
                Query(sum_rate(policy.CACHE_HITS), legend="Policy cache hits/s"),
                Query(sum_rate(policy.CACHE_MISSES), legend="Policy cache misses/s"),
            ),
        ),
        Stat(
            "Cache Hit Rate",
            description=described("Share of gateway cache lookups that hit.", gw.CACHE_OPERATIONS),
            unit="percentunit",
            decimals=1,
            width=12,
            height=8,
            thresholds=Thresholds("red", ((0.8, "orange"), (0.9, "green"))),
            queries=(
                f"{sum_rate(gw.CACHE_OPERATIONS(result='hit'))}"
                f" / {sum_rate(gw.CACHE_OPERATIONS(result=re('hit|miss')))}",
            ),
        ),
    ),
)

resources = Row(
    "Resources",
    (
        TimeSeries(
            "Resource Usage - Memory",
            description="Memory of the SARK API process.",
            unit="bytes",
            width=10,
            queries=(
                Query(
                    external.PROCESS_RESIDENT_MEMORY_BYTES(**PROCESS),
                    legend="RSS {{instance}}",
                ),
                Query(
                    external.PROCESS_VIRTUAL_MEMORY_BYTES(**PROCESS),
                    legend="Virtual {{instance}}",
                ),
            ),
        ),
        TimeSeries(
            "Resource Usage - CPU",
            description="CPU used by the SARK API process, in cores (1 = one core busy).",
            unit="short",
            width=10,
            queries=(
                Query(
                    f"rate({external.PROCESS_CPU_SECONDS(**PROCESS)}[$__rate_interval])",
                    legend="{{instance}}",
                ),
            ),
        ),
        Stat(
            "Instances Up",
            description="SARK API instances Prometheus can scrape.",
            unit="short",
            width=4,
            height=8,
            thresholds=Thresholds("red", ((1, "green"),)),
            queries=(f"sum({API_UP})",),
        ),
    ),
)

dashboard = Dashboard(
    "sark-gateway-performance",
    "SARK Gateway Performance",
    description="Where gateway time goes: requests, tools, policy, caches, resources.",
    tags=("sark", "gateway", "performance", "latency"),
    # SARK's intent: 10s, as often as sark-api is scraped. The recorded quantiles move only
    # every 30s (their evaluation interval); the other panels follow each scrape.
    refresh="10s",
    variables=(TOOL, INSTANCE),
    annotations=(firing("Critical alerts", severity="critical"),),
    links=(MENU,),
    rows=(requests, tools_and_policy, resources),
)
