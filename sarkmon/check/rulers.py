"""Mimir namespace files and Thanos rule files: their groups pass promtool once unwrapped."""

from __future__ import annotations

from typing import Any

from sarkmon.check import CheckContext, StepResult
from sarkmon.check.unwrapped_rules import promtool_on_groups
from sarkmon.compile.rulers import MIMIR_DIR, THANOS_DIR
from sarkmon.compile.yaml_text import load_yaml
from sarkmon.model.targets import PartialResponseStrategy

STRATEGIES = {s.value for s in PartialResponseStrategy}


def ruler_files(ctx: CheckContext) -> StepResult:
    groups_by_file: dict[str, list[Any]] = {}
    problems = []
    for path, text in sorted(ctx.files.items()):
        if path.startswith(MIMIR_DIR + "/"):
            doc = load_yaml(text)
            if set(doc) != {"namespace", "groups"} or not doc["namespace"]:
                problems.append(f"{path}: a namespace file holds a namespace and its groups")
            groups_by_file[path] = doc["groups"]
        elif path.startswith(THANOS_DIR + "/"):
            groups = load_yaml(text)["groups"]
            for group in groups:
                strategy = group.pop("partial_response_strategy", None)
                if strategy not in STRATEGIES:
                    problems.append(f"{path}: group {group['name']!r}: strategy {strategy!r}")
            groups_by_file[path] = groups
    result = promtool_on_groups("ruler files (Mimir, Thanos)", groups_by_file)
    if problems:
        return StepResult(result.name, False, "malformed ruler files", problems + result.details)
    return result
