"""Where the time goes: seconds per article for each analyzer of the default pipeline.

    .venv/bin/python benchmarks/pipeline_speed.py [--articles DIR] [--batch 16] [--threads N]

Runs the default pipeline over a folder of articles (default: the SemEval-2023 English
subtask-3 test articles) the way ``unspun batch`` does, ``--batch`` articles at a time,
each analyzer over the whole batch before the next one (``Pipeline.run``), and times every
analyzer. A first pass over two articles loads the models and is not counted (load times
are printed apart), and the shared encoder's cache is emptied before the timed pass. Then
a bare spaCy ``en_core_web_sm`` parse of the same articles is timed in the same process, as
the yardstick the pipeline's cost is given against. One process; ``--threads`` sets the
ONNX threads (default: all cores). Prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_ARTICLES = REPO.parent / "shared/data/semeval2023/en/test-articles-subtask-3"


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--threads", type=int, default=0)
    args = ap.parse_args()
    if args.threads:
        os.environ["UNSPUN_THREADS"] = str(args.threads)

    from unspun import read
    from unspun.pipeline import Pipeline

    articles = read(args.articles)
    words = sum(len(a.text.split()) for a in articles)
    pipeline = Pipeline.from_names()
    # Warm-up: every model loads here.
    started = time.perf_counter()
    pipeline.run(articles[:2])
    warm_up = time.perf_counter() - started

    from unspun.encoder import load_paragraph_encoder

    load_paragraph_encoder().clear_cache()
    spent: dict[str, float] = defaultdict(float)
    timed = Pipeline([_Timer(a, spent) for a in pipeline.analyzers])
    started = time.perf_counter()
    for b in range(0, len(articles), args.batch):
        timed.run(articles[b : b + args.batch])
    total = time.perf_counter() - started
    n = len(articles)
    import spacy

    from unspun.substance.nlp import MODEL_PACKAGE

    nlp = spacy.load(MODEL_PACKAGE)  # en_core_web_sm 3.8.0, stock components
    list(nlp.pipe([a.text for a in articles[:2]]))
    started = time.perf_counter()
    for _ in nlp.pipe([a.text for a in articles], batch_size=args.batch):
        pass
    parse = time.perf_counter() - started
    print(f"{n} articles, {words / n:.0f} words each on average, batches of {args.batch}")
    print(f"{'analyzer':<12} {'ms/article':>10} {'share':>6}")
    for name, sec in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"{name:<12} {1000 * sec / n:>10.1f} {sec / total:>6.0%}")
    print(f"{'all':<12} {1000 * total / n:>10.1f}   -> {n / total:.2f} articles/s in one process")
    print(f"bare spaCy en_core_web_sm parse {1000 * parse / n:.1f} ms/article: the pipeline costs {total / parse:.2f}x it")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"warm-up (model loads) {warm_up:.1f} s; peak RSS {peak:.0f} MiB")
    print(
        json.dumps(
            {
                "articles": n,
                "words_per_article": round(words / n),
                "ms_per_article": {k: round(1000 * v / n, 1) for k, v in spent.items()},
                "total_ms_per_article": round(1000 * total / n, 1),
                "spacy_parse_ms_per_article": round(1000 * parse / n, 1),
                "times_spacy_parse": round(total / parse, 2),
                "articles_per_s": round(n / total, 2),
                "warm_up_s": round(warm_up, 2),
                "peak_rss_mib": round(peak),
                "cpus": os.cpu_count(),
                "threads": args.threads or None,
            }
        )
    )


class _Timer:
    """An analyzer that times the one it wraps: same declarations, same batched calls."""

    def __init__(self, inner: Any, spent: dict[str, float]) -> None:
        self.inner = inner
        self.spent = spent
        self.name, self.version = inner.name, inner.version
        self.requires, self.assigns = inner.requires, inner.assigns
        if hasattr(inner, "pipe"):
            self.pipe = self._timed(inner.pipe)

    def __call__(self, analysis: Any) -> None:
        self._timed(self.inner)(analysis)

    def _timed(self, call: Any) -> Any:
        def run(arg: Any) -> None:
            started = time.perf_counter()
            try:
                call(arg)
            finally:
                self.spent[self.name] += time.perf_counter() - started

        return run


if __name__ == "__main__":
    main()
