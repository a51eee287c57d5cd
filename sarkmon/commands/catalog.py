"""``sarkmon catalog``: print the metric catalog."""

from __future__ import annotations

import click

from sarkmon.commands.common import definitions_option, load_or_exit


@click.command()
@definitions_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
)
@click.option("--with-recorded", is_flag=True, help="Include series recorded by recording rules.")
def catalog(package: str, root: str, fmt: str, with_recorded: bool) -> None:
    """List every metric the definitions may use."""
    from sarkmon.compile.catalog import catalog_json, catalog_markdown, catalog_table

    project = load_or_exit(package, root)
    the_catalog = project.catalog
    if with_recorded:
        from sarkmon.pipeline import build

        the_catalog = build(project, lint=False).catalog
    render = {"text": catalog_table, "json": catalog_json, "markdown": catalog_markdown}[fmt]
    click.echo(render(the_catalog), nl=False)
