"""Checks of alert test cases: real input series, complete expectations, current assumptions.

promtool would run a test whose input series has a misspelt name: it would only never
match, and the case would prove nothing. These checks hold test inputs to the catalog the
way queries are held, and make sure each expectation can be compiled exactly.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sarkmon.diagnostics import Finding, Severity
from sarkmon.lint.registry import Check, LintContext, check
from sarkmon.model.alert_tests import AlertTest, Fires, Series, is_templated
from sarkmon.model.catalog import Catalog
from sarkmon.model.durations import canonical, format_ms
from sarkmon.model.metrics import Histogram, Matcher, Metric, Op, Sample, Selector, Status
from sarkmon.model.rules import AlertRule
from sarkmon.model.series_values import exact, number_text
from sarkmon.promql.parse import node_kind, parse
from sarkmon.promql.walk import matcher_of, nodes
from sarkmon.source import Location

_COMPARISONS = {">", "<", ">=", "<=", "==", "!="}


@dataclass(frozen=True)
class _Case:
    alert: AlertRule
    test: AlertTest

    @property
    def obj(self) -> str:
        return f"alert {self.alert.name!r} test {self.test.name!r}"


def _cases(ctx: LintContext) -> Iterator[_Case]:
    for rule_file in ctx.rule_files:
        for alert in rule_file.alerts:
            for test in alert.tests:
                if isinstance(test, AlertTest):
                    yield _Case(alert, test)


def _finding(found: Check, case: _Case, where: Location, message: str, hint: str = "") -> Finding:
    return found.about(case.alert, case.obj, where, message, hint)


# -- input series -------------------------------------------------------------------------


@check(
    "alert-test/series",
    Severity.ERROR,
    "test input is not a series the catalog declares",
    """An input series of an alert test must be a concrete series SARK exposes: a declared
    name, exact label values (``=`` only), every declared label (prometheus_client always
    writes them all), label values from the label's enum, ``le`` from the histogram's
    buckets, ``job`` from the scrape jobs exposing it. A misspelt input never matches the
    expression and the case proves nothing. Recorded series are not inputs: feed what the
    recording rule reads, so the test runs through the rule. Build inputs from catalog
    selectors (``METRIC(label="v")``) to have these checked as you write them.""",
)
def series_check(ctx: LintContext) -> Iterator[Finding]:
    for case in _cases(ctx):
        for series in case.test.series:
            for message, hint in series_problems(series, ctx.catalog):
                yield _finding(series_check, case, series.location, message, hint)


def series_problems(series: Series, catalog: Catalog) -> list[tuple[str, str]]:
    """What keeps ``series`` from being a concrete, declared series: (message, hint) pairs."""
    name, matchers, error = _series_parts(series)
    if error:
        return [(f"input {series.text!r} is not a series selector: {error}", "")]
    ref = catalog.resolve(name)
    if ref is None:
        suggestion = catalog.suggest(name)
        hint = f"did you mean {suggestion}?" if suggestion else "declare it in the catalog"
        return [(f"unknown metric {name!r} in input {series.text!r}", hint)]
    metric = ref.metric
    if metric.status is Status.RECORDED:
        return [
            (
                f"input {name!r} is recorded by a recording rule",
                "feed the series the rule reads; the test loads the rule",
            )
        ]
    problems = [
        (f"input {series.text!r}: {m.label}{m.op.value}: give an exact value with =", "")
        for m in matchers
        if m.op is not Op.EQ
    ]
    given = {m.label: m.value for m in matchers if m.op is Op.EQ}
    problems += _label_problems(name, metric, given, catalog, series.text)
    written = {m.label for m in matchers}
    required = [*metric.label_names, *(["le"] if ref.kind is Sample.BUCKET else [])]
    missing = [n for n in required if n not in written]
    if missing and not metric.open_labels:
        problems.append(
            (
                f"input {series.text!r} lacks label(s) {', '.join(missing)}",
                "prometheus_client writes every declared label on every series",
            )
        )
    return problems


def _series_parts(series: Series) -> tuple[str, tuple[Matcher, ...], str]:
    if isinstance(series.series, Selector):
        return series.series.sample, series.series.matchers, ""
    if isinstance(series.series, Metric):
        return series.series.main_sample, (), ""
    parsed = parse(series.text)
    if not parsed.ok:
        return "", (), parsed.error
    node = parsed.ast
    if node_kind(node) != "VectorSelector" or node.offset is not None or node.at is not None:
        return "", (), 'write name{label="value", ...}'
    matchers = tuple(matcher_of(m) for m in node.matchers.matchers)
    name = node.name or next((m.value for m in matchers if m.label == "__name__"), "")
    return name, tuple(m for m in matchers if m.label != "__name__"), ""


def _label_problems(
    name: str,
    metric: Metric,
    given: dict[str, str],
    catalog: Catalog,
    text: str,
) -> list[tuple[str, str]]:
    known = catalog.series_labels(name)
    problems = []
    if known is not None:
        for unknown in sorted(set(given) - known):
            close = difflib.get_close_matches(unknown, sorted(known), n=1, cutoff=0.6)
            hint = (
                f"did you mean {close[0]}?" if close else "its labels: " + ", ".join(sorted(known))
            )
            problems.append((f"input {text!r}: label {unknown!r} is not a label of {name}", hint))
    for label in metric.label_specs:
        value = given.get(label.name)
        if value is not None and label.values is not None and value not in label.values:
            problems.append(
                (
                    f"input {text!r}: {value!r} is not a value of label {label.name!r}",
                    "known values: " + ", ".join(label.values),
                )
            )
    if isinstance(metric, Histogram) and "le" in given and given["le"] not in metric.le_values():
        problems.append(
            (
                f"input {text!r}: le={given['le']!r} is not a bucket bound",
                "bounds: " + ", ".join(metric.le_values()),
            )
        )
    jobs = catalog.target_labels(metric).get("job")
    if "job" in given and jobs is not None and given["job"] not in jobs:
        problems.append(
            (
                f"input {text!r}: job {given['job']!r} does not expose {name}",
                "jobs: " + ", ".join(sorted(jobs)),
            )
        )
    return problems


# -- expectations -------------------------------------------------------------------------


@check(
    "alert-test/expectations",
    Severity.ERROR,
    "an expectation promtool cannot check as written",
    """promtool compares the labels and annotations of a firing alert exactly. The rule's
    static labels and annotations are filled in; a templated one (``{{ $value }}``,
    ``{{ $labels.x }}``) must be given in ``Fires(labels=..., annotations=...)`` with the
    text it renders to. Also reported: a label or annotation the rule does not have or sets
    otherwise, an expectation after the input series end (a quiet alert there proves
    nothing), and a time that is expected both to fire and to stay quiet.""",
)
def expectations_check(ctx: LintContext) -> Iterator[Finding]:
    for case in _cases(ctx):
        for message, hint, where in expectation_problems(case.alert, case.test):
            yield _finding(expectations_check, case, where, message, hint)


def expectation_problems(alert: AlertRule, test: AlertTest) -> list[tuple[str, str, Location]]:
    problems: list[tuple[str, str, Location]] = []
    labels = alert.all_labels()
    texts = _annotation_texts(alert)
    templated = sorted(k for k, v in texts.items() if is_templated(v))
    known_annotations = {*texts, "runbook_url"}
    end = test.end_ms
    for item in test.expect:
        where = item.location
        if test.series and item.at_ms > end:
            problems.append(
                (
                    f"expectation at {item.at} is after the input ends ({format_ms(end)})",
                    "extend the input (absent() keeps a series missing for a while)",
                    where,
                )
            )
        if not isinstance(item, Fires):
            continue
        for name in sorted(k for k, v in labels.items() if is_templated(v)):
            if name not in item.labels:
                problems.append(
                    (f"label {name!r} is templated: give its expected value", labels[name], where)
                )
        for name in templated:
            if name not in item.annotations:
                problems.append(
                    (
                        f"annotation {name!r} is templated: give its expected text in "
                        "Fires(annotations=...)",
                        _template_of(alert, name),
                        where,
                    )
                )
        for name in sorted(set(item.annotations) - known_annotations):
            problems.append((f"the rule has no annotation {name!r}", "", where))
        for name, value in item.labels.items():
            if name in labels and not is_templated(labels[name]) and labels[name] != value:
                problems.append(
                    (f"label {name}={value!r}: the rule sets {name}={labels[name]!r}", "", where)
                )
    problems += _contradictions(test)
    return problems


def _annotation_texts(alert: AlertRule) -> dict[str, str]:
    """The annotations the rule writes, runbook_url aside (never templated)."""
    texts = {**alert.annotations, "summary": alert.summary, "description": alert.description}
    return {k: v for k, v in texts.items() if v}


def _template_of(alert: AlertRule, name: str) -> str:
    return f"template: {_annotation_texts(alert)[name]}"


def _contradictions(test: AlertTest) -> list[tuple[str, str, Location]]:
    out: list[tuple[str, str, Location]] = []
    fires = test.fires
    for quiet in test.quiet:
        start = quiet.since_ms if quiet.since_ms is not None else quiet.at_ms
        for item in fires:
            if start <= item.at_ms <= quiet.at_ms:
                out.append(
                    (
                        f"expected to fire at {item.at} and to stay quiet "
                        + (
                            f"from {quiet.since} to {quiet.at}" if quiet.since else f"at {quiet.at}"
                        ),
                        "",
                        item.location,
                    )
                )
    return out


# -- assumptions --------------------------------------------------------------------------


@check(
    "alert-test/assumptions",
    Severity.ERROR,
    "boundary cases built for another threshold or for",
    """``threshold_cases`` builds its cases around the alert's threshold and ``for``; when
    the alert changes and its cases do not, they may still pass while no longer testing the
    boundary. The threshold must appear as a comparison in the expression and ``for`` must
    match the alert's. Update the arguments of ``threshold_cases`` with the alert.""",
)
def assumptions_check(ctx: LintContext) -> Iterator[Finding]:
    compared = _compared_numbers(ctx)
    for case in _cases(ctx):
        # Named after the alert, so the cases of one threshold_cases call report once.
        test, alert, obj = case.test, case.alert, f"alert {case.alert.name!r}"
        if test.assumes_for is not None and canonical(test.assumes_for) != canonical(
            alert.for_ or "0s"
        ):
            message = f"test cases built for for={test.assumes_for}; the alert has " + (
                f"for={alert.for_}" if alert.for_ else "no for"
            )
            yield assumptions_check.about(alert, obj, test.location, message)
        numbers = compared.get(id(alert))
        if (
            test.assumes_threshold is not None
            and numbers is not None
            and exact(test.assumes_threshold) not in numbers
        ):
            found = ", ".join(number_text(n) for n in sorted(numbers)) or "no number"
            message = (
                f"test cases built for threshold {number_text(exact(test.assumes_threshold))}; "
                f"the expression compares with {found}"
            )
            hint = "when the level is another quantity, pass alert_threshold="
            yield assumptions_check.about(alert, obj, test.location, message, hint)


def _compared_numbers(ctx: LintContext) -> dict[int, set[Fraction]]:
    """For each alert, the constants its expression compares a value with (folded:
    ``2 * 1024 ^ 3`` is one number). An alert comparing with no constant is left out."""
    out: dict[int, set[Fraction]] = {}
    for site in ctx.sites:
        if site.kind != "alert" or not site.parsed or not site.parsed.ok:
            continue
        for node in nodes(site.parsed.ast):
            if node_kind(node) != "BinaryExpr" or str(node.op) not in _COMPARISONS:
                continue
            for side in (node.lhs, node.rhs):
                value = _constant(side)
                if value is not None:
                    out.setdefault(id(site.owner), set()).add(value)
    return out


_ARITHMETIC: dict[str, Callable[[Fraction, Fraction], Fraction | None]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b if b else None,
    "^": lambda a, b: (
        a ** int(b) if b.denominator == 1 and abs(b) <= 64 and (a or b >= 0) else None
    ),
}


def _constant(node: Any) -> Fraction | None:
    """The value of an expression made of numbers only, else None."""
    kind = node_kind(node)
    if kind == "NumberLiteral":
        value = float(node.val)
        return exact(value) if math.isfinite(value) else None
    if kind == "ParenExpr":
        return _constant(node.expr)
    if kind == "UnaryExpr":
        inner = _constant(node.expr)
        return None if inner is None else -inner
    if kind == "BinaryExpr" and str(node.op) in _ARITHMETIC:
        lhs, rhs = _constant(node.lhs), _constant(node.rhs)
        if lhs is None or rhs is None:
            return None
        return _ARITHMETIC[str(node.op)](lhs, rhs)
    return None
