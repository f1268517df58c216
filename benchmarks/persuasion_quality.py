"""Quality of the shipped persuasion model on dev-a, every language, as unspun runs it.

    .venv/bin/python benchmarks/persuasion_quality.py [--data ../shared/data/semeval2023]
        [--model-dir DIR] [--techniques en] [--json out.json]

For each language's ``dev-a`` folder (newer articles, 2020-22) this predicts subtask 3 with
the shipped model through ``unspun.semeval.predict`` (the int8 ONNX encoder, the heads and
the per-language thresholds, exactly what ``unspun semeval predict --subtask 3`` writes) and
scores it with the official measures: paragraph micro-F1 and macro-F1, precision, recall,
the techniques marked per paragraph against the annotators', and span F1. ``--techniques``
adds the per-technique table of one language. The model card's cross-validation or
out-of-sample dev-a figures (from ``cv_report.json``) are printed beside it.

The shipped thresholds were fitted on these same dev-a articles, so these figures are
in-sample for the thresholds (the heads never saw dev-a); the card's out-of-sample figures
(thresholds fitted on one half of dev-a's articles, scored on the other) are the fair
estimate for the hidden half.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from unspun.training.persuasion import ISO_LANGUAGE

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "semeval2023"


def score_language(data: Path, lang: str, model: Any) -> dict[str, Any]:
    from unspun.semeval.data import read_paragraph_labels, read_spans
    from unspun.semeval.predict import predict_articles
    from unspun.semeval.scoring import score_paragraphs, score_spans

    dev = data / lang / "dev-a"
    pred = predict_articles(dev / "articles-subtask-3", model, ISO_LANGUAGE[lang])
    gold = read_paragraph_labels(dev / "labels-subtask-3.txt")
    s = score_paragraphs(gold, pred.labels)
    spans = score_spans(read_spans(dev / "labels-subtask-3-spans"), pred.spans)
    return {
        "paragraphs": s.paragraphs,
        "micro_f1": s.micro_f1,
        "macro_f1": s.macro_f1,
        "precision": s.micro_precision,
        "recall": s.micro_recall,
        "gold_per_paragraph": sum(len(v) for v in gold.values()) / max(1, len(gold)),
        "marked_per_paragraph": sum(len(pred.labels.get(k, [])) for k in gold) / max(1, len(gold)),
        "span_f1": spans.f1,
        "per_technique": {
            t: {"precision": v.precision, "recall": v.recall, "f1": v.f1, "support": v.support}
            for t, v in s.per_technique.items()
        },
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--model-dir", type=Path)
    ap.add_argument("--techniques", default="en", help="Language whose per-technique table to print.")
    ap.add_argument("--json", type=Path, help="Also write every figure here.")
    args = ap.parse_args()
    if not args.data.is_dir():
        sys.exit(f"{args.data}: not found (the licensed SemEval data lives in ../shared)")
    from unspun.persuasion.model import load_model

    model = load_model(args.model_dir)
    results = {lang: score_language(args.data, lang, model) for lang in ISO_LANGUAGE if (args.data / lang / "dev-a").is_dir()}
    print("dev-a, shipped model (thresholds fitted on dev-a: in sample)")
    print("| language | paragraphs | micro-F1 | macro-F1 | precision | recall | marked / gold per paragraph | span F1 |")
    print("|---|---|---|---|---|---|---|---|")
    for lang, r in results.items():
        print(
            f"| {lang} | {r['paragraphs']} | {r['micro_f1']:.3f} | {r['macro_f1']:.3f} | "
            f"{r['precision']:.3f} | {r['recall']:.3f} | "
            f"{r['marked_per_paragraph']:.2f} / {r['gold_per_paragraph']:.2f} | {r['span_f1']:.3f} |"
        )
    report_path = (args.model_dir or model.info.directory) / "cv_report.json"
    if report_path.is_file():
        report = json.loads(report_path.read_text(encoding="utf-8"))
        if "dev" in report:
            c = report["dev"]["chosen"]
            print(
                f"\nout of sample (thresholds fitted on the other half of dev-a's articles, "
                f"{c['mode']}/{c['calibration']}, mean of 10 splits):"
            )
            print("| language | micro-F1 | ± sd | macro-F1 | precision | recall | marked / gold per paragraph |")
            print("|---|---|---|---|---|---|---|")
            for lang, v in c["languages"].items():
                print(
                    f"| {lang} | {v['micro_f1']:.3f} | {v['micro_f1_sd']:.3f} | {v['macro_f1']:.3f} | "
                    f"{v['precision']:.3f} | {v['recall']:.3f} | "
                    f"{v['marked_per_paragraph']:.2f} / {v['gold_per_paragraph']:.2f} |"
                )
        if "cv" in report:
            cv = report["cv"]
            m = cv["modes"][cv["score_mode"]]
            print(
                f"\ncross-validation on train ({len(m['folds'])} folds by article, all languages "
                f"pooled): micro-F1 {m['micro_f1']['mean']:.3f} ± {m['micro_f1']['sd']:.3f}, "
                f"macro-F1 {m['macro_f1']['mean']:.3f}"
            )
    if args.techniques in results:
        print(f"\nper technique, {args.techniques} (shipped thresholds, in sample):")
        print("| technique | support | precision | recall | F1 |")
        print("|---|---|---|---|---|")
        per = results[args.techniques]["per_technique"]
        for t, v in sorted(per.items(), key=lambda kv: -kv[1]["support"]):
            print(f"| {t} | {v['support']} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
