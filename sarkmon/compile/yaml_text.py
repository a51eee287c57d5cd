"""YAML output with fixed formatting: block scalars for multi-line text, no line folding."""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# libyaml's emitter and parser when present: same output, several times faster.
_Base: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

STR = "tag:yaml.org,2002:str"
_SCALARS: dict[type, str] = {
    bool: "tag:yaml.org,2002:bool",
    int: "tag:yaml.org,2002:int",
    float: "tag:yaml.org,2002:float",
    type(None): "tag:yaml.org,2002:null",
}


class _Unusual(Exception):
    """Data the fast path leaves to PyYAML's representer (and its errors)."""


def _float(value: float) -> str:
    """SafeRepresenter.represent_float's text."""
    if value != value:
        return ".nan"
    if value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value).lower()
    return text.replace("e", ".0e", 1) if "." not in text and "e" in text else text


def _nodes(data: Any, seen: set[int]) -> Node:
    """The node graph SafeRepresenter builds (with our str representer and block style),
    for plain dicts, lists, str, bool, int, float and None without a shared container."""
    kind = type(data)
    if kind is str:
        return ScalarNode(STR, data, style="|" if "\n" in data else None)
    if kind is dict or kind is list:
        if id(data) in seen:  # PyYAML writes an anchor and an alias
            raise _Unusual
        seen.add(id(data))
        if kind is list:
            return SequenceNode(
                "tag:yaml.org,2002:seq", [_nodes(v, seen) for v in data], flow_style=False
            )
        pairs = [(_nodes(k, seen), _nodes(v, seen)) for k, v in data.items()]
        return MappingNode("tag:yaml.org,2002:map", pairs, flow_style=False)
    tag = _SCALARS.get(kind)
    if tag is None:
        raise _Unusual
    if kind is bool:
        return ScalarNode(tag, "true" if data else "false")
    if kind is float:
        return ScalarNode(tag, _float(data))
    return ScalarNode(tag, "null" if data is None else str(data))


# Implicit tags of plain scalars, as the resolver finds them: a pure function of the value
# (the resolver's tables are fixed per class), asked by the emitter for every scalar.
_RESOLVED: dict[str, str] = {}
_CACHED_LENGTH = 64  # long values (expressions, text) rarely repeat


class _Dumper(_Base):  # type: ignore[misc,valid-type]
    def represent(self, data: Any) -> None:
        """The nodes built in one pass where PyYAML's representer would give the same."""
        usual = not self.sort_keys and self.default_flow_style is False
        try:
            if not usual or self.default_style is not None:
                raise _Unusual
            node = _nodes(data, set())
        except _Unusual:
            super().represent(data)
            return
        self.serialize(node)

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is not ScalarNode or self.yaml_path_resolvers:
            return super().resolve(kind, value, implicit)  # type: ignore[no-any-return]
        if not implicit[0]:  # no implicit resolver applies: BaseResolver's default tag
            return self.DEFAULT_SCALAR_TAG  # type: ignore[no-any-return]
        tag = _RESOLVED.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(value) <= _CACHED_LENGTH:
                _RESOLVED[value] = tag
        return tag


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar(STR, value, style="|")
    return dumper.represent_scalar(STR, value)


_Dumper.add_representer(str, _represent_str)


def _pyyaml(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=10_000,
        indent=2,
        default_flow_style=False,
    )


def dump_yaml(data: Any, header: str = "") -> str:
    """Deterministic YAML: mapping order as given (callers order them), 2-space indent."""
    text = _direct(data)
    if text is None:
        text = _pyyaml(data)
    if header:
        text = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines()) + text
    return text


def load_yaml(text: str) -> Any:
    """``yaml.safe_load``, with libyaml's parser when present."""
    return yaml.load(text, Loader=_Loader)


def load_yaml_all(text: str) -> list[Any]:
    """``yaml.safe_load_all``, with libyaml's parser when present."""
    return list(yaml.load_all(text, Loader=_Loader))


# -- the direct writer ---------------------------------------------------------------------------
# Our documents are plain trees of dicts, lists and scalars, written in block style. For them
# the writer below builds the text PyYAML would emit, without a node graph or an emitter, and
# says None for anything it is not sure of (PyYAML then writes the whole document). Plain
# scalars follow PyYAML's analysis of a scalar; other one-line strings are quoted by PyYAML
# itself, one at a time.


class _NotDirect(Exception):
    """A document, or a part of one, left to PyYAML."""


# Characters libyaml prints as they are (allow_unicode; none beyond the BMP); no breaks.
_PRINTABLE = re.compile("[\\x20-\\x7e\\xa0-\\u2027\\u202a-\\ud7ff\\ue000-\\ufefe\\uff00-\\ufffd]*")
_BREAKS = re.compile("[\\n\\r\\x85\\u2028\\u2029]")
_RESOLVER = yaml.resolver.Resolver()
_SCALAR_TEXT: dict[str, str] = {}  # one-line strings that are not plain, as PyYAML quotes them


def _resolves_to(text: str, tag: str) -> bool:
    resolved = _RESOLVED.get(text)
    if resolved is None:
        resolved = _RESOLVER.resolve(ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
        if len(text) <= _CACHED_LENGTH:
            _RESOLVED[text] = resolved
    return resolved == tag


def _plain(text: str) -> bool:
    """Whether the emitter writes ``text`` unquoted in block context."""
    if not text or text[0] == " " or text[-1] == " " or not _PRINTABLE.fullmatch(text):
        return False
    first = text[0]
    if first in "#,[]{}&*!|>'\"%@`" or text.startswith(("---", "...")):
        return False
    if first in "?:-" and (len(text) == 1 or text[1] == " "):
        return False
    if ": " in text or text[-1] == ":" or " #" in text:
        return False
    return _resolves_to(text, STR)


def _quoted(text: str) -> str:
    known = _SCALAR_TEXT.get(text)
    if known is None:
        item = _pyyaml([text])
        if _BREAKS.search(item[2:-1]) or not item.startswith("- ") or not item.endswith("\n"):
            raise _NotDirect  # written on several lines: its indentation depends on the place
        known = _SCALAR_TEXT[text] = item[2:-1]
    return known


def _literal(text: str, indent: str) -> str:
    """A ``|`` block scalar, when PyYAML would write one without indentation or keep hints."""
    if (
        text[0] in " \n"
        or " \n" in text
        or text[-1] == " "
        or text.endswith("\n\n")
        or not _PRINTABLE.fullmatch(text.replace("\n", ""))
    ):
        raise _NotDirect
    lines = text.split("\n")
    header = "|" if lines[-1] == "" else "|-"
    if not lines[-1]:
        lines.pop()
    return header + "".join(f"\n{indent}{line}" if line else "\n" for line in lines)


def _scalar(value: Any, indent: str) -> str:
    """The scalar's text; a block scalar's lines go at ``indent``."""
    kind = type(value)
    if kind is str:
        if "\n" in value:
            return _literal(value, indent)
        return value if _plain(value) else _quoted(value)
    if kind is bool:
        return "true" if value else "false"
    if value is None:
        return "null"
    if kind is int:
        text = str(value)
        tag = _SCALARS[int]
    elif kind is float:
        text = _float(value)
        tag = _SCALARS[float]
    else:
        raise _NotDirect
    if not _resolves_to(text, tag):
        raise _NotDirect
    return text


def _collection(value: Any, seen: set[int]) -> bool:
    """Whether ``value`` is a dict or list (each may appear once: PyYAML writes an anchor
    and an alias for a collection that appears twice)."""
    kind = type(value)
    if kind is not dict and kind is not list:
        return False
    if id(value) in seen:
        raise _NotDirect
    seen.add(id(value))
    return True


def _write(value: Any, column: int, inline: bool, out: list[str], seen: set[int]) -> None:
    """A non-empty block collection whose first line starts at ``column`` (or right after
    the ``- `` before it, when ``inline``)."""
    pad = " " * column
    if type(value) is dict:
        for index, (key, item) in enumerate(value.items()):
            if type(key) is not str or len(key) >= 128 or not _plain(key):
                raise _NotDirect
            out.append(key if inline and index == 0 else pad + key)
            if not _collection(item, seen):
                out.append(f": {_scalar(item, pad + '  ')}\n")
            elif not item:
                out.append(": {}\n" if type(item) is dict else ": []\n")
            else:  # a sequence in a mapping is not indented further
                out.append(":\n")
                _write(item, column + 2 if type(item) is dict else column, False, out, seen)
        return
    for index, item in enumerate(value):
        out.append("- " if inline and index == 0 else pad + "- ")
        if not _collection(item, seen):
            out.append(f"{_scalar(item, pad + '  ')}\n")
        elif not item:
            out.append("{}\n" if type(item) is dict else "[]\n")
        else:
            _write(item, column + 2, True, out, seen)


def _direct(data: Any) -> str | None:
    kind = type(data)
    if kind is not dict and kind is not list:
        return None
    if not data:
        return "{}\n" if kind is dict else "[]\n"
    out: list[str] = []
    try:
        _write(data, 0, False, out, {id(data)})
    except _NotDirect:
        return None
    return "".join(out)
