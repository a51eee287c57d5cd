"""Checks of the routing against the project's alerts: owners, inhibitions, expectations.

An alert's labels are known in part before it fires (its rule labels, ``alertname``, the
external labels) and in part from its expression's series (label flow). A matcher on a
label of the second kind may or may not match, so these checks only report what is certain.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum

from sarkmon.diagnostics import Finding, Severity
from sarkmon.lint.registry import LintContext, check
from sarkmon.model.matchers import LabelIndex, Matcher, parsed
from sarkmon.model.routing import Inhibition, Routing, alert_labels
from sarkmon.model.rules import AlertRule


class Maybe(Enum):
    NO = 0
    YES = 1
    UNKNOWN = 2


@dataclass(frozen=True)
class KnownAlert:
    """An alert with the labels routing can see: fixed ones, and those its series may add."""

    rule: AlertRule
    fixed: dict[str, str]
    series: frozenset[str] | None  # None: the expression's labels cannot be known

    def carries(self, label: str) -> Maybe:
        if label in self.fixed or (self.series is not None and label in self.series):
            return Maybe.YES
        return Maybe.UNKNOWN if self.series is None else Maybe.NO

    def may_match(self, matchers: Sequence[Matcher]) -> bool:
        """False only when some matcher certainly fails on this alert."""
        for matcher in matchers:
            if matcher.name not in self.fixed and self.carries(matcher.name) is not Maybe.NO:
                continue  # the value comes from the series: it may match
            if not matcher.matches(self.fixed):
                return False
        return True


def known_alerts(ctx: LintContext) -> list[KnownAlert]:
    assert ctx.project is not None
    external = ctx.project.scrape.external_labels
    series = {id(s.owner): s.labels for s in ctx.sites if s.kind == "alert"}
    return [
        KnownAlert(alert, alert_labels(alert, external), series.get(id(alert)))
        for rule_file in ctx.rule_files
        for alert in rule_file.alerts
    ]


def _routing(ctx: LintContext) -> Routing | None:
    return ctx.project.routing if ctx.project is not None else None


@check(
    "routing/unknown-team",
    Severity.ERROR,
    "alert without a team the routing knows",
    """Every alert names the team that owns it (``team=``), and the routing declares a
    receiver for each team. An alert with no team, or with a team the routing does not
    declare, reaches only the default receiver: nobody who owns it hears of it. Use one of
    the teams in the routing (the hint lists them), or add the team and its receiver.""",
)
def unknown_team(ctx: LintContext) -> Iterator[Finding]:
    routing = _routing(ctx)
    if routing is None:
        return
    names = sorted(t.name for t in routing.teams)
    for rule_file in ctx.rule_files:
        for alert in rule_file.alerts:
            if routing.team(alert.team) is not None:
                continue
            close = difflib.get_close_matches(alert.team, names, n=1) if alert.team else []
            hint = f"did you mean {close[0]}?" if close else "teams: " + ", ".join(names)
            message = f"team {alert.team!r} has no receiver" if alert.team else "no team"
            yield unknown_team.about(alert, f"alert {alert.name!r}", alert.location, message, hint)


Sides = tuple[Inhibition, list[KnownAlert], list[KnownAlert]]


class _Candidates:
    """Finds the alerts a matcher list may match among those that can, not among all."""

    def __init__(self, alerts: list[KnownAlert]) -> None:
        self.alerts = alerts
        self.index = LabelIndex([a.fixed for a in alerts])
        self._unknown: dict[str, list[int]] = {}

    def unknown(self, label: str) -> list[int]:
        """Alerts whose value of ``label`` may come from their series: any value may match."""
        found = self._unknown.get(label)
        if found is None:
            found = [
                i
                for i in self.index.with_value(label, "")
                if label not in self.alerts[i].fixed
                and self.alerts[i].carries(label) is not Maybe.NO
            ]
            self._unknown[label] = found
        return found

    def may_match(self, matchers: Sequence[Matcher]) -> list[KnownAlert]:
        key, found = self.index.candidates(matchers)
        if key is not None and key.value:
            found = sorted({*found, *self.unknown(key.name)})
        return [self.alerts[i] for i in found if self.alerts[i].may_match(matchers)]


def _inhibition_sides(ctx: LintContext) -> Iterator[Sides]:
    """Each inhibition with the alerts its source and its target may match."""
    routing = _routing(ctx)
    if routing is None:
        return
    alerts = _Candidates(known_alerts(ctx))
    for rule in routing.inhibitions:
        yield rule, alerts.may_match(parsed(rule.source)), alerts.may_match(parsed(rule.target))


@check(
    "routing/inhibition-unmatched",
    Severity.ERROR,
    "inhibition whose source or target matches no alert",
    """An inhibition mutes its target alerts while a source alert fires. When no alert of the
    project can match the source (or the target), the rule never applies: usually an alert
    was renamed, or the rule names an alert that was never written. Match an existing alert,
    or remove the rule.""",
)
def inhibition_unmatched(ctx: LintContext) -> Iterator[Finding]:
    for rule, sources, targets in _inhibition_sides(ctx):
        for side, found in (("source", sources), ("target", targets)):
            if not found:
                yield inhibition_unmatched.about(
                    rule, rule.name, rule.location, f"the {side} matches none of the alerts"
                )


def _pair_blocker(rule: Inhibition, source: KnownAlert, target: KnownAlert) -> str:
    """Why ``source`` can never mute ``target`` under ``rule``'s ``equal``, or ''."""
    for label in rule.equal:
        has_source, has_target = source.carries(label), target.carries(label)
        if Maybe.UNKNOWN in (has_source, has_target):
            continue
        if has_source is not has_target:
            holder, other = (source, target) if has_source is Maybe.YES else (target, source)
            return f"{holder.rule.name} carries {label!r} and {other.rule.name} never does"
        fixed = label in source.fixed and label in target.fixed
        if fixed and source.fixed[label] != target.fixed[label]:
            return f"{label!r} differs ({source.rule.name} and {target.rule.name})"
    return ""


@check(
    "routing/inhibition-never-applies",
    Severity.ERROR,
    "inhibition whose equal labels no source and target share",
    """Alertmanager mutes a target only when it agrees with the source on every label in
    ``equal``; a label missing on one side and present on the other never agrees. An
    ``equal: [instance]`` between an aggregated alert (no instance) and a per-instance one,
    or on a label with different fixed values, makes the rule dead. Compare on labels both
    sides carry (the cluster's external labels always qualify).""",
)
def inhibition_never_applies(ctx: LintContext) -> Iterator[Finding]:
    for rule, sources, targets in _inhibition_sides(ctx):
        if not sources or not targets:
            continue  # reported as unmatched
        pairs = [(s, t) for s in _distinct(rule, sources) for t in _distinct(rule, targets)]
        reasons = [_pair_blocker(rule, s, t) for s, t in pairs if s is not t]
        if reasons and all(reasons):
            first = next((s, t) for s in sources for t in targets if s is not t)
            reason = _pair_blocker(rule, *first)
            yield inhibition_never_applies.about(
                rule, rule.name, rule.location, f"never applies: {reason}"
            )


def _distinct(rule: Inhibition, alerts: list[KnownAlert]) -> list[KnownAlert]:
    """Two alerts (so that one differs from any given alert) of each kind ``_pair_blocker``
    tells apart: what it reads of an alert is, for each ``equal`` label, whether the alert
    carries it and its fixed value. Pairs of these stand for all pairs, in linear time."""
    kinds: dict[tuple[tuple[Maybe, str | None], ...], list[KnownAlert]] = {}
    for alert in alerts:
        kind = tuple((alert.carries(label), alert.fixed.get(label)) for label in rule.equal)
        same = kinds.setdefault(kind, [])
        if len(same) < 2:
            same.append(alert)
    return [alert for same in kinds.values() for alert in same]


@check(
    "routing/unknown-alert",
    Severity.ERROR,
    "expected receivers declared for an alert that does not exist",
    """``Routing.expect`` adds receivers that named alerts must reach. A name that is no
    alert of the project asserts nothing; usually the alert was renamed.""",
)
def unknown_alert(ctx: LintContext) -> Iterator[Finding]:
    routing = _routing(ctx)
    if routing is None:
        return
    names = sorted({a.name for f in ctx.rule_files for a in f.alerts})
    for alertname in routing.expect:
        if alertname not in names:
            close = difflib.get_close_matches(alertname, names, n=1)
            yield unknown_alert.about(
                routing,
                f"expected receivers of {alertname!r}",
                routing.location,
                "no alert has this name",
                f"did you mean {close[0]}?" if close else "",
            )
