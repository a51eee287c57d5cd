"""``make bench``: generation at three scales against its floor, and analysis at scale.

``python -m sarkmon.bench [--scales S,M,L/2,L] [--runs N] [--no-save]`` prints the table
and stores it in ``sarkmon/bench/results.txt``, so that a change in speed shows in review.
"""

from __future__ import annotations

import argparse
from pathlib import Path

RESULTS = Path(__file__).with_name("results.txt")


def main(argv: list[str] | None = None) -> None:
    from sarkmon.bench import analysis, generate

    parser = argparse.ArgumentParser(prog="python -m sarkmon.bench")
    parser.add_argument("--scales", default=",".join(generate.ALL_SCALES))
    parser.add_argument("--runs", type=int, default=None, help="timed runs per measure")
    parser.add_argument("--no-save", action="store_true", help=f"do not write {RESULTS.name}")
    args = parser.parse_args(argv)
    scales = tuple(s for s in args.scales.split(",") if s)
    unknown = set(scales) - set(generate.ALL_SCALES)
    if unknown:
        parser.error(f"unknown scales {sorted(unknown)}; choose among {generate.ALL_SCALES}")
    lines = generate.report(scales, args.runs)
    print("\n".join(lines))
    lines += ["", *analysis.report()]
    print("\n".join(lines[-4:]))
    if not args.no_save:
        RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
