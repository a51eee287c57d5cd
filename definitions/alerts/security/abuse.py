"""Abuse: rate limits, abnormal tool use, new accounts with heavy traffic."""

from definitions import teams
from definitions.alerts import boards
from definitions.alerts.inputs import counting
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

LIMITED = gw.RATE_LIMIT_EXCEEDED
LIMITED_RATE = f"sum(rate({LIMITED}[5m]))"
LIMIT_DIAGNOSIS = (
    f"sum by (limit_type) (rate({LIMITED}[5m]))",
    f"topk(10, sum by (user) (rate({LIMITED}[5m])))",
)
TOOLS = gw.TOOL_INVOCATIONS
REQUESTS = gw.REQUESTS

# Test inputs.
PER_MINUTE = {"limit_type": "per_minute"}
BURST = {"limit_type": "burst"}
SEARCH = {"tool": "search", "server": "web", "status": "success"}
CALL = {"method": "POST", "endpoint": "/gateway/invoke", "tool": "search", "status": "success"}
SHELL_ERRORS = {"tool": "shell", "server": "host", "status": "error"}


def searches(user: str, profile: str | None = None, rate: float = 1) -> Series:
    """Calls of the search tool by ``user``: ``rate``/s for 100m, or the given profile."""
    values = steady(rate, "100m") if profile is None else profile
    return Series(TOOLS(user=user, **SEARCH), values.counter())  # type: ignore[union-attr]


def requests(user: str, rate: float, after: str = "") -> Series:
    """Requests of ``user`` at ``rate``/s until 24h15m, or for 15m from ``after``."""
    selector = REQUESTS(user=user, **CALL)
    if after:
        start = absent(after) if after != "0s" else None
        profile = steady(rate, "15m") if start is None else start + steady(rate, "15m")
        return Series(selector, profile.counter())
    return Series(selector, steady(rate, "24h15m").counter())


group = RuleGroup(
    "security_abuse",
    interval="30s",
    rules=[
        AlertRule(
            "RateLimitViolations",
            f"{LIMITED_RATE} > 10",
            for_="5m",
            severity="warning",
            team=teams.SECURITY,
            category="rate_limiting",
            dashboards=(boards.GATEWAY_SECURITY,),
            component="gateway",
            summary="High rate of rate-limit violations",
            description="{{ $value | humanize }} requests per second exceed a rate limit "
            "(threshold 10/s).",
            runbook=Runbook(
                impact="Clients are throttled; one of them may be abusing the gateway.",
                diagnosis=LIMIT_DIAGNOSIS,
                mitigation=(
                    "One user dominates: contact its owner or block it.",
                    "Spread over many users: the limits may be too low for real traffic.",
                ),
            ),
            tests=threshold_cases(
                counting(LIMITED(user="alice", **PER_MINUTE), LIMITED(user="bob", **BURST)),
                threshold=10,
                for_="5m",
                window="5m",
                annotations={
                    "description": "10.5 requests per second exceed a rate limit (threshold 10/s)."
                },
            ),
        ),
        AlertRule(
            "CriticalRateLimitViolations",
            f"{LIMITED_RATE} > 50",
            for_="2m",
            severity="critical",
            team=teams.SECURITY,
            category="rate_limiting",
            dashboards=(boards.GATEWAY_SECURITY,),
            component="gateway",
            summary="Spike of rate-limit violations",
            description="{{ $value | humanize }} requests per second exceed a rate limit "
            "(threshold 50/s).",
            runbook=Runbook(
                impact="A flood against the gateway: denial of service for other clients.",
                diagnosis=LIMIT_DIAGNOSIS,
                mitigation=(
                    "Block the top offenders at the edge.",
                    "Scale the gateway if legitimate traffic is being throttled.",
                ),
            ),
            tests=threshold_cases(
                counting(LIMITED(user="alice", **PER_MINUTE), LIMITED(user="bob", **BURST)),
                threshold=50,
                for_="2m",
                window="5m",
                annotations={
                    "description": "52.5 requests per second exceed a rate limit (threshold 50/s)."
                },
            ),
        ),
        AlertRule(
            "SingleUserRateLimitAbuse",
            f"sum by (user) (rate({LIMITED}[5m])) > 5",
            for_="10m",
            severity="warning",
            team=teams.SECURITY,
            category="rate_limiting",
            dashboards=(boards.GATEWAY_SECURITY,),
            component="gateway",
            summary="User {{ $labels.user }} keeps exceeding rate limits",
            description="User {{ $labels.user }} exceeds rate limits "
            "{{ $value | humanize }} times per second (threshold 5/s).",
            runbook=Runbook(
                impact="One client is hammering the gateway despite being throttled.",
                diagnosis=(f'sum by (limit_type) (rate({LIMITED}{{user="<user>"}}[5m]))',),
                mitigation=(
                    "Contact the user's owner; suspend the credentials if it is abuse.",
                    "A runaway agent loop is common: stop the agent.",
                ),
            ),
            tests=threshold_cases(
                # Half the level on each limit type: only their sum passes the threshold.
                counting(
                    LIMITED(user="mallory", **PER_MINUTE),
                    LIMITED(user="mallory", **BURST),
                    extra=(Series(LIMITED(user="alice", **BURST), steady(4, "40m").counter()),),
                ),
                threshold=5,
                for_="10m",
                window="5m",
                labels={"user": "mallory"},
                annotations={
                    "summary": "User mallory keeps exceeding rate limits",
                    "description": "User mallory exceeds rate limits 5.25 times per second "
                    "(threshold 5/s).",
                },
            ),
        ),
        AlertRule(
            "AbnormalToolUsagePattern",
            f"sum by (tool, user) (rate({TOOLS}[5m]))\n"
            f"/ ignoring (user) group_left\n"
            f"avg by (tool) (sum by (tool, user) (rate({TOOLS}[1h])))\n"
            f"> 5",
            for_="10m",
            severity="warning",
            team=teams.SECURITY,
            category="suspicious_activity",
            dashboards=(boards.GATEWAY_SECURITY, boards.GATEWAY_PERFORMANCE),
            component="gateway",
            summary="User {{ $labels.user }} calls {{ $labels.tool }} far more than usual",
            description="User {{ $labels.user }} calls {{ $labels.tool }} at "
            "{{ $value | humanize }} times the hourly per-user average for that tool "
            "(threshold 5).",
            runbook=Runbook(
                impact="A user or agent uses a tool unlike everyone else: abuse or a runaway loop.",
                diagnosis=(
                    f'sum by (tool, status) (rate({TOOLS}{{user="<user>"}}[5m]))',
                    f"avg by (tool) (sum by (tool, user) (rate({TOOLS}[1h])))",
                ),
                mitigation=(
                    "Ask the owner what the agent is doing; stop it if nobody knows.",
                    "Look at what the tool returned: bulk reads may be data exfiltration.",
                ),
            ),
            tests=[
                AlertTest(
                    "one of four users jumps from 1/s to 20/s on a tool: fires for that user",
                    series=[
                        searches("u1", steady(1, "70m") + steady(20, "30m")),
                        *(searches(user) for user in ("u2", "u3", "u4")),
                    ],
                    expect=[
                        Quiet("75m"),
                        Fires(
                            "85m",
                            labels={"tool": "search", "user": "u1"},
                            annotations={
                                "summary": "User u1 calls search far more than usual",
                                "description": "User u1 calls search at 9.143 times the hourly "
                                "per-user average for that tool (threshold 5).",
                            },
                        ),
                    ],
                ),
                AlertTest(
                    "users at different but steady rates: quiet",
                    series=[searches("u1", rate=4), searches("u2"), searches("u3")],
                    expect=[Quiet("100m", since="65m")],
                ),
            ],
        ),
        AlertRule(
            "MultipleFailedToolInvocations",
            f"sum by (user) (rate({TOOLS(status='error')}[5m])) > 10",
            for_="10m",
            severity="warning",
            team=teams.SECURITY,
            category="suspicious_activity",
            dashboards=(boards.GATEWAY_SECURITY,),
            component="gateway",
            summary="User {{ $labels.user }} has many failing tool invocations",
            description="Tool invocations by {{ $labels.user }} fail "
            "{{ $value | humanize }} times per second (threshold 10/s).",
            runbook=Runbook(
                impact="An agent is failing in a loop, or probing tools with bad input.",
                diagnosis=(f"sum by (tool, server) (rate({TOOLS(status='error')}[5m]))",),
                mitigation=(
                    "Errors on one server for every user: the MCP server is failing.",
                    "Errors for this user only: stop the agent and check its inputs.",
                ),
            ),
            tests=threshold_cases(
                counting(
                    TOOLS(user="mallory", **SHELL_ERRORS),
                    TOOLS(user="mallory", **{**SHELL_ERRORS, "tool": "sql"}),
                    # Successful calls, however many, do not count.
                    extra=(Series(TOOLS(user="mallory", **SEARCH), steady(50, "40m").counter()),),
                ),
                threshold=10,
                for_="10m",
                window="5m",
                labels={"user": "mallory"},
                annotations={
                    "summary": "User mallory has many failing tool invocations",
                    "description": "Tool invocations by mallory fail 10.5 times per second "
                    "(threshold 10/s).",
                },
            ),
        ),
        AlertRule(
            "NewUserHighActivityVolume",
            f"(sum by (user) (rate({REQUESTS}[5m])) > 100)\n"
            f"unless on (user)\n"
            f"(sum by (user) (rate({REQUESTS}[24h] offset 24h)) > 0)\n"
            # Only with a day of history: on a fresh Prometheus every user looks new.
            f"and on ()\n"
            f"(sum(rate({REQUESTS}[24h] offset 24h)) > 0)",
            for_="10m",
            severity="warning",
            team=teams.SECURITY,
            category="account_security",
            dashboards=(boards.GATEWAY_SECURITY,),
            component="gateway",
            summary="New user {{ $labels.user }} with unusually high activity",
            description="User {{ $labels.user }}, unseen the day before, sends "
            "{{ $value | humanize }} requests per second (threshold 100/s).",
            runbook=Runbook(
                impact="A fresh account generating heavy load: automation abuse or a takeover.",
                diagnosis=(f'sum by (tool, endpoint) (rate({REQUESTS}{{user="<user>"}}[5m]))',),
                mitigation=(
                    "Confirm the account was created on purpose and who owns it.",
                    "Throttle or suspend it until its owner explains the traffic.",
                ),
            ),
            tests=[
                AlertTest(
                    "a user unseen the day before sends 150/s: fires for that user only",
                    series=[requests("old", 150), requests("new", 150, after="24h")],
                    expect=[
                        Fires(
                            "24h15m",
                            labels={"user": "new"},
                            annotations={
                                "summary": "New user new with unusually high activity",
                                "description": "User new, unseen the day before, sends 150 "
                                "requests per second (threshold 100/s).",
                            },
                        )
                    ],
                ),
                AlertTest(
                    "no traffic at all the day before (a fresh Prometheus): quiet",
                    series=[requests("new", 150, after="0s")],
                    expect=[Quiet("15m", since="0s")],
                ),
            ],
        ),
    ],
)
