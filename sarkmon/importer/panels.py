"""One Grafana panel (modern JSON) as a call of the dashboard model: ``TimeSeries(...)``.

Options the JSON leaves out mean Grafana's defaults, which are not always the model's:
each is read with Grafana's default, and an argument is written only when it differs
from the model's, so the code says what the panel does differently and nothing more.
What the model has no field for is returned as a note.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sarkmon.compile.grafana_options import TIME_UNITS
from sarkmon.importer.metrics import CatalogRefs, Scope, promql, rewrite
from sarkmon.importer.pysource import Call, Imports, Node, Str, py
from sarkmon.model.dashboards import panels as model
from sarkmon.model.dashboards.fields import Legend

Json = dict[str, Any]
DASHBOARDS = "sarkmon.model.dashboards"

CLASSES: dict[str, type[model.Panel]] = {
    "timeseries": model.TimeSeries,
    "stat": model.Stat,
    "gauge": model.Gauge,
    "bargauge": model.BarGauge,
    "table": model.Table,
    "piechart": model.PieChart,
    "heatmap": model.Heatmap,
    "text": model.Text,
    "logs": model.Logs,
    "state-timeline": model.StateTimeline,
}
OVERRIDE_PROPERTIES = {
    "unit": "unit",
    "decimals": "decimals",
    "custom.axisPlacement": "axis",
    "displayName": "display_name",
}


def _dict(value: Any) -> Json:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


@dataclass
class PanelContext:
    """What translating one panel needs, and what it found it could not translate."""

    refs: CatalogRefs | None
    imports: Imports
    name: str  # how notes name the panel
    notes: list[str] = field(default_factory=list)
    latency: bool = False  # a latency panel: its queries ask for exemplars unless told
    scope: Scope | None = None

    def note(self, text: str) -> None:
        self.notes.append(f"{self.name}: {text}")

    def cls(self, name: str) -> str:
        return self.imports.name(DASHBOARDS, name)

    def expr(self, text: str) -> Node:
        return promql(rewrite(text, self.refs, self.imports, self.scope))


def defaults_of(cls: type[Any]) -> dict[str, Any]:
    out = {}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            out[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            out[f.name] = f.default_factory()
    return out


def keyword_args(cls: type[Any], values: dict[str, Any]) -> dict[str, Any]:
    """The values that differ from the class's defaults, in the order given."""
    defaults = defaults_of(cls)
    return {k: v for k, v in values.items() if k not in defaults or _differs(v, defaults[k])}


def _differs(value: Any, default: Any) -> bool:
    if isinstance(value, Call | Str):
        return True
    if isinstance(default, tuple) and isinstance(value, tuple | list):
        return tuple(value) != default
    if isinstance(value, float) and isinstance(default, int | float):
        return value != float(default)
    return bool(value != default)


def kwargs_node(values: dict[str, Any]) -> tuple[tuple[str, Node], ...]:
    return tuple((k, py(v)) for k, v in values.items())


# -- field config -----------------------------------------------------------------------------
def thresholds(ctx: PanelContext, kind: str, config: Any) -> Call | None:
    config = _dict(config)
    steps = [s for s in _list(config.get("steps")) if isinstance(s, dict)]
    if not steps:
        if kind in ("stat", "gauge", "bargauge"):  # Grafana's own default for these
            return Call(ctx.cls("Thresholds"), (py("green"), py(((80, "red"),))))
        return None
    base = str(steps[0].get("color") or "green")
    rest = [(_number(s.get("value")), str(s.get("color") or "")) for s in steps[1:]]
    values = [v for v, _ in rest]
    if any(v is None for v in values) or values != sorted(set(values)):  # type: ignore[type-var]
        ctx.note("thresholds are not strictly increasing numbers; not carried over")
        return None
    if not rest and kind not in ("stat", "gauge", "bargauge") and base == "green":
        return None
    args: list[Node] = [py(base)]
    if rest:
        args.append(py(tuple((v, c) for v, c in rest)))
    kwargs: tuple[tuple[str, Node], ...] = ()
    if config.get("mode") == "percentage":
        kwargs = (("mode", py("percentage")),)
    return Call(ctx.cls("Thresholds"), tuple(args), kwargs)


def mappings(ctx: PanelContext, items: Any) -> tuple[Call, ...]:
    """Value, range and special mappings in the order of their result index."""
    found: list[tuple[int, Call]] = []
    for mapping in _list(items):
        options = _dict(_dict(mapping).get("options"))
        kind = _dict(mapping).get("type")
        if kind == "value":
            for value, result in options.items():
                result = _dict(result)
                args = [py(value), py(str(result.get("text", "")))]
                if result.get("color"):
                    args.append(py(str(result["color"])))
                found.append(
                    (int(result.get("index", 0)), Call(ctx.cls("ValueMapping"), tuple(args)))
                )
        elif kind in ("range", "special"):
            result = _dict(options.get("result"))
            if kind == "range":
                args = [py(_number(options.get("from"))), py(_number(options.get("to")))]
                name = "RangeMapping"
            else:
                args = [py(str(options.get("match", "")))]
                name = "SpecialMapping"
            args.append(py(str(result.get("text", ""))))
            if result.get("color"):
                args.append(py(str(result["color"])))
            found.append((int(result.get("index", 0)), Call(ctx.cls(name), tuple(args))))
        else:
            ctx.note(f"{kind} value mapping not carried over")
    return tuple(call for _, call in sorted(found, key=lambda item: item[0]))


def overrides(ctx: PanelContext, items: Any) -> tuple[Call, ...]:
    out = []
    for item in _list(items):
        matcher = _dict(_dict(item).get("matcher"))
        kind, target = matcher.get("id"), str(matcher.get("options", ""))
        if kind == "byFrameRefID":
            values: dict[str, Any] = {"ref_id": target}
        elif kind == "byRegexp":
            values = {"name_regex": target}
        elif kind == "byName":
            values = {"name_regex": f"^{re.escape(target)}$"}
        else:
            ctx.note(f"override matching {kind} {target!r} not carried over")
            continue
        for prop in _list(_dict(item).get("properties")):
            prop_id, value = _dict(prop).get("id"), _dict(prop).get("value")
            if prop_id in OVERRIDE_PROPERTIES:
                values[OVERRIDE_PROPERTIES[prop_id]] = value
            elif prop_id == "color" and _dict(value).get("mode") == "fixed":
                values["color"] = _dict(value).get("fixedColor", "")
            else:
                ctx.note(f"override of {target!r}: property {prop_id!r} not carried over")
        if len(values) > 1:
            out.append(Call(ctx.cls("Override"), (), kwargs_node(values)))
    return tuple(out)


def links(ctx: PanelContext, items: Any) -> tuple[Call, ...]:
    out = []
    for link in _list(items):
        link = _dict(link)
        values = keyword_args(
            _LinkDefaults,
            {
                "tooltip": str(link.get("tooltip") or ""),
                "new_tab": bool(link.get("targetBlank")),
                "keep_time": bool(link.get("keepTime")),
                "include_vars": bool(link.get("includeVars")),
            },
        )
        args = (py(str(link.get("title", ""))), py(str(link.get("url", ""))))
        out.append(Call(ctx.cls("Link"), args, kwargs_node(values)))
    return tuple(out)


@dataclass
class _LinkDefaults:
    tooltip: str = ""
    new_tab: bool = True
    keep_time: bool = False
    include_vars: bool = False


def color(kind: str, config: Any) -> str:
    config = _dict(config)
    mode = str(config.get("mode") or "")
    default = "palette-classic" if kind in ("timeseries", "piechart") else "thresholds"
    if mode == "fixed":
        return str(config.get("fixedColor") or "")
    return "" if mode in ("", default) else mode


# -- queries ----------------------------------------------------------------------------------
def queries(ctx: PanelContext, cls: type[model.Panel], panel: Json) -> tuple[Node, ...]:
    targets = [t for t in _list(panel.get("targets")) if isinstance(t, dict) and t.get("expr")]
    letters = [chr(ord("A") + i) for i in range(len(targets))] if len(targets) <= 26 else []
    explicit_refs = [str(t.get("refId") or "") for t in targets] != letters
    out: list[Node] = []
    for target in targets:
        source = _dict(target.get("datasource")).get("type")
        if (source or _dict(panel.get("datasource")).get("type")) == "loki":
            out.append(_log_query(ctx, target, explicit_refs))
        else:
            out.append(_query(ctx, cls, target, explicit_refs))
    return tuple(out)


def _mode(target: Json) -> str:
    if target.get("instant") and target.get("range"):
        return "both"
    return "instant" if target.get("instant") else "range"


def _query(ctx: PanelContext, cls: type[model.Panel], target: Json, explicit_refs: bool) -> Node:
    mode = _mode(target)
    if mode == "both":
        ctx.note(f"query {target.get('refId')}: runs as both range and instant; kept as range")
        mode = "range"
    values: dict[str, Any] = {}
    if target.get("legendFormat"):
        values["legend"] = str(target["legendFormat"])
    if (mode == "instant") != cls.instant:
        values["instant"] = mode == "instant"
    if explicit_refs:
        values["ref_id"] = str(target.get("refId") or "")
    fmt = str(target.get("format") or "time_series")
    if fmt != cls.query_format:
        values["format"] = fmt
    if target.get("interval"):
        values["interval"] = str(target["interval"])
    if target.get("hide"):
        values["hide"] = True
    # Exemplars default on for latency panels (tracing is on in a default project).
    if "exemplar" in target and bool(target["exemplar"]) != ctx.latency:
        values["exemplars"] = bool(target["exemplar"])
    expression = ctx.expr(str(target["expr"]))
    if not values:
        return expression
    return Call(ctx.cls("Query"), (expression,), kwargs_node(values))


def _log_query(ctx: PanelContext, target: Json, explicit_refs: bool) -> Node:
    values: dict[str, Any] = {"legend": str(target.get("legendFormat") or "")}
    if target.get("queryType") == "instant":
        values["instant"] = True
    if explicit_refs:
        values["ref_id"] = str(target.get("refId") or "")
    if isinstance(target.get("maxLines"), int):
        values["max_lines"] = target["maxLines"]
    kwargs = {k: v for k, v in values.items() if v not in ("", False)}
    return Call(ctx.cls("LogQuery"), (py(str(target["expr"])),), kwargs_node(kwargs))


# -- options of each type ---------------------------------------------------------------------
_LEGEND = {"mode": "list", "placement": "bottom", "calcs": (), "values": ()}  # Legend()'s own


def legend(ctx: PanelContext, options: Json, default: Legend) -> Call | None:
    """The panel's legend, or None when it is the panel type's default one."""
    data = _dict(options.get("legend"))
    pie = bool(default.values)
    values: dict[str, Any] = {
        "mode": "hidden"
        if data.get("showLegend") is False
        else str(data.get("displayMode") or "list"),
        "placement": str(data.get("placement") or "bottom"),
        "calcs": tuple(str(c) for c in _list(data.get("calcs"))),
        "values": tuple(str(v) for v in _list(data.get("values"))) if pie else (),
    }
    wanted = {"mode": default.mode, "placement": default.placement}
    if values == {**wanted, "calcs": tuple(default.calcs), "values": tuple(default.values)}:
        return None
    args = {k: v for k, v in values.items() if v != _LEGEND[k]}
    return Call(ctx.cls("Legend"), (), kwargs_node(args))


def _reduce(ctx: PanelContext, options: Json) -> str:
    calcs = _list(_dict(options.get("reduceOptions")).get("calcs"))
    if len(calcs) > 1:
        ctx.note(f"reduces with {', '.join(map(str, calcs))}; kept {calcs[0]}")
    return str(calcs[0]) if calcs else "lastNotNull"


def type_options(ctx: PanelContext, kind: str, panel: Json) -> dict[str, Any]:
    options = _dict(panel.get("options"))
    custom = _dict(_dict(_dict(panel.get("fieldConfig")).get("defaults")).get("custom"))
    handler = _TYPE_OPTIONS.get(kind)
    return handler(ctx, options, custom) if handler else {}


def _timeseries(ctx: PanelContext, options: Json, custom: Json) -> dict[str, Any]:
    scale = _dict(custom.get("scaleDistribution"))
    stacking = str(_dict(custom.get("stacking")).get("mode") or "none")
    if stacking == "percent":
        ctx.note("stacks to 100%; stacked as values")
    soft_min = _number(custom.get("axisSoftMin"))
    return {
        "legend": legend(ctx, options, Legend()),
        "tooltip": str(_dict(options.get("tooltip")).get("mode") or "single"),
        "stack": stacking != "none",
        "fill": int(_number(custom.get("fillOpacity")) or 0),
        "draw": str(custom.get("drawStyle") or "line"),
        "line_width": int(_number(custom.get("lineWidth")) or 1),
        "soft_min": soft_min,
        "log_base": int(_number(scale.get("log")) or 0) if scale.get("type") == "log" else 0,
        "show_thresholds": str(_dict(custom.get("thresholdsStyle")).get("mode") or "off"),
    }


def _stat(ctx: PanelContext, options: Json, custom: Json) -> dict[str, Any]:
    return {
        "graph": str(options.get("graphMode") or "area"),
        "color_mode": str(options.get("colorMode") or "value"),
        "reduce": _reduce(ctx, options),
        "text_mode": str(options.get("textMode") or "auto"),
    }


def _gauge(ctx: PanelContext, options: Json, custom: Json) -> dict[str, Any]:
    return {
        "reduce": _reduce(ctx, options),
        "show_markers": bool(options.get("showThresholdMarkers", True)),
    }


def _bargauge(ctx: PanelContext, options: Json, custom: Json) -> dict[str, Any]:
    return {
        "display": str(options.get("displayMode") or "gradient"),
        "orientation": str(options.get("orientation") or "auto"),
        "reduce": _reduce(ctx, options),
    }


def _piechart(ctx: PanelContext, options: Json, custom: Json) -> dict[str, Any]:
    return {
        "pie": str(options.get("pieType") or "pie"),
        "legend": legend(ctx, options, _PIE_LEGEND),
        "reduce": _reduce(ctx, options),
    }


def _heatmap(ctx: PanelContext, options: Json, custom: Json) -> dict[str, Any]:
    return {"scheme": str(_dict(options.get("color")).get("scheme") or "Oranges")}


def _text(ctx: PanelContext, options: Json, custom: Json) -> dict[str, Any]:
    return {
        "content": str(options.get("content") or ""),
        "mode": str(options.get("mode") or "markdown"),
    }


def _logs(ctx: PanelContext, options: Json, custom: Json) -> dict[str, Any]:
    return {
        "show_time": bool(options.get("showTime", False)),
        "wrap": bool(options.get("wrapLogMessage", False)),
        "details": bool(options.get("enableLogDetails", True)),
        "newest_first": options.get("sortOrder", "Descending") == "Descending",
        "dedup": str(options.get("dedupStrategy") or "none"),
    }


def _state_timeline(ctx: PanelContext, options: Json, custom: Json) -> dict[str, Any]:
    return {
        "legend": legend(ctx, options, Legend()),
        "merge_values": bool(options.get("mergeValues", True)),
        "show_value": str(options.get("showValue") or "auto"),
        "row_height": float(_number(options.get("rowHeight")) or 0.9),
    }


_PIE_LEGEND = Legend("table", "right", values=("value", "percent"))
_TYPE_OPTIONS: dict[str, Callable[[PanelContext, Json, Json], dict[str, Any]]] = {
    "timeseries": _timeseries,
    "stat": _stat,
    "gauge": _gauge,
    "bargauge": _bargauge,
    "piechart": _piechart,
    "heatmap": _heatmap,
    "text": _text,
    "logs": _logs,
    "state-timeline": _state_timeline,
}


def table_options(ctx: PanelContext, panel: Json) -> dict[str, Any]:
    options = _dict(panel.get("options"))
    sort = [s for s in _list(options.get("sortBy")) if isinstance(s, dict)]
    hidden: tuple[str, ...] = ()
    renamed: dict[str, str] = {}
    for transformation in _list(panel.get("transformations")):
        kind = _dict(transformation).get("id")
        settings = _dict(_dict(transformation).get("options"))
        if kind == "organize":
            hidden = tuple(k for k, v in _dict(settings.get("excludeByName")).items() if v)
            renamed = {str(k): str(v) for k, v in _dict(settings.get("renameByName")).items()}
            if settings.get("indexByName"):
                ctx.note("table column order (organize indexByName) not carried over")
        elif kind != "merge":
            ctx.note(f"table transformation {kind!r} not carried over")
    return {
        "sort_by": str(sort[0].get("displayName", "")) if sort else "",
        "sort_desc": bool(sort[0].get("desc", False)) if sort else True,
        "hide_columns": hidden,
        "rename": renamed,
    }


# -- the panel --------------------------------------------------------------------------------
def panel_call(
    ctx: PanelContext,
    panel: Json,
    key: str = "",
    place: Callable[[int, int], int | None] = lambda width, height: None,
) -> Call | None:
    """The model call of a panel, or None (with a note) for a type the model has not.

    ``place`` lays the panel out at its size and says the column it must name, if any.
    """
    kind = str(panel.get("type") or "")
    cls = CLASSES.get(kind)
    if cls is None:
        ctx.note(f"panel type {kind!r} has no sarkmon panel class; left out")
        return None
    defaults = _dict(_dict(panel.get("fieldConfig")).get("defaults"))
    grid = _dict(panel.get("gridPos"))
    unit = str(defaults.get("unit") or "")
    if kind == "heatmap":
        unit = str(_dict(_dict(panel.get("options")).get("yAxis")).get("unit") or unit)
    ctx.latency = kind in ("timeseries", "heatmap") and unit in TIME_UNITS
    values: dict[str, Any] = {
        "queries": queries(ctx, cls, panel),
        "description": str(panel.get("description") or ""),
        "unit": unit,
        "decimals": defaults.get("decimals") if isinstance(defaults.get("decimals"), int) else None,
        "min": _number(defaults.get("min")),
        "max": _number(defaults.get("max")),
        "thresholds": thresholds(ctx, kind, defaults.get("thresholds")),
        "mappings": mappings(ctx, defaults.get("mappings")),
        "overrides": overrides(ctx, _dict(panel.get("fieldConfig")).get("overrides")),
        "links": links(ctx, panel.get("links")),
        "color": color(kind, defaults.get("color")),
        "no_value": str(defaults.get("noValue") or ""),
        "width": int(grid.get("w") or 0) if int(grid.get("w") or 0) != cls.size[0] else 0,
        "height": int(grid.get("h") or 0) if int(grid.get("h") or 0) != cls.size[1] else 0,
        "column": place(
            int(grid.get("w") or 0) or cls.size[0], int(grid.get("h") or 0) or cls.size[1]
        ),
        "key": key,
        "time_from": str(panel.get("timeFrom") or ""),
        "interval": str(panel.get("interval") or ""),
    }
    if kind == "text":
        values.pop("queries")
    values.update(type_options(ctx, kind, panel))
    if kind == "table":
        values.update(table_options(ctx, panel))
    if panel.get("repeat"):
        ctx.note(f"repeats for each value of ${panel['repeat']}; not carried over")
    if values.get("legend", Legend()) is None:
        del values["legend"]
    kwargs = keyword_args(cls, values)
    title = str(panel.get("title") or "")
    if not title:  # sarkmon's dashboard schema wants every panel titled
        title = cls.__name__
        ctx.name = f"panel {title!r}"
        ctx.note(f"has no title; titled {title!r}")
    return Call(ctx.cls(cls.__name__), (py(title),), kwargs_node(kwargs))
