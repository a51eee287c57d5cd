"""JSON output with two-space indentation, several times faster than ``json.dumps(indent=2)``.

With ``indent``, the standard library leaves its C encoder aside and yields every token from
nested Python generators; this writer appends to one list instead. The bytes are exactly
those of ``json.dumps(value, indent=2, sort_keys=..., ensure_ascii=...)`` (strings go
through the standard library's own escaping, numbers through ``repr``), which the tests
check on every document sarkmon writes.
"""

from __future__ import annotations

from collections.abc import Callable
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any

INDENT = "  "


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == float("-inf"):
        return "-Infinity"
    return float.__repr__(value)


def _key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _float(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def dump_json(
    value: Any,
    *,
    sort_keys: bool = True,
    ensure_ascii: bool = False,
    whole_floats_as_ints: bool = False,
) -> str:
    """``json.dumps(value, indent=2, sort_keys=sort_keys, ensure_ascii=ensure_ascii)``.

    ``whole_floats_as_ints`` writes 80.0 as 80 in dicts and lists (not inside tuples), so
    that a threshold given as 80 or 80.0 reads the same.
    """
    encode: Callable[[str], str] = encode_basestring_ascii if ensure_ascii else encode_basestring
    out: list[str] = []
    append = out.append

    def write(item: Any, pad: str, exact: bool) -> None:
        if isinstance(item, str):
            append(encode(item))
        elif item is None:
            append("null")
        elif item is True:
            append("true")
        elif item is False:
            append("false")
        elif isinstance(item, int):
            append(int.__repr__(item))
        elif isinstance(item, float):
            if exact and item.is_integer():
                append(int.__repr__(int(item)))
            else:
                append(_float(item))
        elif isinstance(item, list | tuple):
            if not item:
                append("[]")
                return
            inner = pad + INDENT
            exact_inside = exact and isinstance(item, list)
            append("[")
            separator = inner
            for element in item:
                append(separator)
                separator = "," + inner
                write(element, inner, exact_inside)
            append(pad + "]")
        elif isinstance(item, dict):
            if not item:
                append("{}")
                return
            inner = pad + INDENT
            append("{")
            separator = inner
            for key, element in sorted(item.items()) if sort_keys else item.items():
                head = separator + encode(key if isinstance(key, str) else _key(key)) + ": "
                separator = "," + inner
                if isinstance(element, str):  # the commonest leaf, without a call
                    append(head + encode(element))
                else:
                    append(head)
                    write(element, inner, exact)
            append(pad + "}")
        else:
            raise TypeError(f"Object of type {type(item).__name__} is not JSON serializable")

    write(value, "\n", whole_floats_as_ints)
    return "".join(out)
