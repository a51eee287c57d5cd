"""The import checked by generating from it: whatever differs from the input is reported.

The imported package is loaded like any definitions, its dashboards and rule files are
compiled, and each is compared with its input: semantically (panels, queries, units,
thresholds, legends, variables; alerts, expressions, labels, annotations) with the same
comparison ``sarkmon diff`` uses, and then option by option for the panel settings the
model has no field for. Each difference becomes a note: nothing is lost silently.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sarkmon.diagnostics import Finding
from sarkmon.review.changes import ADDED, REMOVED, RENAMED, Change, Value
from sarkmon.review.compare_dashboards import diff_dashboard
from sarkmon.review.compare_rules import diff_rules
from sarkmon.review.dashboards import DashboardFacts, dashboard_facts
from sarkmon.review.rules import RulesFacts, rules_facts

Json = dict[str, Any]
CHECK_PACKAGE = "sarkmon_import_check"

# Panel keys the semantic comparison covers; every other setting is compared as is.
SEMANTIC_PANEL_KEYS = frozenset(
    {"id", "gridPos", "title", "type", "description", "datasource", "targets", "links",
     "pluginVersion", "panels", "collapsed"}
)  # fmt: skip
SEMANTIC_FIELD_KEYS = frozenset(
    {"unit", "decimals", "min", "max", "thresholds", "mappings", "noValue", "color"}
)
SEMANTIC_TARGET_KEYS = frozenset(
    {"expr", "legendFormat", "refId", "instant", "range", "format", "interval", "hide",
     "datasource", "editorMode", "exemplar", "queryType", "maxLines"}
)  # fmt: skip
# Settings Grafana gives a field that does not say: leaving them out changes nothing.
GRAFANA_DEFAULTS: Mapping[str, Any] = {
    "fieldConfig.defaults.custom.axisColorMode": "text",
    "fieldConfig.defaults.custom.axisPlacement": "auto",
    "fieldConfig.defaults.custom.barAlignment": 0,
    "fieldConfig.defaults.custom.drawStyle": "line",
    "fieldConfig.defaults.custom.gradientMode": "none",
    "fieldConfig.defaults.custom.lineInterpolation": "linear",
    "fieldConfig.defaults.custom.lineWidth": 1,
    "fieldConfig.defaults.custom.pointSize": 5,
    "fieldConfig.defaults.custom.stacking.group": "A",
    "fieldConfig.defaults.custom.stacking.mode": "none",
    "fieldConfig.defaults.custom.thresholdsStyle.mode": "off",
    "fieldConfig.defaults.custom.scaleDistribution.type": "linear",
    "fieldConfig.defaults.custom.align": "auto",
    "fieldConfig.defaults.custom.cellOptions.type": "auto",
    "options.orientation": "auto",
    "options.justifyMode": "auto",
    "options.textMode": "auto",
    "options.tooltip.mode": "single",
    "options.tooltip.sort": "none",
    "options.legend.displayMode": "list",
    "options.legend.placement": "bottom",
    "options.legend.showLegend": True,
    "options.reduceOptions.fields": "",
    "options.showHeader": True,
    "options.cellHeight": "sm",
    "targets.*.intervalFactor": 1,
}


@dataclass(frozen=True)
class Original:
    """What an imported module came from, for the comparison."""

    module: str  # the module's name in the package
    kind: str  # dashboard | rules
    key: str  # the dashboard uid, or the rule file name
    dashboard: Json | None = None  # the input dashboard, modernized
    rules: RulesFacts | None = None


@dataclass(frozen=True)
class Note:
    """A difference the round trip found: about what, which setting, in words."""

    subject: str  # "panel 'Requests'", "alert HighDenyRate", "variable $server"
    field: str  # "unit", "severity", "" when the whole subject is missing
    text: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.text}" if self.subject else self.text


def describe(change: Change, area_subject: bool = False) -> Note:
    """A change as a note: ``panel 'X': unit 'a' -> 'b'``.

    ``area_subject``: the change's subject names the thing (an alert), not its container.
    """
    subject = change.subject if area_subject and not change.item else change.item
    if area_subject and change.area == "alerts":
        subject = f"alert {change.subject}" if not change.item else change.item
    elif area_subject and change.area == "recording rules":
        subject = f"recording rule {change.subject}"
    if change.action == RENAMED:
        return Note(subject, "title", f"title {_text(change.before)} -> {_text(change.after)}")
    if change.action in (ADDED, REMOVED) and not change.field:
        what = "appears in the output" if change.action == ADDED else "is missing from the output"
        return Note(subject, "", what)
    text = f"{change.field} {_text(change.before)} -> {_text(change.after)}"
    if change.field == "position":
        text += " (sarkmon lays panels out left to right, wrapping at the grid's width)"
    return Note(subject, change.field, text)


def explained(note: Note, notes: list[str]) -> bool:
    """Whether the translation's own notes already say this (a left-out panel, a severity)."""
    about = [n for n in notes if note.subject and n.startswith(note.subject + ":")]
    return any("left out" in n or not note.field or note.field in n for n in about)


def _text(value: Value) -> str:
    if value is None:
        return "(none)"
    return repr(", ".join(value) if isinstance(value, tuple) else value)


@dataclass
class Checked:
    notes: dict[str, list[Note]]  # per module: what generating from the package changes
    errors: list[Finding] = field(default_factory=list)  # why `sarkmon generate` would refuse

    def error_counts(self) -> dict[str, int]:
        """Errors per check, most frequent first."""
        return dict(Counter(f.check for f in self.errors).most_common())


def check(files: Mapping[str, str], originals: list[Original]) -> Checked:
    """What generating from the imported package changes, and the errors that stop it."""
    from sarkmon.load import LoadError, load_project
    from sarkmon.pipeline import build

    notes: dict[str, list[Note]] = {o.module: [] for o in originals}
    with tempfile.TemporaryDirectory(prefix="sarkmon-import-") as tmp:
        base = Path(tmp) / CHECK_PACKAGE
        for path, text in files.items():
            target = base / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        try:
            project, problems = load_project(CHECK_PACKAGE, tmp)
        except LoadError as err:
            _blame(notes, originals, [f.line() for f in err.findings])
            return Checked(notes)  # not loading is in every module's notes already
        finally:
            for name in [m for m in sys.modules if m.split(".")[0] == CHECK_PACKAGE]:
                del sys.modules[name]
        _blame(notes, originals, [p.line() for p in problems if p.severity.value == "error"])
        for original in originals:
            notes[original.module] += list(_compare(project, original))
        # Catalog and lint errors (a metric or label the catalog does not know) do not change
        # the comparison above, but generate refuses to write anything until they are fixed.
        errors = build(project).errors
    return Checked(notes, errors)


def _blame(notes: dict[str, list[Note]], originals: list[Original], lines: list[str]) -> None:
    """Load problems go to the module they name (or every module when they name none)."""
    for line in lines:
        text = line.replace(CHECK_PACKAGE + "/", "")
        owners = [o.module for o in originals if f"/{o.module}.py:" in "/" + text]
        for module in owners or [o.module for o in originals]:
            notes[module].append(Note("", "", f"the imported code does not load: {text}"))


def _compare(project: Any, original: Original) -> Iterator[Note]:
    from sarkmon.compile.grafana import dashboard_document, link_targets
    from sarkmon.compile.grafana_schema import schema_errors

    if original.kind == "dashboard" and original.dashboard is not None:
        found = [d for d in project.dashboards if d.uid == original.key]
        if not found:
            yield Note("", "", "the dashboard is missing from the generated output")
            return
        output = dashboard_document(found[0], project.grafana, link_targets(project))
        for problem in schema_errors(output):
            yield Note("", "", f"the generated dashboard does not match the schema: {problem}")
        yield from (describe(c) for c in diff_dashboard(_facts(original.dashboard), _facts(output)))
        yield from panel_settings(original.dashboard, output)
    elif original.kind == "rules" and original.rules is not None:
        from sarkmon.compile.prometheus import rule_file_document
        from sarkmon.compile.yaml_text import dump_yaml

        files = [f for f in project.rule_files if f.name == original.key]
        if not files:
            yield Note("", "", "the rule file is missing from the generated output")
            return
        text = dump_yaml(rule_file_document(files[0], project.targets))
        produced = rules_facts(text, original.key)
        for change in diff_rules(original.rules, produced):
            if change.field != "file":  # the output file is named differently, by design
                yield describe(change, area_subject=True)


def _facts(doc: Json) -> DashboardFacts:
    """Dashboard facts without the datasource variables (sarkmon adds its own)."""
    facts = dashboard_facts(doc)
    variables = {k: v for k, v in facts.variables.items() if v.type != "datasource"}
    return dataclasses.replace(facts, variables=variables)


# -- settings the model has no field for ------------------------------------------------------
def _all_panels(doc: Json) -> list[Json]:
    out: list[Json] = []
    for panel in doc.get("panels") or []:
        if isinstance(panel, dict):
            if panel.get("type") == "row":
                out += [p for p in panel.get("panels") or [] if isinstance(p, dict)]
            else:
                out.append(panel)
    return out


def panel_settings(before: Json, after: Json) -> Iterator[Note]:
    """Panel settings of the input that the output does not have (or has otherwise)."""
    outputs: dict[str, list[Json]] = {}
    for panel in _all_panels(after):
        outputs.setdefault(str(panel.get("title", "")), []).append(panel)
    for panel in _all_panels(before):
        title = str(panel.get("title", ""))
        candidates = outputs.get(title) or []
        if not candidates:
            continue
        output = candidates.pop(0)
        old, new = _flatten(_settings(panel)), _flatten(_settings(output))
        subject = f"panel {title!r}"
        for path, value in old.items():
            default = GRAFANA_DEFAULTS.get(re.sub(r"^targets\.[^.]+\.", "targets.*.", path))
            if path in new:
                if new[path] != value:
                    yield Note(subject, path, f"{path} {_json(value)} -> {_json(new[path])}")
            elif value not in (None, "", [], {}, False) and default != value:
                yield Note(subject, path, f"{path} {_json(value)} not carried over")


def _settings(panel: Json) -> Json:
    out = {k: v for k, v in panel.items() if k not in SEMANTIC_PANEL_KEYS}
    config = _dict(panel.get("fieldConfig"))
    defaults = _dict(config.get("defaults"))
    out["fieldConfig"] = {
        "defaults": {k: v for k, v in defaults.items() if k not in SEMANTIC_FIELD_KEYS},
        "overrides": [_override(o) for o in config.get("overrides") or [] if isinstance(o, dict)],
    }
    targets = [t for t in panel.get("targets") or [] if isinstance(t, dict)]
    out["targets"] = {
        str(t.get("refId") or i): {k: v for k, v in t.items() if k not in SEMANTIC_TARGET_KEYS}
        for i, t in enumerate(targets)
    }
    return out


def _override(override: Json) -> Json:
    """An override with its properties in a fixed order, a name matcher as the regex
    sarkmon writes for it."""
    matcher = _dict(override.get("matcher"))
    if matcher.get("id") == "byName":
        matcher = {"id": "byRegexp", "options": f"^{re.escape(str(matcher.get('options')))}$"}
    properties = sorted(
        (p for p in override.get("properties") or [] if isinstance(p, dict)),
        key=lambda p: str(p.get("id")),
    )
    return {"matcher": matcher, "properties": properties}


def _dict(value: Any) -> Json:
    return value if isinstance(value, dict) else {}


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict) and value:
        out: dict[str, Any] = {}
        for key, inner in value.items():
            out.update(_flatten(inner, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: value} if prefix else {}


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
