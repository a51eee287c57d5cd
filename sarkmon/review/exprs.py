"""PromQL compared by meaning: one canonical text per syntax tree, thresholds apart.

``sum(rate(x[300s])) by (b, a) > 0.30`` and ``sum by (a, b) (rate(x[5m])) > 0.3`` are the
same query; both print as the same canonical text. The *skeleton* replaces every constant a
comparison tests against with ``§``, so that a change of threshold alone is reported as
that (``> 0.3`` -> ``> 0.4``) instead of as a new expression.

Grafana variables are kept apart from literal values: a variable used as a range prints as
the variable (``[$__rate_interval]`` never equals ``[1m]``), and the canonical text ends
with the variables the query reads, whatever their position.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sarkmon.model.durations import format_ms
from sarkmon.promql.parse import duration_ms, node_kind, parse
from sarkmon.promql.variables import variables_in

COMPARISONS = frozenset({"==", "!=", ">", "<", ">=", "<="})
HOLE = "§"
# Ranges written as a variable parse as these durations (one per variable), then print back
# as the variable: no real query uses a range of 104 minutes and some odd milliseconds.
_SENTINEL_BASE_MS = 6_271_001


@dataclass(frozen=True)
class Expr:
    text: str  # as written
    canon: str  # equal canonical texts: the same query
    skeleton: str  # the canonical text with compared constants replaced by HOLE
    thresholds: tuple[str, ...]  # the comparisons with a constant, in order: "> 0.3"
    ok: bool  # False when the text does not parse (compared as whitespace-normalized text)


def number_text(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    return format(value, ".15g")


@functools.lru_cache(maxsize=65536)
def expr(text: str) -> Expr:
    """The canonical forms of one expression (cached: a tree's queries repeat a lot)."""
    names = variables_in(text)
    sentinels = {name: f"{_SENTINEL_BASE_MS + i}ms" for i, name in enumerate(names)}
    parsed = parse(text, sentinels)
    if not parsed.ok:
        flat = " ".join(text.split())
        return Expr(text, flat, flat, (), False)
    back = {_SENTINEL_BASE_MS + i: f"${name}" for i, name in enumerate(names)}
    printer = _Printer(back)
    canon = printer.print(parsed.ast)
    skeleton = _Printer(back, holes=True).print(parsed.ast)
    if names:
        # Where a variable stands outside a range (a label list, a number) it printed as a
        # placeholder value: the variables read make the difference.
        suffix = " # " + ",".join(sorted(names))
        canon += suffix
        skeleton += suffix
    return Expr(text, canon, skeleton, tuple(printer.thresholds), True)


def same(a: str, b: str) -> bool:
    return expr(a).canon == expr(b).canon


def _unwrap(node: Any) -> Any:
    while node_kind(node) == "ParenExpr":
        node = node.expr
    return node


class _Printer:
    def __init__(self, variables: dict[int, str], holes: bool = False) -> None:
        self.variables = variables
        self.holes = holes
        self.thresholds: list[str] = []

    def duration(self, value: Any) -> str:
        ms = duration_ms(value)
        if ms is None:
            return ""
        if ms in self.variables:
            return self.variables[ms]
        return ("-" + format_ms(-ms)) if ms < 0 else format_ms(ms)

    def modifiers(self, node: Any) -> str:
        out = ""
        offset = getattr(node, "offset", None)
        if offset is not None:
            out += " offset " + self.duration(offset)
        at = getattr(node, "at", None)
        if at is not None:
            out += " " + str(at)
        return out

    def print(self, node: Any) -> str:
        node = _unwrap(node)
        kind = node_kind(node)
        method = getattr(self, "_" + kind, None)
        return method(node) if method is not None else str(node)

    def _NumberLiteral(self, node: Any) -> str:
        return number_text(node.val)

    def _StringLiteral(self, node: Any) -> str:
        return _quote(node.val)

    def _VectorSelector(self, node: Any) -> str:
        return self._selector(node) + self.modifiers(node)

    def _selector(self, node: Any) -> str:
        if node.matchers.or_matchers:
            return str(node).split(" offset ")[0].split(" @ ")[0]
        name = node.name or ""
        matchers = sorted(
            f"{m.name}{_OPS.get(str(m.op), str(m.op))}{_quote(m.value)}"
            for m in node.matchers.matchers
            if not (m.name == "__name__" and name and str(m.op) == "MatchOp.Equal")
        )
        return name + ("{" + ",".join(matchers) + "}" if matchers or not name else "")

    def _MatrixSelector(self, node: Any) -> str:
        inner = node.vector_selector
        return f"{self._selector(inner)}[{self.duration(node.range)}]{self.modifiers(inner)}"

    def _SubqueryExpr(self, node: Any) -> str:
        step = self.duration(node.step) if node.step is not None else ""
        body = f"({self.print(node.expr)})[{self.duration(node.range)}:{step}]"
        return body + self.modifiers(node)

    def _Call(self, node: Any) -> str:
        return f"{node.func.name}({', '.join(self.print(a) for a in node.args)})"

    def _AggregateExpr(self, node: Any) -> str:
        grouping = ""
        if node.modifier is not None:
            word = "without" if "without" in str(node.modifier).lower() else "by"
            grouping = f" {word} ({', '.join(sorted(node.modifier.labels))})"
        args = [self.print(node.param)] if node.param is not None else []
        args.append(self.print(node.expr))
        return f"{node.op}{grouping}({', '.join(args)})"

    def _UnaryExpr(self, node: Any) -> str:
        return f"-({self.print(node.expr)})"

    def _BinaryExpr(self, node: Any) -> str:
        op = str(node.op)
        modifier = node.modifier
        words = ""
        if modifier is not None:
            if modifier.return_bool:
                words += " bool"
            matching = modifier.matching
            if matching is not None:
                word = "ignoring" if "Exclude" in str(matching.type) else "on"
                words += f" {word} ({', '.join(sorted(matching.labels))})"
            card = str(modifier.card)
            if card.endswith(("ManyToOne", "OneToMany")):
                side = "group_left" if card.endswith("ManyToOne") else "group_right"
                words += f" {side} ({', '.join(sorted(modifier.group_labels or ()))})"
        lhs, rhs = _unwrap(node.lhs), _unwrap(node.rhs)
        left, right = self._operand(lhs), self._operand(rhs)
        if op in COMPARISONS:
            if node_kind(rhs) == "NumberLiteral":
                self.thresholds.append(f"{op}{' bool' if 'bool' in words else ''} {right}")
                right = HOLE if self.holes else right
            elif node_kind(lhs) == "NumberLiteral":
                self.thresholds.append(f"{left} {op}{' bool' if 'bool' in words else ''}")
                left = HOLE if self.holes else left
        return f"{left} {op}{words} {right}"

    def _operand(self, node: Any) -> str:
        text = self.print(node)
        return f"({text})" if node_kind(node) == "BinaryExpr" else text


_OPS = {
    "MatchOp.Equal": "=",
    "MatchOp.NotEqual": "!=",
    "MatchOp.Re": "=~",
    "MatchOp.NotRe": "!~",
}


def _quote(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'
