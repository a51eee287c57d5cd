"""SARK's Grafana dashboards, one module per dashboard."""
