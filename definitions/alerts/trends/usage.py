"""Usage trends over hours and days: churn, adoption, growth, quotas, cost.

LowToolInvocationRate stays silent while sark_gateway_tool_invocations_total is absent.
SARK defines the counter but never records it (it is dormant), so reading its absence as
zero invocations would fire for good, and no recorded metric counts tool invocations. It
fires when counted invocations fall; restore ``or vector(0)`` once SARK records them.
"""

from fractions import Fraction

from definitions import teams
from definitions.alerts import boards
from definitions.alerts.inputs import counting
from definitions.metrics import gateway as gw
from sarkmon.model import AlertRule, RuleGroup, Runbook
from sarkmon.model import re as regex
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
ACTIVE_NOW = f"count(sum by (user) (rate({REQUESTS}[1h])) > 0)"
ACTIVE_YESTERDAY = f"count(sum by (user) (rate({REQUESTS}[1h] offset 24h)) > 0)"
TOOLS = gw.TOOL_INVOCATIONS
NEW_TOOLS = TOOLS(tool=regex("new_.*"))
A2A = gw.A2A_AUTHZ_REQUESTS
DAILY_QUOTA = 10000  # requests per user per day
BY_USER = f"sum by (user_id) (increase({gw.REQUESTS_BY_USER}[24h]))"
COST_PER_REQUEST = 0.0001  # dollars
MONTHLY_BUDGET = 10000  # dollars
SECONDS_PER_MONTH = 86400 * 30  # a 30-day month

NEVER_CALLED = "a tool never called has no series; only an exported tool catalog shows it"
DORMANT = "the counter is dormant: its absence is SARK's normal state, not a lull"

# Test inputs, sampled every 5 minutes like the rules are evaluated.
EVERY = "5m"
CALL = {"method": "POST", "endpoint": "/gateway/invoke", "tool": "search", "status": "success"}
SEARCH = {"tool": "search", "server": "web", "status": "success", "user": "alice"}
AGENTS = {"decision": "allow", "source_type": "agent", "target_type": "agent"}


def active(user: str, until: str, then: str = "") -> Series:
    """``user`` calling 0.1 times per second until ``until``, then absent for ``then``."""
    profile = steady(0.1, until) + (absent(then) if then else steady(0.1, "5m"))
    return Series(REQUESTS(user=user, **CALL), profile.counter())


def tool_calls(tool: str, values: str) -> Series:
    """Calls of ``tool`` by alice, in promtool notation sampled every hour."""
    return Series(TOOLS(**{**SEARCH, "tool": tool}), values)


def a2a(profile_per_second: list[tuple[float, str]]) -> list[Series]:
    profile = steady(*profile_per_second[0])
    for level, over in profile_per_second[1:]:
        profile = profile + steady(level, over)
    return [Series(A2A(**AGENTS), profile.counter())]


def by_user(user: str, per_second: Fraction, over: str) -> Series:
    return Series(gw.REQUESTS_BY_USER(user_id=user), steady(per_second, over).counter())


group = RuleGroup(
    "trends_usage",
    interval="5m",
    rules=[
        AlertRule(
            "HighUserChurnRate",
            f"(\n  {ACTIVE_YESTERDAY}\n  - ({ACTIVE_NOW} or vector(0))\n)\n"
            f"/ {ACTIVE_YESTERDAY}\n> 0.2",
            for_="4h",
            severity="warning",
            team=teams.BUSINESS,
            category="engagement",
            dashboards=(boards.GATEWAY_INTEGRATION,),
            component="gateway",
            summary="Many fewer active users than yesterday",
            description="The number of active users fell by {{ $value | humanizePercentage }} "
            "compared with the same hour yesterday (threshold 20%).",
            runbook=Runbook(
                impact="Users are leaving, or a client release stopped working for them.",
                diagnosis=(ACTIVE_NOW, ACTIVE_YESTERDAY),
                mitigation=("Check for a client or policy change that locked users out.",),
            ),
            tests=[
                AlertTest(
                    "3 of 10 users stop after a day: fires 4h later",
                    series=[
                        *(active(f"user{i}", "29h30m") for i in range(7)),
                        *(active(f"user{i}", "24h", then="5h30m") for i in range(7, 10)),
                    ],
                    interval=EVERY,
                    expect=[
                        Quiet("28h"),
                        Fires(
                            "29h30m",
                            annotations={
                                "description": "The number of active users fell by 30% "
                                "compared with the same hour yesterday (threshold 20%)."
                            },
                        ),
                    ],
                ),
                AlertTest(
                    "every user stays: quiet",
                    series=[active(f"user{i}", "29h30m") for i in range(10)],
                    interval=EVERY,
                    expect=[Quiet("29h30m", since="0s")],
                ),
            ],
        ),
        AlertRule(
            "LowToolInvocationRate",
            f"sum(rate({TOOLS}[1h])) < 10",
            for_="4h",
            severity="info",
            team=teams.BUSINESS,
            category="adoption",
            silence={"logic/absent-blind": DORMANT},
            dashboards=(boards.GATEWAY_PERFORMANCE,),
            component="gateway",
            summary="Low tool invocation rate",
            description="Tools are invoked {{ $value | humanize }} times per second over the "
            "last hour (threshold 10/s).",
            runbook=Runbook(
                impact="Agents use fewer tools than expected.",
                diagnosis=(f"sum by (tool) (rate({TOOLS}[1h]))",),
                mitigation=("Compare with last week; look for tools that stopped entirely.",),
            ),
            tests=[
                *threshold_cases(
                    counting(TOOLS(**SEARCH), TOOLS(**{**SEARCH, "tool": "fetch"})),
                    threshold=10,
                    above=False,
                    for_="4h",
                    window="1h",
                    interval=EVERY,
                    annotations={
                        "description": "Tools are invoked 9.5 times per second over the last "
                        "hour (threshold 10/s)."
                    },
                ),
                AlertTest(
                    "no tool invocation series at all (SARK does not record it yet): quiet",
                    series=[],
                    interval=EVERY,
                    expect=[Quiet("4h10m", since="0s")],
                ),
            ],
        ),
        AlertRule(
            "NewFeatureNotAdopted",
            f"sum by (tool) (increase({NEW_TOOLS}[24h])) < 1",
            for_="7d",
            severity="info",
            team=teams.BUSINESS,
            category="adoption",
            silence={"logic/absent-blind": NEVER_CALLED},
            dashboards=(boards.GATEWAY_PERFORMANCE,),
            component="gateway",
            summary="New feature {{ $labels.tool }} not being used",
            description="{{ $labels.tool }} has not been invoked in any day of the last week.",
            runbook=Runbook(
                impact="A new tool ships without users.",
                diagnosis=(f"sum by (tool) (increase({NEW_TOOLS}[7d]))",),
                mitigation=("Check the tool is granted by policy and announced to users.",),
            ),
            tests=[
                AlertTest(
                    "a new tool called once, never again: fires after a week; one called "
                    "every day does not",
                    series=[
                        tool_calls("new_summarize", "0 1x200"),
                        tool_calls("new_translate", "0+2x200"),
                        tool_calls("search", "0+100x200"),
                    ],
                    interval="1h",
                    expect=[
                        Quiet("7d"),
                        Fires(
                            "8d2h",
                            labels={"tool": "new_summarize"},
                            annotations={
                                "summary": "New feature new_summarize not being used",
                                "description": "new_summarize has not been invoked in any day "
                                "of the last week.",
                            },
                        ),
                    ],
                ),
            ],
        ),
        AlertRule(
            "HighA2AUsageGrowth",
            f"sum(rate({A2A}[1h]))\n/ sum(rate({A2A}[1h] offset 24h))\n> 2",
            for_="6h",
            severity="info",
            team=teams.BUSINESS,
            category="adoption",
            dashboards=(boards.GATEWAY_INTEGRATION,),
            component="gateway",
            summary="Agent-to-agent usage growing rapidly",
            description="Agent-to-agent authorizations run at {{ $value | humanize }} times "
            "yesterday's rate (threshold 2).",
            runbook=Runbook(
                impact="Capacity planned for A2A traffic may soon be short.",
                diagnosis=(f"sum by (source_type, target_type) (rate({A2A}[1h]))",),
                mitigation=("Review A2A capacity; confirm the growth is expected.",),
            ),
            tests=[
                AlertTest(
                    "A2A traffic triples from one day to the next: fires after 6h",
                    series=a2a([(1, "24h"), (3, "8h")]),
                    interval=EVERY,
                    expect=[
                        Quiet("30h"),
                        Fires(
                            "31h30m",
                            annotations={
                                "description": "Agent-to-agent authorizations run at 3 times "
                                "yesterday's rate (threshold 2)."
                            },
                        ),
                    ],
                ),
                AlertTest(
                    "A2A traffic grows by half: quiet",
                    series=a2a([(2, "24h"), (3, "8h")]),
                    interval=EVERY,
                    expect=[Quiet("32h", since="0s")],
                ),
            ],
        ),
        AlertRule(
            "UserApproachingQuota",
            f"{BY_USER} / {DAILY_QUOTA} > 0.8",
            for_="1h",
            severity="warning",
            team=teams.BUSINESS,
            category="quotas",
            dashboards=(boards.GATEWAY_INTEGRATION,),
            component="gateway",
            summary="User {{ $labels.user_id }} approaching daily quota",
            description="User {{ $labels.user_id }} used {{ $value | humanizePercentage }} "
            "of the daily quota of 10000 requests in the last 24 hours (threshold 80%).",
            runbook=Runbook(
                impact="The user will be throttled once the quota is used up.",
                diagnosis=(f"topk(10, {BY_USER})",),
                mitigation=("Contact the customer about an upgrade, or raise the quota.",),
            ),
            tests=[
                AlertTest(
                    "a user on course for 14400 requests a day: fires for that user",
                    series=[
                        by_user("heavy", Fraction(1, 6), "16h"),
                        by_user("light", Fraction(1, 12), "16h"),
                    ],
                    interval=EVERY,
                    expect=[
                        Quiet("13h"),
                        Fires(
                            "15h",
                            labels={"user_id": "heavy"},
                            annotations={
                                "summary": "User heavy approaching daily quota",
                                "description": "User heavy used 90% of the daily quota of "
                                "10000 requests in the last 24 hours (threshold 80%).",
                            },
                        ),
                    ],
                ),
                AlertTest(
                    "7200 requests a day: quiet",
                    series=[by_user("light", Fraction(1, 12), "26h")],
                    interval=EVERY,
                    expect=[Quiet("26h", since="0s")],
                ),
            ],
        ),
        AlertRule(
            "HighInfrastructureCost",
            f"sum(rate({gw.REQUESTS}[1h])) * {COST_PER_REQUEST} * {SECONDS_PER_MONTH}\n"
            f"> {MONTHLY_BUDGET}",
            for_="4h",
            severity="warning",
            team=teams.BUSINESS,
            category="cost",
            dashboards=(boards.GATEWAY_PERFORMANCE,),
            component="gateway",
            summary="Projected monthly infrastructure cost high",
            description="At the last hour's request rate the month would cost "
            "${{ $value | humanize }} (budget $10k at $0.0001 per request).",
            runbook=Runbook(
                impact="The month's infrastructure budget will be exceeded.",
                diagnosis=(f"sum by (tool) (rate({gw.REQUESTS}[1h]))",),
                mitigation=("Review the heaviest users and tools with finance.",),
            ),
            tests=threshold_cases(
                counting(REQUESTS(user="alice", **CALL), REQUESTS(user="bob", **CALL)),
                # The budget is passed at 10000 / 259.2 = 38.58 requests per second.
                threshold=MONTHLY_BUDGET / (Fraction(str(COST_PER_REQUEST)) * SECONDS_PER_MONTH),
                quiet=38,
                firing=39,
                alert_threshold=MONTHLY_BUDGET,
                for_="4h",
                window="1h",
                interval=EVERY,
                annotations={
                    "description": "At the last hour's request rate the month would cost "
                    "$10.11k (budget $10k at $0.0001 per request)."
                },
            ),
        ),
    ],
)
