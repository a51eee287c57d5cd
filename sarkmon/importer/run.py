"""``sarkmon import``: files in, a definitions package out, and what did not carry over.

The package holds ``dashboards/<name>.py`` (one module per dashboard, listed in
``DASHBOARDS``), ``alerts/<name>.py`` (one per rule file, in ``RULE_FILES``) and an
``__init__.py`` with a ``project`` over the given catalog, so that
``sarkmon generate --definitions <package>`` works on it at once. Every module is
generated twice: once to check the round trip, then with the notes as comments.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from sarkmon.artifacts.grafana import unwrap_dashboard
from sarkmon.importer.dashboards import DashboardTranslator, ModuleParts, identifier, module_notes
from sarkmon.importer.metrics import CatalogRefs
from sarkmon.importer.pysource import Imports, module_source
from sarkmon.importer.roundtrip import Original, check, explained
from sarkmon.importer.rules import RulesTranslator, rule_file_name
from sarkmon.review.legacy import modernize
from sarkmon.review.rules import NotRules, rules_facts


class ImportInputError(ValueError):
    """An input file that is neither a dashboard nor a rule file, or does not parse."""


@dataclass
class Imported:
    original: Original
    source: str  # the input file, as given
    parts: ModuleParts

    @property
    def path(self) -> str:
        folder = "dashboards" if self.original.kind == "dashboard" else "alerts"
        return f"{folder}/{self.original.module}.py"


@dataclass
class ImportResult:
    modules: list[Imported]
    files: dict[str, str]  # path in the package -> source
    notes: dict[str, list[str]] = field(default_factory=dict)  # input file -> notes
    errors: dict[str, int] = field(default_factory=dict)  # check -> errors building it

    @property
    def note_count(self) -> int:
        return sum(len(n) for n in self.notes.values())


def _inputs(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.suffix in (".json", ".yml", ".yaml"))
        elif path.is_file():
            out.append(path)
        else:
            raise ImportInputError(f"{given}: no such file or directory")
    return out


def translate(paths: list[str], refs: CatalogRefs | None) -> list[Imported]:
    modules: list[Imported] = []
    taken: set[str] = {"common"}
    for path in _inputs(paths):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            try:
                doc = unwrap_dashboard(json.loads(text))
            except ValueError as err:
                raise ImportInputError(f"{path}: not JSON: {err}") from err
            if doc is None:
                raise ImportInputError(f"{path}: not a Grafana dashboard (no panels or rows)")
            translator = DashboardTranslator(doc, path.as_posix(), refs)
            parts = translator.translate()
            name = identifier(translator.uid, taken)
            original = Original(name, "dashboard", translator.uid, dashboard=modernize(doc)[0])
        else:
            stem = rule_file_name(path.stem)
            try:
                facts = rules_facts(text, stem)
                parts = RulesTranslator(text, path.as_posix(), stem, refs).translate()
            except (yaml.YAMLError, NotRules) as err:
                first = str(err).splitlines()[0]
                raise ImportInputError(f"{path}: not a rule file: {first}") from err
            name = identifier(stem, taken)
            original = Original(name, "rules", stem, rules=facts)
        modules.append(Imported(original, path.as_posix(), parts))
    return modules


def package_files(
    modules: list[Imported], refs: CatalogRefs, notes: dict[str, list[str]] | None = None
) -> dict[str, str]:
    files: dict[str, str] = {}
    for module in modules:
        comments = module_notes((notes or {}).get(module.original.module, []))
        parts = module.parts
        files[module.path] = module_source(parts.doc, parts.imports, comments, parts.body)
    dashboards = [m.original.module for m in modules if m.original.kind == "dashboard"]
    rule_files = [m.original.module for m in modules if m.original.kind == "rules"]
    if dashboards:
        files["dashboards/__init__.py"] = _listing(
            "Dashboards imported by sarkmon import, one module per dashboard.",
            dashboards,
            "DASHBOARDS",
            "dashboard",
        )
    if rule_files:
        files["alerts/__init__.py"] = _listing(
            "Rule files imported by sarkmon import, one module per file.",
            rule_files,
            "RULE_FILES",
            "rules",
        )
    files["__init__.py"] = _project(refs, bool(dashboards), bool(rule_files))
    return dict(sorted(files.items()))


def _listing(doc: str, modules: list[str], name: str, attr: str) -> str:
    items = ", ".join(f"{m}.{attr}" for m in modules)
    body = f"{name} = [{items}]"
    if len(body) > 100:
        body = "\n".join([f"{name} = [", *(f"    {m}.{attr}," for m in modules), "]"])
    imports = f"from . import {', '.join(sorted(modules))}"
    if len(imports) > 100:
        imports = "\n".join(["from . import (", *(f"    {m}," for m in sorted(modules)), ")"])
    return f'"""{doc}"""\n\n{imports}\n\n{body}\n'


def _project(refs: CatalogRefs, dashboards: bool, rules: bool) -> str:
    imports = Imports()
    imports.name(refs.catalog_module, refs.catalog_attr)
    imports.name("sarkmon.model", "Project")
    local = []
    arguments = [f"catalog={refs.catalog_attr}"]
    if dashboards:
        local.append("from .dashboards import DASHBOARDS")
        arguments.append("dashboards=DASHBOARDS")
    if rules:
        local.append("from .alerts import RULE_FILES")
        arguments.append("rule_files=RULE_FILES")
    call = f'project = Project(name="imported", {", ".join(arguments)})'
    if len(call) > 100:
        call = "\n".join(
            ["project = Project(", '    name="imported",', *(f"    {a}," for a in arguments), ")"]
        )
    doc = (
        '"""Definitions imported by sarkmon import: `sarkmon generate --definitions` reads them."""'
    )
    return "\n".join([doc, "", *imports.lines(), "", *sorted(local), "", call]) + "\n"


def run_import(paths: list[str], catalog: str, root: str = ".") -> ImportResult:
    """Translate the files, check the round trip, and return the package with its notes."""
    refs = CatalogRefs(catalog, root)
    modules = translate(paths, refs)
    draft = package_files(modules, refs)
    checked = check(draft, [m.original for m in modules])
    notes: dict[str, list[str]] = {}
    for module in modules:
        own = module.parts.notes
        more = [str(n) for n in checked.notes[module.original.module] if not explained(n, own)]
        notes[module.original.module] = list(dict.fromkeys([*own, *more]))
    files = package_files(modules, refs, notes)
    by_source = {m.source: notes[m.original.module] for m in modules}
    return ImportResult(modules, files, by_source, checked.error_counts())


def write_package(files: dict[str, str], out: Path) -> None:
    for path, text in files.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
