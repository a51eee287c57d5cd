"""Synthetic dashboard views for the verify tests, plugged in through pipeline.DASHBOARD_VIEWS.

They stand in for the dashboard model (built on another branch): verify reads only views
and analysis sites, so these exercise it the way real dashboards will.
"""

from __future__ import annotations

from typing import Any

from sarkmon.source import Location
from sarkmon.views import DashboardView, PanelView, TargetView, VariableView

HERE = Location("tests/verify_views.py", 1)


def panel(title: str, *exprs: str, instant: bool = False) -> PanelView:
    targets = [
        TargetView(expr, ref_id=chr(ord("A") + i), instant=instant, location=HERE)
        for i, expr in enumerate(exprs)
    ]
    return PanelView(title.lower().replace(" ", "-"), title, "timeseries", targets=targets)


def sark_views(project: Any) -> list[DashboardView]:
    """Panels over SARK's catalog in the shapes real dashboards use."""
    authz = "sark_gateway_authz_requests_total"
    latency = "sark_gateway_authz_latency_seconds_bucket"
    return [
        DashboardView(
            "sark-verify",
            "SARK verify",
            variables=[
                VariableView("datasource", "datasource", location=HERE),
                VariableView("server", "query", f"label_values({authz}, server)", location=HERE),
                VariableView("window", "interval", options=("5m", "1h"), location=HERE),
            ],
            panels=[
                panel(
                    "Deny ratio",
                    f'sum(rate({authz}{{decision="deny", server=~"$server"}}[$__rate_interval]))'
                    f' / sum(rate({authz}{{server=~"$server"}}[$__rate_interval]))',
                ),
                panel(
                    "Authorization p95",
                    f"histogram_quantile(0.95, sum by (le) (rate({latency}[$window])))",
                ),
                panel(
                    "Tool invocations audited",
                    'sum(increase(sark_gateway_audit_events_total{event_type="tool_invoke"}'
                    "[$__range]))",
                    instant=True,
                ),
                panel("Targets up", 'sum by (job) (up{job="sark-api"})'),
                panel(
                    "Policy cache hit ratio",
                    "sum(rate(sark_gateway_cache_hits_total[5m])) / (sum(rate("
                    "sark_gateway_cache_hits_total[5m])) + sum(rate("
                    "sark_gateway_cache_misses_total[5m])))",
                ),
            ],
            annotations=[
                TargetView(
                    'changes(process_start_time_seconds{job="sark-api"}[$__interval]) > -1',
                    ref_id="restarts",
                    location=HERE,
                )
            ],
        )
    ]


def app_views(project: Any, broken: bool = False) -> list[DashboardView]:
    """Panels over the tests' mini catalog, recordings and alerts included."""
    # Broken: a threshold copied from an alert leaves the panel empty in normal traffic (only
    # data shows it), and no alert has severity "page".
    threshold = " > 1000000" if broken else ""
    severity = "page" if broken else "warning"
    return [
        DashboardView(
            "app",
            "App",
            variables=[
                VariableView(
                    "route", "query", "label_values(app_requests_total, route)", location=HERE
                ),
            ],
            panels=[
                panel(
                    "Requests",
                    'sum(rate(app_requests_total{job="app", route=~"$route"}'
                    f"[$__rate_interval])){threshold}",
                ),
                panel(
                    "Checkout errors",
                    'sum(rate(app_requests_total{route="/checkout", code="error"}[5m]))',
                ),
                panel("Recorded total", "app:app_requests:rate1m"),
                panel("Queue", "max(app_queue_depth)", instant=True),
            ],
            annotations=[
                TargetView(
                    f'ALERTS{{alertstate="firing", severity="{severity}"}}',
                    ref_id="alerts",
                    location=HERE,
                )
            ],
        )
    ]


def broken_app_views(project: Any) -> list[DashboardView]:
    return app_views(project, broken=True)
