"""Lint reports: text for people, JSON for tools (the DESIGN.md contract), GitHub annotations.

Silenced findings appear with their reason in the text report, and in the JSON report as
records with one more key, ``"silenced": reason`` (active findings keep exactly the
DESIGN.md keys, so a tool keeps what fails the run by dropping records that have it).
GitHub annotations show only active findings: a silenced one needs no attention on a diff.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sarkmon.diagnostics import Finding, Severity

FORMATS = ("text", "json", "github")
_GITHUB_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def active(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if not f.suppressed]


def failed(findings: Iterable[Finding]) -> bool:
    """True when an error finding is not silenced: the run fails."""
    return any(f.severity is Severity.ERROR for f in active(findings))


def summary(findings: Iterable[Finding]) -> str:
    findings = list(findings)
    counts = {s: sum(1 for f in active(findings) if f.severity is s) for s in Severity}
    silenced = sum(1 for f in findings if f.suppressed)
    text = f"{counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]} warning(s), "
    text += f"{counts[Severity.INFO]} info"
    return text + (f", {silenced} silenced" if silenced else "")


def render(findings: Iterable[Finding], fmt: str) -> str:
    findings = list(findings)
    if fmt == "json":
        return json.dumps([f.as_json() for f in findings], indent=2) + "\n"
    if fmt == "github":
        return "".join(github_line(f) + "\n" for f in active(findings))
    return "".join(f.line() + "\n" for f in findings)


def _escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def github_line(finding: Finding) -> str:
    """A GitHub workflow command: ``::error file=f,line=n,title=check::message``."""
    props = [f"file={_escape(finding.location.file, True)}"]
    if finding.location.line:
        props.append(f"line={finding.location.line}")
    props.append(f"title={_escape(finding.check, True)}")
    message = finding.obj + ": " + finding.message + (f" ({finding.hint})" if finding.hint else "")
    return f"::{_GITHUB_LEVELS[finding.severity]} {','.join(props)}::{_escape(message)}"
