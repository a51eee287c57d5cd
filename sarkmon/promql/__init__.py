"""PromQL analysis: parse once (after Grafana variables are substituted), then walk."""
