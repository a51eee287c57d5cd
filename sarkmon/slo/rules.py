"""SLOs as Prometheus rules: SLI recordings, error-budget series, burn-rate alerts.

Registered in ``pipeline.EXPANDERS``. For each SLO, a rule file ``slo-<name>.yml`` with two groups:

- ``slo-<name>``: the error and total event rates over 5m, the error ratio over every
  window an alert tier reads (``slo:sli_error:ratio_rate1h``...), each from the raw counters
  so every window is exact, then one alert per enabled tier, firing when the error ratio
  over both its long and its short window exceeds ``factor x budget`` (both written
  exactly). Alerts share the group of the ratios they read: rules of one group run in order
  at one timestamp, while groups run in no fixed order (in Prometheus and in promtool);
- ``slo-<name>-budget``: the objective, the budget, the error ratio over the SLO's period
  (traffic-weighted: the 5m event rates summed over the period, not an average of ratios)
  and the error budget remaining.

Every series carries ``slo`` (the SLO's name) and ``service``; alerts add ``tier``.
"""

from __future__ import annotations

from collections.abc import Sequence

from sarkmon.diagnostics import report
from sarkmon.model.alert_tests import AlertTest
from sarkmon.model.burn_rate import BurnRateTier
from sarkmon.model.durations import format_ms, parse_ms
from sarkmon.model.metrics import Selector
from sarkmon.model.numbers import decimal_text, percent_text, promql_number, terminates
from sarkmon.model.project import Project
from sarkmon.model.rules import AlertRule, RecordingRule, Rule, RuleFile, RuleGroup, Runbook
from sarkmon.model.slo import SLO, LatencySLI, RatioSLI
from sarkmon.slo.scenarios import Feed, slo_feeds, tier_cases

SHORTEST = "5m"  # the event-rate window every SLO records, whatever its tiers
# How often SLO rules run: cheap for period-long sums, far below the shortest window, and the
# whole minutes the generated test cases are simulated in.
INTERVAL = "1m"

ERROR_EVENTS = "slo:sli_error_events:rate5m"
TOTAL_EVENTS = "slo:sli_total_events:rate5m"
OBJECTIVE = "slo:objective:ratio"
ERROR_BUDGET = "slo:error_budget:ratio"
BUDGET_REMAINING = "slo:error_budget_remaining:ratio"

# Multiwindow burn-rate alerts need no pending period: the short window already confirms
# that the burn is still going on, and a `for` would only delay the page.
NO_FOR_REASON = "the short window confirms the burn; a pending period would only delay it"


def error_ratio_name(window: str) -> str:
    """The recorded error ratio over a window: ``slo:sli_error:ratio_rate1h``."""
    return f"slo:sli_error:ratio_rate{format_ms(parse_ms(window))}"


def slo_labels(slo: SLO) -> dict[str, str]:
    return {"service": slo.service, "slo": slo.name}


def series(name: str, slo: SLO) -> str:
    """A selector of one of the SLO's recorded series."""
    return f'{name}{{slo="{slo.name}"}}'


def ratio_windows(slo: SLO) -> tuple[str, ...]:
    """Every window an alert tier reads, and 5m and 1h always (the dashboard's), shortest first."""
    windows = {SHORTEST, "1h"} | {w for t in slo.tiers for w in (t.short, t.long)}
    return tuple(sorted(windows, key=parse_ms))


# -- SLI expressions --------------------------------------------------------------------
def _rate(selector: Selector, window: str) -> str:
    return f"sum(rate({selector}[{window}]))"


def _or_zero(expr: str) -> str:
    """Events that never happened have no series yet: count them as zero, not as unknown."""
    return f"({expr} or vector(0))"


def _events(selectors: Sequence[Selector], window: str, zero_if_absent: bool) -> str:
    """The summed event rate of several counters; each term defaults to 0 when summed."""
    terms = [_rate(s, window) for s in selectors]
    if zero_if_absent or len(terms) > 1:
        terms = [_or_zero(t) for t in terms]
    return " + ".join(terms)


def event_rates(slo: SLO, window: str) -> tuple[str, str]:
    """PromQL for the (error, total) event rates of the SLI over ``window``."""
    sli = slo.sli
    roles = sli.selectors() if isinstance(sli, RatioSLI | LatencySLI) else {}
    errors, good, total = roles.get("errors"), roles.get("good"), roles.get("total")
    if errors and total:
        return _events(errors, window, True), _events(total, window, False)
    if good and total:
        total_rate = _events(total, window, False)
        # A histogram's buckets and count appear together: no absent good events to default.
        good_rate = _events(good, window, not isinstance(sli, LatencySLI))
        return f"{total_rate} - {good_rate if len(good) == 1 else f'({good_rate})'}", total_rate
    if good and errors:
        error_rate = _events(errors, window, True)
        return error_rate, f"{_events(good, window, True)} + {error_rate}"
    return "vector(0)", "vector(0)"  # an invalid SLI, already reported


def _operand(expr: str) -> str:
    """Parenthesized when it holds a top-level + or - (it is then a division operand)."""
    depth = 0
    for i, char in enumerate(expr):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and char in "+-" and expr[i - 1 : i + 2] in (" + ", " - "):
            return f"(\n  {expr}\n)"
    return expr


def error_ratio_expr(slo: SLO, window: str) -> str:
    errors, total = event_rates(slo, window)
    return f"{_operand(errors)}\n/\n{_operand(total)}"


# -- rules ------------------------------------------------------------------------------
def _recording(name: str, expr: str, slo: SLO, help: str) -> RecordingRule:
    return RecordingRule(
        name, expr, labels=slo_labels(slo), help=help, unit="ratio", location=slo.location
    )


def sli_rules(slo: SLO) -> list[RecordingRule]:
    errors, total = event_rates(slo, SHORTEST)
    rules = [
        _recording(ERROR_EVENTS, errors, slo, "SLI error events per second over 5m"),
        _recording(TOTAL_EVENTS, total, slo, "SLI events per second over 5m"),
        _recording(
            error_ratio_name(SHORTEST),
            f"{series(ERROR_EVENTS, slo)}\n/\n{series(TOTAL_EVENTS, slo)}",
            slo,
            "SLI error ratio over 5m",
        ),
    ]
    for window in ratio_windows(slo):
        if window != SHORTEST:
            rules.append(
                _recording(
                    error_ratio_name(window),
                    error_ratio_expr(slo, window),
                    slo,
                    f"SLI error ratio over {window}",
                )
            )
    return rules


def budget_group(slo: SLO) -> RuleGroup:
    period = slo.window
    budget = decimal_text(slo.error_budget)
    rules = [
        _recording(OBJECTIVE, f"vector({decimal_text(slo.objective_ratio)})", slo, "SLO objective"),
        _recording(ERROR_BUDGET, f"vector({budget})", slo, "Share of events allowed to fail"),
        _recording(
            error_ratio_name(period),
            f"sum_over_time({series(ERROR_EVENTS, slo)}[{period}])\n"
            f"/\nsum_over_time({series(TOTAL_EVENTS, slo)}[{period}])",
            slo,
            f"SLI error ratio over the SLO period ({period}), weighted by traffic",
        ),
        _recording(
            BUDGET_REMAINING,
            # Read the recorded budget (same labels, evaluated just before in this group)
            # so the budget has one definition that dashboards and people can query.
            f"1 - {series(error_ratio_name(period), slo)} / {series(ERROR_BUDGET, slo)}",
            slo,
            "Share of the period's error budget left (negative once overspent)",
        ),
    ]
    return RuleGroup(f"slo-{slo.name}-budget", rules, interval=INTERVAL, location=slo.location)


def threshold(slo: SLO, tier: BurnRateTier) -> str:
    """``(14.4 * 0.001)``: the tier's factor times the error budget, both exact."""
    return f"({promql_number(tier.factor(slo.window))} * {decimal_text(slo.error_budget)})"


def description(slo: SLO, tier: BurnRateTier, value: str) -> str:
    """The alert's description, ``value`` being the long window's error ratio as shown."""
    factor = tier.factor(slo.window)
    rate = decimal_text(factor) if terminates(factor) else f"{float(factor):.3g}"
    about = f" ({slo.description.rstrip('.')})" if slo.description else ""
    return (
        f"{value} of {slo.service} events failed the SLI over the last {tier.long}, and they "
        f"still fail over the last {tier.short}. Objective: {slo.objective_text} over "
        f"{slo.window}{about}. Burning over {rate}x the sustainable rate spends "
        f"{percent_text(tier.budget)} of the {slo.window} error budget every {tier.long}."
    )


def burn_alert(slo: SLO, tier: BurnRateTier, feeds: Sequence[Feed] | None = None) -> AlertRule:
    """The tier's alert; with ``feeds`` (the SLI's input series), its generated test cases."""
    limit = threshold(slo, tier)
    expr = (
        f"{series(error_ratio_name(tier.long), slo)} > {limit}\n"
        f"and\n"
        f"{series(error_ratio_name(tier.short), slo)} > {limit}"
    )
    factor = tier.factor(slo.window)
    rate = decimal_text(factor) if terminates(factor) else f"{float(factor):.3g}"
    tests: list[AlertTest] = []
    if feeds is not None:
        tests.extend(tier_cases(slo, tier, feeds, lambda v: description(slo, tier, v)))
    tests.extend(slo.tests.get(tier.tier, ()))
    return AlertRule(
        slo.alert_name(tier),
        expr,
        summary=f"{slo.title} SLO: error budget burning at over {rate}x the sustainable rate "
        f"({tier.tier})",
        description=description(slo, tier, "{{ $value | humanizePercentage }}"),
        severity=tier.severity,
        team=slo.team,
        category=slo.category,
        component=slo.component,
        for_=tier.for_,
        labels={**slo.alerting.labels, **slo_labels(slo), "tier": tier.tier},
        runbook=_runbook(slo),
        dashboards=slo.dashboards,
        tests=tests,
        silence={} if tier.for_ else {"alert/for": NO_FOR_REASON},
        location=slo.location,
    )


def _runbook(slo: SLO) -> Runbook:
    given = slo.runbook
    sli = slo.sli
    raw = sli.selectors() if isinstance(sli, RatioSLI | LatencySLI) else {}
    diagnosis = (
        *given.diagnosis,
        series(error_ratio_name(SHORTEST), slo),
        series(BUDGET_REMAINING, slo),
        *(_breakdown(sel) for group in raw.values() for sel in group),
    )
    impact = given.impact or (
        f"{slo.service} is failing its {slo.objective_text} objective ({_describe(slo)}); "
        "users see errors or slow responses while the budget burns."
    )
    mitigation = given.mitigation or (
        "Find the failing component from the breakdowns above; roll back a recent change.",
        "Once stable, review how much budget is left before resuming risky changes.",
    )
    return Runbook(impact, diagnosis, mitigation, given.url)


def _breakdown(selector: Selector) -> str:
    labels = [
        label.name
        for label in selector.metric.label_specs
        if not label.unbounded and label.name not in {m.label for m in selector.matchers}
    ]
    by = f" by ({', '.join(labels)})" if labels else ""
    return f"sum{by} (rate({selector}[5m]))"


def _describe(slo: SLO) -> str:
    sli = slo.sli
    return sli.describe() if isinstance(sli, RatioSLI | LatencySLI) else "invalid SLI"


def burn_alerts(slo: SLO) -> list[AlertRule]:
    feeds = slo_feeds(slo) if slo.alerting.generate_tests else None
    return [burn_alert(slo, tier, feeds) for tier in slo.tiers]


def slo_groups(slo: SLO) -> list[RuleGroup]:
    """The SLI recordings with the alerts that read them (one group, so the alerts always see
    this evaluation's ratios: groups run in no fixed order), then the budget group."""
    rules: list[Rule] = [*sli_rules(slo), *burn_alerts(slo)]
    sli = RuleGroup(f"slo-{slo.name}", rules, interval=INTERVAL, location=slo.location)
    return [sli, budget_group(slo)]


def check_unique(slos: Sequence[SLO]) -> None:
    """SLO names and alert names are unique (the ``slo`` label tells their series apart)."""
    names: dict[str, SLO] = {}
    alerts: dict[str, SLO] = {}
    for slo in slos:
        first = names.setdefault(slo.name, slo)
        if first is not slo:
            what, key = "name", slo.name
        else:
            first = alerts.setdefault(slo.alert_prefix, slo)
            what, key = "alert name prefix", slo.alert_prefix
        if first is not slo:
            report(
                "definition/duplicate",
                f"SLO {slo.name!r}",
                f"SLO {what} {key!r} used twice (first at {first.location})",
                slo.location,
            )


def expand_slos(project: Project) -> list[RuleFile]:
    """One rule file per SLO (``slo-<name>``), so each SLO's tests load only its own rules."""
    slos: list[SLO] = []
    given: tuple[object, ...] = tuple(project.slos)  # untyped definitions: check what came
    for slo in given:
        if isinstance(slo, SLO):
            slos.append(slo)
        else:
            report(
                "definition/slo",
                f"SLOS item {slo!r}",
                f"expected an SLO, got {type(slo).__name__}",
                project.location,
            )
    check_unique(slos)
    taken = {f.name: f for f in project.rule_files}
    for slo in slos:
        if f"slo-{slo.name}" in taken:
            report(
                "definition/duplicate",
                f"SLO {slo.name!r}",
                f"its rule file slo-{slo.name} is also defined at "
                f"{taken[f'slo-{slo.name}'].location}",
                slo.location,
                "rename the SLO or the rule file",
            )
    return [
        RuleFile(
            f"slo-{slo.name}",
            slo_groups(slo),
            description=f"SLO {slo.name}: {slo.objective_text} over {slo.window}. "
            f"SLI recordings, error budget and burn-rate alerts.",
            location=slo.location,
        )
        for slo in slos
    ]
