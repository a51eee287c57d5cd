"""``sarkmon generate`` and ``sarkmon check --offline`` at three scales, against their floor.

S is SARK's definitions; M and L are synthetic packages (:mod:`sarkmon.bench.synthetic`)
written to a temporary directory; L/2 halves every count of L, so that L/2 -> L shows what
doubling costs. Every command runs in a fresh process, as a user runs it: the figures include
interpreter start, imports and writing the tree (into a new directory each run). Bytecode
is cached (in a temporary directory) and one untimed run warms it, as an installed sarkmon
would have it. Peak memory is the child's maximum RSS, from ``wait4``.

The floor is what no generator of these files can avoid: starting Python and importing the
dependencies generation needs, plus serializing the output (the documents read back from
the tree, written again as the same bytes, through the fastest writers sarkmon has) and
writing it. Ratios are to that floor.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sarkmon.bench.synthetic import PACKAGE, SCALES, half, write_package
from sarkmon.check.kubernetes import shared_dir
from sarkmon.compile.json_text import dump_json
from sarkmon.compile.yaml_text import dump_yaml, load_yaml

REPO = Path(__file__).resolve().parent.parent.parent
BENCH_DIR = REPO / ".bench"  # git-ignored
FLOOR = "import click, jinja2, promql_parser, yaml, grafanalib.core"
SERIALIZE = (
    "import sys; from pathlib import Path; from sarkmon.bench.generate import serialize_seconds;"
    " print(serialize_seconds(Path(sys.argv[1])))"
)
RUNS = {"S": 5, "M": 3, "L/2": 3, "L": 3}
ALL_SCALES = ("S", "M", "L/2", "L")
# Issue 9's targets.
L_SECONDS, L_RSS_MIB, S_SECONDS, S_FLOOR_RATIO, DOUBLING = 30.0, 1024.0, 1.0, 3.0, 2.2


@dataclass(frozen=True)
class Sample:
    seconds: float
    rss_mib: float
    output: str


@dataclass(frozen=True)
class Figure:
    seconds: float  # median
    rss_mib: float  # largest of the runs


@dataclass
class Result:
    scale: str
    what: str  # one line on the definitions measured
    runs: int
    imports: Figure
    serialize: float
    generate: Figure  # writing a whole new tree
    current: Figure  # over a tree that is up to date: nothing written
    check: Figure

    @property
    def floor(self) -> float:
        return self.imports.seconds + self.serialize


def child_env(pycache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    # The outputs are not in the repository: the CRD is where the repository's output finds it.
    env.setdefault("SARKMON_SHARED", str(shared_dir(REPO / "generated")))
    return env


def run(argv: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> Sample:
    """Wall time, peak RSS and stdout of one fresh process."""
    with tempfile.TemporaryFile(mode="w+") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=REPO)
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    if proc.returncode not in ok:
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}:\n{text[-2000:]}")
    return Sample(seconds, usage.ru_maxrss / 1024, text)


def measure(
    argv: list[str], env: dict[str, str], runs: int, before: Any = None, ok: tuple[int, ...] = (0,)
) -> tuple[Figure, Sample]:
    """One warm-up run, then the median of ``runs`` (``before()`` runs ahead of each)."""
    figures, last = measure_rounds([(argv, before, ok)], env, runs)
    return figures[0], last[0]


Command = tuple[list[str], Any, tuple[int, ...]]  # argv, before() or None, exit codes allowed


def measure_rounds(
    commands: list[Command], env: dict[str, str], runs: int
) -> tuple[list[Figure], list[Sample]]:
    """A warm-up round, then ``runs`` rounds running each command once, in turn; the median
    of each. This machine drifts (the host takes back memory a while after it is freed,
    the disk commits its journal), so both sides of a ratio are measured turn about, and
    pending writes are flushed before each run rather than charged to the next one."""
    samples: list[list[Sample]] = [[] for _ in commands]
    for _ in range(runs + 1):
        for index, (argv, before, ok) in enumerate(commands):
            if before is not None:
                before()
            os.sync()
            samples[index].append(run(argv, env, ok))
    figures = []
    for timed in samples:
        timed = timed[1:]
        figures.append(
            Figure(statistics.median(s.seconds for s in timed), max(s.rss_mib for s in timed))
        )
    return figures, [timed[-1] for timed in samples]


def serialize_seconds(tree: Path) -> float:
    """Writing the tree's documents again, from memory, as the same bytes."""
    documents: list[tuple[str, str, Any]] = []
    for path in sorted(p for p in tree.rglob("*") if p.is_file()):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(tree).as_posix()
        if path.suffix == ".json":
            documents.append((rel, "json", json.loads(text)))
        elif path.suffix in (".yml", ".yaml"):
            documents.append((rel, "yaml", load_yaml(text)))
        else:
            documents.append((rel, "text", text))
    with tempfile.TemporaryDirectory(prefix="sarkmon-bench-floor-", dir=tree.parent) as tmp:
        start = time.perf_counter()
        for rel, kind, document in documents:
            if kind == "json":
                body = dump_json(document) + "\n"
            elif kind == "yaml":
                body = dump_yaml(document)
            else:
                body = document
            target = Path(tmp) / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(body.encode("utf-8"))
        return time.perf_counter() - start


def offline_failures(output: str) -> list[str]:
    return [
        line.split(":")[0].removeprefix("FAIL").strip()
        for line in output.splitlines()
        if line.startswith("FAIL")
    ]


def bench_scale(name: str, work: Path, env: dict[str, str], runs: int) -> Result:
    python = sys.executable
    if name == "S":
        package, root, what = "definitions", REPO, "SARK's definitions"
    else:
        scale = SCALES[name] if name in SCALES else half(SCALES[name.removesuffix("/2")])
        root = work / name.replace("/", "-")
        write_package(scale, root)
        package, what = PACKAGE, scale.describe()
    trees = work / f"out-{name.replace('/', '-')}"
    where = ["--definitions", package, "--root", str(root)]
    generate_argv = [python, "-m", "sarkmon", "generate", *where, "--out", ""]
    # Each run writes a whole tree into a new directory; they are removed when the scale is
    # done, not between runs: on this machine's disk, deleting a tree slows the file
    # creation of the next second or so, which measured the disk instead of sarkmon.
    fresh = iter(range(runs + 1))

    def next_out() -> None:
        generate_argv[-1] = str(trees / str(next(fresh)))

    first = str(trees / "0")  # written by the warm-up round, before any timed run
    current_argv = [*generate_argv[:-1], first]
    (imports, generate, current), _ = measure_rounds(
        [
            ([python, "-c", FLOOR], None, (0,)),
            (generate_argv, next_out, (0,)),
            (current_argv, None, (0,)),
        ],
        env,
        runs,
    )
    out = Path(generate_argv[-1])
    check_argv = [python, "-m", "sarkmon", "check", "--offline", *where, "--out", str(out)]
    # The synthetic alerts have test cases on a share of them: coverage is all that may fail.
    check, last = measure(check_argv, env, runs, ok=(0, 1))
    failed = offline_failures(last.output)
    if failed not in ([], ["alert test coverage"]):
        raise RuntimeError(f"sarkmon check --offline failed on {name}:\n{last.output[-3000:]}")
    # In a child too: this process stays small, so no child inherits its memory (the peak
    # RSS of a child counts the pages it held between fork and exec).
    floor = [python, "-c", SERIALIZE, str(out)]
    serialize = statistics.median(float(run(floor, env).output) for _ in range(3))
    shutil.rmtree(trees)
    return Result(name, what, runs, imports, serialize, generate, current, check)


def table(results: list[Result]) -> list[str]:
    lines = [
        f"{'scale':6} {'measure':34} {'median s':>9} {'x floor':>8} {'peak RSS MiB':>13}",
    ]
    for r in results:
        rows = [
            ("python + imports (floor)", r.imports.seconds, None, r.imports.rss_mib),
            ("serialize + write output (floor)", r.serialize, None, None),
            (
                "sarkmon generate",
                r.generate.seconds,
                r.generate.seconds / r.floor,
                r.generate.rss_mib,
            ),
            (
                "sarkmon generate, tree up to date",
                r.current.seconds,
                r.current.seconds / r.floor,
                r.current.rss_mib,
            ),
            (
                "sarkmon check --offline",
                r.check.seconds,
                r.check.seconds / r.floor,
                r.check.rss_mib,
            ),
        ]
        lines.append(f"{r.scale:6} {r.what} (median of {r.runs})")
        for label, seconds, ratio, rss in rows:
            ratio_text = f"{ratio:8.2f}" if ratio is not None else " " * 8
            rss_text = f"{rss:13.0f}" if rss is not None else ""
            lines.append(f"{'':6} {label:34} {seconds:9.3f} {ratio_text} {rss_text}".rstrip())
    return lines


def verdicts(results: list[Result]) -> list[str]:
    by = {r.scale: r for r in results}
    lines = []

    def verdict(text: str, good: bool) -> None:
        lines.append(f"{'ok  ' if good else 'MISS'}  {text}")

    if "S" in by:
        s = by["S"]
        verdict(
            f"S generate {s.generate.seconds:.3f} s < {S_SECONDS:g} s",
            s.generate.seconds < S_SECONDS,
        )
        # Against the import floor, which writes nothing: the run that writes nothing. The
        # files a new tree needs cost this machine's disk anything from 5 to 250 ms.
        ratio = s.current.seconds / s.imports.seconds
        verdict(
            f"S generate {ratio:.2f}x the import floor (<= {S_FLOOR_RATIO:g}x; tree up to date)",
            ratio <= S_FLOOR_RATIO,
        )
        lines.append(
            f"      S generate of a new tree {s.generate.seconds / s.imports.seconds:.2f}x the "
            f"import floor: its files took {s.generate.seconds - s.current.seconds:.3f} s"
        )
    if "L" in by:
        large = by["L"]
        verdict(
            f"L generate {large.generate.seconds:.1f} s < {L_SECONDS:g} s",
            large.generate.seconds < L_SECONDS,
        )
        verdict(
            f"L generate peak RSS {large.generate.rss_mib:.0f} MiB < {L_RSS_MIB:g} MiB",
            large.generate.rss_mib < L_RSS_MIB,
        )
    if "L" in by and "L/2" in by:
        for what, field in (
            ("generate", "generate"),
            ("generate, tree up to date", "current"),
            ("check", "check"),
        ):
            full = getattr(by["L"], field).seconds
            part = getattr(by["L/2"], field).seconds
            verdict(
                f"doubling L/2 -> L: {what} x{full / part:.2f} (<= {DOUBLING:g}x)",
                full / part <= DOUBLING,
            )
    return lines


def report(scales: tuple[str, ...] = ALL_SCALES, runs: int | None = None) -> list[str]:
    """Run the scales; return the report's lines (printed as they come)."""
    load = os.getloadavg()
    results = []
    # Trees are written in the repository, where `make generate` writes them.
    BENCH_DIR.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sarkmon-bench-", dir=BENCH_DIR) as tmp:
        work = Path(tmp)
        env = child_env(work / "pycache")
        for name in scales:
            result = bench_scale(name, work, env, runs or RUNS[name])
            results.append(result)
            print(f"... {name}: generate {result.generate.seconds:.3f} s", file=sys.stderr)
    header = (
        f"sarkmon generate and check --offline in fresh processes; {os.cpu_count()} cores, "
        f"load average {load[0]:.2f} at the start, {os.getloadavg()[0]:.2f} at the end "
        "(other work shares the machine)"
    )
    return [header, "", *table(results), "", *verdicts(results)]
