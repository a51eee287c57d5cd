"""What the docs say about routing: which receivers each alert reaches, what inhibits it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sarkmon.model.project import Project
from sarkmon.model.rules import AlertRule

if TYPE_CHECKING:
    from sarkmon.compile.docs import AlertPage


@dataclass(frozen=True)
class Inhibition:
    source: str  # the matchers of the alerts that mute, as text
    target: str  # the matchers of the alerts they mute
    equal: tuple[str, ...]  # labels both must share


@dataclass(frozen=True)
class RoutingDoc:
    defined: bool
    default_receiver: str = ""
    receivers: Mapping[tuple[str, tuple[tuple[str, str], ...]], tuple[str, ...]] = field(
        default_factory=dict
    )
    inhibitions: Sequence[Inhibition] = ()

    def receivers_of(self, alert: AlertRule) -> tuple[str, ...]:
        return self.receivers.get(alert_key(alert), ())


def alert_key(alert: AlertRule) -> tuple[str, tuple[tuple[str, str], ...]]:
    return alert.name, tuple(sorted(alert.all_labels().items()))


def routing_doc(project: Project, pages: Sequence[AlertPage]) -> RoutingDoc:
    """The routing facts the docs show; ``defined=False`` when the project has no routing."""
    if project.routing is None:
        return RoutingDoc(False)
    return RoutingDoc(False, project.routing.default_receiver)
