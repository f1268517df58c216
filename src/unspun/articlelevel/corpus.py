"""The SemEval-2023 articles (train and dev-a, six languages) as the article heads see them.

Each article is read as the analyzers read it: its non-empty lines as paragraphs, the
persuasion model run over them with the thresholds of its language, and the shared encoder's
pooled paragraph vectors. Computing that takes minutes on a laptop, so :func:`load_features`
keeps it in a cache file (``.npz``, never committed: it holds no text, but its labels come
from the research-only data).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from unspun.articlelevel.features import style_vector
from unspun.articlelevel.shared import (
    article_vector,
    paragraph_vectors,
    paragraphs_of,
    persuasion_profile,
)
from unspun.semeval.data import read_articles

Array = npt.NDArray[np.float32]

#: SemEval folder name -> ISO 639-1
LANGUAGES: dict[str, str] = {"en": "en", "fr": "fr", "ge": "de", "it": "it", "po": "pl", "ru": "ru"}
SPLITS = ("train", "dev-a")


@dataclass
class ArticleSet:
    """Parallel lists, one entry per article (``genre`` "" and ``frames`` None where unlabelled)."""

    ids: list[str] = field(default_factory=list)
    language: list[str] = field(default_factory=list)
    split: list[str] = field(default_factory=list)
    genre: list[str] = field(default_factory=list)
    frames: list[list[str] | None] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    vectors: Array = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    persuasion: Array = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    style: Array = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))

    def select(self, mask: npt.NDArray[np.bool_]) -> ArticleSet:
        idx = np.flatnonzero(mask)
        return ArticleSet(
            ids=[self.ids[i] for i in idx],
            language=[self.language[i] for i in idx],
            split=[self.split[i] for i in idx],
            genre=[self.genre[i] for i in idx],
            frames=[self.frames[i] for i in idx],
            texts=[self.texts[i] for i in idx],
            vectors=self.vectors[idx],
            persuasion=self.persuasion[idx],
            style=self.style[idx],
        )


def _labels(path: Path) -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    if path.is_file():
        for raw in path.read_text(encoding="utf-8").splitlines():
            if raw.strip():
                art, _, labs = raw.partition("\t")
                rows[art.strip()] = [x.strip() for x in labs.split(",") if x.strip()]
    return rows


def _split_files(lang_dir: Path, split: str) -> tuple[list[Path], Path, Path]:
    if split == "train":
        dirs = [lang_dir / f"train-articles-subtask-{n}" for n in (1, 2)]
        return dirs, lang_dir / "train-labels-subtask-1.txt", lang_dir / "train-labels-subtask-2.txt"
    base = lang_dir / split
    return (
        [base / f"articles-subtask-{n}" for n in (1, 2)],
        base / "labels-subtask-1.txt",
        base / "labels-subtask-2.txt",
    )


def read_split(data_root: Path, folder: str, split: str) -> ArticleSet:
    """The articles of one language and split with a genre or frame label, texts only."""
    lang_dir = data_root / "semeval2023" / folder
    dirs, genre_file, frame_file = _split_files(lang_dir, split)
    genres, frames = _labels(genre_file), _labels(frame_file)
    texts: dict[str, str] = {}
    for d in dirs:
        if d.is_dir():
            for art in read_articles(d):
                texts.setdefault(art.id, art.text)
    out = ArticleSet()
    for art_id in sorted(texts, key=lambda a: (len(a), a)):
        if art_id not in genres and art_id not in frames:
            continue
        out.ids.append(art_id)
        out.language.append(LANGUAGES[folder])
        out.split.append(split)
        out.genre.append((genres.get(art_id) or [""])[0])
        out.frames.append(frames.get(art_id))
        out.texts.append(texts[art_id])
    return out


def cached_text_vectors(texts: list[str], cache: Path | None = None) -> Array:
    """:func:`~unspun.articlelevel.shared.text_vector` of every text, kept in ``cache`` (an
    ``.npz`` of vectors keyed by a digest of each text) between runs."""
    import hashlib

    from unspun.articlelevel.shared import text_vector
    from unspun.encoder import load_paragraph_encoder

    keys = [hashlib.sha256(t.encode("utf-8", "surrogatepass")).hexdigest() for t in texts]
    known: dict[str, Array] = {}
    if cache is not None and cache.is_file():
        with np.load(cache) as z:
            known = dict(zip([str(k) for k in z["keys"]], np.asarray(z["vectors"]), strict=True))
    encoder = load_paragraph_encoder()
    for k, t in zip(keys, texts, strict=True):
        if k not in known:
            known[k] = text_vector(t, encoder)
            encoder.clear_cache()  # each text is read once: keeping its states only costs memory
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(cache, keys=np.array(list(known)), vectors=np.stack(list(known.values())))
    return np.stack([known[k] for k in keys])


def compute_features(articles: ArticleSet, *, persuasion_dir: Path | None = None) -> ArticleSet:
    """Fill in the encoder vectors, persuasion profiles and style measures."""
    from unspun.encoder import load_paragraph_encoder
    from unspun.persuasion.model import load_model

    model = load_model(persuasion_dir)
    # The heads read the shipped encoder whichever persuasion model finds the techniques.
    encoder = load_paragraph_encoder()
    n = len(articles.texts)
    vecs: list[Array | None] = [None] * n
    profs: list[Array | None] = [None] * n
    for lang in dict.fromkeys(articles.language):
        idx = [i for i, x in enumerate(articles.language) if x == lang]
        for start in range(0, len(idx), 16):
            group = idx[start : start + 16]
            paras = [paragraphs_of(articles.texts[i]) for i in group]
            flat = [p for ps in paras for p in ps]
            owner = [k for k, ps in enumerate(paras) for _ in ps]
            found = iter(model.detect(flat, lang, owner))
            for i, ps in zip(group, paras, strict=True):
                dets = [next(found) for _ in ps]
                profs[i] = persuasion_profile([[d.technique for d in ds] for ds in dets])
                vecs[i] = article_vector(paragraph_vectors(encoder, ps))
            encoder.clear_cache()
    articles.vectors = np.stack(vecs)  # type: ignore[arg-type]
    articles.persuasion = np.stack(profs)  # type: ignore[arg-type]
    articles.style = np.stack([style_vector(t) for t in articles.texts]).astype(np.float32)
    return articles


def load_features(data_root: Path, cache: Path | None = None) -> ArticleSet:
    """Every labelled article of the six languages, train and dev-a, with its features."""
    out = ArticleSet()
    parts = [read_split(data_root, folder, split) for folder in LANGUAGES for split in SPLITS]
    for p in parts:
        for name in ("ids", "language", "split", "genre", "frames", "texts"):
            getattr(out, name).extend(getattr(p, name))
    if cache is not None and cache.is_file():
        with np.load(cache) as z:
            meta = json.loads(str(z["meta"]))
            if meta["ids"] == [f"{lang}/{s}/{i}" for lang, s, i in zip(out.language, out.split, out.ids, strict=True)]:
                out.vectors, out.persuasion, out.style = z["vectors"], z["persuasion"], z["style"]
                return out
    compute_features(out)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        meta = {"ids": [f"{lang}/{s}/{i}" for lang, s, i in zip(out.language, out.split, out.ids, strict=True)]}
        np.savez_compressed(
            cache, meta=json.dumps(meta), vectors=out.vectors, persuasion=out.persuasion, style=out.style
        )
    return out


__all__ = ["LANGUAGES", "ArticleSet", "cached_text_vectors", "compute_features", "load_features", "read_split"]
