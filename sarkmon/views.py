"""Read-only views of dashboards: what analysis and lint need, whatever the source.

A dashboard reaches analysis either from the definitions (the dashboard model provides
views of its dashboards) or from a hand-written Grafana JSON file (``sarkmon lint PATH``).
Both become these plain records, so every dashboard check and every panel query is
analyzed the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sarkmon.source import UNKNOWN, Location


@dataclass(frozen=True)
class TargetView:
    expr: str
    ref_id: str = ""
    datasource: str = ""  # uid or variable reference, e.g. "${datasource}"; "" when inherited
    datasource_type: str = "prometheus"  # prometheus | loki | tempo | ...
    legend: str = ""
    instant: bool = False
    location: Location = UNKNOWN
    owner: object = field(default=None, compare=False)


@dataclass(frozen=True)
class PanelView:
    key: str  # stable identity within the dashboard (the id's source)
    title: str
    type: str
    unit: str = ""
    datasource: str = ""
    targets: Sequence[TargetView] = ()
    description: str = ""
    location: Location = UNKNOWN
    owner: object = field(default=None, compare=False)
    repeat: str = ""  # the variable the panel is repeated for
    mappings: bool = False  # values are mapped to text (UP/DOWN), so no unit is shown


@dataclass(frozen=True)
class VariableView:
    name: str
    type: str  # query | datasource | custom | interval | constant | textbox | adhoc
    query: str = ""  # the PromQL of a query variable (label_values(...) included)
    datasource: str = ""
    options: Sequence[str] = ()  # custom/interval values; the first is the default
    location: Location = UNKNOWN
    owner: object = field(default=None, compare=False)


@dataclass(frozen=True)
class DashboardView:
    uid: str
    title: str
    panels: Sequence[PanelView] = ()
    variables: Sequence[VariableView] = ()
    annotations: Sequence[TargetView] = ()  # annotation queries
    location: Location = UNKNOWN
    owner: object = field(default=None, compare=False)

    def substitutions(self) -> Mapping[str, str]:
        """A value for each variable that keeps queries parseable (the default option)."""
        return {v.name: v.options[0] for v in self.variables if v.options}
