"""Database connection pool and query metrics: planned (SQLAlchemy pool events would feed them)."""

from sarkmon.model import Gauge, Histogram, Label, Status

CONNECTIONS_CHECKED_OUT = Gauge(
    "sark_db_connections_checked_out",
    "Database connections currently checked out of the pool",
    status=Status.PLANNED,
    subsystem="database",
    notes="Wanted by System Overview and DatabasePoolExhaustion.",
)
CONNECTIONS_POOL_SIZE = Gauge(
    "sark_db_connections_pool_size",
    "Configured size of the database connection pool",
    status=Status.PLANNED,
    subsystem="database",
    notes="Wanted by DatabasePoolExhaustion.",
)
QUERY_DURATION_SECONDS = Histogram(
    "sark_db_query_duration_seconds",
    "Database query duration in seconds",
    labels=(Label("operation", values=("select", "insert", "update", "delete")),),
    unit="seconds",
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
    status=Status.PLANNED,
    subsystem="database",
    notes="Wanted by the slow database query alert.",
)
