"""promtool check config on the generated Prometheus configuration (and the rules it loads)."""

from __future__ import annotations

from sarkmon.check import CheckContext, StepResult
from sarkmon.compile.prometheus_config import CONFIG_PATH
from sarkmon.tools import promtool


def promtool_check_config(ctx: CheckContext) -> StepResult:
    name = "promtool check config"
    if CONFIG_PATH not in ctx.files:
        return StepResult(name, True, "no Prometheus target")
    result = promtool.check_config(CONFIG_PATH, cwd=str(ctx.tree))
    if result.ok:
        return StepResult(name, True, f"{CONFIG_PATH} and the rule files it loads")
    return StepResult(name, False, f"{CONFIG_PATH} rejected", result.output.splitlines())
