from __future__ import annotations

from pathlib import Path

import pytest

from unspun.taxonomy import CATEGORIES, FRAMES, GENRES, TECHNIQUES, technique


def test_counts_and_categories() -> None:
    assert len(TECHNIQUES) == 23
    assert len(FRAMES) == 14
    assert set(GENRES) == {"opinion", "reporting", "satire"}
    assert {t.category for t in TECHNIQUES.values()} == set(CATEGORIES)
    assert len(CATEGORIES) == 6


def test_every_label_has_a_definition_and_example() -> None:
    for item in [*TECHNIQUES.values(), *FRAMES.values(), *GENRES.values()]:
        assert item.definition.endswith(".") and len(item.definition) > 30
        assert item.example


def test_unknown_technique_names_the_known_ones() -> None:
    assert technique("Doubt").category == "Attack on Reputation"
    with pytest.raises(KeyError, match="Loaded_Language"):
        technique("Loaded language")


@pytest.mark.shared
def test_label_strings_match_semeval_exactly(semeval23_dir: Path) -> None:
    labels = semeval23_dir / "labels"
    techniques = (labels / "techniques_subtask3.txt").read_text().split()
    frames = (labels / "frames_subtask2.txt").read_text().split()
    assert set(techniques) == set(TECHNIQUES)
    assert set(frames) == set(FRAMES)
