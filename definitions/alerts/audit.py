"""Audit pipeline alerts: writes, queue, storage and coverage.

Gathered from security-alerts.yaml (AuditLoggingDegraded, AuditQueueBacklog),
infrastructure-alerts.yaml (AuditStorageUtilizationHigh) and business-alerts.yaml
(AuditCoverageInsufficient). LongAuditRetention, a month-long signal, is in the compliance
rule file. What changed:
- AuditCoverageInsufficient divided audit events by requests; with no audit event at all
  the numerator was empty and the alert silent in the very case it exists for: missing
  audit events count as zero;
- AuditStorageUtilizationHigh compares a gauge SARK exports as a percentage (0 to 100),
  so its description shows the value with a percent sign, not humanizePercentage.
"""

from definitions import teams
from definitions.alerts import boards
from definitions.alerts.inputs import CALLS, counting, holding
from definitions.metrics import audit
from definitions.metrics import gateway as gw
from sarkmon.model import AlertRule, RuleFile, RuleGroup, Runbook
from sarkmon.model.alert_tests import AlertTest, Fires, Profile, Series, steady, threshold_cases

WRITE_ERRORS = audit.WRITE_ERRORS
QUEUE = f"{audit.QUEUE_DEPTH} / {audit.QUEUE_CAPACITY}"
AUDITED = f"(sum(rate({gw.AUDIT_EVENTS}[5m])) or vector(0))"
REQUESTS = f"sum(rate({gw.REQUESTS}[5m]))"

# Test inputs.
API = {"instance": "api:8000"}
SERVED = gw.REQUESTS(status="success", **CALLS)


def audited(profile: Profile) -> list[Series]:
    """10 requests a second, the level's share of them audited."""
    return [
        Series(SERVED, profile.counter(lambda _: 10)),
        Series(
            gw.AUDIT_EVENTS(event_type="tool_invoke", decision="allow"),
            profile.counter(lambda share: 10 * share),
        ),
    ]


rules = RuleFile(
    "audit",
    description="The audit trail: writes, queue, storage and coverage.",
    groups=[
        RuleGroup(
            "audit_pipeline",
            interval="30s",
            rules=[
                AlertRule(
                    "AuditLoggingDegraded",
                    f"sum(rate({WRITE_ERRORS}[5m])) > 0.1",
                    for_="5m",
                    severity="critical",
                    team=teams.COMPLIANCE,
                    category="audit",
                    dashboards=(boards.GATEWAY_OPERATIONS,),
                    component="audit",
                    summary="Audit writes failing",
                    description='{{ $value | printf "%.3g" }} audit writes fail per second '
                    "(threshold 0.1/s).",
                    runbook=Runbook(
                        impact="Audit events are lost: a compliance breach.",
                        diagnosis=(f"sum by (destination, error_type) (rate({WRITE_ERRORS}[5m]))",),
                        mitigation=(
                            "Fix the failing destination (database, file, SIEM) named above.",
                            "Confirm the queue drains afterwards (AuditQueueBacklog).",
                        ),
                    ),
                    tests=threshold_cases(
                        counting(
                            WRITE_ERRORS(destination="database", error_type="timeout"),
                            WRITE_ERRORS(destination="siem", error_type="refused"),
                        ),
                        threshold=0.1,
                        for_="5m",
                        window="5m",
                        annotations={
                            "description": "0.105 audit writes fail per second (threshold 0.1/s)."
                        },
                    ),
                ),
                AlertRule(
                    "AuditQueueBacklog",
                    f"{QUEUE} > 0.8",
                    for_="10m",
                    severity="warning",
                    team=teams.COMPLIANCE,
                    category="audit",
                    dashboards=(boards.GATEWAY_OPERATIONS,),
                    component="audit",
                    summary="Audit queue nearing capacity",
                    description="The audit queue on {{ $labels.instance }} is "
                    "{{ $value | humanizePercentage }} full (threshold 80%).",
                    runbook=Runbook(
                        impact="When the queue is full, audit events are dropped.",
                        diagnosis=(
                            f"{audit.QUEUE_DEPTH}",
                            f"rate({audit.QUEUE_DROPS}[5m])",
                            f"histogram_quantile(0.95, sum by (le, destination) "
                            f"(rate({audit.WRITE_DURATION_SECONDS.bucket}[5m])))",
                        ),
                        mitigation=("Find the slow destination and fix or scale it.",),
                    ),
                    tests=threshold_cases(
                        lambda p: [
                            Series(audit.QUEUE_DEPTH(**API), p.gauge(lambda u: 10000 * u)),
                            Series(audit.QUEUE_CAPACITY(**API), p.gauge(lambda _: 10000)),
                        ],
                        threshold=0.8,
                        for_="10m",
                        labels=API,
                        annotations={
                            "description": "The audit queue on api:8000 is 84% full "
                            "(threshold 80%)."
                        },
                    ),
                ),
                AlertRule(
                    "AuditStorageUtilizationHigh",
                    f"{audit.STORAGE_UTILIZATION} > 85",
                    for_="10m",
                    severity="warning",
                    team=teams.COMPLIANCE,
                    category="storage",
                    dashboards=(boards.GATEWAY_OPERATIONS,),
                    component="audit",
                    summary="Audit storage filling up",
                    description="Audit storage is {{ $value | humanize }}% used (threshold 85%).",
                    runbook=Runbook(
                        impact="Audit writes fail when the storage is full.",
                        diagnosis=(
                            f"{audit.LOG_SIZE_BYTES}",
                            f"increase({audit.RETENTION_PURGES}[24h])",
                        ),
                        mitigation=(
                            "Check that retention purges run (LongAuditRetention).",
                            "Grow the storage; archive old events to cold storage.",
                        ),
                    ),
                    tests=threshold_cases(
                        holding(audit.STORAGE_UTILIZATION(**API)),
                        threshold=85,
                        for_="10m",
                        labels=API,
                        annotations={
                            "description": "Audit storage is 89.25% used (threshold 85%)."
                        },
                    ),
                ),
                AlertRule(
                    "AuditCoverageInsufficient",
                    f"{AUDITED}\n/ {REQUESTS}\n< 0.8",
                    for_="1h",
                    severity="critical",
                    team=teams.COMPLIANCE,
                    category="compliance",
                    dashboards=(boards.GATEWAY_INTEGRATION, boards.GATEWAY_OPERATIONS),
                    component="audit",
                    summary="Audit coverage below the compliance requirement",
                    description="Only {{ $value | humanizePercentage }} of gateway requests "
                    "produce an audit event (requirement 80%).",
                    runbook=Runbook(
                        impact="Requests go unaudited: a compliance breach.",
                        diagnosis=(
                            f"sum by (event_type) (rate({gw.AUDIT_EVENTS}[5m]))",
                            REQUESTS,
                        ),
                        mitigation=(
                            "Find which request paths stopped emitting audit events.",
                            "Check audit write errors and the audit queue.",
                        ),
                    ),
                    tests=[
                        *threshold_cases(
                            audited,
                            threshold=0.8,
                            above=False,
                            for_="1h",
                            window="5m",
                            annotations={
                                "description": "Only 76% of gateway requests produce an audit "
                                "event (requirement 80%)."
                            },
                        ),
                        AlertTest(
                            "requests but no audit event series at all: fires",
                            series=[Series(SERVED, steady(10, "80m").counter())],
                            expect=[
                                Fires(
                                    "70m",
                                    annotations={
                                        "description": "Only 0% of gateway requests produce an "
                                        "audit event (requirement 80%)."
                                    },
                                )
                            ],
                        ),
                    ],
                ),
            ],
        ),
    ],
)
