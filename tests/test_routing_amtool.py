"""sarkmon's evaluation of a routing tree agrees with amtool's on random trees and alerts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sarkmon.compile.alertmanager import config_document
from sarkmon.compile.yaml_text import dump_yaml
from sarkmon.model.receivers import Receiver, Webhook
from sarkmon.model.routing import Route, Routing
from sarkmon.tools import amtool

VALUES = {"team": ("a", "b", "c"), "severity": ("critical", "warning", "info"), "env": ("p", "d")}
PATTERNS = ("a|b", ".*", "c.*", "crit.*", "p", "")
RECEIVERS = ("r0", "r1", "r2", "r3")

label_sets = st.fixed_dictionaries({name: st.sampled_from(v) for name, v in VALUES.items()})


@st.composite
def matchers(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(sorted(VALUES)))
    op = draw(st.sampled_from(("=", "!=", "=~", "!~")))
    choices = VALUES[name] if op in ("=", "!=") else PATTERNS
    return f'{name}{op}"{draw(st.sampled_from(choices))}"'


def routes(depth: int) -> st.SearchStrategy[Route]:
    children = st.lists(routes(depth - 1), max_size=3) if depth else st.just([])
    return st.builds(
        Route,
        receiver=st.sampled_from(("", *RECEIVERS)),
        matchers=st.lists(matchers(), max_size=2),
        continue_=st.booleans(),
        routes=children,
    )


def routing_of(children: list[Route]) -> Routing:
    root = Route(receiver="r0", routes=children)
    used = sorted({r.receiver for _, r in root.walk() if r.receiver})
    webhook = Webhook("http://127.0.0.1:9/hook")
    return Routing(route=root, receivers=[Receiver(name, [webhook]) for name in used])


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    children=st.lists(routes(2), min_size=1, max_size=4),
    alerts=st.lists(label_sets, min_size=1, max_size=4),
)
def test_evaluation_agrees_with_amtool(
    tmp_path: Path, children: list[Route], alerts: list[dict[str, str]]
) -> None:
    routing = routing_of(children)
    config = tmp_path / "alertmanager.yml"
    document: dict[str, Any] = config_document(routing)
    document.pop("templates")
    config.write_text(dump_yaml(document))
    for labels in alerts:
        result = amtool.routes_test(str(config), labels)
        assert result.ok, result.output
        assert amtool.resolved_receivers(result) == routing.receivers_for(labels), labels
