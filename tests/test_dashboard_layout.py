"""Panel ids from keys and the automatic layout: a change touches only what it moves."""

from __future__ import annotations

import difflib
import json
from typing import Any

import pytest

from sarkmon.compile import grafana_layout
from sarkmon.compile.grafana import compile_dashboards
from sarkmon.compile.grafana_layout import GridPos, layout, panel_ids
from sarkmon.diagnostics import DefinitionError
from sarkmon.model.dashboards import Dashboard, Row, Stat, Table, TimeSeries
from sarkmon.model.dashboards.panels import Panel
from sarkmon.pipeline import build
from tests.test_grafana_compiler import REQUESTS, project_of


def stat(title: str) -> Stat:
    return Stat(
        title, unit="reqps", queries=(f"sum(rate({REQUESTS}[$__rate_interval])) * {len(title)}",)
    )


def series(title: str) -> TimeSeries:
    return TimeSeries(title, unit="reqps", queries=(f"sum(rate({REQUESTS}[$__rate_interval]))",))


def text_of(*rows: Row) -> str:
    dashboard = Dashboard("diff", "Diff", rows=rows)
    (text,) = compile_dashboards(build(project_of(dashboard))).values()
    return text


def panel_blocks(text: str) -> list[tuple[int, int, dict[str, Any]]]:
    """(first line, last line, panel) of each top-level panel in the dumped JSON."""
    lines = text.splitlines()
    blocks = []
    start = None
    inside = False
    for number, line in enumerate(lines):
        if line == '  "panels": [':
            inside = True
        elif inside and line.startswith("  ]"):
            inside = False
        elif inside and line == "    {":
            start = number
        elif inside and line in ("    }", "    },") and start is not None:
            body = "\n".join(lines[start : number + 1]).rstrip(",")
            blocks.append((start, number, json.loads(body)))
            start = None
    return blocks


def owners(blocks: list[tuple[int, int, dict[str, Any]]], first: int, last: int) -> set[int]:
    """Ids of the panels the lines first..last-1 belong to (-1: outside every panel)."""
    out = set()
    for line in range(first, last):
        found = [p["id"] for a, b, p in blocks if a <= line <= b]
        out.add(found[0] if found else -1)
    return out


def changed_panels(before: str, after: str) -> tuple[set[int], set[int]]:
    """Ids owning changed lines, and ids that are new or whose position changed."""
    old_blocks, new_blocks = panel_blocks(before), panel_blocks(after)
    old_pos = {p["id"]: p["gridPos"] for _, _, p in old_blocks}
    moved = {p["id"] for _, _, p in new_blocks if old_pos.get(p["id"]) != p["gridPos"]}
    touched: set[int] = set()
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            touched |= owners(old_blocks, i1, i2) | owners(new_blocks, j1, j2)
    return touched, moved


ROW_A = [stat(f"Stat {i}") for i in range(6)]
ROW_B = [series(f"Series {i}") for i in range(4)]


def test_inserting_a_panel_changes_only_it_and_the_panels_it_pushes() -> None:
    before = text_of(Row("A", ROW_A), Row("B", ROW_B))
    extra = stat("Inserted")
    after = text_of(Row("A", [*ROW_A[:2], extra, *ROW_A[2:]]), Row("B", ROW_B))
    touched, moved = changed_panels(before, after)
    assert touched and -1 not in touched
    assert touched <= moved
    ids = {p["id"]: p["title"] for _, _, p in panel_blocks(after)}
    assert {ids[i] for i in moved} == {"Inserted", "Stat 2", "Stat 3", "Stat 4", "Stat 5"}
    # The second row stays put: the first row still needs two lines of stats.
    assert not {i for i in touched if ids[i].startswith(("Series", "B"))}


def test_moving_a_panel_changes_only_the_panels_whose_position_changed() -> None:
    before = text_of(Row("A", ROW_A), Row("B", ROW_B))
    reordered = [ROW_A[0], ROW_A[2], ROW_A[1], *ROW_A[3:]]
    after = text_of(Row("A", reordered), Row("B", ROW_B))
    touched, moved = changed_panels(before, after)
    ids = {p["id"]: p["title"] for _, _, p in panel_blocks(after)}
    assert {ids[i] for i in moved} == {"Stat 1", "Stat 2"}
    assert touched <= moved


def test_ids_do_not_depend_on_position() -> None:
    first = {p["title"]: p["id"] for _, _, p in panel_blocks(text_of(Row("A", ROW_A)))}
    second = {
        p["title"]: p["id"] for _, _, p in panel_blocks(text_of(Row("A", list(reversed(ROW_A)))))
    }
    assert first == second
    assert all(100_000 <= i < 1_000_000 for i in first.values())


def test_colliding_ids_are_resolved_in_key_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(grafana_layout, "ID_SPACE", 1)
    with pytest.raises(ValueError):
        panel_ids(["a", "b"])  # a space of one id cannot hold two
    monkeypatch.setattr(grafana_layout, "ID_SPACE", 3)
    assert sorted(panel_ids(["c", "a", "b"]).values()) == [100_000, 100_001, 100_002]
    assert panel_ids(["b", "a", "c"]) == panel_ids(["c", "b", "a"])


def positions(*sections: tuple[Row | None, tuple[Panel, ...]]) -> list[tuple[str, GridPos]]:
    return [(p.item.title, p.pos) for p in layout(list(sections))]


def test_flow_layout_wraps_and_rows_take_a_line() -> None:
    wide = Table("Wide", width=18, height=5, queries=(str(REQUESTS),))
    placed = positions(
        (None, (stat("S1"), stat("S2"), wide)),
        (Row("R"), (series("T1"), series("T2"), series("T3"))),
    )
    assert placed == [
        ("S1", GridPos(0, 0, 6, 4)),
        ("S2", GridPos(6, 0, 6, 4)),
        ("Wide", GridPos(0, 4, 18, 5)),
        ("R", GridPos(0, 9, 24, 1)),
        ("T1", GridPos(0, 10, 12, 8)),
        ("T2", GridPos(12, 10, 12, 8)),
        ("T3", GridPos(0, 18, 12, 8)),
    ]


def test_a_panel_can_name_the_column_it_starts_at() -> None:
    placed = positions(
        (
            None,
            (
                stat("S1"),
                Stat("Right", column=18, queries=(str(REQUESTS),)),  # skips columns 6..17
                Stat("Own line", column=6, queries=(str(REQUESTS),)),  # 6 is passed: next line
                stat("S2"),  # flows on after it
            ),
        ),
    )
    assert placed == [
        ("S1", GridPos(0, 0, 6, 4)),
        ("Right", GridPos(18, 0, 6, 4)),
        ("Own line", GridPos(6, 4, 6, 4)),
        ("S2", GridPos(12, 4, 6, 4)),
    ]


@pytest.mark.parametrize("column", [-1, 19])
def test_a_column_leaving_no_room_is_a_definition_error(column: int) -> None:
    with pytest.raises(DefinitionError, match=r"column .* leaves no room for a width of 6"):
        Stat("S", column=column, queries=(str(REQUESTS),))


def test_collapsed_rows_keep_their_panels_inside() -> None:
    hidden = Row("Hidden", (series("In 1"), series("In 2")), collapsed=True)
    after = Row("After", (stat("Below"),))
    text = text_of(hidden, after)
    top = json.loads(text)["panels"]
    assert [p["title"] for p in top] == ["Hidden", "After", "Below"]
    assert [p["title"] for p in top[0]["panels"]] == ["In 1", "In 2"]
    assert top[1]["gridPos"]["y"] == 1  # right under the collapsed row
