"""Verification on a real Prometheus: backfill a workload, load the rules, run every query.

1. synthesize the workload (``workload.py``) and backfill it with
   ``promtool tsdb create-blocks-from openmetrics``;
2. start Prometheus 127.0.0.1 on a free port with the generated rule files;
3. backfill the recording rules over the same range with ``create-blocks-from rules``, in
   rounds (a rule reading another recording gets data once that one is loaded), restarting
   the server to load the new blocks;
4. wait (bounded) until every rule group has been evaluated, and collect rule errors;
5. run every dashboard query as Grafana would, every recording rule over the range and
   every alert expression (for errors), and report what returns no data or fails.

The server is stopped by PID on every exit path and the temporary directory removed.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sarkmon.compile.prometheus import RULES_DIR, recording_document
from sarkmon.compile.yaml_text import dump_yaml
from sarkmon.model.durations import format_ms, parse_ms
from sarkmon.model.rules import RecordingRule
from sarkmon.pipeline import Build
from sarkmon.preview.series import query_record
from sarkmon.tools import promtool
from sarkmon.tools.prometheus import PrometheusError, PrometheusServer, sigterm_as_interrupt
from sarkmon.tools.runner import ToolResult
from sarkmon.verify.alerts import AlertCatalog, alert_selectors
from sarkmon.verify.queries import (
    Query,
    Window,
    dashboard_queries,
    global_variables,
    interpolate,
    lookback_s,
    recording_query,
    rule_queries,
    variables_used,
    window,
)
from sarkmon.verify.workload import Workload, write_openmetrics
from sarkmon.views import DashboardView

Progress = Callable[[str], None]
MAX_ROUNDS = 8  # rounds stop earlier, as soon as one brings no new recorded series
RECHECK_PAUSES_S = (0.0, 0.5, 2.0)  # a round's results are read again after these pauses
MAX_HISTORY_S = 2 * 86_400  # offsets reaching further back than this are not backfilled
RECORDING_LEAD_S = 900  # recordings start this long before the range (windows over them)
_NEVER = "0001-01-01T00:00:00Z"


class VerifyError(RuntimeError):
    """Verification could not run (a tool failed); not a finding about the definitions."""


@dataclass(frozen=True)
class Settings:
    range_s: int = 3600  # the dashboards' time range
    rule_wait_s: float | None = None  # default: the longest group interval + 5s, at most 120s


@dataclass(frozen=True)
class Problem:
    query: Query
    message: str  # "no data", "error: ...", ...
    sent: str = ""  # the query as sent, variables substituted

    def lines(self) -> list[str]:
        out = [f"{self.query.object}: {self.message}"]
        if self.query.location.line:
            out.append(f"  defined at {self.query.location}")
        if self.sent:
            out.append(f"  query: {' '.join(self.sent.split())}")
        return out


@dataclass
class Report:
    workload: Workload | None = None
    counts: dict[str, int] = field(default_factory=dict)  # queries run, by kind
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    alert_queries: int = 0  # ALERTS-only queries, empty while nothing fires, that could show data
    window: Window | None = None
    series: list[dict[str, Any]] = field(default_factory=list)  # sarkmon-series/1 records

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def queries(self) -> int:
        return sum(self.counts.values())

    def count(self, kind: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1


def verify(
    build: Build, files: Mapping[str, str], progress: Progress, settings: Settings
) -> Report:
    """Run the whole verification in a temporary directory, removed afterwards."""
    tmp = Path(tempfile.mkdtemp(prefix="sarkmon-verify-"))
    try:
        return _verify(build, files, progress, settings, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _verify(
    build: Build, files: Mapping[str, str], progress: Progress, settings: Settings, tmp: Path
) -> Report:
    report = Report()
    scrape = build.project.scrape
    now = int(time.time())
    w = report.window = window(now, settings.range_s, parse_ms(scrape.interval) // 1000)
    # An hour before the range for rate windows, more when an offset reads further back.
    history_start = w.start - 3600 - min(lookback_s(build), MAX_HISTORY_S)
    data = tmp / "data"
    progress("synthesizing the workload from the catalog")
    with open(tmp / "workload.om", "w", encoding="utf-8") as out:
        report.workload = write_openmetrics(
            out, build.catalog, build.sites, history_start, now, dense_from=w.start - 3600
        )
    progress(f"backfilling {report.workload.series} series ({report.workload.samples} samples)")
    _tool(promtool.blocks_from_openmetrics(str(tmp / "workload.om"), str(data)), "backfill")
    (tmp / "workload.om").unlink()
    rule_paths = []
    for path, text in sorted(files.items()):
        if path.startswith(RULES_DIR + "/"):
            target = tmp / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            rule_paths.append(str(target))
    config = tmp / "prometheus.yml"
    config.write_text(_config(build, rule_paths), encoding="utf-8")
    scratch_config = tmp / "scratch.yml"
    scratch_config.write_text(_config(build, []), encoding="utf-8")
    log = tmp / "prometheus.log"
    with sigterm_as_interrupt():
        # Recordings are backfilled through a server without rules (restarted to load
        # each round's blocks); the server under test then starts once, so its rule groups
        # come due while the queries run.
        if any(f.recordings for f in build.rule_files):
            with PrometheusServer(scratch_config, data, log) as scratch:
                start = w.start - RECORDING_LEAD_S
                _backfill_recordings(scratch, build, tmp, start, now, progress, report)
        progress("starting prometheus on 127.0.0.1 with the generated rules")
        with PrometheusServer(config, data, log) as server:
            started = time.monotonic()
            _run_queries(server, build, w, progress, report)
            _wait_for_rules(server, build, settings, started, progress, report)
    return report


def _config(build: Build, rule_paths: list[str]) -> str:
    scrape = build.project.scrape
    return dump_yaml(
        {
            "global": {
                "scrape_interval": scrape.interval,
                "evaluation_interval": scrape.evaluation_interval,
                "external_labels": dict(scrape.external_labels),
            },
            "rule_files": rule_paths,
        }
    )


def _tool(result: ToolResult, what: str) -> None:
    if not result.ok:
        raise VerifyError(f"{what} failed: {result.output}")


def _backfill_recordings(
    server: PrometheusServer,
    build: Build,
    tmp: Path,
    start: int,
    end: int,
    progress: Progress,
    report: Report,
) -> None:
    """Recorded series over the range, round by round until nothing more appears.

    Each group is evaluated at its own interval, as Prometheus would (one promtool run per
    interval); a rule reading another recording gets its data in the next round.
    """
    default = build.project.scrape.evaluation_interval
    groups = [
        (g.name, format_ms(parse_ms(g.interval or default)), g.recordings)
        for f in build.rule_files
        for g in f.groups
        if g.recordings
    ]
    pending = {id(r) for _, _, rules in groups for r in rules}
    rounds = 0
    while pending and rounds < MAX_ROUNDS:
        rounds += 1
        progress(f"backfilling {len(pending)} recording rules (round {rounds})")
        by_interval: dict[str, list[dict[str, Any]]] = {}
        for name, interval, rules in groups:
            todo = [recording_document(r) for r in rules if id(r) in pending]
            if todo:
                by_interval.setdefault(interval, []).append({"name": name, "rules": todo})
        for interval, docs in sorted(by_interval.items()):
            rule_file = tmp / f"recordings-{rounds}-{interval}.yml"
            rule_file.write_text(dump_yaml({"groups": docs}), encoding="utf-8")
            blocks = tmp / f"blocks-{rounds}-{interval}"
            result = promtool.blocks_from_rules(
                server.url, start, end, str(blocks), [str(rule_file)], interval
            )
            _tool(result, "backfilling recording rules")
            for block in sorted(blocks.iterdir()) if blocks.is_dir() else []:
                if block.is_dir():
                    block.rename(server.data / block.name)
        server.stop()
        server.start()
        waiting = [r for _, _, rules in groups for r in rules if id(r) in pending]
        produced = _with_data(server, waiting, end - start, end)
        if not produced:
            break
        pending -= produced
    missing = sorted({r.record for _, _, rules in groups for r in rules if id(r) in pending})
    report.notes.append(
        f"recording rules backfilled in {rounds} round(s); {len(pending)} without data"
        + (f": {', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}" if missing else "")
    )


def _with_data(
    server: PrometheusServer, rules: list[RecordingRule], range_s: int, at: int
) -> set[int]:
    """Ids of the rules whose series the server returns.

    A rule found without data is asked again after a pause: on a loaded machine a freshly
    restarted server has been seen to answer before every new block was queryable, and a
    rule missed here is backfilled again, stretching the rounds until they run out.
    """
    found: set[int] = set()
    for pause in RECHECK_PAUSES_S:
        time.sleep(pause)
        found |= {id(r) for r in rules if id(r) not in found and _has_data(server, r, range_s, at)}
        if len(found) == len(rules):
            break
    return found


def _has_data(server: PrometheusServer, rule: RecordingRule, range_s: int, at: int) -> bool:
    selector = recording_query(rule).expr
    return bool(server.query(f"count_over_time({selector}[{range_s}s])", at))


def _wait_for_rules(
    server: PrometheusServer,
    build: Build,
    settings: Settings,
    started: float,
    progress: Progress,
    report: Report,
) -> None:
    """Wait until every group was evaluated once (bounded); report rules Prometheus failed."""
    intervals = [
        parse_ms(g.interval or build.project.scrape.evaluation_interval) / 1000
        for f in build.rule_files
        for g in f.groups
    ]
    if not intervals:
        return
    wait = settings.rule_wait_s
    if wait is None:
        wait = min(max(intervals) + 5, 120)
    progress(f"waiting for every rule group to be evaluated (at most {wait:g}s)")
    deadline = started + wait
    groups = server.rule_groups()
    while any(g.get("lastEvaluation") == _NEVER for g in groups) and time.monotonic() < deadline:
        time.sleep(0.25)
        groups = server.rule_groups()
    late = [g["name"] for g in groups if g.get("lastEvaluation") == _NEVER]
    if late:
        report.notes.append(
            f"{len(late)} rule group(s) not evaluated within {wait:g}s: {', '.join(late)} "
            "(their expressions are still run below)"
        )
    by_name = {q.object: q for q in rule_queries(build)}
    for group in groups:
        for rule in group.get("rules", []):
            if rule.get("health") == "err":
                query = _rule_query(by_name, rule)
                report.problems.append(
                    Problem(query, f"evaluation error: {rule.get('lastError', '')}", query.expr)
                )


def _rule_query(by_name: Mapping[str, Query], rule: Mapping[str, Any]) -> Query:
    key = f"alert {rule['name']!r}" if rule.get("type") == "alerting" else ""
    if key in by_name:
        return by_name[key]
    for name, query in by_name.items():
        if name.startswith(f"recording rule {rule['name']!r}"):
            return query
    return Query(str(rule.get("type", "rule")), f"rule {rule['name']!r}", str(rule.get("query")))


def _run_queries(
    server: PrometheusServer, build: Build, w: Window, progress: Progress, report: Report
) -> None:
    queries = dashboard_queries(build)
    rules = rule_queries(build)
    alert_catalog = AlertCatalog(build)
    total = len(queries) + len(rules)
    done = 0
    values: dict[str, str] = {}
    unresolved: set[str] = set()
    current = None
    for query in queries:
        if query.dashboard is not current:  # each dashboard starts from Grafana's globals
            current = query.dashboard
            values, unresolved = _dashboard_defaults(current, w), set()
        done += 1
        progress(f"querying {done}/{total}: {query.object}")
        report.count(query.kind)
        missing = [v for v in variables_used(query.expr) if v in unresolved]
        if missing:
            message = "uses variable(s) with no value: " + ", ".join(f"${v}" for v in missing)
            report.problems.append(Problem(query, message, query.expr))
            if query.kind == "variable":
                unresolved.add(_variable_name(query))
            continue
        sent = interpolate(query.expr, values)
        try:
            result = _execute(server, query, sent, w)
        except PrometheusError as err:
            result, error = [], str(err)
        else:
            error = ""
        if query.kind == "panel" and not error and query.dashboard is not None:
            data = {"result": result}  # what preview draws: sarkmon.preview.series
            record = query_record(query.dashboard.uid, query.panel, query.ref_id, query.expr, data)
            report.series.append(record)
        if query.kind == "variable":
            name = _variable_name(query)
            if not result:
                unresolved.add(name)
            elif name not in values:  # no default option: the first value, as Grafana does
                values[name] = result[0]
        if not error and not result and query.kind != "variable":
            verdict = _alerts_verdict(alert_catalog, sent)
            if verdict == "":
                report.alert_queries += 1
                continue
            if verdict:
                report.problems.append(Problem(query, f"no data, and {verdict}", sent))
                continue
        if error or not result:
            report.problems.append(Problem(query, f"error: {error}" if error else "no data", sent))
    if report.alert_queries:
        report.notes.append(
            f"{report.alert_queries} dashboard queries read only ALERTS: empty while no alert "
            "fires, and each matches at least one of the project's alerts"
        )
    for query in rules:
        done += 1
        progress(f"querying {done}/{total}: {query.object}")
        report.count(query.kind)
        try:
            if query.kind == "alert":  # no data is normal for an alert: only errors count
                server.query(query.expr, w.end)
                continue
            result = server.query_range(query.expr, w.start, w.end, w.interval_s)
        except PrometheusError as err:
            report.problems.append(Problem(query, f"error: {err}", query.expr))
            continue
        if not result:
            report.problems.append(Problem(query, "no data over the range", query.expr))


def _alerts_verdict(catalog: AlertCatalog, sent: str) -> str | None:
    """For a query reading only ALERTS: "" when each selector matches some alert, else why
    not; None for any other query."""
    uses = alert_selectors(sent)
    if uses is None:
        return None
    for use in uses:
        if not catalog.matching(use):
            shown = f"{use.name}{{{', '.join(str(m) for m in use.matchers)}}}"
            return f"{shown} matches none of the project's {len(catalog.alerts)} alerts"
    return ""


def _dashboard_defaults(dash: DashboardView | None, w: Window) -> dict[str, str]:
    values = global_variables(w)
    for variable in dash.variables if dash is not None else ():
        if variable.options:  # Grafana's default: the first option ("All" when included)
            values[variable.name] = variable.options[0]
    return values


def _variable_name(query: Query) -> str:
    return query.object.rsplit(" variable ", 1)[1].strip("'\"")


def _execute(server: PrometheusServer, query: Query, sent: str, w: Window) -> list[Any]:
    """Run one dashboard query; for a variable, its values (sorted, as Grafana lists them)."""
    if query.kind == "variable":
        if query.label:
            match = sent or '{__name__=~".+"}'
            return sorted(server.label_values(query.label, match, w.start, w.end))
        return [str(r.get("metric", {})) for r in server.query(sent, w.end)]
    if query.instant:
        return server.query(sent, w.end)
    return server.query_range(sent, w.start, w.end, w.interval_s)
