"""promtool: rule and config checks, rule unit tests."""

from __future__ import annotations

from collections.abc import Sequence

from sarkmon.tools.runner import ToolResult, run_tool


def check_rules(paths: Sequence[str], cwd: str | None = None) -> ToolResult:
    return run_tool("promtool", ["check", "rules", *paths], cwd=cwd)


def check_config(path: str, cwd: str | None = None) -> ToolResult:
    return run_tool("promtool", ["check", "config", path], cwd=cwd)


def test_rules(paths: Sequence[str], cwd: str | None = None) -> ToolResult:
    return run_tool("promtool", ["test", "rules", *paths], cwd=cwd, timeout=300)
