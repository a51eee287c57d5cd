"""The project's contract for the dashboards it writes: a JSON Schema, plus what a schema
cannot say (panels inside the grid, no overlaps, unique ids and refIds).

Checked on every generate (a failure stops it) and by ``sarkmon check``.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sarkmon.json_schema import Test, validity

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "grafana-dashboard.schema.json"
GRID_COLUMNS = 24


@functools.cache
def _schema() -> Any:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@functools.cache
def _is_valid() -> Test:
    return validity(_schema())


@functools.cache
def _validator() -> Any:
    import jsonschema  # only to explain a failure: slow to import and to run

    jsonschema.Draft7Validator.check_schema(_schema())
    return jsonschema.Draft7Validator(_schema())


def schema_errors(document: Any) -> list[str]:
    """Every way the document breaks the contract, as ``path: message`` lines."""
    out = []
    if not _is_valid()(document):
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


class _Boxes:
    """Placed panels, found by the grid rows they span: a new panel is compared with the
    panels sharing a row with it, not with every panel of the dashboard. Boxes too odd for
    rows (empty, negative or very tall) are compared with every other box, as the plain
    rule says."""

    MAX_ROWS = 1_000

    def __init__(self) -> None:
        self.boxes: list[tuple[str, tuple[int, int, int, int]]] = []
        self.rows: dict[int, list[int]] = {}
        self.odd: list[int] = []

    def _rows(self, w: int, y: int, h: int) -> range | None:
        return range(y, y + h) if w >= 1 and 1 <= h <= self.MAX_ROWS else None

    def overlapping(self, x: int, y: int, w: int, h: int) -> list[str]:
        """Titles of the boxes placed so far that overlap this one, in placement order."""
        rows = self._rows(w, y, h)
        if rows is None:
            near: Iterable[int] = range(len(self.boxes))
        else:
            near = {i for row in rows for i in self.rows.get(row, ())} | set(self.odd)
        out = []
        for i in sorted(near):
            other, (ox, oy, ow, oh) = self.boxes[i]
            if x < ox + ow and ox < x + w and y < oy + oh and oy < y + h:
                out.append(other)
        return out

    def add(self, title: str, x: int, y: int, w: int, h: int) -> None:
        index = len(self.boxes)
        self.boxes.append((title, (x, y, w, h)))
        rows = self._rows(w, y, h)
        if rows is None:
            self.odd.append(index)
        for row in rows or ():
            self.rows.setdefault(row, []).append(index)


def layout_errors(panels: list[Any]) -> list[str]:
    out: list[str] = []
    seen: dict[int, str] = {}
    boxes = _Boxes()
    for panel, visible in _panels(panels):
        title = str(panel.get("title", ""))
        pid = panel.get("id")
        if isinstance(pid, int):
            if pid in seen:
                out.append(f"panel {title!r}: id {pid} is also panel {seen[pid]!r}")
            seen.setdefault(pid, title)
        refs = [t.get("refId") for t in panel.get("targets") or () if isinstance(t, dict)]
        counts = Counter(r for r in refs if isinstance(r, str))
        for ref in sorted(r for r, n in counts.items() if n > 1):
            out.append(f"panel {title!r}: refId {ref} used twice")
        grid = panel.get("gridPos")
        if not isinstance(grid, dict) or not all(isinstance(grid.get(k), int) for k in "xywh"):
            continue
        x, y, w, h = grid["x"], grid["y"], grid["w"], grid["h"]
        if x + w > GRID_COLUMNS:
            out.append(f"panel {title!r}: x {x} + width {w} exceeds {GRID_COLUMNS} columns")
        if visible:
            overlaps = boxes.overlapping(x, y, w, h)
            out.extend(f"panel {title!r} overlaps panel {other!r}" for other in overlaps)
            boxes.add(title, x, y, w, h)
    return out
