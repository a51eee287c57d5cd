"""Usage of the gateway right now: traffic at all, active users, quotas, capacity.

Two alerts read "nothing" as an alarm, and SARK records neither of their gateway metrics
(both are dormant: defined, never imported), so absence handling would page for good:
- NoRequestsReceived counts SARK's HTTP requests (http_requests_total, recorded by the API
  middleware for every request but GET /metrics) instead of sark_gateway_requests_total;
  an absent counter still reads as no request, since SARK does record this one;
- LowActiveUserCount has no recorded metric to stand on (nothing else counts users): it
  compares sark_gateway_unique_users as it is, so it waits for SARK to record the gauge
  instead of reading its absence as zero users.
"""

from definitions import recordings as rec
from definitions import teams
from definitions.alerts import boards
from definitions.alerts.inputs import CALLS, counting, holding
from definitions.metrics import api
from definitions.metrics import gateway as gw
from sarkmon.model import AlertRule, RuleGroup, Runbook
from sarkmon.model.alert_tests import (
    AlertTest,
    Fires,
    Quiet,
    Series,
    absent,
    steady,
    threshold_cases,
)

REQUESTS = gw.REQUESTS
HTTP_REQUESTS = api.HTTP_REQUESTS
PLATFORM_CAPACITY = 1000  # requests per second the platform is sized for
QUOTA_LIMITED = gw.RATE_LIMIT_EXCEEDED(limit_type="quota")

# Test inputs.
SERVED = REQUESTS(status="success", **CALLS)
ANSWERED = HTTP_REQUESTS(method="POST", endpoint="/api/v1/policy/evaluate", status="200")


def quota_hits(per_hour: float) -> list[Series]:
    """Alice hits her quota ``per_hour`` times an hour; her other limits, 60 times."""
    return [
        Series(QUOTA_LIMITED(user="alice"), steady(per_hour / 3600, "90m").counter()),
        Series(
            gw.RATE_LIMIT_EXCEEDED(user="alice", limit_type="per_minute"),
            steady(60 / 3600, "90m").counter(),
        ),
    ]


group = RuleGroup(
    "business_usage",
    interval="1m",
    rules=[
        AlertRule(
            "NoRequestsReceived",
            f"(sum(rate({HTTP_REQUESTS}[5m])) or vector(0)) == 0",
            for_="30m",
            severity="critical",
            team=teams.PLATFORM,
            category="engagement",
            dashboards=(boards.GATEWAY_OPERATIONS, boards.GATEWAY_PERFORMANCE),
            component="gateway",
            summary="No requests to SARK for 30 minutes",
            description="SARK's API has received no request (besides metric scrapes) for "
            "30 minutes.",
            runbook=Runbook(
                impact="Nobody can use SARK, or SARK stopped reporting its requests.",
                diagnosis=(
                    'up{job="sark-api"}',
                    f"sum by (endpoint) (rate({HTTP_REQUESTS}[1h]))",
                ),
                mitigation=(
                    "Check that SARK is up and reachable from its clients (DNS, ingress).",
                    "If clients still get answers, the request metrics are broken: file a bug.",
                ),
            ),
            tests=[
                AlertTest(
                    "requests stop: fires 30m after the 5m window empties",
                    series=[Series(ANSWERED, (steady(5, "10m") + steady(0, "50m")).counter())],
                    expect=[Quiet("40m", since="0s"), Fires("50m")],
                ),
                AlertTest(
                    "no request series at all: fires",
                    series=[Series(ANSWERED, absent("40m").counter())],
                    expect=[Quiet("25m"), Fires("35m")],
                ),
                AlertTest(
                    "one request a minute: quiet",
                    series=[Series(ANSWERED, steady(1 / 60, "60m").counter())],
                    expect=[Quiet("60m", since="0s")],
                ),
            ],
        ),
        AlertRule(
            "LowActiveUserCount",
            f"sum({gw.UNIQUE_USERS}) < 10",
            for_="1h",
            severity="warning",
            team=teams.BUSINESS,
            category="engagement",
            dashboards=(boards.GATEWAY_INTEGRATION,),
            component="gateway",
            summary="Few active users",
            description="{{ $value }} users are active on the gateway (threshold 10).",
            runbook=Runbook(
                impact="Adoption dropped, or users cannot reach the gateway.",
                diagnosis=(f"{gw.UNIQUE_USERS}", f"sum(rate({REQUESTS}[5m]))"),
                mitigation=(
                    "Rule out an outage first (no requests at all is NoRequestsReceived).",
                    "Otherwise ask customer success about the accounts that went quiet.",
                ),
            ),
            tests=[
                *threshold_cases(
                    holding(
                        gw.UNIQUE_USERS(instance="api:8000"), gw.UNIQUE_USERS(instance="api-2:8000")
                    ),
                    threshold=10,
                    above=False,
                    quiet=11,
                    firing=9,
                    for_="1h",
                    annotations={
                        "description": "9 users are active on the gateway (threshold 10)."
                    },
                ),
                AlertTest(
                    "no instance reports active users (the gauge is dormant): quiet",
                    series=[],
                    expect=[Quiet("1h5m", since="0s")],
                ),
            ],
        ),
        AlertRule(
            "UserQuotaExceeded",
            f"sum by (user) (increase({QUOTA_LIMITED}[1h])) > 10",
            for_="30m",
            severity="info",
            team=teams.BUSINESS,
            category="quotas",
            dashboards=(boards.GATEWAY_SECURITY,),
            component="gateway",
            summary="User {{ $labels.user }} exceeding quota",
            description="User {{ $labels.user }} hit the quota limit {{ $value | humanize }} "
            "times in the last hour (threshold 10).",
            runbook=Runbook(
                impact="The user's requests are refused until the quota resets.",
                diagnosis=(f"topk(10, sum by (user) (increase({QUOTA_LIMITED}[1h])))",),
                mitigation=("Offer an upgrade; check the client is not retrying in a loop.",),
            ),
            tests=[
                AlertTest(
                    "alice hits her quota 30 times an hour: fires",
                    series=quota_hits(30),
                    expect=[
                        Quiet("40m"),
                        Fires(
                            "1h10m",
                            labels={"user": "alice"},
                            annotations={
                                "summary": "User alice exceeding quota",
                                "description": "User alice hit the quota limit 30 times in the "
                                "last hour (threshold 10).",
                            },
                        ),
                    ],
                ),
                AlertTest(
                    "five quota hits an hour, many other limits: quiet",
                    series=quota_hits(5),
                    expect=[Quiet("90m", since="0s")],
                ),
            ],
        ),
        AlertRule(
            "GlobalQuotaUtilizationHigh",
            f"sum({rec.REQUESTS_RATE}) / {PLATFORM_CAPACITY} > 0.8",
            for_="1h",
            severity="warning",
            team=teams.BUSINESS,
            category="quotas",
            dashboards=(boards.GATEWAY_PERFORMANCE,),
            component="gateway",
            summary="Platform approaching global capacity",
            description="Gateway traffic is at {{ $value | humanizePercentage }} of the "
            "1000 requests per second the platform is sized for (threshold 80%).",
            runbook=Runbook(
                impact="Requests will be throttled or slow down when capacity runs out.",
                diagnosis=(f"sum by (tool) (rate({gw.REQUESTS}[1h]))",),
                mitigation=("Plan the capacity increase with infrastructure.",),
            ),
            tests=threshold_cases(
                counting(SERVED, REQUESTS(status="error", **CALLS)),
                threshold=800,
                alert_threshold=0.8,
                for_="1h",
                window="5m",
                annotations={
                    "description": "Gateway traffic is at 84% of the 1000 requests per second "
                    "the platform is sized for (threshold 80%)."
                },
            ),
        ),
    ],
)
