"""Batch throughput: articles/s with 1 and 2 workers, scaling, peak memory, store bytes.

Usage::

    .venv/bin/python benchmarks/corpus_batch.py [--articles DIR] [--generate N]
        [--analyzers a,b] [--workers 1,2] [--repeat K]

Reads the SemEval 2023 English test articles from ../shared when present, else generates
articles (``--generate``). ``--copies K`` writes every article K times, each copy a new
article, for the 10,000-article memory run::

    .venv/bin/python benchmarks/corpus_batch.py --workers 2 --copies 20 \
        --articles ../shared/data/semeval2023/en/train-articles-subtask-3 \
        --articles ../shared/data/semeval2023/en/test-articles-subtask-3
 Each configuration runs in its own process, on a fresh SQLite
store, so its peak memory is its own: the peak resident size of the main process and of the
largest worker, and the peak of the whole process tree's summed proportional set size
(sampled every half second; shared pages counted once). Prints a table and, last, one JSON
line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_ARTICLES = (
    REPO.parent / "shared" / "data" / "semeval2023" / "en" / "test-articles-subtask-3"
)

_WORDS = [
    "the",
    "minister",
    "said",
    "budget",
    "would",
    "rise",
    "while",
    "critics",
    "warned",
    "of",
    "a",
    "crisis",
    "in",
    "the",
    "north",
    "as",
    "storms",
    "hit",
    "harbour",
    "towns",
    "and",
    "courts",
    "ruled",
    "on",
    "the",
    "election",
    "dispute",
    "today",
]


def generate(folder: Path, n: int) -> Path:
    rng = random.Random(n)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        paras = [
            " ".join(rng.choice(_WORDS) for _ in range(rng.randint(20, 60))).capitalize() + "."
            for _ in range(rng.randint(3, 12))
        ]
        (folder / f"gen{i:05d}.txt").write_text(
            f"Generated article {i}\n\n" + "\n\n".join(paras) + "\n"
        )
    return folder


def replicate(sources: list[Path], folder: Path, copies: int) -> Path:
    """Each article of ``sources`` written ``copies`` times, told apart by a first line.

    Real articles cost what real articles cost (word-salad from ``generate`` parses
    differently); the line makes each copy a new article to the store (a new content hash).
    """
    folder.mkdir(parents=True, exist_ok=True)
    texts = [p.read_text(encoding="utf-8") for d in sources for p in sorted(d.glob("*.txt"))]
    for k in range(copies):
        for i, text in enumerate(texts):
            (folder / f"c{k:03d}_{i:05d}.txt").write_text(f"Copy {k} of {i}\n\n{text}")
    return folder


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (Linux /proc)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def _pss_kib(pid: int) -> int:
    # Proportional set size: a page shared by n processes counts 1/n in each, so the sum
    # over the tree is what the tree really holds in memory.
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeMemory(threading.Thread):
    """Samples the summed memory of this process and its workers every half second."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_pss_kib = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(0.5):
            total = sum(_pss_kib(p) for p in _tree(os.getpid()))
            self.peak_pss_kib = max(self.peak_pss_kib, total)

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        return self.peak_pss_kib


def one(source: str, workers: int, analyzers: str | None) -> dict[str, object]:
    """Run one configuration in this process and measure it."""
    from unspun.corpus import ingest, run_batch
    from unspun.store import open_store

    sampler = TreeMemory()
    sampler.start()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        with open_store(f"sqlite:///{db}") as store:
            counts = ingest(store, [source])
            report = run_batch(store, analyzers.split(",") if analyzers else None, workers=workers)
            stats = store.stats()
            with store.engine.connect() as conn:
                # Fold the WAL into the file so its size is what the store keeps.
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        size = sum(p.stat().st_size for p in Path(tmp).iterdir())
    peak_pss = sampler.stop()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "workers": workers,
        "articles": counts.added,
        "analysed": report.analysed,
        "results": report.results_stored,
        "seconds": round(report.seconds, 3),
        "articles_per_s": round(report.rate, 3),
        "peak_rss_main_mib": round(own / 1024, 1),
        "peak_rss_worker_mib": round(children / 1024, 1),
        "peak_total_pss_mib": round(peak_pss / 1024, 1),
        "store_bytes_per_article": round(size / max(1, stats.articles)),
        "runs": [f"{n}@{v}" for n, v in report.runs],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--articles", type=Path, action="append", help="a folder of .txt articles (repeatable)"
    )
    parser.add_argument(
        "--copies", type=int, default=0, help="write each article this many times (scale test)"
    )
    parser.add_argument("--generate", type=int, default=0, help="generate N articles instead")
    parser.add_argument(
        "--analyzers", default=None, help="comma-separated (default: the default pipeline)"
    )
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--source", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.one is not None:
        print(json.dumps(one(args.source, args.one, args.analyzers)))
        return

    with tempfile.TemporaryDirectory() as tmp:
        folders = args.articles or [DEFAULT_ARTICLES]
        if args.generate or not all(f.is_dir() for f in folders):
            source = generate(Path(tmp) / "gen", args.generate or 200)
        elif args.copies or len(folders) > 1:
            source = replicate(folders, Path(tmp) / "copies", max(1, args.copies))
        else:
            source = folders[0]
        rows = []
        for workers in [int(w) for w in args.workers.split(",")]:
            best: dict[str, object] | None = None
            for _ in range(args.repeat):
                cmd = [sys.executable, __file__, "--one", str(workers), "--source", str(source)]
                if args.analyzers:
                    cmd += ["--analyzers", args.analyzers]
                started = time.monotonic()
                out = subprocess.run(
                    cmd, capture_output=True, text=True, check=True, env=os.environ
                )
                row = json.loads(out.stdout.strip().splitlines()[-1])
                row["wall_seconds"] = round(time.monotonic() - started, 2)
                if best is None or float(row["seconds"]) < float(best["seconds"]):  # type: ignore[arg-type]
                    best = row
            assert best is not None
            rows.append(best)

    print(f"source: {source}  analyzers: {', '.join(rows[0]['runs'])}")  # type: ignore[arg-type]
    print(
        f"{'workers':>7} {'articles':>8} {'seconds':>8} {'art/s':>7} {'main MiB':>9} {'worker MiB':>10} "
        f"{'total PSS MiB':>13} {'bytes/art':>9}"
    )
    for r in rows:
        print(
            f"{r['workers']:>7} {r['articles']:>8} {r['seconds']:>8} {r['articles_per_s']:>7} "
            f"{r['peak_rss_main_mib']:>9} {r['peak_rss_worker_mib']:>10} {r['peak_total_pss_mib']:>13} "
            f"{r['store_bytes_per_article']:>9}"
        )
    by_workers = {r["workers"]: r for r in rows}
    summary: dict[str, object] = {"rows": rows, "cpus": os.cpu_count()}
    if 1 in by_workers and 2 in by_workers:
        ratio = float(by_workers[2]["articles_per_s"]) / max(
            1e-9, float(by_workers[1]["articles_per_s"])
        )  # type: ignore[arg-type]
        summary["scaling_2_over_1"] = round(ratio, 2)
        print(f"scaling (2 workers / 1 worker): {ratio:.2f}x on {os.cpu_count()} CPUs")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
