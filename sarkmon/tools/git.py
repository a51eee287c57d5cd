"""Reading files of a git commit: ``git ls-tree`` for the list, one ``git cat-file --batch``
for every blob (one process, however many files)."""

from __future__ import annotations

import os
import posixpath
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

TIMEOUT_S = 60


class GitError(RuntimeError):
    pass


def _git(args: Sequence[str], cwd: str | Path, stdin: bytes | None = None) -> bytes:
    git = shutil.which("git")
    if git is None:
        raise GitError("git not found on PATH")
    env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(
            [git, *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            timeout=TIMEOUT_S,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as err:
        raise GitError(f"git {args[0]} timed out after {TIMEOUT_S}s") from err
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[0] if message else f"git {args[0]} failed")
    return done.stdout


def commit_of(ref: str, cwd: str | Path) -> str:
    """The commit a ref names; raises GitError when it names none (or this is no repository)."""
    out = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], cwd)
    return out.decode().strip()


def files_at(commit: str, directory: str, cwd: str | Path) -> dict[str, bytes]:
    """Every file under ``directory`` (relative to ``cwd``) at a commit, by path inside it."""
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).decode().strip())
    prefix = _git(["rev-parse", "--show-prefix"], cwd).decode().strip()
    inside = posixpath.normpath(posixpath.join(prefix, directory)).strip("/")
    listing = _git(["ls-tree", "-r", "-z", commit, "--", inside], top)
    blobs: list[tuple[str, str]] = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, path = entry.decode("utf-8", "surrogateescape").partition("\t")
        _, kind, sha = meta.split()
        if kind == "blob":
            blobs.append((posixpath.relpath(path, inside), sha))
    if not blobs:
        return {}
    batch = _git(["cat-file", "--batch"], top, "".join(f"{sha}\n" for _, sha in blobs).encode())
    out: dict[str, bytes] = {}
    position = 0
    for path, _ in blobs:
        header_end = batch.index(b"\n", position)
        size = int(batch[position:header_end].split()[2])
        start = header_end + 1
        out[path] = batch[start : start + size]
        position = start + size + 1  # the body ends with a newline of the protocol's own
    return out
