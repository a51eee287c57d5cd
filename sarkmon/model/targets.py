"""Where the output goes: versions and deployment targets, as settings of the project."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Targets:
    prometheus_version: str = "2.42"
    runbook_base_url: str = ""
