"""Checks of the dashboards as compiled: the output contract, links, identities."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sarkmon.diagnostics import Finding, Severity
from sarkmon.lint.registry import LintContext, check
from sarkmon.model.dashboards.dashboard import Dashboard
from sarkmon.model.dashboards.fields import AnyLink, DashboardLink, RunbookLink


def _dashboards(ctx: LintContext) -> list[Dashboard]:
    return list(ctx.project.dashboards) if ctx.project is not None else []


@check(
    "grafana/schema",
    Severity.ERROR,
    "compiled dashboard breaks the dashboard schema",
    """Every dashboard is compiled and validated against sarkmon's dashboard schema (a
    stricter form of Grafana's) before anything is written: panels inside the 24-column grid
    without overlaps, unique ids, a refId and a datasource variable on every query. A failure
    here is a bug in a raw grafanalib panel or in sarkmon; the message names the JSON path.""",
)
def schema(ctx: LintContext) -> Iterator[Finding]:
    from sarkmon.compile.grafana import compiled_dashboards

    if ctx.project is None:
        return
    for item in compiled_dashboards(ctx.project):
        for problem in item.problems:
            yield schema.about(item.dashboard, item.dashboard.obj, item.dashboard.location, problem)


@check(
    "grafana/link",
    Severity.ERROR,
    "panel or dashboard link to nothing",
    """A runbook link names an alert the project does not define (or one without a runbook
    URL), or a dashboard link a uid no dashboard has. The link would lead an operator to a
    404 in the middle of an incident. Use the alert's exact name or the dashboard's uid.""",
)
def dead_link(ctx: LintContext) -> Iterator[Finding]:
    from sarkmon.compile.grafana import link_targets

    if ctx.project is None:
        return
    alerts = {a.name for a in ctx.project.alerts}
    runbooks = link_targets(ctx.project).runbooks
    uids = {d.uid for d in ctx.project.dashboards}
    for dashboard in _dashboards(ctx):
        owners: list[tuple[object, str, Sequence[AnyLink]]] = [
            (dashboard, dashboard.obj, dashboard.links)
        ]
        owners += [(p, f"{dashboard.obj} {p.obj}", p.links) for p in dashboard.all_panels()]
        for owner, obj, links in owners:
            for link in links:
                if isinstance(link, RunbookLink) and link.alert not in alerts:
                    yield dead_link.about(
                        owner, obj, link.location, f"no alert named {link.alert!r}"
                    )
                elif isinstance(link, RunbookLink) and link.alert not in runbooks:
                    yield dead_link.about(
                        owner,
                        obj,
                        link.location,
                        f"alert {link.alert!r} has no runbook URL",
                        "set Targets.runbook_base_url or the alert's Runbook(url=...)",
                    )
                if isinstance(link, DashboardLink) and link.uid not in uids:
                    yield dead_link.about(
                        owner,
                        obj,
                        link.location,
                        f"no dashboard with uid {link.uid!r}",
                        "uids: " + ", ".join(sorted(uids)),
                    )


@check(
    "grafana/duplicate-uid",
    Severity.ERROR,
    "two dashboards share a uid",
    """Grafana identifies a dashboard by its uid and sarkmon names its file after it: two
    dashboards with one uid overwrite each other. Give each its own.""",
)
def duplicate_uid(ctx: LintContext) -> Iterator[Finding]:
    seen: dict[str, Dashboard] = {}
    for dashboard in _dashboards(ctx):
        first = seen.setdefault(dashboard.uid, dashboard)
        if first is not dashboard:
            yield duplicate_uid.about(
                dashboard,
                dashboard.obj,
                dashboard.location,
                f"uid also used by {first.title!r} ({first.location})",
            )
