"""Every generated dashboard against the project's dashboard schema."""

from __future__ import annotations

import json

from sarkmon.check import CheckContext, StepResult
from sarkmon.compile.grafana import DASHBOARDS_DIR
from sarkmon.compile.grafana_schema import schema_errors


def dashboard_schema(ctx: CheckContext) -> StepResult:
    paths = sorted(p for p in ctx.files if p.startswith(DASHBOARDS_DIR + "/"))
    details = []
    for path in paths:
        try:
            document = json.loads(ctx.files[path])
        except json.JSONDecodeError as err:
            details.append(f"{path}: not JSON: {err}")
            continue
        details.extend(f"{path}: {problem}" for problem in schema_errors(document))
    name = "dashboard schema"
    if details:
        return StepResult(name, False, f"{len(paths)} dashboards, {len(details)} problems", details)
    return StepResult(name, True, f"{len(paths)} dashboards valid")
