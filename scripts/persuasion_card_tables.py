"""Print the model card's tables from a training run's cv_report.json (markdown).

    .venv/bin/python scripts/persuasion_card_tables.py src/unspun/resources/models/persuasion/cv_report.json

Every figure in MODEL_CARD.md's evaluation section is printed by this script.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def main(path: Path) -> None:
    r: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    cv = r["cv"]
    mode = cv["score_mode"]
    print(f"Chosen paragraph score: `{mode}`; span threshold {cv['span_threshold']}.\n")
    print("| score mode | micro-F1 mean ± sd | min–max | macro-F1 mean ± sd |")
    print("|---|---|---|---|")
    for m, v in cv["modes"].items():
        mi, ma = v["micro_f1"], v["macro_f1"]
        print(
            f"| {m}{' (chosen)' if m == mode else ''} | {mi['mean']:.3f} ± {mi['sd']:.3f} | "
            f"{mi['min']:.3f}–{mi['max']:.3f} | {ma['mean']:.3f} ± {ma['sd']:.3f} |"
        )
    print("\nPer fold (chosen mode, thresholds fitted on the other folds):\n")
    print("| fold | paragraphs | micro-P | micro-R | micro-F1 | macro-F1 |")
    print("|---|---|---|---|---|---|")
    for f in cv["modes"][mode]["folds"]:
        print(
            f"| {f['fold'] + 1} | {f['paragraphs']} | {f['micro_precision']:.3f} | "
            f"{f['micro_recall']:.3f} | {f['micro_f1']:.3f} | {f['macro_f1']:.3f} |"
        )
    print("\nPer technique (pooled out-of-fold predictions; sd of the per-fold F1):\n")
    print("| technique | support | P | R | F1 | F1 sd over folds | threshold |")
    print("|---|---|---|---|---|---|---|")
    thr = dict(zip(r["techniques"], cv["modes"][mode]["thresholds_all"], strict=True))
    per = cv["modes"][mode]["per_technique"]
    for t in sorted(r["techniques"], key=lambda t: -per.get(t, {}).get("support", 0)):
        v = per.get(t)
        th = "never reported" if thr[t] is None else f"{thr[t]:.3f}"
        if v is None:
            print(f"| {t} | 0 | – | – | – | – | {th} |")
            continue
        print(
            f"| {t} | {v['support']} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} | "
            f"{v['f1_fold_sd']:.3f} | {th} |"
        )
    print("\nSpan level (partial-overlap credit, technique-aware), pooled out-of-fold:\n")
    print("| span threshold | P | R | F1 | predicted spans | gold spans |")
    print("|---|---|---|---|---|---|")
    for st, v in cv["spans"].items():
        print(
            f"| {st} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} | "
            f"{v['pred_spans']} | {v['gold_spans']} |"
        )
    q = cv.get("quantization_fold1")
    if q:
        print("\nQuantization check on fold 1's held-out paragraphs:\n")
        print("| model | micro-F1 | macro-F1 |")
        print("|---|---|---|")
        for name in ("torch", "onnx_fp32", "onnx_int8"):
            print(f"| {name} | {q[name]['micro_f1']:.4f} | {q[name]['macro_f1']:.4f} |")
        print(
            f"\nONNX sizes: fp32 {q['sizes_mb']['fp32']:.1f} MB, int8 {q['sizes_mb']['int8']:.1f} MB."
        )
    timing = {
        k: round(r[k], 1) for k in ("encode_minutes", "cv_minutes", "final_minutes") if k in r
    }
    print(f"\nWall-clock minutes: {timing}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
