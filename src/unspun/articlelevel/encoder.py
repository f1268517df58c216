"""One dense vector per article, for the article-level models: ONNX Runtime and a fast
tokenizer, no torch.

The encoder is the published all-MiniLM-L6-v2, exported with its pooling by
``scripts/export_article_encoder.py`` (see the model card beside the weights). It reads the
opening word pieces of the text (the headline and lead, where news puts what a story is
about) so that a long article costs no more than a short one.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
from tokenizers import Tokenizer

Vector = npt.NDArray[np.float32]

#: the encoder shipped inside the package
DEFAULT_DIR = Path(__file__).resolve().parents[1] / "resources" / "models" / "article_encoder"


class ArticleEncoder:
    """``embed(text)``: the l2-normalised mean of the encoder's states over the text's opening
    ``max_tokens`` word pieces ([CLS] and [SEP] included, as sentence-transformers pools).

    :param threads: ONNX Runtime intra-op threads (``UNSPUN_THREADS``, else one).
    """

    def __init__(self, directory: Path = DEFAULT_DIR, *, threads: int | None = None) -> None:
        import onnxruntime as ort  # type: ignore[import-untyped]

        config_path = directory / "config.json"
        if not config_path.is_file():
            raise FileNotFoundError(
                f"no article encoder in {directory}: reinstall unspun, or write one with "
                "scripts/export_article_encoder.py"
            )
        config = json.loads(config_path.read_text(encoding="utf-8"))
        self.directory = directory
        self.max_tokens = int(config["max_tokens"])
        self.dim = int(config["dim"])
        self._tokenizer = Tokenizer.from_file(str(directory / config["tokenizer"]))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(self.max_tokens)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or int(os.environ.get("UNSPUN_THREADS", "0") or 0) or 1
        opts.inter_op_num_threads = 1
        # One short input per article: idle pool threads spinning for the next call would only
        # take the core from spaCy and the persuasion model running in the same process.
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(
            str(directory / config["model"]), opts, providers=["CPUExecutionProvider"]
        )
        # Tokenizers are not documented as thread-safe; the session is.
        self._lock = threading.Lock()

    def embed(self, text: str) -> Vector:
        with self._lock:
            enc = self._tokenizer.encode(text)
        return self.embed_ids(enc.ids)

    def embed_ids(self, ids: Sequence[int]) -> Vector:
        """The pooled vector of word-piece ``ids`` as given ([CLS] and [SEP] included)."""
        batch = np.asarray([ids], dtype=np.int64)
        (out,) = self._session.run(["embedding"], {"input_ids": batch, "attention_mask": np.ones_like(batch)})
        return np.asarray(out[0], dtype=np.float32)


@lru_cache(maxsize=4)
def load_encoder(directory: Path = DEFAULT_DIR) -> ArticleEncoder:
    return ArticleEncoder(directory)


# Pipeline.run gives each analyzer the whole batch (16 articles by default) before the next
# analyzer starts, so the cache must hold a batch for narratives to find what frames computed;
# 64 leaves room for larger batches at a few MB (the text is the key).
@lru_cache(maxsize=64)
def article_embedding(text: str) -> Vector:
    """The shipped encoder's vector for ``text``; the frames and narrative models of one
    article ask for the same text, and the cache lets them share one encoder pass."""
    vec = load_encoder().embed(text)
    vec.setflags(write=False)
    return vec


__all__ = ["DEFAULT_DIR", "ArticleEncoder", "article_embedding", "load_encoder"]
