"""The project's dashboards as :mod:`sarkmon.views` records, for analysis and lint.

Registered in ``pipeline.DASHBOARD_VIEWS``: every panel query, query variable and annotation
becomes an analysis site, located at the line that defined it and owned by the definition
whose ``silence`` applies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sarkmon.model.dashboards.dashboard import Dashboard
from sarkmon.model.dashboards.panels import Panel
from sarkmon.model.dashboards.settings import GrafanaSettings
from sarkmon.model.dashboards.variables import (
    DATASOURCE_VARIABLE,
    LOGS_DATASOURCE_VARIABLE,
)
from sarkmon.views import DashboardView, PanelView, TargetView, VariableView

if TYPE_CHECKING:
    from sarkmon.model.project import Project

PROMETHEUS_REF = "${" + DATASOURCE_VARIABLE + "}"
LOKI_REF = "${" + LOGS_DATASOURCE_VARIABLE + "}"


def datasource_ref(kind: str) -> str:
    """The variable a panel of this datasource type reads through."""
    return LOKI_REF if kind == "loki" else PROMETHEUS_REF if kind else ""


def panel_view(panel: Panel) -> PanelView:
    source = datasource_ref(panel.datasource_type)
    targets = tuple(
        TargetView(
            expr=str(query.expr),
            ref_id=query.ref_id,
            datasource=source,
            datasource_type=query.datasource_type,
            legend=query.legend,
            instant=panel.instant if query.instant is None else query.instant,
            location=query.location,
            owner=panel,
        )
        for query in panel.targets
    )
    return PanelView(
        key=panel.key,
        title=panel.title,
        type=panel.type,
        unit=panel.unit,
        datasource=source,
        targets=targets,
        description=panel.description,
        location=panel.location,
        owner=panel,
        mappings=bool(panel.mappings),
    )


def dashboard_view(dashboard: Dashboard, settings: GrafanaSettings) -> DashboardView:
    sections = dashboard.sections(settings.logs)
    panels = tuple(panel_view(p) for _, ps in sections for p in ps)
    variables = [
        VariableView(DATASOURCE_VARIABLE, "datasource", "prometheus", location=dashboard.location)
    ]
    if dashboard.uses_logs(settings.logs):
        variables.append(
            VariableView(
                LOGS_DATASOURCE_VARIABLE, "datasource", "loki", location=dashboard.location
            )
        )
    variables.extend(
        VariableView(
            name=v.name,
            type=v.type,
            query=v.query,
            datasource=PROMETHEUS_REF if v.type == "query" else "",
            options=v.options,
            location=v.location,
            owner=v,
        )
        for v in dashboard.variables
    )
    annotations = tuple(
        TargetView(
            expr=str(a.expr),
            ref_id=a.name,
            datasource=PROMETHEUS_REF,
            legend=a.title,
            location=a.location,
            owner=a,
        )
        for a in dashboard.annotations
    )
    return DashboardView(
        uid=dashboard.uid,
        title=dashboard.title,
        panels=panels,
        variables=tuple(variables),
        annotations=annotations,
        location=dashboard.location,
        owner=dashboard,
    )


def dashboard_views(project: Project) -> list[DashboardView]:
    return [dashboard_view(d, project.grafana) for d in project.dashboards]
