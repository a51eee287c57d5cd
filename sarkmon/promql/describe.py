"""PromQL in words, for runbooks: what an expression computes and which thresholds it tests.

Works on an already parsed expression (``ExprSite.parsed.ast``). Selectors and label names
are returned as Markdown code spans; the rest is plain words, so that "the per-second rate
of `x` over 5m, summed by `le`" reads at 3 a.m. without knowing PromQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sarkmon.model.catalog import Catalog
from sarkmon.model.durations import format_ms
from sarkmon.promql.parse import duration_ms, node_kind
from sarkmon.promql.walk import matcher_of

_RANGE_FUNCS = {
    "rate": "the per-second rate of {x} over {w}",
    "irate": "the per-second rate of {x} between its last two samples within {w}",
    "increase": "the increase of {x} over {w}",
    "delta": "the change of {x} over {w}",
    "idelta": "the change of {x} between its last two samples within {w}",
    "deriv": "the per-second derivative of {x} over {w}",
    "changes": "the number of changes of {x} over {w}",
    "resets": "the number of counter resets of {x} over {w}",
    "avg_over_time": "the average of {x} over {w}",
    "min_over_time": "the minimum of {x} over {w}",
    "max_over_time": "the maximum of {x} over {w}",
    "sum_over_time": "the sum of {x} over {w}",
    "count_over_time": "the number of samples of {x} over {w}",
    "last_over_time": "the last sample of {x} within {w}",
    "stddev_over_time": "the standard deviation of {x} over {w}",
    "stdvar_over_time": "the variance of {x} over {w}",
    "present_over_time": "1 where {x} has samples within {w}",
    "absent_over_time": "1 when {x} has no sample within {w}",
}
_AGGREGATIONS = {
    "sum": "the sum",
    "avg": "the average",
    "min": "the minimum",
    "max": "the maximum",
    "count": "the count",
    "group": "one series per group",
    "stddev": "the standard deviation",
    "stdvar": "the variance",
}
_ARITHMETIC = {
    "+": "plus",
    "-": "minus",
    "*": "times",
    "/": "divided by",
    "%": "modulo",
    "^": "to the power of",
    "atan2": "atan2 with",
}
COMPARISONS = {
    ">": "is above",
    "<": "is below",
    ">=": "is at least",
    "<=": "is at most",
    "==": "equals",
    "!=": "differs from",
}
_FLIPPED = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "==": "==", "!=": "!="}
_SET_OPS = {"and": "and", "or": "or else", "unless": "unless"}


def number(value: float) -> str:
    """A number as people write it: ``0.05``, ``1000``, not ``1000.0`` or ``5e-02``."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def code(text: str) -> str:
    """A Markdown code span holding ``text`` literally, whatever backticks it contains."""
    if "`" not in text:
        return f"`{text}`"
    longest = run = 0
    for char in text:
        run = run + 1 if char == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def percentile(phi: float) -> str:
    if phi == 0.5:
        return "median"
    pct = number(round(phi * 100, 6))
    suffix = "th"
    if pct.isdigit() and int(pct) % 100 not in (11, 12, 13):
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(int(pct) % 10, "th")
    return f"{pct}{suffix} percentile"


def _labels(names: Any) -> str:
    return ", ".join(code(n) for n in names)


def _selector(node: Any, with_offset: bool = True) -> str:
    matchers = [matcher_of(m) for m in node.matchers.matchers if m.name != "__name__"]
    text = node.name or ""
    if matchers or not text:
        text += "{" + ", ".join(str(m) for m in matchers) + "}"
    words = code(text)
    offset = duration_ms(node.offset)
    if offset and with_offset:
        words += f" as of {format_ms(offset)} earlier"
    return words


def _window(node: Any) -> tuple[str, str]:
    """What a range argument reads, and over which window (and how long ago)."""
    kind = node_kind(node)
    if kind == "MatrixSelector":
        selector = node.vector_selector
        window = format_ms(duration_ms(node.range) or 0)
        offset = duration_ms(selector.offset)
        if offset:
            window += f" ({format_ms(offset)} earlier)"
        return _selector(selector, with_offset=False), window
    if kind == "SubqueryExpr":
        step = duration_ms(node.step)
        window = format_ms(duration_ms(node.range) or 0)
        return f"({describe(node.expr)})", window + (f" at {format_ms(step)} steps" if step else "")
    return describe(node), "its range"


def _call(node: Any) -> str:
    name = node.func.name
    args = list(node.args)
    if name in _RANGE_FUNCS and args:
        what, window = _window(args[-1])
        return _RANGE_FUNCS[name].format(x=what, w=window)
    if name == "quantile_over_time" and len(args) == 2:
        what, window = _window(args[1])
        return f"the {_phi(args[0])} of {what} over {window}"
    if name == "histogram_quantile" and len(args) == 2:
        return f"the {_phi(args[0])} of {_operand(args[1])}"
    if name == "absent" and args:
        return f"1 when no series matches {describe(args[0])}"
    if name in ("vector", "scalar") and args:
        return describe(args[0])
    if name == "predict_linear" and len(args) == 2:
        what, window = _window(args[0])
        return f"{what} predicted {describe(args[1])}s ahead from its trend over {window}"
    if name in ("clamp_min", "clamp_max") and len(args) == 2:
        side = "at least" if name == "clamp_min" else "at most"
        return f"{_operand(args[0])}, {side} {describe(args[1])}"
    if name in ("label_replace", "label_join") and args:
        return f"{describe(args[0])} (with label {code(args[1].val)} rewritten)"
    inner = ", ".join(describe(a) for a in args)
    return f"{code(name)}({inner})" if args else f"{code(name + '()')}"


def _phi(node: Any) -> str:
    return percentile(node.val) if node_kind(node) == "NumberLiteral" else describe(node)


def _aggregate(node: Any) -> str:
    """Prefix words: "the sum by `le` of <inner>"."""
    op = str(node.op)
    modifier = node.modifier
    grouping = ""
    if modifier is not None and modifier.labels:
        by = "by" if str(modifier.type).endswith("By") else "without"
        grouping = f" {by} {_labels(modifier.labels)}"
    inner = _operand(node.expr)
    if op in ("topk", "bottomk", "limitk"):
        side = {"topk": "the top", "bottomk": "the bottom", "limitk": "any"}[op]
        return f"{side} {describe(node.param)} series{grouping} of {inner}"
    if op == "quantile":
        return f"the {_phi(node.param)}{grouping} of {inner}"
    if op == "count_values":
        return f"the count{grouping} of each value of {inner} (into label {code(node.param.val)})"
    return f"{_AGGREGATIONS.get(op, op)}{grouping} of {inner}"


def _operand(node: Any) -> str:
    """An operand of a binary operator, parenthesized when it is itself an operation."""
    inner = node.expr if node_kind(node) == "ParenExpr" else node
    text = describe(inner)
    return f"({text})" if node_kind(inner) == "BinaryExpr" else text


def _matching(modifier: Any) -> str:
    if modifier is None:
        return ""
    out = ""
    matching = modifier.matching
    if matching is not None and matching.labels:
        how = "on" if str(matching.type).endswith("Include") else "ignoring"
        out = f" (matching {how} {_labels(matching.labels)})"
    if modifier.group_labels:
        out += f" (keeping {_labels(modifier.group_labels)})"
    return out


def _binary(node: Any) -> str:
    op = str(node.op)
    lhs, rhs = _operand(node.lhs), _operand(node.rhs)
    modifier = node.modifier
    if op in _SET_OPS:
        return f"{lhs}, {_SET_OPS[op]} {rhs}{_matching(modifier)}"
    if op in COMPARISONS:
        test = f"{lhs} {COMPARISONS[op]} {rhs}{_matching(modifier)}"
        if modifier is not None and modifier.return_bool:
            return f"1 where {test}, else 0"
        return test
    return f"{lhs} {_ARITHMETIC.get(op, op)} {rhs}{_matching(modifier)}"


def describe(node: Any) -> str:
    """The expression in words."""
    kind = node_kind(node)
    if kind == "NumberLiteral":
        return number(node.val)
    if kind == "StringLiteral":
        return code(node.val)
    if kind == "VectorSelector":
        return _selector(node)
    if kind in ("MatrixSelector", "SubqueryExpr"):
        what, window = _window(node)
        return f"{what} over the last {window}"
    if kind == "ParenExpr":
        return describe(node.expr)
    if kind == "UnaryExpr":
        return f"minus {_operand(node.expr)}"
    if kind == "Call":
        return _call(node)
    if kind == "AggregateExpr":
        return _aggregate(node)
    if kind == "BinaryExpr":
        return _binary(node)
    return code(str(node))


@dataclass(frozen=True)
class Threshold:
    """One comparison with a constant that an alert's condition tests."""

    subject: Any  # the compared expression (AST node)
    op: str  # as the subject is compared: ``subject op value``
    value: float

    @property
    def text(self) -> str:
        return f"{self.op} {number(self.value)}"


def _constant(node: Any) -> float | None:
    kind = node_kind(node)
    if kind == "ParenExpr":
        return _constant(node.expr)
    if kind == "NumberLiteral":
        return float(node.val)
    if kind == "UnaryExpr":
        inner = _constant(node.expr)
        return None if inner is None else -inner
    return None


def thresholds(node: Any) -> Iterator[Threshold]:
    """The comparisons with a constant at the top of a condition (through and/or/unless)."""
    kind = node_kind(node)
    if kind == "ParenExpr":
        yield from thresholds(node.expr)
        return
    if kind != "BinaryExpr":
        return
    op = str(node.op)
    if op in _SET_OPS:
        yield from thresholds(node.lhs)
        yield from thresholds(node.rhs)
        return
    if op not in COMPARISONS or (node.modifier is not None and node.modifier.return_bool):
        return
    right, left = _constant(node.rhs), _constant(node.lhs)
    if right is not None and left is None:
        yield Threshold(node.lhs, op, right)
    elif left is not None and right is None:
        yield Threshold(node.rhs, _FLIPPED[op], left)


# -- units --------------------------------------------------------------------------------

_KEEPS_UNIT = {"avg_over_time", "min_over_time", "max_over_time", "last_over_time", "abs"}
_KEEPS_UNIT |= {"quantile_over_time", "clamp_min", "clamp_max", "round", "ceil", "floor"}


def value_unit(node: Any, catalog: Catalog) -> str:
    """The unit of an expression's values when it is plainly the unit of what it reads."""
    kind = node_kind(node)
    if kind == "ParenExpr":
        return value_unit(node.expr, catalog)
    if kind == "VectorSelector":
        metric = catalog.metric(node.name) if node.name else None
        return metric.unit if metric is not None else ""
    if kind == "MatrixSelector":
        return value_unit(node.vector_selector, catalog)
    if kind == "AggregateExpr" and str(node.op) in ("sum", "avg", "min", "max", "quantile"):
        return value_unit(node.expr, catalog)
    if kind == "Call":
        name = node.func.name
        if name == "histogram_quantile":
            return _histogram_unit(node.args[1], catalog)
        if name in _KEEPS_UNIT:
            return value_unit(
                node.args[-1] if name == "quantile_over_time" else node.args[0], catalog
            )
    return ""


def _histogram_unit(node: Any, catalog: Catalog) -> str:
    """The unit of the histogram whose buckets an expression aggregates."""
    kind = node_kind(node)
    if kind in ("ParenExpr", "AggregateExpr"):
        return _histogram_unit(node.expr, catalog)
    if kind == "Call" and node.args:
        return _histogram_unit(node.args[-1], catalog)
    if kind == "MatrixSelector":
        return value_unit(node.vector_selector, catalog)
    return value_unit(node, catalog) if kind == "VectorSelector" else ""


def humanize(value: float, unit: str) -> str:
    """``0.05`` seconds as ``50ms``, ``1073741824`` bytes as ``1GiB``; "" for other units."""
    if unit == "seconds" and value > 0:
        if value < 1:
            return f"{number(round(value * 1000, 6))}ms"
        if value < 60 or value != int(value):
            return f"{number(value)}s"
        return format_ms(int(value * 1000))
    if unit == "bytes" and value > 0:
        size, prefixes = float(value), ["", "Ki", "Mi", "Gi", "Ti"]
        while size >= 1024 and len(prefixes) > 1:
            size /= 1024
            prefixes.pop(0)
        return f"{number(round(size, 2))}{prefixes[0]}B"
    return ""
