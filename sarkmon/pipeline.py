"""The pipeline between loading and writing: expand, analyze, lint, compile.

``build`` turns a loaded Project into a :class:`Build` (every expression analyzed, every
finding collected); ``render`` runs the compilers on a clean build. Both are pure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from importlib import import_module
from typing import Any

from sarkmon.analysis import ExprSite, analyze_site, dashboard_sites, recorded_metrics, rule_sites
from sarkmon.diagnostics import Finding, Severity, collecting
from sarkmon.model.catalog import Catalog
from sarkmon.model.project import Project
from sarkmon.model.rules import RuleFile
from sarkmon.promql.tree import Node
from sarkmon.views import DashboardView

# Hooks other parts of the model plug in, as module:function (imported on use).
# Expanders turn higher-level definitions (SLOs) into extra rule files.
EXPANDERS: tuple[str, ...] = ("sarkmon.slo.rules:expand_slos",)
# Site sources list the expressions of other definitions: (project, catalog) -> sites.
SITE_SOURCES: tuple[str, ...] = ()
# Dashboard views of the project's dashboards: (project) -> list[DashboardView].
DASHBOARD_VIEWS: tuple[str, ...] = ("sarkmon.model.dashboards.views:dashboard_views",)


@dataclass(frozen=True)
class Build:
    project: Project
    catalog: Catalog  # the project's catalog plus every recorded series
    rule_files: tuple[RuleFile, ...]  # the project's rule files plus generated ones
    sites: tuple[ExprSite, ...]
    findings: tuple[Finding, ...]
    dashboards: tuple[DashboardView, ...] = ()

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR and not f.suppressed]


def _hook(spec: str) -> Callable[..., Any]:
    module, _, name = spec.partition(":")
    return getattr(import_module(module), name)  # type: ignore[no-any-return]


def build(project: Project, lint: bool = True) -> Build:
    """Expand, analyze and lint a project; never raises for mistakes in definitions."""
    with collecting() as collector:
        rule_files = list(project.rule_files)
        for spec in EXPANDERS:
            rule_files.extend(_hook(spec)(project))
        catalog = recorded_metrics(rule_files, project.catalog)
        dashboards: list[DashboardView] = []
        for spec in DASHBOARD_VIEWS:
            dashboards.extend(_hook(spec)(project))
        raw: list[ExprSite] = list(rule_sites(rule_files))
        raw.extend(dashboard_sites(dashboards))
        for spec in SITE_SOURCES:
            raw.extend(_hook(spec)(project, catalog))
    trees: dict[str, Node] = {}
    sites = tuple(analyze_site(site, catalog, trees) for site in raw)
    result = Build(
        project,
        catalog,
        tuple(rule_files),
        sites,
        tuple(sorted(set(collector.findings))),
        tuple(dashboards),
    )
    return run_lint(result) if lint else result


def run_lint(result: Build) -> Build:
    """The build with the lint checks' findings added (``build(project, lint=False)`` first)."""
    from sarkmon.lint import LintContext, run_checks

    ctx = LintContext(
        result.catalog, result.sites, result.rule_files, result.project, result.dashboards
    )
    findings = sorted({*result.findings, *run_checks(ctx)})
    return replace(result, findings=tuple(findings))


def render(result: Build, specs: Iterable[str] | None = None) -> dict[str, str]:
    """Every output file (or those of the compilers ``specs`` names), by relative path."""
    from sarkmon.compile import compilers

    return merge(compiler(result) for compiler in compilers(specs))


def merge(parts: Iterable[dict[str, str]]) -> dict[str, str]:
    """Files from several compilers, sorted by path; two writing one path is a bug."""
    files: dict[str, str] = {}
    for part in parts:
        for path, text in part.items():
            if path in files:
                raise RuntimeError(f"two compilers write {path}")
            files[path] = text
    return dict(sorted(files.items()))
