"""Python source for imported definitions, laid out the way ``ruff format`` lays it out.

Imported modules are code people will read and edit, so they are written as a person
would (calls with keyword arguments, tuples, f-strings embedding catalog metrics) and
formatted as ruff formats them: a call that fits on one line stays there; one that does
not puts its arguments together on the next line if they fit there, else each on its own
line with a trailing comma (a lone argument goes on its own line without one); a
collection that does not fit has an element a line. Long strings are split at spaces into
implicitly concatenated pieces, so no line passes the limit (ruff joins pieces that fit
on one line and splits no string, ``ruff check`` would complain).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Union

LINE = 100
INDENT = "    "


@dataclass(frozen=True)
class Code:
    """Code written as is: a name, a number, ``True``."""

    text: str


@dataclass(frozen=True)
class Ref:
    """An expression placed in an f-string, whose own strings take the other quote."""

    template: str  # with {q} where a quote goes: "gateway.REQUESTS(code={q}500{q})"

    def render(self, quote: str) -> str:
        return self.template.replace("{q}", quote)


@dataclass(frozen=True)
class Str:
    """A string literal; an f-string when some parts are references."""

    parts: tuple[str | Ref, ...]

    @property
    def is_empty(self) -> bool:
        return not any(self.parts)


@dataclass(frozen=True)
class Call:
    func: str
    args: tuple[Node, ...] = ()
    kwargs: tuple[tuple[str, Node], ...] = ()


@dataclass(frozen=True)
class Seq:
    items: tuple[Node, ...]
    kind: str = "tuple"  # tuple | list


@dataclass(frozen=True)
class Dict:
    items: tuple[tuple[Node, Node], ...]


@dataclass(frozen=True)
class Commented:
    """An element preceded by comment lines (only inside calls and collections)."""

    comments: tuple[str, ...]
    node: Node


Node = Union[Code, Str, Call, Seq, Dict, Commented]  # noqa: UP007 (a recursive alias)


def py(value: object) -> Node:
    """A node for a plain Python value (strings, numbers, bools, None, tuples, lists, dicts)."""
    if isinstance(value, Code | Str | Call | Seq | Dict | Commented):
        return value
    if isinstance(value, str):
        return Str((value,))
    if value is None or isinstance(value, bool | int):
        return Code(repr(value))
    if isinstance(value, float):
        return Code(repr(int(value)) if value.is_integer() else repr(value))
    if isinstance(value, tuple):
        return Seq(tuple(py(v) for v in value))
    if isinstance(value, list):
        return Seq(tuple(py(v) for v in value), "list")
    if isinstance(value, dict):
        return Dict(tuple((py(k), py(v)) for k, v in value.items()))
    raise TypeError(f"no source for {type(value).__name__}")


def call(func: str, *args: object, **kwargs: object) -> Call:
    return Call(func, tuple(py(a) for a in args), tuple((k, py(v)) for k, v in kwargs.items()))


# -- strings ----------------------------------------------------------------------------------
def _quote_for(literal: str) -> str:
    """Double quotes unless single ones need fewer escapes (ruff's preference)."""
    return "'" if literal.count('"') > literal.count("'") else '"'


def _escape(text: str, quote: str, braces: bool) -> str:
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char == quote:
            out.append("\\" + quote)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 32:
            out.append(f"\\x{ord(char):02x}")
        elif braces and char in "{}":
            out.append(char * 2)
        else:
            out.append(char)
    return "".join(out)


def literal(parts: Sequence[str | Ref]) -> str:
    """One string literal (an f-string when a part is a reference)."""
    text = "".join(p for p in parts if isinstance(p, str))
    quote = _quote_for(text)
    inner = "'" if quote == '"' else '"'
    is_f = any(isinstance(p, Ref) for p in parts)
    body = "".join(
        "{" + p.render(inner) + "}" if isinstance(p, Ref) else _escape(p, quote, is_f)
        for p in parts
    )
    return ("f" if is_f else "") + quote + body + quote


def _atoms(parts: Sequence[str | Ref]) -> list[list[str | Ref]]:
    """Pieces a string may be split between: each word with the space after it; references
    stay with the text around them."""
    atoms: list[list[str | Ref]] = []
    current: list[str | Ref] = []
    for part in parts:
        if isinstance(part, Ref):
            current.append(part)
            continue
        words = re.split(r"(?<=[ \n])", part)
        for word in words:
            if word:
                current.append(word)
            if word.endswith((" ", "\n")):  # a piece may end after a space or a line
                atoms.append(current)
                current = []
    if current:
        atoms.append(current)
    return atoms


def split_string(parts: Sequence[str | Ref], first: int, rest: int) -> list[str]:
    """Literals of at most ``first`` columns (then ``rest``), split after spaces."""
    chunks: list[list[str | Ref]] = []
    current: list[str | Ref] = []
    for atom in _atoms(parts):
        width = first if not chunks else rest
        if current and len(literal(current + atom)) > width:
            chunks.append(current)
            current = []
        current = current + atom
        if isinstance(current[-1], str) and current[-1].endswith("\n"):
            chunks.append(current)  # a line of a multi-line expression ends its piece
            current = []
    if current or not chunks:
        chunks.append(current)
    return [literal(_merge(chunk)) for chunk in chunks]


def _merge(parts: list[str | Ref]) -> list[str | Ref]:
    out: list[str | Ref] = []
    for part in parts:
        if isinstance(part, str) and out and isinstance(out[-1], str):
            out[-1] += part
        else:
            out.append(part)
    return out


# -- layout -----------------------------------------------------------------------------------
def flat(node: Node) -> str | None:
    """The node on one line, or None when it holds comments."""
    if isinstance(node, Code):
        return node.text
    if isinstance(node, Str):
        return literal(_merge(list(node.parts)))
    if isinstance(node, Commented):
        return None
    if isinstance(node, Call):
        items = [flat(a) for a in node.args] + [
            None if (v := flat(value)) is None else f"{k}={v}" for k, value in node.kwargs
        ]
        if any(i is None for i in items):
            return None
        return f"{node.func}({', '.join(i for i in items if i is not None)})"
    if isinstance(node, Seq):
        items = [flat(i) for i in node.items]
        if any(i is None for i in items):
            return None
        inner = ", ".join(i for i in items if i is not None)
        if node.kind == "list":
            return f"[{inner}]"
        return f"({inner},)" if len(items) == 1 else f"({inner})"
    pairs = [(flat(k), flat(v)) for k, v in node.items]
    if any(k is None or v is None for k, v in pairs):
        return None
    return "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"


def _elements(node: Call | Seq | Dict) -> list[tuple[str, Node, tuple[str, ...]]]:
    """(prefix, node, comments) of each element of a call or collection."""
    items: list[tuple[str, Node]] = []
    if isinstance(node, Call):
        items = [("", a) for a in node.args] + [(f"{k}=", v) for k, v in node.kwargs]
    elif isinstance(node, Seq):
        items = [("", i) for i in node.items]
    else:
        items = [(f"{flat(k)}: ", v) for k, v in node.items]
    out = []
    for prefix, item in items:
        comments: tuple[str, ...] = ()
        if isinstance(item, Commented):
            comments, item = item.comments, item.node
        out.append((prefix, item, comments))
    return out


def _brackets(node: Call | Seq | Dict) -> tuple[str, str]:
    if isinstance(node, Call):
        return node.func + "(", ")"
    if isinstance(node, Seq):
        return ("[", "]") if node.kind == "list" else ("(", ")")
    return "{", "}"


def lines(node: Node, indent: int = 0, prefix: str = "", suffix: str = "") -> list[str]:
    """The node's lines at ``indent`` levels, after ``prefix`` and before ``suffix``."""
    pad = INDENT * indent
    one = flat(node)
    # ruff joins implicitly concatenated strings (a multi-line expression too) when they fit.
    if one is not None and len(pad + prefix + one + suffix) <= LINE:
        return [pad + prefix + one + suffix]
    if isinstance(node, Str):
        first = LINE - len(pad + prefix)
        pieces = split_string(node.parts, first, LINE - len(pad) - len(suffix))
        if len(pieces) > 1 and prefix.endswith("= ") and "(" not in prefix:
            # A statement-level string: ruff wraps the pieces in parentheses.
            inner = [INDENT * (indent + 1) + p for p in pieces]
            return [pad + prefix + "(", *inner, pad + ")" + suffix]
        out = [pad + prefix + pieces[0]] + [pad + p for p in pieces[1:]]
        out[-1] += suffix
        return out
    if isinstance(node, Code | Commented):
        inner_node = node.node if isinstance(node, Commented) else node
        return lines(inner_node, indent, prefix, suffix)
    opener, closer = _brackets(node)
    elements = _elements(node)
    hugged = _hugged(node, elements, indent + 1)
    if hugged is not None:
        return [pad + prefix + opener, hugged, pad + closer + suffix]
    out = [pad + prefix + opener]
    lone = len(elements) == 1 and not elements[0][2] and not isinstance(node, Seq)
    for element_prefix, element, comments in elements:
        out += [(INDENT * (indent + 1) + "# " + c).rstrip() for c in comments]
        out += lines(element, indent + 1, element_prefix, "" if lone else ",")
    out.append(pad + closer + suffix)
    return out


def _hugged(
    node: Call | Seq | Dict, elements: list[tuple[str, Node, tuple[str, ...]]], indent: int
) -> str | None:
    """A call's arguments together on the line after its bracket, when they fit there: ruff
    does that before putting each on its own line (collections it always splits)."""
    if not isinstance(node, Call) or len(elements) < 2 or any(c for _, _, c in elements):
        return None
    texts = [(prefix, flat(element)) for prefix, element, _ in elements]
    if any(text is None for _, text in texts):
        return None
    line = INDENT * indent + ", ".join(f"{prefix}{text}" for prefix, text in texts)
    return line if len(line) <= LINE else None


def comment_lines(text: str, indent: int = 0) -> list[str]:
    """A comment wrapped to the line limit (each paragraph of ``text`` on its own lines)."""
    pad = INDENT * indent
    width = LINE - len(pad) - 2
    out: list[str] = []
    for paragraph in text.splitlines() or [""]:
        wrapped = textwrap.wrap(
            paragraph, width, break_long_words=True, break_on_hyphens=False
        ) or [""]
        out += [f"{pad}# {line}".rstrip() for line in wrapped]
    return out


def docstring(text: str) -> list[str]:
    """A module docstring, wrapped; backslashes and triple quotes are kept out of it."""
    safe = text.replace("\\", "/").replace('"""', "'''")
    # ruff format joins the closing quotes to any one-line docstring, however long: wrap so
    # that a line fits with both sets of quotes, and never split a path (a long word).
    width = LINE - 6
    paragraphs = [
        textwrap.wrap(p, width, break_long_words=False, break_on_hyphens=False)
        for p in safe.split("\n\n")
    ]
    body = ["\n".join(p) for p in paragraphs if p]
    if len(body) == 1 and "\n" not in body[0]:
        return [f'"""{body[0]}"""']
    joined = "\n\n".join(body).splitlines()
    return [f'"""{joined[0]}', *joined[1:], '"""']


# -- imports ----------------------------------------------------------------------------------
class Imports:
    """The ``from x import y`` lines a module needs, sorted as ruff's isort sorts them."""

    def __init__(self) -> None:
        self._names: dict[str, set[str]] = {}

    def name(self, module: str, name: str) -> str:
        self._names.setdefault(module, set()).add(name)
        return name

    def module(self, dotted: str) -> str:
        """``from parent import child``; the child module's name is how code refers to it."""
        parent, _, child = dotted.rpartition(".")
        if not parent:
            raise ValueError(f"{dotted!r} is a top-level module; import a submodule instead")
        return self.name(parent, child)

    def merge(self, other: Imports) -> None:
        for module, names in other._names.items():
            self._names.setdefault(module, set()).update(names)

    def lines(self) -> list[str]:
        out: list[str] = []
        for module in sorted(self._names):
            names = sorted(self._names[module], key=_isort_key)
            one = f"from {module} import {', '.join(names)}"
            if len(one) <= LINE:
                out.append(one)
            else:
                out += [f"from {module} import (", *(f"{INDENT}{n}," for n in names), ")"]
        return out


def _isort_key(name: str) -> tuple[int, str]:
    """Constants, then classes, then everything else (isort's order-by-type)."""
    if name.isupper() and len(name) > 1:
        return (0, name)
    return (1 if name[:1].isupper() else 2, name)


def module_source(doc: str, imports: Imports, notes: list[str], body: list[str]) -> str:
    """A whole module: docstring, imports, a comment block of notes, then the statements."""
    out = [*docstring(doc), "", *imports.lines(), ""]
    if notes:
        out += [*notes, ""]
    out += body
    return "\n".join(out).rstrip("\n") + "\n"
