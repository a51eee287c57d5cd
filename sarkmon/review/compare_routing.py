"""Routing compared: which alerts now reach which receivers, and what changed in the tree.

Each alert present in both trees is routed twice: its base labels through the base tree and
its head labels through the head tree (so a changed ``team`` label and a changed route both
show). Only the labels known before an alert fires count: the rule's own, ``alertname``
and Prometheus' external labels.

Then the configuration itself, before -> after: each receiver's integrations field by field
(a Slack channel, a mail address, a key file; secret values are compared but never shown),
``global``, time intervals, inhibit rules (a rule whose source stayed is shown as changed)
and every route's receiver and group settings.
"""

from __future__ import annotations

from collections.abc import Mapping

from sarkmon.review.changes import ADDED, CHANGED, REMOVED, Change
from sarkmon.review.routing import Fields, RoutingFacts, is_secret
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
    out += _receivers(base, head)
    for name in sorted(base.settings.keys() | head.settings.keys()):
        out += _fields(name, "", base.settings.get(name, {}), head.settings.get(name, {}))
    out += _named("time interval", dict(base.time_intervals), dict(head.time_intervals))
    out += _inhibitions(base.inhibitions, head.inhibitions)
    out += _named("", base.routes(), head.routes())
    return out


def _receivers(base: RoutingFacts, head: RoutingFacts) -> list[Change]:
    """Receivers added or removed, and for the others each integration's changed fields."""
    out = []
    for name in sorted(base.receiver_configs.keys() | head.receiver_configs.keys()):
        subject = f"receiver {name}"
        if name not in base.receiver_configs:
            out.append(Change(AREA, ADDED, subject, details=(head.receiver_configs[name],)))
            continue
        if name not in head.receiver_configs:
            out.append(Change(AREA, REMOVED, subject, details=(base.receiver_configs[name],)))
            continue
        old, new = base.integrations.get(name, {}), head.integrations.get(name, {})
        for kind in sorted(old.keys() | new.keys()):
            if kind not in old:
                out.append(Change(AREA, ADDED, subject, kind, details=_shown(new[kind])))
            elif kind not in new:
                out.append(Change(AREA, REMOVED, subject, kind, details=_shown(old[kind])))
            else:
                out += _fields(subject, kind, old[kind], new[kind])
    return out


def _shown(fields: Fields) -> tuple[str, ...]:
    """An integration's fields in words, secrets left out: what was added or removed."""
    return tuple(f"{k} {v}" for k, v in sorted(fields.items()) if not is_secret(k, v))


def _fields(subject: str, item: str, before: Fields, after: Fields) -> list[Change]:
    """A change per field that differs (missing reads as none); secret values never shown."""
    out = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key, ""), after.get(key, "")
        if old == new:
            continue
        if is_secret(key, old) or is_secret(key, new):
            old = "(a secret)" if old else ""
            new = ("(another secret)" if old else "(a secret)") if new else ""
        out.append(Change(AREA, CHANGED, subject, item, key, old, new))
    return out


def _inhibitions(before: tuple[str, ...], after: tuple[str, ...]) -> list[Change]:
    """Inhibit rules added and removed; a rule whose source stayed (alone) is changed."""
    removed = sorted(set(before) - set(after))
    added = sorted(set(after) - set(before))
    old_by_source = _by_source(removed)
    new_by_source = _by_source(added)
    out = []
    for source in sorted(old_by_source.keys() & new_by_source.keys()):
        old, new = old_by_source[source], new_by_source[source]
        removed.remove(old)
        added.remove(new)
        out.append(Change(AREA, CHANGED, "inhibitions", source, "rule", old, new))
    out += [Change(AREA, REMOVED, "inhibitions", t) for t in removed]
    out += [Change(AREA, ADDED, "inhibitions", t) for t in added]
    return out


def _by_source(rules: list[str]) -> dict[str, str]:
    """Rule text by its source matchers, for sources only one of the rules has."""
    found: dict[str, list[str]] = {}
    for rule in rules:
        found.setdefault(rule.split(" mutes ", 1)[0], []).append(rule)
    return {source: texts[0] for source, texts in found.items() if len(texts) == 1}


def _named(kind: str, before: dict[str, str], after: dict[str, str]) -> list[Change]:
    """Time intervals (name -> periods) or routes (path -> settings) added, removed, changed."""
    out = []
    for name in sorted(before.keys() | after.keys()):
        subject = f"{kind} {name}" if kind else name
        if name not in before:
            out.append(Change(AREA, ADDED, subject, details=(after[name],)))
        elif name not in after:
            out.append(Change(AREA, REMOVED, subject, details=(before[name],)))
        elif before[name] != after[name]:
            field = "periods" if kind else "settings"
            out.append(
                Change(AREA, CHANGED, subject, field=field, before=before[name], after=after[name])
            )
    return out
