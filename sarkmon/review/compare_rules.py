"""Alerts and recording rules compared: expression, threshold, for, severity, labels, annotations.

Alerts pair by name; names shared by several rules (a warning and a critical variant) pair
by severity, then by their labels, then by their order. An expression whose only change is
a compared constant is reported as a threshold change (``> 0.3`` -> ``> 0.4``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping

from sarkmon.review.changes import (
    ADDED,
    CHANGED,
    MOVED,
    REMOVED,
    Change,
    field_changes,
    mapping_changes,
    pair_by,
)
from sarkmon.review.exprs import expr
from sarkmon.review.rules import GroupFacts, RuleFacts, RulesFacts

ALERTS, RECORDINGS = "alerts", "recording rules"


def _by_name(rule: RuleFacts) -> Hashable:
    return rule.name


def _by_severity(rule: RuleFacts) -> Hashable:
    return (rule.name, rule.severity)


def _by_labels(rule: RuleFacts) -> Hashable:
    return (rule.name, tuple(sorted(rule.labels.items())))


def _by_position(rule: RuleFacts) -> Hashable:
    return (rule.name, rule.group, rule.index)


def pair_alerts(
    base: RulesFacts, head: RulesFacts
) -> tuple[list[tuple[RuleFacts, RuleFacts]], list[RuleFacts], list[RuleFacts]]:
    return pair_by(base.alerts, head.alerts, _by_name, _by_severity, _by_labels, _by_position)


def diff_rules(
    base: RulesFacts, head: RulesFacts, routed: Callable[[RuleFacts], str] | None = None
) -> list[Change]:
    """Groups, alerts and recording rules; ``routed`` says where a new alert goes."""
    out = _groups(base.groups, head.groups)
    pairs, removed, added = pair_alerts(base, head)
    out += [_added_or_removed(ALERTS, REMOVED, r) for r in removed]
    out += [_added_or_removed(ALERTS, ADDED, r, routed) for r in added]
    for a, b in pairs:
        out += diff_alert(a, b)
    pairs, removed, added = pair_by(
        base.recordings,
        head.recordings,
        lambda r: (r.name, tuple(sorted(r.labels.items()))),
        _by_position,
        _by_name,
    )
    out += [_added_or_removed(RECORDINGS, REMOVED, r) for r in removed]
    out += [_added_or_removed(RECORDINGS, ADDED, r) for r in added]
    for a, b in pairs:
        out += _where(RECORDINGS, a, b)
        out += _expression(RECORDINGS, a, b)
        out += mapping_changes(RECORDINGS, b.name, "", "label", dict(a.labels), dict(b.labels))
    return out


def _added_or_removed(
    area: str, action: str, rule: RuleFacts, routed: Callable[[RuleFacts], str] | None = None
) -> Change:
    details = [f"group {rule.group} in {rule.file}"]
    if rule.for_:
        details.append(f"for {rule.for_}")
    if rule.severity:
        details.append(f"severity {rule.severity}")
    if routed is not None and routed(rule):
        details.append(routed(rule))
    return Change(area, action, rule.name, details=tuple(details), queries=(rule.expr,))


def _groups(base: tuple[GroupFacts, ...], head: tuple[GroupFacts, ...]) -> list[Change]:
    pairs, removed, added = pair_by(base, head, lambda g: g.name)
    out = [Change(ALERTS, REMOVED, f"group {g.name}", details=(g.file,)) for g in removed]
    out += [Change(ALERTS, ADDED, f"group {g.name}", details=(g.file,)) for g in added]
    for a, b in pairs:
        subject = f"group {b.name}"
        if a.file != b.file and a.file and b.file:
            out.append(Change(ALERTS, MOVED, subject, field="file", before=a.file, after=b.file))
        out += field_changes(
            ALERTS,
            subject,
            "",
            (
                ("evaluation interval", a.interval or "default", b.interval or "default"),
                ("limit", str(a.limit), str(b.limit)),
            ),
        )
        out += mapping_changes(ALERTS, subject, "", "setting", dict(a.extra), dict(b.extra))
    return out


def _where(area: str, a: RuleFacts, b: RuleFacts) -> list[Change]:
    if a.group == b.group:
        return []
    before, after = f"{a.group} ({a.file})", f"{b.group} ({b.file})"
    return [Change(area, MOVED, b.name, field="group", before=before, after=after)]


def _expression(area: str, a: RuleFacts, b: RuleFacts) -> list[Change]:
    old, new = expr(a.expr), expr(b.expr)
    if old.canon == new.canon:
        return []
    if old.ok and new.ok and old.skeleton == new.skeleton:
        before, after = ", ".join(old.thresholds), ", ".join(new.thresholds)
        return [Change(area, CHANGED, b.name, field="threshold", before=before, after=after)]
    return [Change(area, CHANGED, b.name, field="expr", before=a.expr, after=b.expr)]


def diff_alert(a: RuleFacts, b: RuleFacts) -> list[Change]:
    out = _where(ALERTS, a, b)
    out += _expression(ALERTS, a, b)
    out += field_changes(
        ALERTS,
        b.name,
        "",
        (
            ("for", a.for_ or "0s", b.for_ or "0s"),
            ("keep_firing_for", a.keep_firing_for or "0s", b.keep_firing_for or "0s"),
            ("severity", a.severity or None, b.severity or None),
        ),
    )
    labels_a = {k: v for k, v in a.labels.items() if k != "severity"}
    labels_b = {k: v for k, v in b.labels.items() if k != "severity"}
    out += mapping_changes(ALERTS, b.name, "", "label", labels_a, labels_b)
    out += mapping_changes(
        ALERTS, b.name, "", "annotation", dict(a.annotations), dict(b.annotations)
    )
    return out


def diff_runbooks(
    base: Mapping[str, Mapping[str, str]], head: Mapping[str, Mapping[str, str]]
) -> list[Change]:
    """Hand-written runbook sections (impact, diagnosis, mitigation) of alerts in both trees."""
    out = []
    for name in sorted(base.keys() & head.keys()):
        before = {k.lower(): v for k, v in base[name].items()}
        after = {k.lower(): v for k, v in head[name].items()}
        out += mapping_changes(ALERTS, name, "", "runbook", before, after)
    return out
