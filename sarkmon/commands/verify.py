"""``sarkmon verify``: every dashboard query and recording rule on a real Prometheus."""

from __future__ import annotations

import shutil
import sys
from typing import TextIO

import click

from sarkmon.commands.common import (
    EXIT_FINDINGS,
    EXIT_USAGE,
    definitions_option,
    echo_findings,
    load_or_exit,
)
from sarkmon.model.durations import DurationError, parse_ms


class ProgressLine:
    """One line on stderr that says what verify is doing, rewritten in place on a terminal.

    Off a terminal (CI logs) each phase gets its own line and per-query steps are skipped.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.shown = False

    def __call__(self, text: str) -> None:
        if self.tty:
            width = shutil.get_terminal_size().columns - 1
            self.stream.write("\r\x1b[K" + f"verify: {text}"[:width])
            self.shown = True
        elif not text.startswith("querying "):
            self.stream.write(f"verify: {text}\n")
        self.stream.flush()

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


def _seconds(ctx: click.Context, param: click.Parameter, value: str) -> int:
    try:
        ms = parse_ms(value)
    except DurationError as err:
        raise click.BadParameter(str(err)) from err
    if ms < 60_000:
        raise click.BadParameter("at least 1m")
    return ms // 1000


@click.command()
@definitions_option
@click.option(
    "--range",
    "range_s",
    default="1h",
    show_default=True,
    callback=_seconds,
    help="The dashboards' time range: queries run over the last RANGE of the workload.",
)
@click.option(
    "--rule-wait",
    type=click.FloatRange(min=0),
    default=None,
    help="Seconds to wait for every rule group's first evaluation "
    "[default: the longest group interval + 5s, at most 120s].",
)
@click.option(
    "--series-out",
    type=click.Path(dir_okay=False),
    help="Write every panel query's series to this file, for `sarkmon preview --series`.",
)
def verify(
    package: str, root: str, range_s: int, rule_wait: float | None, series_out: str | None
) -> None:
    """Run every dashboard query and rule on a real Prometheus holding a synthetic workload.

    The workload covers every catalog metric with its labels and buckets. Reports each
    dashboard query (by dashboard and panel), variable, annotation and recording rule that
    returns no data, and every query or rule that fails. Prometheus listens on 127.0.0.1
    only and is stopped on every exit path; its data is removed.
    """
    from sarkmon.pipeline import build, render
    from sarkmon.tools.prometheus import PrometheusError
    from sarkmon.tools.runner import ToolMissing
    from sarkmon.verify.run import Settings, VerifyError
    from sarkmon.verify.run import verify as run_verify

    result = build(load_or_exit(package, root))
    if result.errors:
        echo_findings(result.errors)
        sys.exit(EXIT_USAGE)
    progress = ProgressLine()
    try:
        report = run_verify(result, render(result), progress, Settings(range_s, rule_wait))
    except (ToolMissing, VerifyError, PrometheusError) as err:
        progress.clear()
        click.echo(f"sarkmon verify: {err}", err=True)
        sys.exit(EXIT_FINDINGS)
    except KeyboardInterrupt:
        progress.clear()
        click.echo("sarkmon verify: interrupted; prometheus stopped, data removed", err=True)
        sys.exit(130)
    progress.clear()
    if series_out and report.window is not None:
        from pathlib import Path

        from sarkmon.preview.series import write_series

        span = report.window
        write_series(Path(series_out), span.start, span.end, span.interval_s, report.series)
        click.echo(f"series of {len(report.series)} panel queries written to {series_out}")
    if report.workload is not None:
        w = report.workload
        click.echo(
            f"workload: {w.series} series of {w.families} metric families, "
            f"{w.samples} samples over {(w.end - w.start) // 60}m"
        )
    for note in report.notes:
        click.echo(note)
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(report.counts.items()))
    click.echo(f"queries: {report.queries} ({kinds or 'none'})")
    for problem in report.problems:
        lines = problem.lines()
        click.echo(f"FAIL  {lines[0]}")
        for line in lines[1:]:
            click.echo(f"      {line.strip()}")
    if report.problems:
        click.echo(
            f"sarkmon verify: {len(report.problems)} of {report.queries} queries without data "
            "or failing",
            err=True,
        )
        sys.exit(EXIT_FINDINGS)
    click.echo(f"ok    every one of {report.queries} queries returned data without error")
