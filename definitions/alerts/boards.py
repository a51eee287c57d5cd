"""The dashboards an alert's operator should open first, by uid (see definitions/dashboards)."""

from definitions.dashboards import (
    auth,
    gateway_integration,
    gateway_operations,
    gateway_performance,
    gateway_security,
    policy_evaluation,
    siem,
    system_overview,
)

AUTH = auth.dashboard.uid
GATEWAY_INTEGRATION = gateway_integration.dashboard.uid
GATEWAY_OPERATIONS = gateway_operations.dashboard.uid
GATEWAY_PERFORMANCE = gateway_performance.dashboard.uid
GATEWAY_SECURITY = gateway_security.dashboard.uid
POLICY = policy_evaluation.dashboard.uid
SIEM = siem.dashboard.uid
SYSTEM_OVERVIEW = system_overview.dashboard.uid
