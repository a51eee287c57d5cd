"""Alertmanager routing as data (to be modelled: see the alert-truth issue)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Routing:
    default_receiver: str = "default"
