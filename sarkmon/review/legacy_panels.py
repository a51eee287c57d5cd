"""Old Grafana panel types in today's shape: graph, singlestat, the old table, the piechart
plugin, the old heatmap and text panels, as Grafana converts them when it loads them.

:func:`modern_panel` returns the panel as a modern one (``fieldConfig`` and ``options``)
and appends to ``notes`` every setting that has no modern equivalent.
"""

from __future__ import annotations

import copy
from typing import Any

Json = dict[str, Any]

# Keys every panel type shares, carried over as they are.
COMMON_KEYS = (
    "id",
    "title",
    "description",
    "gridPos",
    "targets",
    "datasource",
    "links",
    "interval",
    "timeFrom",
    "timeShift",
    "transparent",
    "repeat",
    "repeatDirection",
    "maxPerRow",
    "transformations",
)
# Old reducers (singlestat valueName, legend values) and their modern names.
REDUCERS = {
    "current": "lastNotNull",
    "avg": "mean",
    "min": "min",
    "max": "max",
    "total": "sum",
    "first": "firstNotNull",
    "delta": "delta",
    "diff": "diff",
    "range": "range",
    "name": "lastNotNull",
    "last_time": "lastNotNull",
}
THRESHOLD_COLORS = {"critical": "red", "warning": "orange", "ok": "green"}


def is_legacy_panel(panel: Json) -> bool:
    kind = panel.get("type")
    if kind in ("graph", "singlestat", "grafana-singlestat-panel", "grafana-piechart-panel"):
        return True
    if kind == "table" and "fieldConfig" not in panel and ("styles" in panel or "columns" in panel):
        return True
    if kind == "text" and "content" in panel and "options" not in panel:
        return True
    return kind == "heatmap" and ("dataFormat" in panel or "cards" in panel)


# -- panels -----------------------------------------------------------------------------------
def modern_panel(panel: Json, notes: list[str]) -> Json:
    """The panel in modern form; a modern panel is returned as it is."""
    if not is_legacy_panel(panel):
        return panel
    kind = panel.get("type")
    name = f"panel {panel.get('title', '')!r}"
    if kind == "graph":
        return _graph(panel, name, notes)
    if kind in ("singlestat", "grafana-singlestat-panel"):
        return _singlestat(panel, name, notes)
    if kind == "grafana-piechart-panel":
        return _piechart(panel, name, notes)
    if kind == "table":
        return _table(panel, name, notes)
    if kind == "heatmap":
        return _heatmap(panel, name, notes)
    return _text(panel)


def _common(panel: Json, kind: str) -> Json:
    out = {k: copy.deepcopy(panel[k]) for k in COMMON_KEYS if k in panel}
    out["type"] = kind
    return out


def _dict(value: Any) -> Json:
    return value if isinstance(value, dict) else {}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _exact(value: float) -> int | float:
    return int(value) if value.is_integer() else value


def _defaults(out: Json) -> Json:
    config = out.setdefault("fieldConfig", {"defaults": {}, "overrides": []})
    defaults: Json = config.setdefault("defaults", {})
    config.setdefault("overrides", [])
    return defaults


def _ignored(panel: Json, name: str, notes: list[str], keys: dict[str, Any]) -> None:
    """Note every set key of ``keys`` (key -> its meaningless default) the panel carries."""
    for key, default in keys.items():
        value = panel.get(key)
        if value is not None and value != default and value not in ("", [], {}):
            notes.append(f"{name}: {panel.get('type')} option {key!r} ({value!r}) not migrated")


def _graph(panel: Json, name: str, notes: list[str]) -> Json:
    out = _common(panel, "timeseries")
    defaults = _defaults(out)
    axes = [a for a in panel.get("yaxes") or [] if isinstance(a, dict)] or [{}]
    left = axes[0]
    if left.get("format"):
        defaults["unit"] = left["format"]
    for key in ("min", "max"):
        value = _number(left.get(key))
        if value is not None:
            defaults[key] = _exact(value)
    decimals = panel.get("decimals", left.get("decimals"))
    if isinstance(decimals, int):
        defaults["decimals"] = decimals
    draw = "bars" if panel.get("bars") else "line"
    if panel.get("points") and not panel.get("lines", True) and not panel.get("bars"):
        draw = "points"
    stack = "percent" if panel.get("percentage") else "normal" if panel.get("stack") else "none"
    custom: Json = {
        "drawStyle": draw,
        "fillOpacity": int(_number(panel.get("fill", 1)) or 0) * 10,
        "lineWidth": int(_number(panel.get("linewidth", 1)) or 1),
        "stacking": {"group": "A", "mode": stack},
    }
    log = int(_number(left.get("logBase")) or 1)
    custom["scaleDistribution"] = {"log": log, "type": "log"} if log > 1 else {"type": "linear"}
    if panel.get("nullPointMode") == "connected":
        custom["spanNulls"] = True
    if panel.get("steppedLine"):
        custom["lineInterpolation"] = "stepAfter"
    thresholds, style = _graph_thresholds(panel.get("thresholds"), name, notes)
    if thresholds:
        defaults["thresholds"] = thresholds
        custom["thresholdsStyle"] = {"mode": style}
    defaults["custom"] = custom
    out["options"] = {"legend": _graph_legend(panel.get("legend")), "tooltip": _tooltip(panel)}
    out["fieldConfig"]["overrides"] = _series_overrides(panel, axes, name, notes)
    _ignored(
        panel,
        name,
        notes,
        {"dashes": False, "percentage": False, "timeRegions": [], "fillGradient": 0},
    )
    if isinstance(panel.get("xaxis"), dict) and panel["xaxis"].get("mode") not in (None, "time"):
        notes.append(f"{name}: graph x axis mode {panel['xaxis']['mode']!r} not migrated")
    return out


def _graph_legend(legend: Any) -> Json:
    legend = legend if isinstance(legend, dict) else {}
    calcs = []
    if legend.get("values"):
        for old in ("avg", "min", "max", "current", "total"):
            if legend.get(old):
                calcs.append(REDUCERS[old])
    return {
        "calcs": calcs,
        "displayMode": "table" if legend.get("alignAsTable") else "list",
        "placement": "right" if legend.get("rightSide") else "bottom",
        "showLegend": bool(legend.get("show", True)),
    }


def _tooltip(panel: Json) -> Json:
    tooltip = _dict(panel.get("tooltip"))
    sort = {1: "asc", 2: "desc"}.get(int(tooltip.get("sort") or 0), "none")
    return {"mode": "multi" if tooltip.get("shared", True) else "single", "sort": sort}


def _graph_thresholds(items: Any, name: str, notes: list[str]) -> tuple[Json | None, str]:
    """Graph thresholds (lines and bands above or below a value) as threshold steps."""
    rules = [t for t in items or [] if isinstance(t, dict) and _number(t.get("value")) is not None]
    if not rules:
        return None, "off"
    ops = {t.get("op", "gt") for t in rules}
    base = "transparent"
    steps: list[Json] = []
    for rule in sorted(rules, key=lambda t: _number(t.get("value")) or 0.0):
        color = THRESHOLD_COLORS.get(rule.get("colorMode", ""), "")
        color = color or rule.get("fillColor") or rule.get("lineColor") or "red"
        value = _exact(_number(rule["value"]) or 0.0)
        if rule.get("op", "gt") == "lt":
            base = color if not steps else base
            steps.append({"color": "transparent", "value": value})
        else:
            steps.append({"color": color, "value": value})
    if len(ops) > 1:
        notes.append(f"{name}: graph thresholds mix 'gt' and 'lt'; bands approximated")
    line = any(t.get("line", True) for t in rules)
    fill = any(t.get("fill", True) for t in rules)
    style = "line+area" if line and fill else "area" if fill else "line"
    return {"mode": "absolute", "steps": [{"color": base, "value": None}, *steps]}, style


def _series_overrides(panel: Json, axes: list[Json], name: str, notes: list[str]) -> list[Json]:
    out: list[Json] = []
    right_unit = axes[1].get("format") if len(axes) > 1 else None
    for item in panel.get("seriesOverrides") or []:
        if not isinstance(item, dict) or not item.get("alias"):
            continue
        properties: list[Json] = []
        for key, value in item.items():
            if key == "alias":
                continue
            if key == "yaxis" and value == 2:
                properties.append({"id": "custom.axisPlacement", "value": "right"})
                if right_unit:
                    properties.append({"id": "unit", "value": right_unit})
            elif key == "color" and isinstance(value, str):
                properties.append({"id": "color", "value": {"fixedColor": value, "mode": "fixed"}})
            else:
                notes.append(
                    f"{name}: series override {item['alias']!r}: {key}={value!r} not migrated"
                )
        if properties:
            out.append({"matcher": _series_matcher(item["alias"]), "properties": properties})
    for alias, color in sorted((panel.get("aliasColors") or {}).items()):
        if isinstance(color, str):
            out.append(
                {
                    "matcher": {"id": "byName", "options": alias},
                    "properties": [
                        {"id": "color", "value": {"fixedColor": color, "mode": "fixed"}}
                    ],
                }
            )
    return out


def _series_matcher(alias: str) -> Json:
    if len(alias) > 2 and alias.startswith("/") and alias.endswith("/"):
        return {"id": "byRegexp", "options": alias[1:-1]}
    return {"id": "byName", "options": alias}


def _singlestat(panel: Json, name: str, notes: list[str]) -> Json:
    gauge = _dict(panel.get("gauge"))
    kind = "gauge" if gauge.get("show") else "stat"
    out = _common(panel, kind)
    defaults = _defaults(out)
    if panel.get("format") and panel["format"] != "none":
        defaults["unit"] = panel["format"]
    if isinstance(panel.get("decimals"), int):
        defaults["decimals"] = panel["decimals"]
    if kind == "gauge":
        for key, old in (("min", "minValue"), ("max", "maxValue")):
            value = _number(gauge.get(old))
            if value is not None:
                defaults[key] = _exact(value)
    thresholds = _stat_thresholds(panel.get("thresholds"), panel.get("colors"))
    if thresholds:
        defaults["thresholds"] = thresholds
    mappings = _stat_mappings(panel)
    if mappings:
        defaults["mappings"] = mappings
    reducer = REDUCERS.get(str(panel.get("valueName", "avg")), "mean")
    reduce = {"calcs": [reducer], "fields": "", "values": False}
    if kind == "gauge":
        out["options"] = {
            "reduceOptions": reduce,
            "showThresholdMarkers": bool(gauge.get("thresholdMarkers", True)),
            "showThresholdLabels": bool(gauge.get("thresholdLabels", False)),
        }
    else:
        color = "background" if panel.get("colorBackground") else "value"
        if not (panel.get("colorBackground") or panel.get("colorValue")):
            color = "none"
        sparkline = _dict(panel.get("sparkline"))
        out["options"] = {
            "colorMode": color,
            "graphMode": "area" if sparkline.get("show") else "none",
            "reduceOptions": reduce,
            "textMode": "auto",
        }
    _ignored(
        panel,
        name,
        notes,
        {"prefix": "", "postfix": "", "nullText": None, "tableColumn": ""},
    )
    return out


def _stat_thresholds(text: Any, colors: Any) -> Json | None:
    values = [v.strip() for v in str(text or "").split(",") if v.strip()]
    numbers = [_number(v) for v in values]
    colors = [c for c in colors or [] if isinstance(c, str)]
    if not numbers or any(n is None for n in numbers) or len(colors) < len(numbers) + 1:
        return None
    steps: list[Json] = [{"color": colors[0], "value": None}]
    steps += [{"color": colors[i + 1], "value": _exact(n or 0.0)} for i, n in enumerate(numbers)]
    return {"mode": "absolute", "steps": steps}


def _stat_mappings(panel: Json) -> list[Json]:
    values: Json = {}
    out: list[Json] = []
    for item in panel.get("valueMaps") or []:
        if not isinstance(item, dict) or item.get("text") in (None, ""):
            continue
        value, text = str(item.get("value")), str(item["text"])
        if value == "null":
            if text != "N/A":  # every singlestat carries null -> N/A
                out.append(
                    {"type": "special", "options": {"match": "null", "result": {"text": text}}}
                )
        else:
            values[value] = {"text": text}
    for item in panel.get("rangeMaps") or []:
        if not isinstance(item, dict) or item.get("text") in (None, ""):
            continue
        start, end = _number(item.get("from")), _number(item.get("to"))
        if start is None and end is None:
            continue
        bounds = {
            "from": None if start is None else _exact(start),
            "to": None if end is None else _exact(end),
        }
        out.append({"type": "range", "options": {**bounds, "result": {"text": str(item["text"])}}})
    for index, mapping in enumerate(out):
        mapping["options"]["result"]["index"] = index + (1 if values else 0)
    if values:
        for index, key in enumerate(values):
            values[key]["index"] = index
        out.insert(0, {"type": "value", "options": values})
    return out


def _piechart(panel: Json, name: str, notes: list[str]) -> Json:
    out = _common(panel, "piechart")
    defaults = _defaults(out)
    if panel.get("format") and panel["format"] != "none":
        defaults["unit"] = panel["format"]
    legend = _dict(panel.get("legend"))
    values = [k for k in ("values", "percentage") if legend.get(k)]
    reducer = REDUCERS.get(str(panel.get("valueName", "current")), "lastNotNull")
    out["options"] = {
        "pieType": "donut" if panel.get("pieType") == "donut" else "pie",
        "legend": {
            "calcs": [],
            "displayMode": "table" if values else "list",
            "placement": "right" if panel.get("legendType") == "Right side" else "bottom",
            "showLegend": bool(legend.get("show", True)) and panel.get("legendType") != "On graph",
            "values": ["value" if v == "values" else "percent" for v in values],
        },
        "reduceOptions": {"calcs": [reducer], "fields": "", "values": False},
    }
    _ignored(panel, name, notes, {"combine": None, "strokeWidth": 1, "fontSize": "80%"})
    return out


def _table(panel: Json, name: str, notes: list[str]) -> Json:
    out = _common(panel, "table")
    defaults = _defaults(out)
    hidden: Json = {}
    renamed: Json = {}
    for style in panel.get("styles") or []:
        if not isinstance(style, dict):
            continue
        pattern = str(style.get("pattern", ""))
        plain = not (pattern.startswith("/") and pattern.endswith("/") and len(pattern) > 1)
        if style.get("type") == "hidden" and plain:
            hidden[pattern] = True
        elif style.get("type") == "number" and pattern == "Value" and style.get("unit"):
            defaults["unit"] = style["unit"]
            if isinstance(style.get("decimals"), int):
                defaults["decimals"] = style["decimals"]
        elif style.get("type") == "date":
            pass  # a date column reads as a date in every modern table
        elif style.get("alias") and plain:
            pass
        else:
            notes.append(f"{name}: table column style {pattern!r} not migrated")
        if style.get("alias") and plain and style.get("alias") != pattern:
            renamed[pattern] = style["alias"]
    transform = panel.get("transform")
    if transform not in (None, "table", "timeseries_to_rows"):
        notes.append(f"{name}: table transform {transform!r} not migrated")
    if hidden or renamed:
        organize = {"excludeByName": hidden, "indexByName": {}, "renameByName": renamed}
        out["transformations"] = [{"id": "organize", "options": organize}]
    sort = _dict(panel.get("sort"))
    if sort.get("col") is not None:
        notes.append(f"{name}: table sort by column {sort['col']} not migrated")
    return out


def _heatmap(panel: Json, name: str, notes: list[str]) -> Json:
    out = _common(panel, "heatmap")
    _defaults(out)
    color = _dict(panel.get("color"))
    scheme = str(color.get("colorScheme") or "interpolateOranges").removeprefix("interpolate")
    y_axis = _dict(panel.get("yAxis"))
    options: Json = {
        "calculate": panel.get("dataFormat") != "tsbuckets",
        "color": {"mode": "scheme", "scheme": scheme},
        "yAxis": {"axisPlacement": "left"},
    }
    if y_axis.get("format") and y_axis["format"] != "short":
        options["yAxis"]["unit"] = y_axis["format"]
    out["options"] = options
    _ignored(panel, name, notes, {"hideZeroBuckets": False, "highlightCards": True})
    return out


def _text(panel: Json) -> Json:
    out = _common(panel, "text")
    out["options"] = {"content": panel.get("content", ""), "mode": panel.get("mode", "markdown")}
    return out
