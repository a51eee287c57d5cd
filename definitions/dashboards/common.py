"""What SARK's dashboards share: the scrape job, the instance picker, mappings, log streams.

Log queries assume SARK's structured (JSON) logs reach Loki with the scrape job's name as the
``job`` label, and that audit events are log lines with ``log_type="audit"`` carrying the
audit record's fields (``event_type``, ``decision``, ``user_id``, ``tool_name``,
``server_name``, ``ip_address``). Change the stream selectors here if the log agent labels
them otherwise: every logs panel reads them from this module.
"""

from definitions.metrics import SCRAPE
from definitions.metrics.external import ALERTS, UP
from sarkmon.model import Metric
from sarkmon.model.dashboards import (
    RANGE,
    Annotation,
    DashboardsByTag,
    LogQuery,
    QueryVariable,
    SpecialMapping,
    ValueMapping,
)
from sarkmon.model.metrics import no_data_note

JOB = SCRAPE.default_job  # "sark-api": the job that scrapes SARK (not sark-gateway, not sark)
API_UP = UP(job=JOB)
INSTANCE = QueryVariable("instance", metric=API_UP, label="instance", title="Instance")

UP_DOWN = (
    ValueMapping(0, "Down", "red"),
    ValueMapping(1, "Up", "green"),
    SpecialMapping("null", "No data", "orange"),
)
CONNECTED = (
    ValueMapping(0, "Disconnected", "red"),
    ValueMapping(1, "Connected", "green"),
    SpecialMapping("null", "No data", "orange"),
)

MENU = DashboardsByTag(("sark",), title="SARK dashboards")

LOG_STREAM = '{job="' + JOB + '"}'
ERROR_LOGS = LOG_STREAM + ' | json | level=~"error|critical"'
AUDIT_LOGS = LOG_STREAM + ' | json | log_type="audit"'


def audit_top(n: int, label: str, selection: str) -> LogQuery:
    """The ``n`` values of an audit record field with the most matching events in range."""
    events = f"count_over_time({AUDIT_LOGS} | {selection} [{RANGE}])"
    return LogQuery(f"topk({n}, sum by ({label}) ({events}))")


def firing(name: str, color: str = "red", **matchers: object) -> Annotation:
    """Firing alerts drawn on every graph, titled by alert name."""
    return Annotation(
        name,
        ALERTS(alertstate="firing", **matchers),  # type: ignore[arg-type]
        title="{{alertname}}",
        text="{{severity}} alert, team {{team}}",
        tags=("severity", "team"),
        color=color,
    )


# Panels that read the shared quantile recordings (definitions/recordings.py) say so: their
# window is the recordings' 5 minutes, whatever the zoom, and they match the alerts exactly.
RECORDED_5M = (
    "Quantiles over 5-minute windows, read from the recording rules the alerts share, so the "
    "window does not follow the zoom."
)


def described(text: str, *metrics: Metric) -> str:
    """A panel description that says which of its metrics have no data, and why.

    ``metrics`` are those the panel reads: planned ones SARK does not export yet, dormant
    ones it defines but does not record yet, and any others (which add nothing).
    """
    note = no_data_note(metrics)
    return f"{text} {note}" if note else text
