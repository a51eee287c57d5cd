"""Old Grafana dashboards in today's shape: what Grafana itself does when it loads them.

Dashboards saved before schemaVersion 16 keep their panels in ``rows`` sized by ``span``
and pixel heights; ``graph``, ``singlestat``, the old ``table`` and the piechart plugin
kept their settings in per-type keys. :func:`modernize` returns the dashboard as Grafana 10
would show it: panels on the 24-column grid, row panels, time series, stat and gauge
panels with their units, thresholds, mappings and legends in ``fieldConfig`` and
``options``. What has no modern equivalent is listed in the returned notes, so that a
caller never loses it silently.
"""

from __future__ import annotations

import copy
import math
import re
from typing import Any

from sarkmon.review.legacy_panels import is_legacy_panel, modern_panel

Json = dict[str, Any]

GRID_COLUMNS = 24
DEFAULT_ROW_HEIGHT = 250  # pixels, when a row gives none
DEFAULT_SPAN = 4
_CELL_STEP = 38  # a grid unit is 30px high plus an 8px margin
_MIN_PANEL_PX = 90


def is_legacy(doc: Json) -> bool:
    """Whether the dashboard (or one of its panels) is in a pre-grid or plugin-era shape."""
    if isinstance(doc.get("rows"), list) and doc["rows"]:
        return True
    return any(is_legacy_panel(p) for p in _all_panels(doc.get("panels")))


def _all_panels(panels: Any) -> list[Json]:
    out: list[Json] = []
    for panel in panels if isinstance(panels, list) else []:
        if isinstance(panel, dict):
            out.append(panel)
            out.extend(p for p in panel.get("panels") or [] if isinstance(p, dict))
    return out


def modernize(dashboard: Json) -> tuple[Json, list[str]]:
    """The dashboard in modern form (a copy), and what could not be carried over."""
    doc = copy.deepcopy(dashboard)
    notes: list[str] = []
    panels = [p for p in doc.get("panels") or [] if isinstance(p, dict)]
    if isinstance(doc.get("rows"), list):
        panels += _from_rows([r for r in doc.pop("rows") if isinstance(r, dict)], panels)
    out = []
    for panel in panels:
        converted = modern_panel(panel, notes)
        if converted.get("type") == "row":
            converted["panels"] = [
                modern_panel(p, notes) for p in converted.get("panels") or [] if isinstance(p, dict)
            ]
        out.append(converted)
    doc["panels"] = out
    if "sharedCrosshair" in doc and "graphTooltip" not in doc:
        doc["graphTooltip"] = 1 if doc.pop("sharedCrosshair") else 0
    for variable in (doc.get("templating") or {}).get("list") or []:
        if isinstance(variable, dict) and isinstance(variable.get("refresh"), bool):
            variable["refresh"] = 1 if variable["refresh"] else 0
    return doc, notes


# -- rows -------------------------------------------------------------------------------------
def grid_height(height: Any) -> int:
    """A pixel height ("250px", 250) in grid units, as Grafana's migration computes it."""
    if isinstance(height, str):
        found = re.match(r"\s*(\d+)", height)
        height = int(found.group(1)) if found else DEFAULT_ROW_HEIGHT
    pixels = float(height) if isinstance(height, int | float) else float(DEFAULT_ROW_HEIGHT)
    return math.ceil(max(pixels, _MIN_PANEL_PX) / _CELL_STEP)


def _from_rows(rows: list[Json], top: list[Json]) -> list[Json]:
    """Panels of old-style rows on the grid, with row panels when any row shows itself."""
    ids = [p.get("id") for row in rows for p in row.get("panels") or [] if isinstance(p, dict)]
    ids += [p.get("id") for p in top]
    next_id = max([i for i in ids if isinstance(i, int)], default=0) + 1
    show_rows = any(
        row.get("collapse") or row.get("showTitle") or row.get("repeat") for row in rows
    )
    y = max((_bottom(p) for p in top), default=0)
    out: list[Json] = []
    for row in rows:
        height = grid_height(row.get("height") or DEFAULT_ROW_HEIGHT)
        collapsed = bool(row.get("collapse"))
        row_panel: Json | None = None
        if show_rows:
            row_panel = {
                "type": "row",
                "id": next_id,
                "title": row.get("title") or "",
                "collapsed": collapsed,
                "gridPos": {"x": 0, "y": y, "w": GRID_COLUMNS, "h": 1},
                "panels": [],
            }
            next_id += 1
            y += 1
            out.append(row_panel)
        x, line_y = 0, y
        for panel in row.get("panels") or []:
            if not isinstance(panel, dict):
                continue
            span = panel.pop("span", None) or DEFAULT_SPAN
            width = min(max(math.floor(float(span)) * 2, 1), GRID_COLUMNS)
            own = grid_height(panel["height"]) if panel.get("height") else height
            panel.pop("height", None)
            if x + width > GRID_COLUMNS:
                x, line_y = 0, line_y + height
            panel["gridPos"] = {"x": x, "y": line_y, "w": width, "h": own}
            x += width
            if row_panel is not None and collapsed:
                row_panel["panels"].append(panel)
            else:
                out.append(panel)
        if not (row_panel is not None and collapsed):
            y = line_y + height
    return out


def _bottom(panel: Json) -> int:
    grid = panel.get("gridPos") or {}
    return int(grid.get("y", 0) or 0) + int(grid.get("h", 0) or 0)
