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


# -- each kind of change, with its exact record and Markdown line -------------------------------
Edit = tuple[str, str, str]  # module, text, its replacement


def apply(root: Path, edits: list[Edit]) -> None:
    for module, old, new in edits:
        edit(root, module, old, new)


def commit_generated(root: Path, run_cli: Callable[..., CliResult], message: str) -> None:
    """Generate the definitions into the repository's output and commit them (new files too)."""
    out = str(root / "generated")
    assert run_cli("generate", "--root", str(root), "--definitions", "defs", "--out", out).code == 0
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def diff_markdown(run_cli: Callable[..., CliResult], root: Path, *args: str) -> list[str]:
    result = run_cli("diff", "--root", str(root), "--definitions", "defs", *args)
    assert result.code == 0, result.err
    return result.out.splitlines()


P99 = "histogram_quantile(0.99, sum by (le) (rate(app_latency_seconds_bucket[5m])))"

# (edits, the report's exact changes, one of its Markdown lines)
CHANGES: dict[str, tuple[list[Edit], list[dict[str, Any]], str]] = {
    "dashboard renamed": (
        [("dashboards.py", '"App",\n', '"Application",\n')],
        [
            {
                "area": "dashboards",
                "action": "renamed",
                "subject": "Application (app)",
                "before": "App",
                "after": "Application",
            }
        ],
        "- renamed `App` → `Application`",
    ),
    "dashboard uid": (  # the same title: the same dashboard, under a new uid
        [("dashboards.py", 'Dashboard(\n    "app",', 'Dashboard(\n    "app-v2",')],
        [
            {
                "area": "dashboards",
                "action": "changed",
                "subject": "App (app-v2)",
                "field": "uid",
                "before": "app",
                "after": "app-v2",
            }
        ],
        "- uid `app` → `app-v2`",
    ),
    "legends": (
        [
            ("dashboards.py", 'legend="{{code}}"', 'legend="{{code}} requests"'),
            (
                "dashboards.py",
                'unit="reqps",',
                'unit="reqps",\n                    legend=Legend("table", "right", ("mean",)),',
            ),
            ("dashboards.py", "import Dashboard,", "import Dashboard, Legend,"),
        ],
        [
            {
                "area": "dashboards",
                "action": "changed",
                "subject": "App (app)",
                "item": "panel 'Requests'",
                "field": "legend",
                "before": "list, bottom",
                "after": "table, right: mean",
            },
            {
                "area": "dashboards",
                "action": "changed",
                "subject": "App (app)",
                "item": "panel 'Requests'",
                "field": "legend A",
                "before": "{{code}}",
                "after": "{{code}} requests",
            },
        ],
        "- panel 'Requests': legend A `{{code}}` → `{{code}} requests`",
    ),
    "expr, not a threshold": (  # the windows; and an operator changed with its constant
        [
            (
                "alerts.py",
                "'error')}[5m])) / sum(rate({REQUESTS}[5m]))",
                "'error')}[10m])) / sum(rate({REQUESTS}[10m]))",
            ),
            ("alerts.py", "[5m]))) > 1", "[5m]))) >= 2"),
        ],
        [
            {
                "area": "alerts",
                "action": "changed",
                "subject": "AppErrors",
                "field": "expr",
                "before": 'sum(rate(app_requests_total{code="error"}[5m]))'
                " / sum(rate(app_requests_total[5m])) > 0.3",
                "after": 'sum(rate(app_requests_total{code="error"}[10m]))'
                " / sum(rate(app_requests_total[10m])) > 0.3",
            },
            {
                "area": "alerts",
                "action": "changed",
                "subject": "AppSlow",
                "field": "expr",
                "before": f"{P99} > 1",
                "after": f"{P99} >= 2",
            },
        ],
        f"  + {P99} >= 2",  # in a diff block: too long to show inline
    ),
    "severities swapped": (  # and with them who gets paged
        [
            ("alerts.py", 'severity="warning"', 'severity="was-warning"'),
            ("alerts.py", 'severity="critical"', 'severity="warning"'),
            ("alerts.py", 'severity="was-warning"', 'severity="critical"'),
        ],
        [
            {
                "area": "alerts",
                "action": "changed",
                "subject": "AppErrors",
                "field": "severity",
                "before": "warning",
                "after": "critical",
            },
            {
                "area": "alerts",
                "action": "changed",
                "subject": "AppSlow",
                "field": "severity",
                "before": "critical",
                "after": "warning",
            },
            {
                "area": "routing",
                "action": "changed",
                "subject": "AppErrors",
                "field": "receivers",
                "before": ["web-team"],
                "after": ["pager", "web-team"],
            },
            {
                "area": "routing",
                "action": "changed",
                "subject": "AppSlow",
                "field": "receivers",
                "before": ["pager", "web-team"],
                "after": ["web-team"],
            },
        ],
        "- severity `critical` → `warning`",
    ),
    "annotation": (
        [("alerts.py", 'summary="Errors"', 'summary="Error ratio above 30%"')],
        [
            {
                "area": "alerts",
                "action": "changed",
                "subject": "AppErrors",
                "field": "annotation summary",
                "before": "Errors",
                "after": "Error ratio above 30%",
            }
        ],
        "- annotation summary `Errors` → `Error ratio above 30%`",
    ),
    "recording rule expr": (  # the recorded series gain a label: the catalog says so
        [("alerts.py", "sum by (job) (rate", "sum by (job, code) (rate")],
        [
            {
                "area": "recording rules",
                "action": "changed",
                "subject": "job:app_requests:rate5m",
                "field": "expr",
                "before": "sum by (job) (rate(app_requests_total[5m]))",
                "after": "sum by (job, code) (rate(app_requests_total[5m]))",
            },
            {
                "area": "catalog",
                "action": "changed",
                "subject": "job:app_requests:rate5m",
                "field": "labels",
                "before": ["job"],
                "after": ["code", "job"],
            },
        ],
        "- labels `job` → `code, job`",
    ),
}


@pytest.mark.parametrize("kind", CHANGES)
def test_each_change_is_reported_before_and_after(
    repo: Path, run_cli: Callable[..., CliResult], kind: str
) -> None:
    edits, changes, line = CHANGES[kind]
    apply(repo, edits)
    assert diff_json(run_cli, repo)["changes"] == changes
    assert line in diff_markdown(run_cli, repo)


OPS_DASHBOARD = [
    ("__init__.py", "import dashboard\n", "import dashboard, ops\n"),
    ("__init__.py", "dashboards=[dashboard]", "dashboards=[dashboard, ops]"),
    (
        "dashboards.py",
        "dashboard = Dashboard(",
        'ops = Dashboard("ops", "Ops", panels=(Stat("Queue", queries=(f"max({QUEUE})",)),))\n\n'
        "dashboard = Dashboard(",
    ),
]
VARIABLES = [
    ("dashboards.py", "import Dashboard,", "import CustomVariable, Dashboard, QueryVariable,"),
    (
        "dashboards.py",
        '"App",\n',
        '"App",\n    variables=(\n'
        '        QueryVariable("route", metric=REQUESTS, label="route"),\n'
        '        CustomVariable("env", values=("prod", "staging")),\n'
        "    ),\n",
    ),
]

# (edits, the changes adding it, the changes removing it again, a Markdown line of each)
ADDITIONS: dict[
    str, tuple[list[Edit], list[dict[str, Any]], list[dict[str, Any]], tuple[str, str]]
] = {
    "dashboard": (
        OPS_DASHBOARD,
        [
            {
                "area": "dashboards",
                "action": "added",
                "subject": "Ops (ops)",
                "details": ["1 panel, 1 query, 1 variable"],  # $datasource
            }
        ],
        [
            {
                "area": "dashboards",
                "action": "removed",
                "subject": "Ops (ops)",
                "details": ["1 panel, 1 query, 1 variable"],
            }
        ],
        ("**Ops (ops)**", "- removed"),
    ),
    "variables": (
        VARIABLES,
        [
            {
                "area": "dashboards",
                "action": "added",
                "subject": "App (app)",
                "item": "variable $env",
                "details": ["custom"],
                "queries": ["prod,staging"],
            },
            {
                "area": "dashboards",
                "action": "added",
                "subject": "App (app)",
                "item": "variable $route",
                "details": ["query"],
                "queries": ["label_values(app_requests_total, route)"],
            },
        ],
        [
            {
                "area": "dashboards",
                "action": "removed",
                "subject": "App (app)",
                "item": "variable $env",
                "details": ["custom"],
                "queries": ["prod,staging"],
            },
            {
                "area": "dashboards",
                "action": "removed",
                "subject": "App (app)",
                "item": "variable $route",
                "details": ["query"],
                "queries": ["label_values(app_requests_total, route)"],
            },
        ],
        ("- variable $route: added", "- variable $route: removed"),
    ),
    "recording rule": (  # and the series it records, in the catalog
        [
            (
                "alerts.py",
                "rules=[\n",
                'rules=[\n                RecordingRule("job:app_requests:rate1m", '
                'f"sum by (job) (rate({REQUESTS}[1m]))"),\n',
            )
        ],
        [
            {
                "area": "recording rules",
                "action": "added",
                "subject": "job:app_requests:rate1m",
                "details": ["group app in prometheus/rules/app.yml"],
                "queries": ["sum by (job) (rate(app_requests_total[1m]))"],
            },
            {
                "area": "catalog",
                "action": "added",
                "subject": "job:app_requests:rate1m",
                "details": ["gauge, recorded: Recorded by job:app_requests:rate1m"],
            },
        ],
        [
            {
                "area": "recording rules",
                "action": "removed",
                "subject": "job:app_requests:rate1m",
                "details": ["group app in prometheus/rules/app.yml"],
                "queries": ["sum by (job) (rate(app_requests_total[1m]))"],
            },
            {
                "area": "catalog",
                "action": "removed",
                "subject": "job:app_requests:rate1m",
                "details": ["gauge, recorded", "no panel or rule reads it"],
            },
        ],
        ("`job:app_requests:rate1m`", "  - `sum by (job) (rate(app_requests_total[1m]))`"),
    ),
    "alert annotation": (
        [
            (
                "alerts.py",
                'summary="Errors",',
                'summary="Errors",\n                    description="Too many fail.",',
            )
        ],
        [
            {
                "area": "alerts",
                "action": "changed",
                "subject": "AppErrors",
                "field": "annotation description",
                "after": "Too many fail.",
            }
        ],
        [
            {
                "area": "alerts",
                "action": "changed",
                "subject": "AppErrors",
                "field": "annotation description",
                "before": "Too many fail.",
            }
        ],
        (
            "- annotation description (none) → `Too many fail.`",
            "- annotation description `Too many fail.` → (none)",
        ),
    ),
}


@pytest.mark.parametrize("kind", ADDITIONS)
def test_additions_and_removals(repo: Path, run_cli: Callable[..., CliResult], kind: str) -> None:
    edits, added, removed, (added_line, removed_line) = ADDITIONS[kind]
    apply(repo, edits)
    assert diff_json(run_cli, repo)["changes"] == added
    assert added_line in diff_markdown(run_cli, repo)
    commit_generated(repo, run_cli, f"{kind} added")
    # The same two commits the other way round: what was added is removed.
    assert diff_json(run_cli, repo, "HEAD", "HEAD~1")["changes"] == removed
    assert removed_line in diff_markdown(run_cli, repo, "HEAD", "HEAD~1")


def test_variable_changes_show_before_and_after(
    repo: Path, run_cli: Callable[..., CliResult]
) -> None:
    apply(repo, VARIABLES)
    commit_generated(repo, run_cli, "variables")
    edit(repo, "dashboards.py", 'label="route")', 'label="code", include_all=False)')
    edit(
        repo, "dashboards.py", '"staging"))', '"staging"), default="staging", title="Environment")'
    )
    env = {
        "area": "dashboards",
        "action": "changed",
        "subject": "App (app)",
        "item": "variable $env",
    }
    route = {**env, "item": "variable $route"}
    assert diff_json(run_cli, repo)["changes"] == [
        {**env, "field": "label", "before": "", "after": "Environment"},
        {**env, "field": "default", "before": "prod", "after": "staging"},
        {
            **route,
            "field": "query",
            "before": "label_values(app_requests_total, route)",
            "after": "label_values(app_requests_total, code)",
        },
        {**route, "field": "include All", "before": "True", "after": "False"},
        {**route, "field": "All value", "before": ".*", "after": ""},
    ]
    assert "- variable $env: default `prod` → `staging`" in diff_markdown(run_cli, repo)


@pytest.mark.parametrize(
    ("label", "readers"),
    [
        (
            "code",
            [
                "alert AppErrors (reads code; still reads it)",
                "panel 'Requests' of App (app) (reads code; still reads it)",
                "recording rule job:app_requests:rate5m (still reads it)",
            ],
        ),
        (  # nobody reads route: the users are listed, none marked as reading it
            "route",
            [
                "alert AppErrors (still reads it)",
                "panel 'Requests' of App (app) (still reads it)",
                "recording rule job:app_requests:rate5m (still reads it)",
            ],
        ),
    ],
)
def test_a_metric_losing_a_label_lists_who_reads_the_label(
    repo: Path, run_cli: Callable[..., CliResult], tmp_path: Path, label: str, readers: list[str]
) -> None:
    # The output's catalog changed alone (an exporter dropped the label), the queries did not.
    base = repo / "generated"
    head = tmp_path / "head"
    shutil.copytree(base, head)
    catalog = json.loads((head / "catalog.json").read_text())
    requests = next(m for m in catalog if m["family"] == "app_requests")
    requests["labels"] = [item for item in requests["labels"] if item["name"] != label]
    (head / "catalog.json").write_text(json.dumps(catalog))
    result = run_cli("diff", str(base), str(head), "--format", "json")
    assert json.loads(result.out)["changes"] == [
        {
            "area": "catalog",
            "action": "changed",
            "subject": "app_requests_total",
            "field": "labels",
            "before": ["route", "code"],
            "after": [name for name in ("route", "code") if name != label],
            "details": ["read by 3 panel(s) and rule(s):", *readers],
        }
    ]
    markdown = run_cli("diff", str(base), str(head)).out.splitlines()
    assert f"  - {readers[1]}" in markdown
