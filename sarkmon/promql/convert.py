"""Converting promql-parser's AST into the typed tree, computing every node's facts once.

The conversion is a single bottom-up pass: a node's labels, pins, value flows and unit are
derived from its children's, with the catalog resolving selectors. It is the only module
that reads promql-parser objects besides :mod:`.parse`.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Mapping
from typing import Any

from sarkmon.model.catalog import Catalog
from sarkmon.model.metrics import Matcher, Op, Sample
from sarkmon.promql import units
from sarkmon.promql.functions import Unit, Values, function
from sarkmon.promql.labels import NO_LABELS, aggregate_flow, binary_flow, call_flow, selector_flow
from sarkmon.promql.parse import duration_ms, node_kind
from sarkmon.promql.tree import (
    ARITHMETIC,
    COMPARE,
    NO_PINS,
    SET_OPERATORS,
    Aggregation,
    Binary,
    Call,
    Card,
    Node,
    Number,
    Paren,
    Selector,
    String,
    Subquery,
    Unary,
    ValueType,
)
from sarkmon.promql.units import Quantity

_OPS = {
    "MatchOp.Equal": Op.EQ,
    "MatchOp.NotEqual": Op.NE,
    "MatchOp.Re": Op.RE,
    "MatchOp.NotRe": Op.NRE,
}
_TYPES = {
    "ValueType.Scalar": ValueType.SCALAR,
    "ValueType.Vector": ValueType.VECTOR,
    "ValueType.Matrix": ValueType.MATRIX,
    "ValueType.String": ValueType.STRING,
}
_CARDS = {
    "VectorMatchCardinality.OneToOne": Card.ONE_TO_ONE,
    "VectorMatchCardinality.ManyToOne": Card.MANY_TO_ONE,
    "VectorMatchCardinality.OneToMany": Card.ONE_TO_MANY,
    "VectorMatchCardinality.ManyToMany": Card.MANY_TO_MANY,
}
# Series that keep counting up between resets: raw values of these mean little.
CUMULATIVE = frozenset({Sample.TOTAL, Sample.BUCKET, Sample.COUNT, Sample.SUM})
# Target labels that a single scrape job pins; instance is left out (targets move).
_UNPINNED_TARGET_LABELS = frozenset({"instance"})


def to_tree(ast: Any, catalog: Catalog | None = None) -> Node:
    """The typed tree of a parsed expression, with facts resolved against ``catalog``."""
    if catalog is None:
        return _Converter(None).node(ast)
    converter = _CONVERTERS.get(catalog)
    if converter is None:
        converter = _CONVERTERS[catalog] = _Converter(catalog)
    return converter.node(ast)


def matcher_of(raw: Any) -> Matcher:
    return Matcher(raw.name, _OPS[str(raw.op)], raw.value)


class _Converter:
    """Converts expressions against one catalog, remembering what it resolved."""

    def __init__(self, catalog: Catalog | None) -> None:
        self.catalog = catalog
        self._job_pins: dict[str, Mapping[str, str]] = {}
        self._labels: dict[str, frozenset[str] | None] = {}
        self._signatures: dict[str, tuple[list[ValueType], ValueType]] = {}

    def node(self, ast: Any) -> Node:
        kind = node_kind(ast)
        if kind == "VectorSelector":
            return self.selector(ast, None)
        if kind == "MatrixSelector":
            return self.selector(ast.vector_selector, duration_ms(ast.range))
        if kind == "NumberLiteral":
            value = float(ast.val)
            return Number(type=ValueType.SCALAR, labels=NO_LABELS, value=value, constant=value)
        if kind == "StringLiteral":
            return String(type=ValueType.STRING, labels=NO_LABELS, value=str(ast.val))
        if kind == "Call":
            return self.call(ast)
        if kind == "AggregateExpr":
            return self.aggregation(ast)
        if kind == "BinaryExpr":
            return self.binary(ast)
        if kind == "ParenExpr":
            inner = self.node(ast.expr)
            return Paren(**_facts_of(inner), type=inner.type, constant=inner.constant, expr=inner)
        if kind == "UnaryExpr":
            inner = self.node(ast.expr)
            constant = None if inner.constant is None else -inner.constant
            return Unary(**_facts_of(inner), type=inner.type, constant=constant, expr=inner)
        if kind == "SubqueryExpr":
            inner = self.node(ast.expr)
            return Subquery(
                **_facts_of(inner),
                type=ValueType.MATRIX,
                expr=inner,
                range_ms=duration_ms(ast.range) or 0,
                step_ms=duration_ms(ast.step),
                offset_ms=duration_ms(ast.offset),
            )
        raise ValueError(f"unexpected PromQL node {kind}")

    # -- selectors ----------------------------------------------------------------------------
    def selector(self, ast: Any, range_ms: int | None) -> Selector:
        all_matchers = [matcher_of(m) for m in ast.matchers.matchers]
        name = ast.name
        if name is None:
            for m in all_matchers:
                if m.label == "__name__" and m.op is Op.EQ:
                    name = m.value
        matchers = tuple(m for m in all_matchers if m.label != "__name__")
        ref = self.catalog.resolve(name) if self.catalog is not None and name else None
        labels = self.series_labels(name) if ref is not None else None
        if labels is not None:
            labels = self.narrowed_to_job(labels, matchers)
        labels, pins = selector_flow(labels, matchers, self.job_pins(name) if ref else NO_PINS)
        node = Selector(
            type=ValueType.VECTOR if range_ms is None else ValueType.MATRIX,
            labels=labels,
            pinned=pins,
            quantity=units.of_sample(ref.metric if ref else None, ref.kind if ref else None),
            name=name,
            matchers=matchers,
            range_ms=range_ms,
            offset_ms=duration_ms(ast.offset),
            metric=ref.metric if ref else None,
            sample=ref.kind if ref else None,
        )
        # A selector is its own value flow (set after construction: it names itself).
        object.__setattr__(node, "flows", (node,))
        if ref is not None and ref.kind in CUMULATIVE:
            object.__setattr__(node, "raw", (node,))
        return node

    def series_labels(self, name: str) -> frozenset[str] | None:
        if name not in self._labels:
            assert self.catalog is not None
            self._labels[name] = self.catalog.series_labels(name)
        return self._labels[name]

    def narrowed_to_job(
        self, labels: frozenset[str], matchers: tuple[Matcher, ...]
    ) -> frozenset[str]:
        """Without the static labels other jobs add, when a matcher picks one scrape job."""
        assert self.catalog is not None
        jobs = [m.value for m in matchers if m.label == "job" and m.op is Op.EQ]
        job = self.catalog.scrape.job(jobs[0]) if jobs else None
        if job is None:
            return labels
        others = {k for j in self.catalog.scrape.jobs for k in j.labels} - set(job.labels)
        return labels - others

    def signature(self, func: Any) -> tuple[list[ValueType], ValueType]:
        """A function's argument types and return type."""
        name = str(func.name)
        found = self._signatures.get(name)
        if found is None:
            expected = [_TYPES[str(t)] for t in func.arg_types]
            found = self._signatures[name] = (expected, _TYPES[str(func.return_type)])
        return found

    def job_pins(self, name: str) -> Mapping[str, str]:
        """Target labels with a single possible value for this series (one scrape job)."""
        found = self._job_pins.get(name)
        if found is None:
            assert self.catalog is not None
            metric = self.catalog.metric(name)
            values = self.catalog.target_labels(metric) if metric is not None else {}
            found = {
                label: next(iter(options))
                for label, options in values.items()
                if len(options) == 1 and label not in _UNPINNED_TARGET_LABELS
            }
            self._job_pins[name] = found
        return found

    # -- functions and aggregations -------------------------------------------------------------
    def call(self, ast: Any) -> Call:
        args = tuple(self.node(a) for a in ast.args)
        func = ast.func
        name = str(func.name)
        declared, returns = self.signature(func)
        expected = list(declared)
        while expected and len(expected) < len(args):
            expected.append(expected[-1])
        series = next((a for a in args if a.type in (ValueType.VECTOR, ValueType.MATRIX)), None)
        labels, pins = call_flow(name, args, series)
        rule = function(name)
        flows = series.flows if series is not None and rule.values is not Values.NONE else ()
        raw = series.raw if series is not None and rule.values is Values.KEEP else ()
        return Call(
            type=returns,
            labels=labels,
            pinned=pins,
            flows=flows,
            raw=raw,
            quantity=_call_quantity(rule.unit, series),
            function=name,
            args=args,
            arg_types=tuple(expected[: len(args)]),
        )

    def aggregation(self, ast: Any) -> Aggregation:
        op = str(ast.op)
        expr = self.node(ast.expr)
        param = self.node(ast.param) if ast.param is not None else None
        modifier = ast.modifier
        grouping = tuple(modifier.labels) if modifier is not None else ()
        without = modifier is not None and not str(modifier.type).endswith("By")
        labels, pins = aggregate_flow(op, expr, grouping, without, param)
        counts = op in ("count", "group", "count_values")
        quantity = units.COUNT if op in ("count", "group") else expr.quantity
        if op in ("count_values", "stdvar"):
            quantity = units.UNKNOWN_QUANTITY
        return Aggregation(
            type=ValueType.VECTOR,
            labels=labels,
            pinned=pins,
            flows=() if counts else expr.flows,
            raw=() if counts else expr.raw,
            quantity=quantity,
            op=op,
            expr=expr,
            param=param,
            grouping=grouping,
            without=without,
            grouped=modifier is not None,
        )

    # -- binary operators -----------------------------------------------------------------------
    def binary(self, ast: Any) -> Binary:
        op = str(ast.op)
        lhs, rhs = self.node(ast.lhs), self.node(ast.rhs)
        modifier = ast.modifier
        bool_modifier = bool(modifier is not None and modifier.return_bool)
        card = Card.MANY_TO_MANY if op in SET_OPERATORS else Card.ONE_TO_ONE
        matching: tuple[str, ...] | None = None
        on = False
        include: tuple[str, ...] = ()
        if modifier is not None:
            card = _CARDS.get(str(modifier.card), card)
            if modifier.matching is not None:
                matching = tuple(modifier.matching.labels)
                on = str(modifier.matching.type).endswith("Include")
            include = tuple(modifier.group_labels or ())
        labels, pins = binary_flow(op, lhs, rhs, card, matching, on, include)
        if bool_modifier:
            flows: tuple[Selector, ...] = ()
            raw: tuple[Selector, ...] = ()
        elif op in ("and", "unless"):
            flows, raw = lhs.flows, lhs.raw
        else:
            flows, raw = lhs.flows + rhs.flows, lhs.raw + rhs.raw
        return Binary(
            type=ValueType.SCALAR if lhs.is_scalar and rhs.is_scalar else ValueType.VECTOR,
            labels=labels,
            pinned=pins,
            flows=flows,
            raw=raw,
            quantity=_binary_quantity(op, lhs, rhs, bool_modifier),
            constant=_fold(op, lhs.constant, rhs.constant, bool_modifier),
            op=op,
            lhs=lhs,
            rhs=rhs,
            bool_modifier=bool_modifier,
            card=card,
            matching=matching,
            on=on,
            include=include,
        )


def _facts_of(inner: Node) -> dict[str, Any]:
    """The facts a wrapper (parentheses, minus, subquery) takes over from what it wraps."""
    return {
        "labels": inner.labels,
        "pinned": inner.pinned,
        "flows": inner.flows,
        "raw": inner.raw,
        "quantity": inner.quantity,
    }


_CONVERTERS: weakref.WeakKeyDictionary[Catalog, _Converter] = weakref.WeakKeyDictionary()


def _call_quantity(rule: Unit, series: Node | None) -> Quantity:
    if rule is Unit.COUNT:
        return units.COUNT
    if rule is Unit.SECONDS:
        return units.SECONDS
    if rule is Unit.RATIO:
        return units.RATIO
    if series is None or rule is Unit.UNKNOWN:
        return units.UNKNOWN_QUANTITY
    if rule is Unit.PER_SECOND:
        return units.per_second(series.quantity)
    if rule is Unit.QUANTILE:
        families = {s.metric for s in series.flows if s.sample is Sample.BUCKET}
        only = families.pop() if len(families) == 1 and len(series.flows) else None
        if only is None or any(s.sample is not Sample.BUCKET for s in series.flows):
            return units.UNKNOWN_QUANTITY
        return units.of_unit(only.unit)
    return series.quantity


def _binary_quantity(op: str, lhs: Node, rhs: Node, bool_modifier: bool) -> Quantity:
    if bool_modifier:
        return units.COUNT
    if lhs.constant is not None and rhs.constant is not None:
        return units.UNKNOWN_QUANTITY
    if rhs.constant is not None:
        return units.with_constant(op, lhs.quantity, rhs.constant, constant_first=False)
    if lhs.constant is not None:
        return units.with_constant(op, rhs.quantity, lhs.constant, constant_first=True)
    return units.combine(op, lhs.quantity, rhs.quantity)


def _fold(op: str, lhs: float | None, rhs: float | None, bool_modifier: bool) -> float | None:
    """The value of a binary operation on two numbers (comparisons need ``bool``)."""
    if lhs is None or rhs is None:
        return None
    compute = ARITHMETIC.get(op)
    if compute is None:
        if not bool_modifier:
            return None
        return float(COMPARE[op](lhs, rhs)) if op in COMPARE else None
    try:
        return compute(lhs, rhs)
    except (ZeroDivisionError, OverflowError, ValueError):
        return math.nan
