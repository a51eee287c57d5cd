"""promtool check rules on every generated rule file."""

from __future__ import annotations

from sarkmon.check import CheckContext, StepResult
from sarkmon.compile.prometheus import RULES_DIR
from sarkmon.tools import promtool


def promtool_check_rules(ctx: CheckContext) -> StepResult:
    paths = sorted(p for p in ctx.files if p.startswith(RULES_DIR + "/"))
    if not paths:
        return StepResult("promtool check rules", True, "no rule files")
    result = promtool.check_rules(paths, cwd=str(ctx.tree))
    summary = f"{len(paths)} rule files" + ("" if result.ok else " failed")
    details = [] if result.ok else result.output.splitlines()
    return StepResult("promtool check rules", result.ok, summary, details)
