"""Linting hand-written artifacts against a project's catalog.

The files' rule groups and dashboards become analysis sites exactly as definitions do;
their recording rules add their outputs to the catalog (after the project's own), so a
dashboard may read what a rule file beside it records.
"""

from __future__ import annotations

from sarkmon.analysis import analyze_site, dashboard_sites, recorded_metrics, rule_sites
from sarkmon.artifacts import Artifacts
from sarkmon.diagnostics import Finding, collecting
from sarkmon.lint import LintContext, run_checks
from sarkmon.model.project import Project


def lint_artifacts(project: Project, artifacts: Artifacts) -> list[Finding]:
    """Every finding on the artifacts: the model's while reading them, then every check."""
    from sarkmon.pipeline import build

    with collecting() as collector:
        catalog = recorded_metrics(artifacts.rule_files, build(project, lint=False).catalog)
    raw = [*rule_sites(artifacts.rule_files), *dashboard_sites(artifacts.dashboards)]
    sites = tuple(analyze_site(site, catalog) for site in raw)
    ctx = LintContext(catalog, sites, tuple(artifacts.rule_files), None, artifacts.dashboards)
    findings = [*artifacts.findings, *collector.findings, *run_checks(ctx)]
    return sorted(set(findings))
