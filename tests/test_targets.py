"""Deployment targets: Prometheus config, PrometheusRule and ConfigMaps, Mimir and Thanos files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

from sarkmon.check import CheckContext
from sarkmon.check.kubernetes import CRD_FILE, crd_schema, kubernetes_manifests
from sarkmon.check.prometheus_config import promtool_check_config
from sarkmon.check.rulers import ruler_files
from sarkmon.compile.prometheus_config import scrape_config
from sarkmon.model import Scrape, ScrapeJob
from sarkmon.output import write_tree
from sarkmon.pipeline import Build
from sarkmon.tools import promtool
from tests.conftest import MINI_CATALOG, SHARED, CliResult
from tests.test_definition_errors import alerts_module

CRD = SHARED / CRD_FILE


def write(files: dict[str, str], root: Path) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


@pytest.fixture(autouse=True)
def published_schemas(monkeypatch: pytest.MonkeyPatch) -> None:
    """Check steps run on scratch trees, away from the repository: point them at the CRD."""
    monkeypatch.setenv("SARKMON_SHARED", str(SHARED))


def context(build: Build, files: dict[str, str], tmp_path: Path) -> CheckContext:
    tree = tmp_path / "repo" / "generated"
    write_tree(files, tree)
    return CheckContext(build, files, tree, tree)


# -- SARK's output ------------------------------------------------------------------------


def test_sark_prometheus_config_passes_promtool(sark_files: dict[str, str], tmp_path: Path) -> None:
    root = write(sark_files, tmp_path)
    result = promtool.check_config("prometheus/prometheus.yml", cwd=str(root))
    assert result.ok, result.output
    config = yaml.safe_load(sark_files["prometheus/prometheus.yml"])
    assert sorted(config["rule_files"]) == sorted(
        p.removeprefix("prometheus/") for p in sark_files if p.startswith("prometheus/rules/")
    )
    assert config["alerting"]["alertmanagers"][0]["static_configs"] == [
        {"targets": ["alertmanager:9093"]}
    ]
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    assert sorted(jobs) == ["node", "postgres", "prometheus", "redis", "sark-api"]
    assert jobs["sark-api"]["scrape_interval"] == "10s"
    assert jobs["sark-api"]["static_configs"] == [
        {"targets": ["api:8000"], "labels": {"service": "sark-api", "tier": "application"}}
    ]
    assert config["global"]["external_labels"] == {
        "cluster": "sark-dev",
        "environment": "development",
    }


def sark_prometheus_rules(files: dict[str, str]) -> dict[str, Any]:
    return {
        path: yaml.safe_load(text)
        for path, text in files.items()
        if path.startswith("kubernetes/prometheusrules/")
    }


def test_sark_prometheus_rules_validate_against_the_published_crd(
    sark_files: dict[str, str],
) -> None:
    manifests = sark_prometheus_rules(sark_files)
    rule_files = [p for p in sark_files if p.startswith("prometheus/rules/")]
    assert len(manifests) == len(rule_files) > 1
    # The published schema, with nothing the API server would prune (see crd_schema).
    validator = Draft7Validator(crd_schema(CRD))
    for doc in manifests.values():
        validator.validate(doc)
        assert doc["metadata"]["labels"]["release"] == "kube-prometheus-stack"
        assert doc["metadata"]["namespace"] == "monitoring"


def test_sark_prometheus_rule_groups_pass_promtool_once_unwrapped(
    sark_files: dict[str, str], tmp_path: Path
) -> None:
    paths = []
    for path, doc in sark_prometheus_rules(sark_files).items():
        plain = tmp_path / Path(path).name
        plain.write_text(yaml.safe_dump({"groups": doc["spec"]["groups"]}))
        paths.append(str(plain))
    result = promtool.check_rules(paths)
    assert result.ok, result.output
    assert "SUCCESS: 10 rules found" in result.output


def test_sark_mimir_and_thanos_files_carry_the_same_groups(sark_files: dict[str, str]) -> None:
    plain = yaml.safe_load(sark_files["prometheus/rules/gateway.yml"])
    mimir = yaml.safe_load(sark_files["mimir/sark-gateway.yml"])
    assert mimir == {"namespace": "sark-gateway", "groups": plain["groups"]}
    thanos = yaml.safe_load(sark_files["thanos/rules/gateway.yml"])
    strategies = [g.pop("partial_response_strategy") for g in thanos["groups"]]
    assert strategies == ["abort"] and thanos == plain


def test_sark_check_steps_pass(
    sark_build: Build, sark_files: dict[str, str], tmp_path: Path
) -> None:
    ctx = context(sark_build, sark_files, tmp_path)
    for step in (promtool_check_config, kubernetes_manifests, ruler_files):
        outcome = step(ctx)
        assert outcome.ok, (outcome.summary, outcome.details)


# -- Settings and what they produce ---------------------------------------------------------

ALL_TARGETS = """
from defs.catalog import catalog
from defs.alerts import rules
from sarkmon.model import Project
from sarkmon.model.targets import (
    Kubernetes, MimirRuler, PartialResponse, PrometheusServer, Targets, ThanosRuler,
)

project = Project(
    name="shop",
    catalog=catalog,
    rule_files=[rules],
    targets=Targets(
        prometheus_version="{version}", thanos_version="{thanos_version}",
        runbook_base_url="https://runbooks.example/shop",
        prometheus=PrometheusServer(
            alertmanagers=("am-0:9093", "am-1:9093"),
            alertmanager_scheme="https",
            alertmanager_path_prefix="/am",
        ),
        kubernetes=Kubernetes({kubernetes}),
        mimir=MimirRuler(namespace_prefix="team-"),
        thanos=ThanosRuler(PartialResponse("warn", groups={{{overrides}}})),
    ),
)
"""
KEEP_FIRING = (
    '        AlertRule("QueueHigh", f"{QUEUE} > 10", summary="s", description="d", '
    'for_="5m", keep_firing_for="10m")'
)


LIMITED_GROUP = alerts_module(KEEP_FIRING).replace(
    '"app",\n            rules=', '"app",\n            limit=10,\n            rules='
)
NO_MIMIR = ('        mimir=MimirRuler(namespace_prefix="team-"),\n', "")


def project_with(
    version: str = "2.42", kubernetes: str = "", overrides: str = "", thanos_version: str = "0.34"
) -> str:
    return ALL_TARGETS.format(
        version=version, kubernetes=kubernetes, overrides=overrides, thanos_version=thanos_version
    )


def generate(
    run_cli: Callable[..., CliResult], root: Path, out: Path
) -> tuple[CliResult, dict[str, str]]:
    result = run_cli("generate", "--root", str(root), "--definitions", "defs", "--out", str(out))
    files = {p.relative_to(out).as_posix(): p.read_text() for p in out.rglob("*") if p.is_file()}
    return result, files


def test_every_target_is_emitted_from_its_settings(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    kubernetes = (
        'namespace="obs", rule_labels={"prometheus": "main", "role": "alert-rules"}, '
        'evaluated_by="thanos", partial_response=PartialResponse("abort", groups={"app": "warn"})'
    )
    root = make_defs(
        {
            "catalog.py": MINI_CATALOG,
            "alerts.py": alerts_module(KEEP_FIRING),
            "__init__.py": project_with(kubernetes=kubernetes, overrides='"app": "abort"'),
        }
    )
    result, files = generate(run_cli, root, tmp_path / "out")
    assert result.code == 0, result.err
    config = yaml.safe_load(files["prometheus/prometheus.yml"])
    assert config["alerting"] == {
        "alertmanagers": [
            {
                "scheme": "https",
                "path_prefix": "/am",
                "api_version": "v2",
                "static_configs": [{"targets": ["am-0:9093", "am-1:9093"]}],
            }
        ]
    }
    assert config["scrape_configs"][0]["scrape_interval"] == "10s"
    rule = yaml.safe_load(files["kubernetes/prometheusrules/app.yaml"])
    assert rule["metadata"] == {
        "name": "shop-app",
        "namespace": "obs",
        "labels": {
            "app.kubernetes.io/managed-by": "sarkmon",
            "app.kubernetes.io/part-of": "shop",
            "prometheus": "main",
            "role": "alert-rules",
        },
    }
    assert rule["spec"]["groups"][0]["partial_response_strategy"] == "warn"
    assert rule["spec"]["groups"][0]["rules"][0]["keep_firing_for"] == "10m"
    Draft7Validator(crd_schema(CRD)).validate(rule)
    assert yaml.safe_load(files["kubernetes/kustomization.yaml"])["resources"] == [
        "prometheusrules/app.yaml"
    ]
    assert yaml.safe_load(files["mimir/team-app.yml"])["namespace"] == "team-app"
    thanos = yaml.safe_load(files["thanos/rules/app.yml"])
    assert list(thanos["groups"][0]) == ["name", "partial_response_strategy", "rules"]
    assert thanos["groups"][0]["partial_response_strategy"] == "abort"


def test_jobs_scraped_faster_than_the_default_timeout_get_a_shorter_one() -> None:
    fast = ScrapeJob("fast", targets=("f:1",), interval="5s")
    scrape = Scrape([fast, ScrapeJob("slow", targets=("s:1",))], interval="1m")
    assert scrape_config(fast, scrape)["scrape_timeout"] == "5s"
    assert "scrape_timeout" not in scrape_config(scrape.jobs[1], scrape)


DASHBOARD = """
from sarkmon.model.dashboards import Dashboard, Row, TimeSeries

DASHBOARDS = [
    Dashboard(
        "app-overview",
        "App overview",
        folder="Web Team",
        rows=(Row("Traffic", (TimeSeries("Queue", queries=("app_queue_depth",)),)),),
    )
]
"""


def test_dashboard_config_maps_carry_the_sidecar_label_and_folder(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    kubernetes = 'name_prefix="web-", dashboard_label=("grafana_dashboard", "yes")'
    project = (
        project_with(kubernetes=kubernetes)
        .replace("    rule_files=[rules],", "    rule_files=[rules],\n    dashboards=DASHBOARDS,")
        .replace(
            "from defs.alerts import rules",
            "from defs.alerts import rules\nfrom defs.dash import DASHBOARDS",
        )
    )
    root = make_defs(
        {
            "catalog.py": MINI_CATALOG,
            "alerts.py": alerts_module(KEEP_FIRING),
            "dash.py": DASHBOARD,
            "__init__.py": project,
        }
    )
    result, files = generate(run_cli, root, tmp_path / "out")
    assert result.code == 0, result.err
    grafana = files["grafana/dashboards/web-team/app-overview.json"]
    doc = yaml.safe_load(files["kubernetes/dashboards/app-overview.yaml"])
    assert doc["metadata"] == {
        "name": "web-dashboard-app-overview",
        "namespace": "monitoring",
        "labels": {
            "app.kubernetes.io/managed-by": "sarkmon",
            "app.kubernetes.io/part-of": "shop",
            "grafana_dashboard": "yes",
        },
        "annotations": {"k8s-sidecar-target-directory": "Web Team"},
    }
    assert doc["data"] == {"app-overview.json": grafana}
    assert yaml.safe_load(files["kubernetes/kustomization.yaml"])["resources"] == [
        "dashboards/app-overview.yaml",
        "prometheusrules/app.yaml",
    ]


# -- Refusals ------------------------------------------------------------------------------

REFUSALS = {
    "keep_firing_for on an old Prometheus": (
        project_with(version="2.40"),
        "defs/alerts.py:10: error [target/unsupported] alert 'QueueHigh': keep_firing_for needs "
        "Prometheus >= 2.42; Prometheus 2.40 evaluates the prometheus and kubernetes targets "
        "(raise Targets.prometheus_version, or remove the field)",
    ),
    "partial response where Prometheus evaluates": (
        project_with(kubernetes='partial_response=PartialResponse("warn")'),
        "defs/__init__.py:20: error [definition/target] kubernetes target: "
        "partial_response_strategy is read only by Thanos Ruler; Prometheus ignores it (set "
        "evaluated_by='thanos', or remove partial_response)",
    ),
    "override of a group that does not exist": (
        project_with(overrides='"ap": "warn"'),
        "defs/__init__.py:22: error [target/unknown-group] thanos target: partial response "
        "override for unknown rule group 'ap' (did you mean app?)",
    ),
    "unknown strategy": (
        project_with(overrides='"app": "ignore"'),
        "defs/__init__.py:22: error [definition/target] partial response: group 'app': unknown "
        "strategy 'ignore' (use abort or warn)",
    ),
    "namespace that is not a DNS label": (
        project_with(kubernetes='namespace="Monitoring"'),
        "defs/__init__.py:20: error [definition/target] kubernetes target: namespace "
        "'Monitoring' is not a DNS-1123 label (lower-case letters, digits and -, at most 63 "
        "characters)",
    ),
    "invalid rule selector label": (
        project_with(kubernetes='rule_labels={"release": "kube prometheus"}'),
        "defs/__init__.py:20: error [definition/target] kubernetes target: label 'release': "
        "invalid value 'kube prometheus' (alphanumerics, -, _ and ., at most 63)",
    ),
    "unknown evaluator": (
        project_with(kubernetes='evaluated_by="cortex"'),
        "defs/__init__.py:20: error [definition/target] kubernetes target: unknown rule evaluator "
        "'cortex' (use prometheus or thanos)",
    ),
    "grafana URL without a scheme": (
        project_with().replace(
            'prometheus_version="2.42",', 'prometheus_version="2.42", grafana_url="grafana:3000",'
        ),
        "defs/__init__.py:12: error [definition/target] targets: grafana_url 'grafana:3000' is "
        "not an http(s) URL (notifications and pages link to it as is)",
    ),
    "version that is not one": (
        project_with(version="latest"),
        "defs/__init__.py:12: error [definition/target] targets: prometheus_version 'latest' is "
        "not a version (for example 2.42)",
    ),
    "Thanos version that is not one": (
        project_with(thanos_version="v0.34"),
        "defs/__init__.py:12: error [definition/target] targets: thanos_version 'v0.34' is "
        "not a version (for example 0.34)",
    ),
    "keep_firing_for on an old Thanos": (
        project_with(thanos_version="0.33"),
        "defs/alerts.py:10: error [target/unsupported] alert 'QueueHigh': keep_firing_for needs "
        "Thanos >= 0.34; Thanos 0.33 evaluates the thanos target (raise "
        "Targets.thanos_version, or remove the field)",
    ),
    "keep_firing_for where an old Thanos evaluates the PrometheusRules": (
        project_with(thanos_version="0.33", kubernetes='evaluated_by="thanos"'),
        "defs/alerts.py:10: error [target/unsupported] alert 'QueueHigh': keep_firing_for needs "
        "Thanos >= 0.34; Thanos 0.33 evaluates the thanos and kubernetes targets (raise "
        "Targets.thanos_version, or remove the field)",
    ),
    "group limit on an old Thanos": (
        project_with(thanos_version="0.23").replace(*NO_MIMIR),
        "defs/alerts.py:7: error [target/unsupported] rule group 'app': limit needs Thanos >= "
        "0.24; Thanos 0.23 evaluates the thanos target (raise Targets.thanos_version, or remove "
        "the field)",
    ),
    "group limit on Mimir": (
        project_with(),
        "defs/alerts.py:7: error [target/unsupported] rule group 'app': the Mimir ruler's rule "
        "format has no limit; the mimir target would drop it (remove the field, or the mimir "
        "target)",
    ),
}
# Cases whose definitions need a group limit (the others use alerts_module(KEEP_FIRING)).
LIMITED = {"group limit on an old Thanos", "group limit on Mimir"}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_unsupported_settings_and_fields_are_refused(
    case: str, make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    project, line = REFUSALS[case]
    alerts = LIMITED_GROUP if case in LIMITED else alerts_module(KEEP_FIRING)
    root = make_defs({"catalog.py": MINI_CATALOG, "alerts.py": alerts, "__init__.py": project})
    out = tmp_path / "out"
    result, _ = generate(run_cli, root, out)
    assert result.code == 2
    assert not out.exists()
    assert result.err.splitlines()[0] == line


def test_group_limit_needs_prometheus_2_31(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    alerts = alerts_module(KEEP_FIRING.replace(', keep_firing_for="10m"', "")).replace(
        '"app",\n            rules=', '"app",\n            limit=10,\n            rules='
    )
    results = {}
    for version in ("2.30", "2.31"):
        project = project_with(version).replace(*NO_MIMIR)
        root = make_defs({"catalog.py": MINI_CATALOG, "alerts.py": alerts, "__init__.py": project})
        results[version], _ = generate(run_cli, root, tmp_path / version)
    assert results["2.31"].code == 0, results["2.31"].err
    assert results["2.30"].code == 2
    assert results["2.30"].err.splitlines()[0] == (
        "defs/alerts.py:7: error [target/unsupported] rule group 'app': limit needs Prometheus "
        ">= 2.31; Prometheus 2.30 evaluates the prometheus and kubernetes targets (raise "
        "Targets.prometheus_version, or remove the field)"
    )


def test_thanos_and_mimir_take_the_fields_they_read(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    """Thanos 0.34 reads a group limit and keep_firing_for; Mimir reads keep_firing_for."""
    thanos = project_with(kubernetes='evaluated_by="thanos"').replace(*NO_MIMIR)
    root = make_defs(
        {"catalog.py": MINI_CATALOG, "alerts.py": LIMITED_GROUP, "__init__.py": thanos}
    )
    result, files = generate(run_cli, root, tmp_path / "thanos")
    assert result.code == 0, result.err
    group = yaml.safe_load(files["thanos/rules/app.yml"])["groups"][0]
    assert group["limit"] == 10 and group["rules"][0]["keep_firing_for"] == "10m"
    assert "mimir/team-app.yml" not in files
    mimir = project_with().replace("thanos=ThanosRuler(", "thanos=None and ThanosRuler(")
    root = make_defs(
        {"catalog.py": MINI_CATALOG, "alerts.py": alerts_module(KEEP_FIRING), "__init__.py": mimir}
    )
    result, files = generate(run_cli, root, tmp_path / "mimir")
    assert result.code == 0, result.err
    rules = yaml.safe_load(files["mimir/team-app.yml"])["groups"][0]["rules"]
    assert rules[0]["keep_firing_for"] == "10m"
    assert not any(p.startswith("thanos/") for p in files)


# -- The check steps fail on what they exist to catch ----------------------------------------


KUBERNETES_BREAKAGES = {
    # A field the CRD does not declare: the API server would prune it.
    "pruned field": (("    interval: 30s\n", "    intervall: 30s\n"), "'intervall' was unexpected"),
    # Valid for the CRD, refused by Prometheus's template parser once unwrapped.
    "bad template": (
        ("{{ $value | humanizeDuration }}", "{{ $value | nosuch }}"),
        'kubernetes/prometheusrules/gateway.yaml: group "gateway_integration"',
    ),
}


@pytest.mark.parametrize("case", sorted(KUBERNETES_BREAKAGES))
def test_kubernetes_step_catches_what_the_api_server_or_prometheus_would_refuse(
    case: str, sark_build: Build, sark_files: dict[str, str], tmp_path: Path
) -> None:
    (old, new), expected = KUBERNETES_BREAKAGES[case]
    path = "kubernetes/prometheusrules/gateway.yaml"
    bad = sark_files[path].replace(old, new, 1)
    assert bad != sark_files[path]
    outcome = kubernetes_manifests(context(sark_build, {**sark_files, path: bad}, tmp_path))
    assert not outcome.ok
    assert any(expected in d for d in outcome.details), outcome.details


def test_kubernetes_step_fails_without_the_crd(
    sark_build: Build,
    sark_files: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SARKMON_SHARED", str(tmp_path / "nowhere"))
    outcome = kubernetes_manifests(context(sark_build, sark_files, tmp_path))
    assert not outcome.ok
    assert outcome.summary.startswith("PrometheusRule CRD not found at ")


def test_config_and_ruler_steps_fail_on_broken_files(
    sark_build: Build, sark_files: dict[str, str], tmp_path: Path
) -> None:
    broken = {
        **sark_files,
        "prometheus/prometheus.yml": sark_files["prometheus/prometheus.yml"].replace(
            "scrape_interval: 10s", "scrape_interval: often"
        ),
        "thanos/rules/gateway.yml": sark_files["thanos/rules/gateway.yml"].replace(
            "partial_response_strategy: abort", "partial_response_strategy: ignore"
        ),
        "mimir/sark-gateway.yml": sark_files["mimir/sark-gateway.yml"].replace(
            "for: 5m", "for: soon", 1
        ),
    }
    ctx = context(sark_build, broken, tmp_path)
    config = promtool_check_config(ctx)
    assert not config.ok and any("often" in d for d in config.details)
    rulers = ruler_files(ctx)
    assert not rulers.ok
    assert "thanos/rules/gateway.yml: group 'gateway_integration': strategy 'ignore'" in (
        rulers.details
    )
    assert any(d.startswith("mimir/sark-gateway.yml") for d in rulers.details), rulers.details
