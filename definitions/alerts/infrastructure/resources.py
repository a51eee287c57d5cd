"""Resources of the SARK process and its pools: CPU, memory, descriptors, connections."""

from definitions import teams
from definitions.alerts import boards
from definitions.alerts.inputs import counting, holding
from definitions.metrics import database, external
from definitions.metrics import gateway as gw
from sarkmon.model import AlertRule, RuleGroup, Runbook
from sarkmon.model.alert_tests import AlertTest, Fires, Quiet, Series, threshold_cases

CPU = f"sum by (instance) (rate({external.PROCESS_CPU_SECONDS(job='sark-api')}[5m]))"
MEMORY = external.PROCESS_RESIDENT_MEMORY_BYTES(job="sark-api")
GIB = 1024**3
CPU_RUNBOOK = Runbook(
    impact="Requests queue behind a saturated process; latency rises for everyone.",
    diagnosis=(CPU, f"sum(rate({gw.REQUESTS}[5m]))"),
    mitigation=(
        "If traffic rose, scale out.",
        "If traffic did not, profile the process: a hot loop or a slow policy is likely.",
    ),
)
MEMORY_DIAGNOSIS = (f"{MEMORY}", f"deriv({MEMORY}[1h]) * 3600")

# Test inputs.
API = {"instance": "api:8000"}
TARGET = {"job": "sark-api", **API}
BUSY = counting(external.PROCESS_CPU_SECONDS(job="sark-api", **API))
RSS = holding(MEMORY(**API))
MIB_PER_MINUTE = 1024 * 1024
POOL = {"pool_name": "mcp", **API}


def memory_cases(gib: int, for_: str, shown: str, summary: str) -> list[AlertTest]:
    """Threshold cases of a memory alert at ``gib`` GiB, 5% either side."""
    return threshold_cases(
        RSS,
        threshold=gib * GIB,
        for_=for_,
        labels=TARGET,
        annotations={
            "summary": summary,
            "description": f"Resident memory is {shown}B (threshold {gib} GiB).",
        },
    )


def leak(mib_per_hour: int) -> Series:
    """Resident memory growing steadily from 500 MiB for two and a half hours."""
    step = mib_per_hour * MIB_PER_MINUTE // 60
    return Series(MEMORY(**API), f"{500 * MIB_PER_MINUTE}+{step}x150")


group = RuleGroup(
    "infrastructure_resources",
    interval="30s",
    rules=[
        AlertRule(
            "HighCPUUsage",
            f"{CPU} > 0.8",
            for_="15m",
            severity="warning",
            team=teams.INFRASTRUCTURE,
            category="resources",
            dashboards=(boards.GATEWAY_PERFORMANCE,),
            component="api",
            summary="High CPU usage on {{ $labels.instance }}",
            description="SARK on {{ $labels.instance }} uses "
            "{{ $value | humanizePercentage }} of a CPU core (threshold 80%).",
            runbook=CPU_RUNBOOK,
            tests=threshold_cases(
                BUSY,
                threshold=0.8,
                for_="15m",
                window="5m",
                labels=API,
                annotations={
                    "summary": "High CPU usage on api:8000",
                    "description": "SARK on api:8000 uses 84% of a CPU core (threshold 80%).",
                },
            ),
        ),
        AlertRule(
            "CriticalCPUUsage",
            f"{CPU} > 0.95",
            for_="5m",
            severity="critical",
            team=teams.INFRASTRUCTURE,
            category="resources",
            dashboards=(boards.GATEWAY_PERFORMANCE,),
            component="api",
            summary="CPU saturated on {{ $labels.instance }}",
            description="SARK on {{ $labels.instance }} uses "
            "{{ $value | humanizePercentage }} of a CPU core (threshold 95%).",
            runbook=CPU_RUNBOOK,
            tests=threshold_cases(
                BUSY,
                threshold=0.95,
                for_="5m",
                window="5m",
                labels=API,
                annotations={
                    "summary": "CPU saturated on api:8000",
                    "description": "SARK on api:8000 uses 99.75% of a CPU core (threshold 95%).",
                },
            ),
        ),
        AlertRule(
            "ElevatedMemoryUsage",
            f"{MEMORY} > {1 * GIB}",
            for_="5m",
            severity="info",
            team=teams.INFRASTRUCTURE,
            category="resources",
            dashboards=(boards.GATEWAY_PERFORMANCE,),
            component="api",
            summary="SARK on {{ $labels.instance }} uses more than 1 GiB",
            description="Resident memory is {{ $value | humanize1024 }}B (threshold 1 GiB).",
            runbook=Runbook(
                impact="None yet; context for the memory warnings that may follow.",
                diagnosis=MEMORY_DIAGNOSIS,
            ),
            tests=memory_cases(1, "5m", "1.05Gi", "SARK on api:8000 uses more than 1 GiB"),
        ),
        AlertRule(
            "HighMemoryUsage",
            f"{MEMORY} > {2 * GIB}",
            for_="10m",
            severity="warning",
            team=teams.INFRASTRUCTURE,
            category="resources",
            dashboards=(boards.GATEWAY_PERFORMANCE,),
            component="api",
            summary="High memory usage on {{ $labels.instance }}",
            description="Resident memory is {{ $value | humanize1024 }}B (threshold 2 GiB).",
            runbook=Runbook(
                impact="The process nears its memory limit; an OOM kill would drop requests.",
                diagnosis=MEMORY_DIAGNOSIS,
                mitigation=(
                    "Steady growth: see MemoryLeakSuspected, plan a restart.",
                    "Growth with traffic: check cache sizes, then scale out.",
                ),
            ),
            tests=memory_cases(2, "10m", "2.1Gi", "High memory usage on api:8000"),
        ),
        AlertRule(
            "CriticalMemoryUsage",
            f"{MEMORY} > {4 * GIB}",
            for_="5m",
            severity="critical",
            team=teams.INFRASTRUCTURE,
            category="resources",
            dashboards=(boards.GATEWAY_PERFORMANCE,),
            component="api",
            summary="Memory near the limit on {{ $labels.instance }}",
            description="Resident memory is {{ $value | humanize1024 }}B (threshold 4 GiB).",
            runbook=Runbook(
                impact="An OOM kill is imminent: in-flight requests will fail.",
                diagnosis=MEMORY_DIAGNOSIS,
                mitigation=(
                    "Restart the instance in a controlled way before it is killed.",
                    "Take a heap profile first if you can: it finds the leak.",
                ),
            ),
            tests=memory_cases(4, "5m", "4.2Gi", "Memory near the limit on api:8000"),
        ),
        AlertRule(
            "MemoryLeakSuspected",
            f"deriv({MEMORY}[1h]) * 3600 > {50 * 1024**2}",
            for_="2h",
            severity="warning",
            team=teams.INFRASTRUCTURE,
            category="resources",
            dashboards=(boards.GATEWAY_PERFORMANCE,),
            component="api",
            summary="Memory of {{ $labels.instance }} keeps growing",
            description="Resident memory grows by {{ $value | humanize1024 }}B per hour "
            "(threshold 50 MiB/h) and has for two hours.",
            runbook=Runbook(
                impact="The process will run out of memory if the growth continues.",
                diagnosis=MEMORY_DIAGNOSIS,
                mitigation=(
                    "Take a heap profile and compare it with one from after a restart.",
                    "Schedule a rolling restart to buy time.",
                ),
            ),
            tests=[
                AlertTest(
                    "memory grows by 60 MiB an hour: fires once it has for two hours",
                    series=[leak(60)],
                    expect=[
                        Quiet("1h55m"),
                        Fires(
                            "2h30m",
                            labels=TARGET,
                            annotations={
                                "summary": "Memory of api:8000 keeps growing",
                                "description": "Resident memory grows by 60MiB per hour "
                                "(threshold 50 MiB/h) and has for two hours.",
                            },
                        ),
                    ],
                ),
                AlertTest(
                    "memory grows by 40 MiB an hour: quiet",
                    series=[leak(40)],
                    expect=[Quiet("2h30m", since="0s")],
                ),
            ],
        ),
        AlertRule(
            "TooManyOpenFileDescriptors",
            f"{external.PROCESS_OPEN_FDS(job='sark-api')}\n"
            f"/ {external.PROCESS_MAX_FDS(job='sark-api')}\n"
            "> 0.8",
            for_="10m",
            severity="warning",
            team=teams.INFRASTRUCTURE,
            category="resources",
            dashboards=(boards.GATEWAY_OPERATIONS,),
            component="api",
            summary="File descriptors nearly exhausted on {{ $labels.instance }}",
            description="SARK on {{ $labels.instance }} uses "
            "{{ $value | humanizePercentage }} of its file descriptor limit (threshold 80%).",
            runbook=Runbook(
                impact="New connections will fail once the limit is reached.",
                diagnosis=(f"{external.PROCESS_OPEN_FDS(job='sark-api')}",),
                mitigation=(
                    "Look for leaked connections (to MCP servers, the database, Redis).",
                    "Raise the limit only once the leak is ruled out.",
                ),
            ),
            tests=threshold_cases(
                lambda p: [
                    Series(external.PROCESS_OPEN_FDS(**TARGET), p.gauge(lambda u: 1024 * u)),
                    Series(external.PROCESS_MAX_FDS(**TARGET), p.gauge(lambda _: 1024)),
                ],
                threshold=0.8,
                for_="10m",
                labels=TARGET,
                annotations={
                    "summary": "File descriptors nearly exhausted on api:8000",
                    "description": "SARK on api:8000 uses 84% of its file descriptor limit "
                    "(threshold 80%).",
                },
            ),
        ),
        AlertRule(
            "RequestsBackingUp",
            f"sum({gw.REQUESTS_IN_FLIGHT}) > 100",
            for_="5m",
            severity="warning",
            team=teams.INFRASTRUCTURE,
            category="performance",
            dashboards=(boards.GATEWAY_PERFORMANCE,),
            component="gateway",
            summary="Many gateway requests in flight",
            description="{{ $value }} gateway requests are in flight (threshold 100).",
            runbook=Runbook(
                impact="Requests wait on something slow; latency and timeouts follow.",
                diagnosis=(
                    f"sum by (instance) ({gw.REQUESTS_IN_FLIGHT})",
                    f"histogram_quantile(0.95, sum by (le, tool) "
                    f"(rate({gw.TOOL_EXECUTION_DURATION_SECONDS.bucket}[5m])))",
                ),
                mitigation=(
                    "Find the slow dependency: an MCP server, OPA or the database.",
                    "Scale out if every dependency is healthy and traffic rose.",
                ),
            ),
            tests=threshold_cases(
                holding(
                    gw.REQUESTS_IN_FLIGHT(instance="api:8000"),
                    gw.REQUESTS_IN_FLIGHT(instance="api-2:8000"),
                ),
                threshold=100,
                for_="5m",
                annotations={"description": "105 gateway requests are in flight (threshold 100)."},
            ),
        ),
        AlertRule(
            "HighConnectionCount",
            f"sum({gw.ACTIVE_CONNECTIONS}) > 1000",
            for_="10m",
            severity="warning",
            team=teams.INFRASTRUCTURE,
            category="resources",
            dashboards=(boards.GATEWAY_INTEGRATION,),
            component="gateway",
            summary="High number of active gateway connections",
            description="{{ $value }} gateway connections are open (threshold 1000).",
            runbook=Runbook(
                impact="Connection limits and memory are at risk.",
                diagnosis=(f"sum by (connection_type) ({gw.ACTIVE_CONNECTIONS})",),
                mitigation=("Check for clients that do not close connections; scale out.",),
            ),
            tests=threshold_cases(
                holding(
                    gw.ACTIVE_CONNECTIONS(connection_type="http"),
                    gw.ACTIVE_CONNECTIONS(connection_type="websocket"),
                ),
                threshold=1000,
                for_="10m",
                annotations={"description": "1050 gateway connections are open (threshold 1000)."},
            ),
        ),
        AlertRule(
            "ConnectionPoolExhaustion",
            f"{gw.CONNECTION_POOL_ACTIVE} / {gw.CONNECTION_POOL_SIZE} > 0.9",
            for_="5m",
            severity="critical",
            team=teams.INFRASTRUCTURE,
            category="resources",
            dashboards=(boards.GATEWAY_OPERATIONS,),
            component="gateway",
            summary="Gateway connection pool {{ $labels.pool_name }} nearly exhausted",
            description="Pool {{ $labels.pool_name }} on {{ $labels.instance }} has "
            "{{ $value | humanizePercentage }} of its connections in use (threshold 90%).",
            runbook=Runbook(
                impact="Requests will wait for a connection, then time out.",
                diagnosis=(f"{gw.CONNECTION_POOL_ACTIVE}", f"{gw.CONNECTION_POOL_SIZE}"),
                mitigation=(
                    "Find what holds connections: slow upstream calls or leaks.",
                    "Raise the pool size if the upstream can take it.",
                ),
            ),
            tests=threshold_cases(
                lambda p: [
                    Series(gw.CONNECTION_POOL_ACTIVE(**POOL), p.gauge(lambda u: 200 * u)),
                    Series(gw.CONNECTION_POOL_SIZE(**POOL), p.gauge(lambda _: 200)),
                ],
                threshold=0.9,
                for_="5m",
                labels=POOL,
                annotations={
                    "summary": "Gateway connection pool mcp nearly exhausted",
                    "description": "Pool mcp on api:8000 has 94.5% of its connections in use "
                    "(threshold 90%).",
                },
            ),
        ),
        AlertRule(
            "DatabasePoolExhaustion",
            f"{database.CONNECTIONS_CHECKED_OUT} / {database.CONNECTIONS_POOL_SIZE} > 0.9",
            for_="5m",
            severity="warning",
            team=teams.INFRASTRUCTURE,
            category="resources",
            dashboards=(boards.SYSTEM_OVERVIEW,),
            component="database",
            summary="Database connection pool nearly exhausted on {{ $labels.instance }}",
            description="{{ $value | humanizePercentage }} of the database connection pool "
            "is checked out (threshold 90%).",
            runbook=Runbook(
                impact="Requests needing the database will wait, then fail.",
                diagnosis=(
                    f"{database.CONNECTIONS_CHECKED_OUT}",
                    f"histogram_quantile(0.95, sum by (le, operation) "
                    f"(rate({database.QUERY_DURATION_SECONDS.bucket}[5m])))",
                ),
                mitigation=(
                    "Slow queries hold connections: see SlowDatabaseQueries.",
                    "Raise the pool size if PostgreSQL has connections to spare.",
                ),
            ),
            tests=threshold_cases(
                lambda p: [
                    Series(database.CONNECTIONS_CHECKED_OUT(**API), p.gauge(lambda u: 20 * u)),
                    Series(database.CONNECTIONS_POOL_SIZE(**API), p.gauge(lambda _: 20)),
                ],
                threshold=0.9,
                for_="5m",
                labels=API,
                annotations={
                    "summary": "Database connection pool nearly exhausted on api:8000",
                    "description": "94.5% of the database connection pool is checked out "
                    "(threshold 90%).",
                },
            ),
        ),
        AlertRule(
            "CacheEvictionRateHigh",
            f"sum(rate({gw.CACHE_EVICTIONS}[5m])) > 10",
            for_="15m",
            severity="warning",
            team=teams.INFRASTRUCTURE,
            category="capacity",
            dashboards=(boards.GATEWAY_PERFORMANCE,),
            component="gateway",
            summary="High gateway cache eviction rate",
            description="The gateway evicts {{ $value | humanize }} cache entries per second "
            "(threshold 10/s).",
            runbook=Runbook(
                impact="The cache is too small for the working set; hit rate and latency suffer.",
                diagnosis=(
                    f"sum by (cache_name, reason) (rate({gw.CACHE_EVICTIONS}[5m]))",
                    f"{gw.CACHE_SIZE_BYTES}",
                ),
                mitigation=("Grow the cache named in the evictions, or shorten its TTL.",),
            ),
            tests=threshold_cases(
                counting(
                    gw.CACHE_EVICTIONS(cache_name="policy", reason="size"),
                    gw.CACHE_EVICTIONS(cache_name="tools", reason="ttl"),
                ),
                threshold=10,
                for_="15m",
                window="5m",
                annotations={
                    "description": "The gateway evicts 10.5 cache entries per second "
                    "(threshold 10/s)."
                },
            ),
        ),
    ],
)
