"""Re-score a persuasion training run on dev-a without training again.

    .venv/bin/python scripts/persuasion_dev_eval.py RUN [--data ../shared/data/semeval2023]
        [--langs en fr ge it po ru] [--write]

RUN is the ``-o`` folder of ``unspun train persuasion`` (it holds ``dev.npz``, the final
model's dev-a outputs). This reruns :func:`unspun.training.persuasion.evaluate_dev` (score
modes x calibrations x article stage, each fitted and scored on different halves of dev-a's
articles) and prints its table; ``--write`` also rewrites the run's ``thresholds.json`` and
the ``dev`` part of its ``cv_report.json``, as the training run would have written them.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from unspun.training import persuasion as tp

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run", type=Path)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "semeval2023")
    ap.add_argument("--langs", nargs="*", default=["en", "fr", "ge", "it", "po", "ru"])
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    report = json.loads((args.run / "cv_report.json").read_text(encoding="utf-8"))
    conf = report["config"]
    dirs = [args.data / lang for lang in args.langs]
    cfg = tp.TrainConfig(data=dirs, out=args.run, seed=int(conf["seed"]), min_support=int(conf["min_support"]))
    techniques, train = tp.load_corpus(dirs)
    allowed = tp.reportable(techniques, train, cfg.min_support)
    _, paragraphs = tp.load_corpus([d for d in dirs if (d / "dev-a").is_dir()], "dev-a")
    dev = tp.evaluate_dev(techniques, paragraphs, tp.load_oof(args.run / "dev.npz"), cfg, allowed)
    tp._print_dev(dev)
    if args.write:
        report["dev"] = dev
        tp._write_json(args.run / "cv_report.json", report)
        old = json.loads((args.run / "thresholds.json").read_text(encoding="utf-8"))
        cfg.beta, cfg.clean_weight = old["beta"], old["clean_weight"]
        tp.write_dev_thresholds(cfg, techniques, dev)
        print(f"rewrote {args.run / 'thresholds.json'} and the dev part of cv_report.json")


if __name__ == "__main__":
    main()
