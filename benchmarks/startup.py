"""Start-up cost of the command line: ``--version``, ``--help``, a command's ``--help``, and
a cold ``analyze`` of the bundled example (a fresh process: imports, model loads, one
article), as the median of several runs, with the peak memory of the cold analysis.

Run: ``.venv/bin/python benchmarks/startup.py [--runs 5]``. Targets (issue 14): ``--version``
and ``--help`` ≤ 0.3 s; a cold ``analyze`` of one article ≤ 3 s. Run it on an idle machine:
other work on the cores shows up directly in these figures.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS: list[tuple[str, list[str]]] = [
    ("unspun --version", ["--version"]),
    ("unspun --help", ["--help"]),
    ("unspun analyze --help", ["analyze", "--help"]),
    ("unspun ingest --help", ["ingest", "--help"]),
]


def _unspun() -> str:
    here = Path(sys.executable).with_name("unspun")
    found = str(here) if here.exists() else shutil.which("unspun")
    if not found:
        sys.exit("unspun is not installed in this environment")
    return found


def _time(argv: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and the child's peak resident memory in MB
    (ru_maxrss of the largest child so far, so runs are ordered from the lightest command
    up). CPU time is the steadier figure on a shared host: other work there stretches the
    wall time but hardly the CPU time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024


def _row(name: str, runs: list[tuple[float, float, float]]) -> None:
    walls = [r[0] for r in runs]
    cpus = [r[1] for r in runs]
    print(
        f"{name:40s} {statistics.median(walls):9.2f} {min(walls):7.2f} {max(walls):7.2f}"
        f" {statistics.median(cpus):9.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    exe = _unspun()
    print(f"{'command':40s} {'wall med':>9s} {'min':>7s} {'max':>7s} {'CPU med':>9s}  (seconds)")
    for name, extra in COMMANDS:
        _row(name, [_time([exe, *extra]) for _ in range(args.runs)])
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "example.json")
        runs = [_time([exe, "analyze", "--example", "-f", "json", "-o", out]) for _ in range(args.runs)]
    _row("unspun analyze --example (cold, json)", runs)
    print(f"peak memory of the cold analysis: {max(r[2] for r in runs):.0f} MB")
    print(f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
