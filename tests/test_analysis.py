"""Analysis of dashboard views: which queries become sites, with which substitutions."""

from __future__ import annotations

import pytest

from sarkmon.analysis import analyze_site, dashboard_sites, promql_of_variable
from sarkmon.source import Location
from sarkmon.views import DashboardView, PanelView, TargetView, VariableView
from tests.test_promql import CATALOG


@pytest.mark.parametrize(
    ("query", "promql"),
    [
        ("label_values(req_total, route)", "req_total"),
        ('label_values(req_total{code="500"}, route)', 'req_total{code="500"}'),
        ("label_values(route)", ""),
        ("query_result(topk(3, req_total))", "topk(3, req_total)"),
        ("label_names()", ""),
        ("metrics(req_.*)", ""),
        ("sum(req_total)", "sum(req_total)"),
    ],
)
def test_promql_of_variable(query: str, promql: str) -> None:
    assert promql_of_variable(query) == promql


def test_dashboard_sites_cover_targets_variables_and_annotations() -> None:
    where = Location("dash.py", 7)
    view = DashboardView(
        "d1",
        "Demo",
        panels=[
            PanelView(
                "p1",
                "Requests",
                "timeseries",
                targets=[
                    TargetView("sum by (route) (rate(req_total[$interval]))", "A"),
                    TargetView('{app="sark"} |= "error"', "B", datasource_type="loki"),
                ],
                location=where,
            )
        ],
        variables=[
            VariableView("interval", "interval", options=("5m", "1h")),
            VariableView("route", "query", query="label_values(req_total, route)"),
        ],
        annotations=[TargetView('ALERTS{alertstate="firing"}', "alerts")],
    )
    sites = [analyze_site(s, CATALOG) for s in dashboard_sites([view])]
    assert [(s.kind, s.object) for s in sites] == [
        ("panel", "dashboard 'Demo' panel 'Requests' query A"),
        ("variable", "dashboard 'Demo' variable 'route'"),
        ("annotation", "dashboard 'Demo' annotation 'alerts'"),
    ]
    assert sites[0].location == where
    assert sites[0].parsed.query == "sum by (route) (rate(req_total[5m]))"
    assert sites[0].labels == frozenset({"route"})
