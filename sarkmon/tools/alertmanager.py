"""A real Alertmanager on loopback, for as long as a ``with`` block: post alerts, read them back.

Bound to 127.0.0.1 on a free port, clustering off, data in a temporary directory; the process
is stopped by its PID and the directory removed on every way out of the block.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sarkmon.tools.runner import ToolMissing

BINARIES = ("alertmanager", "prometheus-alertmanager")  # upstream name, Debian's name


def _binary() -> str:
    for name in BINARIES:
        path = shutil.which(name)
        if path:
            return path
    raise ToolMissing(BINARIES[0])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Alertmanager:
    url: str

    def _call(self, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path, data=data, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            text = response.read().decode()
        return json.loads(text) if text.strip() else None

    def post(self, alerts: Sequence[Mapping[str, str]], minutes: int = 60) -> None:
        """Post firing alerts with these label sets, due to resolve in ``minutes``."""
        now = time.time()
        stamp = "%Y-%m-%dT%H:%M:%SZ"
        starts = time.strftime(stamp, time.gmtime(now - 60))
        ends = time.strftime(stamp, time.gmtime(now + minutes * 60))
        body = [{"labels": dict(a), "startsAt": starts, "endsAt": ends} for a in alerts]
        self._call("/api/v2/alerts", body)

    def resolve(self, alerts: Sequence[Mapping[str, str]]) -> None:
        self.post(alerts, minutes=-1)

    def alerts(self) -> list[dict[str, Any]]:
        """Every alert it holds, with its status (inhibitedBy) and receivers."""
        found: list[dict[str, Any]] = self._call("/api/v2/alerts")
        return found


@contextlib.contextmanager
def running(config: str, timeout: float = 30) -> Iterator[Alertmanager]:
    """Start Alertmanager on ``config``; raise RuntimeError if it is not ready in time."""
    port = free_port()
    storage = tempfile.mkdtemp(prefix="sarkmon-alertmanager-")
    log = Path(storage) / "alertmanager.log"
    args = [
        _binary(),
        f"--config.file={config}",
        f"--storage.path={storage}",
        f"--web.listen-address=127.0.0.1:{port}",
        "--cluster.listen-address=",
        "--log.level=warn",
    ]
    with log.open("wb") as log_file:
        process = subprocess.Popen(args, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        server = Alertmanager(f"http://127.0.0.1:{port}")
        _wait_ready(server, process, timeout, log)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(storage, ignore_errors=True)


def _wait_ready(
    server: Alertmanager, process: subprocess.Popen[bytes], timeout: float, log: Path
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"alertmanager exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(server.url + "/-/ready", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"alertmanager not ready after {timeout:g}s")
