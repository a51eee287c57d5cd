"""Prometheus rule files read back into facts: groups, alerts and recording rules.

Accepts what Prometheus loads (``groups:``) and the PrometheusRule custom resource
(``spec.groups``), one or several YAML documents per file. Durations are canonical
(``300s`` reads as ``5m``); expressions keep their text and compare by meaning.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sarkmon.compile.yaml_text import load_yaml_all
from sarkmon.model.durations import DurationError, canonical


class NotRules(ValueError):
    """The document holds no rule groups."""


@dataclass(frozen=True)
class RuleFacts:
    kind: str  # alert | recording
    name: str  # the alert name, or the recorded series
    file: str
    group: str
    index: int  # position in its group
    expr: str
    for_: str = ""
    keep_firing_for: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    annotations: Mapping[str, str] = field(default_factory=dict)

    @property
    def severity(self) -> str:
        return self.labels.get("severity", "")

    @property
    def title(self) -> str:
        return f"{'alert' if self.kind == 'alert' else 'recording rule'} {self.name}"


@dataclass(frozen=True)
class GroupFacts:
    file: str
    name: str
    interval: str = ""
    limit: int = 0
    extra: Mapping[str, str] = field(default_factory=dict)  # keys sarkmon has no field for


@dataclass(frozen=True)
class RulesFacts:
    groups: tuple[GroupFacts, ...] = ()
    rules: tuple[RuleFacts, ...] = ()

    def __add__(self, other: RulesFacts) -> RulesFacts:
        return RulesFacts(self.groups + other.groups, self.rules + other.rules)

    @property
    def alerts(self) -> tuple[RuleFacts, ...]:
        return tuple(r for r in self.rules if r.kind == "alert")

    @property
    def recordings(self) -> tuple[RuleFacts, ...]:
        return tuple(r for r in self.rules if r.kind == "recording")


GROUP_KEYS = frozenset({"name", "interval", "limit", "rules"})


def duration_text(value: Any) -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    try:
        return canonical(text)
    except DurationError:
        return text


def rule_groups(doc: Any) -> list[Any] | None:
    """The rule groups of one YAML document, or None when it holds none."""
    if not isinstance(doc, dict):
        return None
    if doc.get("kind") == "PrometheusRule" and isinstance(doc.get("spec"), dict):
        doc = doc["spec"]
    groups = doc.get("groups")
    return groups if isinstance(groups, list) else None


def load_documents(text: str) -> list[Any]:
    """Every YAML document of a file (a PrometheusRule list may hold several)."""
    return [d for d in load_yaml_all(text) if d is not None]


def rules_facts(text: str, path: str = "") -> RulesFacts:
    """The facts of a rule file; raises NotRules or yaml.YAMLError."""
    found = [g for doc in load_documents(text) if (g := rule_groups(doc)) is not None]
    if not found:
        raise NotRules(f"{path or 'document'}: no rule groups (neither groups: nor spec.groups)")
    groups: list[GroupFacts] = []
    rules: list[RuleFacts] = []
    for group_list in found:
        for group in group_list:
            if not isinstance(group, dict):
                continue
            name = str(group.get("name", ""))
            limit = group.get("limit")
            extra = {str(k): str(v) for k, v in group.items() if k not in GROUP_KEYS}
            groups.append(
                GroupFacts(
                    path,
                    name,
                    duration_text(group.get("interval")),
                    limit if isinstance(limit, int) else 0,
                    extra,
                )
            )
            rules.extend(_rules(group.get("rules"), path, name))
    return RulesFacts(tuple(groups), tuple(rules))


def _strings(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): "" if v is None else str(v) for k, v in sorted(value.items())}


def _rules(items: Any, path: str, group: str) -> Iterator[RuleFacts]:
    for index, rule in enumerate(items if isinstance(items, list) else []):
        if not isinstance(rule, dict):
            continue
        kind = "alert" if "alert" in rule else "recording"
        yield RuleFacts(
            kind=kind,
            name=str(rule.get("alert") or rule.get("record") or ""),
            file=path,
            group=group,
            index=index,
            expr=str(rule.get("expr", "")),
            for_=duration_text(rule.get("for")),
            keep_firing_for=duration_text(rule.get("keep_firing_for")),
            labels=_strings(rule.get("labels")),
            annotations=_strings(rule.get("annotations")),
        )


# -- runbook pages ----------------------------------------------------------------------------
RUNBOOK_SECTIONS = ("Impact", "Diagnosis", "Mitigation")


def runbook_sections(markdown: str) -> dict[str, str]:
    """The hand-written sections of a generated runbook page, whitespace-normalized."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in markdown.splitlines():
        if line.startswith("## "):
            title = line[3:].strip()
            current = sections.setdefault(title, []) if title in RUNBOOK_SECTIONS else None
        elif current is not None:
            current.append(line)
    return {k: " ".join(" ".join(v).split()) for k, v in sections.items() if " ".join(v).strip()}
