"""Markdown from jinja2 templates, with every piece of user text escaped.

Markdown renders inline HTML, so text from definitions (help, summaries, runbook steps) is
HTML-escaped, except inside code spans where Markdown shows it literally and escaping
would corrupt it. The environment autoescapes everything else, and undefined names are
errors, so a template mistake fails the build instead of leaving a blank.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import cache, lru_cache

import jinja2
from markupsafe import Markup

from sarkmon.promql.describe import code

# A CommonMark code span: a run of backticks closed by a run of the same length.
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)


def escape(text: str) -> str:
    """What Markdown would read as HTML or an entity; quotes stay readable."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _memo(render: Callable[[str], Markup]) -> Callable[[object], Markup]:
    """A filter that renders each text once: runbooks repeat many (teams, help, policies)."""
    cached = lru_cache(maxsize=8192)(render)

    def apply(value: object) -> Markup:
        if isinstance(value, Markup):
            return render(value)
        return cached(str(value))

    apply.__doc__ = render.__doc__
    return apply


@_memo
def prose(text: str) -> Markup:
    """User text as Markdown: HTML escaped outside code spans, code spans kept as written."""
    if isinstance(text, Markup):
        return text
    out, last = [], 0
    for match in _CODE_SPAN.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("".join(out))


@_memo
def inline(text: str) -> Markup:
    """Prose on one line (whitespace runs, newlines included, become one space)."""
    return Markup(" ".join(str(prose(text)).split()))


@_memo
def cell(text: str) -> Markup:
    """Prose or Markup for a table cell: one line, pipes escaped (GitHub tables need it)."""
    return Markup(str(inline(text)).replace("|", "\\|"))


def code_span(value: object) -> Markup:
    return Markup(code(str(value)))


def code_block(value: object, language: str = "") -> Markup:
    """A fenced block holding the text literally, fenced longer than any backtick run in it."""
    text = str(value).rstrip("\n")
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return Markup(f"{fence}{language}\n{text}\n{fence}")


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading's text (before de-duplication)."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(headings: Iterable[str]) -> list[str]:
    """The anchors of a page's headings in order, numbered as GitHub does when repeated."""
    seen: dict[str, int] = {}
    out = []
    for heading in headings:
        base = anchor(heading)
        count = seen.get(base, 0)
        out.append(base if count == 0 else f"{base}-{count}")
        seen[base] = count + 1
    return out


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs, like Python's own bytecode (and not when that
    is turned off): compiling the templates costs a short run a tenth of its time. jinja2
    keys each entry by its template's source, so an edited template is compiled anew."""
    if sys.dont_write_bytecode:
        return None
    try:
        return jinja2.FileSystemBytecodeCache()  # a directory of the user's own in the temp dir
    except (OSError, RuntimeError):
        return None


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("sarkmon.compile", "templates"),
        bytecode_cache=_bytecode_cache(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        prose=prose,
        inline=inline,
        cell=cell,
        code=code_span,
        codeblock=code_block,
        anchor=anchor,
    )
    return env


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def code_lines(text: str) -> Iterator[tuple[str, bool]]:
    """Each line of Markdown, and whether it belongs to a fenced code block (fences included)."""
    fence = ""
    for line in text.split("\n"):
        match = _FENCE.match(line)
        mark = match.group(1) if match else ""
        if mark and not fence:
            fence = mark
            yield line, True
        elif mark and mark[0] == fence[0] and len(mark) >= len(fence):
            fence = ""
            yield line, True
        else:
            yield line, bool(fence)


def squeeze_blank_lines(text: str) -> str:
    """At most one blank line in a row outside code blocks (inside, text stays as written)."""
    out: list[str] = []
    if "```" not in text and "~~~" not in text:  # no fence: no line is code
        for line in text.split("\n"):
            if line.strip() or not out or out[-1].strip():
                out.append(line)
        return "\n".join(out).strip("\n") + "\n"
    for line, in_code in code_lines(text):
        if not in_code and not line.strip() and out and not out[-1].strip():
            continue
        out.append(line)
    return "\n".join(out).strip("\n") + "\n"


def render(template: str, **context: object) -> str:
    # Blank lines never pile up, whatever a template's conditionals leave behind.
    return squeeze_blank_lines(environment().get_template(template).render(**context))
