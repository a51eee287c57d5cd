"""Which definitions read which metric: derived from the analyzed expression sites.

Every alert, recording rule, panel query, variable, annotation and runbook query is an
:class:`~sarkmon.analysis.ExprSite`; the selectors it reads resolve to catalog families.
The metrics reference and the runbooks are built from this index. It follows recording
rules: an alert reading ``job:x:p95_5m`` reads ``x`` through it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from sarkmon.analysis import ExprSite
from sarkmon.model.catalog import Catalog
from sarkmon.model.metrics import Matcher, Op
from sarkmon.model.rules import AlertRule, RecordingRule
from sarkmon.promql.walk import SelectorUse
from sarkmon.views import DashboardView


@dataclass(frozen=True, order=True)
class Use:
    """One definition that reads a metric."""

    kind: str  # alert | recording | panel | variable | annotation | runbook
    name: str  # the alert, record, panel title, variable name...
    dashboard_uid: str = ""
    dashboard_title: str = ""
    # The recording rules it reads the metric through; empty when it reads the metric itself.
    via: tuple[str, ...] = ()


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


def _families(site: ExprSite, catalog: Catalog) -> set[str]:
    """The catalog families a site's selectors name."""
    families = set()
    for selector in site.selectors:
        metric = catalog.metric(selector.name) if selector.name else None
        if metric is not None:
            families.add(metric.name)
    return families


def _may_match(matcher: Matcher, labels: Mapping[str, str]) -> bool:
    """False only when the rule's own labels rule the matcher out; a label the rule does
    not set comes from its expression, which may hold any value."""
    if matcher.label not in labels:
        return True
    value = labels[matcher.label]
    if matcher.op in (Op.EQ, Op.NE):
        return (value == matcher.value) is (matcher.op is Op.EQ)
    try:
        found = re.fullmatch(matcher.value, value) is not None
    except re.error:
        return True
    return found is (matcher.op is Op.RE)


def _rules_read(
    selector: SelectorUse, rules: Mapping[str, list[RecordingRule]]
) -> list[RecordingRule]:
    """The recording rules whose series a selector may read: several rules may record one
    name (one per SLO, say) and the selector's matchers pick among them by their labels."""
    candidates = rules.get(selector.name or "", [])
    return [r for r in candidates if all(_may_match(m, r.labels) for m in selector.matchers)]


def _through_recordings(sites: list[ExprSite], catalog: Catalog) -> dict[int, dict[str, set[str]]]:
    """Site id -> family -> the recordings the site reads it through (names as the site
    writes them), following recordings of recordings to the metrics at the bottom."""
    rules: dict[str, list[RecordingRule]] = {}
    rule_site: dict[int, ExprSite] = {}
    for site in sites:
        if site.kind == "recording" and isinstance(site.owner, RecordingRule):
            rules.setdefault(site.owner.record, []).append(site.owner)
            rule_site[id(site.owner)] = site
    below: dict[int, set[str]] = {}  # recording rule id -> every family under it

    def under(rule: RecordingRule, seen: frozenset[int]) -> set[str]:
        if id(rule) in below:
            return below[id(rule)]
        site = rule_site.get(id(rule))
        if site is None or id(rule) in seen:  # a cycle reads nothing new
            return set()
        found = _families(site, catalog)
        for selector in site.selectors:
            for inner in _rules_read(selector, rules):
                found |= under(inner, seen | {id(rule)})
        below[id(rule)] = found
        return found

    out: dict[int, dict[str, set[str]]] = {}
    for site in sites:
        for selector in site.selectors:
            for rule in _rules_read(selector, rules):
                if rule is site.owner:
                    continue
                for family in under(rule, frozenset({id(site.owner)})):
                    out.setdefault(id(site), {}).setdefault(family, set()).add(rule.record)
    return out


def metric_usage(
    sites: Iterable[ExprSite], catalog: Catalog, dashboards: Iterable[DashboardView] = ()
) -> dict[str, list[Use]]:
    """Family name -> the definitions reading it, sorted, each once.

    A definition that reads a family only through recording rules is listed with those
    rules in ``via``; one that reads it directly as well is listed once, as direct.
    """
    sites = list(sites)
    index = _dashboard_index(dashboards)
    direct: dict[str, set[Use]] = {}
    indirect: dict[str, dict[Use, set[str]]] = {}
    through = _through_recordings(sites, catalog)
    for site in sites:
        families = _families(site, catalog)
        via = through.get(id(site), {})
        if not families and not via:
            continue
        use = use_of(site, index)
        for family in families:
            direct.setdefault(family, set()).add(use)
        for family, records in via.items():
            indirect.setdefault(family, {}).setdefault(use, set()).update(records)
    found = {family: set(uses) for family, uses in direct.items()}
    for family, uses in indirect.items():
        for use, records in uses.items():
            if use not in direct.get(family, ()) and use.name not in records | {family}:
                found.setdefault(family, set()).add(replace(use, via=tuple(sorted(records))))
    return {family: sorted(uses) for family, uses in sorted(found.items())}
