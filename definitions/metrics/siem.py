"""SIEM forwarding metrics.

Two modules define them: the gateway's audit forwarder (`sark_siem_*`, in
src/sark/monitoring/gateway/audit_metrics.py) and the SIEM service (`siem_*`, in
src/sark/services/audit/siem/metrics.py).
"""

from sarkmon.model import Counter, Gauge, Histogram, Label, Status

NEVER_IMPORTED = (
    "Defined but not emitted: no code records it; its module is never imported by the application."
)


FORWARDS = Counter(
    "sark_siem_forwards_total",
    "Total SIEM forwards",
    labels=("siem_platform", Label("status", values=("success", "error"))),
    subsystem="siem",
    source="src/sark/monitoring/gateway/audit_metrics.py:56",
    notes=NEVER_IMPORTED,
    dormant=True,
)
FORWARD_DURATION_SECONDS = Histogram(
    "sark_siem_forward_duration_seconds",
    "SIEM forward duration in seconds",
    labels=("siem_platform",),
    unit="seconds",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    subsystem="siem",
    source="src/sark/monitoring/gateway/audit_metrics.py:62",
    notes=NEVER_IMPORTED,
    dormant=True,
)
FORWARD_BATCH_SIZE = Histogram(
    "sark_siem_batch_size",
    "Number of events per SIEM batch",
    labels=("siem_platform",),
    buckets=(1, 5, 10, 25, 50, 100, 250, 500, 1000),
    subsystem="siem",
    source="src/sark/monitoring/gateway/audit_metrics.py:69",
    notes=NEVER_IMPORTED,
    dormant=True,
)
CONNECTION_STATUS = Gauge(
    "sark_siem_connection_status",
    "SIEM connection status (1=connected, 0=disconnected)",
    labels=("siem_platform",),
    subsystem="siem",
    source="src/sark/monitoring/gateway/audit_metrics.py:76",
    notes=NEVER_IMPORTED,
    dormant=True,
)
BACKPRESSURE_EVENTS = Gauge(
    "sark_siem_backpressure_events",
    "Events waiting to be forwarded to SIEM",
    labels=("siem_platform",),
    subsystem="siem",
    source="src/sark/monitoring/gateway/audit_metrics.py:82",
    notes=NEVER_IMPORTED,
    dormant=True,
)
EVENTS_SENT = Counter(
    "siem_events_sent_total",
    "Total number of events successfully sent to SIEM",
    labels=("siem_type",),
    subsystem="siem",
    source="src/sark/services/audit/siem/metrics.py:6",
    notes=NEVER_IMPORTED,
    dormant=True,
)
EVENTS_FAILED = Counter(
    "siem_events_failed_total",
    "Total number of events that failed to send to SIEM",
    labels=("siem_type", "error_type"),
    subsystem="siem",
    source="src/sark/services/audit/siem/metrics.py:12",
    notes=NEVER_IMPORTED,
    dormant=True,
)
BATCHES_SENT = Counter(
    "siem_batches_sent_total",
    "Total number of batches successfully sent to SIEM",
    labels=("siem_type",),
    subsystem="siem",
    source="src/sark/services/audit/siem/metrics.py:18",
    notes=NEVER_IMPORTED,
    dormant=True,
)
BATCHES_FAILED = Counter(
    "siem_batches_failed_total",
    "Total number of batches that failed to send to SIEM",
    labels=("siem_type", "error_type"),
    subsystem="siem",
    source="src/sark/services/audit/siem/metrics.py:24",
    notes=NEVER_IMPORTED,
    dormant=True,
)
RETRY_ATTEMPTS = Counter(
    "siem_retry_attempts_total",
    "Total number of retry attempts for SIEM operations",
    labels=("siem_type",),
    subsystem="siem",
    source="src/sark/services/audit/siem/metrics.py:31",
    notes=NEVER_IMPORTED,
    dormant=True,
)
SEND_LATENCY_SECONDS = Histogram(
    "siem_send_latency_seconds",
    "Latency of SIEM send operations in seconds",
    labels=("siem_type", "operation"),
    unit="seconds",
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    subsystem="siem",
    source="src/sark/services/audit/siem/metrics.py:38",
    notes=NEVER_IMPORTED,
    dormant=True,
)
HEALTH_STATUS = Gauge(
    "siem_health_status",
    "SIEM health status (1=healthy, 0=unhealthy)",
    labels=("siem_type",),
    subsystem="siem",
    source="src/sark/services/audit/siem/metrics.py:46",
    notes=NEVER_IMPORTED,
    dormant=True,
)
HEALTH_CHECK_LATENCY_SECONDS = Histogram(
    "siem_health_check_latency_seconds",
    "Latency of SIEM health checks in seconds",
    labels=("siem_type",),
    unit="seconds",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
    subsystem="siem",
    source="src/sark/services/audit/siem/metrics.py:52",
    notes=NEVER_IMPORTED,
    dormant=True,
)
QUEUE_SIZE = Gauge(
    "siem_queue_size",
    "Current size of SIEM event queue",
    labels=("siem_type",),
    subsystem="siem",
    source="src/sark/services/audit/siem/metrics.py:60",
    notes=NEVER_IMPORTED,
    dormant=True,
)
EVENTS_DROPPED = Counter(
    "siem_events_dropped_total",
    "Total number of events dropped due to queue full",
    labels=("siem_type",),
    subsystem="siem",
    source="src/sark/services/audit/siem/metrics.py:66",
    notes=NEVER_IMPORTED,
    dormant=True,
)
CURRENT_BATCH_SIZE = Gauge(
    "siem_current_batch_size",
    "Current size of pending batch",
    labels=("siem_type",),
    subsystem="siem",
    source="src/sark/services/audit/siem/metrics.py:72",
    notes=NEVER_IMPORTED,
    dormant=True,
)


# Planned: what the SIEM dashboards and security alerts were written against.
EVENTS = Counter(
    "sark_siem_events_total",
    "Security events detected by SARK and sent to the SIEM, by type and severity",
    labels=(
        Label(
            "event_type",
            values=(
                "anomalous_access",
                "data_exfiltration",
                "geo_anomaly",
                "mfa_bypass_attempt",
                "privilege_escalation",
                "suspicious_ip",
                "unusual_time_access",
            ),
        ),
        Label("severity", values=("critical", "high", "medium", "low")),
    ),
    status=Status.PLANNED,
    subsystem="siem",
    notes=(
        "Wanted by System Overview, SIEM & Security Events and the SIEM alerts. SARK should "
        "create every event_type and severity series at 0 on start: a labelled counter "
        "otherwise appears at its first increment, and increase() misses that first event."
    ),
)
QUEUE_CAPACITY = Gauge(
    "siem_queue_capacity",
    "Capacity of the SIEM event queue",
    labels=("siem_type",),
    status=Status.PLANNED,
    subsystem="siem",
    notes="Wanted by the SIEM queue alerts, beside siem_queue_size.",
)
