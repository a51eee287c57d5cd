"""The single entry point to promql-parser: every expression is parsed here, once."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import promql_parser

from sarkmon.promql.variables import substitute


@dataclass(frozen=True)
class Parsed:
    text: str  # as written
    query: str  # after Grafana variables were substituted
    ast: Any  # promql_parser.Expr, or None when the text does not parse
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.ast is not None


def parse(text: str, variables: Mapping[str, str] | None = None) -> Parsed:
    """Parse PromQL (substituting Grafana variables first); never raises."""
    return _parse(text, tuple(sorted((variables or {}).items())))


@functools.lru_cache(maxsize=65536)
def _parse(text: str, variables: tuple[tuple[str, str], ...]) -> Parsed:
    query = substitute(text, dict(variables))
    try:
        return Parsed(text, query, promql_parser.parse(query))
    except (ValueError, RuntimeError, TypeError) as err:
        return Parsed(text, query, None, str(err).splitlines()[0] if str(err) else "does not parse")


def node_kind(node: Any) -> str:
    """The AST class name (``VectorSelector``, ``Call``, ...)."""
    return type(node).__name__


def duration_ms(value: Any) -> int | None:
    """A promql-parser timedelta in milliseconds (None stays None)."""
    if value is None:
        return None
    seconds: float = value.total_seconds()
    return round(seconds * 1000)
