"""SARK's alert set and recording rules: complete, owned, documented, consistent."""

from __future__ import annotations

import re

import yaml

from definitions import teams
from sarkmon.model import AlertRule, AlertSeverity, RecordingRule, Status
from sarkmon.pipeline import Build

# Hand-written alerts deliberately not rebuilt; each module docstring says why.
DROPPED = {"FreeTierOveruse", "LowRevenuePerRequest", "HighAuthorizationDenyRate"}
# Names that collided across SARK's files, and the names the second alert took.
RENAMED = {"ElevatedMemoryUsage", "LowGatewayCacheHitRate", "PrivilegeEscalationDenials"}
RENAMED |= {"SlowAuditDatabaseWrites"}


def alerts(result: Build) -> list[AlertRule]:
    return [a for f in result.rule_files for a in f.alerts]


def recordings(result: Build) -> list[RecordingRule]:
    return [r for f in result.project.rule_files for r in f.recordings]


def test_the_set_is_complete_and_names_are_unique(sark_build: Build) -> None:
    names = [a.name for a in sark_build.project.alerts]
    assert len(names) == len(set(names))
    assert len(names) >= 90
    assert not DROPPED & set(names)
    assert set(names) >= RENAMED


def test_every_alert_is_owned_classified_and_documented(sark_build: Build) -> None:
    for alert in sark_build.project.alerts:
        where = f"{alert.name} ({alert.location})"
        assert alert.team in teams.ALL, where
        assert isinstance(alert.severity, AlertSeverity), where
        assert alert.category and alert.summary and alert.description, where
        assert alert.runbook.impact, where
        assert alert.runbook.diagnosis or alert.runbook.mitigation, where
        assert alert.for_, where


def test_every_generated_alert_links_its_runbook(sark_files: dict[str, str]) -> None:
    rule_files = {p: t for p, t in sark_files.items() if p.startswith("prometheus/rules/")}
    assert {p.rsplit("/", 1)[1] for p in rule_files} >= {
        "gateway.yml",
        "security.yml",
        "infrastructure.yml",
        "business.yml",
        "recording_gateway.yml",
    }
    for text in rule_files.values():
        for group in yaml.safe_load(text)["groups"]:
            for rule in group["rules"]:
                if "alert" in rule:
                    url = rule["annotations"]["runbook_url"]
                    assert url.endswith(f"/{rule['alert']}.md")
                    assert rule["labels"]["team"] in teams.ALL


def test_templates_only_name_labels_the_expression_keeps(sark_build: Build) -> None:
    for site in sark_build.sites:
        if site.kind != "alert":
            continue
        alert = site.owner
        assert isinstance(alert, AlertRule)
        used = set(re.findall(r"\$labels\.(\w+)", alert.summary + alert.description))
        assert site.labels is not None, alert.name
        assert used <= site.labels | set(alert.all_labels()), alert.name


def test_recordings_are_cataloged_with_the_labels_their_level_names(sark_build: Build) -> None:
    rules = recordings(sark_build)
    assert len(rules) >= 15
    # Each is located at its own line of the recording module, helpers or not.
    assert len({r.location for r in rules}) == len(rules)
    assert all(r.location.file == "definitions/recordings.py" for r in rules)
    for rule in rules:
        level, metric, operations = rule.record.split(":")
        assert operations.endswith("5m"), rule.record
        recorded = sark_build.catalog.metric(rule.record)
        assert recorded is not None and recorded.status is Status.RECORDED
        assert recorded.help == rule.help and rule.help, rule.record
        assert set(recorded.label_names) == set(level.split("_")), rule.record
        assert recorded.unit == rule.unit
        if operations.startswith("p"):
            assert rule.unit == "seconds" and metric.endswith("_seconds"), rule.record


def test_alerts_read_the_shared_recordings(sark_build: Build) -> None:
    recorded = {r.record for r in recordings(sark_build)}
    read: set[str] = set()
    for site in sark_build.sites:
        if site.kind == "alert":
            read.update(u.name for u in site.selectors if u.name in recorded)
    # Most shared recordings are read by alerts; the others by dashboards or by another
    # recording (the next test checks that each has a reader of some kind).
    assert len(read) >= 10


READERS = ("alert", "panel", "recording")  # a runbook query alone does not justify a rule


def test_every_recording_rule_has_a_reader(sark_build: Build) -> None:
    rules = [r for f in sark_build.rule_files for r in f.recordings]
    assert len(rules) > len(recordings(sark_build))  # the SLOs' recordings are included
    read: set[str] = set()
    for site in sark_build.sites:
        if site.kind in READERS:
            own = getattr(site.owner, "record", None)
            read.update(u.name for u in site.selectors if u.name != own)
    unread = sorted({r.record for r in rules} - read)
    assert not unread, unread


def test_every_alert_points_to_dashboards_that_exist(sark_build: Build) -> None:
    uids = {d.uid for d in sark_build.project.dashboards}
    for alert in sark_build.project.alerts:
        assert alert.dashboards, alert.name
        assert set(alert.dashboards) <= uids, (alert.name, alert.dashboards)
