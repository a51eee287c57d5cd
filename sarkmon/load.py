"""Loading definitions: import the package, collect its Project and every reported problem."""

from __future__ import annotations

import difflib
import importlib
import os
import re
import sys
import traceback
from dataclasses import dataclass
from types import ModuleType

from sarkmon.diagnostics import DefinitionError, Finding, collecting
from sarkmon.model.project import Project
from sarkmon.source import PACKAGE_DIR, Location, display_path, set_root


@dataclass
class LoadError(Exception):
    findings: list[Finding]

    def __str__(self) -> str:
        return "\n".join(f.line() for f in self.findings)


def load_project(package: str = "definitions", root: str = ".") -> tuple[Project, list[Finding]]:
    """Import ``package`` from ``root`` and return its ``project`` and the problems reported.

    Raises LoadError when the package cannot be imported or has no Project; problems that
    do not stop the import (bad durations, unknown labels, ...) are returned with the project.
    """
    root = os.path.abspath(root)
    set_root(root)
    if root not in sys.path:
        sys.path.insert(0, root)
    _forget(package)
    with collecting() as collector:
        try:
            module = importlib.import_module(package)
        except DefinitionError as err:
            raise LoadError([*collector.findings, err.finding]) from err
        except SyntaxError as err:
            where = Location(display_path(err.filename or package), err.lineno or 0)
            raise LoadError(
                [
                    *collector.findings,
                    Finding(
                        where, "definition/python", f"module {package}", f"SyntaxError: {err.msg}"
                    ),
                ]
            ) from err
        except Exception as err:  # a user's definitions can raise anything
            raise LoadError([*collector.findings, _exception_finding(err, root, package)]) from err
    project = getattr(module, "project", None)
    if not isinstance(project, Project):
        where = Location(display_path(getattr(module, "__file__", None) or package), 0)
        raise LoadError(
            [
                *collector.findings,
                Finding(
                    where,
                    "definition/project",
                    f"package {package}",
                    "it must define `project = Project(...)`",
                    hint=f"found {type(project).__name__}",
                ),
            ]
        )
    return project, collector.findings


def _exception_finding(err: BaseException, root: str, package: str) -> Finding:
    """The innermost frame of the user's own code names where it went wrong."""
    where = Location(package, 0)
    for frame in traceback.extract_tb(err.__traceback__):
        path = os.path.abspath(frame.filename)
        ours = path.startswith(PACKAGE_DIR + os.sep) or "site-packages" in path
        if path.startswith(root + os.sep) and not ours:
            where = Location(display_path(path), frame.lineno or 0)
    text = str(err).splitlines()[0] if str(err) else ""
    if isinstance(err, ModuleNotFoundError) and err.name == package:
        return Finding(
            where,
            "definition/package",
            f"package {package}",
            f"no definitions package {package!r} under {display_path(root) or '.'}",
        )
    missing = _CANNOT_IMPORT.match(text) if type(err) is ImportError else None
    module = sys.modules.get(err.name or "") if isinstance(err, ImportError) else None
    # A circular import has the same message, of a module half made: the generic line fits.
    if missing and module is not None and "circular import" not in text:
        return _import_finding(where, package, missing.group(1), module)
    return Finding(
        where,
        "definition/python",
        f"module {_module_at(where, package)}",
        f"{type(err).__name__}: {text}",
    )


# Python's message for ``from module import name`` when the module has no such name.
_CANNOT_IMPORT = re.compile(r"cannot import name '([^']+)' from ")
_LISTED_CONSTANTS = 8  # a module with more (SARK's catalog) gets no list in the hint


def _import_finding(where: Location, package: str, name: str, module: ModuleType) -> Finding:
    """A name imported from a definitions module that lacks it: usually renamed."""
    defined = sorted(n for n in vars(module) if not n.startswith("_"))
    close = difflib.get_close_matches(name, defined, n=3, cutoff=0.6)
    constants = [n for n in defined if n.isupper()]
    if close:
        hint = f"did you mean {' or '.join(close)}?"
    elif 0 < len(constants) <= _LISTED_CONSTANTS:
        hint = "its constants: " + ", ".join(constants)
    else:
        hint = "no name there is close to it"
    path = getattr(module, "__file__", None)
    source = f" ({display_path(path)})" if path else ""
    return Finding(
        where,
        "definition/import",
        f"module {_module_at(where, package)}",
        f"cannot import name {name!r} from {module.__name__}{source}",
        hint=hint,
    )


def _module_at(where: Location, package: str) -> str:
    if where.file.endswith(".py"):
        return where.file[:-3].replace("/", ".").removesuffix(".__init__")
    return package


def _forget(package: str) -> None:
    """Drop earlier imports of the package so that loading twice reads the files again."""
    for name in list(sys.modules):
        if name == package or name.startswith(package + "."):
            del sys.modules[name]
