"""amtool: Alertmanager configuration checks and routing tests, offline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sarkmon.tools.runner import ToolResult, run_tool


def check_config(path: str, cwd: str | None = None) -> ToolResult:
    return run_tool("amtool", ["check-config", path], cwd=cwd)


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def routes_test(
    config: str,
    labels: Mapping[str, str],
    expect: Sequence[str] | None = None,
    cwd: str | None = None,
) -> ToolResult:
    """Where ``labels`` go; with ``expect``, amtool exits 1 unless they go exactly there.

    The first line of stdout lists the receivers, comma-separated, in routing order.
    """
    args = ["config", "routes", "test", f"--config.file={config}"]
    if expect is not None:
        args.append(f"--verify.receivers={','.join(expect)}")
    args.extend(f"{name}={_quoted(value)}" for name, value in sorted(labels.items()))
    return run_tool("amtool", args, cwd=cwd, timeout=30)


def resolved_receivers(result: ToolResult) -> tuple[str, ...]:
    """The receivers a ``routes_test`` run printed."""
    first = result.stdout.strip().splitlines()[:1]
    return tuple(r for r in first[0].split(",") if r) if first else ()


def render_template(
    globs: Sequence[str], text: str, data: str | None = None, cwd: str | None = None
) -> ToolResult:
    """Render ``text`` with the templates matched by ``globs`` (on ``data``, a JSON file)."""
    args = ["template", "render", f"--template.text={text}"]
    args.extend(f"--template.glob={g}" for g in globs)
    if data is not None:
        args.append(f"--template.data={data}")
    return run_tool("amtool", args, cwd=cwd, timeout=30)
