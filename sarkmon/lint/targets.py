"""Checks that every deployment target can carry the rules as defined (nothing dropped)."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from sarkmon.diagnostics import Finding, Severity
from sarkmon.lint.registry import LintContext, check
from sarkmon.model.targets import PartialResponse, version_tuple
from sarkmon.source import Location

# Rule fields and the Prometheus version that first evaluates them.
KEEP_FIRING_FOR_SINCE = (2, 42)
GROUP_LIMIT_SINCE = (2, 31)


@check(
    "target/unsupported",
    Severity.ERROR,
    "rule field the target's Prometheus version cannot evaluate",
    """A rule uses a field that the Prometheus evaluating one of the targets does not know
    (``keep_firing_for`` needs 2.42, a group ``limit`` needs 2.31): that Prometheus would
    refuse the rule file, or the operator would drop the field. Raise
    ``Targets.prometheus_version`` once the servers are upgraded, or remove the field.""",
)
def unsupported(ctx: LintContext) -> Iterator[Finding]:
    if ctx.project is None:
        return
    targets = ctx.project.targets
    evaluated = targets.prometheus_evaluated
    if not evaluated:
        return
    version = version_tuple(targets.prometheus_version)
    plural = "s" if len(evaluated) > 1 else ""
    where = (
        f"Prometheus {targets.prometheus_version} evaluates the "
        f"{' and '.join(evaluated)} target{plural}"
    )
    hint = "raise Targets.prometheus_version, or remove the field"
    for owner, obj, location, name, since in _versioned_fields(ctx):
        if version < since:
            needs = ".".join(str(n) for n in since)
            yield unsupported.about(
                owner, obj, location, f"{name} needs Prometheus >= {needs}; {where}", hint
            )


def _versioned_fields(
    ctx: LintContext,
) -> Iterator[tuple[object, str, Location, str, tuple[int, int]]]:
    """Every use of a rule field that only newer Prometheus versions evaluate."""
    for rule_file in ctx.rule_files:
        for group in rule_file.groups:
            if group.limit:
                yield (
                    group,
                    f"rule group {group.name!r}",
                    group.location,
                    "limit",
                    GROUP_LIMIT_SINCE,
                )
            for alert in group.alerts:
                if alert.keep_firing_for:
                    obj = f"alert {alert.name!r}"
                    yield alert, obj, alert.location, "keep_firing_for", KEEP_FIRING_FOR_SINCE


@check(
    "target/unknown-group",
    Severity.ERROR,
    "target setting names a rule group that does not exist",
    """A per-group setting of a target (Thanos ``partial_response_strategy`` overrides) names
    a group no rule file defines, so it applies to nothing; usually the group was renamed.
    Use the group's current name (the hint lists the closest).""",
)
def unknown_group(ctx: LintContext) -> Iterator[Finding]:
    if ctx.project is None:
        return
    targets = ctx.project.targets
    settings: list[tuple[str, PartialResponse]] = []
    if targets.thanos is not None:
        settings.append(("thanos", targets.thanos.partial_response))
    if targets.kubernetes is not None and targets.kubernetes.partial_response is not None:
        settings.append(("kubernetes", targets.kubernetes.partial_response))
    names = sorted({g.name for f in ctx.rule_files for g in f.groups})
    for target, setting in settings:
        for group in setting.groups:
            if group in names:
                continue
            close = difflib.get_close_matches(group, names, n=1, cutoff=0.6)
            yield unknown_group.about(
                setting,
                f"{target} target",
                setting.location,
                f"partial response override for unknown rule group {group!r}",
                f"did you mean {close[0]}?" if close else "groups: " + ", ".join(names),
            )
