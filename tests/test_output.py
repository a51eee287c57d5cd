"""Atomic writing, stale files, the manifest, drift detection and determinism."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sarkmon import output
from sarkmon.output import MANIFEST, compare, with_manifest, write_tree
from tests.conftest import REPO


def test_write_tree_writes_files_and_manifest(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    diff = write_tree({"a/x.yml": "x\n", "b.json": "{}\n"}, out)
    assert sorted(diff.added) == ["a/x.yml", "b.json", MANIFEST]
    assert (out / "a/x.yml").read_text() == "x\n"
    manifest = json.loads((out / MANIFEST).read_text())
    assert sorted(manifest["files"]) == ["a/x.yml", "b.json"]


def test_stale_files_are_removed_and_unchanged_trees_untouched(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    write_tree({"old.yml": "1\n", "keep.yml": "k\n"}, out)
    diff = write_tree({"keep.yml": "k\n", "new.yml": "2\n"}, out)
    assert diff.removed == ["old.yml"] and diff.added == ["new.yml"]
    assert not (out / "old.yml").exists()
    inode = out.stat().st_ino
    assert not write_tree({"keep.yml": "k\n", "new.yml": "2\n"}, out)
    assert out.stat().st_ino == inode  # nothing was rewritten


def test_failure_mid_write_leaves_the_old_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "gen"
    write_tree({"a.yml": "old a\n", "b.yml": "old b\n"}, out)
    before = output.existing_files(out)
    written = []
    real = output._write_file

    def failing(path: Path, data: bytes) -> None:
        if len(written) == 1:
            raise OSError("disk full")
        written.append(path)
        real(path, data)

    monkeypatch.setattr(output, "_write_file", failing)
    with pytest.raises(OSError, match="disk full"):
        write_tree({"a.yml": "new a\n", "b.yml": "new b\n", "c.yml": "c\n"}, out)
    monkeypatch.undo()
    assert output.existing_files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gen"]  # no staging left behind


def test_failed_swap_restores_the_old_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "gen"
    write_tree({"a.yml": "old\n"}, out)
    real_rename = os.rename
    calls = []

    def rename(src: str | Path, dst: str | Path) -> None:
        calls.append((Path(src).name, Path(dst).name))
        if len(calls) == 2:  # the staging tree into place
            raise OSError("interrupted")
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(OSError, match="interrupted"):
        write_tree({"a.yml": "new\n"}, out)
    monkeypatch.undo()
    assert (out / "a.yml").read_text() == "old\n"


def test_a_tree_left_aside_is_recovered(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    write_tree({"a.yml": "old\n"}, out)
    os.rename(out, tmp_path / ".gen.old-123")  # as if a run died between its two renames
    write_tree({"a.yml": "old\n"}, out)
    assert (out / "a.yml").read_text() == "old\n"
    assert not (tmp_path / ".gen.old-123").exists()


def test_compare_reports_added_changed_removed(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    write_tree({"a": "1\n", "b": "2\n"}, out)
    diff = compare(with_manifest({"a": "1\n", "b": "3\n", "c": "4\n"}), out)
    assert (diff.added, diff.changed, diff.removed) == (["c"], ["b", MANIFEST], [])
    assert diff.lines() == ["changed  b", "added    c", f"changed  {MANIFEST}"]


def test_generate_check_reports_stale_files(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "gen"
    assert run_cli("generate", "--out", str(out)).code == 0
    assert run_cli("generate", "--check", "--out", str(out)).code == 0
    rules = out / "prometheus/rules/gateway.yml"
    rules.write_text(rules.read_text() + "# edited by hand\n")
    (out / "stray.txt").write_text("x")
    result = run_cli("generate", "--check", "--out", str(out))
    assert result.code == 1
    assert "changed  prometheus/rules/gateway.yml" in result.out
    assert "removed  stray.txt" in result.out
    assert "is stale" in result.err


def test_committed_tree_is_current(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("generate", "--check", "--out", str(REPO / "generated"))
    assert result.code == 0, result.out + result.err


def _generate_in_subprocess(out: Path, env: dict[str, str]) -> dict[str, bytes]:
    subprocess.run(
        [sys.executable, "-m", "sarkmon", "generate", "--out", str(out)],
        cwd=REPO,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    return output.existing_files(out)


def test_output_is_byte_identical_across_hash_seeds_time_zones_and_locales(tmp_path: Path) -> None:
    runs = [
        {"PYTHONHASHSEED": "0", "TZ": "UTC", "LC_ALL": "C"},
        {"PYTHONHASHSEED": "12345", "TZ": "Asia/Kolkata", "LC_ALL": "C.UTF-8"},
        {
            "PYTHONHASHSEED": "random",
            "TZ": "America/St_Johns",
            "LC_ALL": "POSIX",
            "LANG": "de_DE.UTF-8",
        },
        {"SARKMON_JOBS": "1"},  # one process: no child compiles beside lint
    ]
    trees = [_generate_in_subprocess(tmp_path / f"run{i}", env) for i, env in enumerate(runs)]
    assert trees[0] and trees[0] == trees[1] == trees[2] == trees[3]
