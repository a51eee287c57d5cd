"""The diff report for people: Markdown that reads well as a pull-request comment."""

from __future__ import annotations

import difflib
import json
from itertools import groupby

from sarkmon.review.changes import ADDED, AREAS, CHANGED, REMOVED, RENAMED, Change, Value
from sarkmon.review.diff import Report

FOLD_ABOVE = 25  # changes in one area
INLINE_LIMIT = 60  # longer values (queries, mostly) are shown as a diff block
TITLES = {area: area[0].upper() + area[1:] for area in AREAS}
# Areas whose subjects are names people type (metrics, files): shown as code.
CODE_SUBJECTS = frozenset({"recording rules", "catalog", "files"})


def render_json(report: Report) -> str:
    return json.dumps(report.as_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def code(text: str) -> str:
    """Inline code that survives backticks in the text."""
    if "`" not in text:
        return f"`{text}`"
    return f"`` {text} ``"


def _flat(value: Value) -> str:
    if value is None:
        return ""
    return ", ".join(value) if isinstance(value, tuple) else value


def _shown(value: Value) -> str:
    return code(_flat(value)) if _flat(value) else "(none)"


def _is_block(value: Value) -> bool:
    text = _flat(value)
    return "\n" in text or len(text) > INLINE_LIMIT


def _diff_block(before: Value, after: Value, indent: str) -> list[str]:
    """Removed lines with -, added with +; lines both share (multi-line queries) with a space."""
    old, new = _flat(before).splitlines(), _flat(after).splitlines()
    body = [line for line in difflib.ndiff(old, new) if not line.startswith("?")]
    return [f"{indent}```diff", *(f"{indent}{line}" for line in body), f"{indent}```"]


def _change_lines(change: Change) -> list[str]:
    item = code(change.item) if change.subject == "inhibitions" else change.item
    head = f"{item}: " if item else ""
    if change.action == RENAMED:
        lines = [f"- {head}renamed {_shown(change.before)} → {_shown(change.after)}"]
    elif change.action in (ADDED, REMOVED) and not change.field:
        lines = [f"- {head}{change.action}"]
    elif (change.before is not None and change.after is not None) or (
        # A label or annotation set or dropped shows its missing side as (none):
        # "changed: `x`" alone would not say which way it went.
        change.action == CHANGED and change.field
    ):
        if _is_block(change.before) or _is_block(change.after):
            lines = [f"- {head}{change.field} {change.action}"]
            lines += _diff_block(change.before, change.after, "  ")
        else:
            lines = [f"- {head}{change.field} {_shown(change.before)} → {_shown(change.after)}"]
    else:
        value = change.after if change.after is not None else change.before
        text = "- " + head + " ".join(w for w in (change.field, change.action) if w)
        if value is not None and _is_block(value):
            old, new = (None, value) if change.after is not None else (value, None)
            lines = [text, *_diff_block(old, new, "  ")]
        else:
            lines = [text + (f": {_shown(value)}" if value is not None else "")]
    lines += [f"  - {d}" for d in change.details]
    lines += [f"  - {code(q)}" for q in change.queries if "\n" not in q]
    for query in (q for q in change.queries if "\n" in q):
        lines += ["  ```promql", *(f"  {line}" for line in query.splitlines()), "  ```"]
    return lines


def render_markdown(report: Report, max_chars: int = 0) -> str:
    """The report as Markdown; ``max_chars`` cuts it (at a line) to fit a comment's limit."""
    lines = [f"## sarkmon diff: {report.base} → {report.head}", ""]
    if not report.changes:
        lines.append("No semantic changes: dashboards, rules, routing and catalog mean the same.")
    else:
        summary = ", ".join(f"{n} in {area}" for area, n in report.counts().items())
        total = len(report.changes)
        lines.append(f"**{total} change{'s' if total != 1 else ''}**: {summary}.")
    for area, in_area in groupby(report.changes, key=lambda c: c.area):
        section: list[str] = []
        for subject, changes in groupby(in_area, key=lambda c: c.subject):
            section += ["", code(subject) if area in CODE_SUBJECTS else f"**{subject}**"]
            for change in changes:
                section += _change_lines(change)
        lines += ["", f"### {TITLES[area]}"]
        count = report.counts()[area]
        if count > FOLD_ABOVE:  # long sections fold, so the rest of the report stays in view
            lines += [
                "",
                f"<details><summary>{count} changes</summary>",
                *section,
                "",
                "</details>",
            ]
        else:
            lines += section
    if report.problems:
        lines += ["", "### Files that could not be read", ""]
        lines += [f"- {p}" for p in report.problems]
    text = "\n".join(lines) + "\n"
    if max_chars and len(text) > max_chars:
        kept = text[: max(text.rfind("\n", 0, max_chars - 200), 0)]
        if kept.count("```") % 2:  # the cut fell inside a code block: close it
            kept += "\n```"
        text = kept + "\n\n… (report cut to fit; run `sarkmon diff` for all of it)\n"
    return text
