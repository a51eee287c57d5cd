"""Checks that every deployment target can carry the rules as defined (nothing dropped)."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from sarkmon.diagnostics import Finding, Severity
from sarkmon.lint.registry import LintContext, check
from sarkmon.model.targets import PartialResponse, Targets, version_tuple
from sarkmon.source import Location

Version = tuple[int, int]  # (major, minor), as version_tuple gives it


@dataclass(frozen=True)
class Ruler:
    """A program that evaluates rule files, and the rule fields that not all of its releases
    read: the first release that does, or ``None`` when its rule format has no such field."""

    name: str  # as messages name it
    key: str  # its target's name in Targets, as Targets.evaluated_targets takes it
    version_setting: str  # the Targets setting holding its version; "" when not versioned
    fields: Mapping[str, Version | None]


# The fields sarkmon emits that some ruler lacks; the others (name, interval, rules, alert,
# record, expr, for, labels, annotations) every ruler reads.
RULERS = (
    # Prometheus's release notes; the Prometheus operator drops the fields below the same ones.
    Ruler(
        "Prometheus",
        "prometheus",
        "prometheus_version",
        {"limit": (2, 31), "keep_firing_for": (2, 42)},
    ),
    # Thanos Ruler embeds Prometheus's rule manager; the versions the operator uses for it.
    Ruler(
        "Thanos",
        "thanos",
        "thanos_version",
        {"limit": (0, 24), "keep_firing_for": (0, 34)},
    ),
    # Mimir's rule group (rulespb.RuleGroupDesc) has no limit: mimirtool and the ruler drop it.
    # Its rules (RuleDesc) carry keep_firing_for; the target has no version setting, so the
    # releases before that field are not told apart.
    Ruler("Mimir ruler", "mimir", "", {"limit": None, "keep_firing_for": (0, 0)}),
)


def _evaluations(targets: Targets) -> Iterator[tuple[Ruler, Version, str, list[str]]]:
    """Each ruler that evaluates some target: its version (as given and parsed), the targets."""
    for ruler in RULERS:
        names = targets.evaluated_targets(ruler.key)
        if names:
            given = getattr(targets, ruler.version_setting) if ruler.version_setting else ""
            yield ruler, version_tuple(given) if given else (0, 0), given, names


@check(
    "target/unsupported",
    Severity.ERROR,
    "rule field a target's ruler cannot evaluate",
    """A rule uses a field that the ruler of one of the targets does not read: Prometheus
    before 2.42 knows no ``keep_firing_for`` and before 2.31 no group ``limit``, Thanos Ruler
    before 0.34 and 0.24 likewise, and a Mimir (or Cortex) ruler's rule groups have no
    ``limit`` at all. That ruler would refuse the rule file, or the field would be dropped on
    the way. Raise ``Targets.prometheus_version`` or ``Targets.thanos_version`` once the
    servers are upgraded, or remove the field (or the target).""",
)
def unsupported(ctx: LintContext) -> Iterator[Finding]:
    if ctx.project is None:
        return
    for ruler, version, given, names in _evaluations(ctx.project.targets):
        plural = "s" if len(names) > 1 else ""
        where = f"the {' and '.join(names)} target{plural}"
        for owner, obj, location, name in _limited_fields(ctx):
            since = ruler.fields[name]
            if since is None:
                message = f"the {ruler.name}'s rule format has no {name}; {where} would drop it"
                hint = f"remove the field, or {where}"
            elif version < since:
                needs = ".".join(str(n) for n in since)
                message = (
                    f"{name} needs {ruler.name} >= {needs}; {ruler.name} {given} evaluates {where}"
                )
                hint = f"raise Targets.{ruler.version_setting}, or remove the field"
            else:
                continue
            yield unsupported.about(owner, obj, location, message, hint)


def _limited_fields(ctx: LintContext) -> Iterator[tuple[object, str, Location, str]]:
    """Every use of a rule field that some ruler does not read (a key of ``Ruler.fields``)."""
    for rule_file in ctx.rule_files:
        for group in rule_file.groups:
            if group.limit:
                yield group, f"rule group {group.name!r}", group.location, "limit"
            for alert in group.alerts:
                if alert.keep_firing_for:
                    yield alert, f"alert {alert.name!r}", alert.location, "keep_firing_for"


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
