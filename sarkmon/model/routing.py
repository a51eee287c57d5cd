"""Alertmanager routing as data: the routing tree, inhibitions, teams and the routing policy.

Two descriptions of where an alert goes live here, and ``sarkmon check`` proves they agree:

- the **routing tree** (:class:`Route`): what Alertmanager executes, with matchers, ``continue``,
  grouping and time intervals;
- the **policy** (:meth:`Routing.intended_receivers`): the rule a reader can hold in their head.
  Every alert names its owner ``team`` and reaches that team's receiver, whatever its severity
  (severity decides how urgently, through the route's timings, never whether the owner hears
  of it); a ``critical`` alert also reaches the pager. ``copies`` send alerts matching given
  labels (a category, a component) to another receiver as well; ``expect`` adds receivers for
  named alerts.

:meth:`Routing.receivers_for` evaluates the tree exactly as Alertmanager's dispatcher does
(depth first; a matching child stops the search unless it has ``continue``; a route whose
children all miss delivers itself), so documentation and checks can ask where labels go
without running Alertmanager. The check step cross-checks it with ``amtool``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from sarkmon.diagnostics import report
from sarkmon.model.durations import DurationError, canonical, parse_ms
from sarkmon.model.matchers import (
    Matcher,
    MatcherError,
    describe,
    matches_all,
    parsed,
    to_matchers,
)
from sarkmon.model.names import is_label_name
from sarkmon.model.receivers import Email, Notifications, Receiver
from sarkmon.model.routing_checks import check_routing
from sarkmon.model.time_intervals import TimeInterval
from sarkmon.source import Location, caller_location

if TYPE_CHECKING:
    from sarkmon.model.rules import AlertRule

# Alertmanager's defaults for a root route that does not set them.
DEFAULT_GROUP_WAIT = "30s"
DEFAULT_GROUP_INTERVAL = "5m"
DEFAULT_REPEAT_INTERVAL = "4h"
GROUP_BY_ALL = "..."


def _matchers(items: Sequence[Matcher | str], obj: str, where: Location) -> tuple[Matcher, ...]:
    out: list[Matcher] = []
    for item in items:
        try:
            out.extend(to_matchers([item]))
        except MatcherError as err:
            report("definition/matcher", obj, str(err), where)
    return tuple(out)


@dataclass(frozen=True)
class Route:
    """A node of the routing tree; empty settings are inherited from the parent route."""

    receiver: str = ""
    matchers: Sequence[Matcher | str] = ()
    continue_: bool = False  # keep looking at later siblings after this route matched
    group_by: Sequence[str] | None = None
    group_wait: str = ""
    group_interval: str = ""
    repeat_interval: str = ""
    mute_time_intervals: Sequence[str] = ()  # not inherited, as in Alertmanager
    active_time_intervals: Sequence[str] = ()  # not inherited either
    routes: Sequence[Route] = ()
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name in ("mute_time_intervals", "active_time_intervals", "routes"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if self.group_by is not None:
            object.__setattr__(self, "group_by", tuple(self.group_by))
        object.__setattr__(self, "matchers", _matchers(self.matchers, self.name, self.location))
        for what in ("group_wait", "group_interval", "repeat_interval"):
            value = getattr(self, what)
            if not value:
                continue
            try:
                ms = parse_ms(value)
            except DurationError as err:
                report("definition/duration", self.name, f"{what}: {err}", self.location)
                continue
            if ms == 0 and what != "group_wait":
                report("definition/duration", self.name, f"{what} cannot be zero", self.location)
        self._check_group_by()

    @property
    def name(self) -> str:
        """How findings name a route: by its matchers, which are what tell routes apart."""
        matchers = parsed(self.matchers)
        if matchers:
            return f"route {describe(matchers)}"
        return f"route to {self.receiver!r}" if self.receiver else "route"

    def _check_group_by(self) -> None:
        if self.group_by is None:
            return
        seen: set[str] = set()
        for label in self.group_by:
            if label in seen:
                report("definition/group-by", self.name, f"{label!r} twice", self.location)
            seen.add(label)
            if label == GROUP_BY_ALL and len(self.group_by) > 1:
                report(
                    "definition/group-by",
                    self.name,
                    "'...' groups by every label and cannot be combined with others",
                    self.location,
                )
            elif label != GROUP_BY_ALL and not is_label_name(label):
                report("definition/group-by", self.name, f"invalid label {label!r}", self.location)

    def walk(self, path: tuple[int, ...] = ()) -> Iterator[tuple[tuple[int, ...], Route]]:
        """This route and every route below it, depth first, with their index paths."""
        yield path, self
        for index, child in enumerate(self.routes):
            yield from child.walk((*path, index))


@dataclass(frozen=True)
class Inhibition:
    """While an alert matching ``source`` fires, mute alerts matching ``target``.

    Only when the two agree on every label in ``equal`` (a label missing on both counts as
    equal). ``reason`` says why, for the alerting guide.
    """

    source: Sequence[Matcher | str]
    target: Sequence[Matcher | str]
    equal: Sequence[str] = ()
    reason: str = ""
    silence: Mapping[str, str] = field(default_factory=dict)  # check id -> reason
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "equal", tuple(self.equal))
        object.__setattr__(self, "silence", MappingProxyType(dict(self.silence)))
        for side in ("source", "target"):
            items = getattr(self, side)
            if not items:
                report(
                    "definition/inhibition",
                    "inhibition",
                    f"{side} has no matchers: it would match every alert",
                    self.location,
                )
            object.__setattr__(self, side, _matchers(items, "inhibition", self.location))
        for label in self.equal:
            if not is_label_name(label):
                report(
                    "definition/inhibition",
                    self.name,
                    f"invalid label {label!r} in equal",
                    self.location,
                )

    @property
    def name(self) -> str:
        return f"inhibition {describe(parsed(self.source))} -> {describe(parsed(self.target))}"

    def source_matches(self, labels: Mapping[str, str]) -> bool:
        return matches_all(parsed(self.source), labels)

    def target_matches(self, labels: Mapping[str, str]) -> bool:
        return matches_all(parsed(self.target), labels)

    def inhibits(self, source: Mapping[str, str], target: Mapping[str, str]) -> bool:
        """Whether a firing ``source`` alert mutes ``target``, as Alertmanager decides."""
        if not (self.source_matches(source) and self.target_matches(target)):
            return False
        # An alert on both sides of the rule is not muted by another alert on both sides
        # (so that two of them cannot mute each other, and none mutes itself).
        if self.source_matches(target) and self.target_matches(source):
            return False
        return all(source.get(label, "") == target.get(label, "") for label in self.equal)


@dataclass(frozen=True)
class Copy:
    """Alerts matching ``matchers`` also reach ``receiver``, besides their owner team.

    For a receiver that must hear of other teams' alerts of some kind (a category, a
    component). ``reason`` says why, for the configuration's header and the docs.
    """

    matchers: Sequence[Matcher | str]
    receiver: str
    reason: str = ""
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.matchers:
            report(
                "definition/route",
                f"copy to {self.receiver!r}",
                "no matchers: it would copy every alert",
                self.location,
            )
        object.__setattr__(self, "matchers", _matchers(self.matchers, self.name, self.location))

    @property
    def name(self) -> str:
        return f"copy of {describe(parsed(self.matchers))} to {self.receiver!r}"

    def matches(self, labels: Mapping[str, str]) -> bool:
        return matches_all(parsed(self.matchers), labels)


@dataclass(frozen=True)
class Team:
    """A team that owns alerts (their ``team`` label) and the receiver that reaches it."""

    name: str
    receiver: str
    location: Location = field(default_factory=caller_location, compare=False, repr=False)


@dataclass(frozen=True)
class Delivery:
    """One route an alert ends on, with the settings in effect there."""

    receiver: str
    path: tuple[int, ...]  # child indices from the root route
    route: Route
    group_by: tuple[str, ...]
    group_wait: str
    group_interval: str
    repeat_interval: str
    mute_time_intervals: tuple[str, ...]
    active_time_intervals: tuple[str, ...]

    def under(self, route: Route, path: tuple[int, ...]) -> Delivery:
        """The settings of ``route``, inheriting this delivery's where it sets none."""
        return Delivery(
            route.receiver or self.receiver,
            path,
            route,
            self.group_by if route.group_by is None else tuple(route.group_by),
            canonical(route.group_wait) if route.group_wait else self.group_wait,
            canonical(route.group_interval) if route.group_interval else self.group_interval,
            canonical(route.repeat_interval) if route.repeat_interval else self.repeat_interval,
            tuple(route.mute_time_intervals),
            tuple(route.active_time_intervals),
        )


_DEFAULTS = Delivery(
    "", (), Route(), (), DEFAULT_GROUP_WAIT, DEFAULT_GROUP_INTERVAL, DEFAULT_REPEAT_INTERVAL, (), ()
)


def _deliveries(
    route: Route, labels: Mapping[str, str], parent: Delivery, path: tuple[int, ...]
) -> list[Delivery]:
    if not matches_all(parsed(route.matchers), labels):
        return []
    here = parent.under(route, path)
    found: list[Delivery] = []
    for index, child in enumerate(route.routes):
        below = _deliveries(child, labels, here, (*path, index))
        found.extend(below)
        if below and not child.continue_:
            break
    return found or [here]


def alert_labels(alert: AlertRule, external_labels: Mapping[str, str]) -> dict[str, str]:
    """The labels of an alert that are known before it fires: what routing can rely on.

    Prometheus adds its external labels to each alert unless the alert sets them itself, and
    ``alertname``. Labels that come from the expression's series are not included.
    """
    labels = {**external_labels, **alert.all_labels(), "alertname": alert.name}
    return dict(sorted(labels.items()))


@dataclass(frozen=True)
class Routing:
    """Everything Alertmanager needs to route, plus the policy the tree must implement."""

    route: Route  # the root: its receiver takes what no child route matches
    receivers: Sequence[Receiver]
    teams: Sequence[Team] = ()
    pager: str = ""  # the receiver every critical alert reaches, besides its team's
    copies: Sequence[Copy] = ()  # receivers that also get alerts of some labels
    expect: Mapping[str, Sequence[str]] = field(default_factory=dict)  # alertname -> more
    inhibitions: Sequence[Inhibition] = ()
    time_intervals: Sequence[TimeInterval] = ()
    notifications: Notifications = field(default_factory=Notifications)
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name in ("receivers", "teams", "copies", "inhibitions", "time_intervals"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        expect = {
            name: (more,) if isinstance(more, str) else tuple(more)
            for name, more in sorted(dict(self.expect).items())
        }
        object.__setattr__(self, "expect", MappingProxyType(expect))
        check_routing(self)

    # -- lookups --------------------------------------------------------------------------

    def receiver(self, name: str) -> Receiver | None:
        return next((r for r in self.receivers if r.name == name), None)

    def team(self, name: str) -> Team | None:
        return next((t for t in self.teams if t.name == name), None)

    def routes(self) -> Iterator[tuple[tuple[int, ...], Route]]:
        return self.route.walk()

    def describe(self, path: tuple[int, ...]) -> str:
        """A route by the matchers on the way to it: ``route {team="x"} > {severity="y"}``."""
        route, parts = self.route, []
        for index in path:
            route = route.routes[index]
            parts.append(describe(parsed(route.matchers)))
        return "root route" if not parts else "route " + " > ".join(parts)

    def suggest_receiver(self, name: str) -> str:
        close = difflib.get_close_matches(name, [r.name for r in self.receivers], n=1)
        return f"did you mean {close[0]}?" if close else ""

    # -- evaluation -----------------------------------------------------------------------

    def deliveries(self, labels: Mapping[str, str]) -> tuple[Delivery, ...]:
        """Every route the labels end on, in Alertmanager's order, with effective settings."""
        return tuple(_deliveries(self.route, labels, _DEFAULTS, ()))

    def receivers_for(self, labels: Mapping[str, str]) -> tuple[str, ...]:
        """The receivers an alert with these labels reaches, in order (repeats kept)."""
        return tuple(d.receiver for d in self.deliveries(labels))

    def intended_receivers(self, labels: Mapping[str, str]) -> tuple[str, ...]:
        """The receivers the policy says an alert with these labels must reach (sorted)."""
        team = self.team(labels.get("team", ""))
        wanted = {team.receiver if team else self.route.receiver}
        if labels.get("severity") == "critical" and self.pager:
            wanted.add(self.pager)
        wanted.update(c.receiver for c in self.copies if c.matches(labels))
        wanted.update(self.expect.get(labels.get("alertname", ""), ()))
        return tuple(sorted(wanted))

    def missed_team(self, labels: Mapping[str, str], reached: Sequence[str]) -> str:
        """The owner team's receiver when ``reached`` lacks it, else ''.

        Checked apart from the policy, so that no change of policy can leave an alert's
        owner unaware of it.
        """
        team = self.team(labels.get("team", ""))
        return team.receiver if team is not None and team.receiver not in reached else ""

    def policy(self) -> tuple[str, ...]:
        """The policy in words, a line per rule: for the config's header and the docs."""
        team = "the owner team's receiver"
        lines = [
            f"critical: {self.pager} and {team}" if self.pager else f"critical: {team}",
            f"warning: {team}",
            f"info: {team}",
            f"alerts of no known team: {self.route.receiver} instead of {team}",
        ]
        for copy in self.copies:
            why = f" ({copy.reason})" if copy.reason else ""
            lines.append(f"{describe(parsed(copy.matchers))}: also {copy.receiver}{why}")
        lines.extend(f"{name}: also {', '.join(more)}" for name, more in self.expect.items())
        return tuple(lines)

    def inhibitors_of(self, labels: Mapping[str, str]) -> tuple[Inhibition, ...]:
        """The inhibitions that can mute an alert with these labels."""
        return tuple(i for i in self.inhibitions if i.target_matches(labels))

    @property
    def uses_email(self) -> bool:
        return any(r.of_type(Email) for r in self.receivers)
