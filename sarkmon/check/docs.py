"""Runbook links and the docs' own links: every one must reach a generated page.

Alerts are read back from every generated rule file (Prometheus, PrometheusRule, Mimir,
Thanos): each needs a ``runbook_url``, and one under ``Targets.runbook_base_url`` must name
a generated runbook. Links between the generated pages must reach a page and a heading.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import Any

from sarkmon.check import CheckContext, StepResult
from sarkmon.compile.docs import DOCS_DIR, RUNBOOKS_DIR
from sarkmon.compile.kubernetes import RULES_DIR as KUBERNETES_RULES_DIR
from sarkmon.compile.markdown import anchors, code_lines
from sarkmon.compile.prometheus import RULES_DIR
from sarkmon.compile.rulers import MIMIR_DIR, THANOS_DIR
from sarkmon.compile.yaml_text import load_yaml

RULE_DIRS = (RULES_DIR, KUBERNETES_RULES_DIR, MIMIR_DIR, THANOS_DIR)
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6} +(.+?) *#*$")


def generated_alerts(files: dict[str, str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(file, rule) for every alerting rule in every generated rule file."""
    for path, text in sorted(files.items()):
        if not path.startswith(tuple(d + "/" for d in RULE_DIRS)):
            continue
        doc = load_yaml(text)
        groups = doc["spec"]["groups"] if doc.get("kind") == "PrometheusRule" else doc["groups"]
        for group in groups:
            for rule in group["rules"]:
                if "alert" in rule:
                    yield path, rule


def runbook_problems(ctx: CheckContext) -> tuple[list[str], int, int]:
    """Problems with the alerts' runbook links; how many point elsewhere, how many are absent.

    Without ``Targets.runbook_base_url`` the project publishes no runbooks, and alerts
    without a link are counted, not failed; with it, every alert must link its runbook.
    """
    base = ctx.build.project.targets.runbook_base_url.rstrip("/")
    problems, external, absent = [], 0, 0
    for path, rule in generated_alerts(ctx.files):
        url = rule.get("annotations", {}).get("runbook_url", "")
        name = f"{path}: alert {rule['alert']}"
        if not url and not base:
            absent += 1
        elif not url:
            problems.append(f"{name}: no runbook_url")
        elif base and url.startswith(base + "/"):
            page = f"{RUNBOOKS_DIR}/{url[len(base) + 1 :]}"
            if page not in ctx.files:
                problems.append(f"{name}: {url} names {page}, which is not generated")
        else:
            external += 1  # Runbook(url=...) points outside: not checkable offline
    return problems, external, absent


def headings(text: str) -> list[str]:
    """A Markdown page's headings, code blocks skipped."""
    found = []
    for line, in_code in code_lines(text):
        heading = None if in_code else _HEADING.match(line)
        if heading:
            found.append(heading.group(1).replace("`", ""))
    return found


def link_problems(files: dict[str, str]) -> list[str]:
    pages = {p: t for p, t in files.items() if p.startswith(DOCS_DIR + "/") and p.endswith(".md")}
    anchor_sets = {p: set(anchors(headings(t))) for p, t in pages.items()}
    problems = []
    for path, text in sorted(pages.items()):
        for target in _LINK.findall(text):
            if re.match(r"^[a-z]+:", target):
                continue  # an absolute URL
            file, _, fragment = target.partition("#")
            resolved = (
                posixpath.normpath(posixpath.join(posixpath.dirname(path), file)) if file else path
            )
            if resolved not in pages:
                problems.append(f"{path}: link to {target}: no such page")
            elif fragment and fragment not in anchor_sets[resolved]:
                problems.append(f"{path}: link to {target}: no such heading")
    return problems


def runbook_links(ctx: CheckContext) -> StepResult:
    name = "runbook links"
    problems, external, absent = runbook_problems(ctx)
    problems += link_problems(ctx.files)
    if problems:
        return StepResult(name, False, f"{len(problems)} broken or missing links", problems)
    alerts = sum(1 for _ in generated_alerts(ctx.files))
    summary = f"{alerts - absent} alert runbook links and every docs link resolve"
    if external:
        summary += f" ({external} runbook URLs outside the generated docs not checked)"
    if absent:
        summary += f"; {absent} alerts link no runbook: Targets.runbook_base_url is not set"
    return StepResult(name, True, summary)
