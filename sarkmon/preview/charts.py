"""A panel's series drawn as inline SVG: lines over time, or the last values as bars.

No scripts and no external assets: a preview page is one self-contained file. Every text
that comes from data is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape

from sarkmon.preview.series import Series

WIDTH, HEIGHT = 400, 120
MAX_SERIES = 8
PALETTE = ("#73bf69", "#f2cc0c", "#8ab8ff", "#ff780a", "#f2495c", "#5794f2", "#b877d9", "#705da0")
_LEGEND_RE = re.compile(r"\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}")


@dataclass(frozen=True)
class Line:
    name: str
    series: Series


def legend_name(series: Series, legend: str) -> str:
    """The series' name as Grafana shows it: the legend format filled in, or its labels."""
    if legend:
        return _LEGEND_RE.sub(lambda m: series.labels.get(m.group(1), ""), legend)
    if not series.labels:
        return "value"
    return "{" + ", ".join(f'{k}="{v}"' for k, v in sorted(series.labels.items())) + "}"


def number(value: float) -> str:
    """Short, exact enough for an axis: 0.05, 12.5, 1.2k, 3.4M."""
    size = abs(value)
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if size >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.3g}"


def _time(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%H:%M")


def chart(lines: Sequence[Line]) -> str:
    """SVG markup for the lines: a polyline each when they hold points over time, else bars
    of their last values. Empty when there is nothing to draw."""
    drawn = [line for line in lines if line.series.points][:MAX_SERIES]
    if not drawn:
        return ""
    if all(len(line.series.points) > 1 for line in drawn):
        svg = _over_time(drawn)
    else:
        svg = _last_values(drawn)
    more = len([line for line in lines if line.series.points]) - len(drawn)
    if more > 0:
        svg += f'<p class="more">and {more} more series</p>'
    return svg


def _over_time(lines: Sequence[Line]) -> str:
    points = [p for line in lines for p in line.series.points]
    t0, t1 = min(p[0] for p in points), max(p[0] for p in points)
    v0, v1 = min(p[1] for p in points), max(p[1] for p in points)
    if v0 == v1:
        v0, v1 = v0 - 1, v1 + 1
    span_t = (t1 - t0) or 1.0

    def xy(point: tuple[float, float]) -> str:
        x = 40 + (point[0] - t0) / span_t * (WIDTH - 50)
        y = 10 + (v1 - point[1]) / (v1 - v0) * (HEIGHT - 30)
        return f"{x:.1f},{y:.1f}"

    bottom = HEIGHT - 4
    out = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{len(lines)} series over time">',
        _label(36, 14, number(v1), "end"),
        _label(36, HEIGHT - 20, number(v0), "end"),
        _label(40, bottom, _time(t0)),
        _label(WIDTH - 10, bottom, _time(t1), "end"),
    ]
    for index, line in enumerate(lines):
        color = PALETTE[index % len(PALETTE)]
        path = " ".join(xy(p) for p in line.series.points)
        out.append(
            f'<polyline fill="none" stroke="{color}" stroke-width="1.5" points="{path}">'
            f"<title>{escape(line.name)}</title></polyline>"
        )
    out.append("</svg>")
    out.append(_legend(lines))
    return "".join(out)


def _label(x: float, y: float, text: str, anchor: str = "start") -> str:
    return f'<text class="axis" x="{x}" y="{y}" text-anchor="{anchor}">{escape(text)}</text>'


def _last_values(lines: Sequence[Line]) -> str:
    values = [line.series.points[-1][1] for line in lines]
    top = max(abs(v) for v in values) or 1.0
    height = 18 * len(lines) + 4
    out = [
        f'<svg class="chart bars" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{len(lines)} values">'
    ]
    for index, (line, value) in enumerate(zip(lines, values, strict=True)):
        color = PALETTE[index % len(PALETTE)]
        y = 4 + index * 18
        width = max(abs(value) / top * (WIDTH - 170), 1)
        out.append(
            f'<text class="axis" x="0" y="{y + 11}">{escape(line.name[:28])}</text>'
            f'<rect x="120" y="{y}" width="{width:.1f}" height="12" fill="{color}"/>'
            f'<text class="axis" x="{124 + width:.1f}" y="{y + 11}">{escape(number(value))}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def _legend(lines: Sequence[Line]) -> str:
    items = "".join(
        f'<li><span class="swatch" style="background:{PALETTE[i % len(PALETTE)]}"></span>'
        f"{escape(line.name)}</li>"
        for i, line in enumerate(lines)
    )
    return f'<ul class="legend">{items}</ul>'
