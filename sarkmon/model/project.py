"""The Project: everything the definitions declare, in one immutable object."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sarkmon.diagnostics import report
from sarkmon.model.catalog import Catalog
from sarkmon.model.dashboards import Dashboard, GrafanaSettings
from sarkmon.model.routing import Routing
from sarkmon.model.rules import AlertRule, RecordingRule, RuleFile
from sarkmon.model.scrape import Scrape
from sarkmon.model.slo import SLO
from sarkmon.model.targets import Targets
from sarkmon.source import Location, caller_location


@dataclass(frozen=True)
class Project:
    name: str
    catalog: Catalog
    rule_files: Sequence[RuleFile] = ()
    dashboards: Sequence[Dashboard] = ()
    slos: Sequence[SLO] = ()
    routing: Routing | None = None
    grafana: GrafanaSettings = field(default_factory=GrafanaSettings)
    targets: Targets = field(default_factory=Targets)
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name in ("rule_files", "dashboards", "slos"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        self._check_unique()

    @property
    def scrape(self) -> Scrape:
        return self.catalog.scrape

    @property
    def alerts(self) -> tuple[AlertRule, ...]:
        return tuple(a for f in self.rule_files for a in f.alerts)

    @property
    def recordings(self) -> tuple[RecordingRule, ...]:
        return tuple(r for f in self.rule_files for r in f.recordings)

    def _check_unique(self) -> None:
        files: dict[str, RuleFile] = {}
        for rule_file in self.rule_files:
            first = files.setdefault(rule_file.name, rule_file)
            if first is not rule_file:
                report(
                    "definition/duplicate",
                    f"rule file {rule_file.name!r}",
                    f"rule file name used twice (first at {first.location})",
                    rule_file.location,
                )
        groups: dict[str, Location] = {}
        for rule_file in self.rule_files:
            for group in rule_file.groups:
                if group.name in groups:
                    report(
                        "definition/duplicate",
                        f"rule group {group.name!r}",
                        f"group name used twice (first at {groups[group.name]})",
                        group.location,
                    )
                groups.setdefault(group.name, group.location)
        alerts: dict[tuple[str, tuple[tuple[str, str], ...]], AlertRule] = {}
        for alert in self.alerts:
            key = (alert.name, tuple(alert.all_labels().items()))
            first_alert = alerts.setdefault(key, alert)
            if first_alert is not alert:
                report(
                    "definition/duplicate",
                    f"alert {alert.name!r}",
                    f"alert defined twice with the same labels (first at {first_alert.location})",
                    alert.location,
                    "rename one, or give each a distinguishing label",
                )
        records: dict[str, RecordingRule] = {}
        for rule in self.recordings:
            first_rec = records.setdefault(rule.record, rule)
            if first_rec is not rule and first_rec.labels == rule.labels:
                report(
                    "definition/duplicate",
                    f"recording rule {rule.record!r}",
                    f"recorded twice with the same labels (first at {first_rec.location})",
                    rule.location,
                )
