"""The persuasion-technique tagger at inference: ONNX Runtime, a fast tokenizer and numpy.

No torch here: the model was exported to ONNX by :mod:`unspun.training.persuasion`.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from unspun.persuasion.decode import DecodeConfig, Detection, decode_paragraph, merge_chunks
from unspun.persuasion.encoding import batch_inputs, encode_paragraphs, load_tokenizer, special_ids

#: the model shipped inside the package
DEFAULT_MODEL_DIR = "resources/models/persuasion"


def default_model_dir() -> Path:
    """``UNSPUN_PERSUASION_MODEL`` when set (a retrained model), else the shipped model."""
    override = os.environ.get("UNSPUN_PERSUASION_MODEL")
    if override:
        return Path(override)
    return Path(str(resources.files("unspun") / DEFAULT_MODEL_DIR))


#: hand-written word lists, one file per technique, applied with any model
LEXICONS = {
    "Name_Calling-Labeling": "resources/lexicons/name_calling.txt",
    "False_Dilemma-No_Choice": "resources/lexicons/false_dilemma.txt",
}


def read_lexicons() -> dict[str, frozenset[str]]:
    """The shipped word lists by technique (see :func:`unspun.persuasion.decode.apply_lexicon`)."""
    out: dict[str, frozenset[str]] = {}
    for tech, rel in LEXICONS.items():
        text = (resources.files("unspun") / rel).read_text(encoding="utf-8")
        words = (line.split("#", 1)[0].strip().lower() for line in text.splitlines())
        out[tech] = frozenset(w for w in words if w)
    return out


@dataclass(frozen=True)
class ModelInfo:
    directory: Path
    techniques: tuple[str, ...]
    max_tokens: int
    decode: DecodeConfig


def read_model_info(directory: Path) -> ModelInfo:
    config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
    calib = json.loads((directory / "thresholds.json").read_text(encoding="utf-8"))
    techniques = tuple(config["techniques"])
    thresholds = tuple(calib["thresholds"].get(t) for t in techniques)
    decode = DecodeConfig(
        techniques=techniques,
        thresholds=thresholds,
        score_mode=calib["score_mode"],
        span_threshold=float(calib["span_threshold"]),
        lexicon=tuple(
            (techniques.index(tech), words)
            for tech, words in read_lexicons().items()
            if tech in techniques
        ),
    )
    return ModelInfo(directory, techniques, int(config["max_tokens"]), decode)


class PersuasionModel:
    """Scores paragraphs for persuasion techniques and finds the spans behind each one.

    :param directory: a model dir with ``config.json``, ``thresholds.json``,
        ``tokenizer.json`` and the ONNX file; defaults to the one shipped with unspun.
    :param threads: ONNX Runtime intra-op threads (``UNSPUN_THREADS``, else all cores).
    :param batch_size: chunks per inference call.
    """

    def __init__(
        self, directory: Path | None = None, *, threads: int | None = None, batch_size: int = 32
    ) -> None:
        import onnxruntime as ort  # type: ignore[import-untyped]

        self.info = read_model_info(directory or default_model_dir())
        config = json.loads((self.info.directory / "config.json").read_text(encoding="utf-8"))
        self._tok = load_tokenizer(str(self.info.directory / config["tokenizer"]))
        self._special = special_ids(self._tok)
        opts = ort.SessionOptions()
        n = threads or int(os.environ.get("UNSPUN_THREADS", "0") or 0)
        if n:
            opts.intra_op_num_threads = n
        opts.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(self.info.directory / config["model"]), opts, providers=["CPUExecutionProvider"]
        )
        self.batch_size = batch_size
        # One session may be shared by threads; tokenizers are not documented as thread-safe.
        self._lock = threading.Lock()

    @property
    def techniques(self) -> tuple[str, ...]:
        return self.info.techniques

    def detect(self, paragraphs: Sequence[str]) -> list[list[Detection]]:
        """Techniques found in each paragraph, each with its spans (paragraph offsets)."""
        if not paragraphs:
            return []
        with self._lock:
            chunks = encode_paragraphs(self._tok, paragraphs, self.info.max_tokens)
        order = sorted(range(len(chunks)), key=lambda i: (len(chunks[i].ids), i))
        outputs: list[Any] = [None] * len(chunks)
        cls_id, sep_id, pad_id = self._special
        for b in range(0, len(order), self.batch_size):
            idx = order[b : b + self.batch_size]
            ids, mask = batch_inputs([chunks[i] for i in idx], cls_id, sep_id, pad_id)
            tok, para = self._session.run(None, {"input_ids": ids, "attention_mask": mask})
            for row, i in enumerate(idx):
                n = len(chunks[i].ids)
                outputs[i] = (
                    np.asarray(tok[row, 1 : n + 1], dtype=np.float32),
                    chunks[i].offsets,
                    np.asarray(para[row], dtype=np.float32),
                )
        per_paragraph: list[list[Any]] = [[] for _ in paragraphs]
        for i, c in enumerate(chunks):
            per_paragraph[c.paragraph].append(outputs[i])
        found: list[list[Detection]] = []
        for text, parts in zip(paragraphs, per_paragraph, strict=True):
            tok_p, offs, para_p = merge_chunks(parts)
            found.append(decode_paragraph(text, tok_p, offs, para_p, self.info.decode))
        return found


_LOAD_LOCK = threading.Lock()


@lru_cache(maxsize=4)
def _cached(directory: Path, threads: int | None) -> PersuasionModel:
    return PersuasionModel(directory, threads=threads)


def load_model(directory: Path | None = None, *, threads: int | None = None) -> PersuasionModel:
    """The model in ``directory`` (default: the shipped one), loaded once per process."""
    with _LOAD_LOCK:
        return _cached((directory or default_model_dir()).resolve(), threads)


__all__ = [
    "DEFAULT_MODEL_DIR",
    "ModelInfo",
    "PersuasionModel",
    "default_model_dir",
    "load_model",
    "read_model_info",
]
