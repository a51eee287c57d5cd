"""Dependency health as SARK sees it: planned, wanted by Gateway Operations and its alerts.

The hand-written monitoring queried these names although no code defines them. Database and
Redis health are also visible from their exporters (``pg_up``, ``redis_up``, see
external.py); OPA has no exporter in the scrape config, so SARK must report it.
"""

from sarkmon.model import Gauge, Label, Status

COMPONENT = Label("component", values=("database", "opa", "redis", "siem"))

COMPONENT_STATUS = Gauge(
    "sark_health_component_status",
    "Whether SARK's last health check of a dependency succeeded (1) or failed (0)",
    labels=(COMPONENT,),
    status=Status.PLANNED,
    subsystem="health",
    notes="Wanted by Gateway Operations (health stats) and the dependency alerts.",
)
COMPONENT_LATENCY_SECONDS = Gauge(
    "sark_health_component_latency_seconds",
    "Duration of SARK's last health check of a dependency",
    labels=(COMPONENT,),
    unit="seconds",
    status=Status.PLANNED,
    subsystem="health",
    notes="Wanted by Gateway Operations (component latency) and HighDependencyLatency.",
)
