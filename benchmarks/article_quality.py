"""Genre and frames on each language's dev-a and test folders: the tables the README quotes.

    .venv/bin/python benchmarks/article_quality.py [--data ../shared/data] [--languages en,fr]

Prints, per language:
- the out-of-fold dev-a figures the shipped heads were chosen by (from their model cards'
  data: each dev-a article scored by a head that never saw it), and train CV beside them;
- the shipped heads' predictions on dev-a and the unlabeled test folders, written the way
  `unspun semeval predict --subtask 1|2` writes them, with the row count checked against
  the articles (one row per article), and their dev-a score. The shipped heads were fitted
  on all of dev-a, so that last score is in-sample: a check that the files and the scorer
  agree, not a quality figure.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FOLDERS = {"en": "en", "fr": "fr", "de": "ge", "it": "it", "pl": "po", "ru": "ru"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--languages", default=",".join(FOLDERS))
    args = ap.parse_args()

    from unspun.articlelevel.heads import load_head
    from unspun.semeval.subtask12 import predict_article_level, score_files

    genre, frames = load_head("genre"), load_head("frames")
    print("Out-of-fold dev-a (the figures the heads were chosen by) and train CV:")
    print(f"{'':10s} {'genre macro-F1':>16s} {'frames micro-F1':>16s}")
    for lang in args.languages.split(","):
        g = genre.meta["figures"]["dev_a_by_language"].get(lang)
        f = frames.meta["figures"]["dev_a_by_language"].get(lang)
        print(f"{lang:10s} {g if g is not None else '-':>16} {f if f is not None else '-':>16}")
    print(f"{'all dev-a':10s} {genre.meta['figures']['dev_a_all']:>16} {frames.meta['figures']['dev_a_all']:>16}")
    print(
        f"{'train CV':10s} {genre.meta['figures']['train_cv_macro_f1']:>16} "
        f"{frames.meta['figures']['train_cv_micro_f1']:>16}"
    )
    print()
    print("Prediction files (rows = articles; dev-a scores in-sample):")
    root = args.data / "semeval2023"
    with tempfile.TemporaryDirectory() as tmp:
        for lang in args.languages.split(","):
            base = root / FOLDERS[lang]
            for subtask, kind in ((1, "genre"), (2, "frames")):
                folders = {
                    "dev-a": (base / "dev-a" / f"articles-subtask-{subtask}", base / "dev-a" / f"labels-subtask-{subtask}.txt"),
                    "test": (base / f"test-articles-subtask-{subtask}", None),
                }
                for split, (articles, gold) in folders.items():
                    if not articles.is_dir():
                        continue
                    out = Path(tmp) / f"{lang}-{split}-{subtask}.txt"
                    rows = predict_article_level(subtask, articles, out, language=lang)
                    n = len(list(articles.glob("article*.txt")))
                    line = f"{lang} {split:6s} {kind:7s} rows {rows:4d} / articles {n:4d}"
                    if rows != n:
                        line += "  MISMATCH"
                    if gold is not None and gold.is_file():
                        s = score_files(subtask, gold, out)
                        value = s.macro_f1 if subtask == 1 else s.micro_f1
                        line += f"  score (in-sample) {value:.3f} on {s.articles} labelled"
                    print(line, flush=True)


if __name__ == "__main__":
    main()
