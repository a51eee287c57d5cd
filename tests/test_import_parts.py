"""The parts of ``sarkmon import``: the source printer, catalog selectors, panels, variables, rules."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from sarkmon.importer.dashboards import DashboardTranslator
from sarkmon.importer.metrics import CatalogRefs, Scope, rewrite
from sarkmon.importer.panels import PanelContext, panel_call
from sarkmon.importer.pysource import (
    Call,
    Commented,
    Imports,
    Ref,
    Str,
    call,
    comment_lines,
    docstring,
    lines,
    literal,
    py,
)
from sarkmon.importer.rules import RulesTranslator
from tests.conftest import REPO


@pytest.fixture(scope="module")
def refs() -> CatalogRefs:
    return CatalogRefs("definitions.metrics", str(REPO))


def ruff_format(tmp_path: Path, text: str) -> str:
    path = tmp_path / "x.py"
    path.write_text(text)
    subprocess.run(
        [
            str(REPO / ".venv" / "bin" / "ruff"),
            "format",
            "--config",
            str(REPO / "pyproject.toml"),
            str(path),
        ],
        check=True,
        capture_output=True,
    )
    return path.read_text()


def test_the_printer_writes_what_ruff_format_would(tmp_path: Path) -> None:
    nodes = {
        "quotes": call("X", 'say "hi"', "it's", "both \"a\" and 'b'", "back\\slash\ttab\x01"),
        "braces": Str(("{{legend}} ", Ref("m.X(a={q}b{q})"), ' x{y="z"}')),
        "unicode": call("Text", "µs — 5 €", content="line one\nline two\n"),
        "lone": call("Runbook", url="https://example.com/" + "a" * 90),
        "nested": call(
            "Row", "R", (call("Stat", "s" * 50), call("Stat", "t" * 50)), collapsed=True
        ),
        "commented": call("Row", "R", (Commented(("a note", ""), call("Stat", "x")),)),
        "dict": {"k" * 30: "v" * 30, "w" * 30: (1, 2.5, None, True)},
        "statement": Str(("word " * 30,)),
        "lines": Str(("sum(x)\n", "  / sum(y)\n", "> 0.5")),
        "long_lines": Str(("sum(" + "x" * 60 + ")\n", "  / sum(" + "y" * 60 + ")\n", "> 0.5")),
        "hugged": call("m.REQUESTS", decision="deny", action=call("re", "a" * 60 + "|b*")),
        "exploded": call("m.REQUESTS", decision="d" * 45, action=call("re", "a" * 40)),
        "in_a_call": call("Rule", call("Alert", "A" * 40, "e" * 40), for_="5m"),
        "collection": ["a" * 45, "b" * 45],
    }
    text = (
        "\n".join(line for name, node in nodes.items() for line in lines(py(node), 0, f"{name} = "))
        + "\n"
    )
    assert ruff_format(tmp_path, text) == text
    hugged = lines(py(nodes["hugged"]), 0, "hugged = ")
    assert hugged == [
        "hugged = m.REQUESTS(",
        f'    decision="deny", action=re("{"a" * 60}|b*")',
        ")",
    ]
    assert len(lines(py(nodes["exploded"]), 0, "exploded = ")) == 4
    assert len(lines(py(nodes["collection"]), 0, "collection = ")) == 4
    assert lines(py(nodes["lines"]), 0, "lines = ") == ['lines = "sum(x)\\n  / sum(y)\\n> 0.5"']
    assert literal(("plain",)) == '"plain"'
    assert literal(('a "b"',)) == "'a \"b\"'"
    assert literal(("{x} ", Ref("m.Y"))) == 'f"{{x}} {m.Y}"'


def test_comments_docstrings_and_imports() -> None:
    assert comment_lines("word " * 30, 1)[0].startswith("    # word")
    assert all(len(line) <= 100 for line in comment_lines("x" * 250))
    assert docstring("Short.") == ['"""Short."""']
    assert docstring('A \\ "x" """ y\n\nSecond.') == ['"""A / "x" \'\'\' y', "", "Second.", '"""']
    imports = Imports()
    for module, name in [
        ("sarkmon.model", "re"),
        ("sarkmon.model", "AlertRule"),
        ("a.b", "CONST"),
        ("a.b", "Klass"),
    ]:
        imports.name(module, name)
    imports.module("definitions.metrics.gateway")
    with pytest.raises(ValueError, match="top-level"):
        imports.module("gateway")
    assert imports.lines() == [
        "from a.b import CONST, Klass",
        "from definitions.metrics import gateway",
        "from sarkmon.model import AlertRule, re",
    ]
    many = Imports()
    for index in range(12):
        many.name("sarkmon.model.dashboards", f"PanelClassNumber{index:02}")
    assert many.lines()[0] == "from sarkmon.model.dashboards import ("
    with pytest.raises(TypeError):
        py(object())


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # Label lists, function names, strings and __name__ selectors are not metrics.
        (
            "sum by (sark_gateway_unique_users) (up)",
            'f"sum by (sark_gateway_unique_users) ({external.UP})"',
        ),
        (
            'label_replace(up, "x", "$1", "instance", "(sark_gateway_unique_users)")',
            'f\'label_replace({external.UP}, "x", "$1", "instance", "(sark_gateway_unique_users)")\'',
        ),
        ('{__name__="up"}', None),
        ("sark_gateway_unique_users offset 5m", 'f"{gateway.UNIQUE_USERS} offset 5m"'),
        # Histogram and summary series by their accessors; a _created series stays.
        (
            "rate(sark_gateway_authz_latency_seconds_sum[5m])",
            'f"rate({gateway.AUTHZ_LATENCY_SECONDS.sum}[5m])"',
        ),
        ("sark_gateway_tool_invocation_rate_count", 'f"{gateway.TOOL_INVOCATION_RATE.count}"'),
        ("sark_gateway_authz_requests_created", None),
        # Matchers the catalog refuses, or f-strings cannot hold, stay as written.
        ('sark_gateway_authz_requests_total{decision="maybe"}', None),
        ('sark_gateway_authz_requests_total{nolabel="x"}', None),
        ('sark_gateway_authz_requests_total{action="a\\"b"}', None),
        ('sark_gateway_authz_requests_total{action="a", action="b"}', None),
        (
            "sark_gateway_authz_requests_total{action=~`a.*`}",
            "f\"{gateway.AUTHZ_REQUESTS(action=re('a.*'))}\"",
        ),
        (
            'sark_gateway_authz_requests_total{action!="x", decision!~"allow"}',
            "f\"{gateway.AUTHZ_REQUESTS(action=ne('x'), decision=not_re('allow'))}\"",
        ),
        ("sark_gateway_authz_requests_total{action=}", None),
        ("unknown_metric + 1 # a comment with up", None),
    ],
)
def test_selectors_become_catalog_objects_only_when_safe(
    refs: CatalogRefs, text: str, code: str | None
) -> None:
    made = rewrite(text, refs, Imports())
    assert literal(made.parts) == (code or literal((text,)))


def test_long_selectors_become_constants_with_variables_matched(refs: CatalogRefs) -> None:
    scope = Scope({"SERVER"})
    scope.variables["server"] = "SERVER"
    imports = Imports()
    text = 'sum(rate(sark_gateway_authz_requests_total{decision="deny", server=~"$server", action=~".*admin.*"}[5m]))'
    made = rewrite(text, refs, imports, scope)
    assert literal(made.parts) == 'f"sum(rate({AUTHZ_REQUESTS_DENY}[5m]))"'
    # Too long for a line: the arguments go together on the next one, as ruff puts them.
    assert scope.lines() == [
        "AUTHZ_REQUESTS_DENY = gateway.AUTHZ_REQUESTS(",
        '    decision="deny", server=SERVER.match, action=re(".*admin.*")',
        ")",
    ]
    again = rewrite(text.replace("[5m]", "[1h]"), refs, imports, scope)
    assert literal(again.parts) == 'f"sum(rate({AUTHZ_REQUESTS_DENY}[1h]))"'
    assert rewrite("up", None, imports).parts == ("up",)


def panel(kind: str, **extra: Any) -> dict[str, Any]:
    return {"type": kind, "title": "P", "gridPos": {"x": 0, "y": 0, "w": 12, "h": 8}, **extra}


def translate(refs: CatalogRefs, raw: dict[str, Any]) -> tuple[str, list[str]]:
    ctx = PanelContext(refs, Imports(), "panel 'P'")
    made = panel_call(ctx, raw)
    return ("\n".join(lines(made)) if made is not None else ""), ctx.notes


def test_panel_settings_and_what_they_cannot_carry(refs: CatalogRefs) -> None:
    code, notes = translate(
        refs,
        panel(
            "timeseries",
            repeat="server",
            fieldConfig={
                "defaults": {
                    "color": {"mode": "fixed", "fixedColor": "purple"},
                    "noValue": "n/a",
                    "custom": {
                        "stacking": {"mode": "percent"},
                        "drawStyle": "points",
                        "axisSoftMin": 0,
                        "scaleDistribution": {"type": "log", "log": 2},
                    },
                    "mappings": [{"type": "regex", "options": {"pattern": "x"}}],
                    "thresholds": {
                        "steps": [
                            {"color": "green", "value": None},
                            {"color": "red", "value": 5},
                            {"color": "blue", "value": 1},
                        ]
                    },
                },
                "overrides": [
                    {
                        "matcher": {"id": "byFrameRefID", "options": "B"},
                        "properties": [
                            {"id": "unit", "value": "s"},
                            {"id": "custom.width", "value": 3},
                        ],
                    },
                    {"matcher": {"id": "byType", "options": "number"}, "properties": []},
                    {
                        "matcher": {"id": "byName", "options": "x.y"},
                        "properties": [
                            {"id": "color", "value": {"mode": "fixed", "fixedColor": "red"}}
                        ],
                    },
                ],
            },
            options={"legend": {"showLegend": False}, "tooltip": {"mode": "none"}},
            links=[{"title": "t", "url": "u", "targetBlank": True, "keepTime": True}],
            targets=[
                {
                    "expr": "up",
                    "refId": "Z",
                    "instant": True,
                    "range": True,
                    "exemplar": True,
                    "hide": True,
                    "interval": "1m",
                }
            ],
        ),
    )
    assert 'color="purple"' in code and 'no_value="n/a"' in code
    assert (
        'Override(ref_id="B", unit="s")' in code and 'name_regex="^x\\\\.y$", color="red"' in code
    )
    assert 'legend=Legend(mode="hidden")' in code and 'tooltip="none"' in code
    assert (
        "stack=True" in code
        and 'draw="points"' in code
        and "soft_min=0" in code
        and "log_base=2" in code
    )
    assert 'Link("t", "u", keep_time=True)' in code
    assert 'Query(external.UP, ref_id="Z", interval="1m", hide=True, exemplars=True)' in code
    assert notes == [
        "panel 'P': query Z: runs as both range and instant; kept as range",
        "panel 'P': thresholds are not strictly increasing numbers; not carried over",
        "panel 'P': regex value mapping not carried over",
        "panel 'P': override of 'B': property 'custom.width' not carried over",
        "panel 'P': override matching byType 'number' not carried over",
        "panel 'P': stacks to 100%; stacked as values",
        "panel 'P': repeats for each value of $server; not carried over",
    ]


@pytest.mark.parametrize(
    ("raw", "expected", "note"),
    [
        (panel("news"), "", "panel type 'news' has no sarkmon panel class; left out"),
        (
            panel("text", options={"content": "# Hi", "mode": "html"}),
            'Text("P", width=12, height=8, content="# Hi", mode="html")',
            "",
        ),
        (
            panel(
                "logs",
                options={"showTime": True, "sortOrder": "Ascending", "dedupStrategy": "exact"},
                targets=[
                    {
                        "expr": '{job="x"}',
                        "refId": "A",
                        "datasource": {"type": "loki"},
                        "maxLines": 50,
                        "queryType": "instant",
                    }
                ],
            ),
            'Logs(\n    "P",\n    queries=(LogQuery(\'{job="x"}\', instant=True, max_lines=50),),\n    width=12,\n    height=8,\n    wrap=False,\n    newest_first=False,\n    dedup="exact",\n)',
            "",
        ),
        (
            panel(
                "state-timeline",
                options={"mergeValues": False, "rowHeight": 0.5},
                targets=[{"expr": "up", "refId": "A"}],
            ),
            'StateTimeline("P", queries=(external.UP,), width=12, height=8, merge_values=False, row_height=0.5)',
            "",
        ),
        (
            panel(
                "gauge",
                options={"reduceOptions": {"calcs": ["max", "min"]}},
                targets=[{"expr": "up", "refId": "A"}],
            ),
            'Gauge(\n    "P",\n    queries=(external.UP,),\n    thresholds=Thresholds("green", ((80, "red"),)),\n    width=12,\n    height=8,\n    reduce="max",\n)',
            "reduces with max, min; kept max",
        ),
        (
            panel(
                "table",
                transformations=[
                    {"id": "organize", "options": {"indexByName": {"a": 0}}},
                    {"id": "reduce"},
                ],
                targets=[{"expr": "up", "refId": "A", "format": "time_series"}],
            ),
            'Table("P", queries=(Query(external.UP, instant=False, format="time_series"),), hide_columns=())',
            "table column order (organize indexByName) not carried over",
        ),
    ],
)
def test_panel_types(refs: CatalogRefs, raw: dict[str, Any], expected: str, note: str) -> None:
    code, notes = translate(refs, raw)
    assert code == expected
    assert notes == ([f"panel 'P': {note}"] if note else []) or notes[:1] == [f"panel 'P': {note}"]


def dashboard(**extra: Any) -> dict[str, Any]:
    return {"title": "D", "panels": [], **extra}


def test_dashboard_settings_variables_and_links(refs: CatalogRefs) -> None:
    variables = [
        {"name": "ds", "type": "datasource", "query": "prometheus"},
        {"name": "datasource", "type": "custom", "query": "a,b"},
        {
            "name": "team",
            "type": "custom",
            "query": "web, db",
            "multi": True,
            "includeAll": True,
            "allValue": ".+",
            "current": {"value": ["db"]},
            "label": "Team",
            "hide": 2,
            "description": "who",
        },
        {"name": "empty", "type": "custom", "query": "$other"},
        {"name": "step", "type": "interval", "query": "1m,5m,15m,1h"},
        {"name": "bad_step", "type": "interval", "query": "auto,1m"},
        {"name": "const", "type": "constant", "query": "sark-api"},
        {"name": "box", "type": "textbox", "query": ""},
        {"name": "res", "type": "query", "query": "query_result(up)"},
        {"name": "nolabel", "type": "query", "query": "label_values(up, nolabel)"},
    ]
    translator = DashboardTranslator(
        dashboard(
            uid="Not A Valid UID!",
            refresh="1 minute",
            time={"from": "yesterday", "to": "now-1h"},
            templating={"list": variables},
            links=[
                {"type": "dashboards", "tags": ["x"], "asDropdown": False, "title": "More"},
                {"type": "link", "title": "Docs", "url": "https://docs", "targetBlank": True},
            ],
            annotations={
                "list": [{"name": "Deploys", "datasource": {"type": "loki"}, "expr": '{job="x"}'}]
            },
            panels=[
                {"type": "row", "title": "R", "repeat": "team", "gridPos": {"y": 0}, "panels": []}
            ],
        ),
        "d.json",
        refs,
    )
    parts = translator.translate()
    code = "\n".join(parts.body)
    assert translator.uid == "not-a-valid-uid"
    assert (
        'TEAM = CustomVariable(\n    "team",\n    values=("web", "db"),\n    title="Team",' in code
    )
    assert 'default="db",\n    multi=True,\n    include_all=True,\n    all_value=".+",' in code
    assert 'STEP = IntervalVariable("step")' in code
    assert 'CONST = ConstantVariable("const", value="sark-api")' in code
    assert 'time_to="now-1h"' in code and "refresh=" not in code
    assert (
        'links=(DashboardsByTag(("x",), title="More", as_dropdown=False), Link("Docs", "https://docs")),'
        in code
    )
    assert parts.notes == [
        "uid 'Not A Valid UID!' is not a valid sarkmon uid; 'not-a-valid-uid' instead",
        "datasource variable $ds: panels read ${datasource} instead",
        "variable $datasource: the name is sarkmon's own datasource variable; left out",
        "custom variable $empty ('$other') has no listed values; left out",
        "interval variable $bad_step: 'auto,1m' are not durations; left out",
        "textbox variable $box has no sarkmon equivalent; left out",
        "query variable $res (query_result(up)): only label_values(<catalog metric>, <label>) is supported; left out",
        "variable $nolabel: label 'nolabel' is not declared for up; left out",
        "row 'R' repeats for $team; not carried over",
        "refresh '1 minute' is not a duration; 30s instead",
        "time from 'yesterday' is not a relative time; now-6h instead",
        "annotation 'Deploys' does not query Prometheus; left out",
    ]


def test_panels_placed_off_the_flow_name_their_column(refs: CatalogRefs) -> None:
    def text(title: str, x: int, y: int, w: int = 6) -> dict[str, Any]:
        grid = {"x": x, "y": y, "w": w, "h": 4}
        return {"type": "text", "title": title, "gridPos": grid, "options": {"content": title}}

    panels = [
        text("A", 0, 0),
        text("Right", 18, 0),  # the flow would put it at 6
        text("Own line", 6, 4),  # the flow would put it at 0
        text("Follows", 12, 4),  # where the flow puts it after "Own line"
        text("Below", 0, 20),  # a gap no column can make: left to the flow, and reported
    ]
    code = "\n".join(DashboardTranslator(dashboard(panels=panels), "d.json", refs).translate().body)
    columns = dict(re.findall(r'Text\(\s*"([^"]+)",[^)]*?column=(\d+)', code))
    assert columns == {"Right": "18", "Own line": "6"}


RULES = """
groups:
  - name: g
    limit: 10
    query_offset: 1m
    rules:
      - record: not_a_level_name
        expr: sum(up)
      - record: job:up:sum
        expr: sum by (job) (up)
        labels: {tier: web, "bad-label": x}
      - alert: NoSeverity
        expr: up == 0
        for: 0s
        labels: {severity: info}
      - alert: Quiet
        expr: up == 0
"""


def test_rule_files_and_what_they_cannot_carry(refs: CatalogRefs) -> None:
    parts = RulesTranslator(RULES, "r.yml", "r", refs).translate()
    code = "\n".join(parts.body)
    assert 'RuleGroup(\n            "g",\n            limit=10,' in code
    assert (
        'RecordingRule(\n                    "job:up:sum", f"sum by (job) ({external.UP})", labels={"tier": "web"}\n                ),'
        in code
    )
    assert 'AlertRule("NoSeverity", f"{external.UP} == 0", severity="info")' in code
    assert 'AlertRule("Quiet", f"{external.UP} == 0")' in code
    assert parts.notes == [
        "group 'g': setting 'query_offset' not carried over",
        "recording rule not_a_level_name: names follow level:metric:operations (group g); left out",
        "recording rule job:up:sum: label name 'bad-label' is invalid; left out",
        "alert Quiet: has no severity label; sarkmon gives it warning",
    ]


def test_a_catalog_module_of_its_own(tmp_path: Path) -> None:
    (tmp_path / "shop_metrics.py").write_text(
        "from sarkmon.model import Catalog, Counter, Scrape, ScrapeJob\n"
        "ORDERS = Counter('shop_orders_total', 'Orders')\n"
        "catalog = Catalog([ORDERS], Scrape([ScrapeJob('shop', targets=('s:1',))]))\n"
    )
    own = CatalogRefs("shop_metrics", str(tmp_path))
    imports = Imports()
    made = rewrite("sum(rate(shop_orders_total[5m]))", own, imports)
    assert literal(made.parts) == 'f"sum(rate({ORDERS}[5m]))"'
    assert imports.lines() == ["from shop_metrics import ORDERS"]
    assert (own.catalog_module, own.catalog_attr) == ("shop_metrics", "catalog")
    # A package whose __init__ exports its `catalog` object over the catalog.py module.
    (tmp_path / "shadow").mkdir()
    (tmp_path / "shadow" / "catalog.py").write_text((tmp_path / "shop_metrics.py").read_text())
    (tmp_path / "shadow" / "__init__.py").write_text("from shadow.catalog import catalog\n")
    shadowed = Imports()
    made = rewrite("shop_orders_total", CatalogRefs("shadow", str(tmp_path)), shadowed)
    assert literal(made.parts) == 'f"{ORDERS}"' and shadowed.lines() == [
        "from shadow.catalog import ORDERS"
    ]
    (tmp_path / "empty_metrics.py").write_text("X = 1\n")
    from sarkmon.importer.metrics import CatalogError

    with pytest.raises(CatalogError, match="defines no Catalog"):
        CatalogRefs("empty_metrics", str(tmp_path))
    assert isinstance(call("X"), Call)
