"""Policy (OPA) evaluation and policy-cache metrics.

From src/sark/monitoring/gateway/policy_metrics.py and src/sark/services/policy/metrics.py.
"""

from sarkmon.model import Counter, Gauge, Histogram, Info, Label

NEVER_IMPORTED = (
    "Defined but not emitted: no code records it; its module is never imported by the application."
)


DECISIONS = Counter(
    "sark_policy_decisions_total",
    "Total policy decisions",
    labels=("policy_name", Label("decision", values=("allow", "deny")), "resource_type"),
    subsystem="policy",
    source="src/sark/monitoring/gateway/policy_metrics.py:9",
    notes=NEVER_IMPORTED,
    dormant=True,
)
DENIALS_BY_REASON = Counter(
    "sark_policy_denials_by_reason_total",
    "Policy denials by reason",
    labels=("policy_name", "reason"),
    subsystem="policy",
    source="src/sark/monitoring/gateway/policy_metrics.py:15",
    notes=NEVER_IMPORTED,
    dormant=True,
)
EVALUATIONS_IN_PROGRESS = Gauge(
    "sark_policy_evaluations_in_progress",
    "Policy evaluations currently in progress",
    subsystem="policy",
    source="src/sark/monitoring/gateway/policy_metrics.py:32",
    notes=NEVER_IMPORTED,
    dormant=True,
)
CACHE_SIZE = Gauge(
    "sark_policy_cache_size",
    "Number of cached policy results",
    subsystem="policy",
    source="src/sark/monitoring/gateway/policy_metrics.py:53",
    notes=NEVER_IMPORTED,
    dormant=True,
)
CACHE_TTL_SECONDS = Gauge(
    "sark_policy_cache_ttl_seconds",
    "Policy cache TTL in seconds",
    unit="seconds",
    subsystem="policy",
    source="src/sark/monitoring/gateway/policy_metrics.py:58",
    notes=NEVER_IMPORTED,
    dormant=True,
)
UPDATES = Counter(
    "sark_policy_updates_total",
    "Total policy updates",
    labels=("policy_name", "update_type"),
    subsystem="policy",
    source="src/sark/monitoring/gateway/policy_metrics.py:67",
    notes=NEVER_IMPORTED,
    dormant=True,
)
LOAD_ERRORS = Counter(
    "sark_policy_load_errors_total",
    "Policy load errors",
    labels=("policy_name", "error_type"),
    subsystem="policy",
    source="src/sark/monitoring/gateway/policy_metrics.py:73",
    notes=NEVER_IMPORTED,
    dormant=True,
)
ACTIVE_POLICIES = Gauge(
    "sark_active_policies",
    "Number of active policies",
    subsystem="policy",
    source="src/sark/monitoring/gateway/policy_metrics.py:79",
    notes=NEVER_IMPORTED,
    dormant=True,
)
COMPILATION_DURATION_SECONDS = Histogram(
    "sark_policy_compilation_duration_seconds",
    "Policy compilation duration",
    labels=("policy_name",),
    unit="seconds",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
    subsystem="policy",
    source="src/sark/monitoring/gateway/policy_metrics.py:84",
    notes=NEVER_IMPORTED,
    dormant=True,
)
EVALUATIONS = Counter(
    "sark_policy_evaluations_total",
    "Total number of policy evaluations",
    labels=("action", "sensitivity_level", "result"),
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:17",
    notes=NEVER_IMPORTED,
    dormant=True,
)
EVALUATION_ERRORS = Counter(
    "sark_policy_evaluation_errors_total",
    "Total number of policy evaluation errors",
    labels=("error_type",),
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:23",
    notes=NEVER_IMPORTED,
    dormant=True,
)
# Name conflict: SARK defines sark_policy_evaluation_duration_seconds twice: by policy_name
# with 9 buckets (monitoring/gateway/policy_metrics.py:25) and by action, sensitivity_level
# and cache_status with 15 buckets (services/policy/metrics.py:30). We keep the policy
# service's definition: it is where evaluations happen, its buckets include all 9 of the
# other's (so every latency threshold stays a bucket bound), and cache_status explains the
# latency. Per-policy latency is given up; sark_policy_decisions_total keeps policy_name.
EVALUATION_DURATION_SECONDS = Histogram(
    "sark_policy_evaluation_duration_seconds",
    "Policy evaluation latency in seconds",
    labels=("action", "sensitivity_level", "cache_status"),
    unit="seconds",
    buckets=(
        0.001,
        0.005,
        0.01,
        0.025,
        0.05,
        0.075,
        0.1,
        0.25,
        0.5,
        0.75,
        1.0,
        2.5,
        5.0,
        7.5,
        10.0,
    ),
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:30",
    notes=NEVER_IMPORTED,
    dormant=True,
)
OPA_REQUEST_DURATION_SECONDS = Histogram(
    "sark_opa_request_duration_seconds",
    "OPA HTTP request latency in seconds",
    labels=("policy",),
    unit="seconds",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:53",
    notes=NEVER_IMPORTED,
    dormant=True,
)
BATCH_POLICY_EVALUATIONS = Counter(
    "sark_batch_policy_evaluations_total",
    "Total number of batch policy evaluations",
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:61",
    notes=NEVER_IMPORTED,
    dormant=True,
)
BATCH_EVALUATION_SIZE = Histogram(
    "sark_batch_evaluation_size",
    "Number of policies in batch evaluation",
    buckets=(1, 5, 10, 25, 50, 100, 250, 500, 1000),
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:66",
    notes=NEVER_IMPORTED,
    dormant=True,
)
BATCH_EVALUATION_DURATION_SECONDS = Histogram(
    "sark_batch_evaluation_duration_seconds",
    "Batch policy evaluation total duration in seconds",
    unit="seconds",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:72",
    notes=NEVER_IMPORTED,
    dormant=True,
)
CACHE_OPERATIONS = Counter(
    "sark_policy_cache_operations_total",
    "Total number of cache operations",
    labels=("operation", Label("result", values=("hit", "miss"))),
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:82",
    notes=NEVER_IMPORTED,
    dormant=True,
)
# Name conflicts: sark_policy_cache_hits_total and sark_policy_cache_misses_total are both
# defined by policy_name (monitoring/gateway/policy_metrics.py:41,47) and by
# sensitivity_level (services/policy/metrics.py:88,94). We keep sensitivity_level, the
# policy cache's own definition, which the dashboards break down by.
CACHE_HITS = Counter(
    "sark_policy_cache_hits_total",
    "Total number of cache hits",
    labels=("sensitivity_level",),
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:88",
    notes=NEVER_IMPORTED,
    dormant=True,
)
CACHE_MISSES = Counter(
    "sark_policy_cache_misses_total",
    "Total number of cache misses",
    labels=("sensitivity_level",),
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:94",
    notes=NEVER_IMPORTED,
    dormant=True,
)
CACHE_LATENCY_SECONDS = Histogram(
    "sark_policy_cache_latency_seconds",
    "Cache operation latency in seconds",
    labels=("operation",),
    unit="seconds",
    buckets=(0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1),
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:100",
    notes=NEVER_IMPORTED,
    dormant=True,
)
CACHE_SIZE_BYTES = Gauge(
    "sark_policy_cache_size_bytes",
    "Current size of policy cache in bytes",
    unit="bytes",
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:107",
    notes=NEVER_IMPORTED,
    dormant=True,
)
CACHE_ENTRIES = Gauge(
    "sark_policy_cache_entries",
    "Current number of entries in policy cache",
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:112",
    notes=NEVER_IMPORTED,
    dormant=True,
)
CACHE_STALE_HITS = Counter(
    "sark_policy_cache_stale_hits_total",
    "Total number of stale cache hits (stale-while-revalidate)",
    labels=("sensitivity_level",),
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:118",
    notes=NEVER_IMPORTED,
    dormant=True,
)
CACHE_REVALIDATIONS = Counter(
    "sark_policy_cache_revalidations_total",
    "Total number of background cache revalidations",
    labels=(Label("status", values=("success", "failure")),),
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:124",
    notes=NEVER_IMPORTED,
    dormant=True,
)
CACHE_BATCH_OPERATIONS = Counter(
    "sark_policy_cache_batch_operations_total",
    "Total number of batch cache operations",
    labels=("operation",),
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:130",
    notes=NEVER_IMPORTED,
    dormant=True,
)
CACHE_BATCH_ITEMS = Histogram(
    "sark_policy_cache_batch_items",
    "Number of items in batch cache operations",
    labels=("operation",),
    buckets=(1, 5, 10, 25, 50, 100, 250, 500, 1000),
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:136",
    notes=NEVER_IMPORTED,
    dormant=True,
)
CACHE_BATCH_HIT_RATE = Histogram(
    "sark_policy_cache_batch_hit_rate",
    "Hit rate for batch cache operations (percentage)",
    buckets=(0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100),
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:143",
    notes=NEVER_IMPORTED,
    dormant=True,
)
ALLOWS = Counter(
    "sark_policy_allows_total",
    "Total number of allowed policy decisions",
    labels=("action", "sensitivity_level"),
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:153",
    notes=NEVER_IMPORTED,
    dormant=True,
)
DENIALS = Counter(
    "sark_policy_denials_total",
    "Total number of denied policy decisions",
    labels=("action", "sensitivity_level", "denial_reason"),
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:159",
    notes=NEVER_IMPORTED,
    dormant=True,
)
VIOLATIONS = Counter(
    "sark_policy_violations_total",
    "Total number of policy violations detected",
    labels=("policy_name", "violation_type"),
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:165",
    notes=NEVER_IMPORTED,
    dormant=True,
)
TIME_BASED_RESTRICTIONS = Counter(
    "sark_time_based_restrictions_total",
    "Total number of time-based restriction checks",
    labels=("result", "is_business_hours"),
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:175",
    notes=NEVER_IMPORTED,
    dormant=True,
)
IP_FILTERING_CHECKS = Counter(
    "sark_ip_filtering_checks_total",
    "Total number of IP filtering checks",
    labels=("result", "is_private_ip", "vpn_required"),
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:181",
    notes=NEVER_IMPORTED,
    dormant=True,
)
MFA_REQUIREMENT_CHECKS = Counter(
    "sark_mfa_requirement_checks_total",
    "Total number of MFA requirement checks",
    labels=("result", "mfa_verified", "session_valid"),
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:187",
    notes=NEVER_IMPORTED,
    dormant=True,
)
ACTIVE_POLICY_EVALUATIONS = Gauge(
    "sark_active_policy_evaluations",
    "Number of currently active policy evaluations",
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:197",
    notes=NEVER_IMPORTED,
    dormant=True,
)
REDIS_CONNECTION_POOL_SIZE = Gauge(
    "sark_redis_connection_pool_size",
    "Current size of Redis connection pool",
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:202",
    notes=NEVER_IMPORTED,
    dormant=True,
)
REDIS_CONNECTION_ERRORS = Counter(
    "sark_redis_connection_errors_total",
    "Total number of Redis connection errors",
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:207",
    notes=NEVER_IMPORTED,
    dormant=True,
)
SERVICE_INFO = Info(
    "sark_policy_service",
    "Policy service version and configuration",
    labels=("version", "cache_enabled", "opa_url"),
    subsystem="policy",
    source="src/sark/services/policy/metrics.py:216",
    notes=NEVER_IMPORTED,
    dormant=True,
)
