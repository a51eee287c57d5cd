"""Template variables: the dropdowns at the top of a dashboard, and the values queries use.

Every dashboard gets a ``datasource`` variable (and ``loki`` when it has log panels) without
asking. Query variables are built from a catalog metric and one of its labels, so a renamed
label is a definition error instead of an empty dropdown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field
from typing import ClassVar

from sarkmon.diagnostics import report
from sarkmon.model.durations import DurationError, parse_ms
from sarkmon.model.metrics import TARGET_LABELS, Metric, Op, Selector
from sarkmon.model.names import is_label_name
from sarkmon.model.scrape import frozen_map
from sarkmon.source import Location, caller_location

# Names the compiler gives the datasource variables: definitions cannot reuse them.
DATASOURCE_VARIABLE = "datasource"
LOGS_DATASOURCE_VARIABLE = "loki"
RESERVED = (DATASOURCE_VARIABLE, LOGS_DATASOURCE_VARIABLE)


@dataclass(frozen=True)
class Variable:
    type: ClassVar[str] = ""

    name: str
    _: KW_ONLY
    title: str = ""  # the dropdown's label; "" -> the name
    description: str = ""
    hide: bool = False
    silence: Mapping[str, str] = field(default_factory=dict)
    location: Location = field(default_factory=caller_location, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "silence", frozen_map(self.silence))
        if not is_label_name(self.name) or self.name in RESERVED:
            report(
                "definition/variable-name",
                self.obj,
                "variable names are identifiers; datasource and loki are reserved",
                self.location,
            )

    @property
    def obj(self) -> str:
        return f"variable {self.name!r}"

    @property
    def ref(self) -> str:
        """How a query reads the variable: ``$name``."""
        return f"${self.name}"

    @property
    def match(self) -> tuple[Op, str]:
        """A regex matcher on the variable's value(s): ``metric(label=var.match)``."""
        return (Op.RE, f"${self.name}")

    @property
    def query(self) -> str:
        return ""

    @property
    def options(self) -> tuple[str, ...]:
        """The values known before Grafana runs anything; the first is the default."""
        return ()


@dataclass(frozen=True, kw_only=True)
class QueryVariable(Variable):
    """``label_values(metric{matchers}, label)``, refreshed when the time range changes."""

    type = "query"
    metric: Metric | Selector
    label: str
    multi: bool = True
    include_all: bool = True
    all_value: str = ".*"  # so that ``label=~"$var"`` matches every value, absent ones aside
    regex: str = ""
    sort: int = 1  # 1: alphabetical; 3: numerical; 0: as returned

    def __post_init__(self) -> None:
        super().__post_init__()
        metric = self.metric.metric if isinstance(self.metric, Selector) else self.metric
        known = (
            self.label in metric.label_names
            or metric.open_labels
            or (metric.scraped and self.label in TARGET_LABELS)
        )
        if not known:
            report(
                "definition/unknown-label",
                self.obj,
                f"label {self.label!r} is not declared for {metric.main_sample}",
                self.location,
                "its labels: " + (", ".join(metric.label_names) or "none"),
            )

    @property
    def query(self) -> str:
        return f"label_values({self.metric}, {self.label})"

    @property
    def options(self) -> tuple[str, ...]:
        metric = self.metric.metric if isinstance(self.metric, Selector) else self.metric
        spec = metric.label(self.label)
        values = tuple(spec.values) if spec is not None and spec.values is not None else ()
        return (".*", *values) if values and self.include_all else values


@dataclass(frozen=True, kw_only=True)
class _ListVariable(Variable):
    """A variable whose values are listed in the definition."""

    values: Sequence[str]
    default: str = ""  # "" -> the first value

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", tuple(self.values))
        super().__post_init__()
        if not self.values or any("," in v for v in self.values):
            report(
                "definition/variable",
                self.obj,
                "a listed variable needs values, none containing a comma",
                self.location,
            )
        if self.default and self.default not in self.values:
            report(
                "definition/variable",
                self.obj,
                f"default {self.default!r} is not one of its values",
                self.location,
            )

    @property
    def query(self) -> str:
        return ",".join(self.values)

    @property
    def options(self) -> tuple[str, ...]:
        """The values, the default first (what a view of it expects); Grafana gets them in
        the order given, with the default marked."""
        first = self.default or (self.values[0] if self.values else "")
        return (first, *(v for v in self.values if v != first)) if first else ()


@dataclass(frozen=True, kw_only=True)
class CustomVariable(_ListVariable):
    """A fixed list of values, e.g. severities."""

    type = "custom"
    multi: bool = False
    include_all: bool = False
    all_value: str = ""


@dataclass(frozen=True, kw_only=True)
class IntervalVariable(_ListVariable):
    """A step or range chosen by the viewer, e.g. ``rate(x[$window])``."""

    type = "interval"
    values: Sequence[str] = ("1m", "5m", "15m", "1h")

    def __post_init__(self) -> None:
        super().__post_init__()
        for value in self.values:
            try:
                parse_ms(value)
            except DurationError as err:
                report("definition/duration", self.obj, str(err), self.location)


@dataclass(frozen=True, kw_only=True)
class ConstantVariable(Variable):
    """A hidden value shared by queries (a job name, a threshold)."""

    type = "constant"
    value: str

    @property
    def query(self) -> str:
        return self.value

    @property
    def options(self) -> tuple[str, ...]:
        return (self.value,)


AnyVariable = QueryVariable | CustomVariable | IntervalVariable | ConstantVariable
