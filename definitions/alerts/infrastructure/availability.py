"""Availability of SARK's API and gateway: targets up, error ratios, response times."""

from definitions import recordings as rec
from definitions import teams
from definitions.alerts import boards
from definitions.alerts.inputs import CALLS, constant, counting, share
from definitions.metrics import api, external
from definitions.metrics import gateway as gw
from sarkmon.model import AlertRule, RuleGroup, Runbook
from sarkmon.model import re as regex
from sarkmon.model.alert_tests import (
    AlertTest,
    Fires,
    Quiet,
    Series,
    observations,
    threshold_cases,
)

UP = external.UP(job="sark-api")
ERROR_DIAGNOSIS = (
    f"sum by (endpoint, method) (rate({gw.REQUESTS(status='error')}[5m]))",
    f"sum by (tool) (rate({gw.REQUESTS(status='error')}[5m]))",
)
HTTP_5XX = api.HTTP_REQUESTS(status=regex("5.."))

# Test inputs.
API = "api:8000"
API_2 = "api-2:8000"
TARGET = {"job": "sark-api", "instance": API}
POLICIES = {"method": "GET", "endpoint": "/api/v1/policies"}
HTTP_503 = api.HTTP_REQUESTS(status="503", **POLICIES)
HTTP_200 = api.HTTP_REQUESTS(status="200", **POLICIES)


def up(instance: str, values: str) -> Series:
    return Series(UP(instance=instance), values)


group = RuleGroup(
    "infrastructure_availability",
    interval="30s",
    rules=[
        AlertRule(
            "GatewayServiceDown",
            f"{UP} == 0",
            for_="1m",
            severity="critical",
            team=teams.PLATFORM,
            category="availability",
            dashboards=(boards.GATEWAY_OPERATIONS, boards.SYSTEM_OVERVIEW),
            component="api",
            summary="SARK instance {{ $labels.instance }} is down",
            description="Prometheus cannot scrape the SARK API and gateway at "
            "{{ $labels.instance }}.",
            runbook=Runbook(
                impact="Requests routed to this instance fail; with one instance, all of SARK.",
                diagnosis=(f"{UP}", f"changes({UP}[1h])"),
                mitigation=(
                    "Check the pod or process: crash loop, OOM kill, failing readiness probe.",
                    "Roll back the last deploy if it started then.",
                ),
            ),
            tests=[
                AlertTest(
                    "one of two instances stops answering: fires for it",
                    series=[up(API, "1x4 0x10"), up(API_2, "1x14")],
                    expect=[
                        Quiet("5m"),
                        Fires(
                            "7m",
                            labels=TARGET,
                            annotations={
                                "summary": "SARK instance api:8000 is down",
                                "description": "Prometheus cannot scrape the SARK API and "
                                "gateway at api:8000.",
                            },
                        ),
                    ],
                ),
                AlertTest(
                    "one failed scrape: quiet",
                    series=[up(API, "1x4 0 1x10")],
                    expect=[Quiet("15m", since="0s")],
                ),
            ],
        ),
        AlertRule(
            "SARKServiceDown",
            f"(sum({UP}) or vector(0)) == 0",
            for_="1m",
            severity="critical",
            team=teams.PLATFORM,
            category="availability",
            dashboards=(boards.GATEWAY_OPERATIONS, boards.SYSTEM_OVERVIEW),
            component="api",
            summary="No SARK instance is up",
            description="No target of the sark-api job is up, or the job has no target left.",
            runbook=Runbook(
                impact="SARK is entirely unavailable: no API, no gateway, no authorization.",
                diagnosis=(f"{UP}", 'up{job=~"postgres|redis"}'),
                mitigation=(
                    "Check the deployment: replicas, recent rollout, node capacity.",
                    "If the targets vanished, check service discovery and the scrape config.",
                ),
            ),
            tests=[
                AlertTest(
                    "every instance down: fires",
                    series=[up(API, "1x4 0x10"), up(API_2, "1x4 0x10")],
                    expect=[Quiet("5m"), Fires("7m")],
                ),
                AlertTest(
                    "the job has no target at all: fires",
                    series=[Series(external.UP(job="prometheus"), "1x10")],
                    expect=[Fires("5m")],
                ),
                AlertTest(
                    "one instance of two still up: quiet",
                    series=[up(API, "1x4 0x10"), up(API_2, "1x14")],
                    expect=[Quiet("15m", since="0s")],
                ),
            ],
        ),
        AlertRule(
            "GatewayServiceFlapping",
            f"changes({UP}[10m]) > 5",
            for_="5m",
            severity="warning",
            team=teams.PLATFORM,
            category="availability",
            dashboards=(boards.GATEWAY_OPERATIONS,),
            component="api",
            summary="SARK instance {{ $labels.instance }} is flapping",
            description="{{ $labels.instance }} went up or down {{ $value }} times in "
            "10 minutes (threshold 5).",
            runbook=Runbook(
                impact="Requests fail intermittently while the instance restarts.",
                diagnosis=(f"changes({UP}[1h])", "process_start_time_seconds"),
                mitigation=(
                    "Look for a crash loop: OOM kills, failing liveness probes, panics.",
                    "A liveness probe that times out under load restarts healthy instances.",
                ),
            ),
            tests=[
                AlertTest(
                    "up and down every minute: fires",
                    series=[up(API, "1 0 " * 10)],
                    expect=[
                        Fires(
                            "15m",
                            labels=TARGET,
                            annotations={
                                "summary": "SARK instance api:8000 is flapping",
                                "description": "api:8000 went up or down 10 times in 10 minutes "
                                "(threshold 5).",
                            },
                        )
                    ],
                ),
                AlertTest(
                    "one restart: quiet",
                    series=[up(API, "1x5 0 1x15")],
                    expect=[Quiet("20m", since="0s")],
                ),
            ],
        ),
        AlertRule(
            "HighRequestErrorRate",
            f"{rec.REQUEST_ERROR_RATIO} > 0.05",
            for_="10m",
            severity="warning",
            team=teams.PLATFORM,
            category="availability",
            dashboards=(boards.GATEWAY_OPERATIONS, boards.GATEWAY_PERFORMANCE),
            component="gateway",
            summary="High gateway request error ratio",
            description="{{ $value | humanizePercentage }} of gateway requests fail "
            "(threshold 5%).",
            runbook=Runbook(
                impact="Some agent requests fail; users see errors.",
                diagnosis=ERROR_DIAGNOSIS,
                mitigation=(
                    "Errors on one tool or server: check that MCP server.",
                    "Errors everywhere: check OPA, the database and the last deploy.",
                ),
            ),
            tests=threshold_cases(
                share(gw.REQUESTS(status="error", **CALLS), gw.REQUESTS(status="success", **CALLS)),
                threshold=0.05,
                for_="10m",
                window="5m",
                annotations={"description": "5.25% of gateway requests fail (threshold 5%)."},
            ),
        ),
        AlertRule(
            "CriticalRequestErrorRate",
            f"{rec.REQUEST_ERROR_RATIO} > 0.25",
            for_="5m",
            severity="critical",
            team=teams.PLATFORM,
            category="availability",
            dashboards=(boards.GATEWAY_OPERATIONS, boards.GATEWAY_PERFORMANCE),
            component="gateway",
            summary="Very high gateway request error ratio",
            description="{{ $value | humanizePercentage }} of gateway requests fail "
            "(threshold 25%).",
            runbook=Runbook(
                impact="A quarter or more of agent requests fail.",
                diagnosis=ERROR_DIAGNOSIS,
                mitigation=(
                    "Roll back the last deploy or policy change if the errors started with it.",
                    "Check dependency health: OPA, database, Redis.",
                ),
            ),
            tests=threshold_cases(
                share(gw.REQUESTS(status="error", **CALLS), gw.REQUESTS(status="success", **CALLS)),
                threshold=0.25,
                for_="5m",
                window="5m",
                annotations={"description": "26.25% of gateway requests fail (threshold 25%)."},
            ),
        ),
        AlertRule(
            "HighErrorRate",
            f"{rec.HTTP_ERROR_RATIO} > 0.05",
            for_="5m",
            severity="critical",
            team=teams.PLATFORM,
            category="availability",
            dashboards=(boards.SYSTEM_OVERVIEW,),
            component="api",
            summary="High SARK API 5xx ratio",
            description="{{ $value | humanizePercentage }} of SARK API requests end in a 5xx "
            "status (threshold 5%).",
            runbook=Runbook(
                impact="The SARK API fails for its users and the admin UI.",
                diagnosis=(
                    f"sum by (endpoint, status) (rate({HTTP_5XX}[5m]))",
                    f"sum by (error_type) (rate({api.ERRORS}[5m]))",
                ),
                mitigation=(
                    "Read the logs of the failing endpoint; roll back a bad deploy.",
                    "Database or Redis errors behind the 5xx: see their dependency alerts.",
                ),
            ),
            tests=threshold_cases(
                lambda p: [
                    Series(
                        api.HTTP_REQUESTS(status="503", **POLICIES), p.counter(lambda s: 10 * s)
                    ),
                    Series(
                        api.HTTP_REQUESTS(status="200", **POLICIES), p.counter(lambda s: 8 - 10 * s)
                    ),
                    # Client errors are not the API's failures.
                    constant(api.HTTP_REQUESTS(status="404", **POLICIES), 2, p),
                ],
                threshold=0.05,
                for_="5m",
                window="5m",
                annotations={
                    "description": "5.25% of SARK API requests end in a 5xx status (threshold 5%)."
                },
            ),
        ),
        AlertRule(
            "SlowResponseTime",
            f"{rec.HTTP_P95} > 0.2",
            for_="10m",
            severity="warning",
            team=teams.PLATFORM,
            category="performance",
            dashboards=(boards.SYSTEM_OVERVIEW,),
            component="api",
            summary="Slow SARK API responses on {{ $labels.endpoint }}",
            description="P95 latency of {{ $labels.endpoint }} is "
            "{{ $value | humanizeDuration }} (threshold 200ms).",
            runbook=Runbook(
                impact="Users and the admin UI wait on SARK's API.",
                diagnosis=(
                    f"{rec.HTTP_P95}",
                    f"sum by (endpoint) (rate({api.HTTP_REQUESTS}[5m]))",
                ),
                mitigation=(
                    "Check slow database queries and the connection pool first.",
                    "Scale out if the endpoint's request rate rose.",
                ),
            ),
            tests=threshold_cases(
                # The level is the share of requests taking 200ms instead of 50ms; the p95
                # passes 200ms (between the 100ms and 250ms buckets) at a 15% share.
                lambda p: observations(
                    api.HTTP_REQUEST_DURATION_SECONDS.bucket(**POLICIES),
                    lambda s: {0.05: 10 * (1 - s), 0.2: 10 * s},
                    over=p,
                ),
                threshold=0.15,
                alert_threshold=0.2,
                for_="10m",
                window="5m",
                labels={"endpoint": "/api/v1/policies"},
                annotations={
                    "summary": "Slow SARK API responses on /api/v1/policies",
                    "description": "P95 latency of /api/v1/policies is 202.4ms (threshold 200ms).",
                },
            ),
        ),
        AlertRule(
            "HighRequestVolumeSustained",
            f"sum({rec.REQUESTS_RATE}) > 500",
            for_="1h",
            severity="info",
            team=teams.INFRASTRUCTURE,
            category="capacity",
            dashboards=(boards.GATEWAY_PERFORMANCE,),
            component="gateway",
            summary="Sustained high gateway request volume",
            description="The gateway has served {{ $value | humanize }} requests per second "
            "for an hour (threshold 500/s).",
            runbook=Runbook(
                impact="None yet: capacity planning should follow the growth.",
                diagnosis=(f"sum by (tool) (rate({gw.REQUESTS}[1h]))",),
                mitigation=("Review the capacity plan and autoscaling limits.",),
            ),
            tests=threshold_cases(
                counting(
                    gw.REQUESTS(status="success", **CALLS), gw.REQUESTS(status="error", **CALLS)
                ),
                threshold=500,
                for_="1h",
                window="5m",
                annotations={
                    "description": "The gateway has served 525 requests per second for an "
                    "hour (threshold 500/s)."
                },
            ),
        ),
    ],
)
