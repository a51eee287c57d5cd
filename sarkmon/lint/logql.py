"""LogQL: the Loki queries of logs panels, checked offline without a LogQL parser.

The check is deliberately partial: it reads the parts of LogQL a typo breaks most often (the
stream selector, the pipeline stages, quoting and bracketing, regular expressions, function
names) and trusts the rest, so a query Loki accepts is never reported. Grafana variables
(``$var``, ``${var}``, ``$__range``) stand for values and ranges and are not checked.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from sarkmon.diagnostics import Finding, Severity
from sarkmon.lint.dashboards import dashboard_object, panel_object
from sarkmon.lint.registry import LintContext, check
from sarkmon.source import Location
from sarkmon.views import DashboardView, TargetView

LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
MATCHER_OPS = ("=", "!=", "=~", "!~")
LINE_FILTERS = ("|=", "!=", "|~", "!~", "|>", "!>")
LABEL_FILTER_OPS = ("=", "!=", "=~", "!~", "==", ">", ">=", "<", "<=")
# Stages written `| name ...`; a name that is none of these must start a label filter.
STAGES = frozenset(
    {
        "json",
        "logfmt",
        "line_format",
        "label_format",
        "unwrap",
        "pattern",
        "regexp",
        "drop",
        "keep",
        "decolorize",
        "unpack",
        "distinct",
    }
)
# Every name LogQL calls like a function (range and vector aggregations, functions) and the
# keywords a metric query may hold; an unknown name before "(" is a typo.
FUNCTIONS = frozenset(
    {
        "rate",
        "rate_counter",
        "count_over_time",
        "bytes_rate",
        "bytes_over_time",
        "absent_over_time",
        "sum_over_time",
        "avg_over_time",
        "max_over_time",
        "min_over_time",
        "first_over_time",
        "last_over_time",
        "stdvar_over_time",
        "stddev_over_time",
        "quantile_over_time",
        "sum",
        "avg",
        "min",
        "max",
        "count",
        "stddev",
        "stdvar",
        "topk",
        "bottomk",
        "approx_topk",
        "sort",
        "sort_desc",
        "label_replace",
        "vector",
        "duration",
        "duration_seconds",
        "bytes",
        "ip",
        "by",
        "without",
        "on",
        "ignoring",
        "group_left",
        "group_right",
        "bool",
        "and",
        "or",
        "unless",
    }
)
# Regex syntax RE2 has and Python's re reads otherwise or refuses (Unicode classes, \z,
# \Q...\E, \x{...}, POSIX classes, flags mid-pattern, ungreedy U): left unchecked.
RE2_ONLY = re.compile(r"\\[pPzCQ]|\\x\{|\[\[:|.\(\?[a-zA-Z-]+\)|\(\?[a-zA-Z-]*U")
GO_ESCAPES = frozenset('abfnrtv\\"')

_TOKEN = re.compile(
    r"""
    (?P<space>\s+|\#[^\n]*)
  | (?P<string>"(?:[^"\\\n]|\\.)*"|`[^`]*`)
  | (?P<variable>\$\{[^}]*\}|\$\w+)
  | (?P<flag>--[a-z][a-z-]*)
  | (?P<number>\d[\w.]*)
  | (?P<name>[a-zA-Z_][\w.:]*)
  | (?P<op>\|=|\|~|\|>|!=|!~|!>|=~|==|>=|<=|[|=<>!,(){}\[\]+\-*/%^])
    """,
    re.VERBOSE,
)
_CLOSERS = {"(": ")", "{": "}", "[": "]"}


class LogQLError(ValueError):
    pass


@dataclass(frozen=True)
class Token:
    kind: str  # string | variable | flag | number | name | op | end
    text: str


END = Token("end", "")


def tokens(query: str) -> list[Token]:
    """The query's tokens; raises on a character or string no token can start with."""
    out, pos = [], 0
    while pos < len(query):
        found = _TOKEN.match(query, pos)
        if found is None:
            if query[pos] in '"`':
                raise LogQLError(f"unterminated string starting at {query[pos : pos + 20]!r}")
            raise LogQLError(f"unexpected character {query[pos]!r} at offset {pos}")
        kind = found.lastgroup or "op"
        if kind != "space":
            out.append(Token(kind, found.group()))
        pos = found.end()
    return out


def check_brackets(found: list[Token]) -> None:
    stack: list[str] = []
    for token in found:
        if token.kind != "op":
            continue
        if token.text in _CLOSERS:
            stack.append(token.text)
        elif token.text in _CLOSERS.values():
            if not stack or _CLOSERS[stack[-1]] != token.text:
                raise LogQLError(f"unmatched {token.text!r}")
            stack.pop()
    if stack:
        raise LogQLError(f"unclosed {stack[-1]!r}")


def string_value(token: Token) -> str:
    """The value of a string token; Go's escapes only (\\. is an error, \\\\. is meant)."""
    if token.text.startswith("`"):
        return token.text[1:-1]
    body, out, i = token.text[1:-1], [], 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            escaped = body[i + 1]
            if escaped in GO_ESCAPES:
                out.append({"\\": "\\", '"': '"'}.get(escaped, " "))
            elif escaped in "xuU01234567":
                out.append(" ")  # a numeric escape: its character does not matter here
            else:
                raise LogQLError(
                    f"invalid escape \\{escaped} in {token.text}: write \\\\{escaped} "
                    "or use a `raw string`"
                )
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


def check_regex(pattern: str, where: str) -> None:
    if "$" in pattern or RE2_ONLY.search(pattern):
        return  # a Grafana variable, or syntax only RE2 reads
    pattern = pattern.replace("(?<", "(?P<").replace("(?P<=", "(?<=").replace("(?P<!", "(?<!")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            re.compile(pattern)
    except re.error as err:
        raise LogQLError(f"invalid regular expression {pattern!r} in {where}: {err}") from err


class _Reader:
    """A walk over a query's tokens that reads stream selectors and pipelines exactly."""

    def __init__(self, found: list[Token]) -> None:
        self.found = found
        self.pos = 0

    def peek(self, ahead: int = 0) -> Token:
        index = self.pos + ahead
        return self.found[index] if index < len(self.found) else END

    def next(self) -> Token:
        token = self.peek()
        self.pos += 1
        return token

    def expect(self, text: str, after: str) -> None:
        token = self.next()
        if token.text != text or token.kind != "op":
            raise LogQLError(f"expected {text!r} after {after}, found {describe(token)}")

    def value(self, after: str) -> Token:
        token = self.next()
        if token.kind not in ("string", "variable"):
            raise LogQLError(f"expected a quoted string after {after}, found {describe(token)}")
        return token

    # -- stream selector and pipeline ------------------------------------------------------

    def log_query(self) -> None:
        self.selector()
        self.pipeline()

    def selector(self) -> None:
        self.expect("{", "the start of the query")
        if self.peek().text == "}":
            raise LogQLError("empty stream selector {}: name at least one label")
        usable = False
        while True:
            name = self.next()
            if name.kind != "name" or not LABEL_NAME.fullmatch(name.text):
                raise LogQLError(
                    f"expected a label name in the stream selector, found {describe(name)}"
                )
            op = self.next()
            if op.text not in MATCHER_OPS:
                raise LogQLError(
                    f"expected one of {', '.join(MATCHER_OPS)} after {name.text}, "
                    f"found {describe(op)}"
                )
            raw = self.value(f"{name.text}{op.text}")
            usable |= self.selects(op.text, raw)
            if self.peek().text == ",":
                self.next()
                continue
            self.expect("}", f"{name.text}{op.text}{raw.text}")
            break
        if not usable:
            raise LogQLError(
                "the stream selector has no matcher that excludes the empty value "
                '(Loki refuses it): add one like job="..."'
            )

    def selects(self, op: str, raw: Token) -> bool:
        """Whether a matcher narrows the streams, as Loki requires of at least one."""
        if raw.kind == "variable":
            return True
        value = string_value(raw)
        if op in ("=~", "!~"):
            check_regex(value, f"the stream selector ({raw.text})")
        if "$" in value:
            return True
        if op == "=":
            return value != ""
        if op == "=~":
            try:
                return re.fullmatch(value, "") is None
            except re.error:
                return True
        return False

    def pipeline(self) -> None:
        while True:
            token = self.peek()
            if token.kind == "op" and token.text in LINE_FILTERS:
                self.next()
                self.line_filter(token.text)
                while self.peek().text == "or":
                    self.next()
                    self.line_filter(token.text)
            elif token.kind == "op" and token.text == "|":
                self.next()
                self.stage()
            else:
                return

    def line_filter(self, op: str) -> None:
        if self.peek().text == "ip" and self.peek(1).text == "(":
            self.next()
            self.next()
            self.value("ip(")
            self.expect(")", "ip(...")
            return
        raw = self.value(f"the line filter {op}")
        if op in ("|~", "!~") and raw.kind == "string":
            check_regex(string_value(raw), f"the line filter {op} {raw.text}")
        elif raw.kind == "string":
            string_value(raw)

    def stage(self) -> None:
        token = self.peek()
        if token.text == "(":
            self.label_filters()
            return
        if token.kind != "name":
            raise LogQLError(f"expected a stage after '|', found {describe(token)}")
        follower = self.peek(1)
        if follower.kind == "op" and follower.text in LABEL_FILTER_OPS:
            self.label_filters()
            return
        if token.text not in STAGES:
            raise LogQLError(
                f"unknown pipeline stage {token.text!r} (a label filter needs an operator: "
                f'{token.text}="value")'
            )
        self.next()
        getattr(self, "stage_" + token.text, self.stage_params)(token.text)

    def stage_params(self, stage: str) -> None:
        """Optional flags and ``name`` or ``name="value"`` / ``name=other`` items."""
        while self.peek().kind == "flag":
            self.next()
        while self.peek().kind == "name":
            self.next()
            if self.peek().text == "=":
                self.next()
                value = self.next()
                if value.kind not in ("string", "variable", "name"):
                    raise LogQLError(f"expected a value in | {stage}, found {describe(value)}")
                if value.kind == "string":
                    string_value(value)
            elif self.peek().kind == "op" and self.peek().text in MATCHER_OPS:
                self.next()  # drop and keep take matchers too
                self.value(f"| {stage}")
            if self.peek().text != ",":
                return
            self.next()

    def stage_line_format(self, stage: str) -> None:
        string_value(self.value(f"| {stage}"))

    stage_pattern = stage_line_format

    def stage_regexp(self, stage: str) -> None:
        raw = self.value(f"| {stage}")
        if raw.kind == "string":
            check_regex(string_value(raw), f"| regexp {raw.text}")

    def stage_label_format(self, stage: str) -> None:
        if self.peek().kind != "name":
            raise LogQLError(f"expected name=value after | {stage}, found {describe(self.peek())}")
        self.stage_params(stage)

    def stage_unwrap(self, stage: str) -> None:
        name = self.next()
        if name.kind != "name":
            raise LogQLError(f"expected a label after | unwrap, found {describe(name)}")
        if name.text in ("duration", "duration_seconds", "bytes") and self.peek().text == "(":
            self.next()
            if self.next().kind != "name":
                raise LogQLError(f"expected a label in | unwrap {name.text}(...)")
            self.expect(")", f"| unwrap {name.text}(label")

    def label_filters(self) -> None:
        """``a="x" and b>5``, ``a="x", b="y"``, ``(a="x" or b="y")``."""
        while True:
            if self.peek().text == "(":
                self.next()
                self.label_filters()
                self.expect(")", "a parenthesized label filter")
            else:
                self.label_filter()
            if self.peek().text not in (",", "and", "or"):
                return
            self.next()

    def label_filter(self) -> None:
        name = self.next()
        if name.kind != "name" or not LABEL_NAME.fullmatch(name.text):
            raise LogQLError(f"expected a label name in a label filter, found {describe(name)}")
        op = self.next()
        if op.text not in LABEL_FILTER_OPS:
            raise LogQLError(f"expected an operator after {name.text}, found {describe(op)}")
        value = self.next()
        if value.text == "ip" and self.peek().text == "(":
            self.next()
            self.value("ip(")
            self.expect(")", "ip(...")
        elif value.kind == "string":
            text = string_value(value)
            if op.text in ("=~", "!~"):
                check_regex(text, f"the label filter {name.text}{op.text}{value.text}")
        elif value.kind not in ("number", "variable"):
            raise LogQLError(
                f"expected a quoted string or number after {name.text}{op.text}, "
                f"found {describe(value)}"
            )

    # -- metric queries --------------------------------------------------------------------

    def metric_query(self) -> None:
        """Aggregations around log queries: selectors and pipelines read exactly, the rest
        checked for function names and ranges only."""
        while self.peek() is not END:
            token = self.peek()
            if token.text == "{" and token.kind == "op":
                self.log_query()
                continue
            self.next()
            if token.kind == "name" and self.peek().text == "(" and token.text not in FUNCTIONS:
                raise LogQLError(f"unknown function {token.text!r}")
            if token.text == "[" and token.kind == "op":
                self.range()

    def range(self) -> None:
        token = self.next()
        if token.kind not in ("number", "variable"):
            raise LogQLError(f"expected a range like [5m] or [$__range], found {describe(token)}")
        self.expect("]", f"[{token.text}")


def describe(token: Token) -> str:
    return "the end of the query" if token is END else repr(token.text)


def logql_problem(query: str) -> str:
    """What is wrong with a LogQL query, or "" when nothing this check reads is."""
    try:
        found = tokens(query)
        check_brackets(found)
        if not any(t.kind == "op" and t.text == "{" for t in found):
            raise LogQLError('no stream selector: a LogQL query reads streams like {job="..."}')
        reader = _Reader(found)
        if found[0].text == "{":
            reader.log_query()
            if reader.peek() is not END:
                raise LogQLError(f"unexpected {describe(reader.peek())} after the pipeline")
        else:
            reader.metric_query()
    except LogQLError as err:
        return str(err)
    return ""


def loki_queries(dash: DashboardView) -> Iterator[tuple[str, TargetView, object, Location]]:
    """Every Loki query of a dashboard: how findings name it, the query, its owner and
    where it is written (the panel's place when the query has none of its own)."""
    for panel in dash.panels:
        for target in panel.targets:
            if target.datasource_type == "loki":
                obj = f"{panel_object(dash, panel)} query {target.ref_id}"
                where = target.location if target.location.line else panel.location
                yield obj, target, target.owner or panel.owner, where
    for annotation in dash.annotations:
        if annotation.datasource_type == "loki":
            obj = f"{dashboard_object(dash)} annotation {annotation.ref_id!r}"
            yield obj, annotation, annotation.owner, annotation.location


@check(
    "dashboard/logql",
    Severity.ERROR,
    "LogQL query Loki cannot parse",
    """A logs panel's LogQL query is sent to Loki as written, and nothing else reads it
    before an operator opens the panel: a typo shows an error instead of the logs, on the
    panel needed during an incident. The check reads the stream selector (label names,
    matcher operators, quoted values, at least one matcher Loki accepts), the pipeline
    stages, brackets, quotes, regular expressions and function names. Fix the query as the
    message says; the LogQL reference lists every stage.""",
)
def logql(ctx: LintContext) -> Iterator[Finding]:
    for dash in ctx.dashboards:
        for obj, target, owner, where in loki_queries(dash):
            problem = logql_problem(target.expr)
            if problem:
                yield logql.about(owner, obj, where, problem)
