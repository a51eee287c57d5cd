"""Checks that what a runbook points an operator to exists."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from sarkmon.diagnostics import Finding, Severity
from sarkmon.lint.registry import LintContext, check


@check(
    "runbook/unknown-dashboard",
    Severity.ERROR,
    "alert links a dashboard uid that no dashboard has",
    """An alert's ``dashboards=(uid, ...)`` become the "Dashboards to open" of its runbook.
    A uid no dashboard of the project has is a dead link at the worst moment; usually the
    dashboard's uid changed. Use the uid of one of the project's dashboards.""",
)
def unknown_dashboard(ctx: LintContext) -> Iterator[Finding]:
    if ctx.project is None:
        return
    uids = sorted({d.uid for d in ctx.dashboards})
    for rule_file in ctx.rule_files:
        for alert in rule_file.alerts:
            for uid in alert.dashboards:
                if uid in uids:
                    continue
                close = difflib.get_close_matches(uid, uids, n=1, cutoff=0.6)
                hint = (
                    f"did you mean {close[0]}?" if close else "uids: " + (", ".join(uids) or "none")
                )
                yield unknown_dashboard.about(
                    alert,
                    f"alert {alert.name!r}",
                    alert.location,
                    f"unknown dashboard {uid!r}",
                    hint,
                )
