"""Rust rollout metrics (src/sark/api/metrics/rollout_metrics.py).

The only module besides sark.metrics whose metrics SARK's code records today.
"""

from sarkmon.model import Counter, Gauge, Histogram, Label, Status

NO_CALL_SITES = "Defined but not emitted: no code records it."
# The two implementations being compared, and the features rolled out.
IMPLEMENTATION = Label("implementation", values=("python", "rust"))
FEATURE = Label("feature", values=("rust_opa", "rust_cache"))


OPA_EVALUATION_DURATION_SECONDS = Histogram(
    "opa_evaluation_duration_seconds",
    "OPA policy evaluation latency in seconds",
    labels=(IMPLEMENTATION,),
    unit="seconds",
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
    subsystem="rollout",
    source="src/sark/api/metrics/rollout_metrics.py:13",
    notes=(
        "Recorded by record_opa_evaluation (services/policy/opa.py); it lives in "
        "sark.metrics.registry (served by sark.main:app) while its emitter runs under "
        "sark.api.main:app, which serves the default registry."
    ),
)
OPA_EVALUATION = Counter(
    "opa_evaluation_total",
    "Total OPA policy evaluations",
    labels=(IMPLEMENTATION, "result"),
    subsystem="rollout",
    source="src/sark/api/metrics/rollout_metrics.py:21",
    notes=(
        "Recorded by record_opa_evaluation (services/policy/opa.py); it lives in "
        "sark.metrics.registry (served by sark.main:app) while its emitter runs under "
        "sark.api.main:app, which serves the default registry."
    ),
)
OPA_EVALUATION_ERRORS = Counter(
    "opa_evaluation_errors_total",
    "OPA policy evaluation errors",
    labels=(IMPLEMENTATION, "error_type"),
    subsystem="rollout",
    source="src/sark/api/metrics/rollout_metrics.py:28",
    notes=(
        "Recorded by record_opa_error (services/policy/opa.py); it lives in "
        "sark.metrics.registry (served by sark.main:app) while its emitter runs under "
        "sark.api.main:app, which serves the default registry."
    ),
)
CACHE_OPERATION_DURATION_SECONDS = Histogram(
    "cache_operation_duration_seconds",
    "Cache operation latency in seconds",
    labels=(IMPLEMENTATION, "operation"),
    unit="seconds",
    buckets=(0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25),
    subsystem="rollout",
    source="src/sark/api/metrics/rollout_metrics.py:37",
    notes=(
        "Recorded by record_cache_operation (services/policy/opa.py); it lives in "
        "sark.metrics.registry (served by sark.main:app) while its emitter runs under "
        "sark.api.main:app, which serves the default registry."
    ),
)
CACHE_OPERATIONS = Counter(
    "cache_operations_total",
    "Total cache operations",
    labels=(IMPLEMENTATION, "operation", "result"),
    subsystem="rollout",
    source="src/sark/api/metrics/rollout_metrics.py:45",
    notes=(
        "Recorded by record_cache_operation (services/policy/opa.py), which records a "
        'successful set as result="hit"; it lives in sark.metrics.registry (served by '
        "sark.main:app) while its emitter runs under sark.api.main:app, which serves the "
        "default registry."
    ),
)
FEATURE_FLAG_ASSIGNMENTS = Counter(
    "feature_flag_assignments_total",
    "Feature flag assignment decisions",
    labels=(FEATURE, IMPLEMENTATION),
    subsystem="rollout",
    source="src/sark/api/metrics/rollout_metrics.py:54",
    notes=(
        "Recorded by record_feature_flag_assignment (services/policy/opa.py); it lives in "
        "sark.metrics.registry (served by sark.main:app) while its emitter runs under "
        "sark.api.main:app, which serves the default registry."
    ),
)
FEATURE_FLAG_ROLLOUT_PERCENTAGE = Histogram(
    "feature_flag_rollout_percentage",
    "Current rollout percentage for features",
    labels=(FEATURE,),
    buckets=(0, 5, 10, 25, 50, 75, 100),
    subsystem="rollout",
    source="src/sark/api/metrics/rollout_metrics.py:61",
    silence={"naming/base-unit": "named and recorded in percent by SARK's code"},
    notes=(
        "Recorded by record_rollout_percentage (api/routers/admin.py); it lives in "
        "sark.metrics.registry (served by sark.main:app) while its emitter runs under "
        "sark.api.main:app, which serves the default registry."
    ),
)
IMPLEMENTATION_FALLBACK = Counter(
    "implementation_fallback_total",
    "Number of fallbacks from Rust to Python due to errors",
    labels=(FEATURE, "error_type"),
    subsystem="rollout",
    source="src/sark/api/metrics/rollout_metrics.py:71",
    notes=NO_CALL_SITES,
    dormant=True,
)

# Planned: the rollout share as a gauge. SARK records it into the histogram above, from
# which the current value cannot be read back (a histogram keeps counts per bucket, not the
# last observation). A ratio (0..1), following Prometheus's base-unit convention.
FEATURE_FLAG_ROLLOUT_RATIO = Gauge(
    "feature_flag_rollout_ratio",
    "Configured share (0 to 1) of traffic routed to the Rust implementation of a feature",
    labels=(FEATURE,),
    unit="ratio",
    status=Status.PLANNED,
    subsystem="rollout",
    notes="Wanted by the Rust Rollout dashboard; set it where record_rollout_percentage is "
    "called (api/routers/admin.py).",
)
