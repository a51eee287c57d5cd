"""Where the trees to compare come from: a directory, a git commit, or the definitions.

A directory is read as an output tree as it is. Anything else names a git commit, whose
committed output directory is read without checking it out. Without a name, the current
definitions are loaded and rendered in memory: what ``generate`` would write now, whether
or not it has run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sarkmon.diagnostics import Finding
from sarkmon.output import existing_files
from sarkmon.tools.git import GitError, commit_of, files_at


class TreeError(RuntimeError):
    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.findings = findings or []


@dataclass(frozen=True)
class Source:
    """How to find the trees: the definitions and their committed output directory."""

    root: str = "."
    package: str = "definitions"
    generated: str = "generated"


def read_tree(spec: str | None, source: Source) -> tuple[str, dict[str, bytes]]:
    """(label, files) of a directory, a git commit, or (``None``) the rendered definitions."""
    if spec is None:
        return "the working tree", rendered(source)
    path = Path(spec)
    if path.is_dir():
        return str(path), existing_files(path)
    try:
        commit = commit_of(spec, source.root)
    except GitError as err:
        raise TreeError(f"{spec!r} is neither a directory nor a git commit ({err})") from err
    try:
        files = files_at(commit, source.generated, source.root)
    except GitError as err:
        raise TreeError(f"cannot read {source.generated}/ at {spec}: {err}") from err
    if not files:
        raise TreeError(f"{spec} ({commit[:12]}) has no {source.generated}/ directory")
    return f"{spec} ({commit[:12]})", files


def rendered(source: Source) -> dict[str, bytes]:
    """The definitions compiled in memory, as ``generate`` would write them."""
    from sarkmon.load import LoadError, load_project
    from sarkmon.output import with_manifest
    from sarkmon.pipeline import build, render

    try:
        project, problems = load_project(source.package, source.root)
    except LoadError as err:
        raise TreeError("the definitions do not load", err.findings) from err
    errors = [p for p in problems if p.severity.value == "error"]
    if errors:
        raise TreeError("the definitions do not load", errors)
    result = build(project)
    if result.errors:
        raise TreeError("the definitions have errors; nothing to compare", result.errors)
    return dict(with_manifest(render(result)))
