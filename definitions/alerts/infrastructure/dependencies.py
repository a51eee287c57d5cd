"""SARK's dependencies: database, OPA and Redis health, and how fast they answer."""

from definitions import recordings as rec
from definitions import teams
from definitions.alerts import boards
from definitions.alerts.inputs import counting, holding, slow_share
from definitions.metrics import audit, database, external, health, policy
from sarkmon.model import AlertRule, RuleGroup, Runbook
from sarkmon.model.alert_tests import (
    AlertTest,
    Fires,
    Quiet,
    Series,
    observations,
    threshold_cases,
)

STATUS = health.COMPONENT_STATUS
LATENCY = health.COMPONENT_LATENCY_SECONDS
HEALTH_DIAGNOSIS = (f"{STATUS}", f"{LATENCY}")
# A missing health gauge means SARK itself is not scraped: the service-down alerts page for
# that, and these would only repeat them under the name of a dependency.
NOT_SCRAPED = "no health series means SARK is down or not scraped: GatewayServiceDown pages"

# Test inputs.
API = {"instance": "api:8000"}
QUERIES = database.QUERY_DURATION_SECONDS.bucket(operation="select")
WRITES = audit.WRITE_DURATION_SECONDS.bucket


def health_cases(component: str, description: str) -> list[AlertTest]:
    """The check fails for 10m: fires; another dependency failing, or one blip: quiet."""
    other = "redis" if component != "redis" else "opa"
    labels = {"component": component, **API}
    return [
        AlertTest(
            f"the {component} check fails for 10 minutes: fires",
            series=[Series(STATUS(**labels), "1x4 0x10")],
            expect=[
                Quiet("6m"),
                Fires("8m", labels=labels, annotations={"description": description}),
            ],
        ),
        AlertTest(
            f"one failed check, and {other} failing: quiet",
            series=[
                Series(STATUS(**labels), "1x4 0 1x10"),
                Series(STATUS(component=other, **API), "0x15"),
            ],
            expect=[Quiet("15m", since="0s")],
        ),
    ]


group = RuleGroup(
    "infrastructure_dependencies",
    interval="30s",
    rules=[
        AlertRule(
            "DatabaseUnhealthy",
            f"{STATUS(component='database')} == 0",
            for_="2m",
            severity="critical",
            team=teams.INFRASTRUCTURE,
            category="dependencies",
            silence={"logic/absent-blind": NOT_SCRAPED},
            dashboards=(boards.GATEWAY_OPERATIONS,),
            component="database",
            summary="SARK's database health check fails",
            description="SARK on {{ $labels.instance }} cannot reach PostgreSQL.",
            runbook=Runbook(
                impact="Policies, audit writes and the API fail without the database.",
                diagnosis=(*HEALTH_DIAGNOSIS, f"{external.PG_UP}"),
                mitigation=(
                    "pg_up is 0 too: PostgreSQL itself is down; restore it first.",
                    "pg_up is 1: check the network path and credentials from SARK.",
                ),
            ),
            tests=health_cases("database", "SARK on api:8000 cannot reach PostgreSQL."),
        ),
        AlertRule(
            "OPAUnhealthy",
            f"{STATUS(component='opa')} == 0",
            for_="2m",
            severity="critical",
            team=teams.INFRASTRUCTURE,
            category="dependencies",
            silence={"logic/absent-blind": NOT_SCRAPED},
            dashboards=(boards.GATEWAY_OPERATIONS, boards.POLICY),
            component="opa",
            summary="SARK's OPA health check fails",
            description="SARK on {{ $labels.instance }} cannot reach the OPA policy engine.",
            runbook=Runbook(
                impact="No policy can be evaluated: requests are denied or served from cache.",
                diagnosis=(
                    *HEALTH_DIAGNOSIS,
                    f"sum by (error_type) (rate({policy.EVALUATION_ERRORS}[5m]))",
                ),
                mitigation=(
                    "Restart or scale OPA; check that its policy bundle loads.",
                    "Check the network path from SARK to OPA.",
                ),
            ),
            tests=health_cases("opa", "SARK on api:8000 cannot reach the OPA policy engine."),
        ),
        AlertRule(
            "RedisUnhealthy",
            f"{STATUS(component='redis')} == 0",
            for_="2m",
            severity="warning",
            team=teams.INFRASTRUCTURE,
            category="dependencies",
            silence={"logic/absent-blind": NOT_SCRAPED},
            dashboards=(boards.GATEWAY_OPERATIONS,),
            component="redis",
            summary="SARK's Redis health check fails",
            description="SARK on {{ $labels.instance }} cannot reach Redis.",
            runbook=Runbook(
                impact="The policy cache is gone: every decision goes to OPA, latency rises.",
                diagnosis=(*HEALTH_DIAGNOSIS, f"{external.REDIS_UP}"),
                mitigation=("Restore Redis; SARK reconnects on its own.",),
            ),
            tests=health_cases("redis", "SARK on api:8000 cannot reach Redis."),
        ),
        AlertRule(
            "HighDependencyLatency",
            f"{LATENCY} > 1",
            for_="10m",
            severity="warning",
            team=teams.INFRASTRUCTURE,
            category="dependencies",  # component: the series' own (database, opa, ...)
            dashboards=(boards.GATEWAY_OPERATIONS,),
            summary="High latency to {{ $labels.component }}",
            description="SARK's health check of {{ $labels.component }} takes "
            "{{ $value | humanizeDuration }} (threshold 1s).",
            runbook=Runbook(
                impact="Every request that needs this dependency is slow.",
                diagnosis=HEALTH_DIAGNOSIS,
                mitigation=("Check the dependency's own load and the network between them.",),
            ),
            tests=threshold_cases(
                holding(LATENCY(component="opa", **API)),
                threshold=1,
                for_="10m",
                labels={"component": "opa", **API},
                annotations={
                    "summary": "High latency to opa",
                    "description": "SARK's health check of opa takes 1.05s (threshold 1s).",
                },
            ),
        ),
        AlertRule(
            "RedisConnectionErrors",
            f"sum(rate({policy.REDIS_CONNECTION_ERRORS}[5m])) > 1",
            for_="2m",
            severity="critical",
            team=teams.INFRASTRUCTURE,
            category="dependencies",
            dashboards=(boards.POLICY, boards.SYSTEM_OVERVIEW),
            component="redis",
            summary="Redis connection errors",
            description="The policy service fails to connect to Redis {{ $value | humanize }} "
            "times per second (threshold 1/s).",
            runbook=Runbook(
                impact="Policy cache lookups fail; every decision goes to OPA.",
                diagnosis=(
                    f"{external.REDIS_UP}",
                    f"{policy.REDIS_CONNECTION_POOL_SIZE}",
                ),
                mitigation=(
                    "Check Redis health and its connection limit (maxclients).",
                    "Check the network path and credentials from SARK.",
                ),
            ),
            tests=threshold_cases(
                counting(policy.REDIS_CONNECTION_ERRORS(**API)),
                threshold=1,
                for_="2m",
                window="5m",
                annotations={
                    "description": "The policy service fails to connect to Redis 1.05 times per "
                    "second (threshold 1/s)."
                },
            ),
        ),
        AlertRule(
            "SlowDatabaseQueries",
            f"{rec.DB_QUERY_P95} > 0.1",
            for_="10m",
            severity="warning",
            team=teams.INFRASTRUCTURE,
            category="performance",
            dashboards=(boards.SYSTEM_OVERVIEW,),
            component="database",
            summary="Slow database queries",
            description="P95 database query time is {{ $value | humanizeDuration }} "
            "(threshold 100ms).",
            runbook=Runbook(
                impact="API requests and policy loads slow down; the pool fills up.",
                diagnosis=(
                    f"histogram_quantile(0.95, sum by (le, operation) "
                    f"(rate({database.QUERY_DURATION_SECONDS.bucket}[5m])))",
                ),
                mitigation=(
                    "Look at PostgreSQL's slow query log and missing indexes.",
                    "Check the database host's CPU and disk.",
                ),
            ),
            tests=threshold_cases(
                # The level is the share of queries taking 200ms instead of 40ms: the p95
                # passes the 100ms bucket bound when more than 5% are slow.
                slow_share(QUERIES, 0.04, 0.2),
                threshold=0.05,
                alert_threshold=0.1,
                for_="10m",
                window="5m",
                annotations={
                    "description": "P95 database query time is 107.1ms (threshold 100ms)."
                },
            ),
        ),
        AlertRule(
            "SlowAuditDatabaseWrites",
            f'{rec.AUDIT_WRITE_P95}{{destination="database"}} > 0.5',
            for_="10m",
            severity="warning",
            team=teams.INFRASTRUCTURE,
            category="performance",
            dashboards=(boards.GATEWAY_OPERATIONS,),
            component="database",
            summary="Slow audit writes to the database",
            description="P95 audit write time to the database is "
            "{{ $value | humanizeDuration }} (threshold 500ms).",
            runbook=Runbook(
                impact="The audit queue fills up; events may be dropped.",
                diagnosis=(f"{rec.AUDIT_WRITE_P95}", f"{audit.QUEUE_DEPTH}"),
                mitigation=(
                    "Check the database's load and the audit table's size and indexes.",
                    "Purge or partition old audit rows if retention is behind.",
                ),
            ),
            tests=threshold_cases(
                lambda p: [
                    # Writes to the database at the level's share slow; file writes are all slow.
                    *slow_share(
                        audit.WRITE_DURATION_SECONDS.bucket(destination="database"), 0.2, 0.8
                    )(p),  # type: ignore[operator]
                    *observations(
                        audit.WRITE_DURATION_SECONDS.bucket(destination="file"), {0.8: 10}, p
                    ),
                ],
                threshold=0.05,
                alert_threshold=0.5,
                for_="10m",
                window="5m",
                labels={"destination": "database"},
                annotations={
                    "description": "P95 audit write time to the database is 523.8ms "
                    "(threshold 500ms)."
                },
            ),
        ),
    ],
)
