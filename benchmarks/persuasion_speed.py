"""Speed and memory of the persuasion analyzer, against a BERT-base-sized model.

Runs the ``persuasion`` analyzer over every article of a directory (default: the SemEval-2023
English subtask-3 test articles) with the model load included, and reports paragraphs/s,
articles/s and peak memory (``ru_maxrss``). Then it builds a randomly initialised
BERT-base-sized encoder with the same heads in /tmp (needs torch and transformers), exports
it to ONNX the same way, and times it through the very same code path, to state the ratio.
Each measurement runs in its own process so that peak memory is its own.

    .venv/bin/python benchmarks/persuasion_speed.py [--articles DIR] [--repeat N] [--batch K]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

DEFAULT_ARTICLES = (
    Path(__file__).resolve().parents[1].parent
    / "shared/data/semeval2023/en/test-articles-subtask-3"
)


def worker(model_dir: str | None, articles: Path, repeat: int, batch: int) -> dict[str, float]:
    from unspun.article import Analysis, Article, paragraphs_from_lines
    from unspun.persuasion.analyzer import PersuasionAnalyzer
    from unspun.semeval.data import read_articles

    docs = []
    for a in read_articles(articles):
        docs.append(
            Article.from_text(a.text, paragraphs=paragraphs_from_lines(a.text, title_first=True))
        )
    n_par = sum(len(d.paragraphs) for d in docs)
    t0 = time.perf_counter()
    analyzer = PersuasionAnalyzer(Path(model_dir) if model_dir else None)
    _ = analyzer.model  # the load is part of the first pass
    t_load = time.perf_counter() - t0
    passes = []
    spans = 0
    for _ in range(repeat):
        encoder = getattr(analyzer.model, "encoder", None)
        if encoder is not None:
            # The shared encoder keeps the states it computed for the next head; a repeat
            # pass must compute them again to measure anything.
            encoder.clear_cache()
        t = time.perf_counter()
        # As `unspun batch` runs it: `batch` articles per call, their paragraphs together.
        for b in range(0, len(docs), batch):
            analyses = [Analysis(article=d) for d in docs[b : b + batch]]
            analyzer.pipe(analyses)
            spans += sum(len(a.spans) for a in analyses)
        passes.append(time.perf_counter() - t)
    first = t_load + passes[0]
    best = min(passes)
    return {
        "articles": len(docs),
        "paragraphs": n_par,
        "load_s": t_load,
        "first_pass_with_load_s": first,
        "paragraphs_per_s_with_load": n_par / first,
        "articles_per_s_with_load": len(docs) / first,
        "paragraphs_per_s_first_pass": n_par / passes[0],
        "paragraphs_per_s_warm": n_par / best,
        "articles_per_s_warm": len(docs) / best,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "spans_per_pass": spans / repeat,
    }


def build_bert_base(target: Path, like: Path, quantize: bool, articles: Path) -> Path:
    """A random BERT-base (12 x 768) with the tagger's heads, as a model dir like ``like``."""
    import torch
    from transformers import BertConfig, BertModel

    from unspun.encoder import default_encoder_dir
    from unspun.persuasion.encoding import encode_paragraphs, load_tokenizer, special_ids
    from unspun.semeval.data import read_articles
    from unspun.training.persuasion import _torch_model, export_onnx, quantize_onnx

    cfg = json.loads((like / "config.json").read_text())
    # A format-2 model's heads read the shared encoder: the BERT-base reads its tokenizer.
    tokenizer = like / "tokenizer.json" if cfg.get("format", 1) == 1 else default_encoder_dir() / "tokenizer.json"
    tok = load_tokenizer(str(tokenizer))
    enc_dir = target / "encoder"
    torch.manual_seed(0)
    BertModel(BertConfig(vocab_size=tok.get_vocab_size())).save_pretrained(str(enc_dir))
    model = _torch_model(enc_dir, len(cfg["techniques"])).eval()
    out = target / ("int8" if quantize else "fp32")
    out.mkdir(parents=True)
    shutil.copy(like / "thresholds.json", out / "thresholds.json")
    shutil.copy(tokenizer, out / "tokenizer.json")
    cfg.update(format=1, model="model.onnx", tokenizer="tokenizer.json")
    (out / "config.json").write_text(json.dumps(cfg))
    if quantize:
        export_onnx(model, target / "tmp.onnx")
        texts = [line for a in read_articles(articles) for line in a.text.splitlines() if line]
        calibration = encode_paragraphs(tok, texts[:200], cfg["max_tokens"])
        quantize_onnx(target / "tmp.onnx", out / cfg["model"], calibration, special_ids(tok))
    else:
        export_onnx(model, out / cfg["model"])
    return out


def _run(model_dir: str | None, articles: Path, repeat: int, batch: int) -> dict[str, float]:
    cmd = [
        sys.executable,
        __file__,
        "--worker",
        "--articles",
        str(articles),
        "--repeat",
        str(repeat),
        "--batch",
        str(batch),
    ]
    if model_dir:
        cmd += ["--model-dir", model_dir]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--model-dir")
    ap.add_argument(
        "--batch", type=int, default=16, help="articles per call (unspun batch's default: 16)"
    )
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--no-bert", action="store_true", help="skip the BERT-base comparison")
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.model_dir, args.articles, args.repeat, args.batch)))
        return
    if not args.articles.is_dir():
        sys.exit(f"{args.articles}: not a directory (pass --articles)")
    from unspun.persuasion.model import default_model_dir

    # The load average says whether other work shared the cores during the measurement.
    results: dict[str, Any] = {"cpu_count": os.cpu_count(), "loadavg_before": os.getloadavg()}
    results["batch"] = args.batch
    results["ours"] = _run(args.model_dir, args.articles, args.repeat, args.batch)
    if not args.no_bert:
        like = Path(args.model_dir) if args.model_dir else default_model_dir()
        with tempfile.TemporaryDirectory(prefix="unspun-bert-base-") as tmp:
            for quant in (False, True):
                d = build_bert_base(
                    Path(tmp) / ("q" if quant else "f"), like, quant, args.articles
                )
                # One pass is enough to time a model this slow, and keeps the run short.
                name = "bert_base_int8" if quant else "bert_base_fp32"
                results[name] = _run(str(d), args.articles, 1, args.batch)
        # Ratios compare first passes (load excluded), the only pass the BERT-base runs make.
        ours = results["ours"]["paragraphs_per_s_first_pass"]
        for name in ("bert_base_fp32", "bert_base_int8"):
            results[f"speedup_vs_{name}"] = ours / results[name]["paragraphs_per_s_first_pass"]
    results["loadavg_after"] = os.getloadavg()
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
