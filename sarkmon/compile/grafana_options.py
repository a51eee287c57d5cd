"""The modern Grafana JSON of each model object: field config, options, targets, links.

Pure functions of the model (no grafanalib): ``grafana.py`` hands these to grafanalib's
objects (as their arguments or ``extraJson``) and ``grafana_json.py`` cleans the result.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sarkmon.model.dashboards.fields import (
    AnyLink,
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
    ValueMappingLike,
)
from sarkmon.model.dashboards.panels import (
    BarGauge,
    Gauge,
    Heatmap,
    Logs,
    Panel,
    PieChart,
    Stat,
    StateTimeline,
    Table,
    Text,
    TimeSeries,
)
from sarkmon.model.dashboards.queries import AnyQuery
from sarkmon.model.dashboards.settings import GrafanaSettings
from sarkmon.model.dashboards.views import LOKI_REF, PROMETHEUS_REF

Json = dict[str, Any]

# Units that make a panel a latency panel, where exemplars lead to traces.
TIME_UNITS = frozenset({"s", "ms", "µs", "ns", "dtdurations", "dtdurationms"})
HIDE_NOTHING = {"legend": False, "tooltip": False, "viz": False}


@dataclass(frozen=True)
class LinkTargets:
    """What links resolve against: runbook URLs, the project's dashboards, and the
    histogram series of the catalog (the only series exemplars, and so trace links, ride on)."""

    runbooks: Mapping[str, str] = field(default_factory=dict)  # alert name -> runbook URL
    dashboard_titles: Mapping[str, str] = field(default_factory=dict)
    histogram_series: frozenset[str] = frozenset()  # _bucket, _sum and _count sample names

    def runbook_url(self, alert: str) -> str:
        return self.runbooks.get(alert, "")


def number(value: float) -> int | float:
    """Integral floats as ints (``80``, not ``80.0``); others exactly as given."""
    return int(value) if float(value).is_integer() else value


# -- field config -----------------------------------------------------------------------------
def thresholds_json(thresholds: Thresholds | None) -> Json:
    given = thresholds or Thresholds()
    # The base step's value is null: Grafana's JSON for -Infinity (the one null we write).
    steps: list[Json] = [{"color": given.base, "value": None}]
    steps += [{"color": color, "value": number(value)} for value, color in given.steps]
    return {"mode": given.mode, "steps": steps}


def mappings_json(mappings: Sequence[ValueMappingLike]) -> list[Json]:
    """Consecutive value mappings share one entry, as Grafana's editor writes them."""
    out: list[Json] = []
    for index, mapping in enumerate(mappings):
        result: Json = {"index": index, "text": mapping.text}
        if mapping.color:
            result["color"] = mapping.color
        if isinstance(mapping, ValueMapping):
            key = mapping.value if isinstance(mapping.value, str) else str(number(mapping.value))
            if out and out[-1]["type"] == "value":
                out[-1]["options"][key] = result
            else:
                out.append({"type": "value", "options": {key: result}})
        elif isinstance(mapping, RangeMapping):
            bounds = {
                "from": None if mapping.start is None else number(mapping.start),
                "to": None if mapping.end is None else number(mapping.end),
            }
            out.append({"type": "range", "options": {**bounds, "result": result}})
        elif isinstance(mapping, SpecialMapping):
            out.append({"type": "special", "options": {"match": mapping.match, "result": result}})
    return out


def overrides_json(overrides: Sequence[Override]) -> list[Json]:
    out = []
    for override in overrides:
        if override.ref_id:
            matcher = {"id": "byFrameRefID", "options": override.ref_id}
        else:
            matcher = {"id": "byRegexp", "options": override.name_regex}
        properties: list[Json] = []
        if override.unit:
            properties.append({"id": "unit", "value": override.unit})
        if override.decimals is not None:
            properties.append({"id": "decimals", "value": override.decimals})
        if override.axis:
            properties.append({"id": "custom.axisPlacement", "value": override.axis})
        if override.color:
            properties.append(
                {"id": "color", "value": {"fixedColor": override.color, "mode": "fixed"}}
            )
        if override.display_name:
            properties.append({"id": "displayName", "value": override.display_name})
        out.append({"matcher": matcher, "properties": properties})
    return out


def color_json(panel: Panel) -> Json:
    palette = isinstance(panel, TimeSeries | PieChart)
    mode = panel.color or ("palette-classic" if palette else "thresholds")
    if mode in ("thresholds", "palette-classic", "palette-classic-by-name") or "-" in mode:
        return {"mode": mode}
    return {"fixedColor": mode, "mode": "fixed"}


def field_defaults(panel: Panel) -> Json:
    if isinstance(panel, Logs):
        return {}  # log lines have no values to color or format
    defaults: Json = {
        "color": color_json(panel),
        "mappings": mappings_json(panel.mappings),
        "thresholds": thresholds_json(panel.thresholds),
    }
    if panel.unit and not isinstance(panel, Heatmap):
        defaults["unit"] = panel.unit
    if panel.decimals is not None:
        defaults["decimals"] = panel.decimals
    if panel.min is not None:
        defaults["min"] = number(panel.min)
    if panel.max is not None:
        defaults["max"] = number(panel.max)
    if panel.no_value:
        defaults["noValue"] = panel.no_value
    custom = custom_json(panel)
    if custom:
        defaults["custom"] = custom
    return defaults


def custom_json(panel: Panel) -> Json:
    """``fieldConfig.defaults.custom``: the per-type field options."""
    if isinstance(panel, TimeSeries):
        scale: Json = {"type": "linear"}
        if panel.log_base:
            scale = {"log": panel.log_base, "type": "log"}
        custom: Json = {
            "axisPlacement": "auto",
            "drawStyle": panel.draw,
            "fillOpacity": panel.fill,
            "gradientMode": "none",
            "hideFrom": dict(HIDE_NOTHING),
            "lineInterpolation": "linear",
            "lineWidth": panel.line_width,
            "pointSize": 5,
            "scaleDistribution": scale,
            "showPoints": "never",
            "spanNulls": False,
            "stacking": {"group": "A", "mode": "normal" if panel.stack else "none"},
            "thresholdsStyle": {"mode": panel.show_thresholds},
        }
        if panel.soft_min is not None:
            custom["axisSoftMin"] = number(panel.soft_min)
        return custom
    if isinstance(panel, Table):
        return {"align": "auto", "inspect": False}
    if isinstance(panel, PieChart):
        return {"hideFrom": dict(HIDE_NOTHING)}
    if isinstance(panel, Heatmap):
        return {"hideFrom": dict(HIDE_NOTHING), "scaleDistribution": {"type": "linear"}}
    if isinstance(panel, StateTimeline):
        return {"fillOpacity": 70, "hideFrom": dict(HIDE_NOTHING), "lineWidth": 0}
    return {}


# -- options ----------------------------------------------------------------------------------
def legend_json(legend: Legend, pie: bool = False) -> Json:
    out: Json = {
        "calcs": list(legend.calcs),
        "displayMode": "list" if legend.mode == "hidden" else legend.mode,
        "placement": legend.placement,
        "showLegend": legend.mode != "hidden",
    }
    if pie:
        out["values"] = list(legend.values)
    return out


def reduce_json(calc: str) -> Json:
    return {"calcs": [calc], "fields": "", "values": False}


def tooltip_json(mode: str) -> Json:
    return {"mode": mode, "sort": "desc" if mode == "multi" else "none"}


def options_json(panel: Panel) -> Json:
    """``options``: what the visualization itself does with the data."""
    if isinstance(panel, TimeSeries):
        return {"legend": legend_json(panel.legend), "tooltip": tooltip_json(panel.tooltip)}
    if isinstance(panel, Stat):
        return {
            "colorMode": panel.color_mode,
            "graphMode": panel.graph,
            "justifyMode": "auto",
            "orientation": "auto",
            "percentChangeColorMode": "standard",
            "reduceOptions": reduce_json(panel.reduce),
            "showPercentChange": False,
            "textMode": panel.text_mode,
            "wideLayout": True,
        }
    if isinstance(panel, Gauge):
        return {
            "minVizHeight": 75,
            "minVizWidth": 75,
            "orientation": "auto",
            "reduceOptions": reduce_json(panel.reduce),
            "showThresholdLabels": False,
            "showThresholdMarkers": panel.show_markers,
            "sizing": "auto",
        }
    if isinstance(panel, BarGauge):
        return {
            "displayMode": panel.display,
            "legend": legend_json(Legend("hidden")),
            "maxVizHeight": 300,
            "minVizHeight": 16,
            "minVizWidth": 8,
            "namePlacement": "auto",
            "orientation": panel.orientation,
            "reduceOptions": reduce_json(panel.reduce),
            "showUnfilled": True,
            "sizing": "auto",
            "valueMode": "color",
        }
    if isinstance(panel, Table):
        options: Json = {
            "cellHeight": "sm",
            "footer": {"countRows": False, "reducer": ["sum"], "show": False},
            "frameIndex": 0,
            "showHeader": True,
        }
        if panel.sort_by:
            options["sortBy"] = [{"desc": panel.sort_desc, "displayName": panel.sort_by}]
        return options
    if isinstance(panel, PieChart):
        return {
            "displayLabels": ["percent"],
            "legend": legend_json(panel.legend, pie=True),
            "orientation": "auto",
            "pieType": panel.pie,
            "reduceOptions": reduce_json(panel.reduce),
            "tooltip": tooltip_json("single"),
        }
    if isinstance(panel, Heatmap):
        return heatmap_options(panel)
    if isinstance(panel, Text):
        return {"content": panel.content, "mode": panel.mode}
    if isinstance(panel, Logs):
        return {
            "dedupStrategy": panel.dedup,
            "enableLogDetails": panel.details,
            "prettifyLogMessage": False,
            "showCommonLabels": False,
            "showLabels": False,
            "showLogContextToggle": True,
            "showTime": panel.show_time,
            "sortOrder": "Descending" if panel.newest_first else "Ascending",
            "wrapLogMessage": panel.wrap,
        }
    if isinstance(panel, StateTimeline):
        return {
            "alignValue": "left",
            "legend": legend_json(panel.legend),
            "mergeValues": panel.merge_values,
            "rowHeight": panel.row_height,
            "showValue": panel.show_value,
            "tooltip": tooltip_json("single"),
        }
    return {}


def heatmap_options(panel: Heatmap) -> Json:
    y_axis: Json = {"axisPlacement": "left", "reverse": False}
    if panel.unit:
        y_axis["unit"] = panel.unit
    return {
        "calculate": False,  # the buckets are the histogram's own
        "cellGap": 1,
        "color": {
            "exponent": 0.5,
            "fill": "dark-orange",
            "mode": "scheme",
            "reverse": False,
            "scale": "exponential",
            "scheme": panel.scheme,
            "steps": 64,
        },
        "exemplars": {"color": "rgba(255,0,255,0.7)"},
        "filterValues": {"le": 1e-9},
        "legend": {"show": True},
        "rowsFrame": {"layout": "auto"},
        "showValue": "never",
        "tooltip": {"mode": "single", "showColorScale": False, "yHistogram": False},
        "yAxis": y_axis,
    }


def transformations_json(panel: Panel) -> list[Json]:
    if not isinstance(panel, Table):
        return []
    out: list[Json] = []
    if len(panel.targets) > 1:
        out.append({"id": "merge", "options": {}})  # one row per label set across queries
    if panel.hide_columns or panel.rename:
        out.append(
            {
                "id": "organize",
                "options": {
                    "excludeByName": {name: True for name in panel.hide_columns},
                    "indexByName": {},
                    "renameByName": dict(panel.rename),
                },
            }
        )
    return out


# -- targets ----------------------------------------------------------------------------------
def datasource_json(kind: str) -> Json:
    return {"type": kind, "uid": LOKI_REF if kind == "loki" else PROMETHEUS_REF}


_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")


def names_in(expr: str) -> set[str]:
    """The identifiers of a query outside its string literals (series names among them)."""
    return set(_NAME.findall(_QUOTED.sub("", expr)))


def wants_exemplars(
    panel: Panel, query: AnyQuery, settings: GrafanaSettings, histograms: frozenset[str]
) -> bool:
    """Exemplars (links to traces) on latency panels reading a histogram, when tracing is on.

    Exemplars ride on histogram series only: a gauge in seconds or a recorded quantile has
    none, so asking Grafana for them there only costs a query.
    """
    if not settings.traces or query.datasource_type != "prometheus":
        return False
    if query.exemplars is not None:
        return query.exemplars
    if not (isinstance(panel, TimeSeries | Heatmap) and panel.unit in TIME_UNITS):
        return False
    return not histograms.isdisjoint(names_in(str(query.expr)))


def target_extras(
    panel: Panel, query: AnyQuery, settings: GrafanaSettings, histograms: frozenset[str]
) -> Json:
    """Target keys grafanalib's Target does not know."""
    instant = panel.instant if query.instant is None else query.instant
    extras: Json = {"datasource": datasource_json(query.datasource_type), "editorMode": "code"}
    if query.datasource_type == "loki":
        extras["format"] = None  # LogQL queries have neither format nor instant flag
        extras["instant"] = None
        extras["queryType"] = "instant" if instant else "range"
        max_lines = getattr(query, "max_lines", 0)
        if max_lines:
            extras["maxLines"] = max_lines
        return extras
    extras["range"] = not instant
    if wants_exemplars(panel, query, settings, histograms):
        extras["exemplar"] = True
    return extras


def target_format(panel: Panel, query: AnyQuery) -> str:
    return query.format or panel.query_format


def target_instant(panel: Panel, query: AnyQuery) -> bool:
    return panel.instant if query.instant is None else bool(query.instant)


# -- links ------------------------------------------------------------------------------------
def links_json(links: Sequence[AnyLink], targets: LinkTargets) -> list[Json]:
    """The links that lead somewhere: a runbook link needs its alert's runbook URL (lint
    reports one that has none, as grafana/link)."""
    out = []
    for link in links:
        if isinstance(link, RunbookLink) and not targets.runbook_url(link.alert):
            continue
        out.append(link_json(link, targets))
    return out


def link_json(link: AnyLink, targets: LinkTargets) -> Json:
    """Dashboard and panel links share Grafana's DashboardLink shape."""
    base: Json = {
        "asDropdown": False,
        "icon": "external link",
        "includeVars": False,
        "keepTime": False,
        "tags": [],
        "targetBlank": False,
        "tooltip": "",
        "type": "link",
    }
    if isinstance(link, DashboardsByTag):
        return {
            **base,
            "asDropdown": link.as_dropdown,
            "keepTime": True,
            "tags": list(link.tags),
            "title": link.title,
            "type": "dashboards",
            "url": "",
        }
    if isinstance(link, RunbookLink):
        return {
            **base,
            "icon": "doc",
            "targetBlank": True,
            "title": link.title or f"Runbook: {link.alert}",
            "tooltip": f"What to do when {link.alert} fires",
            "url": targets.runbook_url(link.alert),
        }
    if isinstance(link, DashboardLink):
        title = link.title or targets.dashboard_titles.get(link.uid, link.uid)
        return {
            **base,
            "icon": "dashboard",
            "includeVars": link.include_vars,
            "keepTime": link.keep_time,
            "title": title,
            "url": f"/d/{link.uid}",
        }
    assert isinstance(link, Link)
    return {
        **base,
        "includeVars": link.include_vars,
        "keepTime": link.keep_time,
        "targetBlank": link.new_tab,
        "title": link.title,
        "tooltip": link.tooltip,
        "url": link.url,
    }
