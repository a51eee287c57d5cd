"""Burn-rate window tables: which (long, short) window pairs alert, and at which burn rate.

A tier fires when the error ratio over both its long and its short window exceeds
``factor x error budget``. The factor is the burn rate that spends the tier's share of the
period's budget within its long window: ``budget_percent / 100 x period / long window``
(2% of a 30-day budget in 1h is 14.4). Factors are exact fractions.

The presets (the SRE workbook's three tiers, Sloth's four, for 28 and 30 days) are data in
``burn_rate_windows.json``; a definition may also pass its own :class:`WindowTable`.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from sarkmon.diagnostics import report
from sarkmon.model.durations import DurationError, canonical, parse_ms
from sarkmon.model.names import slugify
from sarkmon.model.numbers import Number, NumberError, exact
from sarkmon.model.rules import AlertSeverity
from sarkmon.source import Location, caller_location

PRESETS_FILE = Path(__file__).with_name("burn_rate_windows.json")
SLOTH = "sloth"
SRE_WORKBOOK = "sre-workbook"


@dataclass(frozen=True)
class BurnRateTier:
    """One alerting tier; ``tier`` becomes the alert's ``tier`` label (used by inhibitions)."""

    tier: str
    long: str
    short: str
    budget_percent: Number  # share of the period's error budget spent within ``long``
    severity: AlertSeverity | str = AlertSeverity.CRITICAL
    for_: str = ""
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        obj = f"burn-rate tier {self.tier!r}"
        if not isinstance(self.tier, str) or slugify(self.tier) != self.tier:
            report(
                "definition/slo-tier",
                obj,
                "tier names are lower-case words joined by -",
                self.location,
                "for example page-fast",
            )
        try:
            budget = exact(self.budget_percent)
        except NumberError as err:
            report("definition/slo-tier", obj, str(err), self.location)
            budget = Fraction(0)
        if not 0 < budget <= 100:
            report(
                "definition/slo-tier",
                obj,
                f"budget_percent must be in (0, 100], got {self.budget_percent!r}",
                self.location,
            )
        object.__setattr__(self, "budget_percent", budget)
        try:
            object.__setattr__(self, "severity", AlertSeverity(self.severity))
        except ValueError:
            report("definition/severity", obj, f"unknown severity {self.severity!r}", self.location)
        for what in ("long", "short", "for_"):
            value = getattr(self, what)
            if what == "for_" and not value:
                continue
            try:
                object.__setattr__(self, what, canonical(value))
            except DurationError as err:
                report("definition/duration", obj, f"{what.rstrip('_')}: {err}", self.location)
                object.__setattr__(self, what, "1h" if what == "long" else "5m")
        if parse_ms(self.short) >= parse_ms(self.long):
            report(
                "definition/slo-tier",
                obj,
                f"the short window ({self.short}) must be shorter than the long one ({self.long})",
                self.location,
            )

    @property
    def budget(self) -> Fraction:
        """The share of the error budget this tier spends within its long window (0..1)."""
        assert isinstance(self.budget_percent, Fraction)
        return self.budget_percent / 100

    def factor(self, period: str) -> Fraction:
        """The burn rate this tier alerts above, for an SLO over ``period``."""
        return self.budget * Fraction(parse_ms(period), parse_ms(self.long))


@dataclass(frozen=True)
class WindowTable:
    """The tiers an SLO over ``period`` alerts with."""

    name: str
    period: str
    tiers: Sequence[BurnRateTier]
    description: str = ""
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tiers", tuple(self.tiers))
        obj = f"window table {self.name!r}"
        try:
            object.__setattr__(self, "period", canonical(self.period))
        except DurationError as err:
            report("definition/duration", obj, f"period: {err}", self.location)
            object.__setattr__(self, "period", "30d")
        seen: set[str] = set()
        for tier in self.tiers:
            if tier.tier in seen:
                report(
                    "definition/duplicate", obj, f"tier {tier.tier!r} listed twice", self.location
                )
            seen.add(tier.tier)
            if parse_ms(tier.long) > parse_ms(self.period):
                report(
                    "definition/slo-tier",
                    obj,
                    f"tier {tier.tier!r}: its long window {tier.long} exceeds the period",
                    self.location,
                )
        if not self.tiers:
            report("definition/empty", obj, "a window table needs at least one tier", self.location)

    def tier(self, name: str) -> BurnRateTier | None:
        return next((t for t in self.tiers if t.tier == name), None)

    @property
    def tier_names(self) -> tuple[str, ...]:
        return tuple(t.tier for t in self.tiers)


@functools.cache
def _presets() -> dict[str, dict[str, WindowTable]]:
    data = json.loads(PRESETS_FILE.read_text(encoding="utf-8"))
    where = Location(f"sarkmon/model/{PRESETS_FILE.name}", 0)
    out: dict[str, dict[str, WindowTable]] = {}
    for name, preset in data.items():
        out[name] = {
            period: WindowTable(
                name,
                period,
                [
                    BurnRateTier(
                        t["tier"],
                        t["long"],
                        t["short"],
                        t["budget_percent"],
                        t["severity"],
                        t.get("for", ""),
                        location=where,
                    )
                    for t in tiers
                ],
                preset["description"],
                location=where,
            )
            for period, tiers in preset["periods"].items()
        }
    return out


def preset_names() -> tuple[str, ...]:
    return tuple(sorted(_presets()))


def preset(name: str, period: str) -> WindowTable | None:
    """The preset ``name`` for an SLO over ``period`` (``30d``), or None when not shipped."""
    try:
        period = canonical(period)
    except DurationError:
        return None
    return _presets().get(name, {}).get(period)


def preset_periods(name: str) -> tuple[str, ...]:
    return tuple(sorted(_presets().get(name, {}), key=parse_ms))
