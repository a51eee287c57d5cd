"""Series that SARK's code does not define: Prometheus's own, and other exporters'.

``process_*`` come from prometheus_client's process collector, which is registered on the
default registry only: SARK's /metrics (sark.main:app) serves ``sark.metrics.registry``,
so these need the collector registered there too.
"""

from sarkmon.model import ALL_JOBS, Counter, Gauge, Label, Status

UP = Gauge(
    "up",
    "1 when the last scrape of the target succeeded, else 0 (set by Prometheus)",
    jobs=(ALL_JOBS,),
    status=Status.EXTERNAL,
    created=False,
    subsystem="prometheus",
)
ALERTS = Gauge(
    "ALERTS",
    "Pending and firing alerts, one series per alert, with the alert's labels",
    labels=("alertname", Label("alertstate", values=("pending", "firing"))),
    status=Status.EXTERNAL,
    created=False,
    scraped=False,
    open_labels=True,
    subsystem="prometheus",
)

PROCESS_CPU_SECONDS = Counter(
    "process_cpu_seconds_total",
    "Total user and system CPU time spent in seconds",
    unit="seconds",
    status=Status.EXTERNAL,
    created=False,
    subsystem="process",
)
PROCESS_RESIDENT_MEMORY_BYTES = Gauge(
    "process_resident_memory_bytes",
    "Resident memory size in bytes",
    unit="bytes",
    status=Status.EXTERNAL,
    created=False,
    subsystem="process",
)
PROCESS_VIRTUAL_MEMORY_BYTES = Gauge(
    "process_virtual_memory_bytes",
    "Virtual memory size in bytes",
    unit="bytes",
    status=Status.EXTERNAL,
    created=False,
    subsystem="process",
)
PROCESS_START_TIME_SECONDS = Gauge(
    "process_start_time_seconds",
    "Start time of the process since unix epoch in seconds",
    unit="seconds",
    status=Status.EXTERNAL,
    created=False,
    subsystem="process",
)
PROCESS_OPEN_FDS = Gauge(
    "process_open_fds",
    "Number of open file descriptors",
    status=Status.EXTERNAL,
    created=False,
    subsystem="process",
)
PROCESS_MAX_FDS = Gauge(
    "process_max_fds",
    "Maximum number of open file descriptors",
    status=Status.EXTERNAL,
    created=False,
    subsystem="process",
)

# node_exporter, scraped by the node job on the hosts SARK and its database run on.
FILESYSTEM_LABELS = ("device", "fstype", "mountpoint")
NODE_FILESYSTEM_SIZE_BYTES = Gauge(
    "node_filesystem_size_bytes",
    "Filesystem size in bytes",
    labels=FILESYSTEM_LABELS,
    unit="bytes",
    jobs=("node",),
    status=Status.EXTERNAL,
    created=False,
    subsystem="node",
)
NODE_FILESYSTEM_AVAIL_BYTES = Gauge(
    "node_filesystem_avail_bytes",
    "Filesystem space available to non-root users in bytes",
    labels=FILESYSTEM_LABELS,
    unit="bytes",
    jobs=("node",),
    status=Status.EXTERNAL,
    created=False,
    subsystem="node",
)
NODE_NETWORK_TRANSMIT_ERRS = Counter(
    "node_network_transmit_errs_total",
    "Network device statistic transmit_errs",
    labels=("device",),
    jobs=("node",),
    status=Status.EXTERNAL,
    created=False,
    subsystem="node",
)

# The dependencies' own exporters, already in SARK's scrape config.
PG_UP = Gauge(
    "pg_up",
    "Whether postgres_exporter's last query of PostgreSQL succeeded",
    jobs=("postgres",),
    status=Status.EXTERNAL,
    created=False,
    subsystem="database",
)
REDIS_UP = Gauge(
    "redis_up",
    "Whether redis_exporter could reach Redis",
    jobs=("redis",),
    status=Status.EXTERNAL,
    created=False,
    subsystem="cache",
)
