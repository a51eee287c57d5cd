"""Yes-or-no validation against a draft 7 JSON Schema, compiled once into plain functions.

jsonschema explains every failure well but walks the schema anew for each document, which
costs seconds over a thousand dashboards. Valid documents are the rule: :func:`validity`
says whether a document is valid, with jsonschema's ``Draft7Validator`` semantics (no
format assertions, ``$ref`` overriding its siblings, bools apart from numbers), so callers
ask jsonschema for the messages only when the answer is no. A keyword this module does not
implement makes :func:`validity` raise :class:`Unsupported`, never answer wrongly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

Test = Callable[[Any], bool]

# Draft 7 assertions left out: a schema using one is handed to jsonschema whole.
UNSUPPORTED = frozenset({"contains", "dependencies", "multipleOf", "propertyNames"})


class Unsupported(ValueError):
    """The schema uses a keyword this module does not implement."""


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


TYPES: dict[str, Test] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "number": _is_number,
    "integer": _is_integer,
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def equal(one: Any, two: Any) -> bool:
    """JSON equality: 1 == 1.0, but true is not 1; containers compared item by item."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return len(one) == len(two) and all(k in two and equal(v, two[k]) for k, v in one.items())
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one == two
    return bool(one == two)


def unique(items: list[Any]) -> bool:
    scalars = [i for i in items if isinstance(i, str | int | float | type(None))]
    if len(scalars) == len(items):  # hashable: bools keyed apart from the numbers 0 and 1
        keys = {(type(i) is bool, i) for i in items}
        return len(keys) == len(items)
    return not any(equal(items[i], items[j]) for i in range(len(items)) for j in range(i))


def validity(schema: Any) -> Test:
    """A function telling whether a document is valid under ``schema`` (draft 7)."""
    return _Compiler(schema).compile(schema)


class _Compiler:
    def __init__(self, root: Any) -> None:
        self.root = root
        self.refs: dict[str, Test] = {}

    def ref(self, ref: str) -> Test:
        """``#/definitions/name``: compiled on first use, so a recursive schema terminates."""
        found = self.refs.get(ref)
        if found is not None:
            return found
        if not ref.startswith("#"):
            raise Unsupported(f"remote $ref {ref!r}")
        target = self.root
        for part in filter(None, ref[1:].split("/")):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        compiled: list[Test] = []
        self.refs[ref] = lambda value: compiled[0](value)
        compiled.append(self.compile(target))
        return self.refs[ref]

    def compile(self, schema: Any) -> Test:
        if schema is True:
            return lambda value: True
        if schema is False:
            return lambda value: False
        if not isinstance(schema, dict):
            raise Unsupported(f"schema {schema!r}")
        if "$ref" in schema:  # draft 7: siblings of $ref are ignored
            return self.ref(schema["$ref"])
        tests: list[Test] = []
        for keyword, value in schema.items():  # others annotate, or belong to a sibling
            if keyword in UNSUPPORTED:
                raise Unsupported(keyword)
            method = getattr(self, "k_" + keyword.replace("$", ""), None)
            if method is not None:
                tests.append(method(value, schema))
        if len(tests) == 1:
            return tests[0]
        every = tuple(tests)

        def check(value: Any) -> bool:
            for test in every:  # noqa: SIM110 (a plain loop: it runs for every node of every document)
                if not test(value):
                    return False
            return True

        return check

    # -- any type ---------------------------------------------------------------------------
    def k_type(self, types: str | list[str], schema: Any) -> Test:
        checks = [TYPES[t] for t in ([types] if isinstance(types, str) else types)]
        if len(checks) == 1:
            return checks[0]
        return lambda v: any(check(v) for check in checks)

    def k_enum(self, options: list[Any], schema: Any) -> Test:
        return lambda v: any(equal(option, v) for option in options)

    def k_const(self, const: Any, schema: Any) -> Test:
        return lambda v: equal(v, const)

    def k_allOf(self, schemas: list[Any], schema: Any) -> Test:
        tests = [self.compile(s) for s in schemas]
        return lambda v: all(test(v) for test in tests)

    def k_anyOf(self, schemas: list[Any], schema: Any) -> Test:
        tests = [self.compile(s) for s in schemas]
        return lambda v: any(test(v) for test in tests)

    def k_oneOf(self, schemas: list[Any], schema: Any) -> Test:
        tests = [self.compile(s) for s in schemas]
        return lambda v: sum(1 for test in tests if test(v)) == 1

    def k_not(self, inner: Any, schema: Any) -> Test:
        test = self.compile(inner)
        return lambda v: not test(v)

    def k_if(self, condition: Any, schema: Any) -> Test:
        test = self.compile(condition)
        then = self.compile(schema["then"]) if "then" in schema else None
        otherwise = self.compile(schema["else"]) if "else" in schema else None

        def check(v: Any) -> bool:
            branch = then if test(v) else otherwise
            return branch is None or branch(v)

        return check

    # -- numbers and strings ----------------------------------------------------------------
    def k_minimum(self, limit: float, schema: Any) -> Test:
        return lambda v: not _is_number(v) or v >= limit

    def k_maximum(self, limit: float, schema: Any) -> Test:
        return lambda v: not _is_number(v) or v <= limit

    def k_exclusiveMinimum(self, limit: float, schema: Any) -> Test:
        return lambda v: not _is_number(v) or v > limit

    def k_exclusiveMaximum(self, limit: float, schema: Any) -> Test:
        return lambda v: not _is_number(v) or v < limit

    def k_minLength(self, limit: int, schema: Any) -> Test:
        return lambda v: not isinstance(v, str) or len(v) >= limit

    def k_maxLength(self, limit: int, schema: Any) -> Test:
        return lambda v: not isinstance(v, str) or len(v) <= limit

    def k_pattern(self, pattern: str, schema: Any) -> Test:
        search = re.compile(pattern).search
        return lambda v: not isinstance(v, str) or search(v) is not None

    # -- arrays -----------------------------------------------------------------------------
    def k_items(self, items: Any, schema: Any) -> Test:
        if isinstance(items, list):
            tests = [self.compile(s) for s in items]
            return lambda v: (
                not isinstance(v, list)
                or all(test(item) for test, item in zip(tests, v, strict=False))
            )
        test = self.compile(items)

        def check(v: Any) -> bool:
            if isinstance(v, list):
                for item in v:
                    if not test(item):
                        return False
            return True

        return check

    def k_additionalItems(self, more: Any, schema: Any) -> Test:
        items = schema.get("items", {})
        if isinstance(items, dict):
            return lambda v: True  # only positional ``items`` leave items over
        count = len(items)
        if isinstance(more, dict):
            test = self.compile(more)
            return lambda v: not isinstance(v, list) or all(test(item) for item in v[count:])
        if more:
            return lambda v: True
        return lambda v: not isinstance(v, list) or len(v) <= count

    def k_minItems(self, limit: int, schema: Any) -> Test:
        return lambda v: not isinstance(v, list) or len(v) >= limit

    def k_maxItems(self, limit: int, schema: Any) -> Test:
        return lambda v: not isinstance(v, list) or len(v) <= limit

    def k_uniqueItems(self, wanted: bool, schema: Any) -> Test:
        if not wanted:
            return lambda v: True
        return lambda v: not isinstance(v, list) or unique(v)

    # -- objects ----------------------------------------------------------------------------
    def k_properties(self, properties: dict[str, Any], schema: Any) -> Test:
        tests = {name: self.compile(s) for name, s in properties.items()}

        def check(v: Any) -> bool:
            if isinstance(v, dict):
                for name, item in v.items():
                    test = tests.get(name)
                    if test is not None and not test(item):
                        return False
            return True

        return check

    def k_patternProperties(self, patterns: dict[str, Any], schema: Any) -> Test:
        tests = [(re.compile(p).search, self.compile(s)) for p, s in patterns.items()]

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            return all(test(item) for search, test in tests for k, item in v.items() if search(k))

        return check

    def k_additionalProperties(self, more: Any, schema: Any) -> Test:
        known = set(schema.get("properties", {}))
        patterns = "|".join(schema.get("patternProperties", {}))
        search = re.compile(patterns).search if patterns else None

        def extras(v: dict[str, Any]) -> list[str]:
            return [k for k in v if k not in known and not (search and search(k))]

        if isinstance(more, dict):
            test = self.compile(more)
            return lambda v: not isinstance(v, dict) or all(test(v[k]) for k in extras(v))
        if more:
            return lambda v: True
        if search is None:
            return lambda v: not isinstance(v, dict) or known.issuperset(v)
        return lambda v: not isinstance(v, dict) or not extras(v)

    def k_required(self, names: list[str], schema: Any) -> Test:
        return lambda v: not isinstance(v, dict) or all(name in v for name in names)

    def k_minProperties(self, limit: int, schema: Any) -> Test:
        return lambda v: not isinstance(v, dict) or len(v) >= limit

    def k_maxProperties(self, limit: int, schema: Any) -> Test:
        return lambda v: not isinstance(v, dict) or len(v) <= limit
