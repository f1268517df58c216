"""Web app speed against the issue's targets, in process (httpx's ASGI transport, no network):

- ``POST /api/analyze`` of an invented 800-word article, models warm: p50 (target <= 0.5 s);
- ``GET /articles/ID`` of an article with 500 spans, rendered on the server: p50 (target <= 0.2 s).

Run: ``.venv/bin/python benchmarks/web_speed.py [--runs 10]``. The 50-reader load test is not
written yet.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from unspun.article import Analysis, Article
from unspun.pipeline import Pipeline
from unspun.store import open_store
from unspun.web.app import create_app
from unspun.web.settings import WebSettings
from unspun.web.tokens import create_token

SENTENCES = [
    "The reckless council in Varnholt voted on Tuesday to close {n} schools, officials said.",
    "At least {n} families have left the district since the spring, the housing office reported.",
    "Critics called the plan a betrayal of every parent who trusted the mayor's promises.",
    "Either the council reverses course now, or the valley will lose a whole generation.",
    "\"We were never asked,\" said Ilse Marten, a teacher who has worked there for {n} years.",
    "The finance department said the closures would save {n} million crowns over five years.",
]


def invented_article(words: int) -> str:
    out: list[str] = []
    n = 0
    while sum(len(s.split()) for s in out) < words:
        out.append(SENTENCES[n % len(SENTENCES)].format(n=n + 3))
        n += 1
    paragraphs = [" ".join(out[i : i + 4]) for i in range(0, len(out), 4)]
    return "\n\n".join(paragraphs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'bench.db'}"
        tokens = Path(tmp) / "tokens.json"
        token = create_token(tokens)
        pipeline = Pipeline.from_names(None)
        settings = WebSettings(db=db, tokens_path=tokens, allow_writes=True, rate_limit=10_000)
        open_store(db).close()
        with TestClient(create_app(settings, pipeline=pipeline)) as client:
            auth = {"Authorization": f"Bearer {token}"}
            text = invented_article(800)
            client.post("/api/analyze", json={"text": text + "\n\nWarm-up."}, headers=auth)  # loads the models
            times = []
            for i in range(args.runs):
                body = {"text": f"{text}\n\nRun {i}."}  # a new article each time, never a stored one
                start = time.perf_counter()
                response = client.post("/api/analyze", json=body, headers=auth)
                times.append(time.perf_counter() - start)
                assert response.status_code == 200, response.text
            print(f"POST /api/analyze, {len(text.split())} words, {args.runs} runs: "
                  f"p50 {statistics.median(times):.3f} s, max {max(times):.3f} s (target p50 <= 0.5 s)")

            base = invented_article(3000)
            analysis = Analysis(article=Article.from_text(base, title="Five hundred spans"))
            labels = ["Loaded_Language", "Name_Calling-Labeling", "Doubt", "Exaggeration-Minimisation"]
            step = len(base) // 500
            for k in range(500):
                start = k * step
                analysis.add_span(start, min(len(base), start + step + 7), labels[k % 4], analyzer="persuasion", score=0.5 + (k % 50) / 100)
            with open_store(db) as store:
                store.add_article(analysis.article)
                store.save_analysis(analysis)
            url = f"/articles/{analysis.article.id}"
            client.get(url)
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - start)
                assert response.status_code == 200
            print(f"GET article page with 500 spans, {args.runs} runs: p50 {statistics.median(times) * 1000:.0f} ms, "
                  f"max {max(times) * 1000:.0f} ms (target <= 200 ms)")


if __name__ == "__main__":
    main()
