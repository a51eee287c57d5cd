"""``sarkmon import``: existing Grafana dashboards and rule files as definitions code."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sarkmon.commands.common import EXIT_USAGE


@click.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False),
    help="Directory of the definitions package to write.",
)
@click.option(
    "--catalog",
    default="definitions.metrics",
    show_default=True,
    help="Module holding the metric catalog; its metric objects replace names in queries.",
)
@click.option(
    "--root",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Directory the catalog module is imported from.",
)
def import_(files: tuple[str, ...], out: str, catalog: str, root: str) -> None:
    """Write Grafana dashboards (JSON) and Prometheus rules (YAML) as definitions modules.

    FILES are dashboards (plain, or wrapped in {"dashboard": ...}; old schema versions
    too), rule files and PrometheusRule manifests, or directories of them. The package
    written to --out is checked by generating from it: every difference from the input
    is listed here and written as comments at the top of its module.
    """
    from sarkmon.importer.metrics import CatalogError
    from sarkmon.importer.run import ImportInputError, run_import, write_package

    try:
        result = run_import(list(files), catalog, root)
    except (ImportInputError, CatalogError) as err:
        click.echo(f"sarkmon import: {err}", err=True)
        sys.exit(EXIT_USAGE)
    write_package(result.files, Path(out))
    dashboards = sum(m.original.kind == "dashboard" for m in result.modules)
    rules = len(result.modules) - dashboards
    modules = len(result.files)
    click.echo(f"wrote {out}/: {dashboards} dashboard(s), {rules} rule file(s), {modules} modules")
    if result.note_count:
        click.echo(
            f"not carried over ({result.note_count}), also written as comments in the modules:"
        )
        for source, notes in result.notes.items():
            for note in notes:
                click.echo(f"  {source}: {note}")
    else:
        click.echo(
            "everything carried over: generating from it gives the same dashboards and rules"
        )
    target = Path(out).resolve()
    command = f"sarkmon {{}} --root {target.parent} --definitions {target.name}"
    if target.parent != Path(root).resolve():  # the catalog is imported from elsewhere
        command = f"PYTHONPATH={Path(root).resolve()} {command}"
    if result.errors:
        by_check = ", ".join(f"{check} {n}" for check, n in result.errors.items())
        click.echo(
            f"it does not build yet: {sum(result.errors.values())} error(s) ({by_check}); "
            f"list them: {command.format('lint')}"
        )
    else:
        click.echo(f"try it: {command.format('generate')} --out DIR")
