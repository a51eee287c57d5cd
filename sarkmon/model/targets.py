"""Where the output goes: versions and deployment targets, as settings of the project.

Each target that is set is compiled under ``generated/``; one left as ``None`` is not::

    Targets(
        runbook_base_url="https://git.example/sarkmon/blob/main/generated/docs/runbooks",
        prometheus=PrometheusServer(alertmanagers=("alertmanager:9093",)),
        kubernetes=Kubernetes(namespace="monitoring", rule_labels={"release": "prometheus"}),
        mimir=MimirRuler(namespace_prefix="sark-"),
        thanos=ThanosRuler(partial_response=PartialResponse("abort", groups={"slo": "warn"})),
    )

A setting a target cannot honour is refused when the definitions load (``report()``), and a
rule field a target cannot evaluate is refused by the ``target/*`` lint checks: nothing is
dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from sarkmon.diagnostics import report
from sarkmon.model.names import slugify
from sarkmon.model.scrape import frozen_map
from sarkmon.source import Location, caller_location

_VERSION_RE = re.compile(r"^(\d+)\.(\d+)(?:\.(\d+))?$")
# Kubernetes object names (DNS-1123 subdomain) and namespaces (DNS-1123 label).
_K8S_NAME_RE = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
_K8S_NAMESPACE_RE = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
# Label keys: an optional DNS prefix and a name of at most 63 characters; values likewise.
_K8S_LABEL_NAME_RE = re.compile(r"^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$")
_K8S_PREFIX_RE = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
_K8S_NAME_START_RE = re.compile(r"^[a-z0-9][-a-z0-9.]*$")
_HOST_PORT_RE = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?(:\d{1,5})?$")


def version_tuple(text: str) -> tuple[int, int]:
    """``"2.42"`` or ``"2.42.0"`` as ``(2, 42)``; ``(0, 0)`` when it is not a version."""
    match = _VERSION_RE.match(text)
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


class PartialResponseStrategy(StrEnum):
    """What Thanos does when a store does not answer: fail the rule, or evaluate on the rest."""

    ABORT = "abort"
    WARN = "warn"


@dataclass(frozen=True)
class PartialResponse:
    """Thanos ``partial_response_strategy``: a default, and overrides by rule group name."""

    default: PartialResponseStrategy | str = PartialResponseStrategy.ABORT
    groups: Mapping[str, str] = field(default_factory=dict)
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "groups", frozen_map(self.groups))
        object.__setattr__(self, "default", self._strategy(str(self.default), "default"))
        for group, value in self.groups.items():
            self._strategy(value, f"group {group!r}")

    def _strategy(self, value: str, what: str) -> PartialResponseStrategy:
        try:
            return PartialResponseStrategy(value)
        except ValueError:
            report(
                "definition/target",
                "partial response",
                f"{what}: unknown strategy {value!r}",
                self.location,
                "use abort or warn",
            )
            return PartialResponseStrategy.ABORT

    def strategy(self, group: str) -> str:
        return str(self.groups.get(group, self.default))


@dataclass(frozen=True)
class PrometheusServer:
    """``generated/prometheus/prometheus.yml``: rule files, Alertmanagers, the scrape jobs."""

    alertmanagers: Sequence[str] = ("alertmanager:9093",)  # host:port of each Alertmanager
    alertmanager_scheme: str = "http"
    alertmanager_path_prefix: str = ""
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "alertmanagers", tuple(self.alertmanagers))
        for address in self.alertmanagers:
            if not _HOST_PORT_RE.match(address):
                report(
                    "definition/target",
                    "prometheus target",
                    f"Alertmanager address {address!r} is not host:port",
                    self.location,
                    "give host:port without a scheme; set alertmanager_scheme for https",
                )
        if self.alertmanager_scheme not in ("http", "https"):
            report(
                "definition/target",
                "prometheus target",
                f"unknown scheme {self.alertmanager_scheme!r}",
                self.location,
                "use http or https",
            )
        if self.alertmanager_path_prefix and not self.alertmanager_path_prefix.startswith("/"):
            report(
                "definition/target",
                "prometheus target",
                "alertmanager_path_prefix must start with /",
                self.location,
            )


class RuleEvaluator(StrEnum):
    """Who evaluates the PrometheusRule objects: Prometheus, or a ThanosRuler object."""

    PROMETHEUS = "prometheus"
    THANOS = "thanos"


@dataclass(frozen=True)
class Kubernetes:
    """Manifests for the Prometheus operator and the Grafana dashboard sidecar."""

    namespace: str = "monitoring"
    name_prefix: str = ""  # default: the project's name and a dash
    rule_labels: Mapping[str, str] = field(default_factory=dict)  # the ruleSelector's labels
    dashboard_label: Sequence[str] = ("grafana_dashboard", "1")  # the sidecar's (name, value)
    dashboard_folder_annotation: str = "k8s-sidecar-target-directory"
    evaluated_by: RuleEvaluator | str = RuleEvaluator.PROMETHEUS
    partial_response: PartialResponse | None = None  # Thanos only
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rule_labels", frozen_map(self.rule_labels))
        object.__setattr__(self, "dashboard_label", tuple(self.dashboard_label))
        obj = "kubernetes target"
        try:
            object.__setattr__(self, "evaluated_by", RuleEvaluator(self.evaluated_by))
        except ValueError:
            report(
                "definition/target",
                obj,
                f"unknown rule evaluator {self.evaluated_by!r}",
                self.location,
                "use prometheus or thanos",
            )
        if self.partial_response is not None and self.evaluated_by != RuleEvaluator.THANOS:
            report(
                "definition/target",
                obj,
                "partial_response_strategy is read only by Thanos Ruler; Prometheus ignores it",
                self.location,
                "set evaluated_by='thanos', or remove partial_response",
            )
        if len(self.namespace) > 63 or not _K8S_NAMESPACE_RE.match(self.namespace):
            report(
                "definition/target",
                obj,
                f"namespace {self.namespace!r} is not a DNS-1123 label",
                self.location,
                "lower-case letters, digits and -, at most 63 characters",
            )
        if self.name_prefix and not _K8S_NAME_START_RE.match(self.name_prefix):
            report(
                "definition/target",
                obj,
                f"name prefix {self.name_prefix!r} cannot start a Kubernetes object name",
                self.location,
                "lower-case letters, digits, - and .",
            )
        labels = {**self.rule_labels}
        if len(self.dashboard_label) == 2:
            labels[self.dashboard_label[0]] = self.dashboard_label[1]
        else:
            report("definition/target", obj, "dashboard_label is (name, value)", self.location)
        for key, value in sorted(labels.items()):
            problem = k8s_label_problem(key, value)
            if problem:
                report("definition/target", obj, problem, self.location)
        problem = k8s_label_problem(self.dashboard_folder_annotation, "")
        if problem:
            report("definition/target", obj, problem.replace("label", "annotation"), self.location)

    def object_name(self, project: str, name: str) -> str:
        return f"{self.name_prefix or slugify(project) + '-'}{name}".lower().replace("_", "-")


def is_k8s_name(name: str) -> bool:
    """A valid Kubernetes object name (DNS-1123 subdomain)."""
    return len(name) <= 253 and bool(_K8S_NAME_RE.match(name))


def k8s_label_problem(key: str, value: str) -> str:
    """Why a Kubernetes label is invalid, or ``""``."""
    prefix, _, name = key.rpartition("/")
    if prefix and (len(prefix) > 253 or not _K8S_PREFIX_RE.match(prefix)):
        return f"label {key!r}: prefix is not a DNS subdomain"
    if not name or len(name) > 63 or not _K8S_LABEL_NAME_RE.match(name):
        return f"label {key!r}: invalid name (alphanumerics, -, _ and ., at most 63)"
    if len(value) > 63 or not _K8S_LABEL_NAME_RE.match(value):
        return f"label {key!r}: invalid value {value!r} (alphanumerics, -, _ and ., at most 63)"
    return ""


@dataclass(frozen=True)
class MimirRuler:
    """Namespace files for ``mimirtool rules sync`` (Mimir, or Cortex through cortextool)."""

    namespace_prefix: str = ""  # namespace = prefix + rule file name
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        if "/" in self.namespace_prefix or self.namespace_prefix.strip() != self.namespace_prefix:
            report(
                "definition/target",
                "mimir target",
                f"namespace prefix {self.namespace_prefix!r} may not hold / or blanks",
                self.location,
            )


@dataclass(frozen=True)
class ThanosRuler:
    """Rule files for ``thanos rule``, with each group's ``partial_response_strategy``."""

    partial_response: PartialResponse = field(default_factory=PartialResponse)
    location: Location = field(default_factory=caller_location, compare=False, repr=False)


@dataclass(frozen=True)
class Targets:
    prometheus_version: str = "2.42"  # of every Prometheus that evaluates the rules
    thanos_version: str = "0.34"  # of every Thanos Ruler that evaluates them
    runbook_base_url: str = ""  # where generated/docs/runbooks is published
    grafana_url: str = ""  # where Grafana is served: runbooks link dashboards there
    prometheus: PrometheusServer | None = field(default_factory=PrometheusServer)
    kubernetes: Kubernetes | None = None
    mimir: MimirRuler | None = None
    thanos: ThanosRuler | None = None
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name, example in (("prometheus_version", "2.42"), ("thanos_version", "0.34")):
            version = getattr(self, name)
            if not _VERSION_RE.match(version):
                report(
                    "definition/target",
                    "targets",
                    f"{name} {version!r} is not a version",
                    self.location,
                    f"for example {example}",
                )
        for name in ("runbook_base_url", "grafana_url"):
            url = getattr(self, name)
            if url and not url.startswith(("https://", "http://")):
                report(
                    "definition/target",
                    "targets",
                    f"{name} {url!r} is not an http(s) URL",
                    self.location,
                    "notifications and pages link to it as is",
                )

    def evaluated_targets(self, ruler: str) -> list[str]:
        """The targets whose rules the named ruler (prometheus, thanos or mimir) evaluates: its
        own target, and the Kubernetes one when its PrometheusRules go to that ruler."""
        out = [ruler] if getattr(self, ruler) is not None else []
        if self.kubernetes is not None and self.kubernetes.evaluated_by == ruler:
            out.append("kubernetes")
        return out
