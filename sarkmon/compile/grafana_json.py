"""Clean dashboard JSON: what grafanalib writes, made into what modern Grafana writes.

grafanalib targets old Grafana: it writes nulls for every unset field, legacy keys (``rows``,
``style``, ``sharedCrosshair``, ``span``...), ``query`` beside every ``expr``, thresholds as
``"steps": ""`` or with ``"value": "null"`` strings, and per-type option blocks Grafana 8
dropped. This module keeps, for each object, only the keys the target schema knows, and
writes the result with sorted keys so that equal dashboards are equal bytes.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from typing import Any

from sarkmon.compile.json_text import dump_json

Json = dict[str, Any]

DASHBOARD_KEYS = frozenset(
    {
        "annotations",
        "description",
        "editable",
        "fiscalYearStartMonth",
        "graphTooltip",
        "links",
        "liveNow",
        "panels",
        "refresh",
        "schemaVersion",
        "tags",
        "templating",
        "time",
        "timepicker",
        "timezone",
        "title",
        "uid",
        "weekStart",
    }
)
PANEL_KEYS = frozenset(
    {
        "datasource",
        "description",
        "fieldConfig",
        "gridPos",
        "id",
        "interval",
        "links",
        "maxPerRow",
        "options",
        "repeat",
        "repeatDirection",
        "targets",
        "timeFrom",
        "timeShift",
        "title",
        "transformations",
        "transparent",
        "type",
    }
)
ROW_KEYS = frozenset(
    {"collapsed", "datasource", "gridPos", "id", "panels", "repeat", "title", "type"}
)
FIELD_KEYS = frozenset(
    {
        "color",
        "custom",
        "decimals",
        "description",
        "displayName",
        "filterable",
        "links",
        "mappings",
        "max",
        "min",
        "noValue",
        "thresholds",
        "unit",
    }
)
TARGET_DROP = frozenset({"query", "target", "metric", "step", "intervalFactor"})
VARIABLE_DROP = frozenset({"useTags", "tagsQuery", "tagValuesQuery", "tags"})
# Keys left out when empty: Grafana's default is the same and the JSON stays short.
OPTIONAL_EMPTY = frozenset(
    {
        "allValue",
        "description",
        "interval",
        "legendFormat",
        "links",
        "mappings",
        "regex",
        "tags",
        "timeFrom",
        "transformations",
    }
)
# Options each visualization has (Grafana's per-panel schemas); grafanalib's others go.
OPTION_KEYS: dict[str, frozenset[str]] = {
    "timeseries": frozenset({"legend", "tooltip", "timezone", "orientation"}),
    "stat": frozenset(
        {
            "colorMode",
            "graphMode",
            "justifyMode",
            "orientation",
            "percentChangeColorMode",
            "reduceOptions",
            "showPercentChange",
            "text",
            "textMode",
            "wideLayout",
        }
    ),
    "gauge": frozenset(
        {
            "minVizHeight",
            "minVizWidth",
            "orientation",
            "reduceOptions",
            "showThresholdLabels",
            "showThresholdMarkers",
            "sizing",
            "text",
        }
    ),
    "bargauge": frozenset(
        {
            "displayMode",
            "legend",
            "maxVizHeight",
            "minVizHeight",
            "minVizWidth",
            "namePlacement",
            "orientation",
            "reduceOptions",
            "showUnfilled",
            "sizing",
            "text",
            "valueMode",
        }
    ),
    "table": frozenset({"cellHeight", "footer", "frameIndex", "showHeader", "sortBy"}),
    "piechart": frozenset(
        {"displayLabels", "legend", "orientation", "pieType", "reduceOptions", "text", "tooltip"}
    ),
    "heatmap": frozenset(
        {
            "calculate",
            "calculation",
            "cellGap",
            "cellValues",
            "color",
            "exemplars",
            "filterValues",
            "legend",
            "rowsFrame",
            "selectionMode",
            "showValue",
            "tooltip",
            "yAxis",
        }
    ),
    "text": frozenset({"code", "content", "mode"}),
    "logs": frozenset(
        {
            "dedupStrategy",
            "enableLogDetails",
            "prettifyLogMessage",
            "showCommonLabels",
            "showLabels",
            "showLogContextToggle",
            "showTime",
            "sortOrder",
            "wrapLogMessage",
        }
    ),
    "state-timeline": frozenset(
        {"alignValue", "legend", "mergeValues", "rowHeight", "showValue", "tooltip", "timezone"}
    ),
}
# Where null is Grafana's own encoding (of -Infinity / an open range end), not a gap.
NULL_ALLOWED = frozenset({"value", "from", "to"})


def drop_nulls(value: Any) -> Any:
    """Every None removed, recursively, except where Grafana uses null for infinity."""
    # Leaves are kept as they are without a call: most of a dashboard is leaves.
    if isinstance(value, dict):
        return {
            k: drop_nulls(v) if isinstance(v, dict | list) else v
            for k, v in value.items()
            if v is not None or k in NULL_ALLOWED
        }
    if isinstance(value, list):
        return [drop_nulls(v) if isinstance(v, dict | list) else v for v in value if v is not None]
    return value


def _without_empty(data: Json, keys: Iterable[str] = OPTIONAL_EMPTY) -> Json:
    empty: tuple[object, ...] = ("", [], {})
    return {k: v for k, v in data.items() if not (k in keys and v in empty)}


def clean_thresholds(config: Any) -> Json:
    """Grafana's ``{"mode", "steps": [{"color", "value"}]}``, whatever grafanalib wrote.

    grafanalib writes ``"steps": ""`` when a panel has none and, for its Threshold objects,
    ``"value": "null"`` (a string) plus the legacy ``op``, ``yaxis``, ``line`` and ``index``.
    """
    config = config if isinstance(config, dict) else {}
    steps = config.get("steps")
    cleaned = []
    for step in steps if isinstance(steps, list) else []:
        if not isinstance(step, dict) or "color" not in step:
            continue
        value = step.get("value")
        cleaned.append({"color": step["color"], "value": None if value == "null" else value})
    if not cleaned:
        cleaned = [{"color": "green", "value": None}]
    cleaned[0]["value"] = None  # the base step applies from -Infinity
    return {"mode": config.get("mode") or "absolute", "steps": cleaned}


def clean_target(target: Json, ref_id: str = "") -> Json:
    """A query without grafanalib's duplicates and legacy keys, and always with a refId."""
    out = {k: v for k, v in drop_nulls(target).items() if k not in TARGET_DROP}
    if not out.get("hide"):
        out.pop("hide", None)
    if not out.get("refId"):
        out["refId"] = ref_id or "A"
    return _without_empty(out)


def fill_ref_ids(targets: list[Json]) -> list[Json]:
    """Empty refIds (raw grafanalib panels) get the first letters not already used."""
    used = {t.get("refId") for t in targets if t.get("refId")}
    free = iter(c for c in string.ascii_uppercase if c not in used)
    return [t if t.get("refId") else {**t, "refId": next(free)} for t in targets]


def clean_field_config(config: Any) -> Json:
    """Field defaults Grafana knows; grafanalib's empty units and ``noValue: "none"`` go."""
    config = config if isinstance(config, dict) else {}
    defaults = config.get("defaults") if isinstance(config.get("defaults"), dict) else {}
    kept = {
        k: v
        for k, v in drop_nulls(defaults).items()
        if k in FIELD_KEYS and v != "" and not (k == "noValue" and v == "none")
    }
    if "thresholds" in kept:
        kept["thresholds"] = clean_thresholds(kept["thresholds"])
    custom = kept.get("custom")
    if isinstance(custom, dict):
        # Tables: ``displayMode`` is the pre-10 spelling of ``cellOptions``.
        custom = {k: v for k, v in custom.items() if v != "" and k != "displayMode"}
        scale = custom.get("scaleDistribution")
        if isinstance(scale, dict) and scale.get("type") == "linear":
            custom["scaleDistribution"] = {"type": "linear"}  # a log base means nothing here
    if custom:
        kept["custom"] = custom
    else:
        kept.pop("custom", None)
    overrides = config.get("overrides")
    return {
        "defaults": _without_empty(kept),
        "overrides": drop_nulls(overrides) if isinstance(overrides, list) else [],
    }


def clean_panel(panel: Json) -> Json:
    """One panel (or row) in modern form: known keys only, nothing null, targets cleaned."""
    panel = drop_nulls(panel)
    kind = panel.get("type", "")
    if kind == "row":
        row = {k: v for k, v in panel.items() if k in ROW_KEYS}
        row["panels"] = [clean_panel(p) for p in row.get("panels", [])]
        return row
    out = {k: v for k, v in panel.items() if k in PANEL_KEYS}
    if not out.get("transparent"):
        out.pop("transparent", None)
    if not out.get("repeat"):
        for key in ("repeat", "repeatDirection", "maxPerRow"):
            out.pop(key, None)
    if "targets" in out:
        out["targets"] = fill_ref_ids([clean_target(t) for t in out["targets"]])
        if not out["targets"]:
            del out["targets"]
    if kind != "text":
        out["fieldConfig"] = clean_field_config(out.get("fieldConfig"))
    else:
        out.pop("fieldConfig", None)
    options = out.get("options")
    allowed = OPTION_KEYS.get(kind)
    if isinstance(options, dict) and allowed is not None:
        out["options"] = {k: v for k, v in options.items() if k in allowed and v != []}
    elif not isinstance(options, dict):
        out.pop("options", None)
    return _without_empty(out)


def clean_variable(variable: Json) -> Json:
    out = {k: v for k, v in drop_nulls(variable).items() if k not in VARIABLE_DROP}
    if out.get("type") != "interval" or not out.get("auto"):
        for key in ("auto", "auto_count", "auto_min"):
            out.pop(key, None)
    current = out.get("current")
    if isinstance(current, dict):
        current = {k: v for k, v in current.items() if k in ("selected", "text", "value")}
        if "text" not in current or "value" not in current:
            out.pop("current")
        else:
            out["current"] = current
    if out.get("type") in ("query", "datasource") and not out.get("options"):
        out.pop("options", None)
    if out.get("type") == "datasource":
        for key in ("sort", "includeAll", "multi", "allValue"):
            out.pop(key, None)
    if not out.get("includeAll"):
        out.pop("allValue", None)
    return _without_empty(out)


def clean_dashboard(dashboard: Json) -> Json:
    """The whole dashboard: legacy top-level keys dropped, every part cleaned."""
    out = {k: v for k, v in drop_nulls(dashboard).items() if k in DASHBOARD_KEYS}
    out["panels"] = [clean_panel(p) for p in out.get("panels", [])]
    templating = out.get("templating") or {}
    out["templating"] = {"list": [clean_variable(v) for v in templating.get("list", [])]}
    annotations = out.get("annotations") or {}
    out["annotations"] = {"list": [_without_empty(a) for a in annotations.get("list", [])]}
    # grafanalib's time picker repeats Grafana's defaults (and the legacy time_options).
    picker = out.pop("timepicker", None) or {}
    kept = {k: v for k, v in picker.items() if (k == "hidden" and v) or k == "nowDelay"}
    if kept:
        out["timepicker"] = kept
    if not out.get("refresh"):
        out.pop("refresh", None)
    return _without_empty(out, OPTIONAL_EMPTY - {"tags", "links"})


def dump(document: Json) -> str:
    """Sorted keys, two-space indent, UTF-8 as is, one trailing newline; integral floats as
    ints, so 80.0 and 80 are written the same."""
    return dump_json(document, whole_floats_as_ints=True) + "\n"
