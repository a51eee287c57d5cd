"""SARK's Grafana dashboards, one module per dashboard."""

DASHBOARDS: list[object] = []
