"""Queries that read only ``ALERTS``: empty while nothing fires, judged by what they could show.

A healthy workload fires no alert, so an alerts panel or annotation returns no data and
that proves nothing either way. What can be checked is whether it would show something:
each ``ALERTS`` selector must match at least one of the project's alerts, by name, state,
the rule's labels, and the labels its expression can give (unknown values count as a
match). A selector matching none (``component="opa"`` when alerts say ``policy``) is a
panel that stays empty when it matters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from sarkmon.model.alert_tests import is_templated
from sarkmon.model.metrics import Matcher, Op
from sarkmon.model.rules import AlertRule
from sarkmon.pipeline import Build
from sarkmon.promql.parse import parse
from sarkmon.promql.walk import SelectorUse, selectors

ALERT_SERIES = ("ALERTS", "ALERTS_FOR_STATE")
STATES = ("pending", "firing")


def alert_selectors(expr: str) -> list[SelectorUse] | None:
    """The selectors of a query that reads nothing but ALERTS, else None."""
    parsed = parse(expr)
    if not parsed.ok:
        return None
    uses = list(selectors(parsed.ast))
    if uses and all(use.name in ALERT_SERIES for use in uses):
        return uses
    return None


class AlertCatalog:
    """The labels each alert of the project can carry, for matching ALERTS selectors."""

    def __init__(self, build: Build) -> None:
        output: dict[int, frozenset[str] | None] = {
            id(site.owner): site.labels for site in build.sites if site.kind == "alert"
        }
        self.alerts: list[tuple[AlertRule, dict[str, str], frozenset[str] | None]] = []
        for rule_file in build.rule_files:
            for alert in rule_file.alerts:
                labels = alert.all_labels()
                fixed = {k: v for k, v in labels.items() if not is_templated(v)}
                fixed["alertname"] = alert.name
                free = output.get(id(alert))
                if free is not None:  # templated labels take any value too
                    free = free | {k for k, v in labels.items() if is_templated(v)}
                self.alerts.append((alert, fixed, free))

    def matching(self, use: SelectorUse) -> list[str]:
        """Names of the alerts the selector can match."""
        return sorted(
            {
                alert.name
                for alert, fixed, free in self.alerts
                if all(_can_match(m, fixed, free) for m in use.matchers)
            }
        )


def _can_match(matcher: Matcher, fixed: Mapping[str, str], free: frozenset[str] | None) -> bool:
    if matcher.label == "alertstate":
        return any(_matches(matcher, state) for state in STATES)
    if matcher.label in fixed:
        return _matches(matcher, fixed[matcher.label])
    if free is None or matcher.label in free:
        return True  # a label the expression gives: any value may come
    return _matches(matcher, "")


def _matches(matcher: Matcher, value: str) -> bool:
    if matcher.op is Op.EQ:
        return value == matcher.value
    if matcher.op is Op.NE:
        return value != matcher.value
    try:
        found = re.fullmatch(matcher.value, value) is not None
    except re.error:
        return False
    return found if matcher.op is Op.RE else not found
