"""A Prometheus rule file (or PrometheusRule manifest) as a definitions module.

``rules = RuleFile(...)`` with one ``RuleGroup`` per group; alerts take their routing
labels (severity, team, category, component), summary, description and runbook URL as
fields, as hand-written alerts do. Rules the model would refuse (a name that is not
UpperCamelCase, a recording name without colons) are left out with a note.
"""

from __future__ import annotations

import re
from typing import Any

from sarkmon.importer.dashboards import ModuleParts
from sarkmon.importer.metrics import CatalogRefs, Scope, promql, rewrite
from sarkmon.importer.pysource import Call, Imports, Node, Seq, lines, py
from sarkmon.model.names import ALERT_NAME_RE, RECORD_NAME_RE, is_label_name
from sarkmon.model.rules import AlertSeverity
from sarkmon.review.rules import GROUP_KEYS, duration_text, load_documents, rule_groups

MODEL = "sarkmon.model"
ROUTING_LABELS = ("team", "category", "component")
FIELD_ANNOTATIONS = ("summary", "description")


def rule_file_name(stem: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "rules"


def _strings(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): "" if v is None else str(v) for k, v in value.items()}


class RulesTranslator:
    def __init__(self, text: str, source: str, name: str, refs: CatalogRefs | None) -> None:
        self.documents = load_documents(text)
        self.source = source
        self.name = name
        self.refs = refs
        self.imports = Imports()
        self.notes: list[str] = []
        self.scope = Scope({"rules"})

    def cls(self, name: str) -> str:
        return self.imports.name(MODEL, name)

    def translate(self) -> ModuleParts:
        groups: list[Node] = []
        for doc in self.documents:
            if isinstance(doc, dict) and doc.get("kind") == "PrometheusRule":
                self.notes.append(
                    "PrometheusRule metadata (name, namespace, labels) is set by the project's "
                    "Kubernetes target, not per file"
                )
            for group in rule_groups(doc) or []:
                if isinstance(group, dict):
                    groups.append(self.group(group))
        rule_file = Call(
            self.cls("RuleFile"), (py(self.name),), (("groups", Seq(tuple(groups), "list")),)
        )
        doc = f"Rules of {self.source}: imported by sarkmon import."
        body = lines(rule_file, 0, "rules = ")
        constants = self.scope.lines()
        if constants:
            body = [*constants, "", *body]
        return ModuleParts(doc, self.imports, body, self.notes)

    def group(self, group: dict[str, Any]) -> Call:
        name = str(group.get("name") or "")
        kwargs: list[tuple[str, Node]] = []
        interval = duration_text(group.get("interval"))
        if interval:
            kwargs.append(("interval", py(interval)))
        if isinstance(group.get("limit"), int) and group["limit"]:
            kwargs.append(("limit", py(group["limit"])))
        for key in sorted(set(group) - GROUP_KEYS):
            self.notes.append(f"group {name!r}: setting {key!r} not carried over")
        rules = [
            r for r in (self.rule(name, raw) for raw in group.get("rules") or []) if r is not None
        ]
        kwargs.append(("rules", Seq(tuple(rules), "list")))
        return Call(self.cls("RuleGroup"), (py(name),), tuple(kwargs))

    def rule(self, group: str, raw: Any) -> Call | None:
        if not isinstance(raw, dict):
            return None
        expression = promql(rewrite(str(raw.get("expr", "")), self.refs, self.imports, self.scope))
        labels = _strings(raw.get("labels"))
        bad = [k for k in labels if not is_label_name(k)]
        what = f"alert {raw['alert']}" if "alert" in raw else f"recording rule {raw.get('record')}"
        for key in bad:
            self.notes.append(f"{what}: label name {key!r} is invalid; left out")
            del labels[key]
        if "record" in raw:
            record = str(raw["record"])
            if not RECORD_NAME_RE.match(record):
                self.notes.append(
                    f"recording rule {record}: names follow level:metric:operations "
                    f"(group {group}); left out"
                )
                return None
            kwargs = (("labels", py(labels)),) if labels else ()
            return Call(self.cls("RecordingRule"), (py(record), expression), kwargs)
        return self.alert(group, raw, expression, labels)

    def alert(
        self, group: str, raw: dict[str, Any], expression: Node, labels: dict[str, str]
    ) -> Call | None:
        name = str(raw.get("alert") or "")
        if not ALERT_NAME_RE.match(name):
            self.notes.append(f"alert {name}: names are UpperCamelCase (group {group}); left out")
            return None
        annotations = _strings(raw.get("annotations"))
        values: dict[str, Any] = {}
        for key in ("for", "keep_firing_for"):
            text = duration_text(raw.get(key))
            if text and text != "0s":
                values["for_" if key == "for" else key] = text
        severity = labels.pop("severity", "")
        if severity in {s.value for s in AlertSeverity}:
            if severity != AlertSeverity.WARNING:
                values["severity"] = severity
        elif severity:
            self.notes.append(
                f"alert {name}: severity {severity!r} is not critical, warning or info; "
                "imported as warning"
            )
        else:
            self.notes.append(f"alert {name}: has no severity label; sarkmon gives it warning")
        for key in ROUTING_LABELS:
            if key in labels:
                values[key] = labels.pop(key)
        for key in FIELD_ANNOTATIONS:
            if annotations.get(key):
                values[key] = annotations.pop(key)
            annotations.pop(key, None)
        if labels:
            values["labels"] = labels
        runbook = annotations.pop("runbook_url", "")
        if annotations:
            values["annotations"] = annotations
        if runbook:
            values["runbook"] = Call(self.cls("Runbook"), (), (("url", py(runbook)),))
        kwargs = tuple((k, py(v)) for k, v in values.items())
        return Call(self.cls("AlertRule"), (py(name), expression), kwargs)
