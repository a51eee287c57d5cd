"""Work done in a forked child while the parent does its own: a second core for generate.

The child inherits the loaded model as it is (nothing is copied or pickled on the way in),
runs one function and sends its pickled result back through a pipe. Where ``os.fork`` is
missing, or ``SARKMON_JOBS=1`` asks for one process, the work runs inline on ``result()``;
the output is the same either way, which a test checks byte for byte.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import Generic, TypeVar

T = TypeVar("T")


class ChildError(RuntimeError):
    """The work failed in the child; the message carries the child's traceback."""


def forking() -> bool:
    return hasattr(os, "fork") and os.environ.get("SARKMON_JOBS", "") != "1"


class Beside(Generic[T]):
    """``work()`` started now in a child process; ``result()`` waits for it.

    Use as a context manager: leaving the block without ``result()`` (an error, or lint
    failing) kills the child and reaps it, so no process outlives the command.
    """

    def __init__(self, work: Callable[[], T]) -> None:
        self._work = work
        self._pid = 0
        self._fd = -1
        if forking():
            self._start()

    def _start(self) -> None:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's code
            code = 0
            try:
                os.close(read_fd)
                with os.fdopen(write_fd, "wb") as out:
                    out.write(_payload(self._work))
            except BaseException:  # the parent sees the missing result
                code = 1
            finally:
                os._exit(code)  # no atexit handlers, no flushing of the parent's buffers
        os.close(write_fd)
        self._pid, self._fd = pid, read_fd

    def result(self) -> T:
        if not self._pid:
            return self._work()
        with os.fdopen(self._fd, "rb") as pipe:
            data = pipe.read()
        self._fd = -1
        _, status = os.waitpid(self._pid, 0)
        self._pid = 0
        if not data:
            raise ChildError(f"the child process ended without a result (status {status})")
        ok, value = pickle.loads(data)
        if not ok:  # the traceback's last line says what failed; the rest is a note
            error = ChildError(f"in the child process: {value.splitlines()[-1]}")
            error.add_note(value)
            raise error
        return value  # type: ignore[no-any-return]

    def cancel(self) -> None:
        """Stop the child if it still runs; a no-op once ``result()`` has returned."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        if self._pid:
            with contextlib.suppress(ProcessLookupError):  # it may have exited already
                os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = 0

    def __enter__(self) -> Beside[T]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.cancel()


def _payload(work: Callable[[], object]) -> bytes:
    """(True, result) or (False, the child's traceback as text), pickled."""
    try:
        return pickle.dumps((True, work()), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # reported to the parent, which raises it
        return pickle.dumps((False, traceback.format_exc().rstrip()))
