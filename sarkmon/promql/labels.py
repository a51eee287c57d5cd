"""Label flow: which labels the series of each sub-expression carry, and which values are pinned.

A label set is a frozenset of names, or None when it cannot be known (an undeclared metric,
an open label set such as ALERTS). Pins are labels every series carries with one value: set
by an equality matcher (``decision="deny"``) or by a scrape job that is the only one exposing
the metric (``job="node"``). The rules follow Prometheus's evaluator: functions keep labels
unless they are known to change them, aggregations keep their ``by`` labels (or drop their
``without`` labels), one-to-one matching with ``on`` keeps only the matching labels,
``ignoring`` drops the ignored ones, and ``group_left``/``group_right`` copy the listed
labels from the other side.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from sarkmon.model.metrics import Matcher, Op
from sarkmon.promql.functions import Labels, function
from sarkmon.promql.tree import (
    NO_PINS,
    Card,
    LabelSet,
    Node,
    Pins,
    Selector,
    String,
)

if TYPE_CHECKING:
    from sarkmon.model.catalog import Catalog

Flow = tuple[LabelSet, Pins]
NO_LABELS: frozenset[str] = frozenset()


def _pins(items: Iterable[tuple[str, str]]) -> Pins:
    found = dict(items)
    return MappingProxyType(found) if found else NO_PINS


def _only(pins: Pins, keep: LabelSet) -> Pins:
    if not pins or keep is None:
        return pins
    return _pins((k, v) for k, v in pins.items() if k in keep)


def _without(pins: Pins, drop: Iterable[str]) -> Pins:
    dropped = set(drop)
    if not pins or not dropped & pins.keys():
        return pins
    return _pins((k, v) for k, v in pins.items() if k not in dropped)


def selector_flow(
    labels: LabelSet, matchers: Iterable[Matcher], job_pins: Mapping[str, str]
) -> Flow:
    equal = [(m.label, m.value) for m in matchers if m.op is Op.EQ]
    return labels, _pins([*job_pins.items(), *equal])


def call_flow(call_name: str, args: tuple[Node, ...], series: Node | None) -> Flow:
    rule = function(call_name).labels
    if rule is Labels.NONE or series is None:
        return NO_LABELS, NO_PINS
    if rule is Labels.ABSENT:
        if not isinstance(series, Selector):
            return NO_LABELS, NO_PINS
        pins = _pins((m.label, m.value) for m in series.matchers if m.op is Op.EQ)
        return frozenset(pins), pins
    labels, pins = series.labels, series.pinned
    if rule is Labels.REPLACE:
        target = args[1].value if len(args) > 1 and isinstance(args[1], String) else ""
        if not target:
            return labels, pins
        return (None if labels is None else labels | {target}), _without(pins, [target])
    if rule is Labels.DROP_LE:
        return (None if labels is None else labels - {"le"}), _without(pins, ["le"])
    return labels, pins


def aggregate_flow(
    op: str, expr: Node, grouping: tuple[str, ...], without: bool, param: Node | None
) -> Flow:
    if op in ("topk", "bottomk", "limitk", "limit_ratio"):
        return expr.labels, expr.pinned
    inner = expr.labels
    if without:
        labels: LabelSet = None if inner is None else inner - frozenset(grouping)
        pins = _without(expr.pinned, grouping)
    else:
        labels = frozenset(grouping) if inner is None else frozenset(grouping) & inner
        pins = _only(expr.pinned, labels)
    if op == "count_values" and labels is not None and isinstance(param, String):
        labels = labels | {param.value}
    return labels, pins


def binary_flow(
    op: str,
    lhs: Node,
    rhs: Node,
    card: Card,
    matching: tuple[str, ...] | None,
    on: bool,
    include: tuple[str, ...],
) -> Flow:
    if lhs.is_scalar and rhs.is_scalar:
        return NO_LABELS, NO_PINS
    if lhs.is_scalar:
        return rhs.labels, rhs.pinned
    if rhs.is_scalar:
        return lhs.labels, lhs.pinned
    if op == "or":
        labels = None if lhs.labels is None or rhs.labels is None else lhs.labels | rhs.labels
        common = [(k, v) for k, v in lhs.pinned.items() if rhs.pinned.get(k) == v]
        return labels, _pins(common)
    if op in ("and", "unless"):
        return lhs.labels, lhs.pinned
    base, other = (rhs, lhs) if card is Card.ONE_TO_MANY else (lhs, rhs)
    if base.labels is None:
        return None, NO_PINS
    labels = base.labels
    if card is Card.ONE_TO_ONE and matching is not None:
        listed = frozenset(matching)
        labels = labels & listed if on else labels - listed
    for name in include:
        if other.labels is None or name in other.labels:
            labels = labels | {name}
        else:
            labels = labels - {name}
    matched = frozenset(matching or ()) if on else None
    pins = dict(_only(base.pinned, labels))
    for name, value in other.pinned.items():
        compared = name in matched if matched is not None else name not in (matching or ())
        if name in labels and (compared or name in include):
            pins.setdefault(name, value)
    return labels, _pins(sorted(pins.items()))


def output_labels(ast: Any, catalog: Catalog) -> LabelSet:
    """The labels the series of a promql-parser expression can carry (metric name excluded)."""
    from sarkmon.promql.convert import to_tree

    return to_tree(ast, catalog).labels
