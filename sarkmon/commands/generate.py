"""``sarkmon generate``: load, lint, compile and write the output tree."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable
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
from sarkmon.diagnostics import Finding, Severity


def summarize_warnings(findings: Iterable[Finding]) -> None:
    """One line for all warnings: `sarkmon lint` lists them; generation is about errors."""
    counts = Counter(
        f.check for f in findings if f.severity is Severity.WARNING and not f.suppressed
    )
    if counts:
        by_check = ", ".join(f"{check} {n}" for check, n in sorted(counts.items()))
        click.echo(
            f"sarkmon: {sum(counts.values())} warning(s) ({by_check}); `sarkmon lint` lists them",
            err=True,
        )


@click.command()
@definitions_option
@click.option(
    "--out",
    default="generated",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Output directory.",
)
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Write nothing; exit 1 and list the files that differ when the output is stale.",
)
def generate(package: str, root: str, out: str, check_only: bool) -> None:
    """Compile the definitions into Grafana, Prometheus and Alertmanager files."""
    from sarkmon.beside import Beside
    from sarkmon.compile import BESIDE_LINT, COMPILERS
    from sarkmon.output import compare, with_manifest, write_tree
    from sarkmon.pipeline import build, merge, render, run_lint

    project = load_or_exit(package, root)
    result = build(project, lint=False)
    long_lived()
    # Lint and compilation are independent: a child compiles part of the output meanwhile,
    # and is killed unused when lint finds errors.
    with Beside(lambda: render(result, BESIDE_LINT)) as beside:
        result = run_lint(result)
        if result.errors:  # the errors alone: warnings can wait until it builds
            echo_findings(result.errors)
            click.echo(f"sarkmon: {len(result.errors)} error(s); nothing written", err=True)
            sys.exit(EXIT_USAGE)
        summarize_warnings(result.findings)
        others = [spec for spec in COMPILERS if spec not in BESIDE_LINT]
        files = merge([render(result, others), beside.result()])
    target = Path(out)
    if check_only:
        diff = compare(with_manifest(files), target)
        if diff:
            for line in diff.lines():
                click.echo(line)
            click.echo(f"sarkmon: {out}/ is stale; run `make generate`", err=True)
            sys.exit(EXIT_FINDINGS)
        click.echo(f"{out}/ is up to date ({len(files) + 1} files)")
        return
    diff = write_tree(files, target)
    if diff:
        click.echo(
            f"wrote {out}/: {len(diff.added)} added, {len(diff.changed)} changed, "
            f"{len(diff.removed)} removed ({len(files) + 1} files)"
        )
    else:
        click.echo(f"{out}/ is up to date ({len(files) + 1} files)")
