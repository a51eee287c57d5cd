"""Test cases declared next to alerts (compiled to promtool tests)."""

from __future__ import annotations


class AlertTest:
    """Placeholder until alert tests are modelled."""
