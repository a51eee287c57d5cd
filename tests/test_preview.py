"""``sarkmon preview``: the pages open in headless Chromium without errors, laid out as gridPos."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sarkmon.pipeline import Build
from sarkmon.preview.pages import COLUMN_PX, ROW_PX, render_pages
from sarkmon.preview.series import load_series, query_record, write_series
from sarkmon.tools.chromium import Chromium
from tests.conftest import REPO, CliResult

ARTIFACTS = REPO / "test-artifacts" / "preview"
START = 1_700_000_000
BOXES = """
Array.from(document.querySelectorAll('.grid')).flatMap(grid => {
  const g = grid.getBoundingClientRect();
  return Array.from(grid.querySelectorAll('.panel, .row')).map(item => {
    const r = item.getBoundingClientRect();
    return {
      kind: item.classList.contains('row') ? 'row' : 'panel',
      id: Number(item.dataset.id),
      x: r.left - g.left - grid.clientLeft, y: r.top - g.top - grid.clientTop,
      w: r.width, h: r.height,
    };
  });
})
"""


def matrix(*series: tuple[dict[str, str], list[float]]) -> dict[str, Any]:
    return {
        "resultType": "matrix",
        "result": [
            {
                "metric": {"__name__": "x", **labels},
                "values": [[START + 15 * i, str(v)] for i, v in enumerate(values)],
            }
            for labels, values in series
        ],
    }


def series_file(tmp_path: Path) -> Path:
    """What verify would record for three panels of the gateway dashboard, one of them stale."""
    uid = "sark-gateway-integration"
    rate = 'sum by (decision) (rate(sark_gateway_authz_requests_total{server=~"$server", action=~"$action"}[$__rate_interval]))'
    records = [
        query_record(
            uid,
            "authorization-requests-rate",
            "A",
            rate,
            matrix(
                ({"decision": "allow"}, [10, 12, 15, 11, 9]),
                ({"decision": "deny"}, [1, 2, 1, 3, 2]),
            ),
        ),
        query_record(
            uid,
            "denied-decisions",
            "A",
            'sum(increase(sark_gateway_authz_requests_total{server=~"$server", action=~"$action", decision="deny"}[$__range]))',
            {"resultType": "vector", "result": [{"metric": {}, "value": [START, "42"]}]},
        ),
        query_record(uid, "tool-invocations", "A", "sum(old_query)", matrix(({}, [1, 2]))),
        query_record(
            uid,
            "active-gateway-connections",
            "A",
            "sum(sark_gateway_active_connections)",
            {"resultType": "vector", "result": []},
        ),
    ]
    path = tmp_path / "series.json"
    write_series(path, START, START + 60, 15, records)
    return path


@pytest.fixture(scope="module")
def pages(sark_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("preview")
    data = load_series(series_file(out))
    for name, html in render_pages(sark_build, data).items():
        (out / name).write_text(html)
    return out


def expected_boxes(document: dict[str, Any]) -> dict[tuple[str, int], tuple[float, ...]]:
    """Where each panel and row must be drawn, from the dashboard's own gridPos."""
    out = {}
    for item in document["panels"]:
        pos = item["gridPos"]
        if item["type"] == "row":
            out[("row", item["id"])] = (0, pos["y"] * ROW_PX, 24 * COLUMN_PX, ROW_PX)
            inner = item.get("panels") or []
            top = min((p["gridPos"]["y"] for p in inner), default=0)
            for panel in inner:  # a collapsed row's panels: on a grid of their own
                p = panel["gridPos"]
                out[("panel", panel["id"])] = (
                    p["x"] * COLUMN_PX,
                    (p["y"] - top) * ROW_PX,
                    p["w"] * COLUMN_PX,
                    p["h"] * ROW_PX,
                )
            continue
        out[("panel", item["id"])] = (
            pos["x"] * COLUMN_PX,
            pos["y"] * ROW_PX,
            pos["w"] * COLUMN_PX,
            pos["h"] * ROW_PX,
        )
    return out


def check_layout(page: Any, document: dict[str, Any]) -> int:
    """Every panel and row box the browser drew is where the dashboard's gridPos puts it."""
    boxes = page.evaluate(BOXES)
    found = {(b["kind"], b["id"]): (b["x"], b["y"], b["w"], b["h"]) for b in boxes}
    expected = expected_boxes(document)
    assert found.keys() == expected.keys(), document["uid"]
    for key, box in expected.items():
        assert found[key] == pytest.approx(box, abs=0.5), (document["uid"], key)
    return len(found)


def test_pages_render_in_chromium_as_laid_out(pages: Path, sark_files: dict[str, str]) -> None:
    documents = {
        json.loads(text)["uid"]: json.loads(text)
        for path, text in sark_files.items()
        if path.startswith("grafana/dashboards/")
    }
    assert len(documents) >= 9
    measured = 0
    with Chromium() as browser:
        for uid, document in sorted(documents.items()):
            page = browser.open(pages / f"{uid}.html")
            measured += check_layout(page, document)
            page.screenshot(ARTIFACTS / f"{uid}.png")
            assert page.errors() == [], uid
            page.close()
        index = browser.open(pages / "index.html")
        links = index.evaluate(
            "Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'))"
        )
        index.screenshot(ARTIFACTS / "index.png")
        assert index.errors() == []
    assert measured > 100
    assert {f"{uid}.html" for uid in documents} <= set(links)
    runbooks = [link for link in links if link.endswith(".md")]
    assert runbooks and all(
        link.startswith("https://github.com/apathy-ca/sarkmon/") for link in runbooks
    )
    assert (ARTIFACTS / "sark-gateway-integration.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_series_are_drawn_and_stale_ones_said(pages: Path) -> None:
    html = (pages / "sark-gateway-integration.html").read_text()
    assert html.count('<svg class="chart"') == 1  # the rate panel: two lines over time
    assert html.count("<polyline") == 2
    assert 'aria-label="2 series over time"' in html
    assert "<title>allow</title>" in html and "<title>deny</title>" in html
    assert html.count('<svg class="chart bars"') == 1  # the instant stat: its last value
    assert ">42<" in html
    assert "series of A were recorded for another query" in html  # tool invocations
    assert html.count("the queries returned no data") == 1  # active connections
    # Every other panel with queries: verify recorded nothing for it.
    assert html.count("no series recorded") == html.count('<ol class="queries">') - 4


def test_the_index_links_every_dashboard_and_runbook(pages: Path, sark_build: Build) -> None:
    html = (pages / "index.html").read_text()
    for dashboard in sark_build.project.dashboards:
        assert f'<a href="{dashboard.uid}.html">' in html
    alerts = [a for f in sark_build.rule_files for a in f.alerts]
    assert html.count('">runbook</a>') == len(alerts)
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")


def test_text_is_escaped(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    from tests.conftest import MINI_CATALOG

    root = make_defs(
        {
            "catalog.py": MINI_CATALOG,
            "__init__.py": """
                from defs.catalog import QUEUE, catalog
                from sarkmon.model import Project
                from sarkmon.model.dashboards import Dashboard, Stat, Thresholds

                dashboard = Dashboard(
                    "x",
                    "<b>bold</b> & co",
                    panels=(Stat("<script>alert(1)</script>", queries=(f"{QUEUE} > 1",),
                                 thresholds=Thresholds("green", ((1, "red;background:url(x)"),))),),
                )
                project = Project(name="t", catalog=catalog, dashboards=[dashboard])
            """,
        }
    )
    out = tmp_path / "preview"
    result = run_cli("preview", "--root", str(root), "--definitions", "defs", "--out", str(out))
    assert result.code == 0, result.err
    html = (out / "x.html").read_text()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co" in html
    assert "app_queue_depth &gt; 1" in html
    assert "background: gray" in html  # a color that is not plainly one is not written


def test_a_bad_series_file_is_a_usage_error(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    bad = tmp_path / "series.json"
    bad.write_text('{"format": "something-else"}')
    result = run_cli("preview", "--out", str(tmp_path / "out"), "--series", str(bad))
    assert result.code == 2
    assert "not a sarkmon-series/1 file" in result.err


PAGE_WITH_ERRORS = """<!DOCTYPE html><html><head><title>t</title></head><body>
<img src="missing.png"><script>console.error("broken", 42); undefined_function();</script>
</body></html>"""


def test_chromium_reports_console_errors_and_failed_loads(tmp_path: Path) -> None:
    page_file = tmp_path / "bad.html"
    page_file.write_text(PAGE_WITH_ERRORS)
    with Chromium() as browser:
        page = browser.open(page_file)
        errors = page.errors()
        assert page.evaluate("1 + 1") == 2
        process = browser.process
    assert process is not None and process.poll() is not None  # stopped on the way out
    assert "console: broken 42" in errors
    assert any(e.startswith("exception: ReferenceError: undefined_function") for e in errors)
    assert any(e.startswith("log: ") and "missing.png" in e for e in errors)


def test_preview_screenshots_from_the_command_line(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    from tests.conftest import MINI_CATALOG

    root = make_defs(
        {
            "catalog.py": MINI_CATALOG,
            "__init__.py": """
                from defs.catalog import QUEUE, catalog
                from sarkmon.model import Project
                from sarkmon.model.dashboards import Dashboard, Row, Stat, Text, TimeSeries

                dashboard = Dashboard("q", "Queue", rows=(
                    Row("Queue", (Stat("Depth", queries=(str(QUEUE),)), TimeSeries("Over time", queries=(str(QUEUE),)))),
                    Row("Closed", (Stat("A", queries=(str(QUEUE),)), Stat("B", width=24, queries=(str(QUEUE),))), collapsed=True),
                    Row("After", (Text("Note", content="*x*"),)),
                ))
                project = Project(name="t", catalog=catalog, dashboards=[dashboard])
            """,
        }
    )
    out = tmp_path / "preview"
    result = run_cli(
        "preview", "--root", str(root), "--definitions", "defs", "--out", str(out), "--screenshots"
    )
    assert result.code == 0, result.out + result.err
    assert "screenshots: 2 page(s) rendered in Chromium" in result.out
    assert (out / "q.png").read_bytes()[:4] == b"\x89PNG"
    generated = tmp_path / "generated"
    assert (
        run_cli(
            "generate", "--root", str(root), "--definitions", "defs", "--out", str(generated)
        ).code
        == 0
    )
    document = json.loads(next(generated.rglob("q.json")).read_text())
    assert [p.get("collapsed") for p in document["panels"] if p["type"] == "row"] == [
        False,
        True,
        False,
    ]
    with Chromium() as browser:
        page = browser.open(out / "q.html")
        assert check_layout(page, document) == 8  # 3 rows, 5 panels (2 in the collapsed row)
        assert page.errors() == []


LIVE = """
from defs.catalog import LATENCY, QUEUE, REQUESTS, catalog
from sarkmon.model import Project
from sarkmon.model.dashboards import Dashboard, Query, Stat, TimeSeries, quantile, sum_rate

dashboard = Dashboard(
    "live",
    "Live",
    panels=(
        TimeSeries("Requests", queries=(Query(sum_rate(REQUESTS, "code"), legend="{{code}}"),)),
        TimeSeries("Latency", unit="s", queries=(Query(quantile(0.9, LATENCY), legend="p90"),)),
        Stat("Queue", queries=(f"max({QUEUE})",)),
    ),
)
project = Project(name="t", catalog=catalog, dashboards=[dashboard])
"""


def test_verify_records_the_series_preview_draws(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    from tests.conftest import MINI_CATALOG

    root = make_defs({"catalog.py": MINI_CATALOG, "__init__.py": LIVE})
    series = tmp_path / "series.json"
    ran = run_cli(
        "verify", "--root", str(root), "--definitions", "defs", "--series-out", str(series)
    )
    assert ran.code == 0, ran.out + ran.err
    assert f"series of 3 panel queries written to {series}" in ran.out
    data = load_series(series)
    requests = data.of("live", "requests", "A")
    assert requests is not None and {s.labels["code"] for s in requests.series} == {"ok", "error"}
    assert all(len(s.points) > 10 for s in requests.series)
    out = tmp_path / "preview"
    shown = run_cli(
        "preview",
        "--root",
        str(root),
        "--definitions",
        "defs",
        "--out",
        str(out),
        "--series",
        str(series),
    )
    assert shown.code == 0, shown.err
    html = (out / "live.html").read_text()
    assert html.count('<svg class="chart"') == 3  # stat queries are range queries too
    assert "<title>ok</title>" in html and "<title>p90</title>" in html
    assert "no series recorded" not in html and "returned no data" not in html
