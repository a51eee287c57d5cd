"""``sarkmon verify``: the generated rules and every dashboard query on a real Prometheus."""
