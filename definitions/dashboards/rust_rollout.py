"""SARK Rust Rollout: the Rust and Python implementations of OPA and the cache, side by side.

Rebuilt from grafana/rust-rollout-dashboard.json. Fixed on the way:
- "Feature Flag Rollout Percentages" showed raw series of a histogram
  (``feature_flag_rollout_percentage`` records observations into buckets): the configured
  share needs a gauge, planned as ``feature_flag_rollout_ratio``; beside it, the
  share of traffic actually assigned to Rust, from the assignment counter;
- "Cache Hit Rate" counted every operation, and SARK records a successful *set* as
  ``result="hit"``: the rate now counts reads (``operation="get"``) only;
- the comparison table names its columns; the error rate, in another unit than the
  latencies, stays in its own panel;
- "Traffic Distribution" counts assignments over the selected range.
"""

from definitions.dashboards.common import MENU, described, firing
from definitions.metrics import rollout
from sarkmon.model.dashboards import (
    Dashboard,
    PieChart,
    Query,
    Row,
    Stat,
    Table,
    TimeSeries,
    quantile,
    sum_increase,
    sum_rate,
)

OPA = rollout.OPA_EVALUATION_DURATION_SECONDS
CACHE = rollout.CACHE_OPERATION_DURATION_SECONDS
ASSIGNMENTS = rollout.FEATURE_FLAG_ASSIGNMENTS
READS = rollout.CACHE_OPERATIONS(operation="get")


def by_implementation(title: str, histogram: object, description: str) -> TimeSeries:
    return TimeSeries(
        title,
        description=description,
        unit="s",
        queries=tuple(
            Query(
                quantile(q, histogram, "implementation"),  # type: ignore[arg-type]
                legend="{{implementation}} " + name,
            )
            for q, name in ((0.5, "p50"), (0.95, "p95"), (0.99, "p99"))
        ),
    )


rollout_row = Row(
    "Rollout",
    (
        Stat(
            "Feature Flag Rollout Percentages",
            description=described(
                "Configured share of traffic for each Rust feature.",
                rollout.FEATURE_FLAG_ROLLOUT_RATIO,
            ),
            unit="percentunit",
            width=8,
            queries=(
                Query(
                    f"max by (feature) ({rollout.FEATURE_FLAG_ROLLOUT_RATIO})",
                    legend="{{feature}}",
                ),
            ),
        ),
        Stat(
            "Observed Rust Share",
            description="Share of flag assignments that chose Rust, per feature.",
            unit="percentunit",
            width=8,
            queries=(
                Query(
                    f"{sum_rate(ASSIGNMENTS(implementation='rust'), 'feature')}"
                    f" / {sum_rate(ASSIGNMENTS, 'feature')}",
                    legend="{{feature}}",
                ),
            ),
        ),
        PieChart(
            "Traffic Distribution",
            description="Flag assignments in the selected range, by implementation.",
            unit="short",
            queries=(
                Query(sum_increase(ASSIGNMENTS, "implementation"), legend="{{implementation}}"),
            ),
        ),
    ),
)

comparison = Row(
    "Comparison",
    (
        by_implementation(
            "OPA Evaluation Latency (p50, p95, p99)",
            OPA,
            "Policy evaluation latency of each implementation.",
        ),
        by_implementation(
            "Cache Operation Latency (p50, p95, p99)",
            CACHE,
            "Cache operation latency of each implementation.",
        ),
        TimeSeries(
            "OPA Throughput (req/s)",
            description="Policy evaluations per second, by implementation.",
            unit="reqps",
            queries=(
                Query(
                    sum_rate(rollout.OPA_EVALUATION, "implementation"),
                    legend="{{implementation}}",
                ),
            ),
        ),
        TimeSeries(
            "Cache Hit Rate",
            description="Share of cache reads that hit, by implementation.",
            unit="percentunit",
            max=1,
            queries=(
                Query(
                    f"{sum_rate(READS(result='hit'), 'implementation')}"
                    f" / {sum_rate(READS, 'implementation')}",
                    legend="{{implementation}} hit rate",
                ),
            ),
        ),
        TimeSeries(
            "Error Rates",
            description="Policy evaluation errors per second, by implementation and type.",
            unit="ops",
            queries=(
                Query(
                    sum_rate(rollout.OPA_EVALUATION_ERRORS, "implementation", "error_type"),
                    legend="{{implementation}} - {{error_type}}",
                ),
            ),
        ),
        TimeSeries(
            "Fallback Events",
            description=described(
                "Fallbacks from Rust to Python per second, by feature and error.",
                rollout.IMPLEMENTATION_FALLBACK,
            ),
            unit="ops",
            queries=(
                Query(
                    sum_rate(rollout.IMPLEMENTATION_FALLBACK, "feature", "error_type"),
                    legend="{{feature}} - {{error_type}}",
                ),
            ),
        ),
        Table(
            "Performance Comparison Summary",
            description="Median OPA and cache latency of each implementation, now (the "
            "error rates are in Error Rates).",
            unit="s",
            width=24,
            height=6,
            rename={
                "implementation": "Implementation",
                "Value #A": "OPA p50",
                "Value #B": "Cache p50",
            },
            queries=(
                quantile(0.5, OPA, "implementation"),
                quantile(0.5, CACHE, "implementation"),
            ),
        ),
    ),
)

dashboard = Dashboard(
    "sark-rust-rollout",
    "SARK Rust Rollout",
    description="Rust against Python for OPA evaluation and the policy cache, during rollout.",
    tags=("sark", "rust", "rollout", "performance", "ab-testing"),
    refresh="10s",  # SARK's intent: watch a rollout step as often as sark-api is scraped
    annotations=(firing("Critical alerts", severity="critical"),),
    links=(MENU,),
    rows=(rollout_row, comparison),
)
