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


def blocks_from_openmetrics(source: str, out_dir: str, timeout: float = 300) -> ToolResult:
    """Backfill: write TSDB blocks into ``out_dir`` from a timestamped OpenMetrics file."""
    args = ["tsdb", "create-blocks-from", "openmetrics", source, out_dir]
    return run_tool("promtool", args, timeout=timeout)


def blocks_from_rules(
    url: str,
    start: int,
    end: int,
    out_dir: str,
    rule_files: Sequence[str],
    eval_interval: str = "1m",
    timeout: float = 300,
) -> ToolResult:
    """Backfill recording rules: evaluate them through ``url`` from ``start`` to ``end``."""
    args = [
        "tsdb",
        "create-blocks-from",
        "rules",
        f"--start={start}",
        f"--end={end}",
        f"--url={url}",
        f"--output-dir={out_dir}",
        f"--eval-interval={eval_interval}",
        *rule_files,
    ]
    return run_tool("promtool", args, timeout=timeout)
