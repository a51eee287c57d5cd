"""Rule files for other rulers: Mimir/Cortex namespace files and Thanos Ruler rule files.

Both carry the same groups as the Prometheus rule files. A Mimir namespace file is what
``mimirtool rules sync`` and ``mimirtool rules load`` read (a ``namespace`` key beside
``groups``); a Thanos rule file adds each group's ``partial_response_strategy``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sarkmon.compile.prometheus import group_document, rule_file_header
from sarkmon.compile.yaml_text import dump_yaml
from sarkmon.model.rules import RuleFile, RuleGroup
from sarkmon.model.targets import MimirRuler, PartialResponse, Targets

if TYPE_CHECKING:
    from sarkmon.pipeline import Build

MIMIR_DIR = "mimir"
THANOS_DIR = "thanos/rules"


def with_partial_response(
    group: RuleGroup, targets: Targets, partial: PartialResponse | None
) -> dict[str, Any]:
    """A group's document, with Thanos's strategy before its rules when one is set."""
    doc = group_document(group, targets)
    if partial is None:
        return doc
    rules = doc.pop("rules")
    doc["partial_response_strategy"] = partial.strategy(group.name)
    doc["rules"] = rules
    return doc


def mimir_namespace(ruler: MimirRuler, rule_file: RuleFile) -> str:
    return ruler.namespace_prefix + rule_file.name


def compile_rulers(result: Build) -> dict[str, str]:
    targets = result.project.targets
    out: dict[str, str] = {}
    for rule_file in result.rule_files:
        if targets.mimir is not None:
            namespace = mimir_namespace(targets.mimir, rule_file)
            doc: dict[str, Any] = {
                "namespace": namespace,
                "groups": [group_document(g, targets) for g in rule_file.groups],
            }
            out[f"{MIMIR_DIR}/{namespace}.yml"] = dump_yaml(doc, rule_file_header(rule_file))
        if targets.thanos is not None:
            partial = targets.thanos.partial_response
            doc = {"groups": [with_partial_response(g, targets, partial) for g in rule_file.groups]}
            out[f"{THANOS_DIR}/{rule_file.name}.yml"] = dump_yaml(doc, rule_file_header(rule_file))
    return out
