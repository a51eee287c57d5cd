"""Generated SLO test cases: exact timing, input series from the SLI, and they catch mistakes."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest

from sarkmon.model import Catalog, Counter, Histogram, Label, Project, Scrape, ScrapeJob, ne
from sarkmon.model import re as regex
from sarkmon.model.alert_tests import Fires, Quiet
from sarkmon.model.slo import SLO, Alerting, LatencySLI, RatioSLI
from sarkmon.pipeline import Build, build, render
from sarkmon.slo.rules import expand_slos
from sarkmon.slo.scenarios import humanize_percentage, ratio_feeds
from sarkmon.slo.simulate import Phase, Traffic, expected_detection, first_firing
from sarkmon.tools import promtool
from tests.conftest import MINI_CATALOG, CliResult

CODE = Label("code", ("ok", "error", "timeout"))
REQUESTS = Counter("app_requests_total", "Requests", labels=(CODE, "route"))
FAILURES = Counter("app_failures_total", "Failures", labels=("reason",))
WRITES = Counter("app_writes_total", "Writes")
LATENCY = Histogram("app_latency_seconds", "Latency", labels=("route",), buckets=(0.1, 0.25, 1))
CATALOG = Catalog(
    [REQUESTS, FAILURES, WRITES, LATENCY], Scrape([ScrapeJob("app", targets=("app:8000",))])
)


def feeds_of(sli: RatioSLI) -> list[tuple[str, int, int]] | None:
    feeds = ratio_feeds(sli)
    return None if feeds is None else [(str(f.selector), f.good, f.bad) for f in feeds]


def test_input_series_for_each_ratio_form() -> None:
    errors = REQUESTS(code="error")
    # Every declared label is written, as prometheus_client does.
    assert feeds_of(RatioSLI(errors=errors, total=REQUESTS)) == [
        ('app_requests_total{code="error", route="test"}', 0, 1),
        ('app_requests_total{code="ok", route="test"}', 1, 0),
    ]
    assert feeds_of(RatioSLI(good=REQUESTS(code="ok"), total=REQUESTS(route="/"))) == [
        ('app_requests_total{code="error", route="/"}', 0, 1),
        ('app_requests_total{code="ok", route="/"}', 1, 0),
    ]
    # Summed terms on one metric: a bad event counts in exactly one of them.
    assert feeds_of(RatioSLI(errors=[errors, REQUESTS(code="timeout")], total=REQUESTS)) == [
        ('app_requests_total{code="error", route="test"}', 0, 1),
        ('app_requests_total{code="ok", route="test"}', 1, 0),
    ]
    # Different metrics: each side has its own series.
    assert feeds_of(RatioSLI(good=WRITES, errors=[FAILURES, errors])) == [
        ('app_failures_total{reason="test"}', 0, 1),
        ("app_writes_total", 1, 0),
    ]
    assert feeds_of(RatioSLI(errors=FAILURES, total=REQUESTS(route=ne("/health")))) == [
        ('app_failures_total{reason="test"}', 0, 1),
        ('app_requests_total{code="ok", route="test"}', 1, 1),
    ]
    # Regex and negative matchers are satisfied from the label's known values.
    assert feeds_of(RatioSLI(errors=REQUESTS(code=regex("error|timeout")), total=REQUESTS)) == [
        ('app_requests_total{code="error", route="test"}', 0, 1),
        ('app_requests_total{code="ok", route="test"}', 1, 0),
    ]
    # Nothing tells good events from bad ones.
    assert feeds_of(RatioSLI(errors=REQUESTS, total=REQUESTS)) is None


def slo(objective: object, window: str = "30d", **alerting: object) -> SLO:
    return SLO(
        "app-availability",
        service="app",
        objective=objective,  # type: ignore[arg-type]
        window=window,
        team="platform",
        sli=RatioSLI(errors=REQUESTS(code="error"), total=REQUESTS),
        alerting=Alerting(**alerting),  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("objective", "minutes"),
    [(99.9, 1), (99.5, 5), (99, 9), (95, 44)],  # 14.4 x budget x 60 minutes, rounded up
)
def test_total_outage_fires_the_fast_page_exactly_when_promised(
    objective: float, minutes: int
) -> None:
    spec = slo(objective)
    fast = spec.tiers[0]
    assert expected_detection(spec, fast, Fraction(1)) == minutes
    outage = Traffic((Phase(60, Fraction(60), Fraction(0)), Phase(120, Fraction(60), Fraction(60))))
    assert first_firing(spec, fast, outage, after=60) == 60 + minutes


def test_simulation_follows_windows_and_for() -> None:
    steady = Traffic((Phase(10, Fraction(1000), Fraction(15)),))
    assert steady.error_ratio(0, "5m") is None  # one sample: no rate yet
    assert steady.error_ratio(10, "1h") == Fraction(15, 1000)  # a window reaching before 0
    assert steady.error_ratio(11, "5m") is None  # past the last sample
    assert Traffic((Phase(5, Fraction(0), Fraction(0)),)).error_ratio(5, "5m") is None
    spec = slo(99.9)
    assert first_firing(spec, spec.tiers[0], steady) == 1  # 1.5% > 1.44%
    from sarkmon.model.burn_rate import BurnRateTier, WindowTable

    held = WindowTable("held", "30d", [BurnRateTier("page", "1h", "5m", 2, for_="3m")])
    spec = slo(99.9, windows=held)
    assert first_firing(spec, spec.tiers[0], steady) == 4  # burning at 1, 2, 3, 4
    assert expected_detection(spec, spec.tiers[0], Fraction(1)) == 1 + 3


def test_prometheus_percentage_formatting() -> None:
    assert humanize_percentage(Fraction(1, 60)) == "1.667%"
    assert humanize_percentage(Fraction(1)) == "100%"
    assert humanize_percentage(Fraction(9, 1000)) == "0.9%"
    assert humanize_percentage(Fraction(1, 10**7)) == "1e-05%"


def cases(spec: SLO) -> dict[str, list[str]]:
    (rule_file,) = expand_slos(Project("t", CATALOG, slos=[spec]))
    out = {}
    for alert in rule_file.alerts:
        out[alert.labels["tier"]] = [t.name for t in alert.tests]
    return out


def test_every_tier_has_firing_and_quiet_cases() -> None:
    spec = slo(99.9)
    (rule_file,) = expand_slos(Project("t", CATALOG, slos=[spec]))
    for alert in rule_file.alerts:
        expectations = [e for t in alert.tests for e in t.expect]
        assert any(isinstance(e, Fires) for e in expectations), alert.name
        assert any(isinstance(e, Quiet) for e in expectations), alert.name
    names = cases(spec)
    assert names["page-fast"] == [
        "total outage after 1h of clean traffic: fires after 1m (at most 1m with a full 1h window)",
        "error ratio just under the threshold (0.014256, 99% of 0.0144): never fires",
        "error ratio just over the threshold (0.014544): fires",
        "error ratio just under the budget (0.00099, a burn rate of 0.99): never fires",
    ]
    assert len(names["ticket-slow"]) == 3  # just under the budget is implied by its 0.99x case
    fast = rule_file.alerts[0]
    outage = fast.tests[0]
    assert [str(s.series) for s in outage.series] == [
        'app_requests_total{code="error", route="test"}',
        'app_requests_total{code="ok", route="test"}',
    ]
    fires = outage.fires[0]
    assert fires.at == "1h1m"
    assert fires.annotations["description"].startswith("1.667% of app events failed the SLI")


def test_declared_cases_are_added_and_generation_can_be_turned_off() -> None:
    from sarkmon.model.alert_tests import AlertTest, Series

    extra = AlertTest(
        "no traffic at all: quiet",
        series=[Series(REQUESTS(code="ok"), "0x30")],
        expect=[Quiet("30m", since="0s")],
    )
    spec = SLO(
        "app-availability",
        service="app",
        objective=99.9,
        team="platform",
        sli=RatioSLI(errors=REQUESTS(code="error"), total=REQUESTS),
        alerting=Alerting(generate_tests=False),
        tests={"page-fast": [extra]},
    )
    names = cases(spec)
    assert names == {
        "page-fast": ["no traffic at all: quiet"],
        "page-slow": [],
        "ticket-fast": [],
        "ticket-slow": [],
    }


def slo_build(spec: SLO) -> Build:
    result = build(Project("t", CATALOG, slos=[spec]))
    assert not result.errors, [f.line() for f in result.errors]
    return result


def run_tests(files: dict[str, str], out: Path) -> promtool.ToolResult:
    for rel, text in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    tests = sorted(p.rsplit("/", 1)[1] for p in files if p.startswith("prometheus/tests/"))
    return promtool.test_rules(tests, cwd=str(out / "prometheus/tests"))


LATENCY_SLO = SLO(
    "app-latency",
    service="app",
    objective=99,
    window="28d",
    team="platform",
    sli=LatencySLI(LATENCY(route="/api"), threshold=0.25),
    alerting=Alerting(windows="sre-workbook"),
)


def test_generated_cases_pass_promtool_for_each_form(tmp_path: Path) -> None:
    ratio = slo(99.5, "28d")  # factors 13.44, 5.6, 2.8 and 14/15
    summed = SLO(
        "app-writes",
        service="app",
        objective="99.95",
        team="platform",
        sli=RatioSLI(good=WRITES, errors=[FAILURES, REQUESTS(code="timeout")]),
    )
    files = render(build(Project("t", CATALOG, slos=[ratio, summed, LATENCY_SLO])))
    result = run_tests(files, tmp_path)
    assert result.ok, result.output


def test_generated_cases_catch_a_wrong_factor_or_bucket(tmp_path: Path) -> None:
    files = render(slo_build(slo(99.9)))
    rules = "prometheus/rules/slo-app-availability.yml"
    assert files[rules].count("(14.4 * 0.001)") == 2
    # The cases sit 1% either side of the threshold: a factor 1.4% off fails them.
    wrong = {**files, rules: files[rules].replace("(14.4 * 0.001)", "(14.6 * 0.001)")}
    result = run_tests(wrong, tmp_path / "factor")
    assert not result.ok
    assert "AppAvailabilityBudgetBurnPageFast: error ratio just over the threshold" in result.output
    files = render(slo_build(LATENCY_SLO))
    rules = "prometheus/rules/slo-app-latency.yml"
    off_by_one = {**files, rules: files[rules].replace('le="0.25"', 'le="1.0"')}
    result = run_tests(off_by_one, tmp_path / "bucket")
    assert not result.ok
    assert "AppLatencyBudgetBurnPageFast: total outage" in result.output


def test_an_sli_without_distinguishable_series_is_a_definition_error(
    make_defs: Callable[..., Path], run_cli: Callable[..., CliResult]
) -> None:
    slos = """
from defs.catalog import REQUESTS
from sarkmon.model.slo import SLO, RatioSLI

SLOS = [
    SLO("app", service="app", objective=99, team="t", sli=RatioSLI(errors=REQUESTS, total=REQUESTS)),
]
"""
    project = """
from defs.catalog import catalog
from defs.slos import SLOS
from sarkmon.model import Project

project = Project(name="t", catalog=catalog, slos=SLOS)
"""
    root = make_defs({"catalog.py": MINI_CATALOG, "__init__.py": project, "slos.py": slos})
    result = run_cli("generate", "--root", str(root), "--definitions", "defs", "--check")
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        "defs/slos.py:5: error [definition/slo-tests] SLO 'app': no input series matches its "
        "error selectors but not its good ones (or the reverse), so its alerts cannot be tested "
        "(make the selectors tell good events from bad ones)"
    )
