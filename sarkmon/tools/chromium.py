"""Headless Chromium driven through the DevTools protocol over a pipe (no port, no driver).

Chromium reads protocol messages on file descriptor 3 and writes them on 4 when started
with ``--remote-debugging-pipe``; each message is a JSON object ended by a NUL byte. That
is all a page check needs: open a file, read what the page measures, collect console
errors, take a screenshot. The browser runs with a fresh profile directory, no network
services of its own, and is stopped by PID on every way out.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from sarkmon.tools.runner import ToolMissing

BINARIES = ("chromium", "chromium-browser", "google-chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--remote-debugging-pipe",
)


class BrowserError(RuntimeError):
    pass


def find_chromium() -> str:
    for name in BINARIES:
        path = shutil.which(name)
        if path:
            return path
    error = ToolMissing("chromium")
    error.args = (
        "chromium not found on PATH; install with `make tools` (Debian package chromium)",
    )
    raise error


@dataclass
class PageReport:
    """What a page did while it loaded: console errors, uncaught exceptions, failed loads."""

    errors: list[str] = field(default_factory=list)


class Chromium:
    def __init__(self, timeout: float = 30.0, width: int = 1400, height: int = 900) -> None:
        self.timeout = timeout
        self.size = (width, height)
        self.process: subprocess.Popen[bytes] | None = None
        self.profile = ""
        self._next_id = 0
        self._buffer = b""
        self._events: list[dict[str, Any]] = []

    # -- lifecycle ----------------------------------------------------------------------------
    def __enter__(self) -> Chromium:
        binary = find_chromium()
        self.profile = tempfile.mkdtemp(prefix="sarkmon-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def descriptors() -> None:  # in the child, before exec: the protocol's fds 3 and 4
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        args = [
            binary,
            *FLAGS,
            f"--user-data-dir={self.profile}",
            f"--window-size={self.size[0]},{self.size[1]}",
            "about:blank",
        ]
        try:
            self.process = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                pass_fds=(3, 4),
                preexec_fn=descriptors,
            )
        finally:
            os.close(to_browser_r)
            os.close(from_browser_w)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self.process is not None:
            try:
                if self.process.poll() is None:
                    self._write({"id": self._id(), "method": "Browser.close"})
                self.process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait(timeout=5)
            self.process = None
        for fd in (getattr(self, "_to_browser", -1), getattr(self, "_from_browser", -1)):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._to_browser = self._from_browser = -1
        if self.profile:
            shutil.rmtree(self.profile, ignore_errors=True)
            self.profile = ""

    # -- protocol -----------------------------------------------------------------------------
    def _id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _write(self, message: Mapping[str, Any]) -> None:
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError(f"chromium did not answer within {self.timeout:g}s")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise BrowserError("chromium closed its protocol pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        data: dict[str, Any] = json.loads(message)
        return data

    def call(self, method: str, params: Mapping[str, Any] | None = None, session: str = "") -> Any:
        """Send a command and wait for its answer; events that arrive meanwhile are kept."""
        ident = self._id()
        message: dict[str, Any] = {"id": ident, "method": method, "params": dict(params or {})}
        if session:
            message["sessionId"] = session
        self._write(message)
        deadline = time.monotonic() + self.timeout
        while True:
            answer = self._read(deadline)
            if answer.get("id") == ident:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error'].get('message')}")
                return answer.get("result", {})
            if "method" in answer:
                self._events.append(answer)

    def wait_for(self, method: str, session: str) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while True:
            for index, event in enumerate(self._events):
                if event.get("method") == method and event.get("sessionId") == session:
                    return self._events.pop(index)
            self._events.append(self._read(deadline))

    # -- pages --------------------------------------------------------------------------------
    def open(self, path: Path) -> Page:
        """Load a local file in a new tab and wait for it; its console is watched from the start."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=session)
        self.call("Page.navigate", {"url": path.resolve().as_uri()}, session)
        self.wait_for("Page.loadEventFired", session)
        return Page(self, session, target)


def _console_error(event: Mapping[str, Any]) -> str | None:
    params = event.get("params") or {}
    method = event.get("method")
    if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
        args = params.get("args") or []
        return "console: " + " ".join(str(a.get("value", a.get("description", ""))) for a in args)
    if method == "Runtime.exceptionThrown":
        details = params.get("exceptionDetails") or {}
        return "exception: " + str(
            (details.get("exception") or {}).get("description") or details.get("text")
        )
    if method == "Log.entryAdded":
        entry = params.get("entry") or {}
        if entry.get("level") == "error":
            return f"log: {entry.get('text')} {entry.get('url', '')}".strip()
    return None


@dataclass
class Page:
    browser: Chromium
    session: str
    target: str

    def evaluate(self, expression: str) -> Any:
        result = self.browser.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            self.session,
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"script failed: {result['exceptionDetails'].get('text')}")
        return result.get("result", {}).get("value")

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and failed loads of this page so far."""
        mine = [e for e in self.browser._events if e.get("sessionId") == self.session]
        return [text for e in mine if (text := _console_error(e)) is not None]

    def screenshot(self, path: Path) -> None:
        """The whole page (not just the window) as a PNG."""
        size = self.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
        )
        width, height = (int(v) for v in size)
        self.browser.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            self.session,
        )
        shot = self.browser.call("Page.captureScreenshot", {"format": "png"}, self.session)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))

    def close(self) -> None:
        self.browser.call("Target.closeTarget", {"targetId": self.target})
