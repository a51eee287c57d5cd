"""Hand-written Grafana dashboard JSON, read into dashboard views.

Accepts a dashboard as Grafana exports it (plain, or wrapped as ``{"dashboard": {...}}`` by
the HTTP API), old schema versions included: panels inside ``rows``, ``graph`` and
``singlestat`` panels with their units in ``yaxes`` or ``format``, datasources given by name
or as ``$datasource``. Every panel, target and variable keeps the line it starts on.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sarkmon.artifacts.lines import Lined, line_of
from sarkmon.source import Location
from sarkmon.views import DashboardView, PanelView, TargetView, VariableView

_KNOWN_TYPES = ("prometheus", "loki", "tempo", "elasticsearch", "influxdb", "graphite")


def unwrap_dashboard(doc: Any) -> dict[str, Any] | None:
    """The dashboard of a JSON document (plain, or the HTTP API's ``{"dashboard": ...}``),
    or None when it holds none."""
    if isinstance(doc, dict) and isinstance(doc.get("dashboard"), dict):
        doc = doc["dashboard"]
    if isinstance(doc, dict) and ("panels" in doc or "rows" in doc):
        return doc
    return None


def dashboard_of(doc: Any) -> Lined | None:
    """The dashboard of a document read with line numbers (see :func:`unwrap_dashboard`)."""
    found = unwrap_dashboard(doc)
    return found if isinstance(found, Lined) else None


def _field(doc: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """A nested object, or an empty one when it is missing or not an object."""
    value = doc.get(key)
    return value if isinstance(value, Mapping) else {}


def _list(doc: Mapping[str, Any], key: str) -> list[Any]:
    value = doc.get(key)
    return value if isinstance(value, list) else []


def _items(doc: Mapping[str, Any], key: str) -> list[Any]:
    """The ``list`` of a templating or annotations object."""
    return _list(_field(doc, key), "list")


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _datasource(value: object) -> tuple[str, str]:
    """(reference, type) of a datasource field: a uid or name, a variable, or an object."""
    if isinstance(value, Mapping):
        uid, kind = _text(value.get("uid")), _text(value.get("type"))
        return uid, kind
    return _text(value), ""


class _Reader:
    def __init__(self, doc: Lined, path: str) -> None:
        self.doc = doc
        self.path = path
        self.raw_variables = [v for v in _items(doc, "templating") if isinstance(v, Lined)]
        # datasource variable name -> plugin type it selects ("prometheus", "loki")
        self.kinds = {
            _text(v.get("name")): _text(v.get("query")) or "prometheus"
            for v in self.raw_variables
            if v.get("type") == "datasource"
        }

    def where(self, obj: object) -> Location:
        return Location(self.path, line_of(obj) or line_of(self.doc))

    def kind_of(self, reference: str, kind: str, inherited: str) -> str:
        """The plugin type a datasource reference resolves to."""
        if kind:
            return kind
        if reference.startswith(("$", "[[")):
            name = reference.strip("${}[]").split(":")[0]
            return self.kinds.get(name, "prometheus")
        if not reference:
            return inherited or "prometheus"
        lowered = reference.lower()
        if lowered in ("-- grafana --", "grafana"):
            return "grafana"
        return next((k for k in _KNOWN_TYPES if k in lowered), "prometheus")

    def view(self) -> DashboardView:
        doc = self.doc
        return DashboardView(
            uid=_text(doc.get("uid")),
            title=_text(doc.get("title")) or self.path,
            panels=tuple(self.panel(p) for p in self.raw_panels()),
            variables=tuple(self.variable(v) for v in self.raw_variables),
            annotations=tuple(self.annotations()),
            location=self.where(doc),
        )

    def raw_panels(self) -> Iterator[Lined]:
        """Every panel: top level, inside collapsed rows, and inside old-style rows."""
        for panel in _list(self.doc, "panels"):
            if not isinstance(panel, Lined):
                continue
            if panel.get("type") == "row":
                yield from (p for p in _list(panel, "panels") if isinstance(p, Lined))
            else:
                yield panel
        for row in _list(self.doc, "rows"):
            if isinstance(row, Lined):
                yield from (p for p in _list(row, "panels") if isinstance(p, Lined))

    def panel(self, raw: Lined) -> PanelView:
        reference, kind = _datasource(raw.get("datasource"))
        panel_kind = self.kind_of(reference, kind, "")
        targets = []
        for target in _list(raw, "targets"):
            if not isinstance(target, Lined) or not _text(target.get("expr")).strip():
                continue
            own, own_kind = _datasource(target.get("datasource"))
            targets.append(
                TargetView(
                    expr=_text(target.get("expr")),
                    ref_id=_text(target.get("refId")),
                    datasource=own,
                    datasource_type=self.kind_of(own, own_kind, panel_kind),
                    legend=_text(target.get("legendFormat")),
                    instant=bool(target.get("instant")),
                    location=self.where(target),
                )
            )
        return PanelView(
            key=_text(raw.get("id")) or _text(raw.get("title")),
            title=_text(raw.get("title")),
            type=_text(raw.get("type")),
            unit=_unit(raw),
            datasource=reference,
            targets=tuple(targets),
            description=_text(raw.get("description")),
            location=self.where(raw),
            repeat=_text(raw.get("repeat")),
            mappings=_has_mappings(raw),
        )

    def variable(self, raw: Lined) -> VariableView:
        query = raw.get("query")
        if isinstance(query, Mapping):
            query = query.get("query")
        kind = _text(raw.get("type"))
        options = [_text(o.get("value")) for o in _list(raw, "options") if isinstance(o, Mapping)]
        if not options and kind in ("custom", "interval"):
            options = [o.strip() for o in _text(query).split(",") if o.strip()]
        current = raw.get("current")
        if isinstance(current, Mapping) and isinstance(current.get("value"), str):
            options = [current["value"], *[o for o in options if o != current["value"]]]
        return VariableView(
            name=_text(raw.get("name")),
            type=kind,
            query=_text(query),
            datasource=_datasource(raw.get("datasource"))[0],
            options=tuple(o for o in options if o),
            location=self.where(raw),
        )

    def annotations(self) -> Iterator[TargetView]:
        for raw in _items(self.doc, "annotations"):
            if not isinstance(raw, Lined) or not _text(raw.get("expr")).strip():
                continue
            reference, kind = _datasource(raw.get("datasource"))
            yield TargetView(
                expr=_text(raw.get("expr")),
                ref_id=_text(raw.get("name")),
                datasource=reference,
                datasource_type=self.kind_of(reference, kind, ""),
                location=self.where(raw),
            )


def _unit(raw: Mapping[str, Any]) -> str:
    """The panel's unit: field config (Grafana 7+), else the left y axis or singlestat format."""
    defaults = _field(_field(raw, "fieldConfig"), "defaults")
    if defaults.get("unit"):
        return _text(defaults["unit"])
    axes = raw.get("yaxes")
    if isinstance(axes, list) and axes and isinstance(axes[0], Mapping):
        return _text(axes[0].get("format"))
    return _text(raw.get("format"))


def _has_mappings(raw: Mapping[str, Any]) -> bool:
    """Whether values are shown as text: field mappings, or singlestat's value/range maps
    (other than the null -> N/A map every singlestat carries)."""
    defaults = _field(_field(raw, "fieldConfig"), "defaults")
    if defaults.get("mappings"):
        return True
    legacy = [*_list(raw, "valueMaps"), *_list(raw, "rangeMaps")]
    return any(
        isinstance(m, Mapping) and "null" not in (str(m.get("value")), str(m.get("from")))
        for m in legacy
    )


def read_dashboard(doc: Lined, path: str) -> DashboardView:
    return _Reader(doc, path).view()
