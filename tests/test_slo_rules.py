"""SLOs compile to exact burn-rate alerts: one test per preset, disabled tiers, the SLI forms."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from sarkmon.compile.prometheus import rule_file_document
from sarkmon.model import Catalog, Counter, Histogram, Label, Project, Scrape, ScrapeJob
from sarkmon.model.burn_rate import BurnRateTier, WindowTable, preset, preset_names
from sarkmon.model.numbers import decimal_text, exact, promql_number
from sarkmon.model.rules import AlertRule, RecordingRule
from sarkmon.model.slo import SLO, Alerting, LatencySLI, RatioSLI
from sarkmon.model.targets import Targets
from sarkmon.pipeline import build, render
from sarkmon.slo.rules import expand_slos
from sarkmon.tools import promtool

REQUESTS = Counter("app_requests_total", "Requests", labels=(Label("code", ("ok", "error")),))
FAILURES = Counter("app_failures_total", "Failures", labels=("reason",))
LATENCY = Histogram("app_latency_seconds", "Latency", labels=("route",), buckets=(0.1, 0.25, 1))
CATALOG = Catalog([REQUESTS, FAILURES, LATENCY], Scrape([ScrapeJob("app", targets=("app:8000",))]))


def availability(objective: object = 99.9, window: str = "30d", **alerting: object) -> SLO:
    return SLO(
        "app-availability",
        service="app",
        objective=objective,  # type: ignore[arg-type]
        window=window,
        team="platform",
        sli=RatioSLI(errors=REQUESTS(code="error"), total=REQUESTS),
        alerting=Alerting(**alerting),  # type: ignore[arg-type]
    )


def alerts_of(slo: SLO) -> list[AlertRule]:
    (rule_file,) = expand_slos(Project("t", CATALOG, slos=[slo]))
    return list(rule_file.alerts)


def thresholds(slo: SLO) -> dict[str, str]:
    """tier -> the ``(factor * budget)`` text, asserting both windows compare to it."""
    out = {}
    for alert in alerts_of(slo):
        found = re.findall(r"> (\([^)]*\))", str(alert.expr))
        assert len(found) == 2 and found[0] == found[1], alert.expr
        out[alert.labels["tier"]] = found[0]
    return out


SLOTH_30D = {
    "page-fast": "(14.4 * 0.001)",
    "page-slow": "(6 * 0.001)",
    "ticket-fast": "(3 * 0.001)",
    "ticket-slow": "(1 * 0.001)",
}


def test_sloth_30d_factors_are_exact() -> None:
    assert thresholds(availability(99.9, "30d", windows="sloth")) == SLOTH_30D


def test_sloth_28d_factors_are_exact() -> None:
    assert thresholds(availability(99.9, "28d", windows="sloth")) == {
        "page-fast": "(13.44 * 0.001)",
        "page-slow": "(5.6 * 0.001)",
        "ticket-fast": "(2.8 * 0.001)",
        "ticket-slow": "(14 / 15 * 0.001)",  # 10% of 28d in 3d: no finite decimal
    }


def test_sre_workbook_30d_factors_are_exact() -> None:
    assert thresholds(availability(99.9, "30d", windows="sre-workbook")) == {
        "page-fast": "(14.4 * 0.001)",
        "page-slow": "(6 * 0.001)",
        "ticket-slow": "(1 * 0.001)",
    }


def test_sre_workbook_28d_factors_are_exact() -> None:
    assert thresholds(availability(99.95, "28d", windows="sre-workbook")) == {
        "page-fast": "(13.44 * 0.0005)",
        "page-slow": "(5.6 * 0.0005)",
        "ticket-slow": "(14 / 15 * 0.0005)",
    }


def test_every_shipped_preset_is_tested() -> None:
    assert preset_names() == ("sloth", "sre-workbook")
    for name in preset_names():
        for period in ("28d", "30d"):
            assert preset(name, period) is not None
    assert preset("sloth", "7d") is None
    assert preset("sloth", "seven days") is None


def test_objectives_are_read_exactly_whatever_their_type() -> None:
    from decimal import Decimal

    for given in (99.9, "99.9", Decimal("99.9"), Fraction(999, 10)):
        slo = availability(given)
        assert slo.error_budget == Fraction(1, 1000)
        assert thresholds(slo)["page-fast"] == "(14.4 * 0.001)"
    assert decimal_text(availability(99.99).error_budget) == "0.0001"
    assert availability(99.95).objective_text == "99.95%"


def test_disabled_tiers_are_not_alerted_and_their_windows_not_recorded() -> None:
    slo = availability(disabled=("ticket-fast", "page-slow"))
    assert thresholds(slo) == {"page-fast": "(14.4 * 0.001)", "ticket-slow": "(1 * 0.001)"}
    (rule_file,) = expand_slos(Project("t", CATALOG, slos=[slo]))
    records = {r.record for r in rule_file.recordings}
    assert "slo:sli_error:ratio_rate1h" in records
    assert "slo:sli_error:ratio_rate3d" in records
    for unused in ("30m", "2h", "1d"):  # only page-slow and ticket-fast read them
        assert f"slo:sli_error:ratio_rate{unused}" not in records


def test_all_tiers_disabled_keeps_the_recordings() -> None:
    slo = availability(disabled=("page-fast", "page-slow", "ticket-fast", "ticket-slow"))
    (rule_file,) = expand_slos(Project("t", CATALOG, slos=[slo]))
    assert not rule_file.alerts
    assert [g.name for g in rule_file.groups] == [
        "slo-app-availability",
        "slo-app-availability-budget",
    ]
    assert len(rule_file.recordings) == 2 + 2 + 4  # 5m event rates; 5m and 1h ratios; budget


def test_a_custom_window_table() -> None:
    table = WindowTable(
        "weekly",
        "7d",
        [
            BurnRateTier("page-fast", "1h", "5m", 5, "critical"),
            BurnRateTier("ticket", "1d", "2h", "25", "warning", for_="15m"),
        ],
    )
    slo = availability(99.5, "7d", windows=table)
    # 5% of 7d in 1h: 8.4; 25% of 7d in 1d: 1.75
    assert thresholds(slo) == {"page-fast": "(8.4 * 0.005)", "ticket": "(1.75 * 0.005)"}
    ticket = next(a for a in alerts_of(slo) if a.labels["tier"] == "ticket")
    assert (ticket.severity, ticket.for_) == ("warning", "15m")


def test_alert_labels_annotations_and_runbook() -> None:
    fast = alerts_of(availability())[0]
    assert fast.name == "AppAvailabilityBudgetBurnPageFast"
    assert fast.all_labels() == {
        "category": "slo",
        "service": "app",
        "severity": "critical",
        "slo": "app-availability",
        "team": "platform",
        "tier": "page-fast",
    }
    assert fast.summary == (
        "App availability SLO: error budget burning at over 14.4x the sustainable rate (page-fast)"
    )
    assert fast.description.startswith("{{ $value | humanizePercentage }} of app events failed")
    assert "spends 2% of the 30d error budget every 1h" in fast.description
    assert fast.expr == (
        'slo:sli_error:ratio_rate1h{slo="app-availability"} > (14.4 * 0.001)\n'
        "and\n"
        'slo:sli_error:ratio_rate5m{slo="app-availability"} > (14.4 * 0.001)'
    )
    assert fast.runbook.impact
    assert "sum by (code) (rate(app_requests_total[5m]))" in fast.runbook.diagnosis
    doc = rule_file_document(
        expand_slos(Project("t", CATALOG, slos=[availability()]))[0],
        Targets(runbook_base_url="https://runbooks.example"),
    )
    annotations = doc["groups"][0]["rules"][9]["annotations"]
    assert (
        annotations["runbook_url"]
        == "https://runbooks.example/AppAvailabilityBudgetBurnPageFast.md"
    )


def recording(slo: SLO, name: str) -> RecordingRule:
    (rule_file,) = expand_slos(Project("t", CATALOG, slos=[slo]))
    return next(r for r in rule_file.recordings if r.record == name)


def test_the_three_ratio_forms_and_the_latency_form() -> None:
    def ratio_1h(sli: RatioSLI | LatencySLI) -> str:
        slo = SLO("x", service="app", objective=99, team="t", sli=sli)
        return str(recording(slo, "slo:sli_error:ratio_rate1h").expr)

    errors = REQUESTS(code="error")
    assert ratio_1h(RatioSLI(errors=errors, total=REQUESTS)) == (
        '(sum(rate(app_requests_total{code="error"}[1h])) or vector(0))\n'
        "/\n"
        "sum(rate(app_requests_total[1h]))"
    )
    assert ratio_1h(RatioSLI(good=REQUESTS(code="ok"), total=REQUESTS)) == (
        "(\n"
        '  sum(rate(app_requests_total[1h])) - (sum(rate(app_requests_total{code="ok"}[1h])) or vector(0))\n'
        ")\n"
        "/\n"
        "sum(rate(app_requests_total[1h]))"
    )
    assert ratio_1h(RatioSLI(good=REQUESTS(code="ok"), errors=[errors, FAILURES])) == (
        "(\n"
        '  (sum(rate(app_requests_total{code="error"}[1h])) or vector(0)) + (sum(rate(app_failures_total[1h])) or vector(0))\n'
        ")\n"
        "/\n"
        "(\n"
        '  (sum(rate(app_requests_total{code="ok"}[1h])) or vector(0)) + (sum(rate(app_requests_total{code="error"}[1h])) or vector(0)) + (sum(rate(app_failures_total[1h])) or vector(0))\n'
        ")"
    )
    assert ratio_1h(LatencySLI(LATENCY(route="/api"), threshold=0.25)) == (
        "(\n"
        '  sum(rate(app_latency_seconds_count{route="/api"}[1h])) - sum(rate(app_latency_seconds_bucket{route="/api", le="0.25"}[1h]))\n'
        ")\n"
        "/\n"
        'sum(rate(app_latency_seconds_count{route="/api"}[1h]))'
    )


def test_budget_series_are_exact_and_traffic_weighted() -> None:
    slo = availability(99.95, "28d")
    assert str(recording(slo, "slo:objective:ratio").expr) == "vector(0.9995)"
    assert str(recording(slo, "slo:error_budget:ratio").expr) == "vector(0.0005)"
    assert str(recording(slo, "slo:sli_error:ratio_rate28d").expr) == (
        'sum_over_time(slo:sli_error_events:rate5m{slo="app-availability"}[28d])\n'
        "/\n"
        'sum_over_time(slo:sli_total_events:rate5m{slo="app-availability"}[28d])'
    )
    assert str(recording(slo, "slo:error_budget_remaining:ratio").expr) == (
        '1 - slo:sli_error:ratio_rate28d{slo="app-availability"}'
        ' / slo:error_budget:ratio{slo="app-availability"}'
    )
    assert recording(slo, "slo:error_budget:ratio").labels == {
        "service": "app",
        "slo": "app-availability",
    }


def test_exact_numbers() -> None:
    assert exact(99.9) == Fraction(999, 10)
    assert exact(" 0.5 ") == Fraction(1, 2)
    assert promql_number(Fraction(14, 15)) == "14 / 15"
    assert promql_number(Fraction(-1, 8)) == "-0.125"
    assert decimal_text(Fraction(10**7)) == "10000000"
    assert decimal_text(Fraction(1, 2**10)) == "0.0009765625"
    for bad in ("ninety", True, None):
        with pytest.raises(ValueError):
            exact(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        decimal_text(Fraction(1, 3))


def test_generated_rules_pass_promtool_and_lint(tmp_path: Path) -> None:
    slos = [
        availability(),
        SLO(
            "app-latency",
            service="app",
            objective="99.5",
            window="28d",
            team="platform",
            sli=LatencySLI(LATENCY, threshold=0.25),
            alerting=Alerting(windows="sre-workbook"),
        ),
    ]
    result = build(Project("t", CATALOG, slos=slos))
    assert [f.line() for f in result.errors] == []
    files = render(result)
    names = ["slo-app-availability.yml", "slo-app-latency.yml"]
    assert sorted(p for p in files if p.startswith("prometheus/rules/")) == [
        f"prometheus/rules/{n}" for n in names
    ]
    text = files["prometheus/rules/slo-app-availability.yml"]
    assert [g["name"] for g in yaml.safe_load(text)["groups"]] == [
        "slo-app-availability",
        "slo-app-availability-budget",
    ]
    recorded = result.catalog.metric("slo:sli_error:ratio_rate1h")
    assert recorded is not None and set(recorded.label_names) == {"service", "slo"}
    for name in names:
        (tmp_path / name).write_text(files[f"prometheus/rules/{name}"])
    checked = promtool.check_rules(names, cwd=str(tmp_path))
    assert checked.ok, checked.output
    # 9 + 4 + 4 for Sloth's table (6 windows besides 5m); 7 + 4 + 3 for the workbook's (4)
    assert "SUCCESS: 17 rules found" in checked.output
    assert "SUCCESS: 14 rules found" in checked.output


def test_window_table_mistakes_are_reported() -> None:
    from sarkmon.diagnostics import collecting

    with collecting() as found:
        WindowTable(
            "bad",
            "7 days",
            [
                BurnRateTier("Page Fast", "1h", "5m", "two", "page"),
                BurnRateTier("slow", "5m", "1h", 150, for_="soon"),
                BurnRateTier("slow", "40d", "1h", 10),
            ],
        )
        WindowTable("empty", "30d", [])
    messages = [f"[{f.check}] {f.obj}: {f.message}" for f in found.findings]
    assert messages == [
        "[definition/slo-tier] burn-rate tier 'Page Fast': tier names are lower-case words "
        "joined by -",
        "[definition/slo-tier] burn-rate tier 'Page Fast': expected a number, got 'two'",
        "[definition/slo-tier] burn-rate tier 'Page Fast': budget_percent must be in (0, 100], "
        "got 'two'",
        "[definition/severity] burn-rate tier 'Page Fast': unknown severity 'page'",
        "[definition/slo-tier] burn-rate tier 'slow': budget_percent must be in (0, 100], got 150",
        "[definition/duration] burn-rate tier 'slow': for: invalid duration 'soon' (use units "
        "ms, s, m, h, d, w, y as in '1h30m')",
        "[definition/slo-tier] burn-rate tier 'slow': the short window (1h) must be shorter than "
        "the long one (5m)",
        "[definition/duration] window table 'bad': period: invalid duration '7 days' (use units "
        "ms, s, m, h, d, w, y as in '1h30m')",
        "[definition/duplicate] window table 'bad': tier 'slow' listed twice",
        "[definition/slo-tier] window table 'bad': tier 'slow': its long window 40d exceeds the "
        "period",
        "[definition/empty] window table 'empty': a window table needs at least one tier",
    ]


def test_an_slo_whose_table_is_for_another_period() -> None:
    from sarkmon.diagnostics import collecting

    table = preset("sloth", "28d")
    assert table is not None
    with collecting() as found:
        availability(99.9, "30d", windows=table, disabled=("ticket-fast",), name="lower")
    assert [f.message for f in found.findings] == [
        "alert names are UpperCamelCase",
        "window table 'sloth' is for 28d, the SLO's window is 30d",
    ]


def test_budget_series_under_promtool(tmp_path: Path) -> None:
    """Half the budget failing for an hour leaves half of it; the period ratio is weighted."""
    files = render(build(Project("t", CATALOG, slos=[availability()])))
    (tmp_path / "rules.yml").write_text(files["prometheus/rules/slo-app-availability.yml"])
    labels = '{service="app", slo="app-availability"}'
    # 10000 requests a minute, 5 failing (0.05%), then a quiet hour of 1000 a minute, 1 failing
    # (0.1%). The period ratio sums the 5m event rates recorded every minute: weighted by
    # traffic it stays near 0.05%, where a mean of ratios would say 0.075%.
    errors = [0, *(5 * m for m in range(1, 61)), *(300 + m for m in range(1, 61))]
    events = [0, *(10000 * m for m in range(1, 61)), *(600000 + 1000 * m for m in range(1, 61))]

    def recorded_sum(series: list[int]) -> int:  # sum_over_time of the 5m increases
        return sum(series[m] - series[max(0, m - 5)] for m in range(1, 121))

    weighted = recorded_sum(errors) / recorded_sum(events)
    assert 0.0005 < weighted < 0.00055
    test = {
        "rule_files": ["rules.yml"],
        "evaluation_interval": "1m",
        # The budget group reads the SLI group's recordings: fix their order, which promtool
        # (like Prometheus) otherwise leaves open, so the sums are exact to the minute.
        "group_eval_order": ["slo-app-availability", "slo-app-availability-budget"],
        "tests": [
            {
                "interval": "1m",
                "input_series": [
                    {"series": 'app_requests_total{code="error"}', "values": "0+5x60 301+1x60"},
                    {
                        "series": 'app_requests_total{code="ok"}',
                        "values": "0+9995x60 600699+999x60",
                    },
                ],
                "promql_expr_test": [
                    {
                        "expr": "slo:error_budget_remaining:ratio",
                        "eval_time": "60m",
                        "exp_samples": [
                            {"labels": f"slo:error_budget_remaining:ratio{labels}", "value": 0.5}
                        ],
                    },
                    {
                        "expr": "slo:objective:ratio",
                        "eval_time": "1m",
                        "exp_samples": [{"labels": f"slo:objective:ratio{labels}", "value": 0.999}],
                    },
                    {
                        "expr": "round(slo:sli_error:ratio_rate30d * 1e9)",
                        "eval_time": "120m",
                        "exp_samples": [{"labels": labels, "value": round(weighted * 1e9)}],
                    },
                ],
            }
        ],
    }
    (tmp_path / "test.yml").write_text(yaml.safe_dump(test))
    result = promtool.test_rules(["test.yml"], cwd=str(tmp_path))
    assert result.ok, result.output
