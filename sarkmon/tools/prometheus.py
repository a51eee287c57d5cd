"""A real Prometheus server for verification: loopback only, bounded in time, stopped by PID.

``PrometheusServer`` is a context manager: it starts ``prometheus`` on 127.0.0.1 on a free
port, waits until it is ready, and on every exit path (error, Ctrl-C, SIGTERM while the
caller runs) stops that one process by its PID, escalating to SIGKILL after a grace period.
Its small HTTP client speaks the query API the checks need.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

from sarkmon.tools.runner import find_tool

HOST = "127.0.0.1"


class PrometheusError(RuntimeError):
    pass


def _die_with_parent() -> None:
    """In the child before exec: Linux sends it SIGTERM if verify itself is killed."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG


def free_port() -> int:
    """A TCP port nobody listens on right now, on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt meanwhile, so ``finally`` blocks still run."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class PrometheusServer:
    """``with PrometheusServer(config, data) as server: server.query("up")``."""

    def __init__(
        self,
        config: Path,
        data: Path,
        log: Path,
        extra_args: Sequence[str] = (),
        ready_timeout: float = 30.0,
        request_timeout: float = 30.0,
    ) -> None:
        self.config = config
        self.data = data
        self.log = log
        self.extra_args = tuple(extra_args)
        self.ready_timeout = ready_timeout
        self.request_timeout = request_timeout
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    # -- lifecycle ------------------------------------------------------------------------
    def __enter__(self) -> PrometheusServer:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        """Start on a free port (retrying if another process takes it first), wait for ready."""
        binary = find_tool("prometheus")
        for _attempt in range(3):
            self.port = free_port()
            argv = [
                binary,
                f"--config.file={self.config}",
                f"--storage.tsdb.path={self.data}",
                f"--web.listen-address={HOST}:{self.port}",
                "--storage.tsdb.retention.time=30d",
                "--log.level=warn",
                *self.extra_args,
            ]
            with open(self.log, "ab") as log:
                # Its own session: a Ctrl-C reaches us, and we stop it in order.
                self.process = subprocess.Popen(
                    argv,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,
                    preexec_fn=_die_with_parent if sys.platform == "linux" else None,
                    env={**os.environ, "TZ": "UTC"},
                )
            try:
                self._wait_ready()
                return
            except PrometheusError:
                exited = self.process.poll() is not None
                self.stop()
                if not exited or "address already in use" not in self.log_tail():
                    raise
        raise PrometheusError("could not bind a free port on 127.0.0.1")

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise PrometheusError(
                    f"prometheus exited with {self.process.returncode}: {self.log_tail()}"
                )
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{self.url}/-/ready", timeout=1) as response,
            ):
                if response.status == 200:
                    return
            time.sleep(0.05)
        raise PrometheusError(f"prometheus not ready after {self.ready_timeout:g}s")

    def stop(self, grace: float = 10.0) -> None:
        """Stop the server by its PID: SIGTERM, then SIGKILL after ``grace`` seconds."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=grace)

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def log_tail(self, lines: int = 5) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        return " | ".join(text.strip().splitlines()[-lines:])

    # -- HTTP API -------------------------------------------------------------------------
    def api(self, path: str, params: Sequence[tuple[str, str]] = ()) -> Any:
        """GET an API path; returns ``data``, raises PrometheusError with the server's error."""
        query = urllib.parse.urlencode(list(params))
        url = f"{self.url}{path}" + (f"?{query}" if query else "")
        try:
            with urllib.request.urlopen(url, timeout=self.request_timeout) as response:
                body = json.load(response)
        except urllib.error.HTTPError as err:
            try:
                body = json.load(err)
            except ValueError:
                raise PrometheusError(f"HTTP {err.code} from {path}") from err
        except (OSError, ValueError) as err:
            raise PrometheusError(f"{path}: {err}") from err
        if body.get("status") != "success":
            raise PrometheusError(str(body.get("error") or body))
        return body.get("data")

    def query(self, expr: str, at: float) -> list[Any]:
        data = self.api("/api/v1/query", [("query", expr), ("time", _ts(at))])
        return _result(data)

    def query_range(self, expr: str, start: float, end: float, step: float) -> list[Any]:
        params = [("query", expr), ("start", _ts(start)), ("end", _ts(end)), ("step", _ts(step))]
        return _result(self.api("/api/v1/query_range", params))

    def label_values(self, label: str, match: str, start: float, end: float) -> list[str]:
        params = [("match[]", match), ("start", _ts(start)), ("end", _ts(end))]
        values = self.api(f"/api/v1/label/{urllib.parse.quote(label)}/values", params)
        return [str(v) for v in values or []]

    def rule_groups(self) -> list[dict[str, Any]]:
        groups = self.api("/api/v1/rules").get("groups", [])
        return list(groups)


def _ts(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _result(data: Any) -> list[Any]:
    """Series of a vector or matrix result; a scalar or string counts as one value."""
    kind = data.get("resultType")
    result = data.get("result")
    if kind in ("scalar", "string"):
        return [result]
    return list(result or [])
