"""Hand-written monitoring artifacts (Grafana JSON, rule YAML), read into the model and views.

``read_paths`` takes files and directories: ``.json`` files are dashboards, ``.yml`` and
``.yaml`` files are Prometheus rule files or PrometheusRule manifests. Files found while
walking a directory that hold neither are skipped (a directory often holds other configs);
a file named explicitly must hold one. Problems the model finds in a rule (an unknown
severity, a bad duration) are collected as findings, not raised.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sarkmon.artifacts.grafana import dashboard_of, read_dashboard
from sarkmon.artifacts.lines import ReadError, load_json, load_yaml
from sarkmon.artifacts.rules import groups_of, read_rule_files
from sarkmon.diagnostics import Finding, collecting
from sarkmon.model.rules import RuleFile
from sarkmon.views import DashboardView

SUFFIXES = (".json", ".yml", ".yaml")


@dataclass
class Artifacts:
    dashboards: list[DashboardView] = field(default_factory=list)
    rule_files: list[RuleFile] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # the model's, while reading rules
    skipped: list[str] = field(default_factory=list)  # files in directories that hold neither


def files_in(paths: Iterable[str]) -> list[tuple[str, bool]]:
    """(file, named explicitly) for every path, directories walked in sorted order."""
    out: list[tuple[str, bool]] = []
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, names in os.walk(path):
                dirs.sort()
                for name in sorted(names):
                    if name.endswith(SUFFIXES):
                        out.append((os.path.join(root, name), False))
        elif os.path.isfile(path):
            out.append((path, True))
        else:
            raise ReadError(path, 0, "no such file or directory")
    return out


def read_paths(paths: Iterable[str]) -> Artifacts:
    """Every dashboard and rule file under ``paths``; raises ReadError on unreadable input."""
    found = Artifacts()
    with collecting() as collector:
        for path, named in files_in(paths):
            if not read_file(path, found) and named:
                raise ReadError(path, 0, "neither a Grafana dashboard nor a Prometheus rule file")
    found.findings = list(collector.findings)
    return found


def read_file(path: str, into: Artifacts) -> bool:
    """Add what one file holds; False (and noted as skipped) when it holds nothing known."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ReadError(path, 0, f"cannot read: {err}") from err
    if path.endswith(".json"):
        dashboard = dashboard_of(load_json(text, path))
        if dashboard is not None:
            into.dashboards.append(read_dashboard(dashboard, path))
            return True
    else:
        docs = load_yaml(text, path)
        if any(groups_of(doc) for doc in docs):
            into.rule_files.extend(read_rule_files(docs, path))
            return True
    into.skipped.append(path)
    return False


__all__ = ["Artifacts", "ReadError", "read_paths"]
