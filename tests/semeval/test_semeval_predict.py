"""Prediction files for the real SemEval layout (needs ../shared; skipped without it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from unspun.semeval.cli import app
from unspun.semeval.data import read_articles, read_paragraph_labels, read_spans, read_techniques


@pytest.mark.shared
@pytest.mark.slow
def test_predict_writes_exactly_the_template_rows(semeval23_dir: Path, tmp_path: Path) -> None:
    en = semeval23_dir / "en"
    template = en / "test-labels-subtask-3.template"
    articles = en / "test-articles-subtask-3"
    out = tmp_path / "pred.txt"
    spans = tmp_path / "spans"
    res = CliRunner().invoke(
        app,
        [
            "predict",
            str(articles),
            "-o",
            str(out),
            "--template",
            str(template),
            "--spans-dir",
            str(spans),
        ],
    )
    assert res.exit_code == 0, res.output
    template_keys = [
        tuple(line.split("\t")[:2])
        for line in template.read_text(encoding="utf-8").splitlines()
        if line
    ]
    written = [tuple(line.split("\t")[:2]) for line in out.read_text(encoding="utf-8").splitlines()]
    assert written == template_keys
    labels = {t for ts in read_paragraph_labels(out).values() for t in ts}
    assert labels <= set(read_techniques(semeval23_dir / "labels" / "techniques_subtask3.txt"))
    texts = {a.id: a.text for a in read_articles(articles)}
    for s in read_spans(spans):
        assert 0 <= s.start < s.end <= len(texts[s.article_id])


@pytest.mark.shared
def test_span_offsets_index_the_article_files(semeval23_dir: Path) -> None:
    en = semeval23_dir / "en"
    arts = {a.id: a for a in read_articles(en / "train-articles-subtask-3")}
    spans = read_spans(en / "train-labels-subtask-3-spans")
    assert len(spans) > 7000
    derived: dict[tuple[str, int], set[str]] = {}
    for s in spans:
        assert arts[s.article_id].text[s.start : s.end].strip()
        for p in arts[s.article_id].paragraphs:
            if s.start < p.end and s.end > p.start:
                assert p.line is not None
                derived.setdefault((s.article_id, p.line), set()).add(s.technique)
    # Read with newline="", the span offsets reproduce the paragraph labels (up to a couple of
    # annotation slips in the data itself).
    gold = read_paragraph_labels(en / "train-labels-subtask-3.txt")
    agree = sum(derived.get(k, set()) == set(v) for k, v in gold.items())
    assert agree / len(gold) > 0.998


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize(("lang", "iso"), [("fr", "fr"), ("ru", "ru")])
def test_french_and_russian_dev_articles_get_spans(
    semeval23_dir: Path, tmp_path: Path, lang: str, iso: str
) -> None:
    from unspun.semeval.scoring import score_paragraphs

    dev = semeval23_dir / lang / "dev-a"
    if not dev.is_dir():
        pytest.skip(f"{dev} is absent")
    out, spans = tmp_path / "pred.txt", tmp_path / "spans"
    args = ["predict", str(dev / "articles-subtask-3"), "-o", str(out), "--spans-dir", str(spans)]
    res = CliRunner().invoke(app, [*args, "--language", iso])
    assert res.exit_code == 0, res.output
    found = read_spans(spans)
    texts = {a.id: a.text for a in read_articles(dev / "articles-subtask-3")}
    assert len({s.article_id for s in found}) >= len(texts) // 2
    for s in found:
        assert 0 <= s.start < s.end <= len(texts[s.article_id])
    # Well above chance on the labelled newer articles (the model card has the figures).
    score = score_paragraphs(read_paragraph_labels(dev / "labels-subtask-3.txt"), read_paragraph_labels(out))
    assert score.micro_f1 > 0.3
