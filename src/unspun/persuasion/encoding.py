"""Paragraph text to model input, shared by training and inference so both see the same ids.

A paragraph longer than the window is cut into consecutive chunks; every token keeps its
character offsets into the paragraph, which is how token scores become character spans.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from tokenizers import Tokenizer

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Chunk:
    """Up to ``max_tokens - 2`` word pieces of one paragraph, without [CLS]/[SEP]."""

    paragraph: int
    ids: IntArray
    offsets: IntArray  # shape (n, 2): character offsets into the paragraph text


def load_tokenizer(path: str) -> Tokenizer:
    tok = Tokenizer.from_file(path)
    # The shipped tokenizer.json pads and truncates to 128; chunking here replaces both.
    tok.no_truncation()
    tok.no_padding()
    return tok


def encode_paragraphs(tok: Tokenizer, texts: Sequence[str], max_tokens: int) -> list[Chunk]:
    """Tokenize every text and cut it into chunks that fit ``max_tokens`` with [CLS]/[SEP]."""
    width = max_tokens - 2
    chunks: list[Chunk] = []
    for i, enc in enumerate(tok.encode_batch(list(texts), add_special_tokens=False)):
        ids = np.asarray(enc.ids, dtype=np.int64)
        offs = np.asarray(enc.offsets, dtype=np.int64).reshape(-1, 2)
        for s in range(0, max(len(ids), 1), width):
            chunks.append(Chunk(i, ids[s : s + width], offs[s : s + width]))
    return chunks


#: (start, end, padding) tokens: BERT's WordPiece names, then XLM-RoBERTa's SentencePiece ones
SPECIAL_TOKENS = (("[CLS]", "[SEP]", "[PAD]"), ("<s>", "</s>", "<pad>"))


def special_ids(tok: Tokenizer) -> tuple[int, int, int]:
    """The ids of the start, end and padding tokens ([CLS]/[SEP]/[PAD] or <s>/</s>/<pad>)."""
    for names in SPECIAL_TOKENS:
        ids = tuple(tok.token_to_id(n) for n in names)
        if all(i is not None for i in ids):
            return ids  # type: ignore[return-value]
    raise ValueError("the tokenizer has neither [CLS]/[SEP]/[PAD] nor <s>/</s>/<pad>")


def batch_inputs(
    chunks: Sequence[Chunk], cls_id: int, sep_id: int, pad_id: int
) -> tuple[IntArray, IntArray]:
    """``input_ids`` and ``attention_mask`` for a batch, padded to its longest chunk."""
    width = max(len(c.ids) for c in chunks) + 2
    ids = np.full((len(chunks), width), pad_id, dtype=np.int64)
    mask = np.zeros((len(chunks), width), dtype=np.int64)
    for row, c in enumerate(chunks):
        n = len(c.ids)
        ids[row, 0] = cls_id
        ids[row, 1 : n + 1] = c.ids
        ids[row, n + 1] = sep_id
        mask[row, : n + 2] = 1
    return ids, mask


__all__ = ["Chunk", "batch_inputs", "encode_paragraphs", "load_tokenizer", "special_ids"]
