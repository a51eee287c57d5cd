"""How long ``sarkmon generate`` takes on SARK, against the floor of starting Python.

Runs each command several times in fresh processes and reports medians, so the figures
include interpreter start and imports, as a user running ``sarkmon generate`` sees them.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 5
FLOOR = "import click, yaml, jinja2, jsonschema, promql_parser, grafanalib"


def timed(argv: list[str], runs: int = RUNS) -> float:
    """Median wall time of ``argv`` over ``runs`` runs, in seconds."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def report() -> None:
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="sarkmon-bench-") as tmp:
        out = str(Path(tmp) / "generated")
        floor = timed([python, "-c", FLOOR])
        generate = timed([python, "-m", "sarkmon", "generate", "--out", out])
    print(f"{'measure':32} {'median s':>9} {'x floor':>8}")
    print(f"{'python + imports (floor)':32} {floor:9.3f} {1.0:8.2f}")
    print(f"{'sarkmon generate (SARK)':32} {generate:9.3f} {generate / floor:8.2f}")
