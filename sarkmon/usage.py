"""Which definitions read which metric: derived from the analyzed expression sites.

Every alert, recording rule, panel query, variable, annotation and runbook query is an
:class:`~sarkmon.analysis.ExprSite`; the selectors it reads resolve to catalog families.
The metrics reference and the runbooks are built from this index.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sarkmon.analysis import ExprSite
from sarkmon.model.catalog import Catalog
from sarkmon.model.rules import AlertRule, RecordingRule
from sarkmon.views import DashboardView


@dataclass(frozen=True, order=True)
class Use:
    """One definition that reads a metric."""

    kind: str  # alert | recording | panel | variable | annotation | runbook
    name: str  # the alert, record, panel title, variable name...
    dashboard_uid: str = ""
    dashboard_title: str = ""


def _dashboard_index(dashboards: Iterable[DashboardView]) -> dict[int, tuple[DashboardView, str]]:
    """The dashboard and item name of every owner a dashboard site can name."""
    index: dict[int, tuple[DashboardView, str]] = {}
    for dash in dashboards:
        for panel in dash.panels:
            for owner in (panel.owner, *(t.owner for t in panel.targets)):
                if owner is not None:
                    index.setdefault(id(owner), (dash, panel.title))
        for variable in dash.variables:
            if variable.owner is not None:
                index.setdefault(id(variable.owner), (dash, variable.name))
        for annotation in dash.annotations:
            if annotation.owner is not None:
                index.setdefault(id(annotation.owner), (dash, annotation.ref_id))
    return index


def use_of(site: ExprSite, index: dict[int, tuple[DashboardView, str]]) -> Use:
    owner = site.owner
    if isinstance(owner, AlertRule):
        return Use(site.kind, owner.name)
    if isinstance(owner, RecordingRule):
        return Use(site.kind, owner.record)
    found = index.get(id(owner)) if owner is not None else None
    if found is not None:
        dash, name = found
        return Use(site.kind, name, dash.uid, dash.title)
    return Use(site.kind, site.object)


def metric_usage(
    sites: Iterable[ExprSite], catalog: Catalog, dashboards: Iterable[DashboardView] = ()
) -> dict[str, list[Use]]:
    """Family name -> the definitions reading it, sorted, each once."""
    index = _dashboard_index(dashboards)
    found: dict[str, set[Use]] = {}
    for site in sites:
        families = set()
        for selector in site.selectors:
            metric = catalog.metric(selector.name) if selector.name else None
            if metric is not None:
                families.add(metric.name)
        if not families:
            continue
        use = use_of(site, index)
        for family in families:
            found.setdefault(family, set()).add(use)
    return {family: sorted(uses) for family, uses in sorted(found.items())}
