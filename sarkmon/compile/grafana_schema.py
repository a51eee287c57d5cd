"""The project's contract for the dashboards it writes: a JSON Schema, plus what a schema
cannot say (panels inside the grid, no overlaps, unique ids and refIds).

Checked on every generate (a failure stops it) and by ``sarkmon check``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "grafana-dashboard.schema.json"
GRID_COLUMNS = 24


@functools.cache
def _validator() -> Any:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def schema_errors(document: Any) -> list[str]:
    """Every way the document breaks the contract, as ``path: message`` lines."""
    out = []
    for error in _validator().iter_errors(document):
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        out.append(f"{where}: {_short(error)}")
    if isinstance(document, dict) and isinstance(document.get("panels"), list):
        out.extend(layout_errors(document["panels"]))
    return sorted(out)


def _short(error: Any) -> str:
    reasons = _reasons(error)
    if reasons:
        return "; ".join(reasons)
    return f"matches none of the forms allowed here ({error.validator})"


def _reasons(error: Any) -> list[str] | None:
    """For a oneOf failure, the reasons of the branch meant (the one whose ``type`` fits),
    recursively; None when no branch fits."""
    if not error.context:
        return [_located(error)]
    branches: dict[Any, list[Any]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    for subs in branches.values():
        if any(_discriminates(sub) for sub in subs):
            continue
        found: list[str] = []
        for sub in subs:
            inner = _reasons(sub)
            if inner is None:
                break
            found += inner
        else:
            return found
    return None


def _discriminates(error: Any) -> bool:
    """A failure on the ``type`` field (or a ``not``): the branch is for another kind."""
    on_type = list(error.absolute_path)[-1:] == ["type"]
    return error.validator == "not" or (error.validator in ("const", "enum") and on_type)


def _located(error: Any) -> str:
    where = "/".join(str(p) for p in error.absolute_path)
    return f"{error.message} (at {where})" if where else str(error.message)


def _panels(panels: list[Any]) -> Iterator[tuple[dict[str, Any], bool]]:
    """Every panel with whether it is visible (not inside a collapsed row)."""
    for panel in panels:
        if not isinstance(panel, dict):
            continue
        yield panel, True
        for inner in panel.get("panels") or ():
            if isinstance(inner, dict):
                yield inner, False


def layout_errors(panels: list[Any]) -> list[str]:
    out: list[str] = []
    seen: dict[int, str] = {}
    boxes: list[tuple[str, tuple[int, int, int, int]]] = []
    for panel, visible in _panels(panels):
        title = str(panel.get("title", ""))
        pid = panel.get("id")
        if isinstance(pid, int):
            if pid in seen:
                out.append(f"panel {title!r}: id {pid} is also panel {seen[pid]!r}")
            seen.setdefault(pid, title)
        refs = [t.get("refId") for t in panel.get("targets") or () if isinstance(t, dict)]
        for ref in sorted({r for r in refs if refs.count(r) > 1 and isinstance(r, str)}):
            out.append(f"panel {title!r}: refId {ref} used twice")
        grid = panel.get("gridPos")
        if not isinstance(grid, dict) or not all(isinstance(grid.get(k), int) for k in "xywh"):
            continue
        x, y, w, h = grid["x"], grid["y"], grid["w"], grid["h"]
        if x + w > GRID_COLUMNS:
            out.append(f"panel {title!r}: x {x} + width {w} exceeds {GRID_COLUMNS} columns")
        if visible:
            for other, (ox, oy, ow, oh) in boxes:
                if x < ox + ow and ox < x + w and y < oy + oh and oy < y + h:
                    out.append(f"panel {title!r} overlaps panel {other!r}")
            boxes.append((title, (x, y, w, h)))
    return out
