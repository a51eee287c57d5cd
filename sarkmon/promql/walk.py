"""Walking a parsed expression: the selectors it reads, the functions they feed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sarkmon.model.metrics import Matcher
from sarkmon.promql.convert import matcher_of
from sarkmon.promql.parse import node_kind
from sarkmon.promql.tree import Node, Selector, selectors_with_function


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
    """The children of a promql-parser node."""
    kind = node_kind(node)
    if kind in ("ParenExpr", "UnaryExpr", "SubqueryExpr"):
        return [node.expr]
    if kind == "AggregateExpr":
        return [node.expr] if node.param is None else [node.param, node.expr]
    if kind == "BinaryExpr":
        return [node.lhs, node.rhs]
    if kind == "Call":
        return list(node.args)
    if kind == "MatrixSelector":
        return [node.vector_selector]
    return []


def nodes(node: Any) -> Iterator[Any]:
    """Every node of a promql-parser tree, parents before children, left to right."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


__all__ = ["SelectorUse", "children", "matcher_of", "nodes", "selectors", "tree_selectors"]


def use_of(selector: Selector, function: str | None) -> SelectorUse:
    return SelectorUse(
        selector.name,
        selector.matchers,
        selector.range_ms,
        selector.offset_ms,
        function,
        selector.text,
    )


def tree_selectors(tree: Node) -> Iterator[SelectorUse]:
    """Every selector of a converted expression, with its range, offset and function."""
    for selector, function in selectors_with_function(tree):
        yield use_of(selector, function)


def selectors(node: Any) -> Iterator[SelectorUse]:
    """Every selector under a promql-parser node, with its range, offset and function."""
    from sarkmon.promql.convert import to_tree

    yield from tree_selectors(to_tree(node))
