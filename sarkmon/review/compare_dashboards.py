"""Dashboards compared: added, removed, renamed; panels, queries, variables as before -> after.

Dashboards pair by uid, then by title (a uid change); panels by id and title, then by
title (an id that changed), then by id (a renamed panel), then by what they query (a panel
renamed along with its key). Queries pair by refId, then by position.
"""

from __future__ import annotations

from collections.abc import Mapping

from sarkmon.review.changes import (
    ADDED,
    CHANGED,
    MOVED,
    REMOVED,
    RENAMED,
    Change,
    Value,
    field_changes,
    pair_by,
)
from sarkmon.review.dashboards import DashboardFacts, PanelFacts, QueryFacts, VariableFacts

AREA = "dashboards"


def diff_dashboards(
    base: Mapping[str, DashboardFacts], head: Mapping[str, DashboardFacts]
) -> list[Change]:
    pairs, removed, added = pair_by(
        list(base.values()), list(head.values()), lambda d: d.uid or None, lambda d: d.title
    )
    out = [Change(AREA, REMOVED, d.name, details=_size(d)) for d in removed]
    out += [Change(AREA, ADDED, d.name, details=_size(d)) for d in added]
    for old, new in pairs:
        out.extend(diff_dashboard(old, new))
    return out


def _size(d: DashboardFacts) -> tuple[str, ...]:
    queries = sum(len(p.queries) for p in d.panels)
    counts = ((len(d.panels), "panel"), (queries, "query"), (len(d.variables), "variable"))
    return (", ".join(_count(n, noun) for n, noun in counts),)


def _count(n: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{n} {noun if n == 1 else plural}"


def _text(values: tuple[str, ...]) -> Value:
    return values if values else None


def diff_dashboard(old: DashboardFacts, new: DashboardFacts) -> list[Change]:
    subject = new.name
    out: list[Change] = []
    if old.title != new.title:
        out.append(Change(AREA, RENAMED, subject, before=old.title, after=new.title))
    if old.uid != new.uid:
        out.append(Change(AREA, CHANGED, subject, field="uid", before=old.uid, after=new.uid))
    if old.folder != new.folder and old.path and new.path:
        out.append(
            Change(AREA, MOVED, subject, field="folder", before=old.folder, after=new.folder)
        )
    out += field_changes(
        AREA,
        subject,
        "",
        (
            ("tags", _text(old.tags), _text(new.tags)),
            ("description", old.description, new.description),
            ("refresh", old.refresh, new.refresh),
            ("time range", old.time, new.time),
            ("shared crosshair", str(old.shared_crosshair), str(new.shared_crosshair)),
            ("links", _text(old.links), _text(new.links)),
        ),
    )
    out += _variables(subject, old.variables, new.variables)
    out += _annotations(subject, old.annotations, new.annotations)
    out += diff_panels(subject, old.panels, new.panels)
    return out


def _variables(
    subject: str, old: Mapping[str, VariableFacts], new: Mapping[str, VariableFacts]
) -> list[Change]:
    out: list[Change] = []
    for name in sorted(old.keys() | new.keys()):
        item = f"variable ${name}"
        a, b = old.get(name), new.get(name)
        if a is None or b is None:
            present = a or b
            assert present is not None
            action = ADDED if a is None else REMOVED
            queries = (present.query,) if present.query else ()
            out.append(
                Change(AREA, action, subject, item, details=(present.type,), queries=queries)
            )
            continue
        out += field_changes(
            AREA,
            subject,
            item,
            (
                ("type", a.type, b.type),
                ("query", a.query, b.query),
                ("label", a.label, b.label),
                ("values", _text(a.options), _text(b.options)),
                ("default", a.default, b.default),
                ("multi-value", str(a.multi), str(b.multi)),
                ("include All", str(a.include_all), str(b.include_all)),
                ("All value", a.all_value, b.all_value),
                ("regex", a.regex, b.regex),
                ("hidden", str(a.hide), str(b.hide)),
            ),
        )
    return out


def _annotations(subject: str, old: Mapping[str, str], new: Mapping[str, str]) -> list[Change]:
    from sarkmon.review.exprs import same

    out = []
    for name in sorted(old.keys() | new.keys()):
        item = f"annotation {name!r}"
        if name not in old:
            out.append(Change(AREA, ADDED, subject, item, queries=(new[name],)))
        elif name not in new:
            out.append(Change(AREA, REMOVED, subject, item, queries=(old[name],)))
        elif not same(old[name], new[name]):
            out.append(Change(AREA, CHANGED, subject, item, "query", old[name], new[name]))
    return out


def diff_panels(
    subject: str, old: tuple[PanelFacts, ...], new: tuple[PanelFacts, ...]
) -> list[Change]:
    pairs, removed, added = pair_by(
        old,
        new,
        lambda p: (p.id, p.title) if p.id is not None else None,
        lambda p: p.title or None,
        lambda p: p.id,
        lambda p: p.query_key or None,
    )
    out = [_panel_added_or_removed(REMOVED, subject, p) for p in removed]
    out += [_panel_added_or_removed(ADDED, subject, p) for p in added]
    shifted = _shifted(pairs)
    for a, b in pairs:
        out.extend(diff_panel(subject, a, b, moved=id(b) not in shifted))
    for shift, panels in sorted(_by_shift(pairs, shifted).items()):
        where = f"{'down' if shift > 0 else 'up'} {abs(shift)} grid rows"
        titles = tuple(p.title for p in panels)
        out.append(
            Change(AREA, MOVED, subject, f"{len(panels)} panels", "position", None, where, titles)
        )
    return out


SHIFTED_TOGETHER = 3  # panels moved up or down alike (a panel inserted above them) are one change


def _vertical_shift(a: PanelFacts, b: PanelFacts) -> int:
    same_column = (a.grid[0], a.grid[2], a.grid[3]) == (b.grid[0], b.grid[2], b.grid[3])
    return b.grid[1] - a.grid[1] if a.row == b.row and same_column else 0


def _by_shift(
    pairs: list[tuple[PanelFacts, PanelFacts]], only: set[int] | None = None
) -> dict[int, list[PanelFacts]]:
    groups: dict[int, list[PanelFacts]] = {}
    for a, b in pairs:
        shift = _vertical_shift(a, b)
        if shift and (only is None or id(b) in only):
            groups.setdefault(shift, []).append(b)
    return groups


def _shifted(pairs: list[tuple[PanelFacts, PanelFacts]]) -> set[int]:
    """The panels reported together: those sharing a vertical shift with enough others."""
    groups = _by_shift(pairs)
    return {id(p) for panels in groups.values() if len(panels) >= SHIFTED_TOGETHER for p in panels}


def _item(panel: PanelFacts) -> str:
    return f"panel {panel.title!r}" if panel.title else f"{panel.type} panel {panel.id}"


def _panel_added_or_removed(action: str, subject: str, p: PanelFacts) -> Change:
    where = f"{p.type} at {p.position}" + (f" in row {p.row!r}" if p.row else "")
    queries = tuple(f"{q.ref_id}: {q.expr}" for q in p.queries)
    return Change(AREA, action, subject, _item(p), details=(where,), queries=queries)


def diff_panel(subject: str, a: PanelFacts, b: PanelFacts, moved: bool = True) -> list[Change]:
    """Every change of one panel; ``moved=False`` when its move is reported with others'."""
    item = _item(b)
    out: list[Change] = []
    if a.title != b.title:
        out.append(Change(AREA, RENAMED, subject, item, before=a.title, after=b.title))
    if moved and (a.row != b.row or a.grid != b.grid):
        before = a.position + (f" in row {a.row!r}" if a.row else "")
        after = b.position + (f" in row {b.row!r}" if b.row else "")
        out.append(Change(AREA, MOVED, subject, item, "position", before, after))
    out += field_changes(
        AREA,
        subject,
        item,
        (
            ("type", a.type, b.type),
            ("unit", a.unit, b.unit),
            ("decimals", a.decimals, b.decimals),
            ("min", a.min, b.min),
            ("max", a.max, b.max),
            ("thresholds", _text(a.thresholds), _text(b.thresholds)),
            ("value mappings", _text(a.mappings), _text(b.mappings)),
            ("legend", a.legend, b.legend),
            ("description", a.description, b.description),
            ("links", _text(a.links), _text(b.links)),
            ("content", a.content, b.content),
        ),
    )
    out += diff_queries(subject, item, a.queries, b.queries)
    return out


def diff_queries(
    subject: str, item: str, old: tuple[QueryFacts, ...], new: tuple[QueryFacts, ...]
) -> list[Change]:
    positions = {id(q): i for i, q in enumerate(new)}
    pairs, removed, added = pair_by(old, new, lambda q: q.ref_id or None, lambda q: q.canon)
    # Queries left over pair by position among themselves (a refId changed with the query).
    extra = min(len(removed), len(added))
    pairs += list(zip(removed[:extra], added[:extra], strict=True))
    removed, added = removed[extra:], added[extra:]
    out = [Change(AREA, REMOVED, subject, item, f"query {q.ref_id}", q.expr, None) for q in removed]
    out += [Change(AREA, ADDED, subject, item, f"query {q.ref_id}", None, q.expr) for q in added]
    for a, b in sorted(pairs, key=lambda p: positions[id(p[1])]):
        ref = b.ref_id
        if a.canon != b.canon:
            out.append(Change(AREA, CHANGED, subject, item, f"query {ref}", a.expr, b.expr))
        out += field_changes(
            AREA,
            subject,
            item,
            (
                (f"refId {ref}", a.ref_id, b.ref_id),
                (f"legend {ref}", a.legend, b.legend),
                (f"query type {ref}", a.mode, b.mode),
                (f"hidden {ref}", str(a.hide), str(b.hide)),
                (f"format {ref}", a.format, b.format),
                (f"min interval {ref}", a.interval, b.interval),
                (f"datasource {ref}", a.kind or "prometheus", b.kind or "prometheus"),
            ),
        )
    return out
