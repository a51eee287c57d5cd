"""Grafana as a deployment target: its version, folder and datasources, as project settings.

Switching a feature off is a setting, not a code change: ``loki=None`` drops every logs panel
and the Loki datasource; ``tempo=None`` drops exemplars and the trace links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sarkmon.diagnostics import report
from sarkmon.source import Location, caller_location

# The dashboard schemaVersion each Grafana release writes, from the first release that
# carries it: Grafana migrates older dashboards up, never newer ones down.
SCHEMA_VERSIONS: tuple[tuple[tuple[int, int], int], ...] = (
    ((10, 0), 38),
    ((10, 3), 39),
    ((11, 3), 40),
    ((12, 0), 41),
)
SUPPORTED_MAJORS = (10, 11, 12)
_VERSION_RE = re.compile(r"^(\d+)\.(\d+)(?:\.\d+)?$")


@dataclass(frozen=True)
class Datasource:
    """A provisioned datasource: dashboards refer to it by ``uid`` only."""

    url: str
    uid: str
    name: str


@dataclass(frozen=True)
class GrafanaSettings:
    version: str = "10.1"
    folder: str = "SARK"  # the folder of dashboards that name none
    timezone: str = "browser"
    dashboards_path: str = "/var/lib/grafana/dashboards"  # where the provider reads the files
    prometheus: Datasource = Datasource("http://prometheus:9090", "prometheus", "Prometheus")
    alertmanager: Datasource | None = Datasource(
        "http://alertmanager:9093", "alertmanager", "Alertmanager"
    )
    loki: Datasource | None = Datasource("http://loki:3100", "loki", "Loki")
    tempo: Datasource | None = Datasource("http://tempo:3200", "tempo", "Tempo")
    trace_id_label: str = "trace_id"  # the exemplar label (and log field) holding the trace id
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        match = _VERSION_RE.match(self.version)
        if match is None or int(match.group(1)) not in SUPPORTED_MAJORS:
            report(
                "definition/grafana-version",
                "grafana settings",
                f"unsupported Grafana version {self.version!r}",
                self.location,
                "use a release of Grafana " + ", ".join(str(m) for m in SUPPORTED_MAJORS),
            )

    @property
    def release(self) -> tuple[int, int]:
        match = _VERSION_RE.match(self.version)
        return (int(match.group(1)), int(match.group(2))) if match else (10, 1)

    @property
    def schema_version(self) -> int:
        found = SCHEMA_VERSIONS[0][1]
        for first_release, version in SCHEMA_VERSIONS:
            if self.release >= first_release:
                found = version
        return found

    @property
    def logs(self) -> bool:
        return self.loki is not None

    @property
    def traces(self) -> bool:
        return self.tempo is not None
