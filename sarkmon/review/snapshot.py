"""An output tree read into facts: dashboards, rules, routing, catalog, runbooks, other files.

A tree is ``{relative path: bytes}``, from a directory, a git commit or the definitions
rendered in memory. Files are read by where sarkmon writes them; copies derived from the
same definitions (Kubernetes, Mimir and Thanos wrappers, docs other than the runbooks'
own sections, the instrumentation module, the manifest) are not read twice. Any other
file is compared parsed (JSON, YAML) or as text, so formatting never counts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import yaml

from sarkmon.artifacts.grafana import unwrap_dashboard
from sarkmon.compile.yaml_text import load_yaml_all
from sarkmon.review.catalog import MetricFacts, catalog_facts
from sarkmon.review.dashboards import DashboardFacts, dashboard_facts
from sarkmon.review.routing import RoutingFacts, routing_facts
from sarkmon.review.rules import NotRules, RulesFacts, rules_facts, runbook_sections

DASHBOARDS = "grafana/dashboards/"
RULES = "prometheus/rules/"
ALERTMANAGER = "alertmanager/alertmanager.yml"
PROMETHEUS = "prometheus/prometheus.yml"
CATALOG = "catalog.json"
RUNBOOKS = "docs/runbooks/"
# Written from the same definitions as the files above: comparing them again adds nothing.
DERIVED = ("manifest.json", "docs/", "kubernetes/", "mimir/", "thanos/", "python/")


@dataclass
class Snapshot:
    label: str  # how the report names the tree: "HEAD", "the working tree", a directory
    dashboards: dict[str, DashboardFacts] = field(default_factory=dict)  # by path
    rules: RulesFacts = field(default_factory=RulesFacts)
    routing: RoutingFacts | None = None
    external_labels: dict[str, str] = field(default_factory=dict)
    catalog: dict[str, MetricFacts] | None = None
    runbooks: dict[str, dict[str, str]] = field(default_factory=dict)  # alert -> sections
    others: dict[str, Any] = field(default_factory=dict)  # path -> parsed content
    problems: list[str] = field(default_factory=list)  # files that could not be read


def _decode(body: bytes) -> str:
    return body.decode("utf-8", errors="replace")


def _parsed(path: str, text: str) -> Any:
    """JSON and YAML compare as data; anything else as its non-blank lines, stripped."""
    suffix = PurePosixPath(path).suffix
    try:
        if suffix == ".json":
            return json.loads(text)
        if suffix in (".yml", ".yaml"):
            return load_yaml_all(text)
    except (ValueError, yaml.YAMLError):
        pass
    return [line.strip() for line in text.splitlines() if line.strip()]


def snapshot(files: Mapping[str, bytes], label: str) -> Snapshot:
    snap = Snapshot(label)
    for path in sorted(files):
        text = _decode(files[path])
        try:
            _read(snap, path, text)
        except (ValueError, yaml.YAMLError, NotRules) as err:
            first = str(err).splitlines()[0] if str(err) else type(err).__name__
            snap.problems.append(f"{label}: {path}: {first}")
    return snap


def _read(snap: Snapshot, path: str, text: str) -> None:
    if path.startswith(DASHBOARDS) and path.endswith(".json"):
        doc = unwrap_dashboard(json.loads(text))
        if doc is None:
            raise ValueError("not a Grafana dashboard")
        snap.dashboards[path] = dashboard_facts(doc, path)
    elif path.startswith(RULES) and path.endswith((".yml", ".yaml")):
        snap.rules = snap.rules + rules_facts(text, path)
    elif path == ALERTMANAGER:
        snap.routing = routing_facts(text)
    elif path == CATALOG:
        snap.catalog = catalog_facts(text)
    elif path.startswith(RUNBOOKS) and path.endswith(".md"):
        snap.runbooks[PurePosixPath(path).stem] = runbook_sections(text)
    elif not path.startswith(DERIVED):
        parsed = _parsed(path, text)
        snap.others[path] = parsed
        if path == PROMETHEUS:
            snap.external_labels = _external_labels(parsed)


def _external_labels(parsed: Any) -> dict[str, str]:
    config = parsed[0] if isinstance(parsed, list) and parsed else {}
    glob = config.get("global") if isinstance(config, dict) else None
    labels = glob.get("external_labels") if isinstance(glob, dict) else None
    return {str(k): str(v) for k, v in labels.items()} if isinstance(labels, dict) else {}
