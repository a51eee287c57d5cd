"""Documentation from the definitions: metrics reference, runbooks, alerting guide, index.

Everything here is read from the Build (the model, the analyzed expression sites, the
dashboard views); the templates in ``templates/docs/`` only lay it out. One runbook per
alert name: variants of an alert (a warning and a critical threshold, say) share a page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sarkmon.analysis import ExprSite
from sarkmon.compile.docs_routing import RoutingDoc, routing_doc
from sarkmon.compile.markdown import anchors, render
from sarkmon.compile.prometheus import rule_path
from sarkmon.model.durations import canonical
from sarkmon.model.metrics import Histogram, Metric, Status
from sarkmon.model.rules import AlertRule, AlertSeverity, RuleFile, RuleGroup
from sarkmon.promql.describe import describe, humanize, thresholds, value_unit
from sarkmon.usage import Use, metric_usage

if TYPE_CHECKING:
    from sarkmon.pipeline import Build

DOCS_DIR = "docs"
RUNBOOKS_DIR = f"{DOCS_DIR}/runbooks"
METRICS_PAGE = "metrics.md"
ALERTING_PAGE = "alerting.md"

SEVERITY_POLICY = {
    AlertSeverity.CRITICAL: "Pages the on-call engineer: users are affected or will be within "
    "the hour. Act now, at any hour.",
    AlertSeverity.WARNING: "Notifies the owning team: something degrades or will need action. "
    "Handle it within working hours.",
    AlertSeverity.INFO: "Context for dashboards and for other alerts. Never notifies a person "
    "on its own.",
}


def runbook_file(name: str) -> str:
    return f"{RUNBOOKS_DIR}/{name}.md"


@dataclass(frozen=True)
class Threshold:
    text: str  # "> 0.05"
    human: str  # "50ms", or "" when the unit says nothing more
    subject: str  # what is compared, in words


@dataclass(frozen=True)
class Variant:
    """One alerting rule of a name, where it lives and what it tests."""

    alert: AlertRule
    group: RuleGroup
    rule_path: str
    evaluation_interval: str
    words: str
    thresholds: tuple[Threshold, ...]


@dataclass
class AlertPage:
    name: str
    variants: list[Variant] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)  # diagnosis entries that are PromQL

    @property
    def first(self) -> AlertRule:
        return self.variants[0].alert

    def collected(self, what: str) -> list[str]:
        """Runbook entries of every variant, in order, each once."""
        out: list[str] = []
        for variant in self.variants:
            value = getattr(variant.alert.runbook, what)
            for entry in [value] if isinstance(value, str) else value:
                if entry and entry not in out:
                    out.append(entry)
        return out

    @property
    def dashboards(self) -> list[str]:
        return list(dict.fromkeys(uid for v in self.variants for uid in v.alert.dashboards))


@dataclass(frozen=True)
class DashboardLink:
    uid: str
    title: str  # "" when no dashboard of the project has this uid
    url: str


def _variant(
    alert: AlertRule, group: RuleGroup, rule_file: RuleFile, site: ExprSite, build: Build
) -> Variant:
    scrape = build.project.scrape
    found = []
    if site.parsed is not None and site.parsed.ok:
        for t in thresholds(site.parsed.ast):
            unit = value_unit(t.subject, build.catalog)
            found.append(Threshold(t.text, humanize(t.value, unit), describe(t.subject)))
    return Variant(
        alert,
        group,
        rule_path(rule_file),
        canonical(group.interval or scrape.evaluation_interval),
        describe(site.parsed.ast) if site.parsed is not None and site.parsed.ok else "",
        tuple(found),
    )


def alert_pages(build: Build) -> list[AlertPage]:
    """One page per alert name, variants in definition order."""
    alert_sites = {id(s.owner): s for s in build.sites if s.kind == "alert"}
    pages: dict[str, AlertPage] = {}
    for rule_file in build.rule_files:
        for group in rule_file.groups:
            for alert in group.alerts:
                page = pages.setdefault(alert.name, AlertPage(alert.name))
                site = alert_sites[id(alert)]
                page.variants.append(_variant(alert, group, rule_file, site, build))
                for selector in site.selectors:
                    metric = build.catalog.metric(selector.name) if selector.name else None
                    if metric is not None and metric not in page.metrics:
                        page.metrics.append(metric)
    for site in build.sites:
        if site.kind == "runbook" and isinstance(site.owner, AlertRule):
            page = pages[site.owner.name]
            if site.text not in page.queries:
                page.queries.append(site.text)
    for page in pages.values():
        page.metrics.sort(key=lambda m: m.name)
    return [pages[name] for name in sorted(pages)]


def dashboard_links(
    uids: Iterable[str], build: Build, titles: Mapping[str, str] | None = None
) -> list[DashboardLink]:
    """Links to the dashboards; ``titles`` by uid, when the caller has them for every page."""
    if titles is None:
        titles = dashboard_titles(build)
    base = build.project.targets.grafana_url.rstrip("/")
    return [
        DashboardLink(uid, titles.get(uid, ""), f"{base}/d/{uid}" if base else "") for uid in uids
    ]


def dashboard_titles(build: Build) -> dict[str, str]:
    return {d.uid: d.title for d in build.dashboards}


def panel_uses(page: AlertPage, usage: dict[str, list[Use]]) -> list[Use]:
    """The panels that show what the alert reads: where to look first."""
    uses = {u for m in page.metrics for u in usage.get(m.name, ()) if u.kind == "panel"}
    return sorted(uses, key=lambda u: (u.dashboard_title, u.name))


def metric_anchors(groups: Sequence[tuple[str, list[Metric]]]) -> dict[str, str]:
    """Subsystem and family name -> anchor on the metrics page, in the page's heading order."""
    keys, headings = [], []
    for subsystem, metrics in groups:
        keys.append("#" + subsystem)
        headings.append(subsystem)
        keys.extend(m.name for m in metrics)
        headings.extend(m.display_name for m in metrics)
    return dict(zip(keys, anchors(headings), strict=True))


def metric_groups(metrics: Sequence[Metric]) -> list[tuple[str, list[Metric]]]:
    """Metrics by subsystem (those of recording rules last), each sorted by name."""
    groups: dict[str, list[Metric]] = {}
    for metric in metrics:
        key = "recorded" if metric.status is Status.RECORDED else metric.subsystem or "other"
        groups.setdefault(key, []).append(metric)
    order = sorted(groups, key=lambda k: (k == "recorded", k))
    return [(key, groups[key]) for key in order]


def buckets_of(metric: Metric) -> tuple[str, ...]:
    return metric.le_values() if isinstance(metric, Histogram) else ()


def compile_docs(result: Build) -> dict[str, str]:
    project = result.project
    # The reference answers "what breaks if this metric goes": follow recordings up. The
    # runbooks list the panels that read a metric themselves: the uses with no `via`.
    used_by = metric_usage(result.sites, result.catalog, result.dashboards)
    usage = {f: direct for f, uses in used_by.items() if (direct := [u for u in uses if not u.via])}
    groups = metric_groups(list(result.catalog))
    anchor_of = metric_anchors(groups)
    pages = alert_pages(result)
    severities = [str(v.alert.severity) for page in pages for v in page.variants]
    routing: RoutingDoc = routing_doc(project, (v.alert for p in pages for v in p.variants))
    common = {
        "project": project,
        "anchor_of": anchor_of,
        "severity_policy": SEVERITY_POLICY,
        "routing": routing,
        "grafana_url": project.targets.grafana_url.rstrip("/"),
    }
    out = {
        f"{DOCS_DIR}/index.md": render(
            "docs/index.md.j2", pages=pages, dashboards=result.dashboards, **common
        ),
        f"{DOCS_DIR}/{METRICS_PAGE}": render(
            "docs/metrics.md.j2",
            groups=groups,
            usage=used_by,
            catalog=result.catalog,
            buckets_of=buckets_of,
            **common,
        ),
        f"{DOCS_DIR}/{ALERTING_PAGE}": render(
            "docs/alerting.md.j2",
            pages=pages,
            counts={s: severities.count(s) for s in SEVERITY_POLICY},
            **common,
        ),
    }
    titles = dashboard_titles(result)
    for page in pages:
        out[runbook_file(page.name)] = render(
            "docs/runbook.md.j2",
            page=page,
            dashboards=dashboard_links(page.dashboards, result, titles),
            panels=panel_uses(page, usage),
            **common,
        )
    return out
