"""A Grafana dashboard (any schema version) as a definitions module.

The module reads as hand-written ones do: one constant per template variable, one
``Row`` per row, then ``dashboard = Dashboard(...)``. Panels are taken in reading order
(top to bottom, left to right), which is the order sarkmon's layout places them in.
"""

from __future__ import annotations

import copy
import functools
import keyword
import re
from dataclasses import dataclass, field
from typing import Any

from sarkmon.compile.grafana_layout import Flow
from sarkmon.importer.metrics import CatalogRefs, MetricName, Scope
from sarkmon.importer.panels import DASHBOARDS, PanelContext, kwargs_node, panel_call
from sarkmon.importer.pysource import Call, Code, Imports, Node, Seq, comment_lines, lines, py
from sarkmon.model.dashboards.dashboard import UID_RE
from sarkmon.model.dashboards.panels import GRID_COLUMNS
from sarkmon.model.durations import DurationError, parse_ms
from sarkmon.model.names import slugify
from sarkmon.review.legacy import modernize

Json = dict[str, Any]
_TIME_RE = re.compile(r"^now(?:[-+]\d+[smhdwMy])?(?:/[smhdwMy])?$")
_LABEL_VALUES = re.compile(
    r"^\s*label_values\(\s*(?P<expr>.+?)\s*,\s*(?P<label>\w+)\s*\)\s*$", re.S
)
RESERVED = frozenset({"datasource", "loki"})


def _dict(value: Any) -> Json:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def identifier(text: str, taken: set[str], upper: bool = False) -> str:
    """A Python name for a title or variable, unique in the module."""
    name = re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower() or "item"
    if name[0].isdigit():
        name = "n_" + name
    if upper:
        name = name.upper()
    elif keyword.iskeyword(name) or name in ("dashboard", "re", "ne", "not_re"):
        name += "_row"
    candidate, n = name, 2
    while candidate in taken:
        candidate, n = f"{name}_{n}", n + 1
    taken.add(candidate)
    return candidate


@dataclass
class ModuleParts:
    """A translated module before its notes are known: imports and statements."""

    doc: str
    imports: Imports
    body: list[str]
    notes: list[str] = field(default_factory=list)


def uid_for(text: str) -> str:
    """A valid uid from any text: a slug of at most 40 characters."""
    return slugify(text)[:40].strip("-") or "dashboard"


def _reading_order(panel: Any) -> tuple[int, int]:
    grid = _dict(_dict(panel).get("gridPos"))
    return (int(grid.get("y") or 0), int(grid.get("x") or 0))


def column(flow: Flow, panel: Json, width: int, height: int) -> int | None:
    """The column a panel must name to land where the input has it (None: the flow puts it
    there, or no column can); the flow moves past the panel either way."""
    grid = _dict(panel.get("gridPos"))
    wanted = (int(grid.get("x") or 0), int(grid.get("y") or 0))
    trial = copy.copy(flow)
    pos = trial.place(width, height)
    chosen = None
    if (pos.x, pos.y) != wanted and 0 <= wanted[0] <= GRID_COLUMNS - width:
        trial = copy.copy(flow)
        pos = trial.place(width, height, wanted[0])
        if (pos.x, pos.y) == wanted:
            chosen = wanted[0]
    flow.place(width, height, chosen)
    return chosen


def sections(doc: Json) -> list[tuple[Json | None, list[Json]]]:
    """(row panel or None, panels) in reading order; a collapsed row holds its panels."""
    out: list[tuple[Json | None, list[Json]]] = [(None, [])]
    for panel in sorted(
        (p for p in _list(doc.get("panels")) if isinstance(p, dict)), key=_reading_order
    ):
        if panel.get("type") == "row":
            inner = sorted(
                (p for p in _list(panel.get("panels")) if isinstance(p, dict)), key=_reading_order
            )
            out.append((panel, inner))
        else:
            out[-1][1].append(panel)
    return [s for s in out if s[0] is not None or s[1]]


class DashboardTranslator:
    def __init__(self, doc: Json, source: str, refs: CatalogRefs | None) -> None:
        self.doc, self.legacy_notes = modernize(doc)
        self.source = source
        self.refs = refs
        self.imports = Imports()
        self.notes: list[str] = [f"old schema: {n}" for n in self.legacy_notes]
        self.names: set[str] = set()
        self.scope = Scope(self.names)
        given = str(self.doc.get("uid") or "")
        self.uid = (
            given if UID_RE.match(given) else uid_for(given or str(self.doc.get("title") or source))
        )

    def cls(self, name: str) -> str:
        return self.imports.name(DASHBOARDS, name)

    def translate(self) -> ModuleParts:
        head: list[str] = []
        body: list[str] = []
        if self.uid != self.doc.get("uid"):
            self.notes.append(
                f"uid {self.doc.get('uid')!r} is not a valid sarkmon uid; {self.uid!r} instead"
            )
        variables: list[Node] = []
        for raw in _list(_dict(self.doc.get("templating")).get("list")):
            made = self.variable(_dict(raw))
            if made is not None:
                name = identifier(str(raw.get("name")), self.names, upper=True)
                self.scope.variables[str(raw.get("name"))] = name
                head += [*lines(made, 0, f"{name} = "), ""]
                variables.append(Code(name))
        keys = _keys(self.doc)
        rows: list[Node] = []
        top: list[Node] = []
        flow = Flow()  # sarkmon's layout, replayed to see where a panel needs its column
        for row, panels in sections(self.doc):
            if row is not None:
                flow.newline()
                flow.place(GRID_COLUMNS, 1)
                flow.newline()
            if row is not None and row.get("collapsed"):
                inner = Flow()
                inner.y = flow.y
                calls = self.panels(panels, keys, inner)
            else:
                calls = self.panels(panels, keys, flow)
            if row is None:
                top = calls
                continue
            name = identifier(str(row.get("title") or "row"), self.names)
            args: list[Node] = [py(str(row.get("title") or "")), Seq(tuple(calls))]
            kwargs: list[tuple[str, Node]] = []
            if row.get("collapsed"):
                kwargs.append(("collapsed", py(True)))
            if row.get("repeat"):
                self.notes.append(
                    f"row {row.get('title')!r} repeats for ${row['repeat']}; not carried over"
                )
            body += [*lines(Call(self.cls("Row"), tuple(args), tuple(kwargs)), 0, f"{name} = "), ""]
            rows.append(Code(name))
        dashboard = Call(
            self.cls("Dashboard"),
            (py(self.uid), py(str(self.doc.get("title") or self.uid))),
            self.dashboard_kwargs(variables, top, rows),
        )
        body += lines(dashboard, 0, "dashboard = ")
        constants = self.scope.lines()
        if constants:
            head += [*constants, ""]
        doc = f"{self.doc.get('title') or self.uid}: imported from {self.source} by sarkmon import."
        return ModuleParts(doc, self.imports, head + body, self.notes)

    # -- panels -------------------------------------------------------------------------------
    def panels(self, items: list[Json], keys: dict[int, str], flow: Flow) -> list[Node]:
        out: list[Node] = []
        for panel in items:
            name = f"panel {panel.get('title') or ''!r}"
            ctx = PanelContext(self.refs, self.imports, name, scope=self.scope)
            made = panel_call(
                ctx, panel, keys.get(id(panel), ""), functools.partial(column, flow, panel)
            )
            self.notes += ctx.notes
            if made is not None:
                out.append(made)
        return out

    # -- variables ----------------------------------------------------------------------------
    def variable(self, raw: Json) -> Call | None:
        name, kind = str(raw.get("name") or ""), str(raw.get("type") or "")
        if kind == "datasource":
            if name not in RESERVED:
                self.notes.append(
                    f"datasource variable ${name}: panels read ${{datasource}} instead"
                )
            return None
        if name in RESERVED:
            self.notes.append(
                f"variable ${name}: the name is sarkmon's own datasource variable; left out"
            )
            return None
        common: dict[str, Any] = {}
        if raw.get("label"):
            common["title"] = str(raw["label"])
        if raw.get("description"):
            common["description"] = str(raw["description"])
        if int(raw.get("hide") or 0) == 2:
            common["hide"] = True
        query = raw.get("query")
        query = str(_dict(query).get("query") if isinstance(query, dict) else query or "")
        if kind == "query":
            return self.query_variable(name, raw, query, common)
        if kind in ("custom", "interval"):
            return self.list_variable(name, kind, raw, query, common)
        if kind == "constant":
            return Call(
                self.cls("ConstantVariable"), (py(name),), kwargs_node({"value": query, **common})
            )
        self.notes.append(f"{kind} variable ${name} has no sarkmon equivalent; left out")
        return None

    def query_variable(
        self, name: str, raw: Json, query: str, common: dict[str, Any]
    ) -> Call | None:
        found = _LABEL_VALUES.match(query)
        target = self.metric_code(found.group("expr")) if found else None
        if found is None or target is None:
            self.notes.append(
                f"query variable ${name} ({query}): only label_values(<catalog metric>, <label>) "
                "is supported; left out"
            )
            return None
        metric_code, metric = target
        label = found.group("label")
        known = (
            label in metric.label_names
            or metric.open_labels
            or (metric.scraped and label in ("job", "instance"))
        )
        if not known:
            self.notes.append(
                f"variable ${name}: label {label!r} is not declared for "
                f"{metric.main_sample}; left out"
            )
            return None
        values: dict[str, Any] = {"metric": metric_code, "label": label, **common}
        include_all = bool(raw.get("includeAll"))
        values["multi"] = bool(raw.get("multi"))
        values["include_all"] = include_all
        values["all_value"] = str(raw.get("allValue") or "") if include_all else ".*"
        values["regex"] = str(raw.get("regex") or "")
        values["sort"] = int(raw.get("sort") or 0)
        defaults = {"multi": True, "include_all": True, "all_value": ".*", "regex": "", "sort": 1}
        kwargs = {k: v for k, v in values.items() if k not in defaults or v != defaults[k]}
        return Call(self.cls("QueryVariable"), (py(name),), kwargs_node(kwargs))

    def metric_code(self, selector: str) -> tuple[Node, Any] | None:
        """``gateway.REQUESTS`` (or a narrowed selector) for a label_values() series."""
        if self.refs is None:
            return None
        from sarkmon.importer.metrics import rewrite

        made = rewrite(selector.strip(), self.refs, self.imports)
        if len(made.parts) != 1 or isinstance(made.parts[0], str):
            return None
        ref = made.parts[0]
        name = selector.strip().split("{")[0].strip()
        resolved = self.refs.resolve(name)
        if resolved is None:
            return None
        metric_name: MetricName = resolved[0]
        return Code(ref.render('"')), metric_name.metric

    def list_variable(
        self, name: str, kind: str, raw: Json, query: str, common: dict[str, Any]
    ) -> Call | None:
        values = tuple(v.strip() for v in query.split(",") if v.strip())
        if not values or any(v.startswith("$") for v in values):
            self.notes.append(f"{kind} variable ${name} ({query!r}) has no listed values; left out")
            return None
        if kind == "interval":
            try:
                for value in values:
                    parse_ms(value)
            except DurationError:
                self.notes.append(
                    f"interval variable ${name}: {query!r} are not durations; left out"
                )
                return None
        current = _dict(raw.get("current")).get("value")
        current = current[0] if isinstance(current, list) and current else current
        kwargs: dict[str, Any] = {"values": values, **common}
        if isinstance(current, str) and current in values and current != values[0]:
            kwargs["default"] = current
        if kind == "custom":
            if raw.get("multi"):
                kwargs["multi"] = True
            if raw.get("includeAll"):
                kwargs["include_all"] = True
                if raw.get("allValue"):
                    kwargs["all_value"] = str(raw["allValue"])
            cls = "CustomVariable"
        else:
            cls = "IntervalVariable"
            if values == ("1m", "5m", "15m", "1h"):
                kwargs.pop("values")
        return Call(self.cls(cls), (py(name),), kwargs_node(kwargs))

    # -- the dashboard ------------------------------------------------------------------------
    def dashboard_kwargs(
        self, variables: list[Node], top: list[Node], rows: list[Node]
    ) -> tuple[tuple[str, Node], ...]:
        doc = self.doc
        out: list[tuple[str, Node]] = []
        if doc.get("description"):
            out.append(("description", py(str(doc["description"]))))
        if doc.get("tags"):
            out.append(("tags", py(tuple(str(t) for t in doc["tags"]))))
        refresh = doc.get("refresh")
        refresh = refresh if isinstance(refresh, str) else ""
        if refresh != "30s":
            try:
                if refresh:
                    parse_ms(refresh)
                out.append(("refresh", py(refresh)))
            except DurationError:
                self.notes.append(f"refresh {refresh!r} is not a duration; 30s instead")
        time = _dict(doc.get("time"))
        for key, name, default in (("from", "time_from", "now-6h"), ("to", "time_to", "now")):
            value = str(time.get(key) or default)
            if value == default:
                continue
            if _TIME_RE.match(value):
                out.append((name, py(value)))
            else:
                self.notes.append(f"time {key} {value!r} is not a relative time; {default} instead")
        if variables:
            out.append(("variables", Seq(tuple(variables))))
        annotations = self.annotations()
        if annotations:
            out.append(("annotations", Seq(tuple(annotations))))
        links = self.dashboard_links()
        if links:
            out.append(("links", Seq(tuple(links))))
        if not doc.get("graphTooltip"):
            out.append(("shared_crosshair", py(False)))
        if top:
            out.append(("panels", Seq(tuple(top))))
        if rows:
            out.append(("rows", Seq(tuple(rows))))
        return tuple(out)

    def annotations(self) -> list[Node]:
        out: list[Node] = []
        for raw in _list(_dict(self.doc.get("annotations")).get("list")):
            raw = _dict(raw)
            if raw.get("builtIn"):
                continue
            name = str(raw.get("name") or "")
            kind = str(_dict(raw.get("datasource")).get("type") or "prometheus")
            if not raw.get("expr") or kind != "prometheus":
                self.notes.append(f"annotation {name!r} does not query Prometheus; left out")
                continue
            values: dict[str, Any] = {
                "title": str(raw.get("titleFormat") or ""),
                "text": str(raw.get("textFormat") or ""),
                "tags": tuple(
                    t.strip() for t in str(raw.get("tagKeys") or "").split(",") if t.strip()
                ),
                "color": str(raw.get("iconColor") or "red"),
                "enabled": bool(raw.get("enable", True)),
                "step": str(raw.get("step") or "1m"),
            }
            defaults = {
                "title": "",
                "text": "",
                "tags": (),
                "color": "red",
                "enabled": True,
                "step": "1m",
            }
            kwargs = {k: v for k, v in values.items() if v != defaults[k]}
            ctx = PanelContext(self.refs, self.imports, f"annotation {name!r}", scope=self.scope)
            expression = ctx.expr(str(raw["expr"]))
            out.append(Call(self.cls("Annotation"), (py(name), expression), kwargs_node(kwargs)))
        return out

    def dashboard_links(self) -> list[Node]:
        out: list[Node] = []
        for raw in _list(self.doc.get("links")):
            raw = _dict(raw)
            if raw.get("type") == "dashboards":
                kwargs: dict[str, Any] = {}
                if raw.get("title") and raw["title"] != "Dashboards":
                    kwargs["title"] = str(raw["title"])
                if not raw.get("asDropdown"):
                    kwargs["as_dropdown"] = False
                tags = tuple(str(t) for t in _list(raw.get("tags")))
                out.append(Call(self.cls("DashboardsByTag"), (py(tags),), kwargs_node(kwargs)))
            elif raw.get("url"):
                ctx = PanelContext(self.refs, self.imports, "dashboard")
                from sarkmon.importer.panels import links

                out.extend(links(ctx, [raw]))
        return out


def _keys(doc: Json) -> dict[int, str]:
    """Keys for panels whose title does not make a unique one (duplicates, no title).

    Rows take ``row-<slug>`` keys (the model's rule), so panels stay clear of those too.
    """
    used: set[str] = set()
    panels: list[Json] = []
    for row, items in sections(doc):
        if row is not None:
            used.add("row-" + slugify(str(row.get("title") or "")))
        panels += items
    out: dict[int, str] = {}
    for panel in panels:  # the first of duplicates keeps the title's key
        slug = slugify(str(panel.get("title") or "")) if panel.get("title") else ""
        if slug and slug not in used:
            used.add(slug)
            continue
        base = slug or f"{panel.get('type') or 'panel'}"
        candidate, n = base, 2
        while candidate in used:
            candidate, n = f"{base}-{n}", n + 1
        used.add(candidate)
        out[id(panel)] = candidate
    return out


def module_notes(notes: list[str]) -> list[str]:
    if not notes:
        return []
    out = comment_lines("Not carried over by sarkmon import (see the import report):")
    for note in dict.fromkeys(notes):
        out += comment_lines("- " + note)
    return out
