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


def _all_options() -> set[str]:
    from typer.main import get_command

    found: set[str] = set()

    def visit(cmd: object) -> None:
        for param in getattr(cmd, "params", []):
            found.update(o for o in param.opts + param.secondary_opts if o.startswith("--"))
        for sub in getattr(cmd, "commands", {}).values():
            visit(sub)

    visit(get_command(app))
    return found


def test_every_option_a_hint_names_exists() -> None:
    import re

    from unspun.errors import CODES

    options = _all_options()
    for code in CODES.values():
        for named in re.findall(r"--[a-z][a-z0-9-]*", code.hint):
            assert named in options, f"{code.code}'s hint names {named}, which no command has"


def _store(tmp_path: Path) -> str:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"text": "One article about the harbour."}\n', encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'corpus.db'}"
    assert runner.invoke(app, ["ingest", str(corpus), "--db", db]).exit_code == 0
    return db


READERS = [
    ["stats"],
    ["batch", "-a", "sentences", "--workers", "0"],
    ["search", "harbour"],
    ["compare"],
    ["profile"],
    ["export", "--what", "spans", "-o", "out.csv"],
    ["report", "-o", "out.html"],
]


@pytest.mark.parametrize("command", READERS, ids=lambda c: c[0])
@pytest.mark.parametrize("kind", ["missing", "not sqlite", "truncated"])
def test_store_commands_give_e402_for_a_bad_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str], kind: str
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "bad.db"
    if kind == "not sqlite":
        path.write_text("this is not a database\n" * 100, encoding="utf-8")
    elif kind == "truncated":
        good = Path(_store(tmp_path).removeprefix("sqlite:///"))
        runner.invoke(app, ["batch", "--db", str(good), "-a", "sentences", "--workers", "0"])
        path.write_bytes(good.read_bytes()[:5000])
    result = runner.invoke(app, [*command, "--db", f"sqlite:///{path}"])
    assert result.exit_code == 2, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    assert "E402" in result.output
    assert str(path) in result.output
    if kind == "missing":
        assert not path.exists()  # only `ingest` makes a store


@pytest.mark.parametrize("target", ["missing/out.json", "."])
def test_analyze_output_that_cannot_be_written_is_e501_before_any_work(tmp_path: Path, target: str) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Title\n\nSome text.\n", encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(article), "-a", "nope", "-o", str(tmp_path / target)])
    assert result.exit_code == 2
    assert "E501" in result.output  # before the unknown analyzer (E201) is even looked up
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_analyze_onto_a_full_disk_is_e501(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Title\n\nSome text.\n", encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(article), "-a", "sentences", "-f", "json", "-o", "/dev/full"])
    assert result.exit_code == 2
    assert "E501" in result.output and "disk is full" in result.output


@pytest.mark.parametrize("command", [["compare"], ["profile"], ["export", "--what", "spans"], ["report"]], ids=lambda c: c[0])
def test_store_views_output_into_a_missing_folder_is_e501(tmp_path: Path, command: list[str]) -> None:
    db = _store(tmp_path)
    result = runner.invoke(app, [*command, "--db", db, "-o", str(tmp_path / "missing" / "out")])
    assert result.exit_code == 2, result.output
    assert "E501" in result.output


def test_e202_names_the_installed_analyzer_that_provides_what_is_missing() -> None:
    result = runner.invoke(app, ["analyze", "-", "-a", "events"], input="Some text.\n")
    assert result.exit_code == 2
    assert "E202" in result.output
    assert "add claims before it" in result.output


@pytest.mark.parametrize("count", [0, 1, 2])
def test_format_json_is_always_a_list(tmp_path: Path, count: int) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(f'{{"text": "Article {n}."}}\n' for n in range(count)) or "\n", encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(corpus), "-a", "sentences", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout.split("\n\n")[0])
    assert isinstance(data, list) and len(data) == count


def test_outlet_is_one_rule_in_search_and_the_views(tmp_path: Path) -> None:
    folder = tmp_path / "herald"
    folder.mkdir()
    (folder / "a.txt").write_text("Title\n\nAn article without an outlet.\n", encoding="utf-8")
    (tmp_path / "rows.jsonl").write_text('{"text": "An article from the Daily.", "outlet": "Daily"}\n', encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert runner.invoke(app, ["ingest", str(folder), str(tmp_path / "rows.jsonl"), "--db", db]).exit_code == 0
    hits = json.loads(runner.invoke(app, ["search", "--db", db, "--json", "article"]).stdout)
    profiled = json.loads(runner.invoke(app, ["profile", "--db", db, "-f", "json"]).stdout)
    assert sorted(str(h["outlet"]) for h in hits) == ["Daily", "None"]
    assert sorted(p["outlet"] for p in profiled) == ["Daily", "unknown"]
    # Every outlet a view shows (but the stand-in for none) is one --outlet finds.
    found = json.loads(runner.invoke(app, ["search", "--db", db, "--json", "--outlet", "Daily"]).stdout)
    assert len(found) == 1
    assert runner.invoke(app, ["search", "--db", db, "--json", "--outlet", "herald"]).stdout.strip() == "[]"


@pytest.mark.parametrize("raw", [False, True])
def test_csv_export_neutralises_formulas_unless_raw(tmp_path: Path, raw: bool) -> None:
    import csv

    rows = [
        {"text": "One.", "title": '=HYPERLINK("http://evil","click")'},
        {"text": "Two.", "title": "+1 and more"},
        {"text": "Three.", "title": "@SUM(A1)"},
        {"text": "Four.", "title": "-2"},
        {"text": "Five.", "title": "A plain title"},
    ]
    corpus = tmp_path / "rows.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert runner.invoke(app, ["ingest", str(corpus), "--db", db]).exit_code == 0
    out = tmp_path / "articles.csv"
    args = ["export", "--db", db, "--what", "articles", "-o", str(out)] + (["--raw"] if raw else [])
    assert runner.invoke(app, args).exit_code == 0
    with out.open(encoding="utf-8", newline="") as f:
        titles = sorted(r["title"] for r in csv.DictReader(f))
    if raw:
        assert titles == sorted(r["title"] for r in rows)
    else:
        assert titles == sorted(["'" + r["title"] if r["title"][0] in "=+-@" else r["title"] for r in rows])


def test_starting_the_cli_loads_no_model_or_store_library() -> None:
    import subprocess
    import sys

    heavy = ("spacy", "sqlalchemy", "torch", "onnxruntime", "numpy", "trafilatura", "transformers")
    code = f"import sys, unspun.cli; print([m for m in {heavy!r} if m in sys.modules])"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"  # `unspun --version` and `--help` stay fast
