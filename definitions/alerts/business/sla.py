"""The gateway's service level as customers see it: latency, availability, error budget."""

from definitions import recordings as rec
from definitions import teams
from definitions.alerts import boards
from definitions.alerts.inputs import CALLS, share, slow_share
from definitions.metrics import gateway as gw
from sarkmon.model import AlertRule, RuleGroup, Runbook
from sarkmon.model.alert_tests import AlertTest, Fires, Quiet, steady, threshold_cases

DURATION = gw.REQUEST_DURATION_SECONDS.bucket
ERRORS_30D = f'sum(sum_over_time({rec.REQUESTS_RATE}{{status="error"}}[30d]))'
REQUESTS_30D = f"sum(sum_over_time({rec.REQUESTS_RATE}[30d]))"
ERROR_DIAGNOSIS = (
    f"{rec.REQUEST_ERROR_RATIO}",
    f"sum by (endpoint, tool) (rate({gw.REQUESTS(status='error')}[5m]))",
)

# Test inputs: gateway calls, a share of them failing (the level).
FAILING = share(gw.REQUESTS(status="error", **CALLS), gw.REQUESTS(status="success", **CALLS))

group = RuleGroup(
    "business_sla",
    interval="1m",
    rules=[
        AlertRule(
            "SLALatencyViolation",
            f"{rec.REQUEST_P99} > 0.5",
            for_="15m",
            severity="warning",
            team=teams.BUSINESS,
            category="sla",
            dashboards=(boards.GATEWAY_PERFORMANCE,),
            component="gateway",
            summary="Gateway latency SLA violated",
            description="P99 gateway request duration is {{ $value | humanizeDuration }} "
            "(SLA 500ms) and has been for 15 minutes.",
            runbook=Runbook(
                impact="Customers get slower responses than the SLA promises.",
                diagnosis=(
                    f"{rec.REQUEST_P99}",
                    f"histogram_quantile(0.99, sum by (le, endpoint) (rate({DURATION}[5m])))",
                ),
                mitigation=(
                    "Follow the latency alerts of the gateway and its dependencies.",
                    "Tell account managers if the violation lasts: SLA credits may apply.",
                ),
            ),
            tests=threshold_cases(
                # The p99 passes 500ms (a bucket bound) when more than 1% of calls take 800ms.
                slow_share(DURATION(method="POST", endpoint="/gateway/invoke"), 0.2, 0.8),
                threshold=0.01,
                alert_threshold=0.5,
                for_="15m",
                window="5m",
                annotations={
                    "description": "P99 gateway request duration is 523.8ms (SLA 500ms) and "
                    "has been for 15 minutes."
                },
            ),
        ),
        AlertRule(
            "SLAAvailabilityViolation",
            f"{rec.REQUEST_ERROR_RATIO} > 0.001",
            for_="15m",
            severity="critical",
            team=teams.BUSINESS,
            category="sla",
            dashboards=(boards.GATEWAY_OPERATIONS,),
            component="gateway",
            summary="Gateway availability SLA violated",
            description="{{ $value | humanizePercentage }} of gateway requests fail; the "
            "99.9% SLA allows 0.1%.",
            runbook=Runbook(
                impact="Customers see more failures than the SLA allows.",
                diagnosis=ERROR_DIAGNOSIS,
                mitigation=(
                    "Follow HighRequestErrorRate and the dependency alerts to the cause.",
                    "Tell account managers: SLA credits may apply.",
                ),
            ),
            tests=threshold_cases(
                FAILING,
                threshold=0.001,
                for_="15m",
                window="5m",
                annotations={
                    "description": "0.105% of gateway requests fail; the 99.9% SLA allows 0.1%."
                },
            ),
        ),
        AlertRule(
            "SLAErrorBudgetExhausted",
            f"{ERRORS_30D}\n/ {REQUESTS_30D}\n> 0.001",
            for_="1h",
            severity="warning",
            team=teams.BUSINESS,
            category="sla",
            dashboards=(boards.GATEWAY_OPERATIONS,),
            component="gateway",
            summary="Error budget of the 99.9% SLA exhausted",
            description="{{ $value | humanizePercentage }} of gateway requests failed over "
            "30 days; the 99.9% SLA allows 0.1%.",
            runbook=Runbook(
                impact="The month's error budget is spent: any further failure breaches the SLA.",
                diagnosis=(f"{ERRORS_30D} / {REQUESTS_30D}",),
                mitigation=(
                    "Freeze risky changes until the budget recovers.",
                    "Review the incidents of the month with the service owners.",
                ),
            ),
            tests=[
                AlertTest(
                    "2% of calls fail for two hours: fires after an hour",
                    series=FAILING(steady(0.02, "2h")),
                    expect=[
                        Quiet("55m"),
                        Fires(
                            "1h30m",
                            annotations={
                                "description": "2% of gateway requests failed over 30 days; "
                                "the 99.9% SLA allows 0.1%."
                            },
                        ),
                    ],
                ),
                AlertTest(
                    "0.09% of calls fail: quiet",
                    series=FAILING(steady(0.0009, "2h")),
                    expect=[Quiet("2h", since="0s")],
                ),
            ],
        ),
    ],
)
