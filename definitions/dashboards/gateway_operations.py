"""SARK Gateway Operations: health of SARK and its dependencies, errors, audit pipeline.

Rebuilt from monitoring/grafana/dashboards/gateway-operations.json. Fixed on the way:
- ``up`` and the uptime read job ``sark-gateway``, which does not exist: ``sark-api``;
- "Active Alerts" filtered ALERTS on ``job``, a label alerts only carry when their rule
  keeps it: every firing alert is listed, with its severity and team;
- "Audit Queue Depth" put the depth and the capacity side by side in one gauge: the gauge
  shows how full the queue is (the backlog alert fires at 80%);
- "Storage Utilization" is already a percentage (0-100): unit percent, alert at 85;
- database and Redis health come from their exporters (``pg_up``, ``redis_up``); OPA has no
  exporter, so its panel waits on SARK's own health check (planned);
- "SIEM Backpressure" and the component latency are summed per platform and component;
- the ``$component`` and ``$severity`` variables now filter the error panels, and the
  application's error log (Loki) sits under them.
"""

from definitions.dashboards.common import (
    API_UP,
    CONNECTED,
    ERROR_LOGS,
    INSTANCE,
    JOB,
    MENU,
    UP_DOWN,
    described,
    firing,
)
from definitions.metrics import audit, external, health, siem
from definitions.metrics import gateway as gw
from definitions.metrics.external import ALERTS
from sarkmon.model.dashboards import (
    Dashboard,
    Gauge,
    LogQuery,
    Logs,
    Query,
    QueryVariable,
    Row,
    RunbookLink,
    Stat,
    Table,
    Thresholds,
    TimeSeries,
    quantile,
    sum_by,
    sum_rate,
)

COMPONENT = QueryVariable("component", metric=gw.ERRORS, label="component", title="Component")
SEVERITY = QueryVariable("severity", metric=gw.ERRORS, label="severity", title="Severity")
ERRORS = gw.ERRORS(component=COMPONENT.match, severity=SEVERITY.match)
STARTED = external.PROCESS_START_TIME_SECONDS(job=JOB, instance=INSTANCE.match)
OPA_STATUS = health.COMPONENT_STATUS(component="opa")

health_row = Row(
    "Health",
    (
        Stat(
            "System Health Status",
            width=4,
            description="Whether Prometheus can scrape each SARK API instance.",
            mappings=UP_DOWN,
            thresholds=Thresholds("red", ((1, "green"),)),
            queries=(Query(f"min({API_UP})"),),
        ),
        Stat(
            "Database Health",
            width=4,
            description="PostgreSQL as its exporter sees it (pg_up).",
            mappings=UP_DOWN,
            thresholds=Thresholds("red", ((1, "green"),)),
            queries=(f"min({external.PG_UP})",),
        ),
        Stat(
            "Redis Health",
            width=4,
            description="Redis as its exporter sees it (redis_up).",
            mappings=UP_DOWN,
            thresholds=Thresholds("red", ((1, "green"),)),
            queries=(f"min({external.REDIS_UP})",),
        ),
        Stat(
            "OPA Health",
            width=4,
            description=described("SARK's last health check of OPA.", health.COMPONENT_STATUS),
            mappings=UP_DOWN,
            thresholds=Thresholds("red", ((1, "green"),)),
            queries=(f"min({OPA_STATUS})",),
        ),
        Stat(
            "SIEM Connection Status",
            width=4,
            description=described(
                "Whether the audit forwarder is connected to each SIEM platform.",
                siem.CONNECTION_STATUS,
            ),
            mappings=CONNECTED,
            thresholds=Thresholds("red", ((1, "green"),)),
            queries=(
                Query(sum_by(siem.CONNECTION_STATUS, "siem_platform"), legend="{{siem_platform}}"),
            ),
        ),
        Stat(
            "Uptime",
            width=4,
            description="Time since the SARK API process started (the youngest instance).",
            unit="s",
            decimals=0,
            thresholds=Thresholds("orange", ((600, "green"),)),
            queries=(f"min(time() - {STARTED})",),
        ),
        TimeSeries(
            "Component Latency",
            description=described(
                "Duration of SARK's health check of each dependency.",
                health.COMPONENT_LATENCY_SECONDS,
            ),
            unit="s",
            queries=(
                Query(
                    f"max by (component) ({health.COMPONENT_LATENCY_SECONDS})",
                    legend="{{component}}",
                ),
            ),
        ),
        Table(
            "Active Alerts",
            description="Every alert firing now.",
            hide_columns=("Time", "Value", "__name__", "alertstate"),
            sort_by="severity",
            sort_desc=False,
            queries=(str(ALERTS(alertstate="firing")),),
        ),
    ),
)

errors_row = Row(
    "Errors",
    (
        TimeSeries(
            "Error Rate by Component",
            description=described("Gateway errors per second, by component.", gw.ERRORS),
            unit="ops",
            queries=(Query(sum_rate(ERRORS, "component"), legend="{{component}}"),),
        ),
        TimeSeries(
            "Error Severity Distribution",
            description=described("Gateway errors per second, by severity.", gw.ERRORS),
            unit="ops",
            stack=True,
            fill=40,
            queries=(Query(sum_rate(ERRORS, "severity"), legend="{{severity}}"),),
        ),
        Logs(
            "Error Logs",
            description="The application's error and critical log lines (Loki).",
            queries=(LogQuery(ERROR_LOGS),),
        ),
    ),
)

audit_row = Row(
    "Audit and SIEM pipeline",
    (
        Gauge(
            "Audit Queue Depth",
            description=described(
                "How full the audit queue is; the backlog alert fires at 80%.",
                audit.QUEUE_CAPACITY,
                audit.QUEUE_DEPTH,
            ),
            unit="percentunit",
            min=0,
            max=1,
            thresholds=Thresholds("green", ((0.6, "orange"), (0.8, "red"))),
            queries=(f"sum({audit.QUEUE_DEPTH}) / sum({audit.QUEUE_CAPACITY})",),
        ),
        Gauge(
            "Storage Utilization",
            description=described(
                "Audit storage used; the alert fires above 85%.", audit.STORAGE_UTILIZATION
            ),
            unit="percent",
            min=0,
            max=100,
            thresholds=Thresholds("green", ((70, "orange"), (85, "red"))),
            queries=(f"max({audit.STORAGE_UTILIZATION})",),
        ),
        Stat(
            "Audit Events Written/s",
            description=described(
                "Audit events written per second, all destinations.", audit.EVENTS_WRITTEN
            ),
            unit="ops",
            height=6,
            queries=(sum_rate(audit.EVENTS_WRITTEN),),
            links=(RunbookLink("AuditEventLoggingFailed"),),
        ),
        Stat(
            "Audit Write Errors/s",
            description=described(
                "Failed audit writes per second, all destinations.", audit.WRITE_ERRORS
            ),
            unit="ops",
            height=6,
            thresholds=Thresholds("green", ((0.1, "red"),)),
            queries=(sum_rate(audit.WRITE_ERRORS),),
        ),
        TimeSeries(
            "Audit Write Performance",
            width=8,
            description=described(
                "Audit write duration by destination (P95 and P50).", audit.WRITE_DURATION_SECONDS
            ),
            unit="s",
            queries=(
                Query(
                    quantile(0.95, audit.WRITE_DURATION_SECONDS, "destination"),
                    legend="{{destination}} (P95)",
                ),
                Query(
                    quantile(0.5, audit.WRITE_DURATION_SECONDS, "destination"),
                    legend="{{destination}} (P50)",
                ),
            ),
        ),
        TimeSeries(
            "SIEM Forward Success Rate",
            width=8,
            description=described(
                "Share of SIEM forwards that succeeded, per platform.", siem.FORWARDS
            ),
            unit="percentunit",
            max=1,
            queries=(
                Query(
                    f"{sum_rate(siem.FORWARDS(status='success'), 'siem_platform')}"
                    f" / {sum_rate(siem.FORWARDS, 'siem_platform')}",
                    legend="{{siem_platform}}",
                ),
            ),
        ),
        TimeSeries(
            "SIEM Backpressure",
            width=8,
            description=described(
                "Events waiting to be forwarded to each SIEM platform.", siem.BACKPRESSURE_EVENTS
            ),
            unit="short",
            queries=(
                Query(
                    sum_by(siem.BACKPRESSURE_EVENTS, "siem_platform"), legend="{{siem_platform}}"
                ),
            ),
        ),
    ),
)

dashboard = Dashboard(
    "sark-gateway-operations",
    "SARK Gateway Operations",
    description="Is SARK up, are its dependencies healthy, where do errors come from.",
    tags=("sark", "gateway", "operations", "health"),
    refresh="30s",
    variables=(COMPONENT, SEVERITY, INSTANCE),
    annotations=(firing("Critical alerts", severity="critical"),),
    links=(MENU,),
    rows=(health_row, errors_row, audit_row),
)
