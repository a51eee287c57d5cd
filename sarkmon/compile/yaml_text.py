"""YAML output with fixed formatting: block scalars for multi-line text, no line folding."""

from __future__ import annotations

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


def dump_yaml(data: Any, header: str = "") -> str:
    """Deterministic YAML: mapping order as given (callers order them), 2-space indent."""
    text = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=10_000,
        indent=2,
        default_flow_style=False,
    )
    if header:
        text = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines()) + text
    return text


def load_yaml(text: str) -> Any:
    """``yaml.safe_load``, with libyaml's parser when present."""
    return yaml.load(text, Loader=_Loader)


def load_yaml_all(text: str) -> list[Any]:
    """``yaml.safe_load_all``, with libyaml's parser when present."""
    return list(yaml.load_all(text, Loader=_Loader))
