"""Alert tests in ``sarkmon check``: promtool runs them, and every alert must be covered.

Coverage means at least one expectation that the alert fires and one that it stays quiet,
across its test cases: an alert that was never seen firing may never fire, and one never
seen quiet may always fire.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from sarkmon.check import CheckContext, StepResult
from sarkmon.compile.promtool_tests import TESTS_DIR
from sarkmon.model.rules import AlertRule, RuleFile
from sarkmon.tools import promtool

_ALERT_NAME = re.compile(r'alertname(?:: |=\\?")([A-Za-z0-9_]+)')


def promtool_test_rules(ctx: CheckContext) -> StepResult:
    """Each test file in its own promtool, as many at once as there are cores."""
    name = "promtool test rules"
    paths = sorted(p.rsplit("/", 1)[1] for p in ctx.files if p.startswith(TESTS_DIR + "/"))
    if not paths:
        return StepResult(name, True, "no alert tests")
    cases = sum(len(a.tests) for f in ctx.build.rule_files for a in f.alerts)
    cwd = str(ctx.tree / TESTS_DIR)
    with ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1)) as pool:
        results = list(pool.map(lambda path: promtool.test_rules([path], cwd=cwd), paths))
    summary = f"{len(paths)} test files, {cases} test cases"
    failed = [r for r in results if not r.ok]
    if not failed:
        return StepResult(name, True, summary)
    output = "\n".join(r.output for r in failed)
    return StepResult(name, False, summary + " failed", failure_details(output, ctx))


def failure_details(output: str, ctx: CheckContext) -> list[str]:
    """promtool's report, then where each failing alert's tests are defined."""
    alerts = {a.name: a for f in ctx.build.rule_files for a in f.alerts}
    failing = sorted({m for m in _ALERT_NAME.findall(output) if m in alerts})
    lines = output.splitlines()
    lines += [f"{alerts[n].location}: tests of {n} failed" for n in failing]
    return lines


@dataclass(frozen=True)
class Coverage:
    alert: AlertRule
    rule_file: RuleFile
    cases: int
    fires: int
    quiet: int

    @property
    def ok(self) -> bool:
        return self.fires > 0 and self.quiet > 0

    @property
    def missing(self) -> str:
        lacks = [what for what, n in (("firing", self.fires), ("quiet", self.quiet)) if not n]
        return "no " + " and no ".join(lacks) + " case" if lacks else ""


def coverage(rule_files: tuple[RuleFile, ...]) -> list[Coverage]:
    return [
        Coverage(
            alert,
            rule_file,
            len(alert.tests),
            sum(len(t.fires) for t in alert.tests),
            sum(len(t.quiet) for t in alert.tests),
        )
        for rule_file in rule_files
        for alert in rule_file.alerts
    ]


def coverage_table(rows: list[Coverage]) -> list[str]:
    header = ("alert", "rule file", "cases", "fires", "quiet", "")
    table = [header] + [
        (r.alert.name, r.rule_file.name, str(r.cases), str(r.fires), str(r.quiet), r.missing)
        for r in rows
    ]
    width = [max(len(row[i]) for row in table) for i in range(5)]
    return [
        f"{a:{width[0]}}  {b:{width[1]}}  {c:>{width[2]}}  {d:>{width[3]}}  {e:>{width[4]}}"
        f"  {f}".rstrip()
        for a, b, c, d, e, f in table
    ]


def alert_test_coverage(ctx: CheckContext) -> StepResult:
    rows = coverage(ctx.build.rule_files)
    covered = sum(r.ok for r in rows)
    summary = f"{covered} of {len(rows)} alerts have a firing and a quiet case"
    details = coverage_table(rows) if rows else []
    details += [
        f"{r.alert.location}: alert {r.alert.name!r} has {r.missing}" for r in rows if not r.ok
    ]
    return StepResult("alert test coverage", covered == len(rows), summary, details)
