"""Training the genre and frame heads end to end on a tiny in-house corpus laid out as SemEval."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from unspun.article import Analysis, Article
from unspun.articlelevel import ArticleHead, FramesAnalyzer, GenreAnalyzer
from unspun.taxonomy import FRAMES

from ._texts import OPINION, REPORTING, SATIRE

pytest.importorskip("sklearn")


def _variants(text: str, n: int) -> list[str]:
    # Distinct articles from one in-house text: a numbered line after the headline.
    head, _, body = text.partition("\n\n")
    return [f"{head}\n\nUpdate {i}: the story goes on.\n\n{body}" for i in range(n)]


def _write_split(folder: Path, rows: list[tuple[str, str, list[str]]], *, dev: bool) -> None:
    if dev:
        arts1, arts2 = folder / "dev-a" / "articles-subtask-1", folder / "dev-a" / "articles-subtask-2"
        lab1, lab2 = folder / "dev-a" / "labels-subtask-1.txt", folder / "dev-a" / "labels-subtask-2.txt"
    else:
        arts1, arts2 = folder / "train-articles-subtask-1", folder / "train-articles-subtask-2"
        lab1, lab2 = folder / "train-labels-subtask-1.txt", folder / "train-labels-subtask-2.txt"
    for d in (arts1, arts2):
        d.mkdir(parents=True, exist_ok=True)
    with lab1.open("w", encoding="utf-8") as g1, lab2.open("w", encoding="utf-8") as g2:
        for art_id, text, (genre, *frames) in rows:
            for d in (arts1, arts2):
                (d / f"article{art_id}.txt").write_text(text, encoding="utf-8")
            g1.write(f"{art_id}\t{genre}\n")
            g2.write(f"{art_id}\t{','.join(frames)}\n")


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("data")
    en = root / "semeval2023" / "en"
    kinds = [
        (REPORTING, ["reporting", "Political", "Economic"]),
        (OPINION, ["opinion", "Political", "Morality"]),
        (SATIRE, ["satire", "Quality_of_life"]),
    ]
    train: list[tuple[str, str, list[str]]] = []
    dev: list[tuple[str, str, list[str]]] = []
    n = 100
    for texts, labels in kinds:
        for t in texts:
            for k, v in enumerate(_variants(t, 6)):
                (train if k < 4 else dev).append((str(n), v, labels))
                n += 1
    _write_split(en, train, dev=False)
    _write_split(en, dev, dev=True)
    return root


def test_genre_and_frames_train_end_to_end_and_load_in_the_analyzers(tiny_data: Path, tmp_path: Path) -> None:
    from unspun.articlelevel.head_training import train_frames, train_genre

    cache = tmp_path / "features.npz"
    genre = train_genre(tiny_data, tmp_path / "genre", cache=cache, quick=True)
    assert cache.is_file()  # the second recipe reads the features from it
    frames = train_frames(tiny_data, tmp_path / "frames", cache=cache, quick=True)
    for d in ("genre", "frames"):
        assert {p.name for p in (tmp_path / d).iterdir()} == {"model.json", "weights.safetensors", "MODEL_CARD.md"}
        assert "dev-a" in (tmp_path / d / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert genre.meta["figures"]["dev_a_by_language"].keys() == {"en"}
    assert frames.labels == tuple(FRAMES) and 0.1 <= float(frames.thresholds[0]) < 0.8
    again = ArticleHead.load(tmp_path / "genre")
    np.testing.assert_array_equal(again.coef, genre.coef.astype(np.float32).astype(np.float64))

    a = Analysis(article=Article.from_text(OPINION[0]))
    GenreAnalyzer(tmp_path / "genre")(a)
    FramesAnalyzer(tmp_path / "frames")(a)
    assert [lab.label for lab in a.labels if lab.task == "genre"] in (["opinion"], ["reporting"], ["satire"])
    # A head that learnt the three kinds apart calls a training text by its kind.
    b = Analysis(article=Article.from_text(_variants(SATIRE[0], 1)[0]))
    GenreAnalyzer(tmp_path / "genre")(b)
    assert [lab.label for lab in b.labels] == ["satire"]


def test_training_is_deterministic(tiny_data: Path, tmp_path: Path) -> None:
    from unspun.articlelevel.head_training import train_genre

    cache = tmp_path / "features.npz"
    first = train_genre(tiny_data, tmp_path / "a", cache=cache, quick=True)
    second = train_genre(tiny_data, tmp_path / "b", cache=cache, quick=True)
    np.testing.assert_array_equal(first.coef, second.coef)
    assert (tmp_path / "a" / "weights.safetensors").read_bytes() == (tmp_path / "b" / "weights.safetensors").read_bytes()
