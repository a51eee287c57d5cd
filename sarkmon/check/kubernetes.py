"""Kubernetes manifests: PrometheusRules against the operator's CRD, their groups through
promtool, ConfigMaps within the API server's size limit, kustomization resources present.

The CRD is the published one (not a copy in this repository): it is read from
``$SARKMON_SHARED/schemas/prometheus-operator/`` or from ``shared/`` beside the repository.
Fields the CRD does not declare are refused, since the API server would prune them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sarkmon.check import CheckContext, StepResult
from sarkmon.check.unwrapped_rules import promtool_on_groups
from sarkmon.compile.kubernetes import DASHBOARDS_DIR, KUBERNETES_DIR, RULES_DIR
from sarkmon.compile.yaml_text import load_yaml
from sarkmon.json_schema import validity
from sarkmon.model.targets import is_k8s_name, k8s_label_problem

CRD_FILE = "schemas/prometheus-operator/monitoring.coreos.com_prometheusrules.yaml"
# etcd's limit on one object; ``kubectl apply`` (client side) also needs the whole object
# in an annotation of at most 256 KiB, so larger ones need ``--server-side``.
CONFIGMAP_LIMIT = 1024 * 1024
CLIENT_SIDE_APPLY_LIMIT = 256 * 1024


class SchemaMissing(RuntimeError):
    pass


def shared_dir(out: Path) -> Path:
    env = os.environ.get("SARKMON_SHARED")
    return Path(env) if env else out.resolve().parent.parent / "shared"


def crd_schema(path: Path) -> dict[str, Any]:
    """The PrometheusRule v1 schema, made strict where the API server would prune fields."""
    if not path.is_file():
        raise SchemaMissing(
            f"PrometheusRule CRD not found at {path}; set SARKMON_SHARED to the directory "
            "holding schemas/prometheus-operator/"
        )
    crd = load_yaml(path.read_text())
    version = next(v for v in crd["spec"]["versions"] if v["name"] == "v1")
    schema: dict[str, Any] = strict(version["schema"]["openAPIV3Schema"])
    return schema


def strict(schema: Any) -> Any:
    """Forbid undeclared properties wherever Kubernetes would prune them.

    Patterns are Go regular expressions; Python wants inline flags such as ``(?i)`` first.
    """
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: strict(value) for key, value in schema.items()}
    pattern = out.get("pattern")
    if isinstance(pattern, str) and pattern.startswith("^(?i)"):
        out["pattern"] = "(?i)^" + pattern[len("^(?i)") :]
    if (
        "properties" in out
        and "additionalProperties" not in out
        and not out.get("x-kubernetes-preserve-unknown-fields")
    ):
        out["additionalProperties"] = False
    return out


def _crd_errors(schema: Any, doc: Any) -> list[str]:
    from jsonschema import Draft7Validator  # slow to import: only to explain a failure

    errors = sorted(Draft7Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
    return [f"{'/'.join(str(p) for p in e.path) or '(root)'}: {e.message}" for e in errors]


def metadata_problems(path: str, doc: dict[str, Any]) -> list[str]:
    meta = doc.get("metadata") or {}
    name = meta.get("name", "")
    problems = []
    if not is_k8s_name(name):
        problems.append(f"{path}: name {name!r} is not a DNS-1123 subdomain")
    for key, value in (meta.get("labels") or {}).items():
        problem = k8s_label_problem(key, value)
        if problem:
            problems.append(f"{path}: {problem}")
    return problems


def kubernetes_manifests(ctx: CheckContext) -> StepResult:
    name = "kubernetes manifests"
    paths = sorted(p for p in ctx.files if p.startswith(KUBERNETES_DIR + "/"))
    if not paths:
        return StepResult(name, True, "no Kubernetes target")
    rules = [p for p in paths if p.startswith(RULES_DIR + "/")]
    try:
        schema = crd_schema(shared_dir(ctx.out) / CRD_FILE) if rules else None
    except SchemaMissing as err:
        return StepResult(name, False, str(err))
    # jsonschema explains the failures; a compiled test tells valid manifests apart faster.
    is_valid = validity(schema) if schema is not None else None
    problems: list[str] = []
    groups_by_file: dict[str, list[Any]] = {}
    notes: list[str] = []
    for path in paths:
        doc = load_yaml(ctx.files[path])
        if path.endswith("/kustomization.yaml"):
            missing = [r for r in doc["resources"] if f"{KUBERNETES_DIR}/{r}" not in ctx.files]
            problems.extend(f"{path}: resource {r} is not generated" for r in missing)
            continue
        problems.extend(metadata_problems(path, doc))
        if is_valid is not None and path in rules:
            if not is_valid(doc):
                problems.extend(f"{path}: {problem}" for problem in _crd_errors(schema, doc))
            groups_by_file[path] = doc["spec"]["groups"]
        elif path.startswith(DASHBOARDS_DIR + "/"):
            size = len(ctx.files[path].encode())
            if size > CONFIGMAP_LIMIT:
                problems.append(f"{path}: {size} bytes, over the 1 MiB ConfigMap limit")
            elif size > CLIENT_SIDE_APPLY_LIMIT:
                notes.append(f"{path}: {size} bytes; apply it with kubectl apply --server-side")
    if ctx.offline:  # the CRD and the API server's limits only: promtool is a tool
        promtool_result = StepResult(name, True, "promtool not run")
    else:
        promtool_result = promtool_on_groups(name, groups_by_file)
    if problems or not promtool_result.ok:
        return StepResult(name, False, "invalid manifests", problems + promtool_result.details)
    judges = "the CRD" if ctx.offline else "the CRD and promtool"
    summary = f"{len(rules)} PrometheusRules valid against {judges}"
    dashboards = sum(p.startswith(DASHBOARDS_DIR + "/") for p in paths)
    return StepResult(name, True, f"{summary}, {dashboards} dashboard ConfigMaps", notes)
