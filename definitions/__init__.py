"""SARK's monitoring, as code. ``sarkmon generate`` reads ``project`` from here."""

from definitions.alerts import RULE_FILES
from definitions.dashboards import DASHBOARDS
from definitions.metrics import catalog
from definitions.routing import routing
from definitions.slos import SLOS
from sarkmon.model import Project
from sarkmon.model.targets import Kubernetes, MimirRuler, PrometheusServer, Targets, ThanosRuler

project = Project(
    name="sark",
    catalog=catalog,
    rule_files=RULE_FILES,
    dashboards=DASHBOARDS,
    slos=SLOS,
    routing=routing,
    targets=Targets(
        prometheus_version="2.42",
        runbook_base_url="https://github.com/apathy-ca/sarkmon/blob/main/generated/docs/runbooks",
        # SARK's compose stack: Prometheus beside one Alertmanager.
        prometheus=PrometheusServer(alertmanagers=("alertmanager:9093",)),
        # kube-prometheus-stack selects rules and dashboards by these labels.
        kubernetes=Kubernetes(
            namespace="monitoring",
            rule_labels={"release": "kube-prometheus-stack"},
            dashboard_label=("grafana_dashboard", "1"),
        ),
        mimir=MimirRuler(namespace_prefix="sark-"),
        thanos=ThanosRuler(),
    ),
)
