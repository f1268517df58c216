"""Speed of the article view: server-side render and time to interactive in headless Chromium.

Builds an invented article (no sample or dataset text) of about 1,500 words carrying 500
spans (persuasion by default, so the first view draws all 500; nested and crossing ones
included), or reads a saved analysis (``--analysis out.json`` from ``unspun analyze -f
json``). Reports:

- server: ``article_view_model`` plus the template render of the standalone page, median of
  ``--repeat`` runs after one warm-up (the first, with template compilation, is shown too);
- browser: from navigation start to the ``unspun-ready`` performance mark (the view drawn and
  answering keys and clicks), median of ``--loads`` fresh loads of the file, with the main
  thread's script, layout and style time; then the slowest redraw when a layer is turned on
  (one at a time, as a reader does) and the time to answer a ``j``.

Targets (issue 15): server <= 200 ms, interactive <= 1 s.

    .venv/bin/python benchmarks/article_view_speed.py [--spans 500] [--analysis FILE] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from unspun.article import Analysis, AnalyzerRun, Article
from unspun.render.article_view import article_view_model
from unspun.render.html import render_html
from unspun.taxonomy import TECHNIQUES

_WORDS = [
    "council", "harbour", "winter", "ledger", "budget", "bridge", "ferry", "minister", "clinic",
    "river", "market", "school", "vote", "rumour", "grain", "tariff", "union", "strike", "museum",
    "pension", "railway", "festival", "drought", "senate", "courier", "orchard", "archive",
    "lantern", "quarry", "beacon", "valley", "tunnel", "garrison", "charter",
]


def synthetic(spans: int, seed: int = 15) -> Analysis:
    """An invented article with ``spans`` persuasion spans, some nested, some crossing."""
    rng = random.Random(seed)
    paragraphs = []
    for _ in range(30):
        words = [rng.choice(_WORDS) for _ in range(50)]
        paragraphs.append(" ".join(words).capitalize() + ".")
    title = "The harbour council and the winter ledger"
    text = title + "\n\n" + "\n\n".join(paragraphs)
    analysis = Analysis(article=Article.from_text(text, title=title))
    starts = [i + 1 for i, c in enumerate(text) if c == " "] + [0]
    labels = list(TECHNIQUES)
    for _ in range(spans):
        start = rng.choice(starts)
        length = rng.choice((1, 1, 2, 3, 5, 8, 14)) * 7
        end = min(len(text), start + length)
        label = rng.choice(labels)
        analysis.add_span(
            start, end, label, analyzer="persuasion", score=round(rng.random(), 3),
            attrs={"category": TECHNIQUES[label].category},
        )
    analysis.runs.append(AnalyzerRun(name="persuasion", version="2.0", status="ok"))
    return analysis


def server(analysis: Analysis, repeat: int) -> dict[str, float]:
    t0 = time.perf_counter()
    render_html([analysis])
    first = time.perf_counter() - t0
    model, page = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        article_view_model(analysis)
        t1 = time.perf_counter()
        render_html([analysis])
        t2 = time.perf_counter()
        model.append(t1 - t0)
        page.append(t2 - t1)
    return {
        "first_render_ms": first * 1000,
        "view_model_ms": statistics.median(model) * 1000,
        "render_ms": statistics.median(page) * 1000,
    }


# The renderer's main-thread time by kind (Chrome's Performance domain), up to the moment
# read: on a busy host the wall clock also counts waiting for a core; these count less of it.
_METRICS = ("ScriptDuration", "LayoutDuration", "RecalcStyleDuration")


def browser(analysis: Analysis, loads: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        raise SystemExit("Chromium is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        page_file = Path(tmp) / "view.html"
        page_file.write_text(render_html([analysis]), encoding="utf-8")
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
            ready, drawn = [], 0
            busy: dict[str, list[float]] = {k: [] for k in _METRICS}
            for _ in range(loads):
                page = b.new_page(viewport={"width": 1280, "height": 900})
                cdp = page.context.new_cdp_session(page)
                cdp.send("Performance.enable")
                page.goto(page_file.as_uri())
                page.wait_for_selector("html[data-uv-ready]")
                ready.append(page.evaluate("performance.getEntriesByName('unspun-ready')[0].startTime"))
                metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
                for k in _METRICS:
                    busy[k].append(metrics.get(k, 0.0) * 1000)
                drawn = page.locator(".uv-mark").count()
                page.close()
            page = b.new_page(viewport={"width": 1280, "height": 900})
            page.goto(page_file.as_uri())
            page.wait_for_selector("html[data-uv-ready]")
            # Each layer a reader turns on redraws the view once; the slowest of those.
            toggle = page.evaluate(
                """() => { let worst = 0;
                for (const cb of document.querySelectorAll('input[data-layer]')) {
                  if (cb.checked) continue;
                  const t = performance.now();
                  cb.checked = true; cb.dispatchEvent(new Event('change'));
                  document.body.getBoundingClientRect(); worst = Math.max(worst, performance.now() - t); }
                return worst; }"""
            )
            all_on = page.locator(".uv-mark").count()
            key = page.evaluate(
                """() => { const t = performance.now();
                document.dispatchEvent(new KeyboardEvent('keydown', {key: 'j', bubbles: true}));
                document.body.getBoundingClientRect(); return performance.now() - t; }"""
            )
            b.close()
    return {
        **{f"{k}_ms": statistics.median(v) for k, v in busy.items()},
        "interactive_ms": statistics.median(ready),
        "interactive_max_ms": max(ready),
        "spans_drawn": drawn,
        "layer_toggle_max_ms": toggle,
        "spans_drawn_all_layers": all_on,
        "j_key_ms": key,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--spans", type=int, default=500)
    parser.add_argument("--analysis", type=Path, help="a saved analysis (JSON) instead of the invented article")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.analysis:
        data: Any = json.loads(args.analysis.read_text(encoding="utf-8"))
        analysis = Analysis.model_validate(data[0] if isinstance(data, list) else data)
    else:
        analysis = synthetic(args.spans)
    spans = len(article_view_model(analysis)["spans"])
    result: dict[str, Any] = {"spans": spans, "characters": len(analysis.text)}
    result.update(server(analysis, args.repeat))
    result.update(browser(analysis, args.loads))
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
        return
    print(f"article: {result['characters']} characters, {spans} spans ({result['spans_drawn']} drawn at first)")
    print(f"server:  view model {result['view_model_ms']:.1f} ms + page render {result['render_ms']:.1f} ms "
          f"(first, compiling templates: {result['first_render_ms']:.1f} ms)   target <= 200 ms")
    print(f"browser: interactive at {result['interactive_ms']:.0f} ms (median of {args.loads} loads, "
          f"max {result['interactive_max_ms']:.0f})   target <= 1000 ms")
    print("         main thread up to then (median): " + ", ".join(
        f"{k.removesuffix('Duration').lower()} {result[k + '_ms']:.0f} ms" for k in _METRICS))
    print(f"         turning a layer on: at most {result['layer_toggle_max_ms']:.0f} ms "
          f"({result['spans_drawn_all_layers']} spans drawn with all on); j answered in {result['j_key_ms']:.1f} ms")


if __name__ == "__main__":
    main()
