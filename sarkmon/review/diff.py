"""The semantic diff of two output trees: every change a reviewer should see, nothing else."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sarkmon.review.catalog import sample_index, uses
from sarkmon.review.changes import ADDED, AREAS, CHANGED, REMOVED, Change
from sarkmon.review.compare_catalog import diff_catalog
from sarkmon.review.compare_dashboards import diff_dashboards
from sarkmon.review.compare_routing import diff_routing, reaches
from sarkmon.review.compare_rules import diff_rules, diff_runbooks, pair_alerts
from sarkmon.review.snapshot import Snapshot


@dataclass
class Report:
    base: str
    head: str
    changes: list[Change] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # files that could not be read

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for change in self.changes:
            out[change.area] = out.get(change.area, 0) + 1
        return {area: out[area] for area in AREAS if area in out}

    def as_json(self) -> dict[str, Any]:
        return {
            "base": self.base,
            "head": self.head,
            "summary": self.counts(),
            "changes": [c.as_json() for c in self.changes],
            "problems": list(self.problems),
        }


def diff_snapshots(base: Snapshot, head: Snapshot) -> Report:
    changes = diff_dashboards(base.dashboards, head.dashboards)
    changes += diff_rules(
        base.rules,
        head.rules,
        lambda rule: reaches(head.routing, rule, head.external_labels),
    )
    changes += diff_runbooks(base.runbooks, head.runbooks)
    pairs, _, _ = pair_alerts(base.rules, head.rules)
    changes += diff_routing(
        base.routing, head.routing, pairs, (base.external_labels, head.external_labels)
    )
    if base.catalog is not None or head.catalog is not None:
        old, new = base.catalog or {}, head.catalog or {}
        changes += diff_catalog(
            old,
            new,
            uses(_expressions(base), sample_index(old)),
            uses(_expressions(head), sample_index(new)),
        )
    changes += diff_files(base.others, head.others)
    # Grouped by area and subject; within a subject, in the order the comparison found them.
    changes.sort(key=lambda c: (AREAS.index(c.area), c.subject))
    return Report(base.label, head.label, changes, base.problems + head.problems)


def _expressions(snap: Snapshot) -> Iterator[tuple[str, str, str]]:
    """(user, expression, legend) of every panel query and rule of a tree."""
    for dashboard in snap.dashboards.values():
        for panel in dashboard.panels:
            for query in panel.queries:
                if query.kind in ("", "prometheus"):
                    user = f"panel {panel.title!r} of {dashboard.name}"
                    yield user, query.expr, query.legend
    for rule in snap.rules.rules:
        yield rule.title, rule.expr, ""


def diff_files(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    out = []
    for path in sorted(before.keys() | after.keys()):
        if path not in before:
            out.append(Change("files", ADDED, path))
        elif path not in after:
            out.append(Change("files", REMOVED, path))
        elif before[path] != after[path]:
            out.append(Change("files", CHANGED, path))
    return out
