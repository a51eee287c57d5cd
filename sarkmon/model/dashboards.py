"""Grafana dashboards as data (to be modelled: see the dashboards issue)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GrafanaSettings:
    version: str = "10.1"


@dataclass(frozen=True)
class Dashboard:
    uid: str
    title: str
