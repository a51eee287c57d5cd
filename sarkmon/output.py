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
from collections.abc import Iterator, Mapping
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


class Encoded(Mapping[str, bytes]):
    """Files as UTF-8 bytes, in path order, encoded each time one is read: a large tree is
    compared and written without a second copy of it in memory."""

    def __init__(self, files: Mapping[str, str], manifest: bytes) -> None:
        self._files = files
        self._manifest = manifest
        self._paths = sorted({*files, MANIFEST})

    def __getitem__(self, path: str) -> bytes:
        if path == MANIFEST:
            return self._manifest
        return self._files[path].encode("utf-8")

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def __contains__(self, path: object) -> bool:
        return path == MANIFEST or path in self._files


def with_manifest(files: Mapping[str, str]) -> Mapping[str, bytes]:
    """The files as bytes, plus the manifest that lists them."""
    data = {path: text for path, text in files.items() if path != MANIFEST}
    digest = {
        path: hashlib.sha256(text.encode("utf-8")).hexdigest()
        for path, text in sorted(data.items())
    }
    manifest = (
        json.dumps({"files": digest, "generator": "sarkmon"}, indent=2, sort_keys=True) + "\n"
    )
    return Encoded(data, manifest.encode("utf-8"))


def _existing_paths(out: Path) -> list[str]:
    if not out.is_dir():
        return []
    return [p.relative_to(out).as_posix() for p in sorted(out.rglob("*")) if p.is_file()]


def existing_files(out: Path) -> dict[str, bytes]:
    return {path: (out / path).read_bytes() for path in _existing_paths(out)}


def compare(files: Mapping[str, bytes], out: Path) -> TreeDiff:
    """How the directory differs from the files that should be there (read one at a time)."""
    existing = _existing_paths(out)
    current = set(existing)
    diff = TreeDiff()
    for path, body in files.items():
        if path not in current:
            diff.added.append(path)
        elif (out / path).read_bytes() != body:
            diff.changed.append(path)
    diff.removed = [p for p in existing if p not in files]
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
        _write_files(data, staging)
        _swap(staging, out)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return diff


def _write_files(data: Mapping[str, bytes], base: Path) -> None:
    """Every file under ``base``, each directory made once (creating files is most of it)."""
    made: set[str] = set()
    for rel, body in data.items():
        folder = os.path.dirname(rel)
        if folder not in made:
            os.makedirs(base / folder, exist_ok=True)
            made.add(folder)
        _write_file(base / rel, body)


def _write_file(path: Path, body: bytes) -> None:
    with open(path, "xb") as handle:  # "x": staging is new, so no file is there yet
        handle.write(body)


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
