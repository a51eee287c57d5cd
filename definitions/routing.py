"""Alertmanager routing: SARK's receivers, routes and inhibitions."""

routing = None
