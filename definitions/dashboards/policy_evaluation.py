"""SARK Policy Evaluation: OPA latency, the policy cache, batches and decisions.

Rebuilt from grafana/dashboards/sark-policies.json. Fixed on the way:
- latencies were multiplied by 1000 for a ms unit: seconds, and Grafana scales them;
- "Batch Evaluation Performance" put a duration (ms) and a percentage on one axis, and
  "Batch Policy Evaluations" a rate and a batch size: each quantity has its own panel;
- "Cache Memory Usage" divided bytes by 1024² for a decimal-MB unit: bytes, unit ``bytes``,
  and the entry count in a panel of its own;
- the ``$sensitivity`` variable was declared but unused: it filters the evaluation and
  cache panels;
- ratios are shown as percentages of a 0-1 ratio (``percentunit``), not multiplied by 100.
"""

from definitions.dashboards.common import MENU, described, firing
from definitions.metrics import policy
from sarkmon.model.dashboards import (
    BarGauge,
    Dashboard,
    Heatmap,
    PieChart,
    Query,
    QueryVariable,
    Row,
    Stat,
    Thresholds,
    TimeSeries,
    quantile,
    sum_increase,
    sum_rate,
)

SENSITIVITY = QueryVariable(
    "sensitivity", metric=policy.EVALUATIONS, label="sensitivity_level", title="Sensitivity"
)
LEVEL = {"sensitivity_level": SENSITIVITY.match}
EVALUATIONS = policy.EVALUATIONS(**LEVEL)
DURATION = policy.EVALUATION_DURATION_SECONDS.bucket(**LEVEL)
HITS = sum_rate(policy.CACHE_HITS(**LEVEL))
STALE = sum_rate(policy.CACHE_STALE_HITS(**LEVEL))
MISSES = sum_rate(policy.CACHE_MISSES(**LEVEL))
REVALIDATIONS = policy.CACHE_REVALIDATIONS

overview = Row(
    "Evaluations",
    (
        Stat(
            "Policy Evaluations/sec",
            description=described("Policy evaluations per second.", policy.EVALUATIONS),
            unit="reqps",
            queries=(sum_rate(EVALUATIONS),),
        ),
        Stat(
            "Cache Performance Overview",
            description=described(
                "Share of lookups answered by the policy cache, stale entries "
                "included; the alert fires below 70%.",
                policy.CACHE_HITS,
                policy.CACHE_MISSES,
                policy.CACHE_STALE_HITS,
            ),
            unit="percentunit",
            decimals=1,
            thresholds=Thresholds("red", ((0.7, "orange"), (0.85, "green"))),
            queries=(f"({HITS} + {STALE}) / ({HITS} + {STALE} + {MISSES})",),
        ),
        Stat(
            "Cache Revalidation Status",
            description=described(
                "Share of background cache revalidations that succeed.", policy.CACHE_REVALIDATIONS
            ),
            unit="percentunit",
            decimals=1,
            thresholds=Thresholds("red", ((0.9, "orange"), (0.99, "green"))),
            queries=(f"{sum_rate(REVALIDATIONS(status='success'))} / {sum_rate(REVALIDATIONS)}",),
        ),
        Stat(
            "Policy Errors",
            description=described("Policy evaluation errors per second.", policy.EVALUATION_ERRORS),
            unit="ops",
            thresholds=Thresholds("green", ((0.1, "orange"), (1, "red"))),
            queries=(sum_rate(policy.EVALUATION_ERRORS),),
        ),
        TimeSeries(
            "Policy Evaluation Latency (P50, P95, P99)",
            description=described(
                "Time to evaluate a policy; the alert fires when P95 passes 60 ms.",
                policy.EVALUATION_DURATION_SECONDS,
            ),
            unit="s",
            thresholds=Thresholds("green", ((0.06, "red"),)),
            show_thresholds="dashed",
            queries=(
                Query(quantile(0.5, DURATION), legend="P50"),
                Query(quantile(0.95, DURATION), legend="P95"),
                Query(quantile(0.99, DURATION), legend="P99"),
            ),
        ),
        TimeSeries(
            "OPA Request Duration",
            description=described(
                "Latency of SARK's HTTP calls to OPA (P95).", policy.OPA_REQUEST_DURATION_SECONDS
            ),
            unit="s",
            queries=(
                Query(
                    quantile(0.95, policy.OPA_REQUEST_DURATION_SECONDS), legend="P95 OPA latency"
                ),
            ),
        ),
        BarGauge(
            "Policy Evaluation by Sensitivity",
            description=described(
                "Evaluations per second now, by sensitivity level.", policy.EVALUATIONS
            ),
            unit="reqps",
            queries=(
                Query(
                    sum_rate(EVALUATIONS, "sensitivity_level"),
                    legend="{{sensitivity_level}}",
                ),
            ),
        ),
        PieChart(
            "Policy Evaluation by Action",
            description=described(
                "Evaluations in the selected range, by action.", policy.EVALUATIONS
            ),
            unit="short",
            width=12,
            queries=(Query(sum_increase(EVALUATIONS, "action"), legend="{{action}}"),),
        ),
    ),
)

cache = Row(
    "Policy cache",
    (
        TimeSeries(
            "Cache Hit Rate by Sensitivity Level",
            description=described(
                "Share of fresh cache hits, by sensitivity level.",
                policy.CACHE_HITS,
                policy.CACHE_MISSES,
            ),
            unit="percentunit",
            max=1,
            queries=(
                Query(
                    f"{sum_rate(policy.CACHE_HITS(**LEVEL), 'sensitivity_level')} / ("
                    f"{sum_rate(policy.CACHE_HITS(**LEVEL), 'sensitivity_level')}"
                    f" + {sum_rate(policy.CACHE_MISSES(**LEVEL), 'sensitivity_level')})",
                    legend="{{sensitivity_level}}",
                ),
            ),
        ),
        TimeSeries(
            "Cache Operations (Hits, Stale, Misses)",
            description=described(
                "Cache lookups per second by outcome, and revalidations.",
                policy.CACHE_HITS,
                policy.CACHE_MISSES,
                policy.CACHE_REVALIDATIONS,
                policy.CACHE_STALE_HITS,
            ),
            unit="ops",
            queries=(
                Query(HITS, legend="Fresh hits"),
                Query(STALE, legend="Stale hits"),
                Query(MISSES, legend="Misses"),
                Query(sum_rate(REVALIDATIONS(status="success")), legend="Revalidations"),
            ),
        ),
        Heatmap(
            "Cache Latency Distribution",
            description=described("Duration of cache reads.", policy.CACHE_LATENCY_SECONDS),
            unit="s",
            queries=(
                Query(
                    sum_rate(policy.CACHE_LATENCY_SECONDS.bucket(operation="get"), "le"),
                    legend="{{le}}",
                ),
            ),
        ),
        TimeSeries(
            "Cache Entries",
            description=described("Entries in the policy cache.", policy.CACHE_ENTRIES),
            unit="short",
            width=6,
            queries=(Query(f"sum({policy.CACHE_ENTRIES})", legend="Cache entries"),),
        ),
        TimeSeries(
            "Cache Memory Usage",
            description=described("Memory the policy cache holds.", policy.CACHE_SIZE_BYTES),
            unit="bytes",
            width=6,
            queries=(Query(f"sum({policy.CACHE_SIZE_BYTES})", legend="Cache size"),),
        ),
    ),
)

batches = Row(
    "Batch evaluation",
    (
        TimeSeries(
            "Batch Policy Evaluations",
            description=described("Batch evaluations per second.", policy.BATCH_POLICY_EVALUATIONS),
            unit="reqps",
            width=6,
            queries=(
                Query(sum_rate(policy.BATCH_POLICY_EVALUATIONS), legend="Batch operations/s"),
            ),
        ),
        TimeSeries(
            "Batch Size",
            description=described(
                "Policies per batch evaluation (P95).", policy.BATCH_EVALUATION_SIZE
            ),
            unit="short",
            width=6,
            queries=(Query(quantile(0.95, policy.BATCH_EVALUATION_SIZE), legend="P95 batch size"),),
        ),
        TimeSeries(
            "Batch Evaluation Performance",
            description=described(
                "Time to evaluate a whole batch (P95).", policy.BATCH_EVALUATION_DURATION_SECONDS
            ),
            unit="s",
            width=6,
            queries=(
                Query(
                    quantile(0.95, policy.BATCH_EVALUATION_DURATION_SECONDS),
                    legend="P95 batch duration",
                ),
            ),
        ),
        TimeSeries(
            "Batch Cache Hit Rate",
            description=described(
                "Cache hit rate of batch lookups, in percent (P95 of batches).",
                policy.CACHE_BATCH_HIT_RATE,
            ),
            unit="percent",
            width=6,
            max=100,
            queries=(
                Query(quantile(0.95, policy.CACHE_BATCH_HIT_RATE), legend="P95 batch hit rate"),
            ),
        ),
    ),
)

dashboard = Dashboard(
    "sark-policy-evaluation",
    "SARK Policy Evaluation",
    description="How fast policies are evaluated and how well the policy cache works.",
    tags=("sark", "policies", "opa"),
    refresh="30s",
    variables=(SENSITIVITY,),
    annotations=(firing("Policy alerts", component="policy"),),
    links=(MENU,),
    rows=(overview, cache, batches),
)
