"""Quality trends over hours and days: latency against yesterday, errors, cache, denials."""

from definitions import recordings as rec
from definitions import teams
from definitions.alerts import boards
from definitions.alerts.inputs import counting, share
from definitions.metrics import gateway as gw
from definitions.metrics import policy
from sarkmon.model import AlertRule, RuleGroup, Runbook
from sarkmon.model.alert_tests import (
    AlertTest,
    Fires,
    Quiet,
    Series,
    observations,
    steady,
    threshold_cases,
)

DURATION = gw.REQUEST_DURATION_SECONDS.bucket
CACHE = f"rate({policy.CACHE_HITS}[1h])"
CACHE_STALE = f"rate({policy.CACHE_STALE_HITS}[1h])"
CACHE_MISSES = f"rate({policy.CACHE_MISSES}[1h])"
CACHE_HITS_1H = f"((sum({CACHE}) or vector(0)) + (sum({CACHE_STALE}) or vector(0)))"
DENIED = gw.AUTHZ_REQUESTS(decision="deny")

# Test inputs, sampled every 5 minutes like the rules are evaluated.
EVERY = "5m"
INVOKE = {"method": "POST", "endpoint": "/gateway/invoke"}


def latency(fast: str, slow: str = "") -> list[Series]:
    """10 calls a second taking 40ms for ``fast``, then 200ms for ``slow``."""
    profile = steady(0, fast) + steady(1, slow) if slow else steady(0, fast)
    return observations(DURATION(**INVOKE), lambda s: {0.04: 10 * (1 - s), 0.2: 10 * s}, profile)


def denials(today: float) -> list[Series]:
    """One denial a second for a day, then ``today`` a second."""
    profile = steady(1, "24h") + steady(today, "6h")
    return [Series(DENIED(action="read_file", server="shell"), profile.counter())]


group = RuleGroup(
    "trends_quality",
    interval="5m",
    rules=[
        AlertRule(
            "UserExperienceDegradation",
            f"histogram_quantile(0.95, sum by (le) (rate({DURATION}[1h])))\n"
            f"/ histogram_quantile(0.95, sum by (le) (rate({DURATION}[1h] offset 24h)))\n"
            "> 1.5",
            for_="2h",
            severity="warning",
            team=teams.BUSINESS,
            category="support",
            dashboards=(boards.GATEWAY_PERFORMANCE,),
            component="gateway",
            summary="Gateway latency is well above yesterday's",
            description="P95 gateway request duration over the last hour is "
            "{{ $value | humanize }} times the same hour yesterday (threshold 1.5).",
            runbook=Runbook(
                impact="Users notice the slowdown; support tickets tend to follow.",
                diagnosis=(f"{rec.REQUEST_P95}", f"{rec.REQUEST_P95} offset 24h"),
                mitigation=("Match the start with deploys and traffic changes.",),
            ),
            tests=[
                AlertTest(
                    "calls take 200ms instead of 40ms from the second day: fires after 2h",
                    series=latency("24h", "2h30m"),
                    interval=EVERY,
                    expect=[
                        Quiet("25h"),
                        Fires(
                            "26h30m",
                            annotations={
                                "description": "P95 gateway request duration over the last hour "
                                "is 4.974 times the same hour yesterday (threshold 1.5)."
                            },
                        ),
                    ],
                ),
                AlertTest(
                    "the same latency both days: quiet",
                    series=latency("26h30m"),
                    interval=EVERY,
                    expect=[Quiet("26h30m", since="0s")],
                ),
            ],
        ),
        AlertRule(
            "HighSupportTicketVolume",
            f"sum(rate({gw.CLIENT_ERRORS}[1h])) > 50",
            for_="4h",
            severity="warning",
            team=teams.BUSINESS,
            category="support",
            dashboards=(boards.GATEWAY_INTEGRATION, boards.GATEWAY_SECURITY),
            component="gateway",
            summary="Client errors likely to drive support tickets",
            description="Gateway clients hit {{ $value | humanize }} errors per second over "
            "the last hour (threshold 50/s).",
            runbook=Runbook(
                impact="Users run into errors; support should expect tickets.",
                diagnosis=(f"sum by (operation, error_type) (rate({gw.CLIENT_ERRORS}[1h]))",),
                mitigation=("Brief support on the errors and the expected fix.",),
            ),
            tests=threshold_cases(
                counting(
                    gw.CLIENT_ERRORS(operation="call_tool", error_type="timeout"),
                    gw.CLIENT_ERRORS(operation="list_tools", error_type="refused"),
                ),
                threshold=50,
                for_="4h",
                window="1h",
                interval=EVERY,
                annotations={
                    "description": "Gateway clients hit 52.5 errors per second over the last hour "
                    "(threshold 50/s)."
                },
            ),
        ),
        AlertRule(
            "CacheHitRateDeclining",
            f"{CACHE_HITS_1H}\n/ ({CACHE_HITS_1H} + sum({CACHE_MISSES}))\n< 0.7",
            for_="4h",
            severity="warning",
            team=teams.BUSINESS,
            category="quality",
            dashboards=(boards.POLICY,),
            component="policy",
            summary="Policy cache hit rate low for hours",
            description="The policy cache answered {{ $value | humanizePercentage }} of "
            "lookups over the last hour (threshold 70%).",
            runbook=Runbook(
                impact="Decisions are slower and OPA carries more load than planned.",
                diagnosis=(f"{rec.POLICY_CACHE_HIT_RATIO}",),
                mitigation=("Review cache size and TTL against the current working set.",),
            ),
            tests=threshold_cases(
                # No stale hit ever: that series is absent and counts as zero.
                share(
                    policy.CACHE_HITS(sensitivity_level="high"),
                    policy.CACHE_MISSES(sensitivity_level="high"),
                ),
                threshold=0.7,
                above=False,
                for_="4h",
                window="1h",
                interval=EVERY,
                annotations={
                    "description": "The policy cache answered 66.5% of lookups over the last "
                    "hour (threshold 70%)."
                },
            ),
        ),
        AlertRule(
            "AuthorizationDenyRateIncreasing",
            f"sum(rate({DENIED}[1h]))\n/ sum(rate({DENIED}[1h] offset 24h))\n> 1.5",
            for_="4h",
            severity="warning",
            team=teams.BUSINESS,
            category="quality",
            dashboards=(boards.GATEWAY_SECURITY, boards.AUTH),
            component="gateway",
            summary="Authorization denials rising",
            description="Denials over the last hour run at {{ $value | humanize }} times "
            "yesterday's rate (threshold 1.5).",
            runbook=Runbook(
                impact="Users hit more denials: a policy change or new, unauthorized usage.",
                diagnosis=(f"sum by (action) (rate({DENIED}[1h]))",),
                mitigation=("Review recent policy changes with the policy owners.",),
            ),
            tests=[
                AlertTest(
                    "denials double from one day to the next: fires after 4h",
                    series=denials(2),
                    interval=EVERY,
                    expect=[
                        Quiet("28h"),
                        Fires(
                            "29h30m",
                            annotations={
                                "description": "Denials over the last hour run at 2 times "
                                "yesterday's rate (threshold 1.5)."
                            },
                        ),
                    ],
                ),
                AlertTest(
                    "denials rise by a quarter: quiet",
                    series=denials(1.25),
                    interval=EVERY,
                    expect=[Quiet("30h", since="0s")],
                ),
            ],
        ),
    ],
)
