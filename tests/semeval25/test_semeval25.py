"""SemEval-2025 Task 10 subtask 2: files, F1-samples by hand, the narrative model's output."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from unspun.semeval25.cli import app
from unspun.semeval25.files import NarrativeRow, read_annotations, write_annotations
from unspun.semeval25.scoring import samples_f1, score_narratives

SEMEVAL25 = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "semeval2025"
_CC = "CC: Criticism of climate policies"
_UA = "URW: Discrediting Ukraine"


def test_round_trip(tmp_path: Path) -> None:
    rows = [
        NarrativeRow("a.txt", (_CC,), (f"{_CC}: Other",)),
        NarrativeRow("b.txt", ("Other",), ("Other",)),
    ]
    write_annotations(tmp_path / "x.txt", rows)
    back = read_annotations(tmp_path / "x.txt")
    assert list(back.values()) == rows


def test_samples_f1_by_hand() -> None:
    gold = [frozenset({"a", "b"}), frozenset({"Other"})]
    pred = [frozenset({"a"}), frozenset({"c"})]
    # document 1: P 1, R 1/2 -> 2/3; document 2: 0
    assert samples_f1(gold, pred) == pytest.approx((2 / 3 + 0) / 2)


def test_score_counts_missing_documents_as_empty() -> None:
    gold = {"a": NarrativeRow("a", ("Other",), ("Other",)), "b": NarrativeRow("b", (_UA,), (f"{_UA}: Other",))}
    pred = {"a": NarrativeRow("a", ("Other",), ("Other",))}
    s = score_narratives(gold, pred)
    assert s.narratives_f1 == pytest.approx(0.5)
    assert s.subnarratives_f1 == pytest.approx(0.5)
    assert s.documents == 2


def test_malformed_row_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_text("a.txt\tOther\n", encoding="utf-8")
    with pytest.raises(ValueError, match=":1:"):
        read_annotations(tmp_path / "bad.txt")


def test_cli_scores_hand_made_files(tmp_path: Path) -> None:
    g = tmp_path / "g.txt"
    p = tmp_path / "p.txt"
    g.write_text(f"a.txt\t{_CC}\t{_CC}: Other\nb.txt\tOther\tOther\n", encoding="utf-8")
    p.write_text(f"a.txt\t{_CC}\t{_CC}: Other\nb.txt\t{_UA}\t{_UA}: Other\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["score", str(g), str(p), "--subtask", "2"])
    assert res.exit_code == 0, res.output
    assert "narratives F1-samples 0.50000" in res.output
    assert CliRunner().invoke(app, ["score", str(g), str(p), "--subtask", "3"]).exit_code != 0


@pytest.mark.shared
def test_predict_writes_one_row_per_test_document(tmp_path: Path) -> None:
    docs = SEMEVAL25 / "EN" / "test" / "subtask-2-documents"
    if not docs.is_dir():
        pytest.skip("../shared/data/semeval2025 is absent")
    out = tmp_path / "pred.txt"
    res = CliRunner().invoke(app, ["predict", str(docs), "--subtask", "2", "-o", str(out)])
    assert res.exit_code == 0, res.output
    rows = read_annotations(out)
    assert sorted(rows) == sorted(p.name for p in docs.glob("*.txt"))
    for r in rows.values():
        assert r.narratives and r.subnarratives
        assert (r.narratives == ("Other",)) == (r.subnarratives == ("Other",))
