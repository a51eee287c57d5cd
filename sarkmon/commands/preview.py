"""``sarkmon preview``: static HTML pages of the dashboards, for review without a Grafana."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sarkmon.commands.common import (
    EXIT_FINDINGS,
    EXIT_USAGE,
    definitions_option,
    echo_findings,
    load_or_exit,
)


@click.command()
@definitions_option
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Directory to write.")
@click.option(
    "--series",
    type=click.Path(dir_okay=False),
    help="A sarkmon-series/1 file (what sarkmon verify recorded): draw each panel's series.",
)
@click.option(
    "--screenshots",
    is_flag=True,
    help="Also open each page in headless Chromium: fail on console errors, save a PNG.",
)
def preview(package: str, root: str, out: str, series: str | None, screenshots: bool) -> None:
    """Write index.html and a page per dashboard: the panel grid as Grafana lays it out,
    with titles, types, units, thresholds and queries; the index links each alert's runbook.
    """
    from sarkmon.pipeline import build
    from sarkmon.preview.pages import render_pages
    from sarkmon.preview.series import SeriesError, load_series

    result = build(load_or_exit(package, root))
    if result.errors:
        echo_findings(result.errors)
        sys.exit(EXIT_USAGE)
    data = None
    if series:
        try:
            data = load_series(Path(series))
        except SeriesError as err:
            click.echo(f"sarkmon preview: {err}", err=True)
            sys.exit(EXIT_USAGE)
    pages = render_pages(result, data)
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    for name, html in pages.items():
        (target / name).write_text(html, encoding="utf-8")
    click.echo(f"wrote {out}/: {len(pages) - 1} dashboard page(s) and index.html")
    if screenshots and not _screenshots(target, sorted(pages)):
        sys.exit(EXIT_FINDINGS)


def _screenshots(target: Path, names: list[str]) -> bool:
    from sarkmon.tools.chromium import BrowserError, Chromium
    from sarkmon.tools.runner import ToolMissing

    clean = True
    try:
        with Chromium() as browser:
            for name in names:
                page = browser.open(target / name)
                page.screenshot(target / (Path(name).stem + ".png"))
                for error in page.errors():
                    click.echo(f"FAIL  {name}: {error}")
                    clean = False
                page.close()
    except (ToolMissing, BrowserError) as err:
        click.echo(f"sarkmon preview: {err}", err=True)
        return False
    click.echo(
        f"screenshots: {len(names)} page(s) rendered in Chromium"
        + ("" if clean else ", with errors")
    )
    return clean
