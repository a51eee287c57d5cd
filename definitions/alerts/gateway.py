"""Gateway integration alerts (SARK's gateway-alerts.yaml, rebuilt).

What changed from the hand-written file, alert by alert:
- the latency quantiles aggregate buckets with ``sum by (le)``; the per-series quantile
  raised one alert per action and instance, each on a handful of requests;
- rates are summed before comparing with a threshold meant for the whole gateway;
- the deny ratios divided each series by itself (the filter was on one side of a one-to-one
  match, so the ratio was always 1): both sides are now summed;
- NoGatewayRequests and AuditEventLoggingFailed fire when the series is absent, and the
  audit check no longer joins two metrics whose labels never match;
- LowPolicyCacheHitRate is LowGatewayCacheHitRate: the policy service has its own
  LowPolicyCacheHitRate, on its own cache.
"""

from definitions import teams
from definitions.metrics import gateway as gw
from sarkmon.model import AlertRule, RuleFile, RuleGroup, Runbook

AUTHZ = gw.AUTHZ_REQUESTS
DENIED = AUTHZ(decision="deny")
LATENCY = gw.AUTHZ_LATENCY_SECONDS

P95_AUTHZ_LATENCY = f"histogram_quantile(0.95, sum by (le) (rate({LATENCY.bucket}[5m])))"
AUTHZ_DIAGNOSIS = (
    f"histogram_quantile(0.95, sum by (le, action) (rate({LATENCY.bucket}[5m])))",
    f"sum by (decision) (rate({AUTHZ}[5m]))",
)

rules = RuleFile(
    "gateway",
    description="MCP gateway authorization: latency, errors, deny rates, cache, audit.",
    groups=[
        RuleGroup(
            "gateway_integration",
            interval="30s",
            rules=[
                AlertRule(
                    "HighGatewayAuthorizationLatency",
                    f"{P95_AUTHZ_LATENCY} > 0.05",
                    for_="5m",
                    severity="warning",
                    team=teams.PLATFORM,
                    category="performance",
                    component="gateway",
                    summary="High Gateway authorization latency",
                    description="P95 authorization latency is {{ $value | humanizeDuration }} "
                    "(threshold 50ms) over the last 5 minutes.",
                    runbook=Runbook(
                        impact="Every MCP tool call waits for authorization; agents slow down.",
                        diagnosis=AUTHZ_DIAGNOSIS,
                        mitigation=(
                            "Check OPA latency and the policy cache hit rate.",
                            "Scale the gateway if requests in flight are high.",
                        ),
                    ),
                ),
                AlertRule(
                    "CriticalGatewayAuthorizationLatency",
                    f"{P95_AUTHZ_LATENCY} > 0.1",
                    for_="2m",
                    severity="critical",
                    team=teams.PLATFORM,
                    category="performance",
                    component="gateway",
                    summary="Critical Gateway authorization latency",
                    description="P95 authorization latency is {{ $value | humanizeDuration }} "
                    "(threshold 100ms).",
                    runbook=Runbook(
                        impact="Tool calls time out at the clients; agents fail their tasks.",
                        diagnosis=AUTHZ_DIAGNOSIS,
                        mitigation=(
                            "Check OPA health and latency first: it is the usual cause.",
                            "Scale the gateway; roll back a recent policy bundle if it grew.",
                        ),
                    ),
                ),
                AlertRule(
                    "GatewayClientErrors",
                    f"sum by (operation) (rate({gw.CLIENT_ERRORS}[5m])) > 0.1",
                    for_="2m",
                    severity="critical",
                    team=teams.PLATFORM,
                    category="errors",
                    component="gateway",
                    summary="Gateway client errors in {{ $labels.operation }}",
                    description="{{ $labels.operation }} fails {{ $value | humanize }} times "
                    "per second (threshold 0.1/s).",
                    runbook=Runbook(
                        impact="Calls from the gateway to MCP servers fail.",
                        diagnosis=(
                            f"sum by (operation, error_type) (rate({gw.CLIENT_ERRORS}[5m]))",
                        ),
                        mitigation=(
                            "Check the MCP server named in the errors, and its network path.",
                        ),
                    ),
                ),
                AlertRule(
                    "HighDenyRate",
                    f"sum(rate({DENIED}[10m])) / sum(rate({AUTHZ}[10m])) > 0.3",
                    for_="10m",
                    severity="warning",
                    team=teams.SECURITY,
                    category="security",
                    component="gateway",
                    summary="High Gateway authorization denial rate",
                    description="{{ $value | humanizePercentage }} of authorization requests "
                    "were denied over 10 minutes (threshold 30%).",
                    runbook=Runbook(
                        impact="Legitimate users may be blocked, or someone is probing.",
                        diagnosis=(f"sum by (action, server) (rate({DENIED}[10m]))",),
                        mitigation=(
                            "A recent policy change is the usual cause: compare with the last one.",
                            "If denials come from one client, treat it as a probe: see Security.",
                        ),
                    ),
                ),
                AlertRule(
                    "LowGatewayCacheHitRate",
                    f"sum(rate({gw.CACHE_HITS}[10m]))\n"
                    f"/ (sum(rate({gw.CACHE_HITS}[10m])) + sum(rate({gw.CACHE_MISSES}[10m])))\n"
                    "< 0.8",
                    for_="10m",
                    severity="warning",
                    team=teams.PLATFORM,
                    category="performance",
                    component="gateway",
                    summary="Low Gateway policy cache hit rate",
                    description="The gateway's policy cache answers "
                    "{{ $value | humanizePercentage }} of lookups (threshold 80%).",
                    runbook=Runbook(
                        impact="More decisions go to OPA: higher latency and OPA load.",
                        mitigation=("Check cache size and evictions; a policy reload empties it.",),
                    ),
                ),
                AlertRule(
                    "ZeroCacheHits",
                    f"sum(rate({gw.CACHE_MISSES}[5m])) > 0 and sum(rate({gw.CACHE_HITS}[5m])) == 0",
                    for_="5m",
                    severity="critical",
                    team=teams.PLATFORM,
                    category="performance",
                    component="gateway",
                    summary="Gateway policy cache not working",
                    description="The gateway's policy cache has missed every lookup for 5 minutes.",
                    runbook=Runbook(
                        impact="Every decision goes to OPA; latency and OPA load rise sharply.",
                        mitigation=(
                            "Check the cache backend (Redis) and the gateway's cache settings.",
                        ),
                    ),
                ),
                AlertRule(
                    "HighGatewayRequestVolume",
                    f"sum(rate({AUTHZ}[5m])) > 1000",
                    for_="5m",
                    severity="warning",
                    team=teams.PLATFORM,
                    category="capacity",
                    component="gateway",
                    summary="High Gateway request volume",
                    description="The gateway authorizes {{ $value | humanize }} requests "
                    "per second (threshold 1000/s).",
                    runbook=Runbook(
                        impact="Close to the capacity the gateway was sized for.",
                        diagnosis=(f"sum by (server) (rate({AUTHZ}[5m]))",),
                        mitigation=("Scale the gateway out; find the client driving the volume.",),
                    ),
                ),
                AlertRule(
                    "NoGatewayRequests",
                    f"(sum(rate({AUTHZ}[10m])) or vector(0)) == 0",
                    for_="10m",
                    severity="warning",
                    team=teams.PLATFORM,
                    category="availability",
                    component="gateway",
                    summary="No Gateway requests",
                    description="The gateway has authorized no request for 10 minutes.",
                    runbook=Runbook(
                        impact="Agents may be unable to reach the gateway.",
                        mitigation=("Check that the gateway is up and that clients can reach it.",),
                    ),
                ),
                AlertRule(
                    "AuditEventLoggingFailed",
                    f"(sum(rate({gw.AUDIT_EVENTS}[5m])) or vector(0)) == 0\n"
                    f"and sum(rate({AUTHZ}[5m])) > 0",
                    for_="5m",
                    severity="critical",
                    team=teams.COMPLIANCE,
                    category="compliance",
                    component="gateway",
                    summary="Gateway audit events not being logged",
                    description="The gateway authorizes requests but has logged no audit event "
                    "for 5 minutes.",
                    runbook=Runbook(
                        impact="Authorization decisions are not audited: a compliance breach.",
                        mitigation=("Check the audit writer and its destinations.",),
                    ),
                ),
                AlertRule(
                    "HighA2ADenyRate",
                    f"sum(rate({gw.A2A_AUTHZ_REQUESTS(decision='deny')}[10m]))\n"
                    f"/ sum(rate({gw.A2A_AUTHZ_REQUESTS}[10m])) > 0.5",
                    for_="10m",
                    severity="warning",
                    team=teams.SECURITY,
                    category="security",
                    component="gateway",
                    summary="High A2A authorization denial rate",
                    description="{{ $value | humanizePercentage }} of agent-to-agent authorization "
                    "requests were denied (threshold 50%).",
                    runbook=Runbook(
                        impact="Agents cannot delegate to each other; or an agent is misbehaving.",
                        diagnosis=(
                            f"sum by (source_type, target_type) "
                            f"(rate({gw.A2A_AUTHZ_REQUESTS(decision='deny')}[10m]))",
                        ),
                    ),
                ),
            ],
        ),
    ],
)
