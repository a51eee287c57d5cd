"""``sarkmon check``: drift, schemas, promtool, amtool and alert test coverage."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from sarkmon.cli import long_lived
from sarkmon.commands.common import (
    EXIT_FINDINGS,
    EXIT_USAGE,
    definitions_option,
    echo_findings,
    load_or_exit,
)


@click.command()
@definitions_option
@click.option(
    "--out",
    default="generated",
    show_default=True,
    type=click.Path(file_okay=False),
    help="The committed output directory (for the drift step).",
)
@click.option("--skip", multiple=True, help="Skip the steps whose function name contains this.")
@click.option(
    "--offline",
    is_flag=True,
    help="Only the steps that need no external tool: drift, schemas, links, test coverage.",
)
def check(package: str, root: str, out: str, skip: tuple[str, ...], offline: bool) -> None:
    """Prove the output valid with promtool, amtool and the schemas, and not stale."""
    from sarkmon.check import OFFLINE, CheckContext, steps
    from sarkmon.output import write_tree
    from sarkmon.pipeline import build, render
    from sarkmon.tools.runner import ToolMissing

    result = build(load_or_exit(package, root))
    long_lived()
    if result.errors:
        echo_findings(result.errors)
        sys.exit(EXIT_USAGE)
    files = render(result)
    failed = 0
    with tempfile.TemporaryDirectory(prefix="sarkmon-check-") as tmp:
        tree = Path(tmp) / "generated"
        write_tree(files, tree)
        ctx = CheckContext(result, files, tree, Path(out), offline)
        for step in steps():
            if any(s in step.__name__ for s in skip):
                click.echo(f"skip  {step.__name__}")
                continue
            if offline and step.__name__ not in OFFLINE:
                click.echo(f"skip  {step.__name__} (runs a tool)")
                continue
            try:
                outcome = step(ctx)
            except ToolMissing as err:
                click.echo(f"FAIL  {step.__name__}: {err}")
                failed += 1
                continue
            click.echo(f"{'ok  ' if outcome.ok else 'FAIL'}  {outcome.name}: {outcome.summary}")
            for line in outcome.details:
                click.echo(f"      {line}")
            failed += not outcome.ok
    if failed:
        click.echo(f"sarkmon check: {failed} step(s) failed", err=True)
        sys.exit(EXIT_FINDINGS)
