"""`sarkmon lint` on the hand-written fixture corpus: each defect found at its file:line.

tests/fixtures/lint/bad holds defective dashboards (a legacy one with rows, a modern one
wrapped as the HTTP API returns it) and rule files (plain and a PrometheusRule manifest);
clean/ holds correct ones; lintdefs_bad is a definitions package with catalog hygiene
problems and silences. See tests/fixtures/lint/README.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sarkmon.lint import all_checks
from tests.conftest import FIXTURES, CliResult
from tests.test_lint_checks import FAMILIES

LINT = FIXTURES / "lint"
ROOT = ("--root", str(LINT))

BAD = """
dashboard/datasource         bad/dashboards/legacy.json:1    dashboard 'Shop (legacy)'
dashboard/unit-scale         bad/dashboards/legacy.json:18   dashboard 'Shop (legacy)' panel 'Error ratio' query A
dashboard/unit               bad/dashboards/legacy.json:24   dashboard 'Shop (legacy)' panel 'Requests per second'
dashboard/rate-interval      bad/dashboards/legacy.json:29   dashboard 'Shop (legacy)' panel 'Requests per second' query A
dashboard/no-targets         bad/dashboards/legacy.json:31   dashboard 'Shop (legacy)' panel 'Forgotten'
dashboard/unused-variable    bad/dashboards/modern.json:9    dashboard 'Shop' variable 'route'
dashboard/undefined-variable bad/dashboards/modern.json:26   dashboard 'Shop' panel 'Latency p90'
dashboard/unit-scale         bad/dashboards/modern.json:26   dashboard 'Shop' panel 'Latency p90' query A
dashboard/datasource         bad/dashboards/modern.json:44   dashboard 'Shop' panel 'Jobs done'
types/raw-counter            bad/dashboards/modern.json:44   dashboard 'Shop' panel 'Jobs done' query A
dashboard/logql              bad/dashboards/modern.json:54   dashboard 'Shop' panel 'Checkout errors' query A
catalog/unknown-metric       bad/rules/alerts.yml:6    alert 'UnknownMetric'
catalog/unknown-label        bad/rules/alerts.yml:11   alert 'UnknownLabel'
catalog/unknown-label        bad/rules/alerts.yml:11   alert 'UnknownLabel'
catalog/unknown-label        bad/rules/alerts.yml:16   alert 'UnknownLabelOn'
catalog/unknown-label        bad/rules/alerts.yml:21   alert 'UnknownLabelIgnoring'
catalog/unknown-label        bad/rules/alerts.yml:26   alert 'UnknownLabelWithout'
catalog/label-value          bad/rules/alerts.yml:31   alert 'EnumValue'
catalog/target-label-value   bad/rules/alerts.yml:36   alert 'WrongJob'
catalog/planned-metric       bad/rules/alerts.yml:41   alert 'PlannedMetric'
types/rate-non-counter       bad/rules/alerts.yml:48   alert 'RateOnGauge'
types/rate-non-counter       bad/rules/alerts.yml:53   alert 'IrateOnGauge'
types/rate-non-counter       bad/rules/alerts.yml:58   alert 'IncreaseOnGauge'
types/rate-non-counter       bad/rules/alerts.yml:63   alert 'ResetsOnGauge'
types/raw-counter            bad/rules/alerts.yml:68   alert 'RawCounter'
types/deriv-on-counter       bad/rules/alerts.yml:73   alert 'DerivOnCounter'
types/deriv-on-counter       bad/rules/alerts.yml:78   alert 'DeltaOnCounter'
catalog/unknown-label        bad/rules/alerts.yml:83   alert 'QuantileOverCount'
types/histogram-quantile     bad/rules/alerts.yml:83   alert 'QuantileOverCount'
types/histogram-quantile     bad/rules/alerts.yml:88   alert 'QuantileLostLe'
types/sum-count              bad/rules/alerts.yml:93   alert 'SumOverOtherCount'
types/quantile-label         bad/rules/alerts.yml:98   alert 'QuantileOfGauge'
logic/never-pairs            bad/rules/alerts.yml:105  alert 'NeverPairs'
logic/never-pairs            bad/rules/alerts.yml:110  alert 'PinnedApart'
logic/trivial-ratio          bad/rules/alerts.yml:115  alert 'TrivialRatio'
logic/no-comparison          bad/rules/alerts.yml:120  alert 'NoComparison'
logic/absent-blind           bad/rules/alerts.yml:125  alert 'NoLogins'
logic/absent-blind           bad/rules/alerts.yml:130  alert 'FewLogins'
logic/rate-range             bad/rules/alerts.yml:135  alert 'ShortRange'
promql/syntax                bad/rules/alerts.yml:140  alert 'DoesNotParse'
alert/summary                bad/rules/alerts.yml:147  alert 'NoSummary'
alert/description            bad/rules/alerts.yml:152  alert 'NoDescription'
alert/runbook                bad/rules/alerts.yml:157  alert 'NoRunbook'
alert/for                    bad/rules/alerts.yml:162  alert 'NoFor'
definition/severity          bad/rules/alerts.yml:171  alert 'PagingSeverity'
definition/alert-name        bad/rules/alerts.yml:176  alert 'high_latency'
alert/template-label         bad/rules/alerts.yml:183  alert 'TemplateLabel'
alert/template-percentage    bad/rules/alerts.yml:191  alert 'TemplatePercentage'
alert/unit-scale             bad/rules/alerts.yml:191  alert 'TemplatePercentage'
alert/template-duration      bad/rules/alerts.yml:199  alert 'TemplateDuration'
alert/unit-scale             bad/rules/alerts.yml:199  alert 'TemplateDuration'
naming/counter-total         bad/rules/alerts.yml:209  recording rule 'job:http_requests:sum'
logic/dormant-absence        bad/rules/alerts.yml:213  alert 'NoRefunds'
alert/duplicate-name         bad/rules/prometheusrule.yaml:11   alert 'HighErrorRate'
catalog/target-label-value   bad/rules/prometheusrule.yaml:11   alert 'HighErrorRate'
"""

BAD_DEFINITIONS = """
naming/help                  lintdefs_bad/__init__.py:17  counter 'orders_total'
naming/unbounded-label       lintdefs_bad/__init__.py:17  counter 'orders_total'
naming/unbounded-label       lintdefs_bad/__init__.py:18  counter 'checkouts_total'
naming/base-unit             lintdefs_bad/__init__.py:19  gauge 'payload_megabytes'
naming/unit-suffix           lintdefs_bad/__init__.py:20  gauge 'render_seconds'
naming/reserved-suffix       lintdefs_bad/__init__.py:21  gauge 'requests_total'
naming/reserved-label        lintdefs_bad/__init__.py:22  gauge 'request_size'
catalog/unused-metric        lintdefs_bad/__init__.py:23  gauge 'stock_items'
lint/unused-silence          lintdefs_bad/__init__.py:23  gauge 'stock_items'
logic/absent-blind           lintdefs_bad/__init__.py:43  alert 'NoOrders'
lint/unknown-silence         lintdefs_bad/__init__.py:51  alert 'ManyCheckouts'
lint/unused-silence          lintdefs_bad/__init__.py:51  alert 'ManyCheckouts'
lint/unknown-silence         lintdefs_bad/__init__.py:60  alert 'PayloadHuge'
"""


def table(text: str) -> list[tuple[str, str, str]]:
    rows = []
    for line in text.strip().splitlines():
        check, where, obj = line.split(maxsplit=2)
        rows.append((check, where, obj))
    return rows


def as_rows(output: str, prefix: str) -> list[tuple[str, str, str]]:
    """The active findings of a JSON report (silenced ones are left out: see below)."""
    return [
        (f["check"], f"{f['file'].removeprefix(prefix)}:{f['line']}", f["object"])
        for f in json.loads(output)
        if "silenced" not in f
    ]


def test_every_defect_of_the_bad_corpus_is_found_at_its_line(
    run_cli: Callable[..., CliResult],
) -> None:
    result = run_cli("lint", "--catalog", "lintdefs", *ROOT, "--format", "json", str(LINT / "bad"))
    assert result.code == 1, result.err
    assert as_rows(result.out, f"{LINT}/") == table(BAD)


# Cases that prove one form of a check (on, irate, delta, '<' ...): the message names the
# form, so that a row of BAD is not met by the check firing on another part of the query.
FORMS = {
    "UnknownLabelOn": "on (path): neither side",
    "UnknownLabelIgnoring": "ignoring (status): neither side",
    "UnknownLabelWithout": "sum without (pod):",
    "IrateOnGauge": "irate() on queue_depth",
    "IncreaseOnGauge": "increase() on memory_bytes",
    "ResetsOnGauge": "resets() on queue_capacity",
    "DeltaOnCounter": "delta() on cache_misses_total",
    "FewLogins": "'<' returns nothing",
}


def test_each_form_of_a_check_is_what_its_case_reports(run_cli: Callable[..., CliResult]) -> None:
    rules = str(LINT / "bad" / "rules")
    result = run_cli("lint", "--catalog", "lintdefs", *ROOT, "--format", "json", rules)
    messages: dict[str, list[str]] = {}
    for finding in json.loads(result.out):
        messages.setdefault(finding["object"], []).append(finding["message"])
    for name, form in FORMS.items():
        found = messages[f"alert {name!r}"]
        assert len(found) == 1 and found[0].startswith(form), (name, found)


def test_the_clean_corpus_has_no_finding_at_all(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli(
        "lint", "--catalog", "lintdefs", *ROOT, "--format", "json", str(LINT / "clean")
    )
    assert (result.code, json.loads(result.out)) == (0, []), result.out
    text = run_cli("lint", "--catalog", "lintdefs", *ROOT, str(LINT / "clean"))
    assert text.out == ""
    assert text.err == "sarkmon lint: 0 error(s), 0 warning(s), 0 info\n"


def test_definitions_mode_checks_the_catalog_and_the_silences(
    run_cli: Callable[..., CliResult],
) -> None:
    result = run_cli("lint", "--catalog", "lintdefs_bad", *ROOT, "--format", "json")
    assert result.code == 1  # the silences naming no check, or giving no reason
    assert as_rows(result.out, "") == table(BAD_DEFINITIONS)
    text = run_cli("lint", "--definitions", "lintdefs_bad", *ROOT)
    silenced = [line for line in text.out.splitlines() if "[silenced:" in line]
    assert silenced == [
        "lintdefs_bad/__init__.py:28: warning [naming/unbounded-label] gauge 'sessions': label "
        "'user' has one value per user: series grow without bound (drop the label, or bucket "
        "it into a small set of values) [silenced: at most a dozen staff users log in]",
        "lintdefs_bad/__init__.py:43: warning [alert/for] alert 'NoOrders': no for duration: it "
        "fires on the first evaluation that matches (add for_='5m' (how long the condition must "
        "hold)) [silenced: an order drought pages at once, by design]",
    ]
    assert text.err.endswith("2 error(s), 10 warning(s), 1 info, 2 silenced\n")


def test_json_lists_silenced_findings_with_their_reason(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("lint", "--catalog", "lintdefs_bad", *ROOT, "--format", "json")
    records = json.loads(result.out)
    contract = {"check", "severity", "file", "line", "object", "message"}
    assert all(set(r) == contract for r in records if "silenced" not in r)
    silenced = [r for r in records if "silenced" in r]
    assert [(r["check"], r["line"], r["object"], r["silenced"]) for r in silenced] == [
        ("naming/unbounded-label", 28, "gauge 'sessions'", "at most a dozen staff users log in"),
        ("alert/for", 43, "alert 'NoOrders'", "an order drought pages at once, by design"),
    ]
    assert all(set(r) == contract | {"silenced"} for r in silenced)
    github = run_cli("lint", "--catalog", "lintdefs_bad", *ROOT, "--format", "github").out
    assert len(github.splitlines()) == len(records) - len(silenced)  # annotations: active only


def test_the_corpora_prove_every_registered_check(run_cli: Callable[..., CliResult]) -> None:
    found = {row[0] for row in table(BAD) + table(BAD_DEFINITIONS)}
    # silenced findings count: the text report shows them
    found |= {"alert/for"}
    assert {c.id for c in all_checks() if c.id.startswith(FAMILIES) or c.by_model} <= found


def test_the_list_names_the_checks_the_model_enforces(run_cli: Callable[..., CliResult]) -> None:
    listed = {
        line.split()[0]: line.split(maxsplit=2)[1:]
        for line in run_cli("lint", "--list").out.splitlines()
    }
    assert listed["definition/severity"] == [
        "error",
        "alert severity outside critical, warning and info",
    ]
    assert listed["definition/alert-name"] == ["error", "alert name not in UpperCamelCase"]


def test_github_annotations(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli(
        "lint", "--catalog", "lintdefs", *ROOT, "--format", "github", str(LINT / "bad" / "rules")
    )
    assert result.code == 1
    lines = result.out.splitlines()
    assert len(lines) == len([r for r in table(BAD) if "/rules/" in r[1]])
    assert lines[0] == (
        f"::error file={LINT}/bad/rules/alerts.yml,line=6,title=catalog/unknown-metric::"
        "alert 'UnknownMetric': unknown metric 'http_request_total' "
        "(did you mean http_requests_total?)"
    )
    assert any(line.startswith("::warning file=") for line in lines)


def test_the_fixture_definitions_lint_clean(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("lint", "--catalog", "lintdefs", *ROOT, "--format", "json")
    assert result.code == 0
    assert {f["severity"] for f in json.loads(result.out)} == {"info"}  # unused metrics only
