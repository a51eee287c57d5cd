"""Routing compared: which alerts now reach which receivers, and what changed in the tree.

Each alert present in both trees is routed twice: its base labels through the base tree and
its head labels through the head tree (so a changed ``team`` label and a changed route both
show). Only the labels known before an alert fires count: the rule's own, ``alertname``
and Prometheus' external labels.
"""

from __future__ import annotations

from collections.abc import Mapping

from sarkmon.review.changes import ADDED, CHANGED, REMOVED, Change
from sarkmon.review.routing import RoutingFacts
from sarkmon.review.rules import RuleFacts

AREA = "routing"


def alert_labels(rule: RuleFacts, external: Mapping[str, str]) -> dict[str, str]:
    return {**external, **rule.labels, "alertname": rule.name}


def reaches(routing: RoutingFacts | None, rule: RuleFacts, external: Mapping[str, str]) -> str:
    if routing is None or routing.routing is None:
        return ""
    receivers = routing.receivers_for(alert_labels(rule, external))
    return "reaches " + (", ".join(receivers) or "no receiver")


def diff_routing(
    base: RoutingFacts | None,
    head: RoutingFacts | None,
    alerts: list[tuple[RuleFacts, RuleFacts]],
    external: tuple[Mapping[str, str], Mapping[str, str]],
) -> list[Change]:
    if base is None and head is None:
        return []
    empty = RoutingFacts(None)
    base, head = base or empty, head or empty
    out: list[Change] = []
    for old, new in alerts:
        before = base.receivers_for(alert_labels(old, external[0]))
        after = head.receivers_for(alert_labels(new, external[1]))
        if before != after:
            out.append(
                Change(AREA, CHANGED, new.name, field="receivers", before=before, after=after)
            )
    out += _named(
        "receiver",
        dict(base.receiver_configs),
        dict(head.receiver_configs),
    )
    old_rules, new_rules = set(base.inhibitions), set(head.inhibitions)
    out += [Change(AREA, REMOVED, "inhibitions", t) for t in sorted(old_rules - new_rules)]
    out += [Change(AREA, ADDED, "inhibitions", t) for t in sorted(new_rules - old_rules)]
    out += _named("", base.routes(), head.routes())
    return out


def _named(kind: str, before: dict[str, str], after: dict[str, str]) -> list[Change]:
    """Receivers (name -> integrations) or routes (path -> settings) added, removed, changed."""
    out = []
    for name in sorted(before.keys() | after.keys()):
        subject = f"{kind} {name}" if kind else name
        if name not in before:
            out.append(Change(AREA, ADDED, subject, details=(after[name],)))
        elif name not in after:
            out.append(Change(AREA, REMOVED, subject, details=(before[name],)))
        elif before[name] != after[name]:
            field = "integrations" if kind else "settings"
            out.append(
                Change(AREA, CHANGED, subject, field=field, before=before[name], after=after[name])
            )
    return out
