"""Analysis at scale: 10,000 distinct expressions against a 2,000-metric catalog, under 2 s.

The workload is synthetic but shaped like real monitoring: counters with enum labels read
through rate() and ratios, histograms through histogram_quantile, gauges joined with
group_left, absent-safe alerts, dashboard queries with Grafana variables. Half the
expressions are alerts (so the alert checks run), half panel queries. Timed in process:
parsing (every text is distinct, so the parse cache never hits), conversion with label
flow and units, and every registered check.
"""

from __future__ import annotations

import statistics
import time

from sarkmon.analysis import ExprSite, analyze_site
from sarkmon.lint import LintContext, all_checks, run_checks
from sarkmon.model import (
    AlertRule,
    Catalog,
    Counter,
    Gauge,
    Histogram,
    Label,
    Metric,
    RuleFile,
    RuleGroup,
    Runbook,
    Scrape,
    ScrapeJob,
    Summary,
)
from sarkmon.promql.parse import _parse
from sarkmon.source import Location

METRICS = 2_000
EXPRESSIONS = 10_000
BUDGET_S = 2.0
RUNS = 3
SCRAPE = Scrape(
    [ScrapeJob(f"job{i}", targets=(f"host{i}:9100",), labels={"tier": "app"}) for i in range(5)]
)


def catalog() -> Catalog:
    metrics: list[Metric] = []
    for i in range(METRICS):
        labels = (
            Label("code", values=("ok", "error")),
            "route",
            f"l{i % 7}",
        )
        jobs = (f"job{i % 5}",)
        kind = i % 10
        if kind < 4:
            metrics.append(Counter(f"m{i}_requests_total", "r", labels, jobs=jobs))
        elif kind < 6:
            metrics.append(
                Histogram(f"m{i}_latency_seconds", "l", labels[1:], unit="seconds", jobs=jobs)
            )
        elif kind < 9:
            metrics.append(Gauge(f"m{i}_queue_depth", "q", labels[1:], jobs=jobs))
        else:
            metrics.append(Summary(f"m{i}_size_bytes", "s", labels[1:], unit="bytes", jobs=jobs))
    return Catalog(metrics, SCRAPE)


def expression(n: int) -> str:
    """The n-th expression: one of eight shapes over the metrics n picks."""
    i = n % METRICS
    counter = f"m{(i // 10) * 10 + i % 4}_requests_total"
    histogram = f"m{(i // 10) * 10 + 4 + i % 2}_latency_seconds"
    gauge = f"m{(i // 10) * 10 + 6 + i % 3}_queue_depth"
    summary = f"m{(i // 10) * 10 + 9}_size_bytes"
    shapes = (
        f'sum by (route) (rate({counter}{{code="error"}}[5m])) > {n}',
        f"histogram_quantile(0.95, sum by (le, route) (rate({histogram}_bucket[$__rate_interval])))"
        f" > {n}",
        f'sum(rate({counter}{{code="error"}}[10m])) / sum(rate({counter}[10m])) > 0.{n}',
        f"{gauge} / on(route, job, instance) group_left {gauge} > {n}",
        f"(sum(rate({counter}[10m])) or vector(0)) == {n}",
        f"avg_over_time({gauge}[1h]) > {n}",
        f"rate({summary}_sum[10m]) / rate({summary}_count[10m]) > {n}",
        f'sum by (route) (rate({counter}{{route=~"$route"}}[$__rate_interval])) * {n}',
    )
    return shapes[n % len(shapes)]


def workload(the_catalog: Catalog) -> tuple[list[ExprSite], list[RuleFile]]:
    sites: list[ExprSite] = []
    rules: list[AlertRule] = []
    for n in range(EXPRESSIONS):
        text = expression(n)
        where = Location("bench.py", n + 1)
        if n % 2:
            sites.append(ExprSite(None, "panel", f"panel {n}", text, where, {"route": "a"}))
            continue
        alert = AlertRule(
            f"Alert{n}",
            text,
            summary="s",
            description="at {{ $value | humanize }}",
            for_="5m",
            runbook=Runbook(url="https://runbooks.example/bench"),
            location=where,
        )
        rules.append(alert)
        sites.append(ExprSite(alert, "alert", f"alert {alert.name!r}", text, where))
    groups = [RuleGroup(f"g{i}", rules[i : i + 100]) for i in range(0, len(rules), 100)]
    return sites, [RuleFile("bench", groups)]


def run_once(the_catalog: Catalog) -> tuple[float, float, int]:
    """Seconds to analyze every site, seconds to run every check, findings."""
    sites, rule_files = workload(the_catalog)
    _parse.cache_clear()
    start = time.perf_counter()
    analyzed = [analyze_site(site, the_catalog) for site in sites]
    analysis = time.perf_counter() - start
    start = time.perf_counter()
    findings = run_checks(LintContext(the_catalog, analyzed, rule_files))
    return analysis, time.perf_counter() - start, len(findings)


def report() -> list[str]:
    the_catalog = catalog()
    all_checks()  # imports, outside the timing
    runs = [run_once(the_catalog) for _ in range(RUNS)]
    analysis = statistics.median(r[0] for r in runs)
    checks = statistics.median(r[1] for r in runs)
    total = analysis + checks
    verdict = "ok" if total < BUDGET_S else "OVER BUDGET"
    return [
        f"analysis: {EXPRESSIONS} expressions, {len(the_catalog)} metrics (median of {RUNS})",
        f"{'parse + label flow + units':32} {analysis:9.3f} s",
        f"{f'{len(all_checks())} checks':32} {checks:9.3f} s  ({runs[0][2]} findings)",
        f"{'total':32} {total:9.3f} s  budget {BUDGET_S:.1f} s: {verdict}",
    ]
