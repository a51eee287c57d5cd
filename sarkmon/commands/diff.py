"""``sarkmon diff``: what changed between two output trees, in meaning rather than bytes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sarkmon.commands.common import EXIT_FINDINGS, EXIT_USAGE, definitions_option, echo_findings


@click.command()
@definitions_option
@click.argument("base", default="HEAD")
@click.argument("head", required=False)
@click.option(
    "--generated",
    default="generated",
    show_default=True,
    help="The output directory, as committed in the repository.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
)
@click.option(
    "--output", type=click.Path(dir_okay=False), help="Write the report here instead of stdout."
)
@click.option(
    "--max-chars",
    type=click.IntRange(min=0),
    default=0,
    help="Cut the Markdown report to this length (a PR comment holds 65536).",
)
@click.option("--exit-code", is_flag=True, help="Exit 1 when there are changes.")
def diff(
    package: str,
    root: str,
    base: str,
    head: str | None,
    generated: str,
    fmt: str,
    output: str | None,
    max_chars: int,
    exit_code: bool,
) -> None:
    """Report what BASE -> HEAD changes in dashboards, rules, routing and the catalog.

    BASE and HEAD are git commits (their committed output directory is read) or output
    directories. BASE defaults to HEAD; without HEAD, the current definitions are rendered
    in memory (no need to run generate first). Formatting-only changes report nothing.
    """
    from sarkmon.review.diff import diff_snapshots
    from sarkmon.review.report import render_json, render_markdown
    from sarkmon.review.snapshot import snapshot
    from sarkmon.review.trees import Source, TreeError, read_tree

    source = Source(root, package, generated)
    try:
        base_label, base_files = read_tree(base, source)
        head_label, head_files = read_tree(head, source)
    except TreeError as err:
        echo_findings(err.findings)
        click.echo(f"sarkmon diff: {err}", err=True)
        sys.exit(EXIT_USAGE)
    report = diff_snapshots(snapshot(base_files, base_label), snapshot(head_files, head_label))
    text = render_json(report) if fmt == "json" else render_markdown(report, max_chars)
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    if exit_code and report.changes:
        sys.exit(EXIT_FINDINGS)
