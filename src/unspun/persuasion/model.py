"""The persuasion-technique tagger at inference: ONNX Runtime, a fast tokenizer and numpy.

No torch here: the model was exported to ONNX by :mod:`unspun.training.persuasion`.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from unspun.persuasion.decode import (
    ArticleContext,
    DecodeConfig,
    Detection,
    article_context,
    decode_paragraph,
    merge_chunks,
    paragraph_scores,
)
from unspun.persuasion.encoding import batch_inputs, encode_paragraphs, load_tokenizer, special_ids

if TYPE_CHECKING:
    from unspun.encoder import ParagraphEncoder

#: the models shipped inside the package, by name; the first is the default
SHIPPED_MODELS = {
    "fast": "resources/models/persuasion",
    "accurate": "resources/models/persuasion-accurate",
}
DEFAULT_MODEL_DIR = SHIPPED_MODELS["fast"]


def default_model_dir() -> Path:
    """``UNSPUN_PERSUASION_MODEL`` when set (``fast``, ``accurate`` or a model dir), else the
    shipped ``fast`` model."""
    override = os.environ.get("UNSPUN_PERSUASION_MODEL") or "fast"
    if override in SHIPPED_MODELS:
        return Path(str(resources.files("unspun") / SHIPPED_MODELS[override]))
    return Path(override)


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
    #: languages the model was trained on (ISO 639-1); others get no persuasion spans
    languages: tuple[str, ...] = ("en",)
    #: format 1: one ONNX file, encoder inside; 2: heads over the shared encoder
    format: int = 1
    #: thresholds fitted on one language's newer articles, by language (``decode`` is for
    #: the others and for text of unknown language)
    language_decode: dict[str, DecodeConfig] = field(default_factory=dict)

    def decode_for(self, language: str | None) -> DecodeConfig:
        return self.language_decode.get(language or "", self.decode)


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
    stage = calib.get("article_stage")
    if stage is not None:
        w = [float(x) for x in stage]
        decode = replace(decode, article_stage=(w[0], w[1], w[2], w[3]))
    by_language = {
        lang: replace(decode, thresholds=tuple(thr.get(t) for t in techniques))
        for lang, thr in calib.get("language_thresholds", {}).items()
    }
    return ModelInfo(
        directory,
        techniques,
        int(config["max_tokens"]),
        decode,
        tuple(config.get("languages", ["en"])),
        int(config.get("format", 1)),
        by_language,
    )


def shared_encoder_dir(directory: Path, config: dict[str, Any]) -> Path:
    """The encoder a format-2 model's heads read: its ``encoder_dir`` (relative to the model
    dir), else the shipped encoder, which must have the name the heads were trained on."""
    from unspun.encoder import default_encoder_dir

    for cand in (directory / str(config.get("encoder_dir", "../encoder")), default_encoder_dir()):
        conf = cand / "config.json"
        if conf.is_file() and json.loads(conf.read_text(encoding="utf-8"))["name"] == config["encoder"]:
            return cand.resolve()
    raise FileNotFoundError(
        f"{directory}: its heads read the encoder {config['encoder']!r}, which is neither in "
        f"{directory / str(config.get('encoder_dir', '../encoder'))} nor shipped with unspun"
    )


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
        opts = ort.SessionOptions()
        n = threads or int(os.environ.get("UNSPUN_THREADS", "0") or 0)
        if n:
            opts.intra_op_num_threads = n
        opts.inter_op_num_threads = 1
        self.encoder: ParagraphEncoder | None = None
        if self.info.format >= 2:
            # Imported here: unspun.encoder reuses this package's tokenization helpers.
            from unspun.encoder import load_paragraph_encoder

            self.encoder = load_paragraph_encoder(
                shared_encoder_dir(self.info.directory, config), threads=threads
            )
            graph = config["heads"]
        else:
            self._tok = load_tokenizer(str(self.info.directory / config["tokenizer"]))
            self._special = special_ids(self._tok)
            graph = config["model"]
        self._session = ort.InferenceSession(
            str(self.info.directory / graph), opts, providers=["CPUExecutionProvider"]
        )
        self.batch_size = batch_size
        # One session may be shared by threads; tokenizers are not documented as thread-safe.
        self._lock = threading.Lock()

    @property
    def techniques(self) -> tuple[str, ...]:
        return self.info.techniques

    @property
    def languages(self) -> tuple[str, ...]:
        return self.info.languages

    def detect(
        self,
        paragraphs: Sequence[str],
        language: str | None = None,
        articles: Sequence[int] | None = None,
    ) -> list[list[Detection]]:
        """Techniques found in each paragraph, each with its spans (paragraph offsets).

        ``language`` (ISO 639-1) picks the thresholds fitted on that language's newer
        articles, where the model has them. ``articles`` gives each paragraph's article (any
        label, equal for the paragraphs of one article), for the model's article stage;
        without it the paragraphs are read as one article.
        """
        if not paragraphs:
            return []
        config = self.info.decode_for(language)
        groups = list(articles) if articles is not None else [0] * len(paragraphs)
        if self.encoder is not None:
            return self._decode(paragraphs, self._shared_outputs(paragraphs), config, groups)
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
        return self._decode(paragraphs, per_paragraph, config, groups)

    def _shared_outputs(self, paragraphs: Sequence[str]) -> list[list[Any]]:
        # The heads run over the shared encoder's states, which another head over the same
        # paragraphs then finds in the encoder's cache.
        from unspun.encoder import pad_states

        assert self.encoder is not None
        encoded = self.encoder.encode(paragraphs)
        per_paragraph: list[list[Any]] = [[] for _ in paragraphs]
        hidden = self.encoder.hidden_size
        for p, windows in enumerate(encoded):
            for window in windows:
                # One window per call, unpadded: the heads' float kernels then see the same
                # shapes whatever else is analysed, so a paragraph's scores are exactly the
                # same alone and in a batch (they cost little next to the encoder).
                hs, mask = pad_states([window], hidden)
                tok, para = self._session.run(None, {"hidden_states": hs, "attention_mask": mask})
                n = len(window.chunk.ids)
                per_paragraph[p].append(
                    (
                        np.asarray(tok[0, 1 : n + 1], dtype=np.float32),
                        window.chunk.offsets,
                        np.asarray(para[0], dtype=np.float32),
                    )
                )
        return per_paragraph

    @staticmethod
    def _decode(
        paragraphs: Sequence[str],
        per_paragraph: list[list[Any]],
        config: DecodeConfig,
        groups: Sequence[int],
    ) -> list[list[Detection]]:
        merged = [merge_chunks(parts) for parts in per_paragraph]
        contexts: dict[int, ArticleContext] = {}
        if config.article_stage is not None:
            raw = [paragraph_scores(t, p, config.score_mode) for t, _, p in merged]
            for g in set(groups):
                contexts[g] = article_context(
                    np.stack([r for r, gg in zip(raw, groups, strict=True) if gg == g])
                )
        return [
            decode_paragraph(text, tok_p, offs, para_p, config, contexts.get(g))
            for text, (tok_p, offs, para_p), g in zip(paragraphs, merged, groups, strict=True)
        ]


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
    "SHIPPED_MODELS",
    "ModelInfo",
    "PersuasionModel",
    "default_model_dir",
    "load_model",
    "read_model_info",
]
