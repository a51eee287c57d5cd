"""SARK's Grafana dashboards, one module per dashboard."""

from definitions.dashboards import (
    auth,
    gateway_integration,
    gateway_operations,
    gateway_performance,
    gateway_security,
    policy_evaluation,
    rust_rollout,
    siem,
    slos,
    system_overview,
)
from sarkmon.model.dashboards import Dashboard

DASHBOARDS: list[Dashboard] = [
    system_overview.dashboard,
    gateway_integration.dashboard,
    gateway_performance.dashboard,
    gateway_security.dashboard,
    gateway_operations.dashboard,
    auth.dashboard,
    policy_evaluation.dashboard,
    siem.dashboard,
    rust_rollout.dashboard,
    slos.dashboard,
]
