"""Drift: the committed output must be exactly what the definitions produce."""

from __future__ import annotations

from sarkmon.check import CheckContext, StepResult
from sarkmon.output import compare, with_manifest


def drift(ctx: CheckContext) -> StepResult:
    diff = compare(with_manifest(ctx.files), ctx.out)
    if diff:
        return StepResult("drift", False, f"{ctx.out}/ is stale; run `make generate`", diff.lines())
    return StepResult("drift", True, f"{ctx.out}/ matches the definitions")
