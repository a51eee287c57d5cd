"""The expression tree: every PromQL expression as typed nodes that carry their facts.

promql-parser's AST is converted once (see :mod:`sarkmon.promql.convert`) into these nodes.
Besides the structure (functions with their argument types, aggregations with by/without,
binary operators with on/ignoring/group_left/group_right), each node knows:

- ``labels``: the labels its series can carry (None when unknown), see :mod:`.labels`;
- ``pinned``: labels every output series carries with one known value (``decision="deny"``);
- ``flows``: the selectors whose sample values flow into its value (not those that only
  filter, such as the right side of ``and``, or whose values are only counted);
- ``raw``: the flows that are still cumulative (counters not yet passed through rate());
- ``quantity``: its unit, see :mod:`.units`;
- ``constant``: its value, for scalar expressions made of numbers.

Checks read these facts; nothing walks promql-parser objects after the conversion.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from sarkmon.model.durations import format_ms
from sarkmon.model.metrics import Matcher, Metric, Sample
from sarkmon.promql.units import UNKNOWN_QUANTITY, Quantity
from sarkmon.promql.variables import RATE_INTERVAL_MS

LabelSet = frozenset[str] | None
Pins = Mapping[str, str]
NO_PINS: Pins = MappingProxyType({})


class ValueType(StrEnum):
    SCALAR = "scalar"
    VECTOR = "vector"
    MATRIX = "matrix"
    STRING = "string"


class Card(StrEnum):
    """How the series of the two sides of a binary operator pair up."""

    ONE_TO_ONE = "one-to-one"
    MANY_TO_ONE = "many-to-one"  # group_left
    ONE_TO_MANY = "one-to-many"  # group_right
    MANY_TO_MANY = "many-to-many"  # and, or, unless


# What each operator does to two numbers, for folding constants (PromQL's `^` of a negative
# base and a fraction is NaN: math.pow raises ValueError there, operator.pow goes complex).
ARITHMETIC: Mapping[str, Callable[[float, float], float]] = MappingProxyType(
    {
        "+": operator.add,
        "-": operator.sub,
        "*": operator.mul,
        "/": operator.truediv,
        "%": math.fmod,
        "^": math.pow,
        "atan2": math.atan2,
    }
)
COMPARE: Mapping[str, Callable[[float, float], bool]] = MappingProxyType(
    {
        "==": operator.eq,
        "!=": operator.ne,
        ">": operator.gt,
        "<": operator.lt,
        ">=": operator.ge,
        "<=": operator.le,
    }
)
COMPARISONS = frozenset(COMPARE)
SET_OPERATORS = frozenset({"and", "or", "unless"})


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class Node:
    type: ValueType
    labels: LabelSet = None
    pinned: Pins = field(default_factory=lambda: NO_PINS)
    flows: tuple[Selector, ...] = ()
    raw: tuple[Selector, ...] = ()
    quantity: Quantity = UNKNOWN_QUANTITY
    constant: float | None = None

    def children(self) -> tuple[Node, ...]:
        return ()

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, parents first, left to right."""
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children()))

    def shape(self, ignore: frozenset[str]) -> object:
        """A comparable form of the expression, without matchers on the ``ignore`` labels
        and without multiplication or division by numbers (``100 * x`` has x's shape)."""
        return (type(self).__name__,)

    @property
    def is_scalar(self) -> bool:
        return self.type is ValueType.SCALAR


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class Selector(Node):
    name: str | None  # None when the metric is chosen by a regex on __name__
    matchers: tuple[Matcher, ...]  # without the __name__ matcher
    range_ms: int | None = None  # [5m]
    offset_ms: int | None = None
    metric: Metric | None = None  # the catalog family, when the name is declared
    sample: Sample | None = None  # which series of the family

    @property
    def text(self) -> str:
        """The selector in canonical form, for messages: ``x{a="1"}[5m] offset 1h``."""
        inner = ", ".join(str(m) for m in self.matchers)
        text = (self.name or "") + ("{" + inner + "}" if inner or self.name is None else "")
        if self.range_is_rate_interval:
            text += "[$__rate_interval]"
        elif self.range_ms is not None:
            text += f"[{format_ms(self.range_ms)}]"
        if self.offset_ms:
            text += f" offset {format_ms(self.offset_ms)}"
        return text

    @property
    def range_is_rate_interval(self) -> bool:
        """True when the range was written as ``$__rate_interval`` (sized by Grafana)."""
        return self.range_ms == RATE_INTERVAL_MS

    def shape(self, ignore: frozenset[str]) -> object:
        kept = tuple(sorted(str(m) for m in self.matchers if m.label not in ignore))
        return ("selector", self.name, kept, self.range_ms, self.offset_ms)

    def matched(self, label: str) -> list[Matcher]:
        return [m for m in self.matchers if m.label == label]


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class Number(Node):
    value: float

    def shape(self, ignore: frozenset[str]) -> object:
        return ("number", self.value)


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class String(Node):
    value: str

    def shape(self, ignore: frozenset[str]) -> object:
        return ("string", self.value)


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class Call(Node):
    function: str
    args: tuple[Node, ...]
    arg_types: tuple[ValueType, ...]  # what the function expects, one per argument given

    def children(self) -> tuple[Node, ...]:
        return self.args

    def shape(self, ignore: frozenset[str]) -> object:
        return ("call", self.function, tuple(a.shape(ignore) for a in self.args))

    @property
    def series_arg(self) -> Node | None:
        """The argument whose series the function reads (the first vector or range)."""
        for arg in self.args:
            if arg.type in (ValueType.VECTOR, ValueType.MATRIX):
                return arg
        return None


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class Aggregation(Node):
    op: str  # sum, avg, count, topk, count_values, ...
    expr: Node
    param: Node | None = None  # topk's k, quantile's φ, count_values' label
    grouping: tuple[str, ...] = ()
    without: bool = False  # grouping lists the labels dropped, not those kept
    grouped: bool = False  # a by/without clause is written (``by ()`` included)

    def children(self) -> tuple[Node, ...]:
        return (self.param, self.expr) if self.param is not None else (self.expr,)

    def shape(self, ignore: frozenset[str]) -> object:
        param = self.param.shape(ignore) if self.param is not None else None
        clause = (self.without, tuple(sorted(self.grouping))) if self.grouped else None
        return ("aggregation", self.op, param, clause, self.expr.shape(ignore))


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class Binary(Node):
    op: str
    lhs: Node
    rhs: Node
    bool_modifier: bool = False
    card: Card = Card.ONE_TO_ONE
    matching: tuple[str, ...] | None = None  # the on/ignoring list; None when neither is written
    on: bool = False  # matching lists the labels compared (on), not those ignored
    include: tuple[str, ...] = ()  # group_left/group_right labels

    def children(self) -> tuple[Node, ...]:
        return (self.lhs, self.rhs)

    def shape(self, ignore: frozenset[str]) -> object:
        if self.op in ("*", "/") and self.rhs.constant is not None:
            return self.lhs.shape(ignore)
        if self.op == "*" and self.lhs.constant is not None:
            return self.rhs.shape(ignore)
        match = (self.on, tuple(sorted(self.matching))) if self.matching is not None else None
        return ("binary", self.op, match, self.lhs.shape(ignore), self.rhs.shape(ignore))

    @property
    def is_comparison(self) -> bool:
        return self.op in COMPARISONS

    @property
    def is_filter(self) -> bool:
        """A comparison that drops series (no ``bool`` modifier)."""
        return self.op in COMPARISONS and not self.bool_modifier

    @property
    def is_set_operator(self) -> bool:
        return self.op in SET_OPERATORS

    @property
    def between_vectors(self) -> bool:
        return not self.lhs.is_scalar and not self.rhs.is_scalar

    def matching_labels(self, side: Node) -> LabelSet:
        """The labels of ``side`` that pair it with the other side."""
        if self.matching is not None and self.on:
            return frozenset(self.matching)
        if side.labels is None:
            return None
        return side.labels - frozenset(self.matching or ())


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class Paren(Node):
    expr: Node

    def children(self) -> tuple[Node, ...]:
        return (self.expr,)

    def shape(self, ignore: frozenset[str]) -> object:
        return self.expr.shape(ignore)


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class Unary(Node):
    expr: Node  # -expr

    def children(self) -> tuple[Node, ...]:
        return (self.expr,)

    def shape(self, ignore: frozenset[str]) -> object:
        return ("negative", self.expr.shape(ignore))


@dataclass(frozen=True, slots=True, eq=False, kw_only=True)
class Subquery(Node):
    expr: Node
    range_ms: int
    step_ms: int | None = None
    offset_ms: int | None = None

    def children(self) -> tuple[Node, ...]:
        return (self.expr,)

    def shape(self, ignore: frozenset[str]) -> object:
        return ("subquery", self.range_ms, self.step_ms, self.offset_ms, self.expr.shape(ignore))


def unwrap(node: Node) -> Node:
    """The node inside any parentheses."""
    while isinstance(node, Paren):
        node = node.expr
    return node


def selectors_with_function(node: Node) -> Iterator[tuple[Selector, str | None]]:
    """Every selector under ``node`` with the function it is the direct argument of."""
    stack: list[tuple[Node, str | None]] = [(node, None)]
    while stack:
        current, function = stack.pop()
        if isinstance(current, Selector):
            yield current, function
            continue
        inner = current.function if isinstance(current, Call) else None
        stack.extend((child, inner) for child in reversed(current.children()))
