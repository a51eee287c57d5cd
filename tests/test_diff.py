"""``sarkmon diff``: semantic changes between git commits, directories and the definitions."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import MINI_CATALOG, CliResult

PROJECT = """
from defs.alerts import rules
from defs.catalog import catalog
from defs.dashboards import dashboard
from defs.routing import routing
from sarkmon.model import Project

project = Project(
    name="t", catalog=catalog, rule_files=[rules], dashboards=[dashboard], routing=routing
)
"""

ALERTS = """
from defs.catalog import LATENCY, REQUESTS
from sarkmon.model import AlertRule, RecordingRule, RuleFile, RuleGroup

rules = RuleFile(
    "app",
    groups=[
        RuleGroup(
            "app",
            rules=[
                RecordingRule(
                    "job:app_requests:rate5m", f"sum by (job) (rate({REQUESTS}[5m]))"
                ),
                AlertRule(
                    "AppErrors",
                    f"sum(rate({REQUESTS(code='error')}[5m])) / sum(rate({REQUESTS}[5m])) > 0.3",
                    for_="5m",
                    severity="warning",
                    team="web",
                    summary="Errors",
                ),
                AlertRule(
                    "AppSlow",
                    f"histogram_quantile(0.99, sum by (le) (rate({LATENCY.bucket}[5m]))) > 1",
                    for_="10m",
                    severity="critical",
                    team="web",
                    summary="Slow",
                ),
            ],
        )
    ],
)
"""

DASHBOARD = """
from defs.catalog import QUEUE, REQUESTS
from sarkmon.model.dashboards import Dashboard, Query, Row, Stat, Thresholds, TimeSeries, sum_rate

dashboard = Dashboard(
    "app",
    "App",
    rows=(
        Row(
            "Traffic",
            (
                TimeSeries(
                    "Requests",
                    unit="reqps",
                    queries=(Query(sum_rate(REQUESTS, "code"), legend="{{code}}"),),
                ),
                Stat(
                    "Queue",
                    thresholds=Thresholds("green", ((100, "red"),)),
                    queries=(f"sum({QUEUE})",),
                ),
            ),
        ),
    ),
)
"""

ROUTING = """
from sarkmon.model.receivers import PagerDuty, Receiver, Slack
from sarkmon.model.routing import Inhibition, Route, Routing, Team

routing = Routing(
    route=Route(
        receiver="default",
        routes=[
            Route(receiver="pager", matchers=['severity="critical"'], continue_=True),
            Route(receiver="web-team", matchers=['team="web"']),
            Route(receiver="db-team", matchers=['team="db"']),
        ],
    ),
    receivers=[
        Receiver("default", [Slack("#alerts", api_url_file="/s/a")]),
        Receiver("pager", [PagerDuty(routing_key_file="/s/pd")]),
        Receiver("web-team", [Slack("#web", api_url_file="/s/w")]),
        Receiver("db-team", [Slack("#db", api_url_file="/s/d")]),
    ],
    teams=[Team("web", "web-team"), Team("db", "db-team")],
    pager="pager",
    inhibitions=[Inhibition(source=['severity="critical"'], target=['severity="warning"'])],
)
"""

FILES = {
    "__init__.py": PROJECT,
    "catalog.py": MINI_CATALOG,
    "alerts.py": ALERTS,
    "dashboards.py": DASHBOARD,
    "routing.py": ROUTING,
}


def reversed_keys(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: reversed_keys(v) for k, v in reversed(list(node.items()))}
    if isinstance(node, list):
        return [reversed_keys(item) for item in node]
    return node


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture
def repo(make_defs: Callable[..., Path], run_cli: Callable[..., CliResult]) -> Path:
    """A git repository holding the definitions and their generated output, committed."""
    root = make_defs(FILES)
    result = run_cli(
        "generate", "--root", str(root), "--definitions", "defs", "--out", str(root / "generated")
    )
    assert result.code == 0, result.err
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    return root


def edit(root: Path, module: str, old: str, new: str) -> None:
    path = root / "defs" / module
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new))


def diff_json(run_cli: Callable[..., CliResult], root: Path, *args: str) -> dict[str, Any]:
    result = run_cli(
        "diff", "--root", str(root), "--definitions", "defs", "--format", "json", *args
    )
    assert result.code == 0, result.err
    data: dict[str, Any] = json.loads(result.out)
    return data


THRESHOLD_AND_QUERY = [
    {
        "area": "dashboards",
        "action": "changed",
        "subject": "App (app)",
        "item": "panel 'Requests'",
        "field": "query A",
        "before": "sum by (code) (rate(app_requests_total[$__rate_interval]))",
        "after": "sum by (route) (rate(app_requests_total[$__rate_interval]))",
    },
    {
        "area": "alerts",
        "action": "changed",
        "subject": "AppErrors",
        "field": "threshold",
        "before": "> 0.3",
        "after": "> 0.4",
    },
]


def change_threshold_and_query(root: Path) -> None:
    edit(root, "alerts.py", "> 0.3", "> 0.4")
    edit(root, "dashboards.py", 'sum_rate(REQUESTS, "code")', 'sum_rate(REQUESTS, "route")')


def test_a_threshold_and_a_query_are_exactly_the_two_changes(
    repo: Path, run_cli: Callable[..., CliResult]
) -> None:
    change_threshold_and_query(repo)
    report = diff_json(run_cli, repo)  # HEAD against the definitions, never generated
    assert report["changes"] == THRESHOLD_AND_QUERY
    assert report["summary"] == {"dashboards": 1, "alerts": 1}
    assert report["base"].startswith("HEAD (") and report["head"] == "the working tree"

    markdown = run_cli("diff", "--root", str(repo), "--definitions", "defs").out
    assert "**2 changes**: 1 in dashboards, 1 in alerts." in markdown
    assert "- threshold `> 0.3` → `> 0.4`" in markdown
    assert (
        "- panel 'Requests': query A `sum by (code) (rate(app_requests_total[$__rate_interval]))`"
        " → `sum by (route) (rate(app_requests_total[$__rate_interval]))`"
    ) in markdown


def test_commits_and_directories_compare_alike(
    repo: Path, run_cli: Callable[..., CliResult]
) -> None:
    change_threshold_and_query(repo)
    out = repo / "generated"
    assert (
        run_cli("generate", "--root", str(repo), "--definitions", "defs", "--out", str(out)).code
        == 0
    )
    git(repo, "commit", "-q", "-am", "head")
    assert diff_json(run_cli, repo, "HEAD~1", "HEAD")["changes"] == THRESHOLD_AND_QUERY
    git(repo, "worktree", "add", "-q", str(repo / "old"), "HEAD~1")
    report = diff_json(run_cli, repo, str(repo / "old" / "generated"), str(out))
    assert report["changes"] == THRESHOLD_AND_QUERY
    assert diff_json(run_cli, repo, "HEAD")["changes"] == []


def test_formatting_only_changes_report_nothing(
    repo: Path, run_cli: Callable[..., CliResult]
) -> None:
    # Same queries spelled differently, definitions reformatted, the output re-indented.
    edit(repo, "alerts.py", "[5m])) > 0.3", "[300s]))   >   0.30")
    edit(repo, "alerts.py", 'for_="5m"', 'for_="300s"')
    edit(repo, "dashboards.py", 'queries=(f"sum({QUEUE})",)', 'queries=(f"sum ( {QUEUE} )",)')
    edit(repo, "dashboards.py", '"App",\n', '"App",  # the application\n')
    assert diff_json(run_cli, repo)["changes"] == []
    dashboard = next((repo / "generated" / "grafana").rglob("app.json"))
    dashboard.write_text(json.dumps(json.loads(dashboard.read_text()), indent=4))
    # The Alertmanager config as JSON (valid YAML), keys reversed, a duration respelled.
    config = repo / "generated" / "alertmanager" / "alertmanager.yml"
    document = yaml.safe_load(config.read_text())
    document["global"]["resolve_timeout"] = "300s"
    config.write_text(json.dumps(reversed_keys(document)))
    git(repo, "commit", "-q", "-am", "reindented")
    assert diff_json(run_cli, repo, "HEAD~1", "HEAD")["changes"] == []
    markdown = run_cli("diff", "--root", str(repo), "--definitions", "defs", "HEAD~1", "HEAD").out
    assert "No semantic changes" in markdown


def test_panels_variables_and_alerts_added_removed_renamed(
    repo: Path, run_cli: Callable[..., CliResult]
) -> None:
    edit(repo, "dashboards.py", '"Queue",', '"Queue depth",\n                    key="queue",')
    edit(repo, "dashboards.py", "((100, ", "((50, ")
    edit(repo, "dashboards.py", 'unit="reqps"', 'unit="ops"')
    edit(
        repo,
        "dashboards.py",
        "            ),\n        ),\n    ),\n)",
        "                Stat('Latency', queries=('sum(app_latency_seconds_sum)',)),\n"
        "            ),\n        ),\n    ),\n)",
    )
    edit(repo, "alerts.py", '"AppSlow"', '"AppVerySlow"')
    edit(repo, "alerts.py", 'for_="10m"', 'for_="15m"')
    report = diff_json(run_cli, repo)
    found = {
        (c["area"], c["action"], c.get("item", c["subject"]), c.get("field", ""))
        for c in report["changes"]
    }
    assert found == {
        ("dashboards", "renamed", "panel 'Queue depth'", ""),
        ("dashboards", "changed", "panel 'Queue depth'", "thresholds"),
        ("dashboards", "changed", "panel 'Requests'", "unit"),
        ("dashboards", "added", "panel 'Latency'", ""),
        ("alerts", "removed", "AppSlow", ""),
        ("alerts", "added", "AppVerySlow", ""),
    }
    added = next(c for c in report["changes"] if c["subject"] == "AppVerySlow")
    assert "reaches pager, web-team" in added["details"]
    thresholds = next(c for c in report["changes"] if c.get("field") == "thresholds")
    assert (thresholds["before"], thresholds["after"]) == (
        ["green", "100 red"],
        ["green", "50 red"],
    )


def test_routing_changes_name_the_alerts_and_receivers(
    repo: Path, run_cli: Callable[..., CliResult]
) -> None:
    edit(
        repo,
        "alerts.py",
        'team="web",\n                    summary="Errors"',
        'team="db",\n                    summary="Errors"',
    )
    edit(
        repo,
        "routing.py",
        'Route(receiver="pager", matchers=[\'severity="critical"\'], continue_=True)',
        'Route(receiver="pager", matchers=[\'severity="critical"\'], continue_=True, repeat_interval="1h")',
    )
    report = diff_json(run_cli, repo)
    routing = [c for c in report["changes"] if c["area"] == "routing"]
    assert {
        "area": "routing",
        "action": "changed",
        "subject": "AppErrors",
        "field": "receivers",
        "before": ["web-team"],
        "after": ["db-team"],
    } in routing
    assert any(
        c["subject"] == 'route {severity="critical"}' and c["field"] == "settings" for c in routing
    )
    labels = [c for c in report["changes"] if c["area"] == "alerts"]
    assert labels == [
        {
            "area": "alerts",
            "action": "changed",
            "subject": "AppErrors",
            "field": "label team",
            "before": "web",
            "after": "db",
        }
    ]


def test_a_receiver_destination_and_an_inhibition_change_show_before_and_after(
    repo: Path, run_cli: Callable[..., CliResult]
) -> None:
    edit(
        repo,
        "routing.py",
        'Slack("#web", api_url_file="/s/w")',
        'Slack("#web-x", api_url_file="/s/w")',
    )
    edit(
        repo,
        "routing.py",
        "target=['severity=\"warning\"'])",
        "target=['severity=\"warning\"'], equal=['team'])",
    )
    report = diff_json(run_cli, repo)
    assert report["changes"] == [
        {
            "area": "routing",
            "action": "changed",
            "subject": "inhibitions",
            "item": '{severity="critical"}',
            "field": "rule",
            "before": '{severity="critical"} mutes {severity="warning"}',
            "after": '{severity="critical"} mutes {severity="warning"} when equal on (team)',
        },
        {
            "area": "routing",
            "action": "changed",
            "subject": "receiver web-team",
            "item": "slack",
            "field": "channel",
            "before": "#web",
            "after": "#web-x",
        },
    ]
    markdown = run_cli("diff", "--root", str(repo), "--definitions", "defs").out
    assert "- slack: channel `#web` → `#web-x`" in markdown


def test_receivers_global_and_time_intervals_compare_field_by_field_secrets_hidden(
    repo: Path, run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    base = repo / "generated"
    head = tmp_path / "head"
    shutil.copytree(base, head)
    config = head / "alertmanager" / "alertmanager.yml"
    document = yaml.safe_load(config.read_text())
    document["global"]["resolve_timeout"] = "10m"
    web = next(r for r in document["receivers"] if r["name"] == "web-team")
    web["slack_configs"][0]["send_resolved"] = False
    web["slack_configs"][0].pop("api_url_file")
    web["slack_configs"][0]["api_url"] = "https://hooks.example.com/T0/B0/hush"
    web["email_configs"] = [{"to": "web@example.com"}]
    document["time_intervals"] = [
        {
            "name": "nights",
            "time_intervals": [{"times": [{"start_time": "00:00", "end_time": "06:00"}]}],
        }
    ]
    config.write_text(yaml.safe_dump(document))
    result = run_cli("diff", str(base), str(head), "--format", "json")
    changes = json.loads(result.out)["changes"]
    assert [
        (c["subject"], c.get("item"), c.get("field"), c.get("before"), c.get("after"))
        for c in changes
    ] == [
        ("global", None, "resolve_timeout", "5m", "10m"),
        ("receiver web-team", "email", None, None, None),
        ("receiver web-team", "slack", "api_url", "", "(a secret)"),
        ("receiver web-team", "slack", "api_url_file", "/s/w", ""),
        ("receiver web-team", "slack", "send_resolved", "true", "false"),
        ("time interval nights", None, None, None, None),
    ]
    assert "hush" not in result.out
    assert changes[1]["details"] == ["to web@example.com"]
    assert changes[-1]["details"] == ["times 00:00-06:00"]


def test_a_removed_metric_lists_who_read_it(repo: Path, run_cli: Callable[..., CliResult]) -> None:
    edit(
        repo,
        "catalog.py",
        "catalog = Catalog([REQUESTS, LATENCY, QUEUE], SCRAPE)",
        "catalog = Catalog([REQUESTS, LATENCY], SCRAPE)",
    )
    edit(
        repo,
        "dashboards.py",
        "from defs.catalog import QUEUE, REQUESTS",
        "from defs.catalog import REQUESTS\nQUEUE = 'app_requests_total'",
    )
    edit(repo, "dashboards.py", '"Queue",', '"Queue",\n                    key="queue",')
    report = diff_json(run_cli, repo)
    removed = next(c for c in report["changes"] if c["area"] == "catalog")
    assert removed["action"] == "removed" and removed["subject"] == "app_queue_depth"
    assert removed["details"][1:] == [
        "read by 1 panel(s) and rule(s):",
        "panel 'Queue' of App (app)",
    ]


def test_bad_trees_are_usage_errors(repo: Path, run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("diff", "--root", str(repo), "--definitions", "defs", "no-such-ref")
    assert result.code == 2
    assert "'no-such-ref' is neither a directory nor a git commit" in result.err
    edit(repo, "alerts.py", '"AppErrors"', '"app_errors"')
    result = run_cli("diff", "--root", str(repo), "--definitions", "defs")
    assert result.code == 2
    assert "alert 'app_errors': alert names are UpperCamelCase" in result.err
    assert result.out == ""


def test_exit_code_and_output_file(
    repo: Path, run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    change_threshold_and_query(repo)
    target = tmp_path / "report.md"
    result = run_cli(
        "diff", "--root", str(repo), "--definitions", "defs", "--exit-code", "--output", str(target)
    )
    assert result.code == 1 and result.out == ""
    assert target.read_text().startswith("## sarkmon diff: HEAD (")
