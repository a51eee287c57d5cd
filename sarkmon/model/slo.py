"""Service level objectives: an SLI over catalog metrics, an objective, and how to alert on it.

An SLO compiles (``sarkmon.slo_rules``) to recording rules of its error ratio over every window
its alerts need, the error budget left over its period, and one multiwindow, multi-burn-rate
alert per tier of its window table::

    from sarkmon.model.slo import SLO, Alerting, LatencySLI, RatioSLI

    SLO(
        "gateway-availability",
        service="gateway",
        objective=99.9,  # percent; read exactly (99.9, "99.9" and Decimal("99.9") are equal)
        window="30d",
        team="platform",
        sli=RatioSLI(errors=REQUESTS(status="error"), total=REQUESTS),
        alerting=Alerting(windows="sloth", disabled=("ticket-fast",)),
    )
    SLO(..., sli=LatencySLI(AUTHZ_LATENCY, threshold=0.1))  # 0.1 must be a bucket bound

A ratio SLI takes two of ``errors``, ``good`` and ``total`` (each a catalog counter or a
selector of one); the third follows. A latency SLI counts the requests slower than a bucket
bound of a catalog histogram as errors.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING

from sarkmon.diagnostics import report
from sarkmon.model.burn_rate import SLOTH, BurnRateTier, WindowTable, preset, preset_periods
from sarkmon.model.durations import DurationError, canonical
from sarkmon.model.metrics import Counter, Histogram, Matcher, Metric, Op, Sample, Selector, le_text
from sarkmon.model.names import ALERT_NAME_RE, slugify
from sarkmon.model.numbers import Number, NumberError, exact, percent_text
from sarkmon.model.rules import Runbook
from sarkmon.model.scrape import frozen_map
from sarkmon.source import Location, caller_location

if TYPE_CHECKING:
    from sarkmon.model.alert_tests import AlertTest

CounterRef = Counter | Selector
Events = CounterRef | Sequence[CounterRef]  # several are summed
ROLES = ("errors", "good", "total")


def _counter_selectors(given: object, role: str, where: Location) -> tuple[Selector, ...]:
    """Selectors of counter series (a role may sum several); non-counters are reported."""
    refs = given if isinstance(given, list | tuple) else (given,)
    out = []
    for ref in refs:
        if isinstance(ref, Counter):
            out.append(Selector(ref, ref.main_sample))
            continue
        if isinstance(ref, Selector) and ref.metric.samples().get(ref.sample) in (
            Sample.TOTAL,
            Sample.COUNT,
        ):
            out.append(ref)
            continue
        name = getattr(getattr(ref, "metric", ref), "name", repr(ref))
        report(
            "definition/slo-sli",
            f"SLI {role}",
            f"{name} is not a counter: an SLI counts events with rate()",
            where,
            "use a catalog Counter, a selector of one, or a histogram's .count",
        )
    return tuple(out)


@dataclass(frozen=True)
class RatioSLI:
    """Bad events over all events. Give two of errors, good and total; a list is summed."""

    errors: Events | None = None
    good: Events | None = None
    total: Events | None = None
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        given = [r for r in ROLES if getattr(self, r) not in (None, (), [])]
        if len(given) != 2:
            report(
                "definition/slo-sli",
                "ratio SLI",
                f"give exactly two of errors, good and total (got {', '.join(given) or 'none'})",
                self.location,
            )
        for role in ROLES:
            value = getattr(self, role)
            found = _counter_selectors(value, role, self.location) if role in given else ()
            object.__setattr__(self, role, found)

    @property
    def kind(self) -> str:
        return "ratio"

    def selectors(self) -> dict[str, tuple[Selector, ...]]:
        """The given roles (two of errors, good, total) and their selectors."""
        out: dict[str, tuple[Selector, ...]] = {}
        for role in ROLES:
            value = getattr(self, role)
            if value:
                out[role] = tuple(value)
        return out

    def describe(self) -> str:
        roles = {role: " + ".join(map(str, sels)) for role, sels in self.selectors().items()}
        if "errors" in roles and "total" in roles:
            return f"{roles['errors']} over {roles['total']}"
        if "good" in roles and "total" in roles:
            return f"{roles['total']} that are not {roles['good']}"
        if "good" in roles and "errors" in roles:
            return f"{roles['errors']} over themselves plus {roles['good']}"
        return "(invalid SLI)"


@dataclass(frozen=True)
class LatencySLI:
    """Events slower than ``threshold`` (a bucket bound of the histogram) are errors."""

    histogram: Histogram | Selector
    threshold: Number
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        metric = self.histogram.metric if isinstance(self.histogram, Selector) else self.histogram
        if not isinstance(metric, Histogram):
            report(
                "definition/slo-sli",
                "latency SLI",
                f"{getattr(metric, 'name', metric)!r} is not a histogram",
                self.location,
            )
            return
        try:
            bound = float(exact(self.threshold))
        except NumberError as err:
            report("definition/slo-sli", f"latency SLI on {metric.name}", str(err), self.location)
            return
        if math.isinf(bound) or bound not in metric.buckets:
            report(
                "definition/slo-threshold",
                f"latency SLI on {metric.name}",
                f"threshold {self.threshold} is not one of the histogram's bucket bounds",
                self.location,
                "bounds: " + ", ".join(metric.le_values()[:-1]),
            )

    @property
    def kind(self) -> str:
        return "latency"

    @property
    def metric(self) -> Histogram:
        metric = self.histogram.metric if isinstance(self.histogram, Selector) else self.histogram
        assert isinstance(metric, Histogram)
        return metric

    @property
    def matchers(self) -> tuple[Matcher, ...]:
        if isinstance(self.histogram, Selector):
            return tuple(m for m in self.histogram.matchers if m.label != "le")
        return ()

    @property
    def le(self) -> str:
        return le_text(float(exact(self.threshold)))

    @property
    def total(self) -> Selector:
        return Selector(self.metric, self.metric.name + "_count", self.matchers)

    @property
    def good(self) -> Selector:
        le = Matcher("le", Op.EQ, self.le)
        return Selector(self.metric, self.metric.name + "_bucket", (*self.matchers, le))

    def selectors(self) -> dict[str, tuple[Selector, ...]]:
        return {"good": (self.good,), "total": (self.total,)}

    def describe(self) -> str:
        unit = " seconds" if self.metric.unit == "seconds" else ""
        return f"{self.total} slower than {self.le}{unit}"


SLI = RatioSLI | LatencySLI


def _camel(slug: str) -> str:
    return "".join(part.capitalize() for part in slug.split("-"))


@dataclass(frozen=True)
class Alerting:
    """How an SLO alerts: a window table (a preset's name or a table) minus disabled tiers."""

    windows: str | WindowTable = SLOTH
    disabled: Sequence[str] = ()  # tier names, e.g. ("ticket-fast",)
    # Alert names are this prefix and the tier: GatewayAvailabilityBudgetBurnPageFast.
    name: str = ""  # default: the SLO's name in CamelCase + BudgetBurn
    labels: Mapping[str, str] = field(default_factory=dict)
    # Test cases for every tier, from the SLI's selectors (see sarkmon.slo.scenarios).
    generate_tests: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "disabled", tuple(self.disabled))
        object.__setattr__(self, "labels", frozen_map(self.labels))


@dataclass(frozen=True)
class SLO:
    name: str  # lower-case words joined by -; the ``slo`` label of every generated series
    service: str
    objective: Number  # percent of good events, 0 < objective < 100
    sli: SLI
    team: str
    window: str = "30d"
    description: str = ""
    alerting: Alerting = field(default_factory=Alerting)
    category: str = "slo"
    component: str = ""
    runbook: Runbook = field(default_factory=Runbook)  # impact and mitigation; diagnosis added
    dashboards: Sequence[str] = ()
    tests: Mapping[str, Sequence[AlertTest]] = field(default_factory=dict)  # tier -> more cases
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "dashboards", tuple(self.dashboards))
        tests = {k: tuple(v) for k, v in sorted(self.tests.items())}
        object.__setattr__(self, "tests", MappingProxyType(tests))
        obj = f"SLO {self.name!r}"
        named = isinstance(self.name, str) and slugify(self.name) == self.name
        if not named:
            report(
                "definition/slo-name",
                obj,
                "SLO names are lower-case words joined by -",
                self.location,
                "for example gateway-availability",
            )
        for what in ("service", "team"):
            if not getattr(self, what):
                report("definition/slo", obj, f"{what} is required", self.location)
        try:
            objective = exact(self.objective)
        except NumberError as err:
            report("definition/slo-objective", obj, str(err), self.location)
            objective = Fraction(99)
        if not 0 < objective < 100:
            report(
                "definition/slo-objective",
                obj,
                f"objective is a percentage between 0 and 100, got {self.objective!r}",
                self.location,
                "for example 99.9",
            )
            objective = Fraction(99)
        object.__setattr__(self, "objective", objective)
        try:
            object.__setattr__(self, "window", canonical(self.window))
        except DurationError as err:
            report("definition/duration", obj, f"window: {err}", self.location)
            object.__setattr__(self, "window", "30d")
        sli: object = self.sli  # definitions are untyped Python: check what was passed
        if not isinstance(sli, RatioSLI | LatencySLI):
            report(
                "definition/slo-sli",
                obj,
                f"sli must be a RatioSLI or a LatencySLI, got {type(sli).__name__}",
                self.location,
            )
        if (named or self.alerting.name) and not ALERT_NAME_RE.match(self.alert_prefix):
            report("definition/alert-name", obj, "alert names are UpperCamelCase", self.location)
        self._check_tiers()

    def _check_tiers(self) -> None:
        obj = f"SLO {self.name!r}"
        table = self.window_table
        windows = self.alerting.windows
        if table is None:
            periods = ", ".join(preset_periods(str(windows)))
            report(
                "definition/slo-windows",
                obj,
                f"no window table {windows!r} for a {self.window} window",
                self.location,
                f"{windows} has {periods}" if periods else "presets: sloth, sre-workbook",
            )
            return
        if table.period != self.window:
            report(
                "definition/slo-windows",
                obj,
                f"window table {table.name!r} is for {table.period}, the SLO's window is "
                f"{self.window}",
                self.location,
            )
        for tier in self.tiers:
            limit = tier.factor(self.window) * self.error_budget
            if limit >= 1:
                report(
                    "definition/slo-windows",
                    obj,
                    f"tier {tier.tier!r} can never fire: it needs an error ratio above "
                    f"{float(limit):g} ({float(tier.factor(self.window)):g} x the budget)",
                    self.location,
                    "disable the tier, or raise the objective",
                )
        for name in self.tests:
            if name not in self.tier_names:
                report(
                    "definition/slo-tests",
                    obj,
                    f"tests given for tier {name!r}, which does not alert",
                    self.location,
                    "its alerting tiers: " + ", ".join(self.tier_names),
                )
        for name in self.alerting.disabled:
            if table.tier(name) is None:
                report(
                    "definition/slo-windows",
                    obj,
                    f"disabled tier {name!r} is not in window table {table.name!r}",
                    self.location,
                    "its tiers: " + ", ".join(table.tier_names),
                )

    # -- derived values -------------------------------------------------------------------
    @property
    def objective_ratio(self) -> Fraction:
        assert isinstance(self.objective, Fraction)
        return self.objective / 100

    @property
    def error_budget(self) -> Fraction:
        """The share of events allowed to fail over the window (0.001 for 99.9%)."""
        return 1 - self.objective_ratio

    @property
    def objective_text(self) -> str:
        return percent_text(self.objective_ratio)

    @property
    def window_table(self) -> WindowTable | None:
        windows = self.alerting.windows
        if isinstance(windows, WindowTable):
            return windows
        return preset(windows, self.window)

    @property
    def tiers(self) -> tuple[BurnRateTier, ...]:
        """The tiers that alert: the window table's, minus the disabled ones."""
        table = self.window_table
        if table is None:
            return ()
        return tuple(t for t in table.tiers if t.tier not in self.alerting.disabled)

    @property
    def tier_names(self) -> tuple[str, ...]:
        return tuple(t.tier for t in self.tiers)

    @property
    def alert_prefix(self) -> str:
        return self.alerting.name or f"{_camel(str(self.name))}BudgetBurn"

    def alert_name(self, tier: BurnRateTier) -> str:
        """One alert name per tier, so each has its own runbook page and test cases."""
        return self.alert_prefix + _camel(tier.tier)

    @property
    def title(self) -> str:
        return str(self.name).replace("-", " ").capitalize()

    @property
    def metrics(self) -> tuple[Metric, ...]:
        sels = self.sli.selectors() if isinstance(self.sli, RatioSLI | LatencySLI) else {}
        return tuple(dict.fromkeys(s.metric for group in sels.values() for s in group))
