"""Corpora: JSONL and CSV/TSV, one article per record; a bad record never hides the rest."""

from __future__ import annotations

import csv
import datetime as dt
import json
import tracemalloc
from pathlib import Path

import pytest

from unspun.article import Article
from unspun.errors import InputError
from unspun.ingest import ReadOptions, iter_read, read
from unspun.ingest.base import ReadItem


def codes(items: list[ReadItem]) -> list[str]:
    return [i.code if isinstance(i, InputError) else "ok" for i in items]


def article(item: ReadItem) -> Article:
    assert isinstance(item, Article), item
    return item


def test_jsonl_records_become_articles_with_metadata(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    rows: list[dict[str, object]] = [
        {
            "id": 17,
            "title": "Pier to be rebuilt",
            "text": "Pier to be rebuilt\n\nThe council voted on Tuesday.\nWork starts soon.",
            "url": "https://gull.example/pier",
            "author": "Jane Roe",
            "date": "2023-04-05",
            "outlet": "Daily Gull",
            "language": "en",
            "section": "local",
            "tags": ["harbour", "council"],
        },
        {"text": "Second story.", "date": "sometime in spring"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    first, second = read(path)
    assert first.text == "Pier to be rebuilt\n\nThe council voted on Tuesday.\nWork starts soon."
    assert first.title == "Pier to be rebuilt"
    assert [p.kind for p in first.paragraphs] == ["title", "body", "body"]
    meta = first.meta
    assert meta.external_id == "17"
    assert meta.url == "https://gull.example/pier"
    assert meta.author == "Jane Roe"
    assert meta.outlet == "Daily Gull"
    assert meta.language == "en"
    assert meta.published == dt.date(2023, 4, 5)
    assert meta.source == f"{path}:1"
    assert meta.extra == {"section": "local", "tags": ["harbour", "council"]}
    assert second.meta.source == f"{path}:2"
    assert second.meta.published is None
    assert second.meta.extra == {"date": "sometime in spring"}


def test_jsonl_field_names_are_configurable(tmp_path: Path) -> None:
    path = tmp_path / "c.ndjson"
    path.write_text(json.dumps({"body": "Words here.", "headline": "H", "uid": "a1"}) + "\n")
    options = ReadOptions(text_field="body", title_field="headline", id_field="uid")
    (item,) = read(path, options)
    assert item.text == "Words here."
    assert item.title == "H"
    assert item.meta.external_id == "a1"


def test_bad_jsonl_lines_are_reported_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"text": "One."}\n'
        '{"text": "Two", broken\n'
        "\n"
        '["not", "an", "object"]\n'
        '{"title": "no text"}\n'
        '{"text": 42}\n'
        '{"text": "Last."}',
        encoding="utf-8",
    )
    items = list(iter_read([path]))
    assert codes(items) == ["ok", "E107", "E107", "E110", "E110", "ok"]
    lines = [i.line for i in items if isinstance(i, InputError)]
    assert lines == [2, 4, 5, 6]
    assert "mixed.jsonl:2" in str(items[1])
    assert article(items[-1]).meta.source == f"{path}:7"


def test_overlong_jsonl_line_is_e109_and_skipped_unheld(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    with path.open("w", encoding="utf-8") as f:
        f.write('{"text": "Before."}\n')
        f.write('{"text": "' + "w" * 5_000_000 + '"}\n')
        f.write('{"text": "After."}\n')
    tracemalloc.start()
    try:
        items = list(iter_read([path], ReadOptions(max_line_bytes=64 * 1024)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert codes(items) == ["ok", "E109", "ok"]
    assert items[1].line == 2  # type: ignore[union-attr]
    assert peak < 2 * 1024 * 1024


def test_jsonl_invalid_utf8_line_is_e105(tmp_path: Path) -> None:
    path = tmp_path / "bytes.jsonl"
    path.write_bytes(b'{"text": "One."}\n{"text": "Tw\xff"}\n{"text": "Three."}\n')
    items = list(iter_read([path]))
    assert codes(items) == ["ok", "E105", "ok"]


def test_empty_and_binary_corpora(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_text("\n\n")
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "noise.jsonl").write_bytes(b"\x01\x02\x03\x04\x05\x06" * 100)
    items = list(iter_read([tmp_path / "empty.jsonl", tmp_path / "empty.csv", tmp_path / "noise.jsonl"]))
    assert codes(items) == ["E102", "E102", "E103"]


CSV_HEAD = "id,title,text,date,desk\n"


def test_csv_rows_become_articles(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "\ufeff" + CSV_HEAD
        + '1,Pier,"The council voted.\nWork starts soon.",5 May 2014,local\n'
        + '2,,"He said ""no"", twice.",,\n',
        encoding="utf-8",
    )
    first, second = read(path)
    assert first.text == "The council voted.\nWork starts soon."
    assert first.title == "Pier"
    assert first.meta.published == dt.date(2014, 5, 5)
    assert first.meta.extra == {"desk": "local"}
    assert first.meta.source == f"{path}:2"
    assert second.text == 'He said "no", twice.'
    assert second.title is None
    assert second.meta.source == f"{path}:4"  # the first row spans lines 2 and 3


def test_tsv(tmp_path: Path) -> None:
    path = tmp_path / "c.tsv"
    path.write_text("text\ttitle\nOne, with a comma.\tT1\nTwo.\tT2\n")
    items = read(path)
    assert [a.text for a in items] == ["One, with a comma.", "Two."]


def test_huge_csv_field_is_e108_with_its_line_and_later_rows_read(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write(CSV_HEAD)
        f.write('1,A,"First story.",,\n')
        f.write('2,B,"' + ("a long field\n" * 80_000) + '",,\n')  # about 1 MB over many lines
        f.write('3,C,"After the big one.",,\n')
        f.write("4,D," + "x" * 1_100_000 + ",,\n")  # 1 MB on one line
        f.write('5,E,"Last story.",,\n')
    before = csv.field_size_limit()
    items = list(iter_read([path]))
    assert csv.field_size_limit() == before
    assert codes(items) == ["ok", "E108", "ok", "E108", "ok"]
    assert items[1].line == 3  # type: ignore[union-attr]
    assert article(items[2]).meta.source == f"{path}:80004"
    assert items[3].line == 80_005  # type: ignore[union-attr]
    assert article(items[2]).text == "After the big one."
    assert article(items[4]).meta.source == f"{path}:80006"


def test_csv_row_over_the_line_limit_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write("text\n")
        f.write('"' + "z" * 3_000_000 + '"\n')
        f.write("After.\n")
    options = ReadOptions(max_line_bytes=256 * 1024, max_field_bytes=128 * 1024)
    items = list(iter_read([path], options))
    assert codes(items) == ["E109", "ok"]


def test_malformed_csv_is_e112(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text('text,title\n"closed"junk,T\nGood row.,T\nToo,many,fields\n"never closed,T\n')
    items = list(iter_read([path]))
    assert codes(items) == ["E112", "ok", "E112", "E112"]
    assert [i.line for i in items if isinstance(i, InputError)] == [2, 4, 5]


def test_csv_without_a_text_column_is_e110(tmp_path: Path) -> None:
    path = tmp_path / "cols.csv"
    path.write_text("body,title\nWords.,T\n")
    items = list(iter_read([path]))
    assert codes(items) == ["E110"]
    assert "'body'" in items[0].message  # type: ignore[union-attr]
    (ok,) = read(path, ReadOptions(text_field="body"))
    assert ok.text == "Words."


def test_csv_empty_text_cell_is_e110(tmp_path: Path) -> None:
    path = tmp_path / "gap.csv"
    path.write_text("text,title\n,T\nWords.,U\n")
    assert codes(list(iter_read([path]))) == ["E110", "ok"]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_corpora_are_not_bound_by_max_bytes(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"many{suffix}"
    if suffix == ".csv":
        path.write_text("text\n" + "A story of some words.\n" * 200)
    else:
        path.write_text('{"text": "A story of some words."}\n' * 200)
    assert len(read(path, ReadOptions(max_bytes=1000))) == 200


def test_lone_surrogates_in_jsonl_are_replaced_and_no_line_is_lost(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text(
        '{"text": "The first line is fine."}\n'
        '{"text": "A lone \\udc00 low half.", "title": "Odd \\ud800 title", "tags": ["\\udfff"]}\n'
        '{"text": "A pair \\ud83d\\ude00 is a real character."}\n'
        '{"text": "The last line is fine."}\n',
        encoding="ascii",
    )
    items = list(iter_read([path]))
    assert codes(items) == ["ok"] * 4
    odd = article(items[1])
    assert odd.text == "A lone \ufffd low half."
    assert odd.title == "Odd \ufffd title"
    assert odd.meta.extra["tags"] == ["\ufffd"]
    (warning,) = odd.warnings
    assert (warning.code, warning.line) == ("W102", 2)
    assert "3 lone surrogate(s)" in warning.message
    assert odd.model_dump_json()  # serialisable, as the store and --format json need
    assert article(items[2]).text == "A pair \U0001f600 is a real character."
    assert article(items[2]).warnings == ()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        # A quote opened and never closed: every row after it was dropped.
        (
            'id,text\n1,First row.\n2,"Never closes\n3,Third row.\n4,Fourth row.\n',
            ["ok", "E112", "ok", "ok"],
        ),
        # A quote that a later row's opening quote seems to close.
        (
            'id,text\n1,First row.\n2,"Unbalanced\n3,Third row.\n4,"Fourth, quoted."\n5,Fifth.\n',
            ["ok", "E112", "ok", "ok", "ok"],
        ),
    ],
)
def test_csv_unbalanced_quote_loses_only_its_own_row(
    tmp_path: Path, content: str, expected: list[str]
) -> None:
    path = tmp_path / "corpus.csv"
    path.write_text(content, encoding="utf-8")
    items = list(iter_read([path]))
    assert codes(items) == expected
    bad = next(i for i in items if isinstance(i, InputError))
    assert bad.line == 3
    texts = [i.text for i in items if isinstance(i, Article)]
    assert "Third row." in texts


def test_csv_unbalanced_quote_past_the_size_limit_loses_only_its_own_row(tmp_path: Path) -> None:
    path = tmp_path / "corpus.csv"
    rows = "".join(f"{i},Row number {i} of the corpus and long enough to fill the limit.\n" for i in range(3, 200))
    path.write_text('id,text\n1,First row.\n2,"Never closes\n' + rows, encoding="utf-8")
    items = list(iter_read([path], ReadOptions(max_line_bytes=1000, max_field_bytes=1000)))
    assert codes(items).count("E112") == 1
    assert codes(items).count("ok") == 198


def test_overlong_article_is_refused_when_read_with_e114(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text(
        json.dumps({"text": "word " * 30}) + "\n" + json.dumps({"text": "short"}) + "\n", encoding="utf-8"
    )
    items = list(iter_read([path], ReadOptions(max_chars=100)))
    assert codes(items) == ["E114", "ok"]
    err = items[0]
    assert isinstance(err, InputError)
    assert (err.source, err.line) == (str(path), 1)
    assert "--max-chars" in err.hint
