"""SARK's FastAPI application metrics (src/sark/metrics.py).

These live in the custom registry `sark.metrics.registry`, served only by `sark.main:app`
at GET /metrics: the only metrics SARK exports today besides the rollout ones.
"""

from sarkmon.model import Counter, Gauge, Histogram

NO_CALL_SITES = "Defined but not emitted: no code records it."


HTTP_REQUESTS = Counter(
    "http_requests_total",
    "Total HTTP requests",
    labels=("method", "endpoint", "status"),
    subsystem="http",
    source="src/sark/metrics.py:21",
    notes=(
        "Recorded by PrometheusMiddleware.dispatch; served by sark.main:app from "
        "sark.metrics.registry."
    ),
)
HTTP_REQUEST_DURATION_SECONDS = Histogram(
    "http_request_duration_seconds",
    "HTTP request latency in seconds",
    labels=("method", "endpoint"),
    unit="seconds",
    subsystem="http",
    source="src/sark/metrics.py:28",
    notes=(
        "Recorded by PrometheusMiddleware.dispatch; served by sark.main:app from "
        "sark.metrics.registry."
    ),
)
HTTP_REQUESTS_IN_PROGRESS = Gauge(
    "http_requests_in_progress",
    "HTTP requests currently being processed",
    labels=("method", "endpoint"),
    subsystem="http",
    source="src/sark/metrics.py:35",
    notes=(
        "Recorded by PrometheusMiddleware.dispatch; served by sark.main:app from "
        "sark.metrics.registry."
    ),
)
APP_INFO = Gauge(
    "app_info",
    "Application information",
    labels=("version", "environment"),
    subsystem="http",
    source="src/sark/metrics.py:43",
    notes=(
        "Set once by initialize_metrics() at start-up; served by sark.main:app from "
        "sark.metrics.registry."
    ),
    silence={
        "naming/reserved-suffix": "SARK's code defines it as a Gauge set to 1 with labels, "
        "the usual info idiom before prometheus_client had Info; renaming is a SARK change"
    },
)
BUSINESS_OPERATIONS = Counter(
    "business_operations_total",
    "Total business operations",
    labels=("operation", "status"),
    subsystem="http",
    source="src/sark/metrics.py:51",
    notes=NO_CALL_SITES,
    dormant=True,
)
BUSINESS_OPERATION_DURATION_SECONDS = Histogram(
    "business_operation_duration_seconds",
    "Business operation duration in seconds",
    labels=("operation",),
    unit="seconds",
    subsystem="http",
    source="src/sark/metrics.py:58",
    notes=NO_CALL_SITES,
    dormant=True,
)
ACTIVE_CONNECTIONS = Gauge(
    "active_connections",
    "Number of active connections",
    subsystem="http",
    source="src/sark/metrics.py:66",
    notes=NO_CALL_SITES,
    dormant=True,
)
ERRORS = Counter(
    "errors_total",
    "Total errors",
    labels=("error_type", "endpoint"),
    subsystem="http",
    source="src/sark/metrics.py:73",
    notes=(
        "Recorded by PrometheusMiddleware.dispatch; served by sark.main:app from "
        "sark.metrics.registry."
    ),
)
