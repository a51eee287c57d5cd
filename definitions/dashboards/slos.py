"""SARK's SLO dashboard, generated from the SLO definitions (``definitions/slos.py``)."""

from definitions.dashboards.common import MENU
from definitions.metrics.external import ALERTS
from definitions.slos import DASHBOARD, SLOS
from sarkmon.slo.dashboard import slo_dashboard

dashboard = slo_dashboard(
    SLOS,
    uid=DASHBOARD,
    title="SARK SLOs",
    tags=("sark", "slo"),
    links=(MENU,),
    alerts=ALERTS,
)
