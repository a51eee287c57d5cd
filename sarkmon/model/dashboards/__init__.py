"""Grafana dashboards as data. The compiler (``sarkmon.compile.grafana``) writes the JSON.

Usage, in a module of ``definitions/dashboards/``::

    from definitions.metrics import gateway as gw
    from sarkmon.model.dashboards import (
        Dashboard, Query, QueryVariable, Row, Stat, Thresholds, TimeSeries, quantile, sum_rate,
    )

    SERVER = QueryVariable("server", metric=gw.AUTHZ_REQUESTS, label="server")
    requests = gw.AUTHZ_REQUESTS(server=SERVER.match)  # server=~"$server"

    dashboard = Dashboard(
        "sark-gateway-integration",
        "SARK Gateway Integration",
        tags=("sark", "gateway"),
        variables=(SERVER,),
        rows=(
            Row("Authorization", (
                TimeSeries(
                    "Authorization requests",
                    unit="reqps",
                    queries=(Query(sum_rate(requests, "decision"), legend="{{decision}}"),),
                ),
                TimeSeries(
                    "Authorization latency",
                    unit="s",
                    queries=(Query(quantile(0.99, gw.AUTHZ_LATENCY_SECONDS), legend="p99"),),
                ),
                Stat(
                    "Deny ratio",
                    unit="percentunit",
                    thresholds=Thresholds("green", ((0.3, "red"),)),
                    queries=(
                        f"{sum_rate(requests(decision='deny'))} / {sum_rate(requests)}",
                    ),
                ),
            )),
        ),
    )

Queries may be PromQL strings, catalog selectors or ``Query`` objects (legend, instant,
refId...); every one is parsed and checked against the catalog like an alert's expression.
Panel ids come from each panel's ``key`` (its title's slug unless given) and the layout is
automatic on Grafana's 24-column grid: ``width=``/``height=`` override a type's default size.
"""

from sarkmon.model.dashboards.dashboard import Annotation, Dashboard, Row
from sarkmon.model.dashboards.fields import (
    DashboardLink,
    DashboardsByTag,
    Legend,
    Link,
    Override,
    RangeMapping,
    RunbookLink,
    SpecialMapping,
    Thresholds,
    ValueMapping,
)
from sarkmon.model.dashboards.panels import (
    BarGauge,
    Gauge,
    Heatmap,
    Logs,
    Panel,
    PieChart,
    RawPanel,
    Stat,
    StateTimeline,
    Table,
    Text,
    TimeSeries,
)
from sarkmon.model.dashboards.queries import (
    RANGE,
    RATE_INTERVAL,
    LogQuery,
    Query,
    increase,
    mean,
    quantile,
    rate,
    sum_by,
    sum_increase,
    sum_rate,
)
from sarkmon.model.dashboards.settings import Datasource, GrafanaSettings
from sarkmon.model.dashboards.variables import (
    ConstantVariable,
    CustomVariable,
    IntervalVariable,
    QueryVariable,
)

__all__ = [
    "RANGE",
    "RATE_INTERVAL",
    "Annotation",
    "BarGauge",
    "ConstantVariable",
    "CustomVariable",
    "Dashboard",
    "DashboardLink",
    "DashboardsByTag",
    "Datasource",
    "Gauge",
    "GrafanaSettings",
    "Heatmap",
    "IntervalVariable",
    "Legend",
    "Link",
    "LogQuery",
    "Logs",
    "Override",
    "Panel",
    "PieChart",
    "Query",
    "QueryVariable",
    "RangeMapping",
    "RawPanel",
    "Row",
    "RunbookLink",
    "SpecialMapping",
    "Stat",
    "StateTimeline",
    "Table",
    "Text",
    "Thresholds",
    "TimeSeries",
    "ValueMapping",
    "increase",
    "mean",
    "quantile",
    "rate",
    "sum_by",
    "sum_increase",
    "sum_rate",
]
