"""Hand-written Prometheus rule files and PrometheusRule manifests, read into the rule model.

Each rule becomes an AlertRule or RecordingRule located at the line of its ``- alert:`` or
``- record:`` entry, so everything the model validates (severity, names, durations) and
everything lint checks is reported at that line. The routing labels the model keeps in
fields (severity, team, category, component) and the summary, description and runbook_url
annotations are moved into their fields.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sarkmon.artifacts.lines import Lined, ReadError, line_of
from sarkmon.model.names import slugify
from sarkmon.model.rules import AlertRule, RecordingRule, Rule, RuleFile, RuleGroup, Runbook
from sarkmon.source import Location

ROUTING_LABELS = ("severity", "team", "category", "component")


def _strings(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {str(k): "" if v is None else str(v) for k, v in value.items()}


def groups_of(doc: Any) -> list[tuple[str, Lined, list[Any]]]:
    """(file name, document, groups) for each rule set in a YAML document."""
    if not isinstance(doc, Lined):
        return []
    if doc.get("kind") == "List":
        return [found for item in doc.get("items", []) or [] for found in groups_of(item)]
    if doc.get("kind") == "PrometheusRule":
        name = _strings(doc.get("metadata")).get("name", "")
        spec = doc.get("spec") or {}
        return [(name, doc, spec.get("groups") or [])] if isinstance(spec, Mapping) else []
    if isinstance(doc.get("groups"), list):
        return [("", doc, doc["groups"])]
    return []


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path

    def where(self, obj: object) -> Location:
        return Location(self.path, line_of(obj))

    def rule_file(self, name: str, doc: Lined, groups: list[Any]) -> RuleFile:
        stem = name or Path(self.path).name.split(".")[0]
        return RuleFile(
            slugify(stem),
            [self.group(g) for g in groups if isinstance(g, Lined)],
            location=self.where(doc),
        )

    def group(self, raw: Lined) -> RuleGroup:
        rules = [self.rule(r) for r in raw.get("rules", []) or [] if isinstance(r, Lined)]
        limit = raw.get("limit", 0)
        return RuleGroup(
            str(raw.get("name", "")),
            [r for r in rules if r is not None],
            interval=str(raw.get("interval") or ""),
            limit=limit if isinstance(limit, int) else 0,
            location=self.where(raw),
        )

    def rule(self, raw: Lined) -> Rule | None:
        expr = "" if raw.get("expr") is None else str(raw.get("expr"))
        labels = _strings(raw.get("labels"))
        where = self.where(raw)
        if "record" in raw:
            return RecordingRule(str(raw["record"]), expr, labels=labels, location=where)
        if "alert" not in raw:
            raise ReadError(self.path, where.line, "a rule needs 'alert' or 'record'")
        annotations = _strings(raw.get("annotations"))
        routing = {key: labels.pop(key, "") for key in ROUTING_LABELS}
        url = annotations.pop("runbook_url", "")
        return AlertRule(
            str(raw["alert"]),
            expr,
            summary=annotations.pop("summary", ""),
            description=annotations.pop("description", ""),
            severity=routing["severity"],
            team=routing["team"],
            category=routing["category"],
            component=routing["component"],
            for_=str(raw.get("for") or ""),
            keep_firing_for=str(raw.get("keep_firing_for") or ""),
            labels=labels,
            annotations=annotations,
            runbook=Runbook(url=url),
            location=where,
        )


def read_rule_files(docs: list[Any], path: str) -> list[RuleFile]:
    """The rule files in a YAML stream (one per document or PrometheusRule)."""
    reader = _Reader(path)
    return [reader.rule_file(*found) for doc in docs for found in groups_of(doc)]
