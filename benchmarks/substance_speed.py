"""Milliseconds per 800-word article for the substance analyzers, on one core.

Run: ``.venv/bin/python benchmarks/substance_speed.py [--runs 20]``

The article is the in-house gold set's texts joined and cut to 800 words (and, when
../shared/samples is present, each sample cut to 800 words as well). Each run clears the
shared parse cache, so the spaCy parse is timed every time; the model load is timed once,
apart. Threads are limited to one and the process is pinned to one core. ``--components``
also prints the CPU time of each spaCy component on the same texts (median over runs),
which shows where the parse goes.
"""

from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from unspun.article import Analysis, Article  # noqa: E402
from unspun.substance import nlp  # noqa: E402
from unspun.substance.actors import ActorAnalyzer  # noqa: E402
from unspun.substance.claims import ClaimAnalyzer  # noqa: E402
from unspun.substance.quotes import QuoteAnalyzer  # noqa: E402
from unspun.substance.sources import SourceAnalyzer  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "src" / "unspun" / "resources" / "gold" / "substance"
SAMPLES = Path(os.environ.get("UNSPUN_SHARED", REPO.parent / "shared")) / "samples"


def cut(text: str, words: int) -> str:
    """The text up to its ``words``-th word, keeping its line breaks."""
    count = 0
    for i, ch in enumerate(text):
        if ch.isspace() and i > 0 and not text[i - 1].isspace():
            count += 1
            if count == words:
                return text[:i]
    return text


def articles(words: int) -> dict[str, str]:
    gold = "\n\n".join(
        json.loads(p.read_text(encoding="utf-8"))["text"] for p in sorted(GOLD.glob("*.json"))
    )
    out = {"gold set": cut(gold, words)}
    if SAMPLES.is_dir():
        for path in sorted(SAMPLES.glob("*.txt")):
            out[path.name[:3]] = cut(path.read_text(encoding="utf-8"), words)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="substance analyzers: ms per article")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--words", type=int, default=800)
    parser.add_argument("--components", action="store_true", help="CPU ms of each spaCy component")
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    t0 = time.perf_counter()
    nlp.load_model()
    print(f"model load: {1000 * (time.perf_counter() - t0):.0f} ms (once per process)")
    analyzers = (QuoteAnalyzer(), SourceAnalyzer(), ClaimAnalyzer(), ActorAnalyzer())
    for name, text in articles(args.words).items():
        article = Article.from_text(text)
        wall: list[float] = []
        cpu_parse: list[float] = []
        cpu_rules: list[float] = []
        for _ in range(args.runs):
            nlp._parses.clear()
            analysis = Analysis(article=article)
            start, start_cpu = time.perf_counter(), time.process_time()
            nlp.parse(analysis)
            parsed_cpu = time.process_time()
            for analyzer in analyzers:
                analyzer(analysis)
            wall.append(time.perf_counter() - start)
            cpu_parse.append(parsed_cpu - start_cpu)
            cpu_rules.append(time.process_time() - parsed_cpu)
        # CPU time is what the article costs one core; wall time also counts waiting for
        # the core when other processes share the machine.
        print(
            f"{name:<9} {len(text.split()):>4} words: "
            f"cpu {1000 * statistics.median(cpu_parse) + 1000 * statistics.median(cpu_rules):6.1f} ms "
            f"(spaCy parse {1000 * statistics.median(cpu_parse):5.1f}, "
            f"analyzers {1000 * statistics.median(cpu_rules):5.1f}); "
            f"wall median {1000 * statistics.median(wall):6.1f} ms, {args.runs} runs"
        )
    if args.components:
        components(list(articles(args.words).values()), args.runs)
    return 0


def components(texts: list[str], runs: int) -> None:
    """Median CPU ms per text of each component of the shared pipeline, run one by one."""
    model = nlp.load_model()
    per: dict[str, list[float]] = {name: [] for name in model.pipe_names}
    for _ in range(runs):
        for text in texts:
            doc = model.make_doc(text)
            for name, proc in model.pipeline:
                t0 = time.process_time()
                doc = proc(doc)
                per[name].append(time.process_time() - t0)
    print(f"spaCy components, median CPU ms per text over {len(texts)} texts x {runs} runs:")
    for name, values in per.items():
        print(f"  {name:<26} {1000 * statistics.median(values):6.1f}")


if __name__ == "__main__":
    sys.exit(main())
