"""Compliance alerts over days and weeks: SIEM delivery and audit retention.

Gathered from business-alerts.yaml (SIEMForwardingComplianceRisk, LongAuditRetention).
They judge a day or a month, so they are evaluated hourly. What changed:
- SIEMForwardingComplianceRisk compared a success ratio (``< 95``), empty, so silent, when
  nothing was ever delivered; it compares the failure ratio with 5%;
- LongAuditRetention stays silent while the purge counter is absent. Reading an absent
  counter as "no purge" would be right in general, but SARK defines
  sark_audit_retention_purges_total without recording it (the metric is dormant) and no
  recorded metric says whether retention runs, so it would fire for good. It fires when
  purges are counted and then stop; restore ``or vector(0)`` once SARK records purges.
"""

from definitions import teams
from definitions.alerts import boards
from definitions.alerts.inputs import share
from definitions.metrics import audit, siem
from sarkmon.model import AlertRule, RuleFile, RuleGroup, Runbook
from sarkmon.model.alert_tests import AlertTest, Fires, Quiet, Series, threshold_cases

FORWARDS = siem.FORWARDS
FAILED_FORWARDS = FORWARDS(status="error")
FORWARD_DIAGNOSIS = (
    f"sum by (siem_platform, status) (rate({FORWARDS}[5m]))",
    f"{siem.CONNECTION_STATUS}",
)
PURGES = audit.RETENTION_PURGES

# Test inputs.
SPLUNK = {"siem_platform": "splunk"}

rules = RuleFile(
    "compliance",
    description="Compliance over days and weeks: SIEM delivery, audit retention.",
    groups=[
        RuleGroup(
            "compliance_trends",
            interval="1h",
            rules=[
                AlertRule(
                    "SIEMForwardingComplianceRisk",
                    f"sum(rate({FAILED_FORWARDS}[1h]))\n/ sum(rate({FORWARDS}[1h]))\n> 0.05",
                    for_="24h",
                    severity="warning",
                    team=teams.COMPLIANCE,
                    category="compliance",
                    dashboards=(boards.SIEM, boards.GATEWAY_OPERATIONS),
                    component="siem",
                    summary="SIEM forwarding below the compliance threshold",
                    description="{{ $value | humanizePercentage }} of forwards to the SIEM "
                    "have failed for a day (compliance allows 5%).",
                    runbook=Runbook(
                        impact="The SIEM misses events that compliance requires it to hold.",
                        diagnosis=FORWARD_DIAGNOSIS,
                        mitigation=(
                            "Work with security to restore forwarding.",
                            "Backfill the missing events from the audit store once it works.",
                        ),
                    ),
                    tests=threshold_cases(
                        share(
                            FORWARDS(status="error", **SPLUNK), FORWARDS(status="success", **SPLUNK)
                        ),
                        threshold=0.05,
                        for_="24h",
                        window="1h",
                        interval="30m",
                        annotations={
                            "description": "5.25% of forwards to the SIEM have failed for a day "
                            "(compliance allows 5%)."
                        },
                    ),
                ),
                AlertRule(
                    "LongAuditRetention",
                    f"sum(increase({audit.RETENTION_PURGES}[24h])) == 0",
                    for_="30d",
                    severity="info",
                    team=teams.COMPLIANCE,
                    category="compliance",
                    dashboards=(boards.GATEWAY_OPERATIONS,),
                    component="audit",
                    summary="Audit retention policy not running",
                    description="No audit event has been purged by retention for 30 days.",
                    runbook=Runbook(
                        impact="Events are kept past the retention period; storage grows.",
                        diagnosis=(f"increase({audit.RETENTION_PURGES}[7d])",),
                        mitigation=("Check the retention job's schedule and its last run logs.",),
                    ),
                    tests=[
                        AlertTest(
                            "purges stop after the first day: fires 30 days after",
                            series=[Series(PURGES, "0+100x24 2400x780")],
                            interval="1h",
                            expect=[
                                Quiet("31d"),
                                Fires("32d2h"),
                            ],
                        ),
                        AlertTest(
                            "the purge counter is absent (it is dormant): quiet",
                            series=[],
                            interval="1h",
                            expect=[Quiet("30d1h", since="0s")],
                        ),
                        AlertTest(
                            "purges every day: quiet",
                            series=[Series(PURGES, "0+100x780")],
                            interval="1h",
                            expect=[Quiet("32d2h", since="0s")],
                        ),
                    ],
                ),
            ],
        ),
    ],
)
