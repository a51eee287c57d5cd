"""Docs: metrics reference, runbooks, alerting guide and index, and the links between them."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest
import yaml
from markdown_it import MarkdownIt

from sarkmon import pipeline
from sarkmon.check import CheckContext
from sarkmon.check.docs import headings, link_problems, runbook_links
from sarkmon.compile.markdown import anchors, environment, prose, render, squeeze_blank_lines
from sarkmon.load import load_project
from sarkmon.model.metrics import Histogram, Status
from sarkmon.output import write_tree
from sarkmon.pipeline import Build, build
from sarkmon.views import DashboardView, PanelView, TargetView
from tests.conftest import MINI_CATALOG, CliResult

HTML = MarkdownIt("commonmark").enable("table")  # raw HTML passes through, as on most sites


def html_of(markdown: str) -> str:
    return HTML.render(markdown)


# -- SARK's docs ---------------------------------------------------------------------------


def test_every_alert_has_its_runbook_and_every_link_resolves(
    sark_build: Build, sark_files: dict[str, str], tmp_path: Path
) -> None:
    names = {a.name for f in sark_build.rule_files for a in f.alerts}
    runbooks = {p for p in sark_files if p.startswith("docs/runbooks/")}
    assert runbooks == {f"docs/runbooks/{n}.md" for n in names}
    rules = yaml.safe_load(sark_files["prometheus/rules/gateway.yml"])
    base = sark_build.project.targets.runbook_base_url
    for rule in rules["groups"][0]["rules"]:
        url = rule["annotations"]["runbook_url"]
        assert url == f"{base}/{rule['alert']}.md"
    tree = tmp_path / "generated"
    write_tree(sark_files, tree)
    outcome = runbook_links(CheckContext(sark_build, sark_files, tree, tree))
    assert outcome.ok, outcome.details
    links = sum(len(f.alerts) for f in sark_build.rule_files) * 4  # rules, tests, k8s, rulers
    assert outcome.summary == f"{links} alert runbook links and every docs link resolve"


def test_metrics_reference_lists_every_catalog_metric(
    sark_build: Build, sark_files: dict[str, str]
) -> None:
    page = sark_files["docs/metrics.md"]
    listed = re.findall(r"^### `(.+)`$", page, re.M)
    assert sorted(listed) == sorted(m.display_name for m in sark_build.catalog)
    assert len(listed) == len(sark_build.catalog) > 100
    # Usage comes from the analyzed sites: alerts and runbook queries of the gateway file.
    section = page.split("### `sark_gateway_authz_requests_total`")[1].split("\n### ")[0]
    assert "- alert [HighDenyRate](runbooks/HighDenyRate.md)" in section
    assert "- runbook query of [HighGatewayRequestVolume]" in section
    assert "| `decision` | `allow`, `deny` |" in section
    assert "| Target label `job` | `sark-api` |" in section
    latency = page.split("### `sark_gateway_authz_latency_seconds`")[1].split("\n### ")[0]
    histogram = sark_build.catalog["sark_gateway_authz_latency_seconds"]
    assert isinstance(histogram, Histogram)
    les = histogram.le_values()
    assert f"| Buckets (`le`) | {', '.join(les)} |" in latency
    assert les[-1] == "+Inf"
    # Dormant metrics say so where they are listed and where they are described.
    dormant = "| Dormant | SARK defines it but does not record it yet: no data until it does |"
    assert dormant in latency and "| histogram | emitted, dormant | seconds |" in page
    recorded = page.split("### `http_request_duration_seconds`")[1].split("\n### ")[0]
    assert "| Status | emitted |" in recorded and dormant not in recorded
    runbook = sark_files["docs/runbooks/HighDenyRate.md"]
    assert "counter, emitted (dormant: SARK does not record it yet, so it has no data)" in runbook


def test_sark_runbook_reads_as_written(sark_files: dict[str, str]) -> None:
    page = sark_files["docs/runbooks/HighGatewayAuthorizationLatency.md"]
    assert page.startswith(
        "# HighGatewayAuthorizationLatency\n\nHigh Gateway authorization latency\n"
    )
    assert "| Owner team | platform |" in page
    assert (
        "It fires when `job:sark_gateway_authz_latency_seconds:p95_5m` is above 0.05, "
        "for at least 5m."
    ) in page
    assert (
        "| Threshold | `> 0.05` (50ms) on `job:sark_gateway_authz_latency_seconds:p95_5m` |"
    ) in page
    assert "| Evaluated every | 30s (group `gateway_integration`) |" in page
    assert (
        "1. Query:\n\n   ```promql\n   histogram_quantile(0.95, sum by (le, action) "
        "(rate(sark_gateway_authz_latency_seconds_bucket[5m])))\n   ```"
    ) in page
    assert "1. Check OPA latency and the policy cache hit rate.\n" in page
    assert "amtool silence add alertname=HighGatewayAuthorizationLatency" in page
    assert "| Notifies | `platform-team` (every 4h) |" in page
    assert (
        "## When it is muted\n\nAlertmanager holds this alert back while one of these fires"
    ) in page
    assert (
        "- [CriticalGatewayAuthorizationLatency](CriticalGatewayAuthorizationLatency.md), " in page
    )
    critical = sark_files["docs/runbooks/CriticalGatewayAuthorizationLatency.md"]
    assert "| Notifies | `oncall-pager` (every " in critical
    assert "## When it is muted" not in critical


def test_alerting_guide_and_index(sark_files: dict[str, str]) -> None:
    guide = sark_files["docs/alerting.md"]
    assert "| **critical** |" in guide and "| **warning** |" in guide
    # Receivers come from evaluating the routing tree on each alert's labels.
    assert (
        "| [HighDenyRate](runbooks/HighDenyRate.md) | warning | security | `security-team` |"
    ) in guide
    assert (
        "| [ZeroCacheHits](runbooks/ZeroCacheHits.md) | critical | platform | "
        "`oncall-pager`, `platform-team` |"
    ) in guide
    assert "- critical: oncall-pager and the owner team's receiver\n" in guide
    assert "| platform | `platform-team` |" in guide
    assert (
        '| `{alertname="ZeroCacheHits"}` | `{alertname="LowGatewayCacheHitRate"}` | '
        "`cluster`, `environment`, `instance` |"
    ) in guide
    index = sark_files["docs/index.md"]
    assert "| [ZeroCacheHits](runbooks/ZeroCacheHits.md) | critical | platform |" in index


# -- A project written to break them --------------------------------------------------------

HOSTILE_CATALOG = MINI_CATALOG.replace(
    'QUEUE = Gauge("app_queue_depth", "Queue depth")',
    'QUEUE = Gauge("app_queue_depth", "Queue <script>alert(1)</script> depth | & more")',
).replace('labels=("route",), buckets=', 'labels=("route",), unit="seconds", buckets=')
HOSTILE_ALERTS = """
from defs.catalog import LATENCY, QUEUE, REQUESTS
from sarkmon.model import AlertRule, RuleFile, RuleGroup, Runbook

SLOW = f"histogram_quantile(0.99, sum by (le) (rate({LATENCY.bucket}[5m])))"
RUNBOOK = Runbook(
    impact="Users <b>wait</b>.",
    diagnosis=(
        f"sum by (route) (rate({LATENCY.count}[5m]))",
        "Look at the logs: `kubectl logs <pod> | grep ERROR`",
    ),
    mitigation=("Restart <img src=x onerror=alert(1)> the worker.",),
)
rules = RuleFile(
    "app",
    groups=[
        RuleGroup(
            "app",
            interval="1m",
            rules=[
                AlertRule(
                    "AppSlow",
                    f"{SLOW} > 0.5",
                    for_="10m",
                    severity="warning",
                    team="web",
                    summary="Slow <i>app</i>",
                    description="p99 is {{ $value | humanizeDuration }}",
                    runbook=RUNBOOK,
                    dashboards=("app",),
                ),
                AlertRule(
                    "AppSlow",
                    f"{SLOW} > 1",
                    for_="5m",
                    severity="critical",
                    team="web",
                    runbook=RUNBOOK,
                ),
                AlertRule("QueueHigh", f"{QUEUE} > 10", summary="Queue", team="web"),
            ],
        )
    ],
)
"""
HOSTILE_PROJECT = """
from defs.catalog import catalog
from defs.alerts import rules
from sarkmon.model import Project
from sarkmon.model.targets import Targets

project = Project(
    name="app",
    catalog=catalog,
    rule_files=[rules],
    targets=Targets(
        runbook_base_url="https://runbooks.example/app/", grafana_url="https://grafana.example/"
    ),
)
"""
PANEL_OWNER = object()


def hostile_views(project: object) -> list[DashboardView]:
    target = TargetView("sum(rate(app_latency_seconds_count[5m]))", ref_id="A")
    panel = PanelView("p1", "Request <rate>", "timeseries", targets=(target,), owner=PANEL_OWNER)
    return [DashboardView("app", "App & <co>", panels=(panel,))]


@pytest.fixture
def hostile(make_defs: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Build:
    monkeypatch.setattr(pipeline, "DASHBOARD_VIEWS", ("tests.test_docs:hostile_views",))
    root = make_defs(
        {"catalog.py": HOSTILE_CATALOG, "alerts.py": HOSTILE_ALERTS, "__init__.py": HOSTILE_PROJECT}
    )
    project, problems = load_project("defs", str(root))
    assert not problems
    return build(project)


@pytest.fixture
def hostile_docs(hostile: Build) -> dict[str, str]:
    return {p: t for p, t in pipeline.render(hostile).items() if p.startswith("docs/")}


def test_user_text_is_never_raw_html(hostile_docs: dict[str, str]) -> None:
    assert len(hostile_docs) == 5
    for path, text in hostile_docs.items():
        rendered = html_of(text)
        for tag in ("<script", "<img", "<b>", "<i>", "<co>", "<rate>"):
            assert tag not in text, (path, tag)
            assert tag not in rendered, (path, tag)
    metrics = hostile_docs["docs/metrics.md"]
    assert "Queue &lt;script&gt;alert(1)&lt;/script&gt; depth \\| &amp; more" in metrics
    assert "<p>Queue &lt;script&gt;alert(1)&lt;/script&gt; depth | &amp; more</p>" in html_of(
        metrics
    )


def test_code_spans_in_user_text_stay_literal(hostile_docs: dict[str, str]) -> None:
    page = hostile_docs["docs/runbooks/AppSlow.md"]
    assert "2. Look at the logs: `kubectl logs <pod> | grep ERROR`" in page
    assert "<code>kubectl logs &lt;pod&gt; | grep ERROR</code>" in html_of(page)


def test_variants_share_one_runbook(hostile_docs: dict[str, str]) -> None:
    page = hostile_docs["docs/runbooks/AppSlow.md"]
    assert "| Severity | **warning**:" in page and "| Severity | **critical**:" in page
    assert "### Warning\n" in page and "### Critical\n" in page
    assert "| Threshold | `> 0.5` (500ms)" in page and "| Threshold | `> 1` (1s)" in page
    assert "| Pending for | 10m |" in page and "| Pending for | 5m |" in page
    # Entries shared by both variants appear once.
    assert page.count("Users &lt;b&gt;wait&lt;/b&gt;.") == 1
    assert "1. Query:\n\n   ```promql\n   sum by (route)" in page
    queue = hostile_docs["docs/runbooks/QueueHigh.md"]
    assert "| Pending for | 0s (fires on the first evaluation) |" in queue
    assert "No diagnosis steps yet" in queue and "No dashboard is linked" in queue


def test_runbook_points_to_dashboards_and_panels(hostile_docs: dict[str, str]) -> None:
    page = hostile_docs["docs/runbooks/AppSlow.md"]
    assert "- [App &amp; &lt;co&gt;](https://grafana.example/d/app) (`app`)" in page
    assert "- [App &amp; &lt;co&gt;](https://grafana.example/d/app): Request &lt;rate&gt;" in page
    metrics = hostile_docs["docs/metrics.md"]
    assert "- panel Request &lt;rate&gt; on App &amp; &lt;co&gt;" in metrics


def test_runbook_links_and_doc_links_are_checked(hostile: Build, tmp_path: Path) -> None:
    files = pipeline.render(hostile)
    tree = tmp_path / "generated"
    write_tree(files, tree)
    assert runbook_links(CheckContext(hostile, files, tree, tree)).ok
    broken = {k: v for k, v in files.items() if k != "docs/runbooks/QueueHigh.md"}
    broken["docs/index.md"] += "\nSee [the guide](alerting.md#nowhere) and [x](gone.md).\n"
    outcome = runbook_links(CheckContext(hostile, broken, tree, tree))
    assert not outcome.ok
    assert outcome.details == [
        "prometheus/rules/app.yml: alert QueueHigh: https://runbooks.example/app/QueueHigh.md "
        "names docs/runbooks/QueueHigh.md, which is not generated",
        "docs/alerting.md: link to runbooks/QueueHigh.md: no such page",
        "docs/index.md: link to runbooks/QueueHigh.md: no such page",
        "docs/index.md: link to alerting.md#nowhere: no such heading",
        "docs/index.md: link to gone.md: no such page",
        "docs/metrics.md: link to runbooks/QueueHigh.md: no such page",
    ]


def test_without_a_base_url_alerts_link_no_runbook_and_the_check_says_so(
    make_defs: Callable[..., Path], tmp_path: Path
) -> None:
    alerts = HOSTILE_ALERTS.replace('dashboards=("app",),', "")
    no_base = HOSTILE_PROJECT.replace('runbook_base_url="https://runbooks.example/app/", ', "")
    root = make_defs({"catalog.py": MINI_CATALOG, "alerts.py": alerts, "__init__.py": no_base})
    project, _ = load_project("defs", str(root))
    result = build(project)
    files = pipeline.render(result)
    assert "runbook_url" not in files["prometheus/rules/app.yml"]
    outcome = runbook_links(CheckContext(result, files, tmp_path, tmp_path))
    assert outcome.ok
    assert outcome.summary == (
        "0 alert runbook links and every docs link resolve; 3 alerts link no runbook: "
        "Targets.runbook_base_url is not set"
    )
    # With a base URL, a rule file that lost an alert's link fails the check.
    with_base = build(load_project("defs", str(make_defs({"__init__.py": HOSTILE_PROJECT})))[0])
    files = pipeline.render(with_base)
    path = "prometheus/rules/app.yml"
    files[path] = re.sub(r"\n *runbook_url: .*QueueHigh.md", "", files[path])
    outcome = runbook_links(CheckContext(with_base, files, tmp_path, tmp_path))
    assert outcome.details == ["prometheus/rules/app.yml: alert QueueHigh: no runbook_url"]


def test_unknown_dashboard_in_an_alert_is_refused(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    root = make_defs(
        {"catalog.py": MINI_CATALOG, "alerts.py": HOSTILE_ALERTS, "__init__.py": HOSTILE_PROJECT}
    )
    out = tmp_path / "out"
    result = run_cli("generate", "--root", str(root), "--definitions", "defs", "--out", str(out))
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        "defs/alerts.py:20: error [runbook/unknown-dashboard] alert 'AppSlow': unknown dashboard "
        "'app' (uids: none)"
    )


def test_runbook_queries_are_checked_like_every_expression(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    alerts = HOSTILE_ALERTS.replace(
        'f"sum by (route) (rate({LATENCY.count}[5m]))"', '"sum(rate(app_latncy_seconds_count[5m]))"'
    ).replace('dashboards=("app",),', "")
    root = make_defs(
        {"catalog.py": MINI_CATALOG, "alerts.py": alerts, "__init__.py": HOSTILE_PROJECT}
    )
    result = run_cli(
        "generate", "--root", str(root), "--definitions", "defs", "--out", str(tmp_path / "o")
    )
    assert result.code == 2
    lines = result.err.splitlines()
    assert lines[0] == (
        "defs/alerts.py:20: error [catalog/unknown-metric] alert 'AppSlow' runbook diagnosis 1: "
        "unknown metric 'app_latncy_seconds_count' (did you mean app_latency_seconds_count?)"
    )
    # The prose step ("Look at the logs: ...") is not a query, so it is not an error.
    assert not any("diagnosis 2" in line for line in lines)


# -- The Markdown layer ----------------------------------------------------------------------


def test_prose_escapes_html_but_keeps_code_spans() -> None:
    assert prose("a <b> & `c <d>` and ``e ` f``") == "a &lt;b&gt; &amp; `c <d>` and ``e ` f``"
    assert prose("unmatched ` <x>") == "unmatched ` &lt;x&gt;"


def test_blank_lines_are_squeezed_outside_code_blocks_only() -> None:
    text = "# A\n\n\n\ntext\n````\nx\n\n\n```\ny\n````\n\n\nend\n\n"
    assert squeeze_blank_lines(text) == "# A\n\ntext\n````\nx\n\n\n```\ny\n````\n\nend\n"


def test_anchors_follow_github() -> None:
    assert anchors(["`sark_x_total`", "Gateway & Policy", "audit", "audit"]) == [
        "sark_x_total",
        "gateway--policy",
        "audit",
        "audit-1",
    ]
    assert headings("# A\n```\n# not a heading\n```\n## `b`\n") == ["A", "b"]
    assert link_problems({"docs/a.md": "# T\n[x](#t) [y](#u)\n"}) == [
        "docs/a.md: link to #u: no such heading"
    ]


def test_templates_fail_loudly_on_undefined_names() -> None:
    template = environment().from_string("{{ missing }}")
    with pytest.raises(jinja2.UndefinedError):
        template.render()
    assert render(
        "docs/index.md.j2", project=type("P", (), {"name": "x"}), pages=[], dashboards=[]
    ).startswith("# x monitoring\n")


def test_docs_for_a_project_without_alerts_or_dashboards(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    root = make_defs(
        {
            "catalog.py": MINI_CATALOG,
            "__init__.py": "from defs.catalog import catalog\nfrom sarkmon.model import Project\n"
            'project = Project(name="bare", catalog=catalog)\n',
        }
    )
    out = tmp_path / "out"
    result = run_cli("generate", "--root", str(root), "--definitions", "defs", "--out", str(out))
    assert result.code == 0, result.err
    index = (out / "docs/index.md").read_text()
    assert "No alerts are defined." in index and "No dashboards are defined." in index
    metrics = (out / "docs/metrics.md").read_text()
    assert re.findall(r"^### `(.+)`$", metrics, re.M) == [
        "app_latency_seconds",
        "app_queue_depth",
        "app_requests_total",
    ]
    assert metrics.count("Not read by any dashboard, alert or recording rule.") == 3
    assert Status.EMITTED.value in metrics


# -- Usage through recording rules ------------------------------------------------------------

RECORDED_ALERTS = """
from sarkmon.model import AlertRule, RecordingRule, RuleFile, RuleGroup

P99 = RecordingRule(
    "job:app_latency_seconds:p99_5m",
    "histogram_quantile(0.99, sum by (job, le) (rate(app_latency_seconds_bucket[5m])))",
    help="p99 latency",
    unit="seconds",
)
# One name recorded twice, told apart by a label: readers of one do not read the other.
QUEUE_SIGNAL = RecordingRule("job:app_signal:max", "max by (job) (app_queue_depth)",
                             labels={"signal": "queue"}, help="Signal")
REQUEST_SIGNAL = RecordingRule("job:app_signal:max",
                               "max by (job) (rate(app_requests_total[5m]))",
                               labels={"signal": "requests"}, help="Signal")
# A recording of a recording: its readers read the histogram two steps away.
P99_MAX = RecordingRule("job:app_latency_seconds:p99_max1h",
                        "max_over_time(job:app_latency_seconds:p99_5m[1h])", help="Worst p99")
rules = RuleFile(
    "app",
    groups=[
        RuleGroup("recordings", rules=[P99, QUEUE_SIGNAL, REQUEST_SIGNAL, P99_MAX]),
        RuleGroup(
            "alerts",
            rules=[
                AlertRule("AppSlowRecorded", "job:app_latency_seconds:p99_5m > 0.5",
                          summary="Slow", team="web"),
                AlertRule("QueueSignal", 'job:app_signal:max{signal="queue"} > 10',
                          summary="Queue", team="web"),
                AlertRule("SlowAllHour", "job:app_latency_seconds:p99_max1h > 1",
                          summary="Slow all hour", team="web"),
            ],
        ),
    ],
)
"""
RECORDED_PROJECT = HOSTILE_PROJECT.replace('name="app"', 'name="recorded"')


def recorded_views(project: object) -> list[DashboardView]:
    target = TargetView("max(job:app_latency_seconds:p99_5m)", ref_id="A")
    panel = PanelView("p1", "Worst p99", "timeseries", targets=(target,), owner=PANEL_OWNER)
    return [DashboardView("app", "App", panels=(panel,))]


@pytest.fixture
def recorded_metrics_page(
    make_defs: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    monkeypatch.setattr(pipeline, "DASHBOARD_VIEWS", ("tests.test_docs:recorded_views",))
    root = make_defs(
        {"catalog.py": MINI_CATALOG, "alerts.py": RECORDED_ALERTS, "__init__.py": RECORDED_PROJECT}
    )
    project, problems = load_project("defs", str(root))
    assert not problems
    page = pipeline.render(build(project))["docs/metrics.md"]
    return {
        name: page.split(f"### `{name}`\n")[1].split("\n### ")[0]
        for name in re.findall(r"^### `(.+)`$", page, re.M)
    }


def used_by(section: str) -> list[str]:
    return [line for line in section.split("Used by:\n")[1].splitlines() if line.startswith("- ")]


def test_used_by_follows_recording_rules_to_alerts_and_panels(
    recorded_metrics_page: dict[str, str],
) -> None:
    p99 = "[`job:app_latency_seconds:p99_5m`](#jobapp_latency_secondsp99_5m)"
    p99_max = "[`job:app_latency_seconds:p99_max1h`](#jobapp_latency_secondsp99_max1h)"
    assert used_by(recorded_metrics_page["app_latency_seconds"]) == [
        f"- alert [AppSlowRecorded](runbooks/AppSlowRecorded.md) via {p99}",
        f"- alert [SlowAllHour](runbooks/SlowAllHour.md) via {p99_max}",
        f"- panel Worst p99 on App via {p99}",
        f"- recording {p99}",
        f"- recording {p99_max} via {p99}",
    ]
    # The recording's own section lists its readers the same way.
    assert used_by(recorded_metrics_page["job:app_latency_seconds:p99_5m"]) == [
        "- alert [AppSlowRecorded](runbooks/AppSlowRecorded.md)",
        f"- alert [SlowAllHour](runbooks/SlowAllHour.md) via {p99_max}",
        "- panel Worst p99 on App",
        f"- recording {p99_max}",
    ]


def test_used_by_tells_recordings_of_one_name_apart_by_their_labels(
    recorded_metrics_page: dict[str, str],
) -> None:
    signal = "[`job:app_signal:max`](#jobapp_signalmax)"
    assert used_by(recorded_metrics_page["app_queue_depth"]) == [
        f"- alert [QueueSignal](runbooks/QueueSignal.md) via {signal}",
        f"- recording {signal}",
    ]
    assert used_by(recorded_metrics_page["app_requests_total"]) == [f"- recording {signal}"]
