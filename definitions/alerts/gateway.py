"""Gateway integration alerts (SARK's gateway-alerts.yaml, rebuilt).

What changed from the hand-written file, alert by alert:
- the latency quantiles aggregate buckets with ``sum by (le)``; the per-series quantile
  raised one alert per action and instance, each on a handful of requests;
- rates are summed before comparing with a threshold meant for the whole gateway;
- the deny ratios divided each series by itself (the filter was on one side of a one-to-one
  match, so the ratio was always 1): both sides are now summed;
- AuditEventLoggingFailed fires when the audit series is absent, and no longer joins two
  metrics whose labels never match;
- NoGatewayRequests stays silent while sark_gateway_authz_requests_total is absent. SARK
  defines the counter but never records it (it is dormant), so reading its absence as "no
  request" would page for good; and no recorded metric counts gateway authorizations (the
  gateway router is not behind the middleware that records http_requests_total). It fires
  when counted requests stop; restore ``or vector(0)`` once SARK records the counter;
- LowPolicyCacheHitRate is LowGatewayCacheHitRate: the policy service has its own
  LowPolicyCacheHitRate, on its own cache.
"""

from collections.abc import Callable

from definitions import recordings as rec
from definitions import teams
from definitions.alerts import boards
from definitions.metrics import gateway as gw
from sarkmon.model import AlertRule, RuleFile, RuleGroup, Runbook
from sarkmon.model.alert_tests import (
    AlertTest,
    Fires,
    Profile,
    Quiet,
    Series,
    absent,
    observations,
    steady,
    threshold_cases,
)

AUTHZ = gw.AUTHZ_REQUESTS
DENIED = AUTHZ(decision="deny")
LATENCY = gw.AUTHZ_LATENCY_SECONDS

# Silences absent-blind on an alert whose absence handling was dropped (see the docstring).
DORMANT = "the counter is dormant: its absence is SARK's normal state, not an outage"
P95_AUTHZ_LATENCY = rec.AUTHZ_P95  # the recorded p95, shared with the dashboards
AUTHZ_DIAGNOSIS = (
    f"histogram_quantile(0.95, sum by (le, action) (rate({LATENCY.bucket}[5m])))",
    f"sum by (decision) (rate({AUTHZ}[5m]))",
)

# Test inputs: one gateway child per label, as prometheus_client exposes them.
READS = {"action": "invoke", "server": "github"}


def authz(profile: Profile, denied: float = 0.0) -> list[Series]:
    """Authorization requests at the profile's rate per second, a share of them denied."""
    return [
        Series(AUTHZ(decision="allow", **READS), profile.counter(lambda r: r * (1 - denied))),
        Series(AUTHZ(decision="deny", **READS), profile.counter(lambda r: r * denied)),
    ]


def deny_share(profile: Profile) -> list[Series]:
    """10 requests per second, the profile's level of them denied."""
    return [
        Series(AUTHZ(decision="allow", **READS), profile.counter(lambda s: 10 * (1 - s))),
        Series(AUTHZ(decision="deny", **READS), profile.counter(lambda s: 10 * s)),
    ]


def slow_share(fast: float, slow: float) -> Callable[[Profile], list[Series]]:
    """Inputs where the profile's level is the share of 10 requests/s taking ``slow`` seconds.

    The p95 passes a bucket bound between ``fast`` and ``slow`` exactly when more than 5% of
    requests are slow, so the share is the level the threshold cases move around 5%.
    """
    return lambda p: observations(
        LATENCY(action="invoke"), lambda s: {fast: 10 * (1 - s), slow: 10 * s}, over=p
    )


def lookups(profile: Profile) -> list[Series]:
    """10 policy-cache lookups per second, the profile's level of them hits."""
    return [
        Series(gw.CACHE_HITS, profile.counter(lambda h: 10 * h)),
        Series(gw.CACHE_MISSES, profile.counter(lambda h: 10 * (1 - h))),
    ]


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
                    dashboards=(boards.GATEWAY_INTEGRATION, boards.GATEWAY_PERFORMANCE),
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
                    tests=threshold_cases(
                        slow_share(0.04, 0.06),
                        threshold=0.05,
                        alert_threshold=0.05,
                        for_="5m",
                        window="5m",
                        # p95 at 5.25% slow: 50ms + (0.95 - 0.9475) / 0.0525 x 50ms
                        annotations={
                            "description": "P95 authorization latency is 52.38ms "
                            "(threshold 50ms) over the last 5 minutes."
                        },
                    ),
                ),
                AlertRule(
                    "CriticalGatewayAuthorizationLatency",
                    f"{P95_AUTHZ_LATENCY} > 0.1",
                    for_="2m",
                    severity="critical",
                    team=teams.PLATFORM,
                    category="performance",
                    dashboards=(boards.GATEWAY_INTEGRATION, boards.GATEWAY_PERFORMANCE),
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
                    tests=threshold_cases(
                        slow_share(0.08, 0.2),
                        threshold=0.05,
                        alert_threshold=0.1,
                        for_="2m",
                        window="5m",
                        # p95 at 5.25% slow: 100ms + (0.95 - 0.9475) / 0.0525 x 150ms
                        annotations={
                            "description": "P95 authorization latency is 107.1ms (threshold 100ms)."
                        },
                    ),
                ),
                AlertRule(
                    "GatewayClientErrors",
                    f"sum by (operation) (rate({gw.CLIENT_ERRORS}[5m])) > 0.1",
                    for_="2m",
                    severity="critical",
                    team=teams.PLATFORM,
                    category="errors",
                    dashboards=(boards.GATEWAY_INTEGRATION,),
                    component="gateway",
                    summary="Gateway client errors in {{ $labels.operation }}",
                    description='{{ $labels.operation }} fails {{ printf "%.2f" $value }} times '
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
                    tests=[
                        *threshold_cases(
                            lambda p: [
                                Series(
                                    gw.CLIENT_ERRORS(operation="call_tool", error_type="timeout"),
                                    p.counter(),
                                )
                            ],
                            threshold=0.1,
                            for_="2m",
                            window="5m",
                            labels={"operation": "call_tool"},
                            annotations={
                                "summary": "Gateway client errors in call_tool",
                                "description": "call_tool fails 0.11 times per second "
                                "(threshold 0.1/s).",
                            },
                        ),
                        AlertTest(
                            "one failing operation fires alone, its error types summed",
                            series=[
                                Series(
                                    gw.CLIENT_ERRORS(operation="call_tool", error_type="timeout"),
                                    steady(0.25, "20m").counter(),
                                ),
                                Series(
                                    gw.CLIENT_ERRORS(operation="call_tool", error_type="refused"),
                                    steady(0.25, "20m").counter(),
                                ),
                                Series(
                                    gw.CLIENT_ERRORS(operation="list_tools", error_type="timeout"),
                                    steady(0.05, "20m").counter(),
                                ),
                            ],
                            expect=[
                                Fires(
                                    "15m",
                                    labels={"operation": "call_tool"},
                                    annotations={
                                        "summary": "Gateway client errors in call_tool",
                                        "description": "call_tool fails 0.50 times per second "
                                        "(threshold 0.1/s).",
                                    },
                                )
                            ],
                        ),
                    ],
                ),
                AlertRule(
                    "HighDenyRate",
                    f"sum(rate({DENIED}[10m])) / sum(rate({AUTHZ}[10m])) > 0.3",
                    for_="10m",
                    severity="warning",
                    team=teams.SECURITY,
                    category="security",
                    dashboards=(boards.GATEWAY_SECURITY, boards.GATEWAY_INTEGRATION),
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
                    tests=threshold_cases(
                        deny_share,
                        threshold=0.3,
                        for_="10m",
                        window="10m",
                        annotations={
                            "description": "31.5% of authorization requests were denied "
                            "over 10 minutes (threshold 30%)."
                        },
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
                    dashboards=(boards.GATEWAY_INTEGRATION, boards.GATEWAY_PERFORMANCE),
                    component="gateway",
                    summary="Low Gateway policy cache hit rate",
                    description="The gateway's policy cache answers "
                    "{{ $value | humanizePercentage }} of lookups (threshold 80%).",
                    runbook=Runbook(
                        impact="More decisions go to OPA: higher latency and OPA load.",
                        mitigation=("Check cache size and evictions; a policy reload empties it.",),
                    ),
                    tests=threshold_cases(
                        lookups,
                        threshold=0.8,
                        above=False,
                        for_="10m",
                        window="10m",
                        annotations={
                            "description": "The gateway's policy cache answers 76% of lookups "
                            "(threshold 80%)."
                        },
                    ),
                ),
                AlertRule(
                    "ZeroCacheHits",
                    f"sum(rate({gw.CACHE_MISSES}[5m])) > 0 and sum(rate({gw.CACHE_HITS}[5m])) == 0",
                    for_="5m",
                    severity="critical",
                    team=teams.PLATFORM,
                    category="performance",
                    dashboards=(boards.GATEWAY_INTEGRATION, boards.GATEWAY_PERFORMANCE),
                    component="gateway",
                    summary="Gateway policy cache not working",
                    description="The gateway's policy cache has missed every lookup for 5 minutes.",
                    runbook=Runbook(
                        impact="Every decision goes to OPA; latency and OPA load rise sharply.",
                        mitigation=(
                            "Check the cache backend (Redis) and the gateway's cache settings.",
                        ),
                    ),
                    tests=[
                        AlertTest(
                            "hits stop while lookups go on: fires once the window is all misses",
                            series=lookups(steady(0.5, "10m") + steady(0, "30m")),
                            # The last hit leaves the 5m window at 15m; 5m later it fires.
                            expect=[Quiet("19m", since="0s"), Fires("25m")],
                        ),
                        AlertTest(
                            "one hit in a thousand keeps it quiet",
                            series=lookups(steady(0.001, "30m")),
                            expect=[Quiet("30m", since="0s")],
                        ),
                        AlertTest(
                            "an idle cache (no lookups at all) is not a broken one",
                            series=[
                                Series(gw.CACHE_HITS, steady(0, "35m").counter()),
                                Series(gw.CACHE_MISSES, steady(0, "35m").counter()),
                            ],
                            expect=[Quiet("35m", since="0s")],
                        ),
                    ],
                ),
                AlertRule(
                    "HighGatewayRequestVolume",
                    f"sum(rate({AUTHZ}[5m])) > 1000",
                    for_="5m",
                    severity="warning",
                    team=teams.PLATFORM,
                    category="capacity",
                    dashboards=(boards.GATEWAY_INTEGRATION,),
                    component="gateway",
                    summary="High Gateway request volume",
                    description="The gateway authorizes {{ $value | humanize }} requests "
                    "per second (threshold 1000/s).",
                    runbook=Runbook(
                        impact="Close to the capacity the gateway was sized for.",
                        diagnosis=(f"sum by (server) (rate({AUTHZ}[5m]))",),
                        mitigation=("Scale the gateway out; find the client driving the volume.",),
                    ),
                    tests=threshold_cases(
                        lambda p: authz(p, denied=0.1),
                        threshold=1000,
                        for_="5m",
                        window="5m",
                        annotations={
                            "description": "The gateway authorizes 1.05k requests per second "
                            "(threshold 1000/s)."
                        },
                    ),
                ),
                AlertRule(
                    "NoGatewayRequests",
                    f"sum(rate({AUTHZ}[10m])) == 0",
                    for_="10m",
                    severity="warning",
                    team=teams.PLATFORM,
                    category="availability",
                    silence={"logic/absent-blind": DORMANT},
                    dashboards=(boards.GATEWAY_INTEGRATION, boards.GATEWAY_OPERATIONS),
                    component="gateway",
                    summary="No Gateway requests",
                    description="The gateway has authorized no request for 10 minutes.",
                    runbook=Runbook(
                        impact="Agents may be unable to reach the gateway.",
                        mitigation=("Check that the gateway is up and that clients can reach it.",),
                    ),
                    tests=[
                        AlertTest(
                            "requests stop: fires 10m after the window empties",
                            series=authz(steady(5, "20m") + steady(0, "30m")),
                            # The last request leaves the 10m window at 30m.
                            expect=[Quiet("39m", since="0s"), Fires("45m")],
                        ),
                        AlertTest(
                            "the series is absent (SARK does not record it yet): quiet",
                            series=authz(absent("30m")),
                            expect=[Quiet("30m", since="0s")],
                        ),
                        AlertTest(
                            "steady traffic, even one request a minute: quiet",
                            series=authz(steady(1 / 60, "40m")),
                            expect=[Quiet("40m", since="0s")],
                        ),
                    ],
                ),
                AlertRule(
                    "AuditEventLoggingFailed",
                    f"(sum(rate({gw.AUDIT_EVENTS}[5m])) or vector(0)) == 0\n"
                    f"and sum(rate({AUTHZ}[5m])) > 0",
                    for_="5m",
                    severity="critical",
                    team=teams.COMPLIANCE,
                    category="compliance",
                    dashboards=(boards.GATEWAY_INTEGRATION, boards.GATEWAY_OPERATIONS),
                    component="gateway",
                    summary="Gateway audit events not being logged",
                    description="The gateway authorizes requests but has logged no audit event "
                    "for 5 minutes.",
                    runbook=Runbook(
                        impact="Authorization decisions are not audited: a compliance breach.",
                        mitigation=("Check the audit writer and its destinations.",),
                    ),
                    tests=[
                        AlertTest(
                            "requests authorized and no audit series at all: fires",
                            series=authz(steady(5, "20m")),
                            expect=[Quiet("4m"), Fires("10m")],
                        ),
                        AlertTest(
                            "audit events stop while requests go on: fires",
                            series=[
                                *authz(steady(5, "30m")),
                                Series(
                                    gw.AUDIT_EVENTS(event_type="authorization", decision="allow"),
                                    (steady(5, "10m") + steady(0, "20m")).counter(),
                                ),
                            ],
                            # The last event leaves the 5m window at 15m; 5m later it fires.
                            expect=[Quiet("19m", since="0s"), Fires("25m")],
                        ),
                        AlertTest(
                            "every request audited: quiet",
                            series=[
                                *authz(steady(5, "30m")),
                                Series(
                                    gw.AUDIT_EVENTS(event_type="authorization", decision="allow"),
                                    steady(5, "30m").counter(),
                                ),
                            ],
                            expect=[Quiet("30m", since="0s")],
                        ),
                        AlertTest(
                            "no requests and no audit events: nothing to audit, quiet",
                            series=authz(steady(0, "30m")),
                            expect=[Quiet("30m", since="0s")],
                        ),
                    ],
                ),
                AlertRule(
                    "HighA2ADenyRate",
                    f"sum(rate({gw.A2A_AUTHZ_REQUESTS(decision='deny')}[10m]))\n"
                    f"/ sum(rate({gw.A2A_AUTHZ_REQUESTS}[10m])) > 0.5",
                    for_="10m",
                    severity="warning",
                    team=teams.SECURITY,
                    category="security",
                    dashboards=(boards.GATEWAY_INTEGRATION, boards.GATEWAY_SECURITY),
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
                    tests=threshold_cases(
                        lambda p: [
                            Series(
                                gw.A2A_AUTHZ_REQUESTS(
                                    decision="allow", source_type="agent", target_type="agent"
                                ),
                                p.counter(lambda s: 4 * (1 - s)),
                            ),
                            Series(
                                gw.A2A_AUTHZ_REQUESTS(
                                    decision="deny", source_type="agent", target_type="agent"
                                ),
                                p.counter(lambda s: 4 * s),
                            ),
                        ],
                        threshold=0.5,
                        for_="10m",
                        window="10m",
                        annotations={
                            "description": "52.5% of agent-to-agent authorization requests "
                            "were denied (threshold 50%)."
                        },
                    ),
                ),
            ],
        ),
    ],
)
