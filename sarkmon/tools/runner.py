"""Running external tools: found on PATH, given a timeout, never through a shell."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

INSTALL_HINT = "install with `make tools` (Debian packages prometheus, prometheus-alertmanager)"


class ToolMissing(RuntimeError):
    def __init__(self, tool: str) -> None:
        super().__init__(f"{tool} not found on PATH; {INSTALL_HINT}")
        self.tool = tool


@dataclass(frozen=True)
class ToolResult:
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def output(self) -> str:
        return (self.stdout + self.stderr).strip()


def find_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ToolMissing(name)
    return path


def run_tool(
    tool: str,
    args: Sequence[str],
    timeout: float = 120,
    cwd: str | None = None,
    stdin: str | None = None,
) -> ToolResult:
    """Run ``tool args...`` and capture its output; a timeout counts as a failure."""
    argv = (find_tool(tool), *args)
    env = {**os.environ, "LC_ALL": "C", "TZ": "UTC"}
    try:
        done = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=cwd,
            input=stdin,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as err:
        return ToolResult(tuple(argv), -1, "", f"timed out after {timeout:g}s: {err}")
    return ToolResult(tuple(argv), done.returncode, done.stdout, done.stderr)
