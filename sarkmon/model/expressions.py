"""PromQL text as the model stores it: anything that stringifies, tidied for output."""

from __future__ import annotations

import textwrap

PromQL = object  # a str, a catalog Selector or builder: anything whose str() is PromQL


def promql_text(expr: PromQL) -> str:
    """Dedented, without trailing blanks; the text written to every output."""
    text = textwrap.dedent(str(expr)).strip("\n")
    return "\n".join(line.rstrip() for line in text.splitlines()).strip()
