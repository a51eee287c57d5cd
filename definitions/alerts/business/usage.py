"""Quotas, capacity, cost and quality trends of the gateway's usage."""

from definitions import teams
from definitions.alerts import recording as rec
from definitions.metrics import gateway as gw
from definitions.metrics import policy
from sarkmon.model import AlertRule, RuleGroup, Runbook

DAILY_QUOTA = 10000  # requests per user per day
PLATFORM_CAPACITY = 1000  # requests per second the platform is sized for
COST_PER_REQUEST = 0.0001  # dollars
MONTHLY_BUDGET = 10000  # dollars
SECONDS_PER_MONTH = "86400 * 30"
BY_USER = f"sum by (user_id) (increase({gw.REQUESTS_BY_USER}[24h]))"
QUOTA_LIMITED = gw.RATE_LIMIT_EXCEEDED(limit_type="quota")
DENIED = gw.AUTHZ_REQUESTS(decision="deny")
CACHE = f"rate({policy.CACHE_HITS}[1h])"
CACHE_STALE = f"rate({policy.CACHE_STALE_HITS}[1h])"
CACHE_MISSES = f"rate({policy.CACHE_MISSES}[1h])"
CACHE_HITS_1H = f"(sum({CACHE}) or vector(0)) + (sum({CACHE_STALE}) or vector(0))"

group = RuleGroup(
    "business_usage",
    interval="1m",
    rules=[
        AlertRule(
            "UserApproachingQuota",
            f"{BY_USER} / {DAILY_QUOTA} > 0.8",
            for_="1h",
            severity="warning",
            team=teams.BUSINESS,
            category="quotas",
            component="gateway",
            summary="User {{ $labels.user_id }} approaching daily quota",
            description="User {{ $labels.user_id }} used {{ $value | humanizePercentage }} "
            "of the daily quota of 10000 requests in the last 24 hours (threshold 80%).",
            runbook=Runbook(
                impact="The user will be throttled once the quota is used up.",
                diagnosis=(f"topk(10, {BY_USER})",),
                mitigation=("Contact the customer about an upgrade, or raise the quota.",),
            ),
        ),
        AlertRule(
            "UserQuotaExceeded",
            f"sum by (user) (increase({QUOTA_LIMITED}[1h])) > 10",
            for_="30m",
            severity="info",
            team=teams.BUSINESS,
            category="quotas",
            component="gateway",
            summary="User {{ $labels.user }} exceeding quota",
            description="User {{ $labels.user }} hit the quota limit {{ $value | humanize }} "
            "times in the last hour (threshold 10).",
            runbook=Runbook(
                impact="The user's requests are refused until the quota resets.",
                diagnosis=(f"topk(10, sum by (user) (increase({QUOTA_LIMITED}[1h])))",),
                mitigation=("Offer an upgrade; check the client is not retrying in a loop.",),
            ),
        ),
        AlertRule(
            "GlobalQuotaUtilizationHigh",
            f"sum({rec.REQUESTS_RATE}) / {PLATFORM_CAPACITY} > 0.8",
            for_="1h",
            severity="warning",
            team=teams.BUSINESS,
            category="quotas",
            component="gateway",
            summary="Platform approaching global capacity",
            description="Gateway traffic is at {{ $value | humanizePercentage }} of the "
            "1000 requests per second the platform is sized for (threshold 80%).",
            runbook=Runbook(
                impact="Requests will be throttled or slow down when capacity runs out.",
                diagnosis=(f"sum by (tool) (rate({gw.REQUESTS}[1h]))",),
                mitigation=("Plan the capacity increase with infrastructure.",),
            ),
        ),
        AlertRule(
            "HighInfrastructureCost",
            f"sum(rate({gw.REQUESTS}[1h])) * {COST_PER_REQUEST} * {SECONDS_PER_MONTH}\n"
            f"> {MONTHLY_BUDGET}",
            for_="4h",
            severity="warning",
            team=teams.BUSINESS,
            category="cost",
            component="gateway",
            summary="Projected monthly infrastructure cost high",
            description="At the last hour's request rate the month would cost "
            "${{ $value | humanize }} (budget $10k at $0.0001 per request).",
            runbook=Runbook(
                impact="The month's infrastructure budget will be exceeded.",
                diagnosis=(f"sum by (tool) (rate({gw.REQUESTS}[1h]))",),
                mitigation=("Review the heaviest users and tools with finance.",),
            ),
        ),
        AlertRule(
            "CacheHitRateDeclining",
            f"{CACHE_HITS_1H}\n/ ({CACHE_HITS_1H} + sum({CACHE_MISSES}))\n< 0.7",
            for_="4h",
            severity="warning",
            team=teams.BUSINESS,
            category="quality",
            component="policy",
            summary="Policy cache hit rate low for hours",
            description="The policy cache answered {{ $value | humanizePercentage }} of "
            "lookups over the last hour (threshold 70%).",
            runbook=Runbook(
                impact="Decisions are slower and OPA carries more load than planned.",
                diagnosis=(f"{rec.POLICY_CACHE_HIT_RATIO}",),
                mitigation=("Review cache size and TTL against the current working set.",),
            ),
        ),
        AlertRule(
            "AuthorizationDenyRateIncreasing",
            f"sum(rate({DENIED}[1h]))\n/ sum(rate({DENIED}[1h] offset 24h))\n> 1.5",
            for_="4h",
            severity="warning",
            team=teams.BUSINESS,
            category="quality",
            component="gateway",
            summary="Authorization denials rising",
            description="Denials over the last hour run at {{ $value | humanize }} times "
            "yesterday's rate (threshold 1.5).",
            runbook=Runbook(
                impact="Users hit more denials: a policy change or new, unauthorized usage.",
                diagnosis=(f"sum by (action) (rate({DENIED}[1h]))",),
                mitigation=("Review recent policy changes with the policy owners.",),
            ),
        ),
    ],
)
