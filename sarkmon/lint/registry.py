"""The lint registry: one small function per check, each with an ID, a severity and a doc.

A check receives a :class:`LintContext` and yields findings. Check IDs are stable: they are
how users silence a check on one definition, and how CI reports are read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sarkmon.diagnostics import Finding, Severity
from sarkmon.model.catalog import Catalog
from sarkmon.model.rules import AlertRule, RuleFile
from sarkmon.source import Location
from sarkmon.views import DashboardView

if TYPE_CHECKING:
    from sarkmon.analysis import ExprSite
    from sarkmon.model.project import Project
    from sarkmon.promql.tree import Node


@dataclass(frozen=True)
class LintContext:
    catalog: Catalog
    sites: Sequence[ExprSite]
    rule_files: Sequence[RuleFile]
    project: Project | None = None  # None when linting hand-written files
    dashboards: Sequence[DashboardView] = ()

    def parsed_sites(self, *kinds: str) -> Iterator[ExprSite]:
        """Sites whose expression parsed (of the given kinds, or all)."""
        for site in self.sites:
            if site.tree is not None and (not kinds or site.kind in kinds):
                yield site

    def alerts(self) -> Iterator[tuple[AlertRule, RuleFile]]:
        for rule_file in self.rule_files:
            for alert in rule_file.alerts:
                yield alert, rule_file

    def alert_trees(self) -> Iterator[tuple[AlertRule, ExprSite, Node]]:
        """Every alert whose expression parsed, with its site and tree."""
        for site in self.parsed_sites("alert"):
            if isinstance(site.owner, AlertRule) and site.tree is not None:
                yield site.owner, site, site.tree


CheckFunction = Callable[[LintContext], Iterable[Finding]]


@dataclass(frozen=True)
class Check:
    id: str
    severity: Severity
    summary: str  # one line: what it reports
    doc: str  # what, why it matters, how to fix
    run: CheckFunction
    by_model: bool = False  # reported by the model while loading, registered for its doc

    def finding(self, site: ExprSite, message: str, hint: str = "") -> Finding:
        """A finding about an expression site, located at its definition."""
        return Finding(
            site.location, self.id, site.object, message, self.severity, hint, owner=site.owner
        )

    def about(
        self, owner: object, obj: str, location: Location, message: str, hint: str = ""
    ) -> Finding:
        """A finding about a definition that is not an expression (an alert, a metric)."""
        return Finding(location, self.id, obj, message, self.severity, hint, owner=owner)


REGISTRY: dict[str, Check] = {}


def check(
    id: str, severity: Severity, summary: str, doc: str, *, by_model: bool = False
) -> Callable[[CheckFunction], Check]:
    """Register a check function under a stable ID."""

    def register(run: CheckFunction) -> Check:
        if id in REGISTRY:
            raise ValueError(f"check {id} registered twice")
        found = Check(id, severity, summary, " ".join(doc.split()), run, by_model)
        REGISTRY[id] = found
        return found

    return register


def model_check(id: str, severity: Severity, summary: str, doc: str) -> Check:
    """Register a check the model enforces, so that it is listed with its ID and doc.

    The model reports it while definitions are built or rule files read (a definition with
    the mistake cannot be built), so its run finds nothing: that would report it twice.
    """
    return check(id, severity, summary, doc, by_model=True)(lambda ctx: ())
