"""Grafana dashboards: the model built as grafanalib objects, then cleaned into modern JSON.

This is the only module that imports grafanalib. ``compile_dashboards(build)`` is the public
entry point (``{path: json text}``); other compilers (ConfigMaps, docs) wrap its output.
Every dashboard is validated against the project's own schema before it is returned.
"""

from __future__ import annotations

import contextlib
import io
import json
from typing import TYPE_CHECKING, Any

import attr
import grafanalib.core as gl
from grafanalib._gen import DashboardEncoder

from sarkmon.compile.grafana_json import Json, clean_dashboard, clean_target, clean_variable, dump
from sarkmon.compile.grafana_layout import Placed, layout
from sarkmon.compile.grafana_options import (
    LinkTargets,
    datasource_json,
    field_defaults,
    link_json,
    options_json,
    overrides_json,
    target_extras,
    target_format,
    target_instant,
    transformations_json,
)
from sarkmon.compile.grafana_schema import schema_errors
from sarkmon.model.dashboards.dashboard import Annotation, Dashboard, Row
from sarkmon.model.dashboards.panels import Panel, RawPanel, Text
from sarkmon.model.dashboards.settings import GrafanaSettings
from sarkmon.model.dashboards.variables import (
    DATASOURCE_VARIABLE,
    LOGS_DATASOURCE_VARIABLE,
    AnyVariable,
    ConstantVariable,
    CustomVariable,
    IntervalVariable,
    QueryVariable,
)
from sarkmon.model.names import slugify

if TYPE_CHECKING:
    from sarkmon.model.project import Project
    from sarkmon.pipeline import Build

DASHBOARDS_DIR = "grafana/dashboards"

_PANEL_CLASSES: dict[str, Any] = {
    "timeseries": gl.TimeSeries,
    "stat": gl.Stat,
    "gauge": gl.GaugePanel,
    "bargauge": gl.BarGauge,
    "table": gl.Table,
    "piechart": gl.PieChartv2,
    "heatmap": gl.Heatmap,
    "text": gl.Text,
    "logs": gl.Logs,
    "state-timeline": gl.StateTimeline,
}
_BUILTIN_ANNOTATION: Json = {
    "builtIn": 1,
    "datasource": {"type": "grafana", "uid": "-- Grafana --"},
    "enable": True,
    "hide": True,
    "iconColor": "rgba(0, 211, 255, 1)",
    "name": "Annotations & Alerts",
    "type": "dashboard",
}


class DashboardError(RuntimeError):
    """A compiled dashboard is not valid against the project's schema."""


def folder_of(dashboard: Dashboard, settings: GrafanaSettings) -> str:
    return dashboard.folder or settings.folder


def dashboard_path(dashboard: Dashboard, settings: GrafanaSettings) -> str:
    return f"{DASHBOARDS_DIR}/{slugify(folder_of(dashboard, settings))}/{dashboard.uid}.json"


def link_targets(project: Project) -> LinkTargets:
    return LinkTargets(
        runbook_base_url=project.targets.runbook_base_url,
        dashboard_titles={d.uid: d.title for d in project.dashboards},
        alerts=frozenset(a.name for a in project.alerts),
    )


# -- grafanalib objects -----------------------------------------------------------------------
def _targets(panel: Panel, settings: GrafanaSettings) -> list[Json]:
    out = []
    for query in panel.targets:
        target = gl.Target(
            expr=str(query.expr),
            legendFormat=query.legend,
            refId=query.ref_id,
            instant=target_instant(panel, query),
            format=target_format(panel, query),
            interval=query.interval,
            hide=query.hide,
        )
        out.append({**clean_target(target.to_json_data()), **target_extras(panel, query, settings)})
    return out


def _panel(placed: Placed, settings: GrafanaSettings, links: LinkTargets) -> Any:
    panel = placed.item
    assert isinstance(panel, Panel)
    grid = gl.GridPos(h=placed.pos.h, w=placed.pos.w, x=placed.pos.x, y=placed.pos.y)
    if isinstance(panel, RawPanel):
        return attr.evolve(panel.panel, id=placed.id, gridPos=grid)
    common: dict[str, Any] = {
        "title": panel.title,
        "id": placed.id,
        "gridPos": grid,
        "description": panel.description or None,
        "links": [link_json(link, links) for link in panel.links],
        "interval": panel.interval or None,
        "timeFrom": panel.time_from or None,
        "transformations": transformations_json(panel),
    }
    if isinstance(panel, Text):
        return gl.Text(content=panel.content, extraJson={"options": options_json(panel)}, **common)
    # None replaces grafanalib's own defaults (unit "none", noValue "none"), then goes.
    defaults = {"unit": None, "noValue": None, **field_defaults(panel)}
    extra = {
        "datasource": datasource_json(panel.datasource_type),
        "fieldConfig": {
            "defaults": defaults,
            "overrides": overrides_json(panel.overrides),
        },
        "options": options_json(panel),
    }
    cls = _PANEL_CLASSES[panel.type]
    return cls(targets=_targets(panel, settings), extraJson=extra, **common)


def _row(placed: Placed, children: list[Any]) -> Any:
    row = placed.item
    assert isinstance(row, Row)
    grid = gl.GridPos(h=placed.pos.h, w=placed.pos.w, x=placed.pos.x, y=placed.pos.y)
    return gl.RowPanel(
        title=row.title, id=placed.id, gridPos=grid, collapsed=row.collapsed, panels=children
    )


def _panels(dashboard: Dashboard, settings: GrafanaSettings, links: LinkTargets) -> list[Any]:
    """Top-level panels in order; a collapsed row carries its panels inside it."""
    out: list[Any] = []
    placed = layout(dashboard.sections(settings.logs))
    for item in placed:
        if isinstance(item.item, Row):
            hidden = [p for p in placed if p.row is item.item and item.item.collapsed]
            out.append(_row(item, [_panel(p, settings, links) for p in hidden]))
        elif item.row is None or not item.row.collapsed:
            out.append(_panel(item, settings, links))
    return out


def _variable(variable: AnyVariable) -> Json:
    hide = gl.HIDE_VARIABLE if variable.hide or isinstance(variable, ConstantVariable) else gl.SHOW
    template = gl.Template(
        name=variable.name,
        query=variable.query,
        type=variable.type,
        label=variable.title or None,
        hide=hide,
        default=variable.options[0] if variable.options else None,
    )
    if isinstance(variable, QueryVariable):
        template = attr.evolve(
            template,
            dataSource=datasource_json("prometheus"),
            includeAll=variable.include_all,
            multi=variable.multi,
            allValue=variable.all_value if variable.include_all else None,
            regex=variable.regex or None,
            refresh=gl.REFRESH_ON_TIME_RANGE_CHANGE,
            sort=variable.sort,
        )
    elif isinstance(variable, CustomVariable):
        template = gl.Template(
            name=variable.name,
            query=variable.query,
            type="custom",
            label=variable.title or None,
            hide=hide,
            default=variable.options[0],
            includeAll=variable.include_all,
            multi=variable.multi,
            allValue=variable.all_value or None,
        )
    data = clean_variable(json.loads(json.dumps(template.to_json_data(), cls=DashboardEncoder)))
    if isinstance(variable, QueryVariable):
        data["definition"] = variable.query
        data.pop("options", None)
        if variable.include_all:
            all_text = ["All"] if variable.multi else "All"
            all_value = ["$__all"] if variable.multi else "$__all"
            data["current"] = {"selected": True, "text": all_text, "value": all_value}
        else:
            data.pop("current", None)
    elif isinstance(variable, IntervalVariable | ConstantVariable):
        data["options"] = [
            {"selected": i == 0, "text": v, "value": v} for i, v in enumerate(variable.options)
        ]
        data["current"] = {
            "selected": True,
            "text": variable.options[0],
            "value": variable.options[0],
        }
        if isinstance(variable, IntervalVariable):
            data["refresh"] = gl.REFRESH_ON_TIME_RANGE_CHANGE
    if variable.description:
        data["description"] = variable.description
    return data


def _datasource_variable(name: str, kind: str, title: str, settings: GrafanaSettings) -> Json:
    source = settings.loki if kind == "loki" else settings.prometheus
    template = gl.Template(name=name, query=kind, type="datasource", label=title)
    data = clean_variable(json.loads(json.dumps(template.to_json_data(), cls=DashboardEncoder)))
    if source is not None:
        data["current"] = {"selected": False, "text": source.name, "value": source.uid}
    return data


def _annotation(annotation: Annotation) -> Json:
    out: Json = {
        "datasource": datasource_json("prometheus"),
        "enable": annotation.enabled,
        "expr": str(annotation.expr),
        "iconColor": annotation.color,
        "name": annotation.name,
        "step": annotation.step,
    }
    if annotation.title:
        out["titleFormat"] = annotation.title
    if annotation.text:
        out["textFormat"] = annotation.text
    if annotation.tags:
        out["tagKeys"] = ",".join(annotation.tags)
    return out


def dashboard_document(dashboard: Dashboard, settings: GrafanaSettings, links: LinkTargets) -> Json:
    """The dashboard's clean JSON document (not yet validated)."""
    variables = [_datasource_variable(DATASOURCE_VARIABLE, "prometheus", "Data source", settings)]
    if dashboard.uses_logs(settings.logs):
        variables.append(_datasource_variable(LOGS_DATASOURCE_VARIABLE, "loki", "Logs", settings))
    variables += [_variable(v) for v in dashboard.variables]
    built = gl.Dashboard(
        title=dashboard.title,
        uid=dashboard.uid,
        description=dashboard.description,
        tags=list(dashboard.tags),
        editable=False,  # provisioned from code: changes go through review, not the UI
        graphTooltip=1 if dashboard.shared_crosshair else 0,
        panels=_panels(dashboard, settings, links),
        templating=gl.Templating(list=variables),
        annotations=gl.Annotations(
            list=[_BUILTIN_ANNOTATION, *(_annotation(a) for a in dashboard.annotations)]
        ),
        links=[link_json(link, links) for link in dashboard.links],
        time=gl.Time(dashboard.time_from, dashboard.time_to),
        refresh=dashboard.refresh,
        timezone=settings.timezone,
        schemaVersion=settings.schema_version,
    )
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):  # grafanalib prints warnings: keep stdout clean
        raw = json.loads(json.dumps(built.to_json_data(), cls=DashboardEncoder))
    if printed.getvalue().strip():
        raise DashboardError(f"{dashboard.obj}: grafanalib: {printed.getvalue().strip()}")
    return clean_dashboard(raw)


def dashboard_documents(project: Project) -> dict[str, Json]:
    """Every dashboard's document by output path, each validated against our schema."""
    settings = project.grafana
    links = link_targets(project)
    out: dict[str, Json] = {}
    for dashboard in project.dashboards:
        document = dashboard_document(dashboard, settings, links)
        problems = schema_errors(document)
        if problems:
            raise DashboardError(
                f"{dashboard.location}: {dashboard.obj} does not match the dashboard schema: "
                + "; ".join(problems[:5])
            )
        path = dashboard_path(dashboard, settings)
        if path in out:
            raise DashboardError(f"{dashboard.location}: {dashboard.obj}: uid used twice")
        out[path] = document
    return out


def compile_dashboards(result: Build) -> dict[str, str]:
    """``{path: JSON text}`` for every dashboard of the project."""
    return {path: dump(doc) for path, doc in dashboard_documents(result.project).items()}
