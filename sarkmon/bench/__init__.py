"""``make bench``: how long generation and analysis take (medians of several runs)."""

from __future__ import annotations


def main() -> None:
    from sarkmon.bench import analysis, generate

    generate.report()
    print()
    analysis.report()
