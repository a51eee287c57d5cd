"""Writing the output tree atomically, and telling when it is stale.

The whole tree is written beside the target, then swapped in with two renames; a failure
before the swap leaves the old tree as it was. ``manifest.json`` lists every file and its
SHA-256, so that a reviewer (and ``sarkmon diff``) can see the tree's extent at a glance.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = "manifest.json"


@dataclass
class TreeDiff:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def lines(self) -> list[str]:
        rows = [("added", p) for p in self.added] + [("changed", p) for p in self.changed]
        rows += [("removed", p) for p in self.removed]
        return [f"{kind:8} {path}" for kind, path in sorted(rows, key=lambda r: r[1])]


def with_manifest(files: Mapping[str, str]) -> dict[str, bytes]:
    """The files as bytes, plus the manifest that lists them."""
    data = {path: text.encode("utf-8") for path, text in files.items() if path != MANIFEST}
    digest = {path: hashlib.sha256(body).hexdigest() for path, body in sorted(data.items())}
    manifest = (
        json.dumps({"files": digest, "generator": "sarkmon"}, indent=2, sort_keys=True) + "\n"
    )
    data[MANIFEST] = manifest.encode("utf-8")
    return dict(sorted(data.items()))


def existing_files(out: Path) -> dict[str, bytes]:
    if not out.is_dir():
        return {}
    found = {}
    for path in sorted(out.rglob("*")):
        if path.is_file():
            found[path.relative_to(out).as_posix()] = path.read_bytes()
    return found


def compare(files: Mapping[str, bytes], out: Path) -> TreeDiff:
    """How the directory differs from the files that should be there."""
    current = existing_files(out)
    diff = TreeDiff()
    for path, body in files.items():
        if path not in current:
            diff.added.append(path)
        elif current[path] != body:
            diff.changed.append(path)
    diff.removed = [p for p in current if p not in files]
    return diff


def write_tree(files: Mapping[str, str], out: Path) -> TreeDiff:
    """Make ``out`` hold exactly ``files`` (plus the manifest); atomic, no-op when current."""
    out = Path(out)
    _recover(out)
    data = with_manifest(files)
    diff = compare(data, out)
    if not diff:
        return diff
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.new-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    try:
        for rel, body in data.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body)
        _swap(staging, out)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return diff


def _swap(staging: Path, out: Path) -> None:
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.rename(out, old)
    try:
        os.rename(staging, out)
    except OSError:
        if old.exists():
            os.rename(old, out)
        raise
    if old.exists():
        shutil.rmtree(old)


def _recover(out: Path) -> None:
    """Put back a tree left aside by a run that stopped between its two renames."""
    if out.exists() or not out.parent.is_dir():
        return
    leftovers = sorted(out.parent.glob(f".{out.name}.old-*"))
    if leftovers:
        os.rename(leftovers[-1], out)
