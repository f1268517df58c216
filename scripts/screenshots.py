"""Screenshots of the web app for the README: the article view and the compare view.

Builds a store in a temporary folder from the bundled example, two more invented reports of
the same invented event (other outlets, other numbers, other people quoted) and three of
other events, analysed by the default pipeline; no sample or dataset text goes into an image. Starts ``unspun serve``
over it on a free port and photographs, in headless Chromium (Debian's chromium, through
playwright) at 1280x900:

- ``docs/img/article-view.png``: the example's article view once its script has drawn the
  highlights (the ``data-uv-ready`` mark), with the layers and the side panels;
- ``docs/img/compare-view.png``: the compare page over the six reports.

PNGs, each checked to stay under 300 KB. Rerun it whenever the pages change:

    .venv/bin/python scripts/screenshots.py [--out docs/img]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import shutil
import sys
import tempfile
from importlib.resources import as_file, files
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAX_BYTES = 300 * 1024

#: Two invented reports of the example's invented shelling of Kessel, and three of other
#: things (a place named in over half the articles is too general to tie them to one event).
REPORTS = [
    (
        "Valley Courier",
        dt.date(2031, 3, 2),
        "Shells hit Kessel market; health office counts 14 dead",
        "Artillery fire struck the market town of Kessel on Saturday, killing 14 civilians and "
        "wounding about 40, the regional health office said on Sunday.\n\n"
        "\"We heard four explosions in a row,\" said Jon Ekvall, who runs a bakery near the square. "
        "The Red Lantern relief agency said nearly 3,000 people had left the town since Friday.\n\n"
        "Defence Minister Tomas Brek said his forces had struck only military targets in the area. "
        "Rebel commanders in the valley accused the army of firing on a bread queue.",
    ),
    (
        "Osterholm Herald",
        dt.date(2031, 3, 2),
        "Army says rebels used Kessel as a shield after Saturday's fighting",
        "Government troops returned fire on rebel positions in Kessel on Saturday, Defence Minister "
        "Tomas Brek told reporters in Osterholm, adding that the rebels had used the town as a shield.\n\n"
        "\"Our units hit only military targets,\" Brek said. He did not give a number of casualties. "
        "Artillery fire killed 11 civilians and wounded 35 in Kessel on Saturday, the regional health "
        "office said.\n\n"
        "The treacherous rebel gangs have brought nothing but misery to the valley, and every honest "
        "citizen knows it. Officials said about 2,500 people had fled the area.",
    ),
    (
        "Valley Courier",
        dt.date(2031, 2, 20),
        "Dock workers in Brenna strike over pay",
        "About 600 dock workers in the port of Brenna stopped work on Thursday after talks on pay "
        "broke down, the harbour union said.\n\n"
        "\"We have waited two years for an offer,\" said Ada Holm, the union's secretary. The port "
        "authority said 12 ships were waiting to be unloaded.",
    ),
    (
        "Osterholm Herald",
        dt.date(2031, 2, 25),
        "New bridge over the Sava opens in Torvik",
        "A 300-metre road bridge over the river Sava opened in Torvik on Tuesday, two years late "
        "and 8 million crowns over budget, the transport ministry said.\n\n"
        "\"It cuts an hour off the drive to the coast,\" said Lena Roos, who runs a bus company in the town.",
    ),
    (
        "Valley Courier",
        dt.date(2031, 3, 1),
        "Hallen council votes to close two schools",
        "The council of Hallen voted 9 to 6 on Friday to close two village schools by the summer, "
        "saying fewer than 40 pupils attended each.\n\n"
        "\"Nobody asked the parents,\" said Piet Varga, whose children go to one of them.",
    ),
]


def build_store(db: str) -> str:
    """Analyse the example and the invented reports into ``db``; return the example's id."""
    from unspun.article import Article, ArticleMeta
    from unspun.ingest import read
    from unspun.pipeline import Pipeline
    from unspun.store import open_store

    with as_file(files("unspun") / "resources" / "example.md") as path:
        example = read(path)[0]
    # Named as in the package, not by the path it was read from on this machine.
    example = example.model_copy(update={"meta": example.meta.model_copy(update={"source": "unspun/resources/example.md"})})
    articles = [
        Article.from_text(f"{title}\n\n{text}", title=title, meta=ArticleMeta(outlet=outlet, published=published, language="en"))
        for outlet, published, title, text in REPORTS
    ]
    pipeline = Pipeline.from_names(None)
    with open_store(db) as store:
        # The example last, so it is the newest article and the home page's.
        for article, analysis in zip([*articles, example], pipeline.run([*articles, example]), strict=True):
            store.add_article(article)
            store.save_analysis(analysis)
    return example.id


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "img")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    # The load test's way of starting unspun serve, so both run the server the same way.
    sys.path.insert(0, str(REPO / "benchmarks"))
    web_load = importlib.import_module("web_load")

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        raise SystemExit("Chromium is not installed (apt-get install chromium)")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        db = f"sqlite:///{tmp / 'screens.db'}"
        example = build_store(db)
        port = web_load.free_port()
        proc = web_load.start_server(db, port, tmp / "serve.log")
        base = f"http://127.0.0.1:{port}"
        shots = {}
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox", "--disable-gpu"])
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(f"{base}/articles/{example}")
                page.wait_for_selector("html[data-uv-ready]")
                page.wait_for_timeout(300)  # web fonts and the last layout pass
                shots["article-view.png"] = page.screenshot(type="png")
                page.goto(f"{base}/compare")
                page.wait_for_load_state("networkidle")
                shots["compare-view.png"] = page.screenshot(type="png")
                browser.close()
        finally:
            web_load.stop_server(proc)
    for file_name, png in shots.items():
        if len(png) > MAX_BYTES:
            raise SystemExit(f"{file_name} is {len(png) // 1024} KB, over {MAX_BYTES // 1024} KB")
        (args.out / file_name).write_bytes(png)
        print(f"{args.out / file_name}: {len(png) // 1024} KB")


if __name__ == "__main__":
    main()
