"""The fast paths give exactly what the slow, obvious code gives.

Each optimization of issue 9 replaced a library call or a scan with something quicker: the
JSON and YAML writers, the schema validity test, the panel overlap search, the label index
of inhibitions. Each is compared here with the original on real documents (SARK's whole
output) and on the awkward cases (special floats, unicode, shared objects, odd boxes).
"""

from __future__ import annotations

import copy
import json
import random
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sarkmon.compile.grafana_schema import SCHEMA_PATH, layout_errors
from sarkmon.compile.json_text import dump_json
from sarkmon.compile.yaml_text import _direct, _represent_str, dump_yaml, load_yaml
from sarkmon.json_schema import Unsupported, equal, unique, validity
from sarkmon.model.matchers import LabelIndex, Matcher, matches_all

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
)
JSONISH = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


# -- JSON -------------------------------------------------------------------------------------
@given(JSONISH, st.booleans(), st.booleans())
@settings(max_examples=300, deadline=None)
def test_json_writer_matches_json_dumps(value: Any, sort_keys: bool, ascii_only: bool) -> None:
    expected = json.dumps(value, indent=2, sort_keys=sort_keys, ensure_ascii=ascii_only)
    assert dump_json(value, sort_keys=sort_keys, ensure_ascii=ascii_only) == expected


def _exact(value: Any) -> Any:
    """The conversion the dashboards compiler applied before json.dumps."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _exact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_exact(v) for v in value]
    return value


def test_json_writer_whole_floats_as_ints_only_where_the_old_conversion_reached() -> None:
    value = {"a": 80.0, "b": [1.0, 2.5, {"c": -0.0}], "t": (3.0, [4.0]), "n": float("nan")}
    expected = json.dumps(_exact(value), indent=2, sort_keys=True, ensure_ascii=False)
    assert dump_json(value, whole_floats_as_ints=True) == expected
    with pytest.raises(TypeError):
        dump_json({"x": object()})


def test_json_writer_on_every_json_file_sark_generates(sark_files: dict[str, str]) -> None:
    paths = [p for p in sark_files if p.endswith(".json")]
    assert len(paths) > 10
    for path in paths:
        document = json.loads(sark_files[path])
        assert dump_json(document) + "\n" == sark_files[path], path


# -- YAML -------------------------------------------------------------------------------------
def _pyyaml(data: Any) -> str:
    """What dump_yaml gave before its fast path: PyYAML's representer throughout."""

    class Plain(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
        pass

    Plain.add_representer(str, _represent_str)
    return yaml.dump(
        data,
        Dumper=Plain,
        sort_keys=False,
        allow_unicode=True,
        width=10_000,
        indent=2,
        default_flow_style=False,
    )


@given(JSONISH)
@settings(max_examples=300, deadline=None)
def test_yaml_fast_path_matches_pyyaml(value: Any) -> None:
    assert dump_yaml(value) == _pyyaml(value)


# Strings made of what YAML reads as syntax: indicators, breaks, blanks, special characters,
# and words the resolver reads as other types.
YAML_WORDS = st.sampled_from(
    ["true", "No", "null", "~", "1.5", "0x1F", "12:30", "2020-01-01", "<<", "=", ".inf", "1_0"]
)
YAML_TEXT = st.one_of(
    YAML_WORDS,
    st.text(
        alphabet=st.sampled_from(
            [*"ab1 :#-?'\"\n\t.e|>&*!%@`,[]{}~0+_\\", *"\x85\u2028é\ufeff\xa0\U00010000\r\x7f"]
        ),
        max_size=10,
    ),
)
YAMLISH = st.recursive(
    st.one_of(SCALARS, YAML_TEXT),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(YAML_TEXT, inner, max_size=4)
    ),
    max_leaves=24,
)


@given(YAMLISH)
@settings(max_examples=2000, deadline=None)
def test_yaml_direct_writer_matches_pyyaml_on_yaml_syntax(value: Any) -> None:
    assert dump_yaml(value) == _pyyaml(value)


def test_yaml_direct_writer_writes_sark_documents_itself() -> None:
    """Rule and test documents take the direct path (it is not a fallback in disguise)."""
    document = {
        "groups": [{"name": "g", "rules": [{"alert": "A", "expr": "up == 0\nor x", "for": "5m"}]}]
    }
    assert _direct(document) == _pyyaml(document)
    assert _direct({"k": "  leading\nspace"}) is None


def test_yaml_fast_path_leaves_shared_objects_and_other_types_to_pyyaml() -> None:
    shared = {"a": 1}
    data = {"x": shared, "y": shared, "multi": "line one\nline two\n", "f": 1e17}
    assert dump_yaml(data) == _pyyaml(data)
    assert "&id001" in dump_yaml(data)
    assert dump_yaml({"t": (1, 2)}) == _pyyaml({"t": (1, 2)})


def test_yaml_on_every_yaml_file_sark_generates(sark_files: dict[str, str]) -> None:
    paths = [p for p in sark_files if p.endswith((".yml", ".yaml"))]
    assert len(paths) > 10
    for path in paths:
        text = sark_files[path]
        body = "".join(line for line in text.splitlines(True) if not line.startswith("#"))
        assert dump_yaml(load_yaml(text)) == body, path
        assert load_yaml(text) == yaml.safe_load(text)


# -- JSON Schema validity -----------------------------------------------------------------------
def _schema() -> Any:
    return json.loads(SCHEMA_PATH.read_text())


def _jsonschema_valid(schema: Any, document: Any) -> bool:
    return not list(jsonschema.Draft7Validator(schema).iter_errors(document))


def _mutations(document: Any, rng: random.Random, count: int) -> list[Any]:
    """Copies of the document with one thing changed somewhere, as a bug would change it."""
    paths: list[list[Any]] = []

    def walk(node: Any, path: list[Any]) -> None:
        paths.append(path)
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, [*path, key])
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, [*path, index])

    walk(document, [])
    replacements = [None, "", "x", 0, -1, 1.5, True, [], {}, [1], {"extra": 1}, 10**6]
    out = []
    for _ in range(count):
        changed = copy.deepcopy(document)
        path = rng.choice(paths[1:])
        parent = changed
        for key in path[:-1]:
            parent = parent[key]
        if isinstance(parent, dict) and rng.random() < 0.3:
            del parent[path[-1]]
        elif isinstance(parent, dict) and rng.random() < 0.2:
            parent["unexpectedKey"] = 1
        else:
            parent[path[-1]] = rng.choice(replacements)
        out.append(changed)
    return out


def test_validity_agrees_with_jsonschema_on_dashboards_and_their_mutations(
    sark_files: dict[str, str],
) -> None:
    schema = _schema()
    is_valid = validity(schema)
    rng = random.Random(9)
    documents = [json.loads(t) for p, t in sorted(sark_files.items()) if p.endswith(".json")]
    dashboards = [d for d in documents if "panels" in d]
    assert dashboards and all(is_valid(d) for d in dashboards)
    invalid = 0
    for dashboard in dashboards:
        for mutated in _mutations(dashboard, rng, 60):
            expected = _jsonschema_valid(schema, mutated)
            assert is_valid(mutated) is expected
            invalid += not expected
    assert invalid > 100  # the mutations do break the schema, often


@pytest.mark.parametrize(
    ("schema", "good", "bad"),
    [
        ({"type": "integer"}, [1, 2.0, -3], [True, 1.5, "1", None]),
        ({"type": ["string", "null"]}, ["a", None], [1, [], {}]),
        ({"enum": [1, "a", [1, 2]]}, [1, 1.0, "a", [1, 2]], [True, "b", [2, 1]]),
        ({"const": False}, [False], [0, None, True]),
        ({"minimum": 2, "exclusiveMaximum": 5}, [2, 4.9, "x", True], [1, 5]),
        ({"minLength": 2, "maxLength": 3, "pattern": "^a"}, ["ab", "abc", 5], ["a", "ba", "abcd"]),
        ({"items": [{"type": "string"}], "additionalItems": False}, [[], ["a"]], [["a", 1], [1]]),
        (
            {"items": {"type": "integer"}, "minItems": 1, "uniqueItems": True},
            [[1, 2]],
            [[], [1, 1.0]],
        ),
        ({"uniqueItems": True}, [[1, True], [{"a": 1}, {"a": 2}]], [[{"a": 1}, {"a": 1}]]),
        (
            {
                "properties": {"a": {"type": "string"}},
                "required": ["a"],
                "additionalProperties": False,
            },
            [{"a": "x"}],
            [{}, {"a": 1}, {"a": "x", "b": 1}],
        ),
        (
            {
                "patternProperties": {"^x-": {"type": "integer"}},
                "additionalProperties": {"type": "string"},
            },
            [{"x-a": 1, "b": "s"}],
            [{"x-a": "s"}, {"b": 1}],
        ),
        ({"minProperties": 1, "maxProperties": 1}, [{"a": 1}], [{}, {"a": 1, "b": 2}]),
        ({"oneOf": [{"type": "integer"}, {"minimum": 0}]}, [-1, 0.5], [1, -0.5]),
        ({"anyOf": [{"type": "integer"}, {"type": "string"}]}, [1, "a"], [1.5]),
        ({"allOf": [{"type": "integer"}, {"minimum": 0}], "not": {"const": 3}}, [0], [-1, 3]),
        (
            {
                "if": {"properties": {"k": {"const": "a"}}},
                "then": {"required": ["a"]},
                "else": {"required": ["b"]},
            },
            [{"k": "a", "a": 1}, {"k": "c", "b": 1}],
            [{"k": "a"}, {"k": "c"}, {"b": 1}],
        ),
        (
            {
                "definitions": {
                    "n": {"type": "object", "properties": {"next": {"$ref": "#/definitions/n"}}}
                },
                "$ref": "#/definitions/n",
                "type": "string",
            },
            [{"next": {"next": {}}}],
            [{"next": 1}, "a string: $ref overrides its siblings"],
        ),
        (True, [1, None], []),
        ({"not": True}, [], [1]),
    ],
)
def test_validity_keywords_as_jsonschema_reads_them(
    schema: Any, good: list[Any], bad: list[Any]
) -> None:
    is_valid = validity(schema)
    for document in good:
        assert is_valid(document) and _jsonschema_valid(schema, document), document
    for document in bad:
        assert not is_valid(document) and not _jsonschema_valid(schema, document), document


def test_validity_refuses_what_it_does_not_implement() -> None:
    with pytest.raises(Unsupported):
        validity({"properties": {"a": {"contains": {"type": "string"}}}})
    with pytest.raises(Unsupported):
        validity({"$ref": "https://example.com/schema.json"})
    assert equal([1, {"a": 1.0}], (1, {"a": 1})) and not equal(True, 1)
    assert unique([1, "1", True]) and not unique([1, 1.0])


# -- Panel overlaps ---------------------------------------------------------------------------
def _overlaps_pairwise(panels: list[dict[str, Any]]) -> list[str]:
    out, boxes = [], []
    for panel in panels:
        x, y, w, h = (panel["gridPos"][k] for k in "xywh")
        for other, (ox, oy, ow, oh) in boxes:
            if x < ox + ow and ox < x + w and y < oy + oh and oy < y + h:
                out.append(f"panel {panel['title']!r} overlaps panel {other!r}")
        boxes.append((panel["title"], (x, y, w, h)))
    return out


@given(
    st.lists(
        st.tuples(
            st.integers(-2, 26), st.integers(-2, 30), st.integers(-2, 12), st.integers(-2, 12)
        ),
        max_size=25,
    )
)
@settings(max_examples=300, deadline=None)
def test_overlaps_found_by_rows_are_those_found_pairwise(boxes: list[tuple[int, ...]]) -> None:
    panels = [
        {"title": f"p{i}", "gridPos": dict(zip("xywh", box, strict=True))}
        for i, box in enumerate(boxes)
    ]
    found = [e for e in layout_errors(panels) if "overlaps" in e]
    assert found == _overlaps_pairwise(panels)


# -- Label index ------------------------------------------------------------------------------
@given(
    st.lists(
        st.dictionaries(st.sampled_from("abc"), st.sampled_from(["", "x", "y"]), max_size=3),
        max_size=30,
    ),
    st.lists(
        st.tuples(
            st.sampled_from("abc"),
            st.sampled_from(["=", "!=", "=~", "!~"]),
            st.sampled_from(["", "x", "y", "x|y"]),
        ),
        max_size=3,
    ),
)
def test_label_index_finds_exactly_the_matching_sets(
    label_sets: list[dict[str, str]], specs: list[tuple[str, str, str]]
) -> None:
    matchers = [Matcher.parse(f'{name}{op}"{value}"') for name, op, value in specs]
    expected = [i for i, labels in enumerate(label_sets) if matches_all(matchers, labels)]
    assert LabelIndex(label_sets).matching(matchers) == expected
