"""dashboard/logql: LogQL queries of logs panels read offline, without a LogQL parser."""

from __future__ import annotations

import pytest

from sarkmon.lint.logql import logql_problem
from sarkmon.pipeline import Build

VALID = (
    'count_over_time({app="shop"}[5m])',
    'sum by (level) (rate({app="shop", env=~"prod|stage"} |= "error" != "timeout" [5m]))',
    'topk(10, sum by (user) (count_over_time({app="shop"} | json | kind="audit" [$__range])))',
    '{app="shop"} | logfmt --strict | duration > 10s and status >= 500',
    '{app="shop"} | json first="servers[0]", ua="headers[\\"User-Agent\\"]"',
    '{app="shop"} | line_format "{{.level}} {{.msg}}" | label_format lvl=level, x="{{.y}}"',
    'quantile_over_time(0.99, {app="shop"} | json | unwrap duration(took) | __error__="" [5m])'
    " by (route)",
    '{app="shop"} | pattern "<ip> - <_>" | regexp "(?P<verb>\\\\w+) (?<path>\\\\S+)"',
    '{app="shop"} | drop a, b="c" | keep d | decolorize | unpack',
    '{app="shop"} |~ `\\d+ms` or "slow" | (a="x" or b="y"), c!="z"',
    '{app=~"$app", env="${env}"} |= ip("10.0.0.0/8") # a comment',
    '{app="shop"} |~ "(?i)timeout" | msg=~"foo(?i)bar"',  # RE2 flags Python reads otherwise
    'sum(count_over_time({app="shop"}[1h] offset 1h)) / 2',
)

# query -> what the message must say
MALFORMED = {
    '{app="shop" | json': "unclosed '{'",
    'sum(rate({app="shop"}[5m])': "unclosed '('",
    '{app="shop"} | json )': "unmatched ')'",
    '{app="shop"} | json | level=~"error|critical': "unterminated string",
    'app="shop" | json': "no stream selector",
    "{}": "empty stream selector",
    "{app=shop}": "expected a quoted string after app=, found 'shop'",
    '{app=="shop"}': "expected one of =, !=, =~, !~ after app, found '=='",
    '{1app="shop"}': "expected a label name in the stream selector, found '1app'",
    '{app.name="shop"}': "found 'app.name'",
    '{app=~".*"}': "no matcher that excludes the empty value",
    '{app!="shop"}': "no matcher that excludes the empty value",
    '{app=~"sh(op"}': "invalid regular expression 'sh(op' in the stream selector",
    '{app="shop"} | jsn': "unknown pipeline stage 'jsn'",
    '{app="shop"} |~ "(unclosed"': "invalid regular expression '(unclosed' in the line filter",
    '{app="shop"} | json | level=~"[a-"': "invalid regular expression '[a-' in the label filter",
    '{app="shop"} |= "a\\.b"': "invalid escape \\. in",
    '{app="shop"} |= error': "expected a quoted string after the line filter |=, found 'error'",
    '{app="shop"} | line_format': "expected a quoted string after | line_format",
    '{app="shop"} | unwrap': "expected a label after | unwrap",
    '{app="shop"} | json | level': "unknown pipeline stage 'level'",
    '{app="shop"} | json | level="error" "extra"': "unexpected '\"extra\"' after the pipeline",
    'count_overtime({app="shop"}[5m])': "unknown function 'count_overtime'",
    'count_over_time({app="shop"}[five])': "expected a range like [5m] or [$__range]",
}


@pytest.mark.parametrize("query", VALID)
def test_valid_queries_pass(query: str) -> None:
    assert logql_problem(query) == ""


@pytest.mark.parametrize("query", sorted(MALFORMED))
def test_malformed_queries_are_reported_with_their_problem(query: str) -> None:
    assert MALFORMED[query] in logql_problem(query)


def test_sark_log_queries_pass(sark_build: Build) -> None:
    queries = [
        target.expr
        for dash in sark_build.dashboards
        for panel in dash.panels
        for target in panel.targets
        if target.datasource_type == "loki"
    ]
    assert len(queries) == 5
    assert [q for q in queries if logql_problem(q)] == []
