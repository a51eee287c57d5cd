"""Panel ids from stable keys, and positions on Grafana's 24-column grid.

Ids hash each panel's key, so they do not depend on position: inserting a panel changes
that panel's lines and the positions of those after it, nothing else. The layout flows
panels left to right and wraps when a line is full; a row header takes a line of its own.
A panel may name the column it starts at, as hand-made dashboards often place one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sarkmon.model.dashboards.dashboard import Row, Section
from sarkmon.model.dashboards.panels import GRID_COLUMNS, Panel

ID_SPACE = 900_000  # ids are 6 digits: readable in URLs (viewPanel=123456)
ID_BASE = 100_000


@dataclass(frozen=True)
class GridPos:
    x: int
    y: int
    w: int
    h: int

    def overlaps(self, other: GridPos) -> bool:
        return (
            self.x < other.x + other.w
            and other.x < self.x + self.w
            and self.y < other.y + other.h
            and other.y < self.y + self.h
        )


@dataclass(frozen=True)
class Placed:
    item: Panel | Row
    id: int
    pos: GridPos
    row: Row | None = None  # the row a panel belongs to


def panel_ids(keys: Iterable[str]) -> dict[str, int]:
    """A 6-digit id per key from its hash; a rare collision moves the later key (in sorted
    order) to the next free id, so only the colliding panel depends on the other."""
    taken: set[int] = set()
    out: dict[str, int] = {}
    unique = sorted(set(keys))
    if len(unique) > ID_SPACE:
        raise ValueError(f"{len(unique)} panels do not fit in {ID_SPACE} ids")
    for key in unique:
        digest = hashlib.sha256(key.encode("utf-8")).digest()
        candidate = int.from_bytes(digest[:8], "big") % ID_SPACE
        while candidate + ID_BASE in taken:
            candidate = (candidate + 1) % ID_SPACE
        out[key] = candidate + ID_BASE
        taken.add(candidate + ID_BASE)
    return out


class Flow:
    """Left-to-right placement that wraps at the grid's width."""

    def __init__(self) -> None:
        self.x = 0
        self.y = 0
        self.line_height = 0

    def newline(self) -> None:
        self.y += self.line_height
        self.x = 0
        self.line_height = 0

    def place(self, width: int, height: int, column: int | None = None) -> GridPos:
        width = min(max(width, 1), GRID_COLUMNS)
        height = max(height, 1)
        if column is not None:
            if self.x > column:
                self.newline()
            self.x = column
        elif self.x + width > GRID_COLUMNS:
            self.newline()
        pos = GridPos(self.x, self.y, width, height)
        self.x += width
        self.line_height = max(self.line_height, height)
        return pos


def layout(sections: Sequence[Section]) -> list[Placed]:
    """Every row and panel with its id and position, in reading order."""
    keys = [p.key for _, panels in sections for p in panels]
    keys += [row.key for row, _ in sections if row is not None]
    ids = panel_ids(keys)
    flow = Flow()
    out: list[Placed] = []
    for row, panels in sections:
        if row is not None:
            flow.newline()
            out.append(Placed(row, ids[row.key], flow.place(GRID_COLUMNS, 1)))
            flow.newline()
            if row.collapsed:
                # Hidden panels keep positions below the header; the next row follows at once.
                inner = Flow()
                inner.y = flow.y
                for panel in panels:
                    out.append(Placed(panel, ids[panel.key], place(inner, panel), row))
                continue
        for panel in panels:
            out.append(Placed(panel, ids[panel.key], place(flow, panel), row))
    return out


def place(flow: Flow, panel: Panel) -> GridPos:
    return flow.place(*panel.grid_size, panel.column)
