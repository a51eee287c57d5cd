"""Static HTML previews: a page per dashboard with its panel grid as laid out, and an index.

Each page is drawn from the dashboard JSON the compiler writes (so it shows exactly what
Grafana will get): every panel at its ``gridPos`` on the 24-column grid, with its title,
type, unit, thresholds and queries, and its series when ``sarkmon verify`` recorded them.
Collapsed rows are drawn closed, as Grafana shows them; their panels follow the grid, each
row's on a grid of its own. The index links the dashboards and each alert's runbook.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from sarkmon.preview.charts import Line, chart, legend_name
from sarkmon.preview.series import SeriesData
from sarkmon.review.exprs import same

if TYPE_CHECKING:
    from sarkmon.pipeline import Build

COLUMN_PX = 50  # one of Grafana's 24 columns
ROW_PX = 36  # one grid unit of height
# Grafana's named colors, as its dark theme paints them.
COLORS = {
    "green": "#73bf69",
    "red": "#f2495c",
    "orange": "#ff9830",
    "yellow": "#fade2a",
    "blue": "#5794f2",
    "purple": "#b877d9",
    "dark-orange": "#fa6400",
    "dark-red": "#c4162a",
    "dark-green": "#37872d",
    "transparent": "transparent",
}
_SAFE_COLOR = re.compile(r"^[#a-zA-Z0-9(),.% -]+$")

Json = dict[str, Any]


def css_color(name: str) -> str:
    """A Grafana color as CSS; anything that is not plainly a color reads as gray."""
    color = COLORS.get(name, name)
    return color if _SAFE_COLOR.match(color) else "gray"


@dataclass(frozen=True)
class QueryView:
    ref_id: str
    expr: str
    legend: str
    instant: bool


@dataclass
class PanelBox:
    id: int
    key: str
    title: str
    type: str
    x: int
    y: int
    w: int
    h: int
    unit: str = ""
    description: str = ""
    thresholds: list[tuple[str, str]] = field(default_factory=list)  # (from, css color)
    queries: list[QueryView] = field(default_factory=list)
    chart: Markup = field(default_factory=Markup)
    note: str = ""  # about the series: none recorded, stale


@dataclass
class RowBar:
    id: int
    title: str
    y: int
    collapsed: bool


@dataclass
class Grid:
    """Panels on one grid; ``top`` shifts a collapsed row's panels to the grid's origin."""

    title: str
    panels: list[PanelBox]
    rows: list[RowBar] = field(default_factory=list)
    top: int = 0

    @property
    def height(self) -> int:
        bottoms = [p.y + p.h for p in self.panels] + [r.y + 1 for r in self.rows]
        return max(bottoms, default=0) - self.top


@dataclass
class DashboardPage:
    uid: str
    title: str
    file: str
    tags: list[str]
    variables: list[str]
    grids: list[Grid]

    @property
    def panel_count(self) -> int:
        return sum(len(g.panels) for g in self.grids)


@dataclass(frozen=True)
class AlertEntry:
    name: str
    severity: str
    team: str
    summary: str
    runbook: str


def _thresholds(defaults: Json) -> list[tuple[str, str]]:
    steps = (defaults.get("thresholds") or {}).get("steps") or []
    out = []
    for step in steps:
        value = step.get("value")
        out.append(("base" if value is None else f"{value:g}", css_color(str(step.get("color")))))
    return out


def _panel(raw: Json, key: str, series: SeriesData | None, uid: str) -> PanelBox:
    grid = raw.get("gridPos") or {}
    defaults = (raw.get("fieldConfig") or {}).get("defaults") or {}
    unit = defaults.get("unit") or ((raw.get("options") or {}).get("yAxis") or {}).get("unit", "")
    queries = [
        QueryView(
            str(t.get("refId", "")),
            str(t.get("expr", "")),
            str(t.get("legendFormat", "")),
            bool(t.get("instant")),
        )
        for t in raw.get("targets") or []
    ]
    box = PanelBox(
        id=int(raw.get("id", 0)),
        key=key,
        title=str(raw.get("title", "")),
        type=str(raw.get("type", "")),
        x=int(grid.get("x", 0)),
        y=int(grid.get("y", 0)),
        w=int(grid.get("w", 0)),
        h=int(grid.get("h", 0)),
        unit=str(unit or ""),
        description=str(raw.get("description", "")),
        thresholds=_thresholds(defaults),
        queries=queries,
    )
    if series is not None and queries:
        box.chart, box.note = _series(box, series, uid)
    return box


def _series(box: PanelBox, data: SeriesData, uid: str) -> tuple[Markup, str]:
    lines: list[Line] = []
    stale, recorded = [], 0
    for query in box.queries:
        found = data.of(uid, box.key, query.ref_id)
        if found is None:
            continue
        recorded += 1
        if not same(found.expr, query.expr):
            stale.append(query.ref_id)
            continue
        lines += [Line(legend_name(s, query.legend), s) for s in found.series]
    if stale:
        return Markup(""), f"series of {', '.join(stale)} were recorded for another query"
    drawn = chart(lines)
    if not drawn:
        return Markup(""), "the queries returned no data" if recorded else "no series recorded"
    return Markup(drawn), ""


def _all(raw_panels: list[Json]) -> Iterator[Json]:
    for panel in raw_panels:
        yield panel
        yield from panel.get("panels") or []


def dashboard_page(
    document: Json, keys: dict[int, str], series: SeriesData | None, file: str
) -> DashboardPage:
    """The page of one compiled dashboard; ``keys`` maps panel ids to the model's keys."""
    uid = str(document.get("uid", ""))
    main = Grid("", [])
    collapsed: list[Grid] = []
    for raw in document.get("panels") or []:
        grid = raw.get("gridPos") or {}
        if raw.get("type") == "row":
            bar = RowBar(
                int(raw["id"]),
                str(raw.get("title", "")),
                int(grid.get("y", 0)),
                bool(raw.get("collapsed")),
            )
            main.rows.append(bar)
            inner = raw.get("panels") or []
            if bar.collapsed and inner:
                boxes = [_panel(p, keys.get(int(p["id"]), ""), series, uid) for p in inner]
                collapsed.append(Grid(bar.title, boxes, top=min(b.y for b in boxes)))
            continue
        main.panels.append(_panel(raw, keys.get(int(raw["id"]), ""), series, uid))
    variables = [
        str(v.get("label") or v.get("name"))
        for v in (document.get("templating") or {}).get("list") or []
        if v.get("type") != "datasource"
    ]
    return DashboardPage(
        uid=uid,
        title=str(document.get("title", "")),
        file=file,
        tags=[str(t) for t in document.get("tags") or []],
        variables=variables,
        grids=[main, *collapsed],
    )


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("sarkmon.preview", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_pages(result: Build, series: SeriesData | None = None) -> dict[str, str]:
    """``{file name: html}``: ``index.html`` and one page per dashboard."""
    from importlib.resources import files

    from sarkmon.compile.grafana import compiled_dashboards
    from sarkmon.compile.grafana_layout import layout
    from sarkmon.compile.prometheus import runbook_url

    env = _environment()
    style = files("sarkmon.preview").joinpath("templates/preview.css").read_text(encoding="utf-8")
    project = result.project
    pages = []
    for item in compiled_dashboards(project):
        if item.document is None:
            continue
        placed = layout(item.dashboard.sections(project.grafana.logs))
        keys = {p.id: getattr(p.item, "key", "") for p in placed}
        pages.append(dashboard_page(item.document, keys, series, f"{item.dashboard.uid}.html"))
    alerts = [
        AlertEntry(
            a.name,
            str(a.severity),
            a.team,
            a.summary,
            runbook_url(a, project.targets),
        )
        for f in result.rule_files
        for a in f.alerts
    ]
    common = {"style": Markup(style), "column": COLUMN_PX, "row": ROW_PX, "project": project.name}
    out = {
        page.file: env.get_template("dashboard.html.j2").render(page=page, **common)
        for page in pages
    }
    out["index.html"] = env.get_template("index.html.j2").render(
        dashboards=pages,
        alerts=sorted(alerts, key=lambda a: a.name),
        series=series is not None,
        **common,
    )
    return dict(sorted(out.items()))
