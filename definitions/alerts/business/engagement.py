"""Engagement and adoption: who uses the gateway, and how much."""

from definitions import teams
from definitions.metrics import gateway as gw
from sarkmon.model import AlertRule, RuleGroup, Runbook
from sarkmon.model import re as regex

REQUESTS = gw.REQUESTS
ACTIVE_NOW = f"count(sum by (user) (rate({REQUESTS}[1h])) > 0)"
ACTIVE_YESTERDAY = f"count(sum by (user) (rate({REQUESTS}[1h] offset 24h)) > 0)"
TOOLS = gw.TOOL_INVOCATIONS
NEW_TOOLS = TOOLS(tool=regex("new_.*"))
A2A = gw.A2A_AUTHZ_REQUESTS

group = RuleGroup(
    "business_engagement",
    interval="1m",
    rules=[
        AlertRule(
            "LowActiveUserCount",
            f"(sum({gw.UNIQUE_USERS}) or vector(0)) < 10",
            for_="1h",
            severity="warning",
            team=teams.BUSINESS,
            category="engagement",
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
        ),
        AlertRule(
            "HighUserChurnRate",
            f"(\n  {ACTIVE_YESTERDAY}\n  - ({ACTIVE_NOW} or vector(0))\n)\n"
            f"/ {ACTIVE_YESTERDAY}\n> 0.2",
            for_="4h",
            severity="warning",
            team=teams.BUSINESS,
            category="engagement",
            component="gateway",
            summary="Many fewer active users than yesterday",
            description="The number of active users fell by {{ $value | humanizePercentage }} "
            "compared with the same hour yesterday (threshold 20%).",
            runbook=Runbook(
                impact="Users are leaving, or a client release stopped working for them.",
                diagnosis=(ACTIVE_NOW, ACTIVE_YESTERDAY),
                mitigation=("Check for a client or policy change that locked users out.",),
            ),
        ),
        AlertRule(
            "NoRequestsReceived",
            f"(sum(rate({REQUESTS}[5m])) or vector(0)) == 0",
            for_="30m",
            severity="critical",
            team=teams.PLATFORM,
            category="engagement",
            component="gateway",
            summary="No gateway requests for 30 minutes",
            description="The gateway has received no request for 30 minutes.",
            runbook=Runbook(
                impact="Nobody can use SARK, or SARK stopped reporting its requests.",
                diagnosis=('up{job="sark-api"}', f"sum(rate({gw.AUTHZ_REQUESTS}[5m]))"),
                mitigation=(
                    "Check that SARK is up and reachable from its clients (DNS, ingress).",
                    "If authorizations still flow, the request metrics are broken: file a bug.",
                ),
            ),
        ),
        AlertRule(
            "LowToolInvocationRate",
            f"(sum(rate({TOOLS}[1h])) or vector(0)) < 10",
            for_="4h",
            severity="info",
            team=teams.BUSINESS,
            category="adoption",
            component="gateway",
            summary="Low tool invocation rate",
            description="Tools are invoked {{ $value | humanize }} times per second over the "
            "last hour (threshold 10/s).",
            runbook=Runbook(
                impact="Agents use fewer tools than expected.",
                diagnosis=(f"sum by (tool) (rate({TOOLS}[1h]))",),
                mitigation=("Compare with last week; look for tools that stopped entirely.",),
            ),
        ),
        AlertRule(
            "NewFeatureNotAdopted",
            f"sum by (tool) (increase({NEW_TOOLS}[24h])) < 1",
            for_="7d",
            severity="info",
            team=teams.BUSINESS,
            category="adoption",
            component="gateway",
            summary="New feature {{ $labels.tool }} not being used",
            description="{{ $labels.tool }} has not been invoked in any day of the last week.",
            runbook=Runbook(
                impact="A new tool ships without users.",
                diagnosis=(f"sum by (tool) (increase({NEW_TOOLS}[7d]))",),
                mitigation=("Check the tool is granted by policy and announced to users.",),
            ),
        ),
        AlertRule(
            "HighA2AUsageGrowth",
            f"sum(rate({A2A}[1h]))\n/ sum(rate({A2A}[1h] offset 24h))\n> 2",
            for_="6h",
            severity="info",
            team=teams.BUSINESS,
            category="adoption",
            component="gateway",
            summary="Agent-to-agent usage growing rapidly",
            description="Agent-to-agent authorizations run at {{ $value | humanize }} times "
            "yesterday's rate (threshold 2).",
            runbook=Runbook(
                impact="Capacity planned for A2A traffic may soon be short.",
                diagnosis=(f"sum by (source_type, target_type) (rate({A2A}[1h]))",),
                mitigation=("Review A2A capacity; confirm the growth is expected.",),
            ),
        ),
    ],
)
