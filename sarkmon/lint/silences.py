"""Silences: a definition turns off one check on itself, with a reason that stays visible.

Any definition with a ``silence`` mapping (alert and recording rules, catalog metrics,
dashboard panels and variables) can silence a check: ``silence={"alert/for": "fires on an
event; waiting would only delay the page"}``. A silenced finding is still reported, marked
with its reason, and no longer fails the run. A silence naming no known check, giving no
reason, or silencing nothing is itself reported, so silences do not outlive their cause.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace

from sarkmon.diagnostics import Finding, Severity
from sarkmon.lint.registry import REGISTRY, LintContext, check
from sarkmon.lint.usage import metric_object
from sarkmon.model.metrics import Metric
from sarkmon.model.rules import AlertRule, RecordingRule
from sarkmon.source import UNKNOWN, Location


def silences_of(owner: object) -> Mapping[str, str]:
    found = getattr(owner, "silence", None)
    return found if isinstance(found, Mapping) else {}


def silenced(finding: Finding) -> Finding:
    """The finding marked with its owner's reason when the owner silences its check."""
    reason = silences_of(finding.owner).get(finding.check)
    return replace(finding, suppressed=reason) if reason else finding


def _owners(ctx: LintContext) -> Iterator[object]:
    for rule_file in ctx.rule_files:
        for group in rule_file.groups:
            yield from group.rules
    yield from ctx.catalog
    for dash in ctx.dashboards:
        yield dash.owner
        for panel in dash.panels:
            yield panel.owner
            for target in panel.targets:
                yield target.owner
        for variable in dash.variables:
            yield variable.owner
    for site in ctx.sites:
        yield site.owner


def silencing_owners(ctx: LintContext) -> list[object]:
    """Every definition that declares silences, once each, in a stable order.

    None when linting files: their catalog's silences are about checks of the definitions.
    """
    if ctx.project is None:
        return []
    seen: set[int] = set()
    out = []
    for owner in _owners(ctx):
        if owner is not None and silences_of(owner) and id(owner) not in seen:
            seen.add(id(owner))
            out.append(owner)
    return out


def describe(owner: object) -> tuple[str, Location]:
    """How findings name a silencing definition, and where it is."""
    location = getattr(owner, "location", UNKNOWN)
    where = location if isinstance(location, Location) else UNKNOWN
    if isinstance(owner, AlertRule):
        return f"alert {owner.name!r}", where
    if isinstance(owner, RecordingRule):
        return f"recording rule {owner.record!r}", where
    if isinstance(owner, Metric):
        return metric_object(owner), where
    for attr in ("title", "name"):
        value = getattr(owner, attr, None)
        if isinstance(value, str):
            return f"{type(owner).__name__.lower()} {value!r}", where
    return type(owner).__name__.lower(), where


@check(
    "lint/unknown-silence",
    Severity.ERROR,
    "silence of a check that does not exist or cannot be silenced, or without a reason",
    """A silence names a check by its ID and says why the finding does not apply. A typo in
    the ID silences nothing while looking like it does; an empty reason leaves the next
    reader unable to judge whether the silence still holds. Use an ID from
    `sarkmon lint --list` and write the reason. Checks the model enforces (definition/*)
    cannot be silenced: a definition with that mistake is not built.""",
)
def unknown_silence(ctx: LintContext) -> Iterator[Finding]:
    for owner in silencing_owners(ctx):
        name, location = describe(owner)
        for check_id, reason in silences_of(owner).items():
            if check_id not in REGISTRY:
                yield unknown_silence.about(
                    owner, name, location, f"silences unknown check {check_id!r}"
                )
            elif REGISTRY[check_id].by_model:
                yield unknown_silence.about(
                    owner,
                    name,
                    location,
                    f"silences {check_id}, which the model enforces: no silence applies",
                    "fix the definition instead",
                )
            elif not str(reason).strip():
                yield unknown_silence.about(
                    owner, name, location, f"silences {check_id} without a reason"
                )


@check(
    "lint/unused-silence",
    Severity.WARNING,
    "silence that silences nothing",
    """A silence whose check no longer reports anything on its definition is stale: the
    problem was fixed or the definition changed. Remove it, so that the check guards the
    definition again. (Computed after every other check has run.)""",
)
def unused_silence(ctx: LintContext) -> Iterator[Finding]:
    return iter(())  # see unused_silences: it needs the other checks' findings


def unused_silences(ctx: LintContext, findings: Iterable[Finding]) -> Iterator[Finding]:
    used = {(id(f.owner), f.check) for f in findings if f.suppressed}
    for owner in silencing_owners(ctx):
        name, location = describe(owner)
        for check_id, reason in silences_of(owner).items():
            known = check_id in REGISTRY and not REGISTRY[check_id].by_model
            if known and str(reason).strip() and (id(owner), check_id) not in used:
                yield unused_silence.about(
                    owner, name, location, f"silence of {check_id} silences nothing"
                )
