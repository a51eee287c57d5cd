"""A Grafana dashboard's meaning: its panels, queries, units, thresholds, legends, variables.

:func:`dashboard_facts` reads any dashboard JSON (plain or wrapped in ``{"dashboard": ...}``,
old schema versions included) into :class:`DashboardFacts`. Only what a viewer sees or a
query depends on is kept; ids aside, equal facts mean dashboards that look and query alike.
Values are kept as short display texts (``"0.8 orange"``), so comparing and reporting them
need nothing more.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sarkmon.review.exprs import expr, number_text
from sarkmon.review.legacy import modernize

Json = dict[str, Any]

# Panel types whose values are colored by thresholds unless told otherwise: Grafana gives
# them green with red from 80 when the JSON has no thresholds.
THRESHOLD_COLORED = frozenset({"stat", "gauge", "bargauge"})
GRAFANA_DEFAULT_THRESHOLDS = ("green", "80 red")
LEGEND_TYPES = frozenset({"timeseries", "state-timeline", "piechart", "barchart", "histogram"})


@dataclass(frozen=True)
class QueryFacts:
    ref_id: str
    expr: str  # as written
    legend: str = ""
    mode: str = "range"  # range | instant | both
    hide: bool = False
    kind: str = ""  # the datasource type: prometheus, loki, ... ("" when inherited)
    format: str = "time_series"
    interval: str = ""

    @property
    def canon(self) -> str:
        return expr(self.expr).canon if self.kind in ("", "prometheus") else self.expr.strip()


@dataclass(frozen=True)
class PanelFacts:
    id: int | None
    title: str
    type: str
    row: str = ""  # the title of the row it sits in; "" above the first row
    grid: tuple[int, int, int, int] = (0, 0, 0, 0)  # x, y, w, h
    unit: str = ""
    decimals: str = ""
    min: str = ""
    max: str = ""
    thresholds: tuple[str, ...] = ()
    mappings: tuple[str, ...] = ()
    legend: str = ""
    description: str = ""
    links: tuple[str, ...] = ()
    queries: tuple[QueryFacts, ...] = ()
    content: str = ""  # text panels

    @property
    def position(self) -> str:
        x, y, w, h = self.grid
        return f"x={x} y={y} w={w} h={h}"

    @property
    def query_key(self) -> tuple[str, ...]:
        """What the panel queries, independent of its name and place (to spot renames)."""
        return tuple(sorted(q.canon for q in self.queries))


@dataclass(frozen=True)
class VariableFacts:
    name: str
    type: str
    query: str = ""
    label: str = ""
    default: str = ""
    multi: bool = False
    include_all: bool = False
    all_value: str = ""
    regex: str = ""
    hide: int = 0
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class DashboardFacts:
    path: str
    uid: str
    title: str
    tags: tuple[str, ...] = ()
    description: str = ""
    refresh: str = ""
    time: str = ""
    shared_crosshair: bool = False
    links: tuple[str, ...] = ()
    variables: Mapping[str, VariableFacts] = field(default_factory=dict)
    annotations: Mapping[str, str] = field(default_factory=dict)  # name -> expression
    panels: tuple[PanelFacts, ...] = ()
    notes: tuple[str, ...] = ()  # what the modern form could not carry over from old JSON

    @property
    def folder(self) -> str:
        """The folder directory a provisioned dashboard file sits in."""
        parts = self.path.split("/")
        return parts[-2] if len(parts) > 1 else ""

    @property
    def name(self) -> str:
        return f"{self.title} ({self.uid})" if self.uid else self.title


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number_text(float(value))
    return str(value)


def _dict(value: Any) -> Json:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def dashboard_facts(doc: Json, path: str = "") -> DashboardFacts:
    """The facts of a dashboard document (unwrapped: see ``unwrap_dashboard``)."""
    modern, notes = modernize(doc)
    panels: list[PanelFacts] = []
    row = ""
    for item in sorted(
        (p for p in _list(modern.get("panels")) if isinstance(p, dict)), key=_reading_order
    ):
        if item.get("type") == "row":
            row = _text(item.get("title"))
            panels.extend(
                panel_facts(p, row)
                for p in sorted(_list(item.get("panels")), key=_reading_order)
                if isinstance(p, dict)
            )
            continue
        panels.append(panel_facts(item, row))
    time = _dict(modern.get("time"))
    variables = [variable_facts(v) for v in _list(_dict(modern.get("templating")).get("list"))]
    annotations = {
        _text(a.get("name")): _text(a.get("expr"))
        for a in _list(_dict(modern.get("annotations")).get("list"))
        if isinstance(a, dict) and not a.get("builtIn")
    }
    return DashboardFacts(
        path=path,
        uid=_text(modern.get("uid")),
        title=_text(modern.get("title")),
        tags=tuple(_text(t) for t in _list(modern.get("tags"))),
        description=_text(modern.get("description")),
        refresh=_text(modern.get("refresh") or ""),
        time=f"{_text(time.get('from') or 'now-6h')} to {_text(time.get('to') or 'now')}",
        shared_crosshair=bool(modern.get("graphTooltip")),
        links=tuple(_link(link) for link in _list(modern.get("links")) if isinstance(link, dict)),
        variables={v.name: v for v in variables if v is not None},
        annotations=annotations,
        panels=tuple(panels),
        notes=tuple(notes),
    )


def _reading_order(panel: Any) -> tuple[int, int]:
    grid = _dict(panel.get("gridPos")) if isinstance(panel, dict) else {}
    return (int(grid.get("y") or 0), int(grid.get("x") or 0))


def _link(link: Json) -> str:
    if link.get("type") == "dashboards":
        tags = ", ".join(map(str, link.get("tags") or []))
        return f"{_text(link.get('title'))}: dashboards tagged {tags}"
    return f"{_text(link.get('title'))} -> {_text(link.get('url'))}"


def panel_facts(panel: Json, row: str = "") -> PanelFacts:
    kind = _text(panel.get("type"))
    defaults = _dict(_dict(panel.get("fieldConfig")).get("defaults"))
    options = _dict(panel.get("options"))
    grid = _dict(panel.get("gridPos"))
    unit = _text(defaults.get("unit"))
    if kind == "heatmap" and not unit:
        unit = _text(_dict(options.get("yAxis")).get("unit"))
    source = _dict(panel.get("datasource")).get("type") or ""
    queries = tuple(
        query_facts(t, kind, _text(source))
        for t in _list(panel.get("targets"))
        if isinstance(t, dict) and _text(t.get("expr")).strip()
    )
    return PanelFacts(
        id=panel.get("id") if isinstance(panel.get("id"), int) else None,
        title=_text(panel.get("title")),
        type=kind,
        row=row,
        grid=tuple(int(grid.get(k) or 0) for k in ("x", "y", "w", "h")),  # type: ignore[arg-type]
        unit=unit,
        decimals=_text(defaults.get("decimals")),
        min=_text(defaults.get("min")),
        max=_text(defaults.get("max")),
        thresholds=thresholds_facts(kind, defaults.get("thresholds")),
        mappings=tuple(mapping_texts(defaults.get("mappings"))),
        legend=_legend(kind, options.get("legend")),
        description=_text(panel.get("description")),
        links=tuple(_link(link) for link in _list(panel.get("links")) if isinstance(link, dict)),
        queries=queries,
        content=_text(options.get("content")) if kind == "text" else "",
    )


def query_facts(target: Json, panel_type: str = "", source: str = "") -> QueryFacts:
    instant, ranged = target.get("instant"), target.get("range")
    if target.get("queryType") in ("instant", "range"):  # Loki says it this way
        mode = str(target["queryType"])
    elif instant and ranged:
        mode = "both"
    else:
        mode = "instant" if instant else "range"
    kind = _text(_dict(target.get("datasource")).get("type")) or source
    return QueryFacts(
        ref_id=_text(target.get("refId")),
        expr=_text(target.get("expr")),
        legend=_text(target.get("legendFormat")),
        mode=mode,
        hide=bool(target.get("hide")),
        kind=kind,
        format=_text(target.get("format")) or "time_series",
        interval=_text(target.get("interval")),
    )


def thresholds_facts(panel_type: str, config: Any) -> tuple[str, ...]:
    """Threshold steps as texts: the base color, then ``"<value> <color>"`` per step.

    A base color alone colors nothing but the whole value: for panels that do not color
    by thresholds it is no threshold at all, and reads as none.
    """
    config = _dict(config)
    steps = [s for s in _list(config.get("steps")) if isinstance(s, dict)]
    if not steps:
        return GRAFANA_DEFAULT_THRESHOLDS if panel_type in THRESHOLD_COLORED else ()
    out = [_text(steps[0].get("color"))]
    out += [f"{_text(s.get('value'))} {_text(s.get('color'))}" for s in steps[1:]]
    if len(out) == 1 and panel_type not in THRESHOLD_COLORED:
        return ()
    if config.get("mode") == "percentage":
        out[0] = "percentage: " + out[0]
    return tuple(out)


def mapping_texts(mappings: Any) -> list[str]:
    out = []
    for mapping in _list(mappings):
        if not isinstance(mapping, dict):
            continue
        options = _dict(mapping.get("options"))
        kind = mapping.get("type")
        if kind == "value":
            for value, result in options.items():
                out.append(f"{value} -> {_result(result)}")
        elif kind == "range":
            start, end = _text(options.get("from")) or "-inf", _text(options.get("to")) or "+inf"
            out.append(f"{start}..{end} -> {_result(options.get('result'))}")
        elif kind in ("special", "regex"):
            what = options.get("match") if kind == "special" else options.get("pattern")
            out.append(f"{kind} {_text(what)} -> {_result(options.get('result'))}")
    return out


def _result(result: Any) -> str:
    result = _dict(result)
    color = _text(result.get("color"))
    return _text(result.get("text")) + (f" ({color})" if color else "")


def _legend(panel_type: str, legend: Any) -> str:
    if panel_type not in LEGEND_TYPES:
        return ""
    legend = _dict(legend)
    if legend.get("showLegend") is False or legend.get("displayMode") == "hidden":
        return "hidden"
    text = f"{legend.get('displayMode') or 'list'}, {legend.get('placement') or 'bottom'}"
    calcs = [_text(c) for c in _list(legend.get("calcs"))]
    values = [_text(v) for v in _list(legend.get("values"))]
    if calcs or values:
        text += ": " + ", ".join(calcs + values)
    return text


def variable_facts(variable: Any) -> VariableFacts | None:
    if not isinstance(variable, dict) or not variable.get("name"):
        return None
    kind = _text(variable.get("type"))
    query = variable.get("query")
    if isinstance(query, dict):
        query = query.get("query")
    current = _dict(variable.get("current"))
    options = tuple(
        _text(o.get("value")) for o in _list(variable.get("options")) if isinstance(o, dict)
    )
    if kind in ("custom", "interval") and not options:
        options = tuple(v.strip() for v in _text(query).split(",") if v.strip())
    default = ""
    if kind in ("custom", "interval", "constant", "textbox"):
        value = current.get("value")
        default = _text(value[0] if isinstance(value, list) and value else value)
        default = default or (options[0] if options else "")
    return VariableFacts(
        name=_text(variable.get("name")),
        type=kind,
        query=" ".join(_text(query).split()),
        label=_text(variable.get("label")),
        default=default,
        multi=bool(variable.get("multi")),
        include_all=bool(variable.get("includeAll")),
        all_value=_text(variable.get("allValue")) if variable.get("includeAll") else "",
        regex=_text(variable.get("regex")),
        hide=int(variable.get("hide") or 0),
        options=options if kind in ("custom", "interval") else (),
    )
