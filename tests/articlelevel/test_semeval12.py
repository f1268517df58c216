"""Subtasks 1 and 2 of SemEval-2023 Task 3: scorers on hand-made files, prediction files."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from unspun.semeval.cli import app
from unspun.semeval.subtask12 import read_labels, score_files, score_labels

from ._texts import OPINION, REPORTING

SEMEVAL23 = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "semeval2023"


def _write(path: Path, rows: list[str]) -> Path:
    path.write_text("".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_genre_macro_f1_by_hand(tmp_path: Path) -> None:
    gold = _write(tmp_path / "g.txt", ["1\topinion", "2\topinion", "3\treporting", "4\tsatire"])
    pred = _write(tmp_path / "p.txt", ["1\topinion", "2\treporting", "3\treporting", "4\treporting"])
    s = score_files(1, gold, pred)
    # opinion: P 1, R 1/2 -> 2/3; reporting: P 1/3, R 1 -> 1/2; satire: 0
    assert s.macro_f1 == pytest.approx((2 / 3 + 1 / 2 + 0) / 3)
    assert s.micro_f1 == pytest.approx(2 / 4)


def test_frames_micro_f1_by_hand(tmp_path: Path) -> None:
    gold = _write(tmp_path / "g.txt", ["1\tPolitical,Economic", "2\tMorality", "3\t"])
    pred = _write(tmp_path / "p.txt", ["1\tPolitical", "2\tMorality,Political", "3\tEconomic"])
    s = score_files(2, gold, pred)
    # tp 2 (Political@1, Morality@2), fp 2, fn 1
    assert s.micro_precision == pytest.approx(2 / 4)
    assert s.micro_recall == pytest.approx(2 / 3)
    assert s.micro_f1 == pytest.approx(2 * 2 / (2 * 2 + 2 + 1))
    assert s.per_label["Political"].support == 1


def test_missing_prediction_counts_as_empty() -> None:
    s = score_labels({"1": frozenset({"a"}), "2": frozenset({"b"})}, {"1": frozenset({"a"})})
    assert s.micro_recall == pytest.approx(0.5)
    assert s.micro_precision == pytest.approx(1.0)


def test_read_labels_rejects_a_row_without_id(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=":1:"):
        read_labels(_write(tmp_path / "bad.txt", ["\topinion"]))


@pytest.mark.parametrize("subtask", [1, 2])
def test_cli_predicts_in_house_articles_and_scores_them(subtask: int, tmp_path: Path) -> None:
    arts = tmp_path / "arts"
    arts.mkdir()
    for i, text in enumerate(REPORTING + OPINION, start=1):
        (arts / f"article{i}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "pred.txt"
    runner = CliRunner()
    res = runner.invoke(app, ["predict", str(arts), "-o", str(out), "--subtask", str(subtask)])
    assert res.exit_code == 0, res.output
    rows = out.read_text(encoding="utf-8").splitlines()
    assert [r.split("\t")[0] for r in rows] == ["1", "2", "3", "4"]
    res = runner.invoke(app, ["score", str(out), str(out), "--subtask", str(subtask)])
    assert res.exit_code == 0, res.output
    assert "1.00000" in res.output
    bad = runner.invoke(app, ["score", str(out), str(out), "--subtask", "4"])
    assert bad.exit_code != 0


@pytest.mark.shared
@pytest.mark.parametrize("subtask", [1, 2])
def test_predict_writes_one_row_per_test_article(subtask: int, tmp_path: Path) -> None:
    from unspun.semeval.subtask12 import predict_article_level

    arts = SEMEVAL23 / "en" / f"test-articles-subtask-{subtask}"
    if not arts.is_dir():
        pytest.skip("../shared/data/semeval2023 is absent")
    out = tmp_path / "pred.txt"
    n = predict_article_level(subtask, arts, out)
    ids = sorted(p.name[len("article") : -len(".txt")] for p in arts.glob("article*.txt"))
    rows = out.read_text(encoding="utf-8").splitlines()
    assert n == len(ids) == len(rows)
    assert sorted(r.split("\t")[0] for r in rows) == ids
    for r in rows:
        labels = r.split("\t")[1]
        assert labels if subtask == 1 else True
