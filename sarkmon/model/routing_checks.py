"""Definition-time validation of a :class:`~sarkmon.model.routing.Routing`.

Everything Alertmanager would reject (unknown receivers and time intervals, matchers on the
root route) and what it would accept but is a mistake in a reviewed configuration (a receiver
or time interval nothing uses, a team whose receiver has no integration, email without an
SMTP relay). Problems are reported with ``report()``, naming the object's file:line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from sarkmon.diagnostics import report
from sarkmon.source import Location

if TYPE_CHECKING:
    from sarkmon.model.routing import Routing


def _duplicates(kind: str, items: Iterable[tuple[str, Location]]) -> None:
    first: dict[str, Location] = {}
    for name, where in items:
        if name in first:
            report(
                "definition/duplicate",
                f"{kind} {name!r}",
                f"{kind} name used twice (first at {first[name]})",
                where,
            )
        first.setdefault(name, where)


def _known_receiver(routing: Routing, name: str, obj: str, what: str, where: Location) -> bool:
    if routing.receiver(name) is not None:
        return True
    report(
        "definition/unknown-receiver",
        obj,
        f"{what} {name!r} is not a receiver",
        where,
        routing.suggest_receiver(name) or "declare it in receivers",
    )
    return False


def _check_root(routing: Routing) -> None:
    root = routing.route
    where = root.location
    if not root.receiver:
        report("definition/route", "root route", "the root route needs a receiver", where)
    problems = [
        (root.matchers, "matchers: every alert enters the root"),
        (root.continue_, "continue: it has no siblings"),
        (root.mute_time_intervals, "mute_time_intervals"),
        (root.active_time_intervals, "active_time_intervals"),
    ]
    for present, what in problems:
        if present:
            report("definition/route", "root route", f"the root route cannot have {what}", where)


def _check_routes(routing: Routing) -> tuple[set[str], set[str]]:
    """Receivers and time intervals of every route must exist; returns the names used."""
    intervals = {t.name for t in routing.time_intervals}
    receivers: set[str] = set()
    used_intervals: set[str] = set()
    for _path, route in routing.routes():
        if route.receiver and _known_receiver(
            routing, route.receiver, route.name, "receiver", route.location
        ):
            receivers.add(route.receiver)
        for name in (*route.mute_time_intervals, *route.active_time_intervals):
            used_intervals.add(name)
            if name not in intervals:
                report(
                    "definition/unknown-time-interval",
                    route.name,
                    f"time interval {name!r} is not defined",
                    route.location,
                    "declare it in time_intervals",
                )
    return receivers, used_intervals


def _check_policy(routing: Routing) -> None:
    """The receivers the policy names must exist and be able to notify someone."""
    where = routing.location
    for team in routing.teams:
        obj = f"team {team.name!r}"
        if _known_receiver(routing, team.receiver, obj, "receiver", team.location):
            _check_notifies(routing, team.receiver, obj, team.location)
    if routing.pager and _known_receiver(routing, routing.pager, "routing", "pager", where):
        _check_notifies(routing, routing.pager, "routing", where)
    for copy in routing.copies:
        _known_receiver(routing, copy.receiver, copy.name, "receiver", copy.location)
    for alertname, names in routing.expect.items():
        for name in names:
            _known_receiver(routing, name, f"expected receivers of {alertname}", "receiver", where)


def _check_notifies(routing: Routing, name: str, obj: str, where: Location) -> None:
    receiver = routing.receiver(name)
    if receiver is not None and not receiver.integrations:
        report(
            "definition/receiver",
            obj,
            f"receiver {name!r} has no integrations: its alerts would reach nobody",
            where,
        )


def _check_unused(routing: Routing, receivers: set[str], intervals: set[str]) -> None:
    for receiver in routing.receivers:
        if receiver.name not in receivers:
            report(
                "definition/unused",
                f"receiver {receiver.name!r}",
                "no route sends alerts to this receiver",
                receiver.location,
                "route to it or remove it",
            )
    for interval in routing.time_intervals:
        if interval.name not in intervals:
            report(
                "definition/unused",
                f"time interval {interval.name!r}",
                "no route mutes or activates on this time interval",
                interval.location,
            )


def _check_email(routing: Routing) -> None:
    settings = routing.notifications
    if routing.uses_email and not (settings.smtp_smarthost and settings.smtp_from):
        report(
            "definition/receiver",
            "notification settings",
            "email receivers need smtp_smarthost and smtp_from",
            settings.location,
        )


def check_routing(routing: Routing) -> None:
    _duplicates("receiver", ((r.name, r.location) for r in routing.receivers))
    _duplicates("time interval", ((t.name, t.location) for t in routing.time_intervals))
    _duplicates("team", ((t.name, t.location) for t in routing.teams))
    _check_root(routing)
    receivers, intervals = _check_routes(routing)
    _check_policy(routing)
    _check_unused(routing, receivers, intervals)
    _check_email(routing)
