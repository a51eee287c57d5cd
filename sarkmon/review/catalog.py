"""The catalog (``catalog.json``) as facts, and which panels and rules read each metric.

A metric's users are found in the trees' own queries: every selector of every panel query,
alert and recording rule is resolved through the catalog's series names to its family, with
the labels the expression reads of it (matchers, grouping, ``on``/``ignoring``, and the
``{{label}}`` of a panel's legend).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sarkmon.promql.parse import node_kind, parse
from sarkmon.promql.walk import nodes, selectors


@dataclass(frozen=True)
class MetricFacts:
    family: str
    name: str
    type: str = ""
    status: str = ""
    help: str = ""
    unit: str = ""
    labels: Mapping[str, tuple[str, ...] | None] = field(default_factory=dict)
    buckets: tuple[str, ...] = ()
    samples: tuple[str, ...] = ()
    target_labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Use:
    """A panel or rule that reads a metric, and the labels of it the expression reads."""

    user: str  # "panel 'Requests' of SARK Gateway (uid)", "alert HighDenyRate"
    labels: frozenset[str] = frozenset()


def catalog_facts(text: str) -> dict[str, MetricFacts]:
    """The catalog's families by name; raises ValueError when it is not a catalog."""
    records = json.loads(text)
    if not isinstance(records, list):
        raise ValueError("catalog.json holds no list of metrics")
    out = {}
    for record in records:
        if not isinstance(record, dict) or "family" not in record:
            continue
        labels = {
            str(label.get("name")): (
                tuple(str(v) for v in label["values"])
                if isinstance(label.get("values"), list)
                else None
            )
            for label in record.get("labels") or []
            if isinstance(label, dict)
        }
        given = record.get("target_labels")
        targets: dict[str, Any] = given if isinstance(given, dict) else {}
        out[str(record["family"])] = MetricFacts(
            family=str(record["family"]),
            name=str(record.get("name", record["family"])),
            type=str(record.get("type", "")),
            status=str(record.get("status", "")),
            help=str(record.get("help", "")),
            unit=str(record.get("unit", "")),
            labels=labels,
            buckets=tuple(_number(b) for b in record.get("buckets") or []),
            samples=tuple(str(s) for s in record.get("samples") or []),
            target_labels={str(k): tuple(map(str, v)) for k, v in sorted(targets.items())},
        )
    return out


def _number(value: Any) -> str:
    return format(float(value), "g") if isinstance(value, int | float) else str(value)


def sample_index(catalog: Mapping[str, MetricFacts]) -> dict[str, str]:
    """Every series name to the family that exposes it."""
    out = {}
    for metric in catalog.values():
        out[metric.family] = metric.family
        for sample in metric.samples:
            out[sample] = metric.family
    return out


def uses(exprs: Iterable[tuple[str, str, str]], index: Mapping[str, str]) -> dict[str, list[Use]]:
    """Families -> their users, from (user, expression, legend) triples; one parse each."""
    out: dict[str, dict[str, set[str]]] = {}
    for user, text, legend in exprs:
        parsed = parse(text)
        if not parsed.ok:
            continue
        grouping = _grouping_labels(parsed.ast) | _legend_labels(legend)
        for use in selectors(parsed.ast):
            family = index.get(use.name or "")
            if family is None:
                continue
            read = {m.label for m in use.matchers} | grouping
            out.setdefault(family, {}).setdefault(user, set()).update(read)
    return {
        family: [Use(user, frozenset(labels)) for user, labels in sorted(users.items())]
        for family, users in out.items()
    }


def _grouping_labels(ast: Any) -> set[str]:
    found: set[str] = set()
    for node in nodes(ast):
        kind = node_kind(node)
        if kind == "AggregateExpr" and node.modifier is not None:
            found.update(node.modifier.labels)
        elif kind == "BinaryExpr" and node.modifier is not None:
            if node.modifier.matching is not None:
                found.update(node.modifier.matching.labels)
            found.update(node.modifier.group_labels or ())
    return found


def _legend_labels(legend: str) -> set[str]:
    return set(re.findall(r"\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}", legend))
