"""Kill batches with SIGKILL N times at random moments, finish them, count lost and duplicated.

Usage::

    .venv/bin/python benchmarks/kill_resume.py [--kills 20] [--articles 1500]
        [--concurrent 2] [--workers 1] [--analyzers sentences] [--postgres]

``--concurrent`` batches (``python -m unspun.corpus.cli batch``) run at once on the same
store, as two people (or two machines) might start them. Again and again one of them is
picked at random and, once a random number of further results is stored (or after a random
short time, so some kills land during start-up), killed with SIGKILL and started again. Then
the batches finish. Per (article, analyzer@version): lost = no result, duplicated = more
than one; half-written = a result whose spans/labels rows differ from its JSON. Every
batch also runs the plugin analyzer ``counted`` (benchmarks/kill_resume_counter.py), which
logs each article it analyses, so ``analyses`` counts every analysis run, those a kill lost
included. Targets: lost, duplicated and half-written 0; analyses at most 1.1 x articles.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from unspun.corpus import ingest
from unspun.pipeline import Pipeline
from unspun.store import open_store
from unspun.store import schema as t
from unspun.store.pgserver import TemporaryPostgres


def generate(folder: Path, n: int) -> Path:
    rng = random.Random(n)
    words = [
        "storm",
        "budget",
        "court",
        "harbour",
        "senate",
        "crisis",
        "minister",
        "said",
        "warned",
        "rise",
        "fall",
    ]
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for i in range(n):
        paras = [
            " ".join(rng.choice(words) for _ in range(rng.randint(10, 40))) + "." for _ in range(4)
        ]
        lines.append(json.dumps({"title": f"Article {i}", "text": "\n\n".join(paras)}))
    (folder / "corpus.jsonl").write_text("\n".join(lines) + "\n")
    return folder


def results(url: str) -> int:
    with open_store(url) as store, store.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(t.results)).scalar_one())


def audit(url: str, runs: list[tuple[str, str]]) -> dict[str, int]:
    r, s, lb = t.results, t.spans, t.labels
    with open_store(url) as store, store.engine.connect() as conn:
        articles = store.article_count()
        per_key = sa.select(
            r.c.article_id, r.c.analyzer, r.c.version, sa.func.count().label("n")
        ).group_by(r.c.article_id, r.c.analyzer, r.c.version)
        counts = {
            (row.article_id, row.analyzer, row.version): row.n for row in conn.execute(per_key)
        }
        ids = [row[0] for row in conn.execute(sa.select(t.articles.c.id))]
        lost = sum(1 for a in ids for name, version in runs if (a, name, version) not in counts)
        duplicated = sum(n - 1 for n in counts.values() if n > 1)
        span_rows = dict(
            ((row[0], row[1], row[2]), row[3])
            for row in conn.execute(
                sa.select(s.c.article_id, s.c.analyzer, s.c.version, sa.func.count()).group_by(
                    s.c.article_id, s.c.analyzer, s.c.version
                )
            )
        )
        label_rows = dict(
            ((row[0], row[1], row[2]), row[3])
            for row in conn.execute(
                sa.select(lb.c.article_id, lb.c.analyzer, lb.c.version, sa.func.count()).group_by(
                    lb.c.article_id, lb.c.analyzer, lb.c.version
                )
            )
        )
        half = 0
        for row in conn.execute(
            sa.select(r.c.article_id, r.c.analyzer, r.c.version, r.c.output_json)
        ):
            key = (row.article_id, row.analyzer, row.version)
            out = json.loads(row.output_json)
            if span_rows.get(key, 0) != len(out["spans"]) or label_rows.get(key, 0) != len(
                out["labels"]
            ):
                half += 1
    return {"articles": articles, "lost": lost, "duplicated": duplicated, "half_written": half}


def _start(cmd: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def _kill(proc: subprocess.Popen[bytes]) -> bool:
    """SIGKILL the batch (its main process); True if it was still running."""
    running = proc.poll() is None
    if running:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # Workers die with their parent; this only sweeps up if that failed.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    return running


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--articles", type=int, default=1500)
    parser.add_argument("--concurrent", type=int, default=2, help="batches running at once")
    parser.add_argument("--workers", type=int, default=1, help="worker processes per batch")
    parser.add_argument("--analyzers", default="sentences")
    parser.add_argument("--chunk-size", type=int, default=4)
    parser.add_argument("--postgres", action="store_true", help="use a throwaway PostgreSQL server")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    analyzers = f"{args.analyzers},counted"
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    import kill_resume_counter  # noqa: F401  (registers `counted` here too)

    runs = [(a.name, a.version) for a in Pipeline.from_names(analyzers.split(",")).analyzers]

    with tempfile.TemporaryDirectory() as tmp:
        count_file = Path(tmp) / "analyses.log"
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(here), os.environ.get("PYTHONPATH", "")]),
            "UNSPUN_COUNT_FILE": str(count_file),
        }
        server = TemporaryPostgres().start() if args.postgres else None
        try:
            url = server.create_database() if server else f"sqlite:///{Path(tmp) / 'kill.db'}"
            with open_store(url) as store:
                ingest(store, [generate(Path(tmp) / "in", args.articles)])
            cmd = [
                sys.executable,
                "-m",
                "unspun.corpus.cli",
                "batch",
                "--db",
                url,
                "-a",
                analyzers,
                "--plugin",
                "kill_resume_counter",
                "--workers",
                str(args.workers),
                "--chunk-size",
                str(args.chunk_size),
            ]
            kills = finished_early = 0
            started = time.monotonic()
            procs = [_start(cmd, env) for _ in range(args.concurrent)]
            try:
                for _ in range(args.kills):
                    victim = rng.randrange(len(procs))
                    proc = procs[victim]
                    if rng.random() < 0.2:
                        time.sleep(rng.uniform(0.0, 1.5))  # during start-up
                    else:
                        target = results(url) + rng.randint(1, 60)
                        while results(url) < target and proc.poll() is None:
                            time.sleep(0.01)
                    if _kill(proc):
                        kills += 1
                    else:
                        finished_early += 1
                    procs[victim] = _start(cmd, env)
                for proc in procs:
                    proc.wait()
            finally:
                for proc in procs:
                    _kill(proc)
            # Whatever a kill left (there should be nothing): one more run finishes it.
            subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            found = audit(url, runs)
            analyses = len(count_file.read_text().splitlines()) if count_file.exists() else 0
            report = {
                "store": "postgresql" if server else "sqlite",
                "concurrent": args.concurrent,
                "kills": kills,
                "finished_before_kill": finished_early,
                **found,
                "analyses": analyses,
                "analyses_per_article": round(analyses / max(1, found["articles"]), 3),
                "runs": [f"{n}@{v}" for n, v in runs],
                "seconds": round(time.monotonic() - started, 1),
            }
        finally:
            if server:
                server.stop()
    print(
        f"{report['store']}: {report['concurrent']} batches at once, {report['kills']} SIGKILLs over "
        f"{report['articles']} articles ({', '.join(report['runs'])}): lost {report['lost']}, "  # type: ignore[arg-type]
        f"duplicated {report['duplicated']}, half-written {report['half_written']}, "
        f"{report['analyses']} analyses run ({report['analyses_per_article']} per article)"
    )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
