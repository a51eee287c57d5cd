"""Compilers: pure functions from the built project to output documents.

Each compiler returns ``{relative path: text}``; the writer turns them into files. They never
parse PromQL or read files: what they need is in the :class:`~sarkmon.pipeline.Build`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sarkmon.pipeline import Build

Compiler = Callable[["Build"], dict[str, str]]

# module:function, in output order; imported on use so commands that compile nothing stay fast.
COMPILERS: tuple[str, ...] = (
    "sarkmon.compile.catalog:compile_catalog",
    "sarkmon.compile.prometheus:compile_rules",
    "sarkmon.compile.alertmanager:compile_alertmanager",
    "sarkmon.compile.instrumentation:compile_instrumentation",
    "sarkmon.compile.prometheus_config:compile_prometheus_config",
    "sarkmon.compile.rulers:compile_rulers",
    "sarkmon.compile.kubernetes:compile_kubernetes",
    "sarkmon.compile.docs:compile_docs",
    "sarkmon.compile.grafana:compile_dashboards",
    "sarkmon.compile.grafana_provisioning:compile_provisioning",
    "sarkmon.compile.promtool_tests:compile_tests",
)

# What `generate` compiles in a second process while it lints: these two take about as
# long as lint and every other compiler together (`make bench` shows the balance).
BESIDE_LINT: tuple[str, ...] = (
    "sarkmon.compile.docs:compile_docs",
    "sarkmon.compile.promtool_tests:compile_tests",
)


def compilers(specs: Iterable[str] | None = None) -> list[Compiler]:
    """The compilers ``specs`` names (module:function), all of COMPILERS by default."""
    out = []
    for spec in COMPILERS if specs is None else specs:
        module, _, name = spec.partition(":")
        out.append(getattr(import_module(module), name))
    return out
