"""SARK's service level objectives (compiled to recording rules and burn-rate alerts)."""

SLOS: list[object] = []
