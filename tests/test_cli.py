from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from unspun import __version__
from unspun.cli import app

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"unspun {__version__}"


def test_example_prints_an_analysis() -> None:
    result = runner.invoke(app, ["analyze", "--example"])
    assert result.exit_code == 0, result.output
    assert "Fictional example" in result.stdout
    assert "analyzers: " in result.stdout and "sentences@" in result.stdout


def test_example_as_json_is_fictional_and_has_metadata() -> None:
    result = runner.invoke(app, ["analyze", "--example", "--format", "json"])
    assert result.exit_code == 0, result.output
    (data,) = json.loads(result.stdout)  # a list, even of one
    article = data["article"]
    assert article["title"].startswith("Fictional example")
    assert article["meta"]["published"] == "2031-03-03"
    assert "invented" in article["text"]
    for p in article["paragraphs"]:
        chunk = article["text"][p["start"] : p["end"]]
        assert chunk == chunk.strip() and chunk


def test_no_input_is_a_usage_error() -> None:
    result = runner.invoke(app, ["analyze"])
    assert result.exit_code == 2


def test_stdin(tmp_path: Path) -> None:
    result = runner.invoke(app, ["analyze", "-", "-f", "json"], input="Headline\n\nBody text. More.\n")
    assert result.exit_code == 0, result.output
    (data,) = json.loads(result.stdout)
    assert data["article"]["title"] == "Headline"
    assert data["article"]["meta"]["source"] == "-"


def _mixed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "good1.txt").write_text("First title\n\nA good article about a bridge.\n", encoding="utf-8")
    (folder / "sub" / "good2.md").write_text("# Second title\n\nAnother *good* one.\n", encoding="utf-8")
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / "nul.txt").write_bytes(b"text with a \x00 NUL byte\n")
    (folder / "bad.jsonl").write_text('{"text": "Fine row of text."}\n{not json}\n', encoding="utf-8")
    return folder


def test_folder_of_good_and_bad_files_lists_each_reject(tmp_path: Path) -> None:
    folder = _mixed_folder(tmp_path)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["analyze", str(folder), "-f", "jsonl", "-o", str(out)])
    assert result.exit_code == 0, result.output
    titles = {json.loads(line)["article"]["title"] for line in out.read_text().splitlines()}
    assert {"First title", "Second title"} <= titles
    assert len(out.read_text().splitlines()) == 3  # two files and the good JSONL row
    for code, name in [("E102", "empty.txt"), ("E103", "binary.txt"), ("E106", "nul.txt"), ("E107", "bad.jsonl:2")]:
        assert any(code in line and name in line for line in result.stderr.splitlines()), (code, result.stderr)
    strict = runner.invoke(app, ["analyze", str(folder), "-f", "jsonl", "-o", str(out), "--strict"])
    assert strict.exit_code == 1


def test_html_is_one_self_contained_page(tmp_path: Path) -> None:
    folder = _mixed_folder(tmp_path)
    out = tmp_path / "page.html"
    result = runner.invoke(app, ["analyze", str(folder), "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    # Self-contained: its script and style are inline (allowed by their hashes), and nothing
    # is loaded from anywhere.
    assert "src=" not in page and "<link" not in page and "url(" not in page
    assert "default-src 'none'" in page
    assert "First title" in page and "E103" in page


def test_html_escapes_the_text(tmp_path: Path) -> None:
    src = tmp_path / "x.txt"
    src.write_text("Title <b>\n\n<script>alert(1)</script> & more\n", encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(src), "-f", "html"])
    assert result.exit_code == 0, result.output
    assert "<script>alert" not in result.stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in result.stdout


def test_unknown_analyzer_is_a_coded_error() -> None:
    result = runner.invoke(app, ["analyze", "--example", "--analyzers", "nope"])
    assert result.exit_code == 2
    assert "E201" in result.stderr


def test_analyzers_schema_and_errors_commands() -> None:
    listing = runner.invoke(app, ["analyzers"])
    assert listing.exit_code == 0 and "sentences" in listing.stdout
    schema = json.loads(runner.invoke(app, ["schema"]).stdout)
    assert "schema_version" in schema["properties"]
    errors = runner.invoke(app, ["errors"])
    assert "E104" in errors.stdout


@pytest.mark.shared
def test_sample_000_as_json(samples_dir: Path) -> None:
    result = runner.invoke(app, ["analyze", str(samples_dir / "000_9c87dda85365b96e.txt"), "--format", "json"])
    assert result.exit_code == 0, result.output
    (data,) = json.loads(result.stdout)
    article = data["article"]
    assert article["title"] == "US puppet regime in Kiev escalates violence after fascist massacre in Odessa"
    assert article["meta"]["author"] == "Alex Lantier"
    assert article["meta"]["published"] == "2014-05-05"
    text = article["text"]
    for mark in ("# ", "**", "](", "wsws.org/contact"):
        assert mark not in text
    assert article["paragraphs"][0]["kind"] == "title"
    for p in article["paragraphs"]:
        chunk = text[p["start"] : p["end"]]
        assert chunk and chunk == chunk.strip()
