"""A synthetic definitions package at any scale, shaped like a platform team's monitoring.

``write_package(scale, root)`` writes the package ``synth`` under ``root``: Python source
that uses the real model the way SARK's definitions do, so loading it, linting it and
compiling it exercise every stage at scale. Services of ten metrics each (request counters
with an enum status label, latency histograms, queue and pool gauges, job counters, a size
summary) are scraped by one job each; every service has a rule file (recordings and alerts:
error ratios, histogram quantiles, saturation ratios, absent-safe throughput, with
``Critical``/``High`` pairs that routing inhibits, runbooks with diagnosis queries, test
cases on a share of them) and dashboards of rows of panels (rates by label, quantiles,
ratios with thresholds, heatmaps, tables) reading Grafana variables. A team owns each
service; routing pages on critical alerts; a tenth of the services have an SLO.

The output is a pure function of the scale: the same scale writes the same bytes.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "synth"
TEAMS = ("payments", "search", "identity", "storage", "messaging", "edge", "data", "core")
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")
METRICS_PER_SERVICE = 10
SLO_EVERY = 10  # one service in ten has an SLO


@dataclass(frozen=True)
class Scale:
    name: str
    dashboards: int
    panels: int  # per dashboard
    alerts: int
    metrics: int

    @property
    def services(self) -> int:
        return max(1, self.metrics // METRICS_PER_SERVICE)

    def describe(self) -> str:
        return (
            f"{self.dashboards} dashboards x {self.panels} panels, {self.alerts} alerts, "
            f"{self.metrics} metrics"
        )


SCALES = {
    "M": Scale("M", 100, 15, 2_000, 500),
    "L": Scale("L", 1_000, 20, 10_000, 2_000),
}


def half(scale: Scale) -> Scale:
    """The scale with every count halved (panels per dashboard kept): doubling it is ``scale``."""
    name = f"{scale.name}/2"
    return Scale(name, scale.dashboards // 2, scale.panels, scale.alerts // 2, scale.metrics // 2)


def _q(text: str) -> str:
    """A double-quoted literal, for use inside single-quoted f-strings of the output."""
    return json.dumps(text)


def _service(index: int) -> str:
    return f"svc{index:03d}"


def _camel(index: int) -> str:
    return f"Svc{index:03d}"


def _team(index: int) -> str:
    return TEAMS[index % len(TEAMS)]


def _source(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


# -- metrics ----------------------------------------------------------------------------------
def metrics_module(index: int) -> str:
    svc = _service(index)
    return _source(
        f'''
        """Metrics of {svc}: requests, jobs, caches, pools, payloads."""

        from sarkmon.model import Counter, Gauge, Histogram, Label, Summary

        JOB = "{svc}"
        STATUS = Label("code", values=("2xx", "4xx", "5xx"), help="HTTP status class.")
        RESULT = Label("result", values=("success", "failure"))
        LOOKUP = Label("result", values=("hit", "miss"))
        STATE = Label("state", values=("idle", "active"))

        REQUESTS = Counter(
            "{svc}_requests_total",
            "Requests served by {svc}.",
            labels=("route", "method", STATUS),
            jobs=(JOB,),
            subsystem="{svc}",
        )
        REQUEST_DURATION = Histogram(
            "{svc}_request_duration_seconds",
            "Time {svc} takes to serve a request.",
            labels=("route", "method"),
            unit="seconds",
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
            jobs=(JOB,),
            subsystem="{svc}",
        )
        ERRORS = Counter(
            "{svc}_upstream_errors_total",
            "Calls from {svc} to its dependencies that failed.",
            labels=("dependency", Label("kind", values=("timeout", "refused", "internal"))),
            jobs=(JOB,),
            subsystem="{svc}",
        )
        IN_FLIGHT = Gauge(
            "{svc}_requests_in_flight",
            "Requests {svc} is serving now.",
            labels=("route",),
            jobs=(JOB,),
            subsystem="{svc}",
        )
        QUEUE_DEPTH = Gauge(
            "{svc}_queue_depth",
            "Jobs waiting in each queue of {svc}.",
            labels=("queue",),
            jobs=(JOB,),
            subsystem="{svc}",
        )
        JOBS = Counter(
            "{svc}_jobs_processed_total",
            "Background jobs {svc} finished.",
            labels=("queue", RESULT),
            jobs=(JOB,),
            subsystem="{svc}",
        )
        JOB_DURATION = Histogram(
            "{svc}_job_duration_seconds",
            "Time a background job of {svc} takes.",
            labels=("queue",),
            unit="seconds",
            buckets=(0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0),
            jobs=(JOB,),
            subsystem="{svc}",
        )
        CACHE_LOOKUPS = Counter(
            "{svc}_cache_lookups_total",
            "Cache lookups of {svc}.",
            labels=("cache", LOOKUP),
            jobs=(JOB,),
            subsystem="{svc}",
        )
        POOL_CONNECTIONS = Gauge(
            "{svc}_pool_connections",
            "Connections in the database pools of {svc}.",
            labels=("pool", STATE),
            jobs=(JOB,),
            subsystem="{svc}",
        )
        PAYLOAD_SIZE = Summary(
            "{svc}_payload_size_bytes",
            "Size of the request payloads {svc} receives.",
            labels=("route",),
            unit="bytes",
            jobs=(JOB,),
            subsystem="{svc}",
        )
        '''
    )


EXTERNAL = _source(
    '''
    """Series Prometheus makes itself."""

    from sarkmon.model import ALL_JOBS, Gauge, Label, Status

    UP = Gauge(
        "up",
        "1 when the last scrape of the target succeeded, else 0.",
        jobs=(ALL_JOBS,),
        status=Status.EXTERNAL,
        created=False,
    )
    ALERTS = Gauge(
        "ALERTS",
        "Pending and firing alerts, with their labels.",
        labels=("alertname", Label("alertstate", values=("pending", "firing"))),
        status=Status.EXTERNAL,
        created=False,
        scraped=False,
        open_labels=True,
    )
    '''
)


def metrics_init(scale: Scale) -> str:
    jobs = "\n".join(
        f'        ScrapeJob("{_service(i)}", targets=("{_service(i)}:9100",), '
        f'labels={{"team": "{_team(i)}"}}),'
        for i in range(scale.services)
    )
    return _source(
        '''
        """The catalog: every service's metrics, each service scraped by its own job."""

        import importlib
        import pkgutil

        from sarkmon.model import Catalog, Metric, Scrape, ScrapeJob

        SCRAPE = Scrape(
            jobs=(
        JOBS
            ),
            default_job="svc000",
            interval="15s",
            evaluation_interval="30s",
            external_labels={"cluster": "bench", "environment": "production"},
        )


        def _declared() -> list[Metric]:
            found: list[Metric] = []
            for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
                module = importlib.import_module(f"{__name__}.{info.name}")
                found.extend(v for v in vars(module).values() if isinstance(v, Metric))
            return found


        catalog = Catalog(_declared(), SCRAPE)
        '''
    ).replace("JOBS", jobs)


# -- rules ------------------------------------------------------------------------------------
RECORDINGS = """
RuleGroup(
    "{svc}_recordings",
    interval="30s",
    rules=[
        RecordingRule(
            "job_route:{svc}_requests:rate5m",
            f"sum by (job, route) (rate({{m.REQUESTS}}[5m]))",
            help="Requests per second of {svc}, by route.",
        ),
        RecordingRule(
            "job_route:{svc}_request_duration_seconds:p99_5m",
            "histogram_quantile(0.99, sum by (job, route, le) "
            f"(rate({{m.REQUEST_DURATION.bucket}}[5m])))",
            help="99th percentile of {svc} request latency over 5 minutes.",
            unit="seconds",
        ),
    ],
),"""


def _alert(svc: str, camel: str, team: str, n: int, dashboard: str) -> str:
    """The n-th alert of a service: one of eight shapes, thresholds varied by n."""
    shape = n % 8
    variant = n // 8
    route = f"/api/v{variant % 4 + 1}/{METHODS[variant % len(METHODS)].lower()}"
    queue = f"q{variant % 6}"
    common = f"team={team!r},\n    component={svc!r},\n    dashboards=({dashboard!r},),"
    tested = shape in (0, 3, 4) and variant % 3 != 2  # a quarter of all alerts
    if shape in (0, 1):  # an error ratio, warning and its critical escalation
        level, severity, limit = ("High", "warning", 0.05 + variant / 1000)
        if shape == 1:
            level, severity, limit = ("Critical", "critical", 0.2)
        name = f"{level}{camel}ErrorRatio{variant}"
        tests = (
            f"""
    tests=threshold_cases(
        share(m.REQUESTS(route={_q(route)}, method="GET", code="5xx"),
              m.REQUESTS(route={_q(route)}, method="GET", code="2xx")),
        threshold={limit!r},
        for_="5m",
        window="5m",
        labels={{"route": {route!r}}},
        annotations=lambda v: {{
            "summary": "{svc} fails requests on {route}",
            "description": f"{{v * 100:.4g}}% of requests to {route} fail "
            "(threshold {limit * 100:g}%).",
        }},
    ),"""
            if tested
            else ""
        )
        return f"""AlertRule(
    {name!r},
    f'sum by (route) (rate({{m.REQUESTS(code="5xx", route={_q(route)})}}[5m]))'
    f' / sum by (route) (rate({{m.REQUESTS(route={_q(route)})}}[5m])) > {limit!r}',
    for_="5m",
    severity={severity!r},
    {common}
    category="errors",
    summary="{svc} fails requests on {{{{ $labels.route }}}}",
    description="{{{{ $value | humanizePercentage }}}} of requests to {{{{ $labels.route }}}} "
    "fail (threshold {limit * 100:g}%).",
    runbook=Runbook(
        impact="Clients of {svc} see errors on {route}.",
        diagnosis=(
            f"sum by (route, code) (rate({{m.REQUESTS}}[5m]))",
            f"sum by (dependency, kind) (rate({{m.ERRORS}}[5m]))",
            "Read the service's error log for the failing route.",
        ),
        mitigation=("Roll back the last deployment of {svc} if errors began with it.",),
    ),{tests}
)"""
    if shape == 2:  # a latency quantile
        limit = (0.25, 0.5, 1.0, 2.5)[variant % 4]
        name = f"{camel}SlowRequests{variant}"
        return f"""AlertRule(
    {name!r},
    "histogram_quantile(0.99, sum by (le, route) "
    f'(rate({{m.REQUEST_DURATION.bucket(route={_q(route)})}}[5m]))) > {limit!r}',
    for_="10m",
    severity="warning",
    {common}
    category="performance",
    summary="{svc} is slow on {{{{ $labels.route }}}}",
    description="P99 latency of {{{{ $labels.route }}}} is {{{{ $value | humanizeDuration }}}} "
    "(threshold {limit:g}s).",
    runbook=Runbook(
        impact="Requests to {route} are slow.",
        diagnosis=(
            "histogram_quantile(0.99, sum by (le, route) "
            f"(rate({{m.REQUEST_DURATION.bucket}}[5m])))",
        ),
        mitigation=("Scale {svc} out if requests in flight are high.",),
    ),
)"""
    if shape == 3:  # a gauge over a threshold
        limit = 100 * (variant % 5 + 1)
        name = f"{camel}QueueBacklog{variant}"
        tests = (
            f"""
    tests=threshold_cases(
        lambda p: [Series(m.QUEUE_DEPTH(queue={queue!r}), p.gauge())],
        threshold={limit},
        for_="15m",
        labels={{"queue": {queue!r}}},
        annotations=lambda v: {{
            "summary": "Queue {queue} of {svc} backs up",
            "description": f"{{v:g}} jobs wait in {queue} (threshold {limit}).",
        }},
    ),"""
            if tested
            else ""
        )
        return f"""AlertRule(
    {name!r},
    f'max by (queue) ({{m.QUEUE_DEPTH(queue={_q(queue)})}}) > {limit}',
    for_="15m",
    severity="warning",
    {common}
    category="saturation",
    summary="Queue {{{{ $labels.queue }}}} of {svc} backs up",
    description="{{{{ $value }}}} jobs wait in {{{{ $labels.queue }}}} (threshold {limit}).",
    runbook=Runbook(
        impact="Background work of {svc} is delayed.",
        diagnosis=(f"sum by (queue, result) (rate({{m.JOBS}}[5m]))",),
        mitigation=("Add workers to the queue.",),
    ),{tests}
)"""
    if shape == 4:  # a failure rate of background jobs
        limit = 0.1 * (variant % 3 + 1)
        name = f"{camel}JobFailures{variant}"
        tests = (
            f"""
    tests=threshold_cases(
        lambda p: [Series(m.JOBS(queue={_q(queue)}, result="failure"), p.counter())],
        threshold={limit!r},
        for_="10m",
        window="10m",
        labels={{"queue": {queue!r}}},
        annotations=lambda v: {{
            "summary": "Jobs of {queue} fail",
            "description": f"{{v:.3f}} jobs per second fail in {queue}.",
        }},
    ),"""
            if tested
            else ""
        )
        return f"""AlertRule(
    {name!r},
    f'sum by (queue) (rate({{m.JOBS(queue={_q(queue)}, result="failure")}}[10m])) > {limit!r}',
    for_="10m",
    severity="warning",
    {common}
    category="errors",
    summary="Jobs of {{{{ $labels.queue }}}} fail",
    description='{{{{ printf "%.3f" $value }}}} jobs per second fail in {{{{ $labels.queue }}}}.',
    runbook=Runbook(
        impact="Background work of {svc} is lost or retried.",
        diagnosis=(
            "histogram_quantile(0.9, sum by (le, queue) "
            f"(rate({{m.JOB_DURATION.bucket}}[10m])))",
        ),
        mitigation=("Read the job logs; pause the producer if failures pile up.",),
    ),{tests}
)"""
    if shape == 5:  # a hit ratio under a threshold
        limit = (0.5, 0.7, 0.8)[variant % 3]
        name = f"{camel}LowCacheHitRatio{variant}"
        cache = f"c{variant % 4}"
        return f"""AlertRule(
    {name!r},
    f'sum(rate({{m.CACHE_LOOKUPS(cache={_q(cache)}, result="hit")}}[10m]))'
    f' / sum(rate({{m.CACHE_LOOKUPS(cache={_q(cache)})}}[10m])) < {limit!r}',
    for_="30m",
    severity="info",
    {common}
    category="performance",
    summary="Cache {cache} of {svc} misses",
    description="{{{{ $value | humanizePercentage }}}} of lookups hit (threshold {limit:g}).",
    runbook=Runbook(
        impact="More requests reach the database.",
        diagnosis=(f"sum by (cache, result) (rate({{m.CACHE_LOOKUPS}}[10m]))",),
        mitigation=("Check the cache's size and eviction rate.",),
    ),
)"""
    if shape == 6:  # a saturation ratio of two gauges
        limit = (0.8, 0.9, 0.95)[variant % 3]
        name = f"{camel}PoolSaturated{variant}"
        pool = f"p{variant % 3}"
        return f"""AlertRule(
    {name!r},
    f'sum({{m.POOL_CONNECTIONS(pool={_q(pool)}, state="active")}})'
    f' / sum({{m.POOL_CONNECTIONS(pool={_q(pool)})}}) > {limit!r}',
    for_="5m",
    severity="warning",
    {common}
    category="saturation",
    summary="Pool {pool} of {svc} is nearly full",
    description="{{{{ $value | humanizePercentage }}}} of the pool is in use.",
    runbook=Runbook(
        impact="Requests wait for a database connection.",
        diagnosis=(f"sum by (pool, state) ({{m.POOL_CONNECTIONS}})",),
        mitigation=("Raise the pool size or find the slow queries holding connections.",),
    ),
)"""
    # shape 7: traffic gone, absent-safe
    limit = (0.1, 1, 5)[variant % 3]
    name = f"{camel}NoTraffic{variant}"
    return f"""AlertRule(
    {name!r},
    f'(sum(rate({{m.REQUESTS(method={_q(METHODS[variant % 5])})}}[10m])) or vector(0)) < {limit!r}',
    for_="10m",
    severity="critical",
    {common}
    category="availability",
    summary="{svc} receives no {METHODS[variant % 5]} traffic",
    description="{svc} serves {{{{ $value | humanize }}}} requests per second.",
    runbook=Runbook(
        impact="Clients cannot reach {svc}, or stopped calling it.",
        diagnosis=(f'sum by (job) ({{UP(job={_q(svc)})}})',),
        mitigation=("Check the load balancer and the service's health endpoint.",),
    ),
)"""


def alerts_module(index: int, count: int, dashboard: str) -> str:
    svc, camel, team = _service(index), _camel(index), _team(index)
    alerts = ",\n".join(_alert(svc, camel, team, n, dashboard) for n in range(count))
    recordings = RECORDINGS.format(svc=svc)
    body = _source(
        f'''
        """Recording and alerting rules of {svc}."""

        from sarkmon.model import AlertRule, RecordingRule, RuleFile, RuleGroup, Runbook
        from sarkmon.model.alert_tests import Series, threshold_cases
        from sarkmon.model.series_values import exact
        from {PACKAGE}.metrics import {svc} as m
        from {PACKAGE}.metrics.external import UP


        def share(part, rest, total=10):
            """``total`` requests per second, the level's share of them ``part``."""
            return lambda p: [
                Series(part, p.counter(lambda s: exact(total) * exact(s))),
                Series(rest, p.counter(lambda s: exact(total) * (1 - exact(s)))),
            ]


        '''
    )
    return (
        body
        + f'rules = RuleFile(\n    "{svc}",\n    description="Rules of {svc}.",\n    groups=[\n'
        + textwrap.indent(recordings.strip("\n"), "        ")
        + f'\n        RuleGroup(\n            "{svc}_alerts",\n            interval="30s",\n'
        + "            rules=[\n"
        + textwrap.indent(alerts, "                ")
        + ",\n            ],\n        ),\n    ],\n)\n"
    )


# -- dashboards -------------------------------------------------------------------------------
def _panel(n: int) -> str:
    """The n-th panel of a dashboard: one of ten shapes, titled uniquely by n."""
    shape = n % 10
    method = METHODS[(n // 10) % len(METHODS)]
    part = f"{method}, {n // 50}" if n >= 50 else method
    sel = f'm.REQUESTS(route=ROUTE.match, method="{method}")'
    if shape == 0:
        return f"""Stat(
    "Request rate ({part})",
    description="Requests per second on the selected routes.",
    unit="reqps",
    queries=(sum_rate({sel}),),
)"""
    if shape == 1:
        return f"""TimeSeries(
    "Requests by route ({part})",
    description="Requests per second, by route and status class.",
    unit="reqps",
    queries=(Query(sum_rate({sel}, "route", "code"), legend="{{{{route}}}} {{{{code}}}}"),),
)"""
    if shape == 2:
        return f"""TimeSeries(
    "Latency ({part})",
    description="Request latency quantiles on the selected routes.",
    unit="s",
    queries=(
        Query(quantile(0.5, m.REQUEST_DURATION, route=ROUTE.match), legend="p50"),
        Query(quantile(0.9, m.REQUEST_DURATION, route=ROUTE.match), legend="p90"),
        Query(quantile(0.99, m.REQUEST_DURATION, route=ROUTE.match), legend="p99"),
        Query(mean(m.REQUEST_DURATION, route=ROUTE.match), legend="mean"),
    ),
)"""
    if shape == 3:
        return f"""Stat(
    "Error ratio ({part})",
    description="Share of requests that failed.",
    unit="percentunit",
    decimals=2,
    thresholds=Thresholds("green", ((0.01, "orange"), (0.05, "red"))),
    queries=(f'{{sum_rate({sel}(code="5xx"))}} / {{sum_rate({sel})}}',),
)"""
    if shape == 4:
        return f"""Heatmap(
    "Latency distribution ({part})",
    description="Each column is a histogram of the requests of one interval.",
    unit="s",
    queries=(
        Query(sum_rate(m.REQUEST_DURATION.bucket(route=ROUTE.match), "le"), legend="{{{{le}}}}"),
    ),
)"""
    if shape == 5:
        return f"""TimeSeries(
    "Queues ({part})",
    description="Jobs waiting and jobs failing, by queue.",
    unit="short",
    queries=(
        Query(f"max by (queue) ({{m.QUEUE_DEPTH(queue=QUEUE.match)}})", legend="{{{{queue}}}}"),
        Query(
            sum_rate(m.JOBS(queue=QUEUE.match, result="failure"), "queue"),
            legend="{{{{queue}}}} failures/s",
        ),
    ),
)"""
    if shape == 6:
        return f"""Gauge(
    "Pool usage ({part})",
    description="Share of the database pool connections in use.",
    unit="percentunit",
    thresholds=Thresholds("green", ((0.8, "orange"), (0.95, "red"))),
    queries=(
        f'sum({{m.POOL_CONNECTIONS(state="active")}}) / sum({{m.POOL_CONNECTIONS}})',
    ),
)"""
    if shape == 8:
        return f"""Stat(
    "In flight ({part})",
    description="Requests being served now on the selected routes.",
    unit="short",
    thresholds=Thresholds("green", ((50, "orange"), (100, "red"))),
    queries=(f"sum({{m.IN_FLIGHT(route=ROUTE.match)}})",),
)"""
    if shape == 9:
        return f"""TimeSeries(
    "Payload size ({part})",
    description="Mean request payload size, by route.",
    unit="bytes",
    queries=(
        Query(
            f"{{sum_rate(m.PAYLOAD_SIZE.sum(route=ROUTE.match), 'route')}}"
            f" / {{sum_rate(m.PAYLOAD_SIZE.count(route=ROUTE.match), 'route')}}",
            legend="{{{{route}}}}",
        ),
    ),
)"""
    return f"""Table(
    "Top routes ({part})",
    description="The busiest routes in the selected range.",
    unit="short",
    queries=(f'topk(10, {{sum_increase({sel}, "route")}})',),
)"""


def dashboard_module(number: int, service: int, panels: int, alert: str) -> str:
    svc = _service(service)
    rows = []
    per_row = 5
    for start in range(0, panels, per_row):
        items = ",\n".join(_panel(n) for n in range(start, min(panels, start + per_row)))
        rows.append(
            f'Row(\n    "Section {start // per_row + 1}",\n    (\n'
            + textwrap.indent(items, "        ")
            + ",\n    ),\n)"
        )
    body = ",\n".join(rows)
    return (
        _source(
            f'''
            """Dashboard {number} of {svc}."""

            from sarkmon.model.dashboards import (
                Dashboard,
                DashboardsByTag,
                Gauge,
                Heatmap,
                Query,
                QueryVariable,
                Row,
                RunbookLink,
                Stat,
                Table,
                Thresholds,
                TimeSeries,
                mean,
                quantile,
                sum_increase,
                sum_rate,
            )
            from {PACKAGE}.metrics import {svc} as m

            ROUTE = QueryVariable("route", metric=m.REQUESTS, label="route", title="Route")
            QUEUE = QueryVariable("queue", metric=m.QUEUE_DEPTH, label="queue", title="Queue")

            '''
        )
        + f'dashboard = Dashboard(\n    "bench-{number:04d}",\n    "{svc} view {number}",\n'
        + f'    description="Requests, latency, queues and pools of {svc}.",\n'
        + f'    tags=("bench", "{svc}"),\n'
        + "    variables=(ROUTE, QUEUE),\n"
        + '    links=(DashboardsByTag(("bench",), title="All dashboards"), '
        + f"RunbookLink({alert!r})),\n"
        + "    rows=(\n"
        + textwrap.indent(body, "        ")
        + ",\n    ),\n)\n"
    )


# -- project ----------------------------------------------------------------------------------
def slos_module(scale: Scale) -> str:
    entries = []
    for i in range(0, scale.services, SLO_EVERY):
        svc = _service(i)
        entries.append(
            f"""SLO(
    "{svc}-availability",
    service="{svc}",
    objective=99.9,
    window="30d",
    team="{_team(i)}",
    component="{svc}",
    description="Requests to {svc} succeed.",
    sli=RatioSLI(errors={svc}.REQUESTS(code="5xx"), total={svc}.REQUESTS),
    dashboards=(DASHBOARD,),
    runbook=Runbook(
        impact="Clients of {svc} see errors.",
        mitigation=("Roll back the last deployment of {svc}.",),
    ),
)"""
        )
    imports = ", ".join(_service(i) for i in range(0, scale.services, SLO_EVERY))
    return (
        _source(
            f'''
            """Service level objectives: availability of one service in {SLO_EVERY}."""

            from sarkmon.model import Runbook
            from sarkmon.model.slo import SLO, RatioSLI
            from sarkmon.slo.dashboard import slo_dashboard
            from {PACKAGE}.metrics import {imports}
            from {PACKAGE}.metrics.external import ALERTS

            DASHBOARD = "bench-slos"
            '''
        )
        + "\nSLOS = [\n"
        + textwrap.indent(",\n".join(entries), "    ")
        + ",\n]\n\n"
        + "dashboard = slo_dashboard(\n"
        + '    SLOS, uid=DASHBOARD, title="Bench SLOs", tags=("bench",), alerts=ALERTS\n)\n'
    )


ROUTING = '''
"""Routing: every alert reaches its team, critical alerts page as well. A critical alert
mutes the warning it escalates (Critical<X> over High<X>)."""

from sarkmon.model.receivers import PagerDuty, Receiver, Slack
from sarkmon.model.routing import Inhibition, Route, Routing, Team

TEAMS = TEAM_NAMES
SECRETS = "/etc/alertmanager/secrets"


def slack(channel):
    return Slack(channel, api_url_file=f"{SECRETS}/slack-{channel.lstrip('#')}-webhook-url")


def routing(alerts):
    """The routing for the alerts, given as name -> team."""
    escalates = {name: "High" + name.removeprefix("Critical") for name in alerts}
    pairs = sorted(
        (name, escalates[name])
        for name, team in alerts.items()
        if name.startswith("Critical") and alerts.get(escalates[name]) == team
    )
    return Routing(
        route=Route(
            receiver="default",
            group_by=["alertname", "cluster"],
            group_wait="30s",
            group_interval="5m",
            repeat_interval="12h",
            routes=[
                Route(receiver="pager", matchers=['severity="critical"'], continue_=True),
                *(Route(receiver=f"{t}-team", matchers=[f'team="{t}"']) for t in TEAMS),
            ],
        ),
        receivers=[
            Receiver("default", [slack("#alerts")]),
            Receiver("pager", [PagerDuty(routing_key_file=f"{SECRETS}/pagerduty-key")]),
            *(Receiver(f"{t}-team", [slack(f"#{t}")]) for t in TEAMS),
        ],
        teams=[Team(t, f"{t}-team") for t in TEAMS],
        pager="pager",
        inhibitions=[
            Inhibition(
                source=[f'alertname="{critical}"'],
                target=[f'alertname="{warning}"'],
                equal=["cluster", "route"],
                reason=f"{critical} is the escalation of {warning}.",
            )
            for critical, warning in pairs
        ],
    )
'''

INIT = '''
"""A synthetic project: SCALE."""

from sarkmon.model import Project
from sarkmon.model.targets import Kubernetes, MimirRuler, PrometheusServer, Targets, ThanosRuler
from PACKAGE import alerts, dashboards, routing, slos
from PACKAGE.metrics import catalog

RULE_FILES = [module.rules for module in alerts.MODULES]
project = Project(
    name="bench",
    catalog=catalog,
    rule_files=RULE_FILES,
    dashboards=[*(module.dashboard for module in dashboards.MODULES), slos.dashboard],
    slos=slos.SLOS,
    routing=routing.routing({a.name: a.team for f in RULE_FILES for a in f.alerts}),
    targets=Targets(
        prometheus_version="2.42",
        runbook_base_url="https://runbooks.example.com/bench",
        prometheus=PrometheusServer(alertmanagers=("alertmanager:9093",)),
        kubernetes=Kubernetes(namespace="monitoring", rule_labels={"release": "bench"}),
        mimir=MimirRuler(namespace_prefix="bench-"),
        thanos=ThanosRuler(),
    ),
)
'''


def _collector(doc: str, modules: list[str]) -> str:
    names = "\n".join(f"    {name}," for name in modules)
    lines = f'"""{doc}"""\n\nfrom . import (\n{names}\n)\n\nMODULES = [\n{names}\n]\n'
    return lines


def package_files(scale: Scale) -> dict[str, str]:
    """{relative path: source} of the package for ``scale``."""
    services = scale.services
    files: dict[str, str] = {}
    files["__init__.py"] = INIT.replace("PACKAGE", PACKAGE).replace("SCALE", scale.describe())
    files["routing.py"] = ROUTING.lstrip("\n").replace("TEAM_NAMES", repr(TEAMS))
    files["slos.py"] = slos_module(scale)
    files["metrics/__init__.py"] = metrics_init(scale)
    files["metrics/external.py"] = EXTERNAL
    for i in range(services):
        files[f"metrics/{_service(i)}.py"] = metrics_module(i)
    # Alerts spread evenly over the services; each alert links the service's first dashboard.
    first_board: dict[int, str] = {}
    for d in range(scale.dashboards):
        first_board.setdefault(d % services, f"bench-{d:04d}")
    alert_modules = []
    for i in range(services):
        count = scale.alerts // services + (1 if i < scale.alerts % services else 0)
        board = first_board.get(i, "bench-slos")
        files[f"alerts/{_service(i)}.py"] = alerts_module(i, count, board)
        alert_modules.append(_service(i))
    files["alerts/__init__.py"] = _collector("One rule file per service.", alert_modules)
    boards = []
    for d in range(scale.dashboards):
        service = d % services
        alert = f"{_camel(service)}SlowRequests0"
        files[f"dashboards/d{d:04d}.py"] = dashboard_module(d, service, scale.panels, alert)
        boards.append(f"d{d:04d}")
    files["dashboards/__init__.py"] = _collector("One module per dashboard.", boards)
    return files


def write_package(scale: Scale, root: Path) -> Path:
    """Write the package under ``root`` (created); returns ``root``."""
    for rel, text in package_files(scale).items():
        path = root / PACKAGE / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
