"""The SLO dashboard, generated from the SLO definitions: one row per SLO.

Each row shows where the SLO stands (the SLI over its period against the objective, the
error budget left, the burn rate now, its alerts firing) and how it got there (the SLI, the
budget and the burn rate over each alerting window through time, with the tiers' factors
drawn as thresholds). Every query reads the SLO's recorded series (``sarkmon.slo.rules``),
so the dashboard costs Prometheus nothing extra. Add it to the project's dashboards::

    DASHBOARDS = [..., slo_dashboard(SLOS, uid="sark-slos", title="SARK SLOs")]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction

from sarkmon.model.dashboards import (
    Dashboard,
    Legend,
    Panel,
    Query,
    Row,
    Stat,
    Thresholds,
    TimeSeries,
)
from sarkmon.model.dashboards.fields import AnyLink
from sarkmon.model.durations import parse_ms
from sarkmon.model.metrics import Metric, no_data_note
from sarkmon.model.numbers import decimal_text, terminates
from sarkmon.model.slo import SLO
from sarkmon.slo.rules import (
    BUDGET_REMAINING,
    OBJECTIVE,
    error_ratio_name,
    series,
)
from sarkmon.source import caller_location

# Grafana's custom-suffix unit: a burn rate is a multiple of the sustainable rate ("2.5x").
BURN_RATE_UNIT = "suffix:x"


def _number(value: Fraction) -> str:
    return decimal_text(value) if terminates(value) else f"{float(value):.3g}"


def _query(slo: SLO, expr: str, legend: str = "") -> Query:
    return Query(expr, legend=legend, location=slo.location)


def _burn_windows(slo: SLO) -> list[tuple[str, list[str]]]:
    """The long windows of the SLO's tiers, shortest first, with the tiers reading each."""
    windows: dict[str, list[str]] = {}
    for tier in slo.tiers:
        windows.setdefault(tier.long, []).append(tier.tier)
    return sorted(windows.items(), key=lambda item: parse_ms(item[0]))


def _factor_thresholds(slo: SLO) -> Thresholds:
    """Burn-rate colors: green below 1, then a step at each tier's factor."""
    factors = sorted({t.factor(slo.window) for t in slo.tiers} | {Fraction(1)})
    colors = ["yellow", "orange", "red", "dark-red"]
    steps = [(float(f), colors[min(i, len(colors) - 1)]) for i, f in enumerate(factors)]
    return Thresholds("green", steps, location=slo.location)


def _alerts_panel(slo: SLO, alerts: Metric) -> Stat:
    firing = alerts(alertstate="firing", slo=slo.name)
    return Stat(
        "Burn-rate alerts firing",
        key=f"{slo.name}-alerts",
        description=f"Alerts of this SLO firing now ({slo.alert_prefix}...).",
        unit="short",
        decimals=0,
        thresholds=Thresholds("green", ((1, "red"),), location=slo.location),
        queries=(_query(slo, f"count({firing}) or vector(0)", "firing"),),
        location=slo.location,
    )


def slo_row(slo: SLO, alerts: Metric | None = None) -> Row:
    """The SLO's panels; with ``alerts`` (the catalog's ALERTS), a count of its firing ones."""
    budget = decimal_text(slo.error_budget)
    objective = float(slo.objective_ratio)
    period = error_ratio_name(slo.window)
    sli_period = f"1 - {series(period, slo)}"
    burn_1h = f"{series(error_ratio_name('1h'), slo)} / {budget}"
    tiers = ", ".join(f"{t.tier} above {_number(t.factor(slo.window))}x" for t in slo.tiers)
    key = slo.name
    panels: tuple[Panel, ...] = (
        Stat(
            f"SLI over {slo.window}",
            key=f"{key}-sli-period",
            description=f"{slo.description} Objective: {slo.objective_text} over "
            f"{slo.window}; red below it.",
            unit="percentunit",
            decimals=3,
            thresholds=Thresholds("red", ((objective, "green"),), location=slo.location),
            queries=(_query(slo, sli_period, "SLI"),),
            location=slo.location,
        ),
        Stat(
            "Error budget left",
            key=f"{key}-budget-left",
            description=f"Share of the {slo.window} error budget ({_number(slo.error_budget)} "
            "of events) not yet spent; negative once overspent.",
            unit="percentunit",
            decimals=1,
            thresholds=Thresholds("red", ((0, "orange"), (0.25, "green")), location=slo.location),
            queries=(_query(slo, series(BUDGET_REMAINING, slo), "budget left"),),
            location=slo.location,
        ),
        Stat(
            "Burn rate (1h)",
            key=f"{key}-burn-now",
            description="How fast the budget burns over the last hour: 1 spends exactly the "
            f"budget over {slo.window}. Alerts: {tiers or 'none'}.",
            unit=BURN_RATE_UNIT,
            decimals=2,
            thresholds=_factor_thresholds(slo),
            queries=(_query(slo, burn_1h, "burn rate"),),
            location=slo.location,
        ),
        *((_alerts_panel(slo, alerts),) if alerts is not None else ()),
        TimeSeries(
            "SLI",
            key=f"{key}-sli",
            description=f"Share of good events over the last 5m and 1h, against the objective "
            f"({slo.objective_text}).",
            unit="percentunit",
            queries=(
                _query(slo, f"1 - {series(error_ratio_name('5m'), slo)}", "SLI (5m)"),
                _query(slo, f"1 - {series(error_ratio_name('1h'), slo)}", "SLI (1h)"),
                _query(slo, series(OBJECTIVE, slo), "objective"),
            ),
            location=slo.location,
        ),
        TimeSeries(
            "Error budget left",
            key=f"{key}-budget-history",
            description=f"The {slo.window} error budget left through time.",
            unit="percentunit",
            queries=(_query(slo, series(BUDGET_REMAINING, slo), "budget left"),),
            location=slo.location,
        ),
        TimeSeries(
            "Burn rate by alert window",
            key=f"{key}-burn-rates",
            description="The burn rate over each long window the alerts read; a tier fires "
            f"when its long and short windows both pass its factor ({tiers or 'no tiers'}).",
            unit=BURN_RATE_UNIT,
            width=24,
            thresholds=_factor_thresholds(slo),
            show_thresholds="dashed",
            legend=Legend("table", "right", calcs=("lastNotNull", "max")),
            queries=tuple(
                _query(
                    slo,
                    f"{series(error_ratio_name(window), slo)} / {budget}",
                    f"{window} ({', '.join(names)})",
                )
                for window, names in _burn_windows(slo)
            ),
            location=slo.location,
        ),
    )
    title = f"{slo.title}: {slo.objective_text} over {slo.window} ({slo.service})"
    return Row(title, _say_when_no_data(slo, panels), key=f"row-{key}", location=slo.location)


def _say_when_no_data(slo: SLO, panels: tuple[Panel, ...]) -> tuple[Panel, ...]:
    """Panels on the SLI's recordings name the SLI metrics that have no data yet, if any.

    The alerts panel is left as is: it counts firing alerts, which reads 0, not "no data".
    """
    metrics = [s.metric for selectors in slo.sli.selectors().values() for s in selectors]
    note = no_data_note(metrics)
    if not note:
        return panels
    return tuple(
        p if p.key == f"{slo.name}-alerts" else replace(p, description=f"{p.description} {note}")
        for p in panels
    )


def slo_dashboard(
    slos: Sequence[SLO],
    *,
    uid: str = "slos",
    title: str = "Service level objectives",
    tags: Sequence[str] = ("slo",),
    links: Sequence[AnyLink] = (),
    alerts: Metric | None = None,
) -> Dashboard:
    """One row per SLO, located at the first SLO's definition.

    ``alerts`` is the catalog's ``ALERTS`` metric, when it declares one: each row then counts
    the SLO's burn-rate alerts firing.
    """
    return Dashboard(
        uid,
        title,
        description="Generated from the SLO definitions: objectives, SLIs, error budgets "
        "and burn rates.",
        tags=tuple(tags),
        rows=tuple(slo_row(slo, alerts) for slo in slos),
        links=tuple(links),
        time_from="now-7d",
        refresh="1m",
        location=slos[0].location if slos else caller_location(),
    )
