"""Label flow: which labels the series of each sub-expression can carry.

A label set is a frozenset of names, or None when it cannot be known (an undeclared
metric, an open label set such as ALERTS). Rules follow Prometheus's evaluator: functions
keep labels unless they are known to change them, aggregations keep their ``by`` labels
(or drop their ``without`` labels), one-to-one matching with ``on`` keeps only the
matching labels and ``group_left``/``group_right`` add the listed ones.
"""

from __future__ import annotations

from typing import Any

from sarkmon.model.catalog import Catalog
from sarkmon.promql.parse import node_kind

LabelSet = frozenset[str] | None

NO_LABELS: frozenset[str] = frozenset()

# Functions whose result has no labels at all, or is a scalar.
_LABELLESS = {
    "vector",
    "time",
    "scalar",
    "pi",
    "minute",
    "hour",
    "day_of_month",
    "day_of_week",
    "day_of_year",
    "days_in_month",
    "month",
    "year",
}
_DATE_FUNCS = {
    "minute",
    "hour",
    "day_of_month",
    "day_of_week",
    "day_of_year",
    "days_in_month",
    "month",
    "year",
}


def output_labels(node: Any, catalog: Catalog) -> LabelSet:
    """The labels the series of ``node`` can carry (metric name excluded)."""
    kind = node_kind(node)
    if kind == "VectorSelector":
        return _selector_labels(node, catalog)
    if kind == "MatrixSelector":
        return _selector_labels(node.vector_selector, catalog)
    if kind in ("ParenExpr", "UnaryExpr", "SubqueryExpr"):
        return output_labels(node.expr, catalog)
    if kind in ("NumberLiteral", "StringLiteral"):
        return NO_LABELS
    if kind == "Call":
        return _call_labels(node, catalog)
    if kind == "AggregateExpr":
        return _aggregate_labels(node, catalog)
    if kind == "BinaryExpr":
        return _binary_labels(node, catalog)
    return None


def _selector_labels(node: Any, catalog: Catalog) -> LabelSet:
    if node.name is None:
        return None
    return catalog.series_labels(node.name)


def _call_labels(node: Any, catalog: Catalog) -> LabelSet:
    name = node.func.name
    args = node.args
    if name in _DATE_FUNCS and args:
        return output_labels(args[0], catalog)
    if name in _LABELLESS:
        return NO_LABELS
    if name in ("absent", "absent_over_time"):
        return _absent_labels(args[0])
    if name in ("label_replace", "label_join"):
        inner = output_labels(args[0], catalog)
        target = args[1].val
        return None if inner is None else inner | {target}
    if name == "histogram_quantile" or name == "histogram_fraction":
        inner = output_labels(args[-1], catalog)
        return None if inner is None else inner - {"le"}
    vector_args = [a for a in args if node_kind(a) not in ("NumberLiteral", "StringLiteral")]
    if not vector_args:
        return NO_LABELS
    return output_labels(vector_args[0], catalog)


def _absent_labels(arg: Any) -> LabelSet:
    """``absent()`` returns one series carrying the selector's equality matchers."""
    node = arg.vector_selector if node_kind(arg) == "MatrixSelector" else arg
    if node_kind(node) != "VectorSelector":
        return NO_LABELS
    equal = {m.name for m in node.matchers.matchers if str(m.op) == "MatchOp.Equal"}
    return frozenset(equal - {"__name__"})


def _aggregate_labels(node: Any, catalog: Catalog) -> LabelSet:
    op = str(node.op)
    inner = output_labels(node.expr, catalog)
    if op in ("topk", "bottomk", "limitk", "limit_ratio"):
        return inner
    modifier = node.modifier
    if modifier is None:
        grouped: LabelSet = NO_LABELS
    elif str(modifier.type).endswith("By"):
        by = frozenset(modifier.labels)
        grouped = by if inner is None else by & inner
    else:
        grouped = None if inner is None else inner - frozenset(modifier.labels)
    if op == "count_values" and grouped is not None:
        grouped = grouped | {str(node.param.val)}
    return grouped


_SET_OPS = {"and", "unless", "or"}


def _binary_labels(node: Any, catalog: Catalog) -> LabelSet:
    lhs = output_labels(node.lhs, catalog)
    rhs = output_labels(node.rhs, catalog)
    op = str(node.op)
    lhs_scalar = _is_scalar(node.lhs)
    rhs_scalar = _is_scalar(node.rhs)
    if lhs_scalar and rhs_scalar:
        return NO_LABELS
    if lhs_scalar:
        return rhs
    if rhs_scalar:
        return lhs
    if op == "or":
        return None if lhs is None or rhs is None else lhs | rhs
    if op in _SET_OPS:
        return lhs
    modifier = node.modifier
    card = str(modifier.card) if modifier is not None else "VectorMatchCardinality.OneToOne"
    matching = modifier.matching if modifier is not None else None
    if card.endswith("OneToMany"):
        base, other = rhs, lhs
    else:
        base, other = lhs, rhs
    if base is None:
        return None
    if card.endswith("OneToOne") and matching is not None:
        listed = frozenset(matching.labels)
        return base & listed if str(matching.type).endswith("Include") else base - listed
    extra = frozenset(modifier.group_labels or ()) if modifier is not None else NO_LABELS
    if extra and other is not None:
        extra = extra & other
    return base | extra


def _is_scalar(node: Any) -> bool:
    """True for expressions that evaluate to a scalar (numbers, ``scalar()``, ``time()``)."""
    kind = node_kind(node)
    if kind == "NumberLiteral":
        return True
    if kind in ("ParenExpr", "UnaryExpr"):
        return _is_scalar(node.expr)
    if kind == "Call":
        return str(node.func.return_type).endswith("Scalar")
    if kind == "BinaryExpr":
        return _is_scalar(node.lhs) and _is_scalar(node.rhs)
    return False
