"""Audit pipeline metrics (src/sark/monitoring/gateway/audit_metrics.py)."""

from sarkmon.model import Counter, Gauge, Histogram, Summary

NEVER_IMPORTED = (
    "Defined but not emitted: no code records it; its module is never imported by the application."
)


EVENTS_WRITTEN = Counter(
    "sark_audit_events_written_total",
    "Total audit events written",
    labels=("event_type", "destination"),
    subsystem="audit",
    source="src/sark/monitoring/gateway/audit_metrics.py:9",
    notes=NEVER_IMPORTED,
    dormant=True,
)
WRITE_DURATION_SECONDS = Histogram(
    "sark_audit_write_duration_seconds",
    "Audit write duration in seconds",
    labels=("destination",),
    unit="seconds",
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0),
    subsystem="audit",
    source="src/sark/monitoring/gateway/audit_metrics.py:15",
    notes=NEVER_IMPORTED,
    dormant=True,
)
WRITE_ERRORS = Counter(
    "sark_audit_write_errors_total",
    "Audit write errors",
    labels=("destination", "error_type"),
    subsystem="audit",
    source="src/sark/monitoring/gateway/audit_metrics.py:22",
    notes=NEVER_IMPORTED,
    dormant=True,
)
EVENTS_PER_SECOND = Summary(
    "sark_audit_events_per_second",
    "Audit events written per second",
    subsystem="audit",
    source="src/sark/monitoring/gateway/audit_metrics.py:28",
    notes=NEVER_IMPORTED,
    dormant=True,
)
QUEUE_DEPTH = Gauge(
    "sark_audit_queue_depth",
    "Number of events in audit queue",
    subsystem="audit",
    source="src/sark/monitoring/gateway/audit_metrics.py:37",
    notes=NEVER_IMPORTED,
    dormant=True,
)
QUEUE_CAPACITY = Gauge(
    "sark_audit_queue_capacity",
    "Audit queue capacity",
    subsystem="audit",
    source="src/sark/monitoring/gateway/audit_metrics.py:42",
    notes=NEVER_IMPORTED,
    dormant=True,
)
QUEUE_DROPS = Counter(
    "sark_audit_queue_drops_total",
    "Events dropped due to queue full",
    subsystem="audit",
    source="src/sark/monitoring/gateway/audit_metrics.py:47",
    notes=NEVER_IMPORTED,
    dormant=True,
)
LOG_SIZE_BYTES = Gauge(
    "sark_audit_log_size_bytes",
    "Audit log size in bytes",
    unit="bytes",
    subsystem="audit",
    source="src/sark/monitoring/gateway/audit_metrics.py:92",
    notes=NEVER_IMPORTED,
    dormant=True,
)
LOG_ROTATIONS = Counter(
    "sark_audit_log_rotations_total",
    "Audit log rotations",
    subsystem="audit",
    source="src/sark/monitoring/gateway/audit_metrics.py:97",
    notes=NEVER_IMPORTED,
    dormant=True,
)
RETENTION_PURGES = Counter(
    "sark_audit_retention_purges_total",
    "Events purged due to retention policy",
    subsystem="audit",
    source="src/sark/monitoring/gateway/audit_metrics.py:102",
    notes=NEVER_IMPORTED,
    dormant=True,
)
STORAGE_UTILIZATION = Gauge(
    "sark_audit_storage_utilization",
    "Audit storage utilization percentage",
    subsystem="audit",
    source="src/sark/monitoring/gateway/audit_metrics.py:107",
    notes=NEVER_IMPORTED,
    dormant=True,
)
