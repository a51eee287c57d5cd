"""What every command shares: loading the definitions and reporting problems."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import click

from sarkmon.cli import debugging, long_lived
from sarkmon.diagnostics import Finding, Severity
from sarkmon.load import LoadError, load_project
from sarkmon.model.project import Project

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def definitions_option(func: F) -> F:
    func = click.option(
        "--root",
        default=".",
        show_default=True,
        type=click.Path(file_okay=False),
        help="Directory that holds the definitions package.",
    )(func)
    return click.option(
        "--definitions",
        "package",
        default="definitions",
        show_default=True,
        help="Python package that defines `project`.",
    )(func)


def echo_findings(findings: Iterable[Finding], verbose_info: bool = False) -> None:
    for finding in findings:
        if finding.severity is Severity.INFO and not verbose_info:
            continue
        click.echo(finding.line(), err=True)


def load_or_exit(package: str, root: str) -> Project:
    """The project, or exit 2 after one line per problem that stops loading."""
    try:
        project, problems = load_project(package, root)
    except LoadError as err:
        echo_findings(err.findings)
        if debugging() and err.__cause__ is not None:  # what the definitions raised
            trace = traceback.format_exception(err.__cause__)
            click.echo("".join(trace).rstrip("\n"), err=True)
        sys.exit(EXIT_USAGE)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        echo_findings(problems)
        sys.exit(EXIT_USAGE)
    long_lived()
    return project
