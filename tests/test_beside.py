"""The forked child that compiles beside lint: its result, its errors, and its end."""

from __future__ import annotations

import os
import time

import pytest

from sarkmon.beside import Beside, ChildError


def test_the_result_comes_from_another_process() -> None:
    with Beside(lambda: (os.getpid(), {"docs/index.md": "# x\n"})) as beside:
        pid, files = beside.result()
    assert pid != os.getpid()
    assert files == {"docs/index.md": "# x\n"}


def test_one_process_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SARKMON_JOBS", "1")
    with Beside(os.getpid) as beside:
        assert beside.result() == os.getpid()


def _fails() -> None:
    raise ValueError("no template named runbook.md.j2")


def test_an_error_in_the_child_is_raised_in_the_parent_with_its_traceback() -> None:
    with Beside(_fails) as beside, pytest.raises(ChildError) as caught:
        beside.result()
    assert str(caught.value) == (
        "in the child process: ValueError: no template named runbook.md.j2"
    )
    assert "in _fails" in caught.value.__notes__[0]


def test_a_child_that_dies_without_a_result_is_an_error() -> None:
    with Beside(lambda: os._exit(3)) as beside, pytest.raises(ChildError, match="without a result"):
        beside.result()


def test_leaving_the_block_kills_and_reaps_the_child() -> None:
    with Beside(lambda: time.sleep(60)) as beside:
        pid = beside._pid
        assert pid
    with pytest.raises(ChildProcessError):  # reaped: no zombie left behind
        os.waitpid(pid, os.WNOHANG)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
