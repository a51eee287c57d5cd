"""SARK's service level objectives (compiled to SLI recordings, error budgets, burn-rate alerts).

Why these metrics:

- Gateway request availability reads ``sark_gateway_requests_total``: the gateway's own count
  of MCP requests with a ``status`` of success or error, the metric SARK's SLA alerts were
  written against (SLAAvailabilityViolation, 99.9% over 30 days). ``http_requests_total``
  counts the management API, not the gateway traffic users depend on.
- Authorization latency reads ``sark_gateway_authz_latency_seconds``: every tool call waits for
  it. 100 ms is the line at which SARK pages (CriticalGatewayAuthorizationLatency: clients
  time out past it) and is a bucket bound, so "faster than 100 ms" is counted exactly.
- Policy evaluation latency reads ``sark_policy_evaluation_duration_seconds``, the policy
  service's histogram. SARK's SlowPolicyEvaluation wants P95 under 60 ms; 60 ms is not a
  bucket bound (an SLI can only count at a bound), so the objective is 95% within 75 ms, the
  first bound above it.
- Audit write success reads ``sark_audit_events_written_total`` (written) against
  ``sark_audit_write_errors_total`` (failed writes) plus ``sark_audit_queue_drops_total``
  (events dropped before any write because the queue was full): a compliance record lost
  either way. ``sark_gateway_audit_events_total`` counts logged events but has no failure
  dimension, so it cannot express success.

All four metrics are defined by SARK's code but not yet recorded (see their catalog notes):
the SLOs are ready for when they are, and meanwhile their series stay empty, not wrong.
"""

from definitions import teams
from definitions.metrics import audit, gateway, policy
from sarkmon.model import Runbook
from sarkmon.model.slo import SLO, Alerting, LatencySLI, RatioSLI

DASHBOARD = "sark-slos"  # the SLO dashboard (definitions/dashboards/slos.py), linked from alerts

SLOS = [
    SLO(
        "gateway-availability",
        service="gateway",
        objective=99.9,
        window="30d",
        team=teams.PLATFORM,
        component="gateway",
        description="MCP requests through the gateway succeed.",
        sli=RatioSLI(
            errors=gateway.REQUESTS(status="error"),
            total=gateway.REQUESTS,
        ),
        alerting=Alerting(windows="sloth"),
        dashboards=(DASHBOARD,),
        runbook=Runbook(
            impact="Agents' tool calls fail; every failed request is lost work for a user.",
            mitigation=(
                "Check GatewayServiceDown and the gateway's error log for the failing endpoint.",
                "Roll back the last gateway or policy deployment if errors began with it.",
            ),
        ),
    ),
    SLO(
        "authorization-latency",
        service="gateway",
        objective=99,
        window="30d",
        team=teams.PLATFORM,
        component="gateway",
        description="Gateway authorization decisions take at most 100 ms.",
        sli=LatencySLI(gateway.AUTHZ_LATENCY_SECONDS, threshold=0.1),
        alerting=Alerting(windows="sloth"),
        dashboards=(DASHBOARD,),
        runbook=Runbook(
            impact="Every tool call waits for authorization; past 100 ms clients time out.",
            mitigation=(
                "Check OPA latency and the policy cache hit rate first: the usual causes.",
                "Scale the gateway; roll back a policy bundle that grew.",
            ),
        ),
    ),
    SLO(
        "policy-evaluation-latency",
        service="policy",
        objective=95,
        window="30d",
        team=teams.PLATFORM,
        component="policy",
        description="Policy evaluations take at most 75 ms.",
        sli=LatencySLI(policy.EVALUATION_DURATION_SECONDS, threshold=0.075),
        alerting=Alerting(windows="sloth"),
        dashboards=(DASHBOARD,),
        runbook=Runbook(
            impact="Slow evaluations slow every authorization that misses the policy cache.",
            mitigation=(
                "Compare cache_status=hit and miss latencies: a cold cache sends all to OPA.",
                "Check OPA's own latency; roll back the last policy bundle if it grew.",
            ),
        ),
    ),
    SLO(
        "audit-write-success",
        service="audit",
        objective=99.9,
        window="30d",
        team=teams.COMPLIANCE,
        component="audit",
        description="Audit events are written, not failed or dropped.",
        sli=RatioSLI(
            good=audit.EVENTS_WRITTEN,
            errors=[audit.WRITE_ERRORS, audit.QUEUE_DROPS],
        ),
        alerting=Alerting(windows="sloth"),
        dashboards=(DASHBOARD,),
        runbook=Runbook(
            impact="Audit records are lost: a compliance gap for every event not written.",
            mitigation=(
                "Check the failing destination (database, SIEM) and the audit queue depth.",
                "Restore the destination; grow the queue if drops come from bursts.",
            ),
        ),
    ),
]
