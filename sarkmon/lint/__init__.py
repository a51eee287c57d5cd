"""Lint: catalog-aware checks of every expression and definition."""

from __future__ import annotations

from importlib import import_module

from sarkmon.diagnostics import Finding
from sarkmon.lint.registry import REGISTRY, Check, LintContext

# One module per family of checks; importing a module registers its checks.
CHECK_MODULES: tuple[str, ...] = (
    "sarkmon.lint.syntax",
    "sarkmon.lint.catalog",
    "sarkmon.lint.routing",
    "sarkmon.lint.targets",
    "sarkmon.lint.instrumentation",
    "sarkmon.lint.runbooks",
    "sarkmon.lint.grafana",
    "sarkmon.lint.alert_tests",
)


def all_checks() -> list[Check]:
    for module in CHECK_MODULES:
        import_module(module)
    return [REGISTRY[key] for key in sorted(REGISTRY)]


def run_checks(ctx: LintContext) -> list[Finding]:
    """Every finding of every check, sorted, with silenced ones marked by their reason."""
    findings: list[Finding] = []
    for check in all_checks():
        for finding in check.run(ctx):
            findings.append(_silenced(finding))
    return sorted(set(findings))


def _silenced(finding: Finding) -> Finding:
    silence = getattr(finding.owner, "silence", None) or {}
    reason = silence.get(finding.check)
    if not reason:
        return finding
    return Finding(
        finding.location,
        finding.check,
        finding.obj,
        finding.message,
        finding.severity,
        finding.hint,
        reason,
        finding.owner,
    )


__all__ = ["Check", "LintContext", "all_checks", "run_checks"]
