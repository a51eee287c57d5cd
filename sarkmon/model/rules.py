"""Alerting and recording rules, their groups and the files they are written to."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from sarkmon.diagnostics import report
from sarkmon.model.durations import DurationError, parse_ms
from sarkmon.model.expressions import PromQL, promql_text
from sarkmon.model.names import ALERT_NAME_RE, RECORD_NAME_RE, is_label_name, slugify
from sarkmon.model.scrape import frozen_map
from sarkmon.source import Location, caller_location

if TYPE_CHECKING:
    from sarkmon.model.alert_tests import AlertTest


class AlertSeverity(StrEnum):
    CRITICAL = "critical"  # pages: someone must act now
    WARNING = "warning"  # needs attention within working hours
    INFO = "info"  # for context and dashboards; never notifies a person alone


@dataclass(frozen=True)
class Runbook:
    """What an operator needs at 3 a.m.: impact, how to diagnose, how to mitigate."""

    impact: str = ""
    # PromQL queries (checked like every expression) or steps in prose, in the order to try
    # them; an entry that parses as PromQL is a query.
    diagnosis: Sequence[str] = ()
    mitigation: Sequence[str] = ()
    url: str = ""  # overrides the generated runbook's address

    def __post_init__(self) -> None:
        object.__setattr__(self, "diagnosis", tuple(self.diagnosis))
        object.__setattr__(self, "mitigation", tuple(self.mitigation))


def _check_duration(text: str, obj: str, what: str, where: Location) -> None:
    try:
        parse_ms(text)
    except DurationError as err:
        report("definition/duration", obj, f"{what}: {err}", where)


def _check_labels(labels: Mapping[str, object], obj: str, where: Location) -> None:
    for name, value in labels.items():
        if not is_label_name(name):
            report(
                "definition/label-name",
                obj,
                f"invalid label name {name!r}",
                where,
                "label names match [a-zA-Z_][a-zA-Z0-9_]* and do not start with __",
            )
        if not isinstance(value, str):
            report(
                "definition/label-value",
                obj,
                f"label {name!r} must be a string, got {value!r}",
                where,
            )


@dataclass(frozen=True)
class AlertRule:
    name: str
    expr: PromQL
    summary: str = ""
    description: str = ""
    severity: AlertSeverity | str = AlertSeverity.WARNING
    team: str = ""
    category: str = ""
    component: str = ""
    for_: str = ""
    keep_firing_for: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    annotations: Mapping[str, str] = field(default_factory=dict)
    runbook: Runbook = field(default_factory=Runbook)
    dashboards: Sequence[str] = ()  # uids of the dashboards an operator should open
    tests: Sequence[AlertTest] = ()
    silence: Mapping[str, str] = field(default_factory=dict)  # check id -> reason
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "expr", promql_text(self.expr))
        object.__setattr__(self, "labels", frozen_map(self.labels))
        object.__setattr__(self, "annotations", frozen_map(self.annotations))
        object.__setattr__(self, "silence", frozen_map(self.silence))
        object.__setattr__(self, "dashboards", tuple(self.dashboards))
        object.__setattr__(self, "tests", tuple(self.tests))
        obj = f"alert {self.name!r}"
        if not isinstance(self.name, str) or not ALERT_NAME_RE.match(self.name):
            report("definition/alert-name", obj, "alert names are UpperCamelCase", self.location)
        try:
            object.__setattr__(self, "severity", AlertSeverity(self.severity))
        except ValueError:
            report(
                "definition/severity",
                obj,
                f"unknown severity {self.severity!r}",
                self.location,
                "use critical, warning or info",
            )
        if not str(self.expr):
            report("definition/expr", obj, "empty expression", self.location)
        for what in ("for_", "keep_firing_for"):
            value = getattr(self, what)
            if value:
                _check_duration(value, obj, what.rstrip("_"), self.location)
        reserved = {"severity", "team", "category", "component"} & set(self.labels)
        for name in sorted(reserved):
            report(
                "definition/label-name",
                obj,
                f"label {name!r} is set by its own field",
                self.location,
                f"pass {name}=... to AlertRule instead",
            )
        _check_labels(self.labels, obj, self.location)

    @property
    def slug(self) -> str:
        return slugify(self.name)

    def all_labels(self) -> dict[str, str]:
        """The labels the rule attaches to its alerts, routing labels included."""
        out = dict(self.labels)
        out["severity"] = str(self.severity)
        for key in ("team", "category", "component"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        return dict(sorted(out.items()))


@dataclass(frozen=True)
class RecordingRule:
    record: str
    expr: PromQL
    labels: Mapping[str, str] = field(default_factory=dict)
    help: str = ""
    unit: str = ""
    silence: Mapping[str, str] = field(default_factory=dict)
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "expr", promql_text(self.expr))
        object.__setattr__(self, "labels", frozen_map(self.labels))
        object.__setattr__(self, "silence", frozen_map(self.silence))
        obj = f"recording rule {self.record!r}"
        if not isinstance(self.record, str) or not RECORD_NAME_RE.match(self.record):
            report(
                "definition/record-name",
                obj,
                "recording rule names follow level:metric:operations",
                self.location,
                "for example job:sark_gateway_requests:rate5m",
            )
        if not str(self.expr):
            report("definition/expr", obj, "empty expression", self.location)
        _check_labels(self.labels, obj, self.location)

    @property
    def name(self) -> str:
        return self.record

    def __str__(self) -> str:
        return self.record


Rule = AlertRule | RecordingRule


@dataclass(frozen=True)
class RuleGroup:
    name: str
    rules: Sequence[Rule]
    interval: str = ""
    limit: int = 0
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rules", tuple(self.rules))
        obj = f"rule group {self.name!r}"
        if self.interval:
            _check_duration(self.interval, obj, "interval", self.location)
        if not isinstance(self.limit, int) or self.limit < 0:
            report(
                "definition/limit",
                obj,
                f"limit must be a non-negative integer, got {self.limit!r}",
                self.location,
            )
        if not self.rules:
            report("definition/empty", obj, "group has no rules", self.location)

    @property
    def alerts(self) -> tuple[AlertRule, ...]:
        return tuple(r for r in self.rules if isinstance(r, AlertRule))

    @property
    def recordings(self) -> tuple[RecordingRule, ...]:
        return tuple(r for r in self.rules if isinstance(r, RecordingRule))


@dataclass(frozen=True)
class RuleFile:
    """One rule file; ``name`` is the file stem (``gateway`` -> ``gateway.yml``)."""

    name: str
    groups: Sequence[RuleGroup]
    description: str = ""
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "groups", tuple(self.groups))
        if slugify(self.name) != self.name.replace("_", "-"):
            report(
                "definition/file-name",
                f"rule file {self.name!r}",
                "rule file names are lower-case words joined by - or _",
                self.location,
            )

    @property
    def alerts(self) -> tuple[AlertRule, ...]:
        return tuple(a for g in self.groups for a in g.alerts)

    @property
    def recordings(self) -> tuple[RecordingRule, ...]:
        return tuple(r for g in self.groups for r in g.recordings)
