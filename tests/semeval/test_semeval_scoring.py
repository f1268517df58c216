"""The in-house scorers on small hand-made gold and prediction files."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from unspun.semeval.cli import app
from unspun.semeval.data import GoldSpan, read_paragraph_labels, read_spans, read_template
from unspun.semeval.scoring import score_paragraphs, score_spans

GOLD = "7\t1\tA\n7\t3\tA,B\n7\t5\t\n"
PRED = "7\t1\tA\n7\t3\tB,C\n7\t5\tC\n"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_paragraph_micro_and_macro(tmp_path: Path) -> None:
    gold = read_paragraph_labels(_write(tmp_path / "g.txt", GOLD))
    pred = read_paragraph_labels(_write(tmp_path / "p.txt", PRED))
    s = score_paragraphs(gold, pred)
    # tp = {A@1, B@3}; fp = {C@3, C@5}; fn = {A@3}
    assert s.micro_precision == pytest.approx(2 / 4)
    assert s.micro_recall == pytest.approx(2 / 3)
    assert s.micro_f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    # per technique F1: A 2/3, B 1, C 0
    assert s.macro_f1 == pytest.approx((2 / 3 + 1 + 0) / 3)
    assert s.per_technique["C"].support == 0


def test_missing_prediction_rows_count_as_empty() -> None:
    s = score_paragraphs({("1", 1): {"A"}, ("1", 2): {"B"}}, {("1", 1): {"A"}})
    assert s.micro_precision == 1.0
    assert s.micro_recall == 0.5


def test_perfect_and_empty() -> None:
    gold = {("1", 1): frozenset({"A"}), ("1", 2): frozenset()}
    assert score_paragraphs(gold, gold).micro_f1 == 1.0
    assert score_paragraphs(gold, {}).micro_f1 == 0.0


def test_span_partial_overlap_credit() -> None:
    gold = [GoldSpan("1", 0, 10, "T")]
    pred = [GoldSpan("1", 5, 15, "T")]
    s = score_spans(gold, pred)
    assert (s.precision, s.recall, s.f1) == pytest.approx((0.5, 0.5, 0.5))


def test_span_other_technique_or_article_earns_nothing() -> None:
    gold = [GoldSpan("1", 0, 10, "T")]
    pred = [GoldSpan("1", 0, 10, "T"), GoldSpan("1", 0, 10, "U"), GoldSpan("2", 0, 10, "T")]
    s = score_spans(gold, pred)
    assert s.precision == pytest.approx(1 / 3)
    assert s.recall == 1.0


def test_overlapping_spans_of_one_technique_are_merged() -> None:
    gold = [GoldSpan("1", 0, 10, "T"), GoldSpan("1", 5, 15, "T")]
    s = score_spans(gold, [GoldSpan("1", 0, 15, "T")])
    assert (s.precision, s.recall, s.gold_spans) == (1.0, 1.0, 1)


def test_span_recall_sums_over_several_predictions() -> None:
    gold = [GoldSpan("1", 0, 20, "T")]
    pred = [GoldSpan("1", 0, 5, "T"), GoldSpan("1", 10, 20, "T")]
    s = score_spans(gold, pred)
    assert s.recall == pytest.approx(15 / 20)
    assert s.precision == 1.0


def test_cli_score_and_score_spans(tmp_path: Path) -> None:
    runner = CliRunner()
    g = _write(tmp_path / "g.txt", GOLD)
    p = _write(tmp_path / "p.txt", PRED)
    res = runner.invoke(app, ["score", "--subtask", "3", str(g), str(p)])
    assert res.exit_code == 0, res.output
    assert "micro-F1 0.57143" in res.output
    assert "macro-F1 0.55556" in res.output

    gdir, pdir = tmp_path / "gold", tmp_path / "pred"
    gdir.mkdir()
    pdir.mkdir()
    _write(gdir / "article1-labels-subtask-3.txt", "1\tT\t0\t10\n")
    _write(pdir / "article1-labels-subtask-3.txt", "1\tT\t5\t15\n")
    res = runner.invoke(app, ["score-spans", str(gdir), str(pdir), "--per-label"])
    assert res.exit_code == 0, res.output
    assert "F1 0.50000" in res.output
    assert read_spans(gdir) == [GoldSpan("1", 0, 10, "T")]


def test_template_reader(tmp_path: Path) -> None:
    t = _write(tmp_path / "x.template", "5\t1\tTitle here\n5\t3\tBody text\n")
    assert read_template(t) == [("5", 1), ("5", 3)]
