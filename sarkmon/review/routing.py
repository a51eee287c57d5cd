"""An Alertmanager configuration read back into the routing model, to ask where alerts go.

Between two trees there is only ``alertmanager.yml``: its routing tree becomes the model's
:class:`~sarkmon.model.routing.Route` objects (``matchers:`` as well as the older ``match:``
and ``match_re:``), so that :meth:`Routing.receivers_for` answers exactly as it does for the
definitions, and as Alertmanager's dispatcher does.

Receivers, ``global`` and time intervals are read as fields (``slack channel``,
``email to``, ``smtp_from``), so that a changed destination shows, not only a changed kind
of integration. Secret fields (an inline webhook address, a routing key, a password) are
kept to be compared but :func:`is_secret` tells the comparison never to show them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sarkmon.compile.yaml_text import load_yaml
from sarkmon.diagnostics import collecting
from sarkmon.model.durations import DurationError, canonical
from sarkmon.model.matchers import Matcher, MatcherError, MatchOp
from sarkmon.model.routing import Route, Routing

# Fields Alertmanager reads a secret from inline (their ``*_file`` twins only name a file).
SECRET_FIELDS = frozenset(
    {
        "api_key",
        "api_secret",
        "api_url",
        "auth_password",
        "auth_secret",
        "bearer_token",
        "bot_token",
        "client_secret",
        "credentials",
        "key",
        "opsgenie_api_key",
        "password",
        "routing_key",
        "service_key",
        "slack_api_url",
        "smtp_auth_password",
        "smtp_auth_secret",
        "token",
        "user_key",
        "victorops_api_key",
        "webhook_url",
        "wechat_api_secret",
    }
)
DURATION_FIELDS = frozenset({"resolve_timeout", "group_wait", "group_interval", "repeat_interval"})

Fields = Mapping[str, str]  # a field's path ("http_config.proxy_url") -> its value in words


def is_secret(path: str, value: str) -> bool:
    """Whether a field holds a secret: a secret field, or an address carrying credentials."""
    name = path.rsplit(".", 1)[-1]
    if name in SECRET_FIELDS:
        return True
    if name.endswith("url") and value:
        parts = urlsplit(value)
        return bool(parts.username or parts.password or parts.query)
    return False


@dataclass(frozen=True)
class RoutingFacts:
    routing: Routing | None
    receivers: tuple[str, ...] = ()
    inhibitions: tuple[str, ...] = ()  # one text per inhibit rule
    problems: tuple[str, ...] = ()  # matchers that could not be read
    receiver_configs: Mapping[str, str] = field(default_factory=dict)  # name -> integrations
    # Receiver name -> integration ("slack", "slack 2") -> its fields.
    integrations: Mapping[str, Mapping[str, Fields]] = field(default_factory=dict)
    settings: Mapping[str, Fields] = field(default_factory=dict)  # "global" -> its fields
    time_intervals: Mapping[str, str] = field(default_factory=dict)  # name -> periods in words

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
    glob = config.get("global")
    return RoutingFacts(
        routing,
        tuple(str(r.get("name", "")) for r in receivers),
        tuple(_inhibition(i) for i in config.get("inhibit_rules") or [] if isinstance(i, dict)),
        tuple(problems),
        {str(r.get("name", "")): _integrations(r) for r in receivers},
        {str(r.get("name", "")): _integration_fields(r) for r in receivers},
        {"global": flatten(glob)} if isinstance(glob, dict) else {},
        _time_intervals(config),
    )


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _duration(name: str, value: str) -> str:
    """Durations in one spelling (``300s`` is ``5m``), so a respelling is no change."""
    if name not in DURATION_FIELDS:
        return value
    try:
        return canonical(value)
    except DurationError:
        return value


def flatten(node: Any, path: str = "") -> dict[str, str]:
    """A YAML mapping as field path -> value; lists of scalars joined, lists of maps numbered."""
    if isinstance(node, dict):
        out: dict[str, str] = {}
        for key, value in node.items():
            out.update(flatten(value, f"{path}.{key}" if path else str(key)))
        return out
    if isinstance(node, list):
        if any(isinstance(item, dict | list) for item in node):
            out = {}
            for index, item in enumerate(node, 1):
                out.update(flatten(item, f"{path}[{index}]"))
            return out
        return {path: ", ".join(_text(item) for item in node)}
    return {path: _duration(path.rsplit(".", 1)[-1], _text(node))}


def _integration_fields(receiver: dict[str, Any]) -> dict[str, Fields]:
    """Each integration of a receiver by kind (numbered when there are several), its fields."""
    out: dict[str, Fields] = {}
    for key in sorted(k for k in receiver if k.endswith("_configs")):
        configs = receiver[key] if isinstance(receiver[key], list) else []
        kind = key.removesuffix("_configs")
        for index, config in enumerate(configs, 1):
            name = kind if len(configs) == 1 else f"{kind} {index}"
            out[name] = flatten(config) if isinstance(config, dict) else {"": _text(config)}
    return out


def _period(period: Any) -> str:
    if not isinstance(period, dict):
        return _text(period)
    parts = []
    for key in sorted(period):
        value = period[key]
        if key == "times" and isinstance(value, list):
            spans = [
                f"{_text(t.get('start_time'))}-{_text(t.get('end_time'))}"
                for t in value
                if isinstance(t, dict)
            ]
            parts.append(f"times {', '.join(spans)}")
        else:
            text = ", ".join(map(_text, value)) if isinstance(value, list) else _text(value)
            parts.append(f"{key} {text}")
    return "; ".join(parts)


def _time_intervals(config: dict[str, Any]) -> dict[str, str]:
    """Time intervals (and the older top-level mute_time_intervals) as periods in words."""
    out: dict[str, str] = {}
    for key in ("mute_time_intervals", "time_intervals"):
        for interval in config.get(key) or []:
            if isinstance(interval, dict):
                periods = interval.get("time_intervals") or []
                texts = [_period(p) for p in periods] if isinstance(periods, list) else []
                out[str(interval.get("name", ""))] = " | ".join(texts) or "(no periods)"
    return out


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
            parts.append(f"{key} {_duration(key, getattr(route, key))}")
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
