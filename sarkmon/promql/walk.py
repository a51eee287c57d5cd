"""Walking a parsed expression: the selectors it reads, the functions they feed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sarkmon.model.metrics import Matcher, Op
from sarkmon.promql.parse import duration_ms, node_kind

_OPS = {
    "MatchOp.Equal": Op.EQ,
    "MatchOp.NotEqual": Op.NE,
    "MatchOp.Re": Op.RE,
    "MatchOp.NotRe": Op.NRE,
}


@dataclass(frozen=True)
class SelectorUse:
    """One series selector in an expression, with the context it is read in."""

    name: str | None  # None when the metric is chosen by a __name__ matcher
    matchers: tuple[Matcher, ...]
    range_ms: int | None = None  # [5m]
    offset_ms: int | None = None
    function: str | None = None  # the function it is the direct argument of
    text: str = ""


def children(node: Any) -> list[Any]:
    kind = node_kind(node)
    if kind in ("ParenExpr", "UnaryExpr", "SubqueryExpr"):
        return [node.expr]
    if kind == "AggregateExpr":
        out = [node.expr]
        if node.param is not None:
            out.insert(0, node.param)
        return out
    if kind == "BinaryExpr":
        return [node.lhs, node.rhs]
    if kind == "Call":
        return list(node.args)
    if kind == "MatrixSelector":
        return [node.vector_selector]
    return []


def nodes(node: Any) -> Iterator[Any]:
    """Every node of the tree, parents before children, left to right."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def matcher_of(raw: Any) -> Matcher:
    return Matcher(raw.name, _OPS[str(raw.op)], raw.value)


def selectors(node: Any, function: str | None = None) -> Iterator[SelectorUse]:
    """Every selector under ``node``, with its range, offset and enclosing function."""
    kind = node_kind(node)
    if kind == "VectorSelector":
        yield _use(node, None, function)
        return
    if kind == "MatrixSelector":
        yield _use(node.vector_selector, duration_ms(node.range), function)
        return
    inner_function = node.func.name if kind == "Call" else None
    for child in children(node):
        yield from selectors(child, inner_function)


def _use(node: Any, range_ms: int | None, function: str | None) -> SelectorUse:
    matchers = tuple(matcher_of(m) for m in node.matchers.matchers)
    name = node.name
    if name is None:
        for m in matchers:
            if m.label == "__name__" and m.op is Op.EQ:
                name = m.value
    offset = duration_ms(node.offset)
    text = str(node)
    if range_ms is not None:
        text = f"{text}[{_short(range_ms)}]"
    return SelectorUse(
        name, tuple(m for m in matchers if m.label != "__name__"), range_ms, offset, function, text
    )


def _short(ms: int) -> str:
    from sarkmon.model.durations import format_ms

    return format_ms(ms)
