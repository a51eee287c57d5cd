"""Service level objectives (to be modelled: see the SLO issue)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SLO:
    name: str
