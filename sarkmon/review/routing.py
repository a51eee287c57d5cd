"""An Alertmanager configuration read back into the routing model, to ask where alerts go.

Between two trees there is only ``alertmanager.yml``: its routing tree becomes the model's
:class:`~sarkmon.model.routing.Route` objects (``matchers:`` as well as the older ``match:``
and ``match_re:``), so that :meth:`Routing.receivers_for` answers exactly as it does for the
definitions, and as Alertmanager's dispatcher does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sarkmon.compile.yaml_text import load_yaml
from sarkmon.diagnostics import collecting
from sarkmon.model.matchers import Matcher, MatcherError, MatchOp
from sarkmon.model.routing import Route, Routing


@dataclass(frozen=True)
class RoutingFacts:
    routing: Routing | None
    receivers: tuple[str, ...] = ()
    inhibitions: tuple[str, ...] = ()  # one text per inhibit rule
    problems: tuple[str, ...] = ()  # matchers that could not be read
    receiver_configs: Mapping[str, str] = field(default_factory=dict)  # name -> integrations

    def routes(self) -> dict[str, str]:
        """Every route by the matchers leading to it, with its settings in words."""
        if self.routing is None:
            return {}
        out: dict[str, str] = {}
        for path, route in self.routing.routes():
            name = self.routing.describe(path)
            while name in out:  # siblings with the same matchers
                name += " (again)"
            out[name] = _settings(route)
        return out

    def receivers_for(self, labels: Mapping[str, str]) -> tuple[str, ...]:
        """The receivers an alert with these labels reaches, each once, in order."""
        if self.routing is None:
            return ()
        return tuple(dict.fromkeys(self.routing.receivers_for(labels)))


def routing_facts(text: str) -> RoutingFacts:
    """The routing of an ``alertmanager.yml``; raises yaml.YAMLError on broken YAML."""
    config = load_yaml(text) or {}
    if not isinstance(config, dict):
        return RoutingFacts(None, problems=("the configuration is not a mapping",))
    problems: list[str] = []
    root = config.get("route")
    # The model reports configuration problems (unknown receivers, ...) while it is built;
    # they are for `sarkmon check` to judge, not for a comparison.
    with collecting():
        route = _route(root, problems) if isinstance(root, dict) else None
        routing = Routing(route=route, receivers=()) if route is not None else None
    receivers = [r for r in config.get("receivers") or [] if isinstance(r, dict)]
    return RoutingFacts(
        routing,
        tuple(str(r.get("name", "")) for r in receivers),
        tuple(_inhibition(i) for i in config.get("inhibit_rules") or [] if isinstance(i, dict)),
        tuple(problems),
        {str(r.get("name", "")): _integrations(r) for r in receivers},
    )


def _route(node: dict[str, Any], problems: list[str]) -> Route:
    matchers = _matchers(node, problems)
    group_by = node.get("group_by")
    return Route(
        receiver=str(node.get("receiver") or ""),
        matchers=matchers,
        continue_=bool(node.get("continue")),
        group_by=tuple(str(g) for g in group_by) if isinstance(group_by, list) else None,
        group_wait=str(node.get("group_wait") or ""),
        group_interval=str(node.get("group_interval") or ""),
        repeat_interval=str(node.get("repeat_interval") or ""),
        mute_time_intervals=tuple(str(t) for t in node.get("mute_time_intervals") or []),
        active_time_intervals=tuple(str(t) for t in node.get("active_time_intervals") or []),
        routes=tuple(_route(r, problems) for r in node.get("routes") or [] if isinstance(r, dict)),
    )


def _settings(route: Route) -> str:
    parts = [f"receiver {route.receiver}" if route.receiver else "receiver inherited"]
    if route.continue_:
        parts.append("continue")
    if route.group_by is not None:
        parts.append(f"group_by [{', '.join(route.group_by)}]")
    for key in ("group_wait", "group_interval", "repeat_interval"):
        if getattr(route, key):
            parts.append(f"{key} {getattr(route, key)}")
    for key in ("mute_time_intervals", "active_time_intervals"):
        if getattr(route, key):
            parts.append(f"{key} [{', '.join(getattr(route, key))}]")
    return ", ".join(parts)


def _matchers(node: dict[str, Any], problems: list[str]) -> list[Matcher]:
    out: list[Matcher] = []
    try:
        for name, value in sorted((node.get("match") or {}).items()):
            out.append(Matcher(str(name), MatchOp.EQ, str(value)))
        for name, value in sorted((node.get("match_re") or {}).items()):
            out.append(Matcher(str(name), MatchOp.RE, str(value)))
        for text in node.get("matchers") or []:
            out.append(Matcher.parse(str(text)))
    except (MatcherError, AttributeError) as err:
        problems.append(f"route to {node.get('receiver')!r}: {err}")
        # Alertmanager would not load this configuration: the route matches nothing here.
        return [Matcher("__unreadable__", MatchOp.EQ, "\0")]
    return out


def _side(rule: dict[str, Any], side: str) -> str:
    matchers = [str(m) for m in rule.get(f"{side}_matchers") or []]
    for key, op in (("match", "="), ("match_re", "=~")):
        for name, value in sorted((rule.get(f"{side}_{key}") or {}).items()):
            matchers.append(f'{name}{op}"{value}"')
    return "{" + ", ".join(sorted(matchers)) + "}"


def _inhibition(rule: dict[str, Any]) -> str:
    equal = ", ".join(sorted(str(e) for e in rule.get("equal") or []))
    text = f"{_side(rule, 'source')} mutes {_side(rule, 'target')}"
    return text + (f" when equal on ({equal})" if equal else "")


def _integrations(receiver: dict[str, Any]) -> str:
    kinds = sorted(k.removesuffix("_configs") for k in receiver if k.endswith("_configs"))
    return ", ".join(kinds) or "nothing"
