"""Grafana dashboards: the model built as grafanalib objects, then cleaned into modern JSON.

This is the only module that imports grafanalib. ``compile_dashboards(build)`` is the public
entry point (``{path: json text}``); other compilers (ConfigMaps, docs) wrap its output.
Every dashboard is validated against the project's own schema before it is returned.
"""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass
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
    links_json,
    options_json,
    overrides_json,
    target_extras,
    target_format,
    target_instant,
    transformations_json,
)
from sarkmon.compile.grafana_schema import schema_errors
from sarkmon.compile.prometheus import runbook_url
from sarkmon.model.catalog import Catalog
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
from sarkmon.model.metrics import Histogram, Sample
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
    runbooks = {a.name: runbook_url(a, project.targets) for a in project.alerts}
    return LinkTargets(
        runbooks={name: url for name, url in runbooks.items() if url},
        dashboard_titles={d.uid: d.title for d in project.dashboards},
        histogram_series=histogram_series(project.catalog),
    )


def histogram_series(catalog: Catalog) -> frozenset[str]:
    """The catalog's histogram ``_bucket``, ``_sum`` and ``_count`` series: where exemplars are."""
    kinds = (Sample.BUCKET, Sample.SUM, Sample.COUNT)
    return frozenset(
        name
        for metric in catalog
        if isinstance(metric, Histogram)
        for name, kind in metric.samples().items()
        if kind in kinds
    )


# -- grafanalib objects -----------------------------------------------------------------------
def _targets(panel: Panel, settings: GrafanaSettings, histograms: frozenset[str]) -> list[Json]:
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
        extras = target_extras(panel, query, settings, histograms)
        out.append({**clean_target(target.to_json_data()), **extras})
    return out


def _panel(placed: Placed, settings: GrafanaSettings, links: LinkTargets) -> Any:
    panel = placed.item
    assert isinstance(panel, Panel)
    grid = gl.GridPos(h=placed.pos.h, w=placed.pos.w, x=placed.pos.x, y=placed.pos.y)
    if isinstance(panel, RawPanel):
        return _raw(panel, placed.id, grid)
    common: dict[str, Any] = {
        "title": panel.title,
        "id": placed.id,
        "gridPos": grid,
        "description": panel.description or None,
        "links": links_json(panel.links, links),
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
    return cls(targets=_targets(panel, settings, links.histogram_series), extraJson=extra, **common)


def _raw(panel: RawPanel, panel_id: int, grid: Any) -> Any:
    """The grafanalib panel as given, with our id and position, reading ${datasource}."""
    source = datasource_json("prometheus")
    targets = [
        attr.evolve(t, datasource=source) if getattr(t, "datasource", source) is None else t
        for t in getattr(panel.panel, "targets", None) or []
    ]
    changes: dict[str, Any] = {"id": panel_id, "gridPos": grid, "targets": targets}
    if getattr(panel.panel, "dataSource", source) is None and targets:
        changes["dataSource"] = source
    return attr.evolve(panel.panel, **changes)


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
    hidden = variable.hide or isinstance(variable, ConstantVariable)
    options: dict[str, Any] = {
        "name": variable.name,
        "query": variable.query,
        "type": variable.type,
        "label": variable.title or None,
        "hide": gl.HIDE_VARIABLE if hidden else gl.SHOW,
        "default": variable.options[0] if variable.options else None,
    }
    if isinstance(variable, QueryVariable):
        options.update(
            dataSource=datasource_json("prometheus"),
            regex=variable.regex or None,
            refresh=gl.REFRESH_ON_TIME_RANGE_CHANGE,
            sort=variable.sort,
        )
    if isinstance(variable, QueryVariable | CustomVariable):
        options.update(
            includeAll=variable.include_all,
            multi=variable.multi,
            allValue=(variable.all_value or None) if variable.include_all else None,
        )
    template = gl.Template(**options)
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
        # The values in the order given, the default marked (options lists it first).
        given = variable.values if isinstance(variable, IntervalVariable) else variable.options
        data["options"] = [
            {"selected": v == variable.options[0], "text": v, "value": v} for v in given
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


def _grafanalib_dashboard(
    dashboard: Dashboard, settings: GrafanaSettings, links: LinkTargets
) -> Any:
    variables = [_datasource_variable(DATASOURCE_VARIABLE, "prometheus", "Data source", settings)]
    if dashboard.uses_logs(settings.logs):
        variables.append(_datasource_variable(LOGS_DATASOURCE_VARIABLE, "loki", "Logs", settings))
    variables += [_variable(v) for v in dashboard.variables]
    return gl.Dashboard(
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
        links=links_json(dashboard.links, links),
        time=gl.Time(dashboard.time_from, dashboard.time_to),
        refresh=dashboard.refresh,
        timezone=settings.timezone,
        schemaVersion=settings.schema_version,
    )


def dashboard_document(dashboard: Dashboard, settings: GrafanaSettings, links: LinkTargets) -> Json:
    """The dashboard's clean JSON document (not yet validated).

    grafanalib prints its warnings: they are caught (stdout stays clean) and, like its
    validation errors, raised as a DashboardError naming the dashboard.
    """
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            built = _grafanalib_dashboard(dashboard, settings, links)
            raw = json.loads(json.dumps(built.to_json_data(), cls=DashboardEncoder))
    except (TypeError, ValueError) as err:
        raise DashboardError(f"{dashboard.obj}: grafanalib: {err}") from err
    if printed.getvalue().strip():
        raise DashboardError(f"{dashboard.obj}: grafanalib: {printed.getvalue().strip()}")
    return clean_dashboard(raw)


@dataclass(frozen=True)
class Compiled:
    dashboard: Dashboard
    path: str
    # The JSON text when valid (documents as dicts are kept for no longer than that: at a
    # thousand dashboards they would hold hundreds of megabytes).
    text: str | None
    problems: tuple[str, ...]  # schema violations, or why grafanalib could not build it

    @property
    def document(self) -> Json | None:
        """The dashboard's document, read back from its text; None when it is not valid."""
        return json.loads(self.text) if self.text is not None else None


# The last project compiled: lint (grafana/schema) and the compiler share one compilation.
_last: list[tuple[Project, tuple[Compiled, ...]]] = []


def compiled_dashboards(project: Project) -> tuple[Compiled, ...]:
    """Every dashboard compiled and checked against our schema; problems are returned."""
    if _last and _last[0][0] is project:
        return _last[0][1]
    settings = project.grafana
    links = link_targets(project)
    out = []
    for dashboard in project.dashboards:
        text = None
        try:
            document = dashboard_document(dashboard, settings, links)
            problems = tuple(schema_errors(document))
            text = None if problems else dump(document)
        except DashboardError as err:
            problems = (str(err),)
        out.append(Compiled(dashboard, dashboard_path(dashboard, settings), text, problems))
    _last[:] = [(project, tuple(out))]
    return tuple(out)


def _valid(project: Project) -> list[Compiled]:
    """Every dashboard, compiled; raises DashboardError on an invalid one or a repeated uid."""
    paths: set[str] = set()
    for item in compiled_dashboards(project):
        where = f"{item.dashboard.location}: {item.dashboard.obj}"
        if item.text is None:
            raise DashboardError(f"{where} does not match the dashboard schema: {item.problems[0]}")
        if item.path in paths:
            raise DashboardError(f"{where}: uid used twice")
        paths.add(item.path)
    return list(compiled_dashboards(project))


def dashboard_documents(project: Project) -> dict[str, Json]:
    """Every dashboard's document by output path; raises DashboardError on an invalid one."""
    links = link_targets(project)
    return {
        item.path: dashboard_document(item.dashboard, project.grafana, links)
        for item in _valid(project)
    }


def compile_dashboards(result: Build) -> dict[str, str]:
    """``{path: JSON text}`` for every dashboard of the project (the ConfigMaps hold the same)."""
    return {item.path: item.text for item in _valid(result.project) if item.text is not None}
