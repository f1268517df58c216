"""Train the article-level models (genre, frames, narratives) and write their model cards.

    .venv/bin/python scripts/train_article_models.py genre frames narratives --data ../shared/data

Needs the ``train`` extra (scikit-learn) and a local copy of the SemEval data, which is never
copied into the repository. Seeded: a rerun writes the same weights.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from unspun.articlelevel.linear import resource_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="+", choices=["genre", "frames", "narratives"])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--out", type=Path, default=None, help="write here instead of the package's resources")
    parser.add_argument("--quick", action="store_true", help="skip the settings grid (for smoke tests)")
    parser.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="keep the articles' encoder and persuasion features here (.npz) between runs",
    )
    args = parser.parse_args()
    for name in args.models:
        out = (args.out / name) if args.out else resource_dir(name)
        start = time.perf_counter()
        if name == "genre":
            from unspun.articlelevel.head_training import train_genre

            train_genre(args.data, out, cache=args.cache, quick=args.quick)
        elif name == "frames":
            from unspun.articlelevel.head_training import train_frames

            train_frames(args.data, out, cache=args.cache, quick=args.quick)
        else:
            from unspun.narratives.recipe import train_narratives

            train_narratives(args.data, out, quick=args.quick, cache=args.cache)
        print(f"{name}: wrote {out} in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
