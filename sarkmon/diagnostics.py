"""Findings: the one shape in which every problem is reported.

Load-time validation and lint checks both produce :class:`Finding` objects. While
definitions are being loaded, model constructors report problems to the active
:class:`Collector` instead of raising, so that one run lists every mistake at once.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from sarkmon.source import UNKNOWN, Location


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Finding:
    location: Location
    check: str
    obj: str  # the definition's name, as the JSON contract's "object"
    message: str
    severity: Severity = Severity.ERROR
    hint: str = ""
    suppressed: str = field(default="", compare=False)  # reason, when silenced by a definition
    owner: object = field(default=None, compare=False, repr=False)  # the definition it is about

    def line(self) -> str:
        """One line for humans: ``file:line: severity [check] object: message (hint)``."""
        text = f"{self.location}: {self.severity} [{self.check}] {self.obj}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        if self.suppressed:
            text += f" [silenced: {self.suppressed}]"
        return text

    def as_json(self) -> dict[str, object]:
        """The DESIGN.md record; a silenced finding adds ``"silenced": reason``."""
        record: dict[str, object] = {
            "check": self.check,
            "severity": self.severity.value,
            "file": self.location.file,
            "line": self.location.line,
            "object": self.obj,
            "message": self.message + (f" ({self.hint})" if self.hint else ""),
        }
        if self.suppressed:
            record["silenced"] = self.suppressed
        return record


class DefinitionError(Exception):
    """A mistake in a definition, raised when no collector is active."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.line())
        self.finding = finding


class Collector:
    """Accumulates findings reported while definitions are being loaded."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]


_state = threading.local()


@contextlib.contextmanager
def collecting() -> Iterator[Collector]:
    """Collect reported problems instead of raising them, for the duration of the block."""
    previous = getattr(_state, "collector", None)
    collector = Collector()
    _state.collector = collector
    try:
        yield collector
    finally:
        _state.collector = previous


def report(
    check: str,
    obj: str,
    message: str,
    location: Location = UNKNOWN,
    hint: str = "",
    severity: Severity = Severity.ERROR,
) -> None:
    """Record a problem in the active collector, or raise it when nothing is collecting."""
    finding = Finding(location, check, obj, message, severity, hint)
    collector: Collector | None = getattr(_state, "collector", None)
    if collector is None:
        if severity is Severity.ERROR:
            raise DefinitionError(finding)
        return
    collector.findings.append(finding)
