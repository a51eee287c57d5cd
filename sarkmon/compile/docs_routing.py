"""What the docs say about routing: which receivers each alert reaches, what can mute it.

Read from the routing model, which evaluates the tree the way Alertmanager does
(``Routing.receivers_for``) on the labels an alert carries before it fires; ``sarkmon
check`` cross-checks that evaluation with amtool, so the docs say what Alertmanager does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sarkmon.model.matchers import LabelIndex, describe, parsed
from sarkmon.model.project import Project
from sarkmon.model.routing import Delivery, Inhibition, Routing, alert_labels
from sarkmon.model.rules import AlertRule

AlertKey = tuple[str, tuple[tuple[str, str], ...]]


def alert_key(alert: AlertRule) -> AlertKey:
    return alert.name, tuple(sorted(alert.all_labels().items()))


@dataclass(frozen=True)
class Reach:
    """One receiver an alert reaches, with what shapes its notifications there."""

    receiver: str
    repeat_interval: str
    active: tuple[str, ...] = ()  # time intervals outside which it is muted
    muted: tuple[str, ...] = ()  # time intervals during which it is muted

    @property
    def when(self) -> str:
        parts = [f"only during {', '.join(self.active)}"] if self.active else []
        parts += [f"muted during {', '.join(self.muted)}"] if self.muted else []
        return "; ".join(parts)


@dataclass(frozen=True)
class Mute:
    """An inhibition rule, with the alerts of the project on each side."""

    source: str  # matchers, as text
    target: str
    equal: tuple[str, ...]
    reason: str
    sources: tuple[str, ...]  # names of the alerts that can mute
    targets: tuple[str, ...]  # names of the alerts that can be muted


@dataclass(frozen=True)
class RoutingDoc:
    defined: bool
    default_receiver: str = ""
    policy: tuple[str, ...] = ()
    teams: tuple[tuple[str, str], ...] = ()  # (team, receiver)
    reach: Mapping[AlertKey, tuple[Reach, ...]] = field(default_factory=dict)
    mutes: tuple[Mute, ...] = ()
    muted_by: Mapping[AlertKey, tuple[Mute, ...]] = field(default_factory=dict)

    def receivers_of(self, alert: AlertRule) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.receiver for r in self.reach.get(alert_key(alert), ())))

    def reach_of(self, alert: AlertRule) -> tuple[Reach, ...]:
        return self.reach.get(alert_key(alert), ())

    def mutes_of(self, alert: AlertRule) -> tuple[Mute, ...]:
        return self.muted_by.get(alert_key(alert), ())


def _reach(deliveries: Iterable[Delivery]) -> tuple[Reach, ...]:
    seen: dict[str, Reach] = {}
    for d in deliveries:
        reach = Reach(d.receiver, d.repeat_interval, d.active_time_intervals, d.mute_time_intervals)
        seen.setdefault(d.receiver, reach)
    return tuple(seen.values())


def _mute(rule: Inhibition, alerts: Sequence[AlertRule], index: LabelIndex) -> Mute:
    sources = sorted({alerts[i].name for i in index.matching(parsed(rule.source))})
    targets = sorted({alerts[i].name for i in index.matching(parsed(rule.target))})
    return Mute(
        describe(parsed(rule.source)),
        describe(parsed(rule.target)),
        tuple(rule.equal),
        rule.reason,
        tuple(sources),
        tuple(targets),
    )


def routing_doc(project: Project, alerts: Iterable[AlertRule]) -> RoutingDoc:
    """The routing facts the docs show; ``defined=False`` when the project has no routing."""
    routing: Routing | None = project.routing
    if routing is None:
        return RoutingDoc(False)
    external = project.scrape.external_labels
    listed = list(alerts)
    labels = [alert_labels(a, external) for a in listed]
    index = LabelIndex(labels)
    mutes = {id(rule): _mute(rule, listed, index) for rule in routing.inhibitions}
    # What can mute each alert (Routing.inhibitors_of), from each rule's targets at once.
    muting: list[list[Mute]] = [[] for _ in listed]
    for rule in routing.inhibitions:
        for i in index.matching(parsed(rule.target)):
            muting[i].append(mutes[id(rule)])
    reach = {}
    muted_by = {}
    for alert, alert_labelset, mutes_of in zip(listed, labels, muting, strict=True):
        reach[alert_key(alert)] = _reach(routing.deliveries(alert_labelset))
        muted_by[alert_key(alert)] = tuple(mutes_of)
    return RoutingDoc(
        True,
        routing.route.receiver,
        routing.policy(),
        tuple((t.name, t.receiver) for t in routing.teams),
        reach,
        tuple(mutes.values()),
        muted_by,
    )
