"""The Prometheus runner: loopback, API errors surfaced, stopped by PID, failures explained."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from sarkmon.commands.verify import ProgressLine
from sarkmon.tools.prometheus import HOST, PrometheusError, PrometheusServer, free_port
from tests.conftest import CliResult


def test_server_answers_on_loopback_and_stops_by_pid(tmp_path: Path) -> None:
    config = tmp_path / "prometheus.yml"
    config.write_text("global: {evaluation_interval: 15s}\n")
    with PrometheusServer(config, tmp_path / "data", tmp_path / "log") as server:
        assert server.url.startswith(f"http://{HOST}:")
        pid = server.pid
        assert pid is not None
        assert server.query("vector(1) + 1", 1_000)[0]["value"] == [1000, "2"]
        assert server.query("scalar(vector(3))", 1_000) == [[1000, "3"]]
        assert server.query_range("vector(1)", 1_000, 1_060, 30)[0]["values"][-1] == [1060, "1"]
        assert server.label_values("job", "up", 0, 1_000) == []
        assert server.rule_groups() == []
        with pytest.raises(PrometheusError, match="parse error"):
            server.query("sum(", 1_000)
    assert server.pid is None
    assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()
    server.stop()  # stopping twice is harmless


def test_a_server_that_cannot_start_is_explained(tmp_path: Path) -> None:
    config = tmp_path / "prometheus.yml"
    config.write_text("global: {evaluation_interval: soon}\n")
    server = PrometheusServer(config, tmp_path / "data", tmp_path / "log")
    with pytest.raises(
        PrometheusError, match=r"prometheus exited with 2: .*not a valid duration string"
    ):
        server.start()
    assert server.pid is None


def test_free_ports_are_on_loopback() -> None:
    assert 1024 <= free_port() <= 65535


def test_verify_without_the_tools_says_how_to_get_them(
    run_cli: Callable[..., CliResult], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = run_cli("verify")
    assert result.code == 1
    assert result.err.splitlines()[-1] == (
        "sarkmon verify: promtool not found on PATH; install with `make tools` (Debian "
        "packages prometheus, prometheus-alertmanager)"
    )
    assert not list(tmp_path.glob("sarkmon-verify-*"))


def test_verify_rejects_a_range_shorter_than_a_minute(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("verify", "--range", "30s")
    assert result.code == 2
    assert "at least 1m" in result.err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_line_rewrites_itself_on_a_terminal_and_logs_phases_elsewhere() -> None:
    tty = Terminal()
    line = ProgressLine(tty)
    line("backfilling 10 series")
    line("querying 1/2: dashboard 'A' panel 'B' query A")
    line.clear()
    assert tty.getvalue() == (
        "\r\x1b[Kverify: backfilling 10 series"
        "\r\x1b[Kverify: querying 1/2: dashboard 'A' panel 'B' query A"
        "\r\x1b[K"
    )
    log = io.StringIO()
    line = ProgressLine(log)
    line("backfilling 10 series")
    line("querying 1/2: dashboard 'A' panel 'B' query A")
    line.clear()
    assert log.getvalue() == "verify: backfilling 10 series\n"
