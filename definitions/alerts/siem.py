"""SIEM forwarding alerts: delivery failures, the queue, the connection.

Gathered from sark-alerts.yml (the SIEM group), security-alerts.yaml
(SIEMForwardingFailed) and infrastructure-alerts.yaml (SIEMUnhealthy);
SIEMForwardingComplianceRisk, a day-long signal, is in the compliance rule file. What changed:
- SIEMExportFailures and the queue alerts read ``sark_siem_exports_total`` and
  ``sark_siem_queue_depth``/``_capacity``, which SARK does not define; the SIEM service
  counts ``siem_events_failed_total`` and gauges ``siem_queue_size`` (per ``siem_type``);
  the queue capacity is declared planned beside it.
"""

from fractions import Fraction

from definitions import teams
from definitions.alerts import boards
from definitions.alerts.inputs import counting, share
from definitions.metrics import siem
from sarkmon.model import AlertRule, RuleFile, RuleGroup, Runbook
from sarkmon.model.alert_tests import AlertTest, Fires, Quiet, Series, threshold_cases

FORWARDS = siem.FORWARDS
FAILED_FORWARDS = FORWARDS(status="error")
QUEUE = siem.QUEUE_SIZE
CAPACITY = siem.QUEUE_CAPACITY
FORWARD_DIAGNOSIS = (
    f"sum by (siem_platform, status) (rate({FORWARDS}[5m]))",
    f"{siem.CONNECTION_STATUS}",
)

# No status series means the gateway is down or not scraped, which pages on its own.
NOT_SCRAPED = "no status series means the gateway is not scraped: GatewayServiceDown pages"

# Test inputs.
SPLUNK = {"siem_platform": "splunk"}
TYPE = {"siem_type": "splunk", "instance": "api:8000"}


def queue(size: str, capacity: str = "1000x20") -> list[Series]:
    """The splunk queue's size and capacity, in promtool notation."""
    return [Series(QUEUE(**TYPE), size), Series(CAPACITY(**TYPE), capacity)]


rules = RuleFile(
    "siem",
    description="Forwarding of security events to the SIEM: failures, queue, connection.",
    groups=[
        RuleGroup(
            "siem_forwarding",
            interval="30s",
            rules=[
                AlertRule(
                    "SIEMForwardingFailed",
                    f"sum(rate({FAILED_FORWARDS}[5m]))\n/ sum(rate({FORWARDS}[5m]))\n> 0.1",
                    for_="10m",
                    severity="warning",
                    team=teams.SECURITY,
                    category="siem",
                    dashboards=(boards.GATEWAY_OPERATIONS, boards.SIEM),
                    component="siem",
                    summary="SIEM forwarding failure ratio elevated",
                    description="{{ $value | humanizePercentage }} of forwards to the SIEM "
                    "fail (threshold 10%).",
                    runbook=Runbook(
                        impact="Security events reach the SIEM late or not at all.",
                        diagnosis=FORWARD_DIAGNOSIS,
                        mitigation=(
                            "Check the SIEM platform named above: status page, credentials.",
                            "Watch the backpressure gauge: events wait while it fails.",
                        ),
                    ),
                    tests=threshold_cases(
                        share(
                            FORWARDS(status="error", **SPLUNK), FORWARDS(status="success", **SPLUNK)
                        ),
                        threshold=0.1,
                        for_="10m",
                        window="5m",
                        annotations={
                            "description": "10.5% of forwards to the SIEM fail (threshold 10%)."
                        },
                    ),
                ),
                AlertRule(
                    "SIEMExportFailures",
                    f"sum(increase({siem.EVENTS_FAILED}[5m])) > 5",
                    for_="5m",
                    severity="critical",
                    team=teams.SECURITY,
                    category="siem",
                    dashboards=(boards.SIEM,),
                    component="siem",
                    summary="SIEM export failures",
                    description="{{ $value | humanize }} events failed to reach the SIEM in "
                    "the last 5 minutes (threshold 5).",
                    runbook=Runbook(
                        impact="Security events are not exported: detection is blind.",
                        diagnosis=(
                            f"sum by (siem_type, error_type) (increase({siem.EVENTS_FAILED}[5m]))",
                            f"{siem.HEALTH_STATUS}",
                        ),
                        mitigation=(
                            "Check the SIEM endpoint and credentials for the failing type.",
                            "Retries are counted in siem_retry_attempts_total: watch them drop.",
                        ),
                    ),
                    tests=threshold_cases(
                        # The level is failures per second: 5 in 5 minutes is 1/60.
                        counting(
                            siem.EVENTS_FAILED(siem_type="splunk", error_type="timeout"),
                            siem.EVENTS_FAILED(siem_type="datadog", error_type="auth"),
                        ),
                        threshold=Fraction(5, 300),
                        alert_threshold=5,
                        for_="5m",
                        window="5m",
                        annotations={
                            "description": "5.25 events failed to reach the SIEM in the last "
                            "5 minutes (threshold 5)."
                        },
                    ),
                ),
                AlertRule(
                    "SIEMQueueNearCapacity",
                    f"{QUEUE} / {CAPACITY} > 0.8",
                    for_="5m",
                    severity="warning",
                    team=teams.SECURITY,
                    category="siem",
                    dashboards=(boards.SIEM,),
                    component="siem",
                    summary="SIEM queue for {{ $labels.siem_type }} near capacity",
                    description="The {{ $labels.siem_type }} queue is "
                    "{{ $value | humanizePercentage }} full (threshold 80%).",
                    runbook=Runbook(
                        impact="Events will be dropped once the queue is full.",
                        diagnosis=(f"{QUEUE}", f"rate({siem.EVENTS_SENT}[5m])"),
                        mitigation=("Find why sending slowed: SIEM latency or failures.",),
                    ),
                    tests=threshold_cases(
                        lambda p: [
                            Series(QUEUE(**TYPE), p.gauge(lambda u: 1000 * u)),
                            Series(CAPACITY(**TYPE), p.gauge(lambda _: 1000)),
                        ],
                        threshold=0.8,
                        for_="5m",
                        labels=TYPE,
                        annotations={
                            "summary": "SIEM queue for splunk near capacity",
                            "description": "The splunk queue is 84% full (threshold 80%).",
                        },
                    ),
                ),
                AlertRule(
                    "SIEMQueueFull",
                    f"{QUEUE} >= {CAPACITY}",
                    for_="1m",
                    severity="critical",
                    team=teams.SECURITY,
                    category="siem",
                    dashboards=(boards.SIEM,),
                    component="siem",
                    summary="SIEM queue for {{ $labels.siem_type }} is full",
                    description="The {{ $labels.siem_type }} queue holds {{ $value }} events, "
                    "its capacity: new events are dropped.",
                    runbook=Runbook(
                        impact="Security events are being dropped.",
                        diagnosis=(f"rate({siem.EVENTS_DROPPED}[5m])", f"{QUEUE}"),
                        mitigation=(
                            "Restore delivery to the SIEM first; then the queue drains.",
                            "Raise the queue capacity only if memory allows.",
                        ),
                    ),
                    tests=[
                        AlertTest(
                            "the queue reaches its capacity: fires",
                            series=queue("900 950 1000x18"),
                            expect=[
                                Quiet("2m"),
                                Fires(
                                    "5m",
                                    labels=TYPE,
                                    annotations={
                                        "summary": "SIEM queue for splunk is full",
                                        "description": "The splunk queue holds 1000 events, its "
                                        "capacity: new events are dropped.",
                                    },
                                ),
                            ],
                        ),
                        AlertTest(
                            "one event short of capacity: quiet",
                            series=queue("999x20"),
                            expect=[Quiet("20m", since="0s")],
                        ),
                    ],
                ),
                AlertRule(
                    "SIEMUnhealthy",
                    f"{siem.CONNECTION_STATUS} == 0",
                    for_="5m",
                    severity="warning",
                    team=teams.SECURITY,
                    category="siem",
                    silence={"logic/absent-blind": NOT_SCRAPED},
                    dashboards=(boards.GATEWAY_OPERATIONS, boards.SIEM),
                    component="siem",
                    summary="SIEM {{ $labels.siem_platform }} connection lost",
                    description="The gateway's connection to {{ $labels.siem_platform }} is down.",
                    runbook=Runbook(
                        impact="Events for this platform queue up and may be dropped.",
                        diagnosis=FORWARD_DIAGNOSIS,
                        mitigation=("Check the SIEM endpoint, network path and credentials.",),
                    ),
                    tests=[
                        AlertTest(
                            "the splunk connection stays down: fires",
                            series=[Series(siem.CONNECTION_STATUS(**SPLUNK), "1x4 0x15")],
                            expect=[
                                Quiet("8m"),
                                Fires(
                                    "12m",
                                    labels=SPLUNK,
                                    annotations={
                                        "summary": "SIEM splunk connection lost",
                                        "description": "The gateway's connection to splunk is "
                                        "down.",
                                    },
                                ),
                            ],
                        ),
                        AlertTest(
                            "a short disconnection: quiet",
                            series=[Series(siem.CONNECTION_STATUS(**SPLUNK), "1x4 0x2 1x14")],
                            expect=[Quiet("20m", since="0s")],
                        ),
                    ],
                ),
            ],
        ),
    ],
)
