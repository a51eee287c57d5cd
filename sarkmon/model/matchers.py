"""Alertmanager label matchers: ``name="value"``, ``name!="value"``, ``name=~"re"``, ``name!~"re"``.

Parsed from the syntax Alertmanager's ``matchers:`` lists use, written back in one canonical,
quoted form, and evaluated exactly as Alertmanager does: a missing label has the empty value,
regular expressions are anchored at both ends.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from sarkmon.model.names import LABEL_NAME_RE


class MatchOp(StrEnum):
    EQ = "="
    NE = "!="
    RE = "=~"
    NRE = "!~"


class MatcherError(ValueError):
    pass


# The grammar of Alertmanager 0.25's matcher parser (pkg/labels/parse.go), one matcher at a time.
_MATCHER_RE = re.compile(r"^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|=|!=|!~)\s*(.*?)\s*$", re.DOTALL)
_ESCAPES = {"\\": "\\", '"': '"', "n": "\n"}


def _unquote(text: str) -> str:
    if len(text) < 2 or not (text.startswith('"') and text.endswith('"')):
        if '"' in text:
            raise MatcherError(f"unbalanced quotes in {text!r}")
        return text
    out, chars = [], iter(text[1:-1])
    for char in chars:
        if char == '"':
            raise MatcherError(f"unescaped quote inside {text!r}")
        if char == "\\":
            escaped = next(chars, "")
            if escaped not in _ESCAPES:
                raise MatcherError(f"invalid escape \\{escaped} in {text!r}")
            char = _ESCAPES[escaped]
        out.append(char)
    return "".join(out)


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@dataclass(frozen=True)
class Matcher:
    name: str
    op: MatchOp
    value: str
    _regex: re.Pattern[str] | None = field(default=None, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not LABEL_NAME_RE.match(self.name):
            raise MatcherError(f"invalid label name {self.name!r}")
        object.__setattr__(self, "op", MatchOp(self.op))
        if self.op in (MatchOp.RE, MatchOp.NRE):
            try:
                object.__setattr__(self, "_regex", re.compile(f"(?:{self.value})"))
            except re.error as err:
                raise MatcherError(f"invalid regular expression {self.value!r}: {err}") from err

    @classmethod
    def parse(cls, text: str) -> Matcher:
        """One matcher in Alertmanager's syntax, e.g. ``severity="critical"``."""
        if not isinstance(text, str):
            raise MatcherError(f"a matcher is a string like 'team=\"security\"', got {text!r}")
        found = _MATCHER_RE.match(text)
        if found is None:
            raise MatcherError(f'cannot parse matcher {text!r} (write it as name="value")')
        name, op, raw = found.groups()
        return cls(name, MatchOp(op), _unquote(raw))

    def matches(self, labels: Mapping[str, str]) -> bool:
        value = labels.get(self.name, "")
        if self._regex is None:
            return (value == self.value) is (self.op is MatchOp.EQ)
        return (self._regex.fullmatch(value) is not None) is (self.op is MatchOp.RE)

    def __str__(self) -> str:
        return f"{self.name}{self.op}{_quote(self.value)}"


def to_matchers(items: Iterable[Matcher | str]) -> tuple[Matcher, ...]:
    """Matchers from Matcher objects or strings; raises MatcherError on the first bad one."""
    return tuple(m if isinstance(m, Matcher) else Matcher.parse(m) for m in items)


def parsed(items: Iterable[Matcher | str]) -> tuple[Matcher, ...]:
    """The Matcher objects of a list the model has already normalised."""
    return tuple(m for m in items if isinstance(m, Matcher))


def matches_all(matchers: Iterable[Matcher], labels: Mapping[str, str]) -> bool:
    return all(m.matches(labels) for m in matchers)


def describe(matchers: Iterable[Matcher]) -> str:
    """``{team="security", severity="critical"}``: how findings and docs name a matcher list."""
    return "{" + ", ".join(str(m) for m in matchers) + "}"


class LabelIndex:
    """Label sets indexed by their values, so that finding the sets a matcher list matches
    costs the size of the answer, not the number of sets (inhibitions x alerts is large)."""

    def __init__(self, label_sets: Sequence[Mapping[str, str]]) -> None:
        self._sets = label_sets
        self._by_value: dict[str, dict[str, list[int]]] = {}

    def with_value(self, name: str, value: str) -> Sequence[int]:
        """Indices, in order, of the sets whose ``name`` is ``value`` (missing reads as '')."""
        values = self._by_value.get(name)
        if values is None:
            values = {}
            for index, labels in enumerate(self._sets):
                values.setdefault(labels.get(name, ""), []).append(index)
            self._by_value[name] = values
        return values.get(value, ())

    def candidates(self, matchers: Sequence[Matcher]) -> tuple[Matcher | None, Sequence[int]]:
        """An equality matcher of the list and the sets it matches (every set when none)."""
        key = next((m for m in matchers if m.op is MatchOp.EQ), None)
        if key is None:
            return None, range(len(self._sets))
        return key, self.with_value(key.name, key.value)

    def matching(self, matchers: Sequence[Matcher]) -> list[int]:
        """Indices, in order, of the sets that every matcher matches."""
        _key, found = self.candidates(matchers)
        return [i for i in found if matches_all(matchers, self._sets[i])]
