"""MCP gateway metrics.

From src/sark/monitoring/gateway/metrics.py (requests, tools, connections, cache, auth)
and src/sark/api/metrics/gateway_metrics.py (authorization, A2A, client errors, audit).
"""

from sarkmon.model import Counter, Gauge, Histogram, Label, Status, Summary

NEVER_IMPORTED = (
    "Defined but not emitted: no code records it; its module is never imported by the application."
)
HELPERS_NEVER_CALLED = (
    "Defined but not emitted: no code records it; registered when sark.api.metrics is "
    "imported, but no record_* helper is called."
)
ACTIVE_CONNECTIONS_CONFLICT = (
    "SARK also defines an unlabelled gauge of this name in api/metrics/gateway_metrics.py:72; "
    "the labelled definition is the one kept."
)

# Labels several gateway metrics share.
USER = Label("user", help="The calling user's id.", unbounded=True)
# SARK's code labels these metrics by user; only SARK can change that.
BY_USER = {
    "naming/unbounded-label": "SARK's code labels it by user (src/sark/monitoring/gateway/"
    "metrics.py); one series per user is a SARK decision to revisit, not a monitoring one"
}
DECISION = Label("decision", values=("allow", "deny"))
OUTCOME = Label("status", values=("success", "error"))


REQUESTS = Counter(
    "sark_gateway_requests_total",
    "Total Gateway requests",
    labels=("method", "endpoint", OUTCOME, USER, "tool"),
    subsystem="gateway",
    source="src/sark/monitoring/gateway/metrics.py:12",
    notes=NEVER_IMPORTED,
    dormant=True,
    silence=BY_USER,
)
REQUESTS_IN_FLIGHT = Gauge(
    "sark_gateway_requests_in_flight",
    "Current number of Gateway requests being processed",
    subsystem="gateway",
    source="src/sark/monitoring/gateway/metrics.py:18",
    notes=NEVER_IMPORTED,
    dormant=True,
)
REQUEST_DURATION_SECONDS = Histogram(
    "sark_gateway_request_duration_seconds",
    "Gateway request duration in seconds",
    labels=("method", "endpoint"),
    unit="seconds",
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    subsystem="gateway",
    source="src/sark/monitoring/gateway/metrics.py:23",
    notes=NEVER_IMPORTED,
    dormant=True,
)
TOOL_INVOCATIONS = Counter(
    "sark_gateway_tool_invocations_total",
    "Total tool invocations",
    labels=("tool", "server", OUTCOME, USER),
    subsystem="gateway",
    source="src/sark/monitoring/gateway/metrics.py:34",
    notes=NEVER_IMPORTED,
    dormant=True,
    silence=BY_USER,
)
TOOL_EXECUTION_DURATION_SECONDS = Histogram(
    "sark_gateway_tool_execution_duration_seconds",
    "Tool execution duration in seconds",
    labels=("tool", "server"),
    unit="seconds",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0),
    subsystem="gateway",
    source="src/sark/monitoring/gateway/metrics.py:40",
    notes=NEVER_IMPORTED,
    dormant=True,
)
TOOL_INVOCATION_RATE = Summary(
    "sark_gateway_tool_invocation_rate",
    "Tool invocation rate per minute",
    labels=("tool",),
    subsystem="gateway",
    source="src/sark/monitoring/gateway/metrics.py:47",
    notes=NEVER_IMPORTED,
    dormant=True,
)
# Name conflict: sark_gateway_active_connections is defined twice in SARK, as a Gauge with a
# connection_type label (monitoring/gateway/metrics.py:57) and as an unlabelled Gauge
# (api/metrics/gateway_metrics.py:72); registering both in one process fails. We keep the
# labelled one: it says more, and every query sums it, so it reads the same either way.
ACTIVE_CONNECTIONS = Gauge(
    "sark_gateway_active_connections",
    "Number of active Gateway connections",
    labels=("connection_type",),
    subsystem="gateway",
    source="src/sark/monitoring/gateway/metrics.py:57",
    notes=NEVER_IMPORTED + " " + ACTIVE_CONNECTIONS_CONFLICT,
    dormant=True,
)
CONNECTION_POOL_SIZE = Gauge(
    "sark_gateway_connection_pool_size",
    "Connection pool size",
    labels=("pool_name",),
    subsystem="gateway",
    source="src/sark/monitoring/gateway/metrics.py:63",
    notes=NEVER_IMPORTED,
    dormant=True,
)
CONNECTION_POOL_ACTIVE = Gauge(
    "sark_gateway_connection_pool_active",
    "Active connections in pool",
    labels=("pool_name",),
    subsystem="gateway",
    source="src/sark/monitoring/gateway/metrics.py:69",
    notes=NEVER_IMPORTED,
    dormant=True,
)
ERRORS = Counter(
    "sark_gateway_errors_total",
    "Total Gateway errors",
    labels=("error_type", "component", "severity"),
    subsystem="gateway",
    source="src/sark/monitoring/gateway/metrics.py:79",
    notes=NEVER_IMPORTED,
    dormant=True,
)
AUTH_FAILURES = Counter(
    "sark_gateway_auth_failures_total",
    "Authentication failures",
    labels=("reason", USER),
    subsystem="gateway",
    source="src/sark/monitoring/gateway/metrics.py:85",
    notes=NEVER_IMPORTED,
    dormant=True,
    silence=BY_USER,
)
RATE_LIMIT_EXCEEDED = Counter(
    "sark_gateway_rate_limit_exceeded_total",
    "Rate limit violations",
    labels=(USER, "limit_type"),
    subsystem="gateway",
    source="src/sark/monitoring/gateway/metrics.py:91",
    notes=NEVER_IMPORTED,
    dormant=True,
    silence=BY_USER,
)
CACHE_OPERATIONS = Counter(
    "sark_gateway_cache_operations_total",
    "Cache operations",
    labels=("operation", "cache_name", Label("result", values=("hit", "miss"))),
    subsystem="gateway",
    source="src/sark/monitoring/gateway/metrics.py:101",
    notes=NEVER_IMPORTED,
    dormant=True,
)
CACHE_SIZE_BYTES = Gauge(
    "sark_gateway_cache_size_bytes",
    "Cache size in bytes",
    labels=("cache_name",),
    unit="bytes",
    subsystem="gateway",
    source="src/sark/monitoring/gateway/metrics.py:107",
    notes=NEVER_IMPORTED,
    dormant=True,
)
CACHE_EVICTIONS = Counter(
    "sark_gateway_cache_evictions_total",
    "Cache evictions",
    labels=("cache_name", "reason"),
    subsystem="gateway",
    source="src/sark/monitoring/gateway/metrics.py:113",
    notes=NEVER_IMPORTED,
    dormant=True,
)
UNIQUE_USERS = Gauge(
    "sark_gateway_unique_users",
    "Number of unique active users",
    subsystem="gateway",
    source="src/sark/monitoring/gateway/metrics.py:123",
    notes=NEVER_IMPORTED,
    dormant=True,
)
REQUESTS_BY_USER = Counter(
    "sark_gateway_requests_by_user_total",
    "Requests per user",
    labels=(Label("user_id", unbounded=True),),
    subsystem="gateway",
    source="src/sark/monitoring/gateway/metrics.py:128",
    notes=NEVER_IMPORTED,
    dormant=True,
    silence=BY_USER,
)
USER_SESSIONS_ACTIVE = Gauge(
    "sark_gateway_user_sessions_active",
    "Active user sessions",
    subsystem="gateway",
    source="src/sark/monitoring/gateway/metrics.py:134",
    notes=NEVER_IMPORTED,
    dormant=True,
)
AUTHZ_REQUESTS = Counter(
    "sark_gateway_authz_requests_total",
    "Total Gateway authorization requests",
    labels=(DECISION, "action", "server"),
    subsystem="gateway",
    source="src/sark/api/metrics/gateway_metrics.py:10",
    notes=HELPERS_NEVER_CALLED,
    dormant=True,
)
AUTHZ_LATENCY_SECONDS = Histogram(
    "sark_gateway_authz_latency_seconds",
    "Gateway authorization latency in seconds",
    labels=("action",),
    unit="seconds",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0),
    subsystem="gateway",
    source="src/sark/api/metrics/gateway_metrics.py:17",
    notes=HELPERS_NEVER_CALLED,
    dormant=True,
)
CACHE_HITS = Counter(
    "sark_gateway_cache_hits_total",
    "Gateway policy cache hits",
    subsystem="gateway",
    source="src/sark/api/metrics/gateway_metrics.py:28",
    notes=HELPERS_NEVER_CALLED,
    dormant=True,
)
CACHE_MISSES = Counter(
    "sark_gateway_cache_misses_total",
    "Gateway policy cache misses",
    subsystem="gateway",
    source="src/sark/api/metrics/gateway_metrics.py:33",
    notes=HELPERS_NEVER_CALLED,
    dormant=True,
)
A2A_AUTHZ_REQUESTS = Counter(
    "sark_a2a_authz_requests_total",
    "A2A authorization requests",
    labels=(DECISION, "source_type", "target_type"),
    subsystem="gateway",
    source="src/sark/api/metrics/gateway_metrics.py:42",
    notes=HELPERS_NEVER_CALLED,
    dormant=True,
)
CLIENT_ERRORS = Counter(
    "sark_gateway_client_errors_total",
    "Gateway client errors",
    labels=("operation", "error_type"),
    subsystem="gateway",
    source="src/sark/api/metrics/gateway_metrics.py:52",
    notes=HELPERS_NEVER_CALLED,
    dormant=True,
)
AUDIT_EVENTS = Counter(
    "sark_gateway_audit_events_total",
    "Gateway audit events logged",
    labels=("event_type", DECISION),
    subsystem="gateway",
    source="src/sark/api/metrics/gateway_metrics.py:62",
    notes=HELPERS_NEVER_CALLED,
    dormant=True,
)


# Planned: what the security alerts need and SARK does not count yet.
AUTHZ_DENIALS_BY_USER = Counter(
    "sark_gateway_authz_denials_by_user_total",
    "Gateway authorization denials by user and action",
    labels=(USER, "action"),
    status=Status.PLANNED,
    subsystem="gateway",
    notes=(
        "Wanted by UserAccountCompromiseIndicators: sark_gateway_authz_requests_total has no "
        "user label, so denials cannot be joined with authentication failures per user."
    ),
    silence={
        "naming/unbounded-label": "per user by design, like sark_gateway_auth_failures_total: "
        "compromise detection joins the two by user"
    },
)
