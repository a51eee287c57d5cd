"""The catalog compared, with the impact: who reads a metric that went away or lost labels.

A removed metric lists every panel and rule that read it in the base tree (and, if any
still do, in the head tree: those are now broken). A metric that lost a label, or known
values of one, lists its users and marks those whose expressions read that label.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from sarkmon.review.catalog import MetricFacts, Use
from sarkmon.review.changes import ADDED, REMOVED, Change, Value, field_changes

AREA = "catalog"


def _values(values: tuple[str, ...] | None) -> str:
    return "any value" if values is None else ", ".join(values) or "no value"


def _joined(items: tuple[str, ...] | list[str]) -> Value:
    return tuple(items) if items else None


def diff_catalog(
    base: Mapping[str, MetricFacts],
    head: Mapping[str, MetricFacts],
    base_uses: Mapping[str, list[Use]],
    head_uses: Mapping[str, list[Use]],
) -> list[Change]:
    out: list[Change] = []
    for family in sorted(base.keys() | head.keys()):
        old, new = base.get(family), head.get(family)
        if new is None:
            assert old is not None
            details = _impact(family, base_uses, head_uses, frozenset())
            out.append(
                Change(AREA, REMOVED, old.name, details=(f"{old.type}, {old.status}", *details))
            )
            continue
        if old is None:
            out.append(
                Change(AREA, ADDED, new.name, details=(f"{new.type}, {new.status}: {new.help}",))
            )
            continue
        pairs: list[tuple[str, Value, Value]] = [
            ("type", old.type, new.type),
            ("status", old.status, new.status),
            ("help", old.help, new.help),
            ("unit", old.unit, new.unit),
            ("buckets", _joined(old.buckets), _joined(new.buckets)),
            ("labels", _joined(list(old.labels)), _joined(list(new.labels))),
        ]
        # A label lost, or known values of it lost, or a scrape target label's values lost.
        lost: set[str] = set(old.labels) - set(new.labels)
        for label in sorted(set(old.labels) & set(new.labels)):
            before, after = old.labels[label], new.labels[label]
            pairs.append((f"values of {label}", _values(before), _values(after)))
            if after is not None and (before is None or set(before) - set(after)):
                lost.add(label)
        for label in sorted(old.target_labels.keys() | new.target_labels.keys()):
            before_t, after_t = old.target_labels.get(label, ()), new.target_labels.get(label, ())
            pairs.append((f"target label {label}", _joined(before_t), _joined(after_t)))
            if set(before_t) - set(after_t):
                lost.add(label)
        changes = field_changes(AREA, new.name, "", pairs)
        if lost and changes:
            impact = _impact(family, base_uses, head_uses, frozenset(lost))
            changes[0] = dataclasses.replace(changes[0], details=tuple(impact))
        out += changes
    return out


def _impact(
    family: str,
    base_uses: Mapping[str, list[Use]],
    head_uses: Mapping[str, list[Use]],
    labels: frozenset[str],
) -> list[str]:
    """Who read the metric before, and who still reads it, marking readers of ``labels``."""
    lines = []
    still = {u.user: u for u in head_uses.get(family, [])}
    for use in base_uses.get(family, []):
        lines.append(_line(use, labels, "still reads it" if use.user in still else ""))
    seen = {u.user for u in base_uses.get(family, [])}
    for use in head_uses.get(family, []):
        if use.user not in seen:
            lines.append(_line(use, labels, "new reader"))
    if not lines:
        return ["no panel or rule reads it"]
    return [f"read by {len(lines)} panel(s) and rule(s):", *lines]


def _line(use: Use, labels: frozenset[str], note: str) -> str:
    marks = []
    read = sorted(use.labels & labels)
    if read:
        marks.append("reads " + ", ".join(read))
    if note:
        marks.append(note)
    return use.user + (f" ({'; '.join(marks)})" if marks else "")
