"""promtool on rule groups that live inside other documents (PrometheusRule, Mimir, Thanos).

The groups are written out as plain Prometheus rule files, the way the operator or the
ruler hands them to the rules engine, and checked together in one promtool run.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sarkmon.check import StepResult
from sarkmon.compile.yaml_text import dump_yaml
from sarkmon.tools import promtool


def promtool_on_groups(name: str, groups_by_file: Mapping[str, list[Any]]) -> StepResult:
    """``promtool check rules`` on each file's groups, as a plain rule file."""
    if not groups_by_file:
        return StepResult(name, True, "no files")
    with tempfile.TemporaryDirectory(prefix="sarkmon-unwrapped-") as tmp:
        sources: dict[str, str] = {}
        for index, (source, groups) in enumerate(sorted(groups_by_file.items())):
            scratch = Path(tmp) / f"{index:04d}-{Path(source).stem}.yml"
            scratch.write_text(dump_yaml({"groups": groups}))
            sources[str(scratch)] = source
        result = promtool.check_rules(list(sources))
    count = len(groups_by_file)
    if result.ok:
        return StepResult(name, True, f"{count} files, groups unwrapped")
    output = result.output
    for path, source in sources.items():  # name the generated file, not the scratch copy
        output = output.replace(path, source)
    summary = f"{count} files; promtool rejects their groups"
    return StepResult(name, False, summary, output.splitlines())
