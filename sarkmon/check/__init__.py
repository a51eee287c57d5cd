"""``sarkmon check``: prove the output valid with real tools, one step per concern.

Each step is a function ``(CheckContext) -> StepResult``. Steps run on the freshly rendered
tree written to a temporary directory, so they judge exactly what ``generate`` would write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from sarkmon.pipeline import Build

# module:function, in the order they run.
STEPS: tuple[str, ...] = (
    "sarkmon.check.drift:drift",
    "sarkmon.check.rules:promtool_check_rules",
    "sarkmon.check.alertmanager:amtool_check_config",
    "sarkmon.check.alertmanager:alert_routing",
    "sarkmon.check.prometheus_config:promtool_check_config",
    "sarkmon.check.kubernetes:kubernetes_manifests",
    "sarkmon.check.rulers:ruler_files",
    "sarkmon.check.docs:runbook_links",
    "sarkmon.check.dashboards:dashboard_schema",
    "sarkmon.check.alert_tests:promtool_test_rules",
    "sarkmon.check.alert_tests:alert_test_coverage",
)


# The steps that run no external tool (``sarkmon check --offline``): drift, schemas,
# links and test coverage, checkable on any machine and quick to run while editing.
OFFLINE: frozenset[str] = frozenset(
    {"drift", "kubernetes_manifests", "runbook_links", "dashboard_schema", "alert_test_coverage"}
)


@dataclass(frozen=True)
class CheckContext:
    build: Build
    files: dict[str, str]  # rendered output, by relative path
    tree: Path  # the rendered output, written to a temporary directory
    out: Path  # the committed output directory, for drift
    offline: bool = False  # steps that can run partly without their tool skip that part


@dataclass
class StepResult:
    name: str
    ok: bool
    summary: str
    details: list[str] = field(default_factory=list)


Step = Callable[[CheckContext], StepResult]


def steps() -> list[Step]:
    out = []
    for spec in STEPS:
        module, _, name = spec.partition(":")
        out.append(getattr(import_module(module), name))
    return out
