"""Catalog metrics in imported PromQL: selectors written as the catalog's Python objects.

``sum(rate(sark_gateway_authz_requests_total{decision="deny"}[5m]))`` becomes
``f"sum(rate({gateway.AUTHZ_REQUESTS(decision='deny')}[5m]))"``: a renamed metric is then a
Python error and a wrong label a definition error, as in hand-written definitions. A
selector is only replaced when the object's text means the same query (checked on the
syntax tree) and the catalog accepts every matcher; otherwise the PromQL stays as written.
"""

from __future__ import annotations

import importlib
import keyword
import os
import pkgutil
import re
import sys
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from sarkmon.diagnostics import collecting
from sarkmon.importer.pysource import Call, Code, Imports, Node, Ref, Str, flat, lines
from sarkmon.model.catalog import Catalog
from sarkmon.model.metrics import Histogram, Metric, Op, Sample, Selector, Summary
from sarkmon.review.exprs import expr

# Words that stand before a parenthesized list of label names, not a selector.
LABEL_LISTS = frozenset({"by", "without", "on", "ignoring", "group_left", "group_right"})
KEYWORDS = LABEL_LISTS | {"bool", "offset", "and", "or", "unless", "atan2", "inf", "nan"}
_OPS = {"=": Op.EQ, "!=": Op.NE, "=~": Op.RE, "!~": Op.NRE}
_HELPERS = {Op.NE: "ne", Op.RE: "re", Op.NRE: "not_re"}
_ACCESSORS = {Sample.BUCKET: ".bucket", Sample.SUM: ".sum", Sample.COUNT: ".count"}


class CatalogError(RuntimeError):
    pass


@dataclass(frozen=True)
class MetricName:
    module: str  # where the object is defined: "definitions.metrics.gateway"
    attr: str  # its name there: "AUTHZ_REQUESTS"
    metric: Metric


class CatalogRefs:
    """The catalog of a definitions module, and the Python name of each of its metrics."""

    def __init__(self, package: str, root: str = ".") -> None:
        root = os.path.abspath(root)
        if root not in sys.path:
            sys.path.insert(0, root)
        # A package of that name imported from elsewhere earlier must not stand in for it.
        top = package.split(".")[0]
        for name in [m for m in sys.modules if m == top or m.startswith(top + ".")]:
            del sys.modules[name]
        try:
            module = importlib.import_module(package)
        except Exception as err:  # the user's module can raise anything
            raise CatalogError(f"cannot import catalog module {package!r}: {err}") from err
        modules = [module, *_submodules(module)]
        catalogs = [
            (m.__name__, attr, value)
            for m in modules
            for attr, value in sorted(vars(m).items())
            if isinstance(value, Catalog)
        ]
        if not catalogs:
            raise CatalogError(f"module {package!r} defines no Catalog")
        self.package = package
        # Where the imported package's project finds the catalog: ``from <module> import <attr>``.
        self.catalog_module, self.catalog_attr, self.catalog = catalogs[0]
        self.names: dict[int, MetricName] = {}
        # Submodules first: a metric is named where it is defined, not where it is re-exported.
        for mod in sorted(modules, key=lambda m: (m is module, m.__name__)):
            for attr, value in sorted(vars(mod).items()):
                if isinstance(value, Metric) and attr.isupper() and id(value) not in self.names:
                    self.names[id(value)] = MetricName(mod.__name__, attr, value)

    @staticmethod
    def by_module(module: str) -> bool:
        """Whether ``from parent import child`` gives the module (its package may export
        another object under the same name, e.g. a ``catalog`` object over ``catalog.py``)."""
        parent, _, child = module.rpartition(".")
        found = vars(sys.modules[parent]).get(child) if parent in sys.modules else None
        return bool(parent) and found is sys.modules.get(module)

    def resolve(self, sample: str) -> tuple[MetricName, str] | None:
        """The object and accessor (``.bucket``...) that stringify to a series, if any."""
        found = self.catalog.resolve(sample)
        if found is None or found.kind is Sample.CREATED:
            return None
        name = self.names.get(id(found.metric))
        return None if name is None else (name, self._accessor(found.metric, found.kind))

    @staticmethod
    def _accessor(metric: Metric, kind: Sample) -> str:
        if isinstance(metric, Histogram | Summary):
            return _ACCESSORS.get(kind, "")
        return ""


def _submodules(module: ModuleType) -> list[ModuleType]:
    path = getattr(module, "__path__", None)
    if path is None:
        return []
    found = []
    for info in sorted(pkgutil.walk_packages(path, module.__name__ + "."), key=lambda i: i.name):
        found.append(importlib.import_module(info.name))
    return found


# -- rewriting --------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Selector:
    name: str
    matchers: tuple[tuple[str, str, str], ...]  # (label, op, value)


HOIST_ABOVE = 40  # a selector longer than this gets a module constant of its own


class Scope:
    """Names a module defines for selectors: its variables (``SERVER.match`` for
    ``server=~"$server"``) and constants for the long selectors it reads."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken
        self.variables: dict[str, str] = {}  # Grafana variable -> its constant
        self.constants: dict[str, str] = {}  # code -> constant name
        self.values: dict[str, Call] = {}  # constant name -> its selector call

    def constant(self, value: Call, base: str, matchers: tuple[tuple[str, str, str], ...]) -> str:
        code = flat(value) or ""
        if code in self.constants:
            return self.constants[code]
        values = [v for _, op, v in matchers if op == "=" and re.fullmatch(r"\w+", v)]
        name = "_".join([base, *(v.upper() for v in values)])
        candidate, n = name, 2
        while candidate in self.taken:
            candidate, n = f"{name}_{n}", n + 1
        self.taken.add(candidate)
        self.constants[code] = candidate
        self.values[candidate] = value
        return candidate

    def lines(self) -> list[str]:
        return [
            line for name, value in self.values.items() for line in lines(value, 0, f"{name} = ")
        ]


def rewrite(
    text: str, refs: CatalogRefs | None, imports: Imports, scope: Scope | None = None
) -> Str:
    """The expression as a (format) string embedding catalog objects where it safely can."""
    if refs is None:
        return Str((text,))
    parts: list[str | Ref] = []
    rendered: list[str] = []
    needed = Imports()
    for piece in _scan(text):
        if isinstance(piece, str):
            parts.append(piece)
            rendered.append(piece)
            continue
        selector_text, selector = piece
        made = _reference(selector, refs, needed, scope)
        if made is None:
            parts.append(selector_text)
            rendered.append(selector_text)
        else:
            parts.append(made[0])
            rendered.append(made[1])
    if not any(isinstance(p, Ref) for p in parts):
        return Str((text,))
    if expr(text).canon != expr("".join(rendered)).canon:
        return Str((text,))
    imports.merge(needed)
    return Str(tuple(_merged(parts)))


def promql(value: Str) -> Node:
    """A lone catalog object needs no f-string around it: the model takes it as PromQL."""
    if len(value.parts) == 1 and isinstance(value.parts[0], Ref):
        return Code(value.parts[0].render('"'))
    return value


def _merged(parts: list[str | Ref]) -> list[str | Ref]:
    out: list[str | Ref] = []
    for part in parts:
        if isinstance(part, str) and out and isinstance(out[-1], str):
            out[-1] += part
        elif part != "":
            out.append(part)
    return out


def _reference(
    selector: _Selector, refs: CatalogRefs, imports: Imports, scope: Scope | None
) -> tuple[Ref, str] | None:
    resolved = refs.resolve(selector.name)
    if resolved is None:
        return None
    name, accessor = resolved
    labels = [label for label, _, _ in selector.matchers]
    if len(set(labels)) != len(labels):
        return None
    kwargs: dict[str, Any] = {}
    code: list[tuple[str, str]] = []  # (label, the value's code with {q} for its quotes)
    for label, op_text, value in selector.matchers:
        if not label.isidentifier() or keyword.iskeyword(label) or label.startswith("__"):
            return None
        if any(c in value for c in "'\"\\\n"):
            return None  # an f-string placeholder holds no quote nor backslash (Python 3.11)
        op = _OPS[op_text]
        kwargs[label] = value if op is Op.EQ else (op, value)
        quoted = "{q}" + value + "{q}"
        variable = re.fullmatch(r"\$\{?(\w+)\}?", value)
        if op is Op.RE and variable and scope and variable.group(1) in scope.variables:
            code.append((label, f"{scope.variables[variable.group(1)]}.match"))
        elif op is Op.EQ:
            code.append((label, quoted))
        else:
            code.append((label, f"{_HELPERS[op]}({quoted})"))
    target: Metric | Selector = name.metric
    if accessor:
        target = getattr(name.metric, accessor[1:])
    with collecting() as problems:
        made = target(**kwargs) if kwargs else target
    if problems.findings:
        return None  # a label or value the catalog does not know: keep the text as written
    if refs.by_module(name.module):
        prefix = imports.module(name.module) + "."
    else:  # a top-level module, or one its package shadows: import the object itself
        prefix = ""
        imports.name(name.module, name.attr)
    for _, value_code in code:
        helper = value_code.split("(")[0]
        if helper in _HELPERS.values():
            imports.name("sarkmon.model", helper)
    func = f"{prefix}{name.attr}{accessor}"
    arguments = ", ".join(f"{label}={value_code}" for label, value_code in code)
    template = func + (f"({arguments})" if code else "")
    if scope is not None and code and len(template) > HOIST_ABOVE:
        selector_call = Call(func, kwargs=tuple((k, Code(Ref(v).render('"'))) for k, v in code))
        constant = scope.constant(selector_call, name.attr, selector.matchers)
        return Ref(constant), str(made)
    return Ref(template), str(made)


def _scan(text: str) -> list[str | tuple[str, _Selector]]:
    """The text cut into literal pieces and the metric selectors it holds."""
    out: list[str | tuple[str, _Selector]] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char in "\"'`":
            end = _string_end(text, i)
            out.append(text[i:end])
            i = end
        elif char == "#":
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(text[i:end])
            i = end
        elif char in "[{":
            end = _closing(text, i)
            out.append(text[i:end])
            i = end
        elif char == "$":
            j = i + 1
            if j < n and text[j] == "{":
                j = _closing(text, j)
            else:
                while j < n and (text[j].isalnum() or text[j] == "_"):
                    j += 1
            out.append(text[i:j])
            i = j
        elif char.isdigit() or char == ".":
            j = i
            while j < n and (text[j].isalnum() or text[j] == "."):
                j += 1
            out.append(text[i:j])
            i = j
        elif char.isalpha() or char in "_:":
            i = _word(text, i, out)
        else:
            out.append(char)
            i += 1
    return out


def _word(text: str, i: int, out: list[str | tuple[str, _Selector]]) -> int:
    n = len(text)
    j = i
    while j < n and (text[j].isalnum() or text[j] in "_:"):
        j += 1
    word = text[i:j]
    k = j
    while k < n and text[k].isspace():
        k += 1
    if word in LABEL_LISTS and k < n and text[k] == "(":
        end = _closing(text, k)
        out.append(text[i:end])
        return end
    if word in KEYWORDS or (k < n and text[k] == "("):
        out.append(word)
        return j
    if k < n and text[k] == "{":
        end = _closing(text, k)
        matchers = _matchers(text[k + 1 : end - 1])
        if matchers is None:
            out.append(text[i:end])
        else:
            out.append((text[i:end], _Selector(word, matchers)))
        return end
    out.append((word, _Selector(word, ())))
    return j


def _string_end(text: str, start: int) -> int:
    quote = text[start]
    i = start + 1
    while i < len(text):
        if text[i] == "\\" and quote != "`":
            i += 2
            continue
        if text[i] == quote:
            return i + 1
        i += 1
    return len(text)


def _closing(text: str, start: int) -> int:
    """The index after the bracket that closes the one at ``start`` (strings skipped)."""
    pairs = {"[": "]", "{": "}", "(": ")"}
    opener, closer = text[start], pairs[text[start]]
    depth, i = 0, start
    while i < len(text):
        char = text[i]
        if char in "\"'`":
            i = _string_end(text, i)
            continue
        if char == opener:
            depth += 1
        elif char == closer:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(text)


def _matchers(body: str) -> tuple[tuple[str, str, str], ...] | None:
    """``a="x", b=~"y"`` as (label, op, value) triples; None when it is anything else."""
    out: list[tuple[str, str, str]] = []
    i, n = 0, len(body)
    while True:
        while i < n and (body[i].isspace() or body[i] == ","):
            i += 1
        if i >= n:
            return tuple(out)
        j = i
        while j < n and (body[j].isalnum() or body[j] == "_"):
            j += 1
        label = body[i:j]
        while j < n and body[j].isspace():
            j += 1
        op = next((o for o in ("=~", "!~", "!=", "=") if body.startswith(o, j)), None)
        if not label or op is None:
            return None
        j += len(op)
        while j < n and body[j].isspace():
            j += 1
        if j >= n or body[j] not in "\"'`":
            return None
        end = _string_end(body, j)
        value = _unquote(body[j:end])
        if value is None:
            return None
        out.append((label, op, value))
        i = end
        while i < n and body[i].isspace():
            i += 1
        if i < n and body[i] != ",":
            return None


def _unquote(text: str) -> str | None:
    if len(text) < 2 or text[-1] != text[0]:
        return None
    if text[0] == "`":
        return text[1:-1]
    out: list[str] = []
    i, body = 0, text[1:-1]
    escapes = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'"}
    while i < len(body):
        if body[i] == "\\":
            if i + 1 >= len(body) or body[i + 1] not in escapes:
                return None
            out.append(escapes[body[i + 1]])
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)
