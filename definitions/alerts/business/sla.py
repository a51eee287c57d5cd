"""The gateway's service level as customers see it: latency, availability, error budget."""

from definitions import teams
from definitions.alerts import recording as rec
from definitions.metrics import gateway as gw
from sarkmon.model import AlertRule, RuleGroup, Runbook

DURATION = gw.REQUEST_DURATION_SECONDS.bucket
ERRORS_30D = f'sum(sum_over_time({rec.REQUESTS_RATE}{{status="error"}}[30d]))'
REQUESTS_30D = f"sum(sum_over_time({rec.REQUESTS_RATE}[30d]))"
ERROR_DIAGNOSIS = (
    f"{rec.REQUEST_ERROR_RATIO}",
    f"sum by (endpoint, tool) (rate({gw.REQUESTS(status='error')}[5m]))",
)

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
        ),
        AlertRule(
            "SLAAvailabilityViolation",
            f"{rec.REQUEST_ERROR_RATIO} > 0.001",
            for_="15m",
            severity="critical",
            team=teams.BUSINESS,
            category="sla",
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
        ),
        AlertRule(
            "SLAErrorBudgetExhausted",
            f"{ERRORS_30D}\n/ {REQUESTS_30D}\n> 0.001",
            for_="1h",
            severity="warning",
            team=teams.BUSINESS,
            category="sla",
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
        ),
        AlertRule(
            "UserExperienceDegradation",
            f"histogram_quantile(0.95, sum by (le) (rate({DURATION}[1h])))\n"
            f"/ histogram_quantile(0.95, sum by (le) (rate({DURATION}[1h] offset 24h)))\n"
            "> 1.5",
            for_="2h",
            severity="warning",
            team=teams.BUSINESS,
            category="support",
            component="gateway",
            summary="Gateway latency is well above yesterday's",
            description="P95 gateway request duration over the last hour is "
            "{{ $value | humanize }} times the same hour yesterday (threshold 1.5).",
            runbook=Runbook(
                impact="Users notice the slowdown; support tickets tend to follow.",
                diagnosis=(f"{rec.REQUEST_P95}", f"{rec.REQUEST_P95} offset 24h"),
                mitigation=("Match the start with deploys and traffic changes.",),
            ),
        ),
        AlertRule(
            "HighSupportTicketVolume",
            f"sum(rate({gw.CLIENT_ERRORS}[1h])) > 50",
            for_="4h",
            severity="warning",
            team=teams.BUSINESS,
            category="support",
            component="gateway",
            summary="Client errors likely to drive support tickets",
            description="Gateway clients hit {{ $value | humanize }} errors per second over "
            "the last hour (threshold 50/s).",
            runbook=Runbook(
                impact="Users run into errors; support should expect tickets.",
                diagnosis=(f"sum by (operation, error_type) (rate({gw.CLIENT_ERRORS}[1h]))",),
                mitigation=("Brief support on the errors and the expected fix.",),
            ),
        ),
    ],
)
