"""Lint: catalog-aware checks of every expression and definition.

Checks live in one module per family and register themselves with a stable ID
(:mod:`sarkmon.lint.registry`). They run on a :class:`LintContext`: the analysis sites (each
expression parsed once, with its typed tree and facts), the rule files, the dashboard views
and the catalog, whether those come from the definitions or from hand-written files.

Model validation is not repeated here: mistakes a definition cannot even be built with
(unknown severity, bad names and durations, duplicates; IDs ``definition/*``) are reported
by the model while loading definitions or reading rule files, in the same Finding shape.
Those an author most often meets are registered for their docs only
(:mod:`sarkmon.lint.definitions`).
"""

from __future__ import annotations

from importlib import import_module

from sarkmon.diagnostics import Finding
from sarkmon.lint.registry import REGISTRY, Check, LintContext

# One module per family of checks; importing a module registers its checks.
CHECK_MODULES: tuple[str, ...] = (
    "sarkmon.lint.syntax",
    "sarkmon.lint.catalog",
    "sarkmon.lint.values",
    "sarkmon.lint.usage",
    "sarkmon.lint.types",
    "sarkmon.lint.logic",
    "sarkmon.lint.alerts",
    "sarkmon.lint.templates",
    "sarkmon.lint.dashboards",
    "sarkmon.lint.logql",
    "sarkmon.lint.naming",
    "sarkmon.lint.silences",
    "sarkmon.lint.routing",
    "sarkmon.lint.targets",
    "sarkmon.lint.instrumentation",
    "sarkmon.lint.runbooks",
    "sarkmon.lint.grafana",
    "sarkmon.lint.alert_tests",
    "sarkmon.lint.definitions",
)


def all_checks() -> list[Check]:
    for module in CHECK_MODULES:
        import_module(module)
    return [REGISTRY[key] for key in sorted(REGISTRY)]


def run_checks(ctx: LintContext) -> list[Finding]:
    """Every finding of every check, sorted, with silenced ones marked by their reason."""
    from sarkmon.lint.silences import silenced, unused_silences

    findings: list[Finding] = []
    for check in all_checks():
        findings.extend(silenced(finding) for finding in check.run(ctx))
    findings.extend(unused_silences(ctx, findings))
    return sorted(set(findings))


__all__ = ["Check", "LintContext", "all_checks", "run_checks"]
