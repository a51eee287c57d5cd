"""On a real Alertmanager: SARK's alerts reach their receivers, its inhibitions mute, and the
model's inhibition rule agrees with Alertmanager's on many alert combinations."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sarkmon.compile.alertmanager import config_document
from sarkmon.compile.yaml_text import dump_yaml
from sarkmon.model.receivers import Receiver
from sarkmon.model.routing import Inhibition, Route, Routing, alert_labels
from sarkmon.pipeline import Build
from sarkmon.tools import alertmanager


def silent_config(routing: Routing, path: Path) -> str:
    """The routing's config with every integration removed: nothing may notify anyone."""
    doc: dict[str, Any] = config_document(routing)
    doc.pop("templates")
    doc["receivers"] = [{"name": r["name"]} for r in doc["receivers"]]
    path.write_text(dump_yaml(doc))
    return str(path)


def key(labels: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(labels.items()))


def settle(
    server: alertmanager.Alertmanager,
    expected: Callable[[dict[str, Any]], bool],
    count: int,
    timeout: float = 10,
) -> dict[tuple[tuple[str, str], ...], dict[str, Any]]:
    """The alerts by label set, once all ``count`` are there and ``expected`` holds for each."""
    deadline = time.monotonic() + timeout
    while True:
        found = {key(a["labels"]): a for a in server.alerts()}
        done = len(found) == count and all(expected(a) for a in found.values())
        if done or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def inhibited(alert: dict[str, Any]) -> bool:
    return bool(alert["status"]["inhibitedBy"])


def test_sark_alerts_route_and_inhibit_on_a_real_alertmanager(
    sark_build: Build, tmp_path: Path
) -> None:
    routing = sark_build.project.routing
    assert routing is not None
    external = sark_build.project.scrape.external_labels
    alerts = [alert_labels(a, external) for f in sark_build.rule_files for a in f.alerts]
    # Fixed labels only: every alert in the same place, so each pair an inhibition names can meet.
    predicted = {
        key(t): any(r.inhibits(s, t) for r in routing.inhibitions for s in alerts) for t in alerts
    }
    assert sum(predicted.values()) >= len(routing.inhibitions)
    with alertmanager.running(silent_config(routing, tmp_path / "am.yml")) as server:
        server.post(alerts)
        found = settle(server, lambda a: inhibited(a) == predicted[key(a["labels"])], len(alerts))
    assert {k: inhibited(a) for k, a in found.items()} == predicted
    for labels in alerts:
        live = sorted(r["name"] for r in found[key(labels)]["receivers"])
        assert tuple(live) == routing.intended_receivers(labels), labels["alertname"]


def random_alerts(rng: random.Random, groups: int) -> list[dict[str, str]]:
    out = []
    for group in range(groups):
        for index in range(rng.randint(2, 3)):
            labels = {"pair": str(group), "i": str(index)}
            labels["severity"] = rng.choice(("critical", "warning"))
            for name in ("a", "b"):
                value = rng.choice(("x", "y", ""))
                if value:
                    labels[name] = value
            out.append(labels)
    return out


RULES = [
    Inhibition(source=['severity="critical"'], target=['severity="warning"'], equal=["pair", "a"]),
    Inhibition(source=['a=~"x|z"'], target=['b!="y"'], equal=["pair", "b"]),
    Inhibition(source=['b=""'], target=['a="y"'], equal=["pair"]),
    Inhibition(source=['a!~"y"'], target=['a!~"y"'], equal=["pair"]),
]


@pytest.mark.parametrize("seed", [1, 2])
def test_the_models_inhibition_agrees_with_alertmanager(seed: int, tmp_path: Path) -> None:
    routing = Routing(route=Route(receiver="null"), receivers=[Receiver("null")], inhibitions=RULES)
    alerts = random_alerts(random.Random(seed), groups=40)
    predicted = {
        key(t): any(r.inhibits(s, t) for r in RULES for s in alerts if s is not t) for t in alerts
    }
    assert 0 < sum(predicted.values()) < len(alerts)
    with alertmanager.running(silent_config(routing, tmp_path / "am.yml")) as server:
        server.post(alerts)
        found = settle(server, lambda a: inhibited(a) == predicted[key(a["labels"])], len(alerts))
        server.resolve(alerts)
    actual = {k: inhibited(a) for k, a in found.items()}
    wrong = {k: v for k, v in predicted.items() if actual.get(k) != v}
    assert not wrong, wrong


def test_the_server_is_stopped_when_the_block_fails(tmp_path: Path) -> None:
    routing = Routing(route=Route(receiver="null"), receivers=[Receiver("null")])
    config = silent_config(routing, tmp_path / "am.yml")
    with pytest.raises(KeyError), alertmanager.running(config) as server:
        url = server.url
        raise KeyError(url)
    with pytest.raises(OSError):
        alertmanager.Alertmanager(url).alerts()


def test_a_config_alertmanager_rejects_is_reported(tmp_path: Path) -> None:
    config = tmp_path / "am.yml"
    config.write_text("route: {receiver: nobody}\nreceivers: []\n")
    with (
        pytest.raises(RuntimeError, match=r"alertmanager exited:.*nobody"),
        alertmanager.running(str(config)),
    ):
        pass
