"""Alert annotation templates: the labels and values they read must exist and fit their format.

Templates are read from the summary, the description, every other annotation and the
alert's labels. ``{{ $labels.x }}`` needs x among the expression's output labels (label
flow) or the rule's own labels; ``humanizePercentage`` wants a 0-1 ratio and
``humanizeDuration`` seconds, which the expression's unit (see sarkmon.promql.units) tells.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from sarkmon.diagnostics import Finding, Severity
from sarkmon.lint.alerts import alert_value
from sarkmon.lint.registry import Check, LintContext, check
from sarkmon.model.rules import AlertRule
from sarkmon.promql.units import Quantity

_ACTION_RE = re.compile(r"\{\{-?(.*?)-?\}\}", re.S)
_LABEL_RE = re.compile(r"(?:\$labels|\.Labels)\.([A-Za-z_][A-Za-z0-9_]*)")
_INDEX_RE = re.compile(r'index\s+(?:\$labels|\.Labels)\s+"([^"]+)"')
_VALUE_RE = re.compile(r"(?:\$value|\.Value)\b")


def template_texts(alert: AlertRule) -> list[tuple[str, str]]:
    """(where, text) of every templated text of an alert."""
    texts = [("summary", alert.summary), ("description", alert.description)]
    texts += [(f"annotation {k}", v) for k, v in alert.annotations.items()]
    texts += [(f"label {k}", v) for k, v in alert.labels.items()]
    return [(where, text) for where, text in texts if "{{" in text]


def actions(text: str) -> list[str]:
    """The contents of every ``{{ ... }}`` action."""
    return [m.group(1) for m in _ACTION_RE.finditer(text)]


def labels_read(text: str) -> list[str]:
    found: list[str] = []
    for action in actions(text):
        found += _LABEL_RE.findall(action) + _INDEX_RE.findall(action)
    return found


def value_formats(text: str) -> list[str]:
    """The humanize functions applied to $value."""
    out = []
    for action in actions(text):
        if _VALUE_RE.search(action):
            out += re.findall(r"\b(humanize\w*)\b", action)
    return out


@check(
    "alert/template-label",
    Severity.ERROR,
    "annotation template reads a label the alert does not have",
    """An alert's labels are the labels of its expression's result plus the rule's own. A
    template reading {{ $labels.user }} from sum by (reason) (...) prints <no value>: the
    notification loses exactly the detail it was written to give. Keep the label in the
    expression (sum by (reason, user)) or stop reading it.""",
)
def template_label(ctx: LintContext) -> Iterator[Finding]:
    for alert, site, tree in ctx.alert_trees():
        if tree.labels is None:
            continue
        have = tree.labels | frozenset(alert.all_labels())
        for where, text in template_texts(alert):
            for name in sorted(set(labels_read(text)) - have):
                yield template_label.finding(
                    site,
                    f"{where} reads $labels.{name}, which the alert does not have",
                    "its labels: " + ", ".join(sorted(have)),
                )


def _value_formats_wrongly(
    ctx: LintContext, found: Check, function: str, wrong: Callable[[Quantity], bool], hint: str
) -> Iterator[Finding]:
    """Findings where a template applies ``function`` to a $value it does not fit."""
    for alert, site, tree in ctx.alert_trees():
        quantity = alert_value(tree).quantity
        if not wrong(quantity):
            continue
        for where, text in template_texts(alert):
            if function in value_formats(text):
                yield found.finding(
                    site, f"{where} applies {function} to a value in {quantity.describe()}", hint
                )


@check(
    "alert/template-percentage",
    Severity.ERROR,
    "humanizePercentage on a value that is not a 0-1 ratio",
    """humanizePercentage multiplies by 100: it expects a ratio between 0 and 1. On a value
    already multiplied by 100 (or a percent gauge) it prints 500% for 5%. Compare the ratio
    itself (x / y > 0.05) or format with {{ $value | humanize }}%.""",
)
def template_percentage(ctx: LintContext) -> Iterator[Finding]:
    yield from _value_formats_wrongly(
        ctx,
        template_percentage,
        "humanizePercentage",
        lambda q: q.is_ratio and not q.in_base_unit,
        "compare the 0-1 ratio, or use {{ $value | humanize }}%",
    )


@check(
    "alert/template-duration",
    Severity.ERROR,
    "humanizeDuration on a value that is not in seconds",
    """humanizeDuration reads its argument as seconds. On milliseconds (a latency multiplied
    by 1000, a metric declared in milliseconds) it prints 3m20s for 200ms; on bytes or
    ratios it prints nonsense. Compare seconds (> 0.2) so $value is in seconds.""",
)
def template_duration(ctx: LintContext) -> Iterator[Finding]:
    yield from _value_formats_wrongly(
        ctx,
        template_duration,
        "humanizeDuration",
        lambda q: (q.is_duration and not q.in_base_unit) or q.is_bytes or q.is_ratio,
        "compare seconds so that $value is in seconds",
    )
