"""Audit pipeline alerts: writes, queue, storage and coverage.

Gathered from security-alerts.yaml (AuditLoggingDegraded, AuditQueueBacklog),
infrastructure-alerts.yaml (AuditStorageUtilizationHigh) and business-alerts.yaml
(AuditCoverageInsufficient). LongAuditRetention, a daily signal, is in the trends rule
file. What changed:
- AuditCoverageInsufficient divided audit events by requests; with no audit event at all
  the numerator was empty and the alert silent in the very case it exists for: missing
  audit events count as zero;
- AuditStorageUtilizationHigh compares a gauge SARK exports as a percentage (0 to 100),
  so its description shows the value with a percent sign, not humanizePercentage.
"""

from definitions import teams
from definitions.metrics import audit
from definitions.metrics import gateway as gw
from sarkmon.model import AlertRule, RuleFile, RuleGroup, Runbook

WRITE_ERRORS = audit.WRITE_ERRORS
QUEUE = f"{audit.QUEUE_DEPTH} / {audit.QUEUE_CAPACITY}"
AUDITED = f"(sum(rate({gw.AUDIT_EVENTS}[5m])) or vector(0))"
REQUESTS = f"sum(rate({gw.REQUESTS}[5m]))"

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
                    component="audit",
                    summary="Audit writes failing",
                    description="{{ $value | humanize }} audit writes fail per second "
                    "(threshold 0.1/s).",
                    runbook=Runbook(
                        impact="Audit events are lost: a compliance breach.",
                        diagnosis=(f"sum by (destination, error_type) (rate({WRITE_ERRORS}[5m]))",),
                        mitigation=(
                            "Fix the failing destination (database, file, SIEM) named above.",
                            "Confirm the queue drains afterwards (AuditQueueBacklog).",
                        ),
                    ),
                ),
                AlertRule(
                    "AuditQueueBacklog",
                    f"{QUEUE} > 0.8",
                    for_="10m",
                    severity="warning",
                    team=teams.COMPLIANCE,
                    category="audit",
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
                ),
                AlertRule(
                    "AuditStorageUtilizationHigh",
                    f"{audit.STORAGE_UTILIZATION} > 85",
                    for_="10m",
                    severity="warning",
                    team=teams.COMPLIANCE,
                    category="storage",
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
                ),
                AlertRule(
                    "AuditCoverageInsufficient",
                    f"{AUDITED}\n/ {REQUESTS}\n< 0.8",
                    for_="1h",
                    severity="critical",
                    team=teams.COMPLIANCE,
                    category="compliance",
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
                ),
            ],
        ),
    ],
)
