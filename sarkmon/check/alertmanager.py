"""Alertmanager: the config passes amtool, and every alert reaches exactly its receivers.

``amtool check-config`` judges the generated file and its templates; each notification
template is then rendered by amtool on one of the project's alerts. ``alert routing`` takes
every alert rule of the build (its labels, ``alertname`` and the external labels: what the
alert carries before it fires), asks the policy which receivers it must reach, and proves
with ``amtool config routes test --verify.receivers`` that the generated tree sends it exactly
there. Apart from the policy, each alert must reach the receiver of the team it declares,
whatever its severity. sarkmon's own evaluation of the tree must agree with amtool's on every
alert, so the documentation built from it is right too.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sarkmon.check import CheckContext, StepResult
from sarkmon.compile.alertmanager import CONFIG_PATH, TEMPLATES_GLOB
from sarkmon.compile.prometheus import alert_document
from sarkmon.model.routing import Routing, alert_labels
from sarkmon.model.rules import AlertRule
from sarkmon.tools import amtool

TEMPLATE_NAMES = ("sarkmon.title", "sarkmon.text", "sarkmon.pagerduty.severity")


def _alerts(ctx: CheckContext) -> list[AlertRule]:
    return [alert for rule_file in ctx.build.rule_files for alert in rule_file.alerts]


def _sample(ctx: CheckContext, alerts: list[AlertRule]) -> dict[str, object]:
    """Template data (Alertmanager's template.Data) for one firing alert of the project."""
    alert = min(alerts, key=lambda a: a.name)
    labels = alert_labels(alert, ctx.build.project.scrape.external_labels)
    annotations = alert_document(alert, ctx.build.project.targets)["annotations"]
    return {
        "receiver": "sample",
        "status": "firing",
        "alerts": [
            {
                "status": "firing",
                "labels": labels,
                "annotations": annotations,
                "startsAt": "2025-01-01T00:00:00Z",
                "endsAt": "0001-01-01T00:00:00Z",
                "generatorURL": "",
                "fingerprint": "0",
            }
        ],
        "groupLabels": {"alertname": alert.name},
        "commonLabels": labels,
        "commonAnnotations": annotations,
        "externalURL": "http://alertmanager.invalid",
    }


def amtool_check_config(ctx: CheckContext) -> StepResult:
    name = "amtool check-config"
    routing = ctx.build.project.routing
    if routing is None or CONFIG_PATH not in ctx.files:
        return StepResult(name, True, "no Alertmanager config")
    config_dir = str((ctx.tree / CONFIG_PATH).parent)
    result = amtool.check_config(Path(CONFIG_PATH).name, cwd=config_dir)
    if not result.ok:
        return StepResult(name, False, f"{CONFIG_PATH} rejected", result.output.splitlines())
    details = []
    alerts = _alerts(ctx)
    if alerts:
        with tempfile.TemporaryDirectory(prefix="sarkmon-amtool-") as tmp:
            data = Path(tmp) / "sample.json"
            data.write_text(json.dumps(_sample(ctx, alerts), sort_keys=True))
            for template in TEMPLATE_NAMES:
                text = "{{ template " + json.dumps(template) + " . }}"
                done = amtool.render_template([TEMPLATES_GLOB], text, str(data), cwd=config_dir)
                if not done.ok or not done.stdout.strip():
                    details.append(f"template {template}: {done.output or 'renders nothing'}")
    summary = (
        f"{CONFIG_PATH}: {len(routing.receivers)} receivers, "
        f"{len(routing.inhibitions)} inhibit rules; "
        f"{len(TEMPLATE_NAMES) - len(details)}/{len(TEMPLATE_NAMES)} templates render"
    )
    return StepResult(name, not details, summary, details)


def _problem(
    alert: AlertRule, labels: dict[str, str], routing: Routing, config: str, cwd: str
) -> str:
    """Why ``alert`` is misrouted, or '' when the tree sends it exactly where intended."""
    intended = routing.intended_receivers(labels)
    ours = routing.receivers_for(labels)
    # amtool compares an ordered list: pass ours when it has the intended receivers, once each.
    agrees = tuple(sorted(ours)) == intended
    result = amtool.routes_test(config, labels, ours if agrees else intended, cwd=cwd)
    theirs = amtool.resolved_receivers(result)
    where = f"{alert.name} (team={labels.get('team', '')!r}, severity={labels.get('severity')})"
    if result.returncode not in (0, 1) or not theirs:
        return f"{where}: amtool failed: {result.output}"
    if theirs != ours:
        return (
            f"{where}: sarkmon's evaluation ({', '.join(ours)}) disagrees with amtool "
            f"({', '.join(theirs)})"
        )
    if not agrees:
        return f"{where}: reaches {', '.join(theirs)}; intended {', '.join(intended)}"
    # Whatever the policy says, the owner must hear of its alert.
    missed = routing.missed_team(labels, theirs)
    if missed:
        return f"{where}: never reaches its team's receiver {missed} (reaches {', '.join(theirs)})"
    return ""


def alert_routing(ctx: CheckContext) -> StepResult:
    name = "alert routing"
    routing = ctx.build.project.routing
    if routing is None or CONFIG_PATH not in ctx.files:
        return StepResult(name, True, "no routing")
    external = ctx.build.project.scrape.external_labels
    config_dir = str((ctx.tree / CONFIG_PATH).parent)
    config = Path(CONFIG_PATH).name
    alerts = _alerts(ctx)
    labelled = [(alert, alert_labels(alert, external)) for alert in alerts]
    # One amtool process per alert, a few at a time; map keeps the alerts' order.
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        found = pool.map(lambda a: _problem(a[0], a[1], routing, config, config_dir), labelled)
        problems = [p for p in found if p]
    reached = Counter[str]()
    entered: set[tuple[int, ...]] = set()  # every route some alert ended on or below
    for _alert, labels in labelled:
        for delivery in routing.deliveries(labels):
            reached[delivery.receiver] += 1
            entered.update(delivery.path[:n] for n in range(len(delivery.path) + 1))
    total = len(alerts)
    details = list(problems)
    details.append("reached: " + ", ".join(f"{r} {n}" for r, n in sorted(reached.items())))
    unreached = [routing.describe(path) for path, _ in routing.routes() if path not in entered]
    if unreached:
        details.append("routes no alert ends on yet: " + "; ".join(unreached))
    if problems:
        summary = f"{len(problems)} of {total} alerts misrouted"
    else:
        summary = f"{total} alerts reach exactly their intended receivers (amtool agrees)"
    return StepResult(name, not problems, summary, details)
