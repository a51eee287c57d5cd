"""``sarkmon lint``: catalog-aware checks of the definitions or of hand-written files."""

from __future__ import annotations

import sys

import click

from sarkmon.commands.common import EXIT_FINDINGS, EXIT_USAGE, load_or_exit


@click.command()
@click.option(
    "--catalog",
    "--definitions",
    "package",
    default="definitions",
    show_default=True,
    help="Definitions package: its catalog checks the files (or, with no PATH, its project).",
)
@click.option(
    "--root",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Directory that holds the definitions package.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text for people, json for tools, github for workflow annotations.",
)
@click.option("--list", "list_checks", is_flag=True, help="List every check and exit.")
@click.argument("paths", nargs=-1, type=click.Path())
def lint(package: str, root: str, fmt: str, list_checks: bool, paths: tuple[str, ...]) -> None:
    """Check the definitions, or Grafana JSON and rule YAML files, against the catalog.

    With no PATH, lint the definitions exactly as `generate` does. With PATHs (files or
    directories), read Grafana dashboards (.json) and Prometheus rule files or
    PrometheusRule manifests (.yml, .yaml) and lint them against the package's catalog.
    Exit 1 when an error is found.
    """
    from sarkmon.artifacts import ReadError, read_paths
    from sarkmon.lint import all_checks
    from sarkmon.lint.files import lint_artifacts
    from sarkmon.lint.report import failed, render, summary
    from sarkmon.pipeline import build

    if list_checks:
        for found in all_checks():
            click.echo(f"{found.id:32} {found.severity.value:8} {found.summary}")
        return
    project = load_or_exit(package, root)
    if paths:
        try:
            artifacts = read_paths(paths)
        except ReadError as err:
            where = f"{err.path}:{err.line}" if err.line else err.path
            click.echo(f"{where}: error [lint/read] file {err.path}: {err.message}", err=True)
            sys.exit(EXIT_USAGE)
        findings = lint_artifacts(project, artifacts)
        for skipped in artifacts.skipped:
            click.echo(f"skipped {skipped}: neither a dashboard nor a rule file", err=True)
    else:
        findings = list(build(project).findings)
    click.echo(render(findings, fmt), nl=False)
    if fmt == "text":
        click.echo(f"sarkmon lint: {summary(findings)}", err=True)
    if failed(findings):
        sys.exit(EXIT_FINDINGS)
