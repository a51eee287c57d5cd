"""Grafana template variables inside PromQL, replaced by values that keep it parseable.

Grafana substitutes ``$var``, ``${var}``, ``${var:format}`` and ``[[var]]`` before the
query reaches Prometheus. To parse a dashboard query we do the same, choosing a value by
where the variable stands: a duration inside ``[...]``, a label name inside ``by (...)``
and friends, a number elsewhere; variables inside string literals stay as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_VAR_RE = re.compile(r"\$\{(\w+)(?::[^}]*)?\}|\$(\w+)|\[\[(\w+)(?::[^\]]*)?\]\]")
_LABEL_LIST_RE = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\($")

# A range written as $__rate_interval parses as this duration, one no query writes, so that
# checks judging a range can tell the variable from a literal [1m]: Grafana makes it at
# least four scrape intervals of the data source, whatever the panel's step.
RATE_INTERVAL_MS = 60_001

# What Grafana's global variables stand for when nothing else is known.
DEFAULT_VALUES: Mapping[str, str] = {
    "__rate_interval": f"{RATE_INTERVAL_MS}ms",
    "__interval": "1m",
    "__range": "1h",
    "__range_s": "3600",
    "__range_ms": "3600000",
    "__interval_ms": "60000",
    "__rate_interval_ms": "60000",
}


def variables_in(text: str) -> list[str]:
    """Names of the template variables a query uses, in order of first use."""
    seen: dict[str, None] = {}
    for match in _VAR_RE.finditer(text):
        seen.setdefault(next(g for g in match.groups() if g), None)
    return list(seen)


def substitute(text: str, values: Mapping[str, str] | None = None) -> str:
    """The query with every variable outside string literals replaced by a parseable value."""
    if "$" not in text and "[[" not in text:
        return text
    values = {**DEFAULT_VALUES, **(values or {})}
    out: list[str] = []
    i, n = 0, len(text)
    brackets = 0
    quote = ""
    while i < n:
        char = text[i]
        if quote:
            out.append(char)
            if char == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if char == quote:
                quote = ""
            i += 1
            continue
        match = _VAR_RE.match(text, i) if char in "$[" else None
        if match is None:
            if char in "\"'`":
                quote = char
            elif char == "[":
                brackets += 1
            elif char == "]" and brackets:
                brackets -= 1
            out.append(char)
            i += 1
            continue
        name = next(g for g in match.groups() if g)
        out.append(_value_for(name, values, brackets > 0, "".join(out)))
        i = match.end()
    return "".join(out)


def _value_for(name: str, values: Mapping[str, str], in_range: bool, before: str) -> str:
    known = values.get(name)
    if in_range:
        return known if known and re.fullmatch(r"[0-9a-z]+", known) else "5m"
    if _in_label_list(before):
        return (
            known if known and re.fullmatch(r"[a-zA-Z_]\w*", known) else name.lstrip("_") or "label"
        )
    if known is not None and re.fullmatch(r"[-+]?[0-9.]+(e[-+]?[0-9]+)?", known):
        return known
    return "1"


def _in_label_list(before: str) -> bool:
    """True when the text ends inside an open ``by (a, ...`` style label list."""
    open_at = before.rfind("(")
    return (
        open_at >= 0
        and ")" not in before[open_at:]
        and bool(_LABEL_LIST_RE.search(before[: open_at + 1]))
    )
