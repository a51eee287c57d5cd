"""JSON and YAML documents whose objects remember the line they start on.

Hand-written artifacts are reported by file:line, so their readers load documents whose
mappings are :class:`Lined` dicts. JSON goes through the standard library's decoder with
its object parser wrapped; YAML through PyYAML's safe loader with the mapping constructor
wrapped (its marks give the line).
"""

from __future__ import annotations

import bisect
import json
from json import decoder, scanner
from typing import Any

import yaml


class Lined(dict[str, Any]):
    """A mapping from a document, with the line its opening brace or first key is on."""

    line: int = 0


class ReadError(Exception):
    """A file that cannot be read as what it should be; names the file and line."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")
        self.path = path
        self.line = line
        self.message = message


def line_of(value: object) -> int:
    return value.line if isinstance(value, Lined) else 0


def load_json(text: str, path: str) -> Any:
    newlines = [i for i, char in enumerate(text) if char == "\n"]
    loader = json.JSONDecoder()
    parse = getattr(decoder, "JSONObject")  # noqa: B009 (not in the type stubs)

    def parse_object(s_and_end: tuple[str, int], *args: Any) -> tuple[Lined, int]:
        obj, end = parse(s_and_end, *args)
        lined = Lined(obj)
        lined.line = bisect.bisect_left(newlines, s_and_end[1]) + 1
        return lined, end

    # The pure-Python scanner calls the decoder's parse_object for every object.
    setattr(loader, "parse_object", parse_object)  # noqa: B010
    make_scanner = getattr(scanner, "py_make_scanner")  # noqa: B009 (not in the type stubs)
    setattr(loader, "scan_once", make_scanner(loader))  # noqa: B010
    try:
        return loader.decode(text)
    except json.JSONDecodeError as err:
        raise ReadError(path, err.lineno, f"invalid JSON: {err.msg}") from err


class _LinedLoader(yaml.SafeLoader):
    pass


def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Lined:
    mapping = loader.construct_mapping(node, deep=True)
    lined = Lined((str(key), value) for key, value in mapping.items())
    lined.line = node.start_mark.line + 1
    return lined


_LinedLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def load_yaml(text: str, path: str) -> list[Any]:
    """Every document of a YAML stream (``---``-separated), empty ones left out."""
    try:
        return [doc for doc in yaml.load_all(text, Loader=_LinedLoader) if doc is not None]
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else 0
        raise ReadError(path, line, f"invalid YAML: {err.problem or err}") from err
    except yaml.YAMLError as err:
        raise ReadError(path, 0, f"invalid YAML: {err}") from err
