"""What an expression returns when some of its series do not exist.

Given the selectors that match nothing (a metric SARK defines but never records), the
expression is evaluated abstractly: each sub-expression is known to be empty, known to
return series (with one known value, when it has one), or unknown because it depends on
data. ``(sum(rate(x[5m])) or vector(0)) == 0`` with x absent is ``vector(0) == 0``: it
returns a series, so an alert on it fires for as long as x is absent.

Unknown is the safe answer: anything that depends on a series that may exist is unknown,
so "returns series" is only claimed when absence alone decides it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from sarkmon.promql.tree import (
    ARITHMETIC,
    COMPARE,
    Aggregation,
    Binary,
    Call,
    Node,
    Number,
    Paren,
    Selector,
    Subquery,
    Unary,
    ValueType,
)


class Result(Enum):
    EMPTY = "empty"  # no series
    SOME = "some"  # at least one series (a scalar always has a value)
    UNKNOWN = "unknown"  # depends on series that may exist


@dataclass(frozen=True)
class Outcome:
    result: Result
    value: float | None = None  # SOME: the value of every returned series, when known

    @property
    def empty(self) -> bool:
        return self.result is Result.EMPTY

    @property
    def some(self) -> bool:
        return self.result is Result.SOME


EMPTY = Outcome(Result.EMPTY)
UNKNOWN = Outcome(Result.UNKNOWN)


def some(value: float | None = None) -> Outcome:
    return Outcome(Result.SOME, value)


Absent = Callable[[Selector], bool]

# Aggregations whose result over series of one value is that value.
_SAME_VALUE = frozenset({"min", "max", "avg", "topk", "bottomk", "quantile", "limitk"})


def when_absent(node: Node, absent: Absent) -> Outcome:
    """What ``node`` returns when the selectors ``absent`` names match no series."""
    if isinstance(node, Paren | Subquery):
        return when_absent(node.expr, absent)
    if isinstance(node, Selector):
        return EMPTY if absent(node) else UNKNOWN
    if isinstance(node, Number):
        return some(node.value)
    if isinstance(node, Unary):
        inner = when_absent(node.expr, absent)
        return some(-inner.value) if inner.some and inner.value is not None else inner
    if isinstance(node, Call):
        return _call(node, absent)
    if isinstance(node, Aggregation):
        return _aggregation(node, absent)
    if isinstance(node, Binary):
        return _binary(node, absent)
    return some(node.constant) if node.is_scalar else UNKNOWN


def _call(node: Call, absent: Absent) -> Outcome:
    if node.function in ("absent", "absent_over_time") and node.args:
        inner = when_absent(node.args[0], absent)
        return {Result.EMPTY: some(1.0), Result.SOME: EMPTY}.get(inner.result, UNKNOWN)
    if node.function == "vector" and node.args:
        return some(when_absent(node.args[0], absent).value)
    if node.function == "scalar" and node.args:
        # NaN unless exactly one series: only an empty argument gives a known value.
        return some(math.nan) if when_absent(node.args[0], absent).empty else some()
    if node.is_scalar:
        return some(node.constant)
    series = node.series_arg
    if series is None or node.function == "histogram_quantile":
        return UNKNOWN  # histogram_quantile drops series without le: no claim either way
    inner = when_absent(series, absent)
    return some() if inner.some else inner


def _aggregation(node: Aggregation, absent: Absent) -> Outcome:
    inner = when_absent(node.expr, absent)
    if not inner.some:
        return inner
    if node.op == "group":
        return some(1.0)
    return some(inner.value if node.op in _SAME_VALUE else None)


def _pairs_surely(node: Binary) -> bool:
    """True when every series of one side matches every series of the other."""
    left, right = node.matching_labels(node.lhs), node.matching_labels(node.rhs)
    if left is None or left != right:
        return False
    return all(
        label in node.lhs.pinned and node.lhs.pinned[label] == node.rhs.pinned.get(label)
        for label in left
    )


def _binary(node: Binary, absent: Absent) -> Outcome:
    if node.lhs.is_scalar and node.rhs.is_scalar:
        return some(node.constant)
    lhs, rhs = when_absent(node.lhs, absent), when_absent(node.rhs, absent)
    if node.op == "or":
        return _or(lhs, rhs)
    if node.op == "and":
        if lhs.empty or rhs.empty:
            return EMPTY
        return lhs if lhs.some and rhs.some and _pairs_surely(node) else UNKNOWN
    if node.op == "unless":
        if lhs.empty or rhs.empty:
            return lhs
        return EMPTY if lhs.some and rhs.some and _pairs_surely(node) else UNKNOWN
    if lhs.empty or rhs.empty:
        return EMPTY  # an empty vector side pairs with nothing
    if not (lhs.some and rhs.some):
        return UNKNOWN
    if node.between_vectors and not _pairs_surely(node):
        return UNKNOWN
    return _apply(node, lhs.value, rhs.value)


def _or(lhs: Outcome, rhs: Outcome) -> Outcome:
    if lhs.empty:
        return rhs
    if rhs.empty:
        return lhs
    if lhs.some and rhs.some:
        return some(lhs.value if lhs.value == rhs.value else None)
    return some() if lhs.some or rhs.some else UNKNOWN


def _apply(node: Binary, left: float | None, right: float | None) -> Outcome:
    """Both sides return series: the operator's result, by value when both are known."""
    if node.op in COMPARE:
        if left is None or right is None:
            return some() if node.bool_modifier else UNKNOWN
        holds = COMPARE[node.op](left, right)
        if node.bool_modifier:
            return some(1.0 if holds else 0.0)
        # A filter keeps the vector side's value (the left one when both are vectors).
        kept = right if node.lhs.type is ValueType.SCALAR else left
        return some(kept) if holds else EMPTY
    if left is None or right is None or node.op not in ARITHMETIC:
        return some()
    try:
        return some(ARITHMETIC[node.op](left, right))
    except (ZeroDivisionError, ValueError, OverflowError):
        return some()
