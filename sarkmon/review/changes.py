"""One semantic change between two trees, and the small helpers comparisons share."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

# Report sections, in the order they are shown.
AREAS = ("dashboards", "alerts", "recording rules", "routing", "catalog", "files")
ADDED, REMOVED, RENAMED, CHANGED, MOVED = "added", "removed", "renamed", "changed", "moved"

Value = str | tuple[str, ...] | None


@dataclass(frozen=True)
class Change:
    area: str  # one of AREAS
    action: str  # added | removed | renamed | changed | moved
    subject: str  # what it is about: a dashboard, an alert, a metric, a file
    item: str = ""  # a part of the subject (a panel, a variable); "" for the subject itself
    field: str = ""  # what changed ("query A", "threshold"); "" for added/removed/renamed
    before: Value = None
    after: Value = None
    details: tuple[str, ...] = ()  # impact and context, in words
    queries: tuple[str, ...] = ()  # the expressions of what was added or removed

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"area": self.area, "action": self.action, "subject": self.subject}
        for key in ("item", "field"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        for key in ("before", "after"):
            value = getattr(self, key)
            if value is not None:
                out[key] = list(value) if isinstance(value, tuple) else value
        for key in ("details", "queries"):
            if getattr(self, key):
                out[key] = list(getattr(self, key))
        return out

    def sort_key(self) -> tuple[int, str, str, str]:
        return (AREAS.index(self.area), self.subject, self.item, self.field)


def field_changes(
    area: str, subject: str, item: str, pairs: Iterable[tuple[str, Value, Value]]
) -> list[Change]:
    """A ``changed`` record for each (field, before, after) that differs."""
    return [
        Change(area, CHANGED, subject, item, name, before, after)
        for name, before, after in pairs
        if before != after
    ]


def pair_by(
    base: Sequence[T], head: Sequence[T], *keys: Callable[[T], Hashable]
) -> tuple[list[tuple[T, T]], list[T], list[T]]:
    """Match items by the first key, then the leftovers by the next, and so on.

    A key only matches items it identifies uniquely on both sides, so an ambiguous key
    never pairs the wrong two. Dicts all the way: linear in the number of items.
    Returns (pairs, removed, added), each in the order the items were given.
    """
    left, right = list(base), list(head)
    pairs: list[tuple[T, T]] = []
    for key in keys:
        if not left or not right:
            break
        on_left = _unique(left, key)
        on_right = _unique(right, key)
        matched = {id(on_left[k]): on_right[k] for k in on_left.keys() & on_right.keys()}
        taken = {id(v) for v in matched.values()}
        pairs.extend((item, matched[id(item)]) for item in left if id(item) in matched)
        left = [item for item in left if id(item) not in matched]
        right = [item for item in right if id(item) not in taken]
    return pairs, left, right


def _unique(items: Sequence[T], key: Callable[[T], Hashable]) -> dict[Hashable, T]:
    seen: dict[Hashable, T] = {}
    twice: set[Hashable] = set()
    for item in items:
        k = key(item)
        if k is None:
            continue
        if k in seen:
            twice.add(k)
        seen[k] = item
    return {k: v for k, v in seen.items() if k not in twice}


def mapping_changes(
    area: str, subject: str, item: str, what: str, before: dict[str, str], after: dict[str, str]
) -> list[Change]:
    """One change per key added, removed or changed between two string mappings."""
    out = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if old != new:
            out.append(Change(area, CHANGED, subject, item, f"{what} {key}", old, new))
    return out
