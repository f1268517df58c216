"""Hostile inputs through the command line: nothing lost, every failure a coded line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from unspun.cli import app

runner = CliRunner()

SURROGATES = (
    '{"text": "The first line is fine."}\n'
    '{"text": "A lone \\udc00 low half.", "title": "Odd \\ud800 title"}\n'
    '{"text": "The last line is fine."}\n'
)


@pytest.mark.parametrize("fmt", ["json", "jsonl", "html", "table"])
def test_analyze_lone_surrogates_keeps_every_line(tmp_path: Path, fmt: str) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(SURROGATES, encoding="ascii")
    out = tmp_path / "out"
    result = runner.invoke(app, ["analyze", str(corpus), "-a", "sentences", "-f", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.exception is None
    written = out.read_text(encoding="utf-8")
    if fmt == "jsonl":
        assert len(written.splitlines()) == 3
    elif fmt == "json":
        assert len(json.loads(written)) == 3
    assert "last line is fine" in written
    assert "W102" in result.output


def test_ingest_lone_surrogates_stores_every_line_and_lists_problems(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(SURROGATES, encoding="ascii")
    bad = tmp_path / "bad.csv"
    bad.write_text('id,text\n1,"Never closes\n2,Fine row.\n', encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'corpus.db'}"
    result = runner.invoke(app, ["ingest", str(corpus), str(bad), "--db", db])
    assert result.exit_code == 0, result.output
    assert "4 article(s) added" in result.output
    assert f"E112 {bad}:2" in result.output
    assert f"W102 {corpus}:2" in result.output


def test_single_line_article_over_max_chars_is_refused_with_e114(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("word " * 400, encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(path), "-a", "sentences", "--max-chars", "1000"])
    assert result.exit_code == 0, result.output
    assert f"E114 {path}: the article has 2,000 characters" in result.output
