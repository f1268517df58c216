"""Any bytes, given to any reader, give articles or coded errors: never another exception.

Raw bytes alone rarely get past a parser's first check, so the inputs are also built from
pieces of each format (JSON keys and quotes, CSV quoting, tags, Markdown marks) mixed with
what broke readers before: lone surrogates, invalid UTF-8, NUL, BOMs, deep nesting.
"""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unspun.article import Article
from unspun.errors import CODES, InputError
from unspun.ingest import ReadOptions, reader_classes
from unspun.ingest.sources import read_stream

PIECES = [
    b'{"text": "',
    b'{"title": "',
    b'"id": 1, ',
    b'"text": ',
    b'"',
    b"}",
    b"{",
    b"[",
    b"]",
    b"\n",
    b"\r\n",
    b"\r",
    b",",
    b";",
    b"\t",
    b"text,title\n",
    b'"a ""b"" c"',
    b"<html><body>",
    b"<p>",
    b"</p>",
    b"<div>" * 40,
    b"<script>x</script>",
    b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>",
    b"&e;",
    b"&amp;",
    b"# Title\n\n",
    b"- item\n",
    b"[link](http://x)",
    b"```\n",
    b"---\n",
    b"Word ",
    b"\xc3\xa9",
    b"\xe2\x80\x85",
    b"\xc2\x85",
    b"\\ud800",
    b"\\udc00",
    b"\\u0000",
    b"\xed\xa0\x80",
    b"\xff",
    b"\xfe\xff",
    b"\xef\xbb\xbf",
    b"\x00",
    b"\x1b]0;x\x07",
    b"\xe9t\xe9 ",
    b"  ",
]

# Field values as they sit inside a JSON string or a CSV cell, escapes included.
VALUES = st.lists(
    st.sampled_from(
        [b"Word ", b"\\ud800", b"\\udc00", b"\\u00e9", b"\\n", b"\\\"", b"\xff", b"\xc3\xa9", b"\x1b[31m", b'"', b",", b"\n"]
    ),
    max_size=8,
).map(b"".join)
jsonl = st.lists(
    st.tuples(VALUES, VALUES).map(lambda tv: b'{"title": "' + tv[0] + b'", "text": "' + tv[1] + b'"}'),
    min_size=1,
    max_size=5,
).map(b"\n".join)
csv_rows = st.lists(
    st.tuples(VALUES, VALUES).map(lambda tv: b'"' + tv[0] + b'","' + tv[1] + b'"'),
    min_size=1,
    max_size=5,
).map(lambda rows: b"title,text\n" + b"\n".join(rows))

inputs = st.one_of(
    jsonl,
    csv_rows,
    st.binary(max_size=600),
    st.lists(st.sampled_from(PIECES), max_size=60).map(b"".join),
    st.lists(st.one_of(st.sampled_from(PIECES), st.binary(max_size=8)), max_size=40).map(b"".join),
)

# Small limits, so that the paths that refuse oversized parts run too.
OPTIONS = [ReadOptions(), ReadOptions(max_chars=40, max_field_bytes=64, max_line_bytes=200, max_bytes=400)]


def _check(items: list[object]) -> None:
    for item in items:
        if isinstance(item, InputError):
            assert item.code in CODES, item
            continue
        assert isinstance(item, Article), item
        # What broke before: ids and JSON of text holding lone surrogates.
        Article.model_validate_json(item.model_dump_json())
        for paragraph in item.paragraphs:
            assert 0 <= paragraph.start < paragraph.end <= len(item.text)
        for warning in item.warnings:
            assert warning.code in CODES


@pytest.mark.parametrize("name", sorted(reader_classes()))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=inputs, small=st.booleans())
def test_every_reader_gives_articles_or_coded_errors(name: str, data: bytes, small: bool) -> None:
    reader = reader_classes()[name]()
    items: list[object] = []
    try:
        items.extend(reader.read(io.BytesIO(data), source="x", options=OPTIONS[small]))
    except InputError as err:  # a whole input refused is coded too
        items.append(err)
    _check(items)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=inputs, small=st.booleans(), suffix=st.sampled_from(["", ".txt", ".md", ".html", ".jsonl", ".csv"]))
def test_any_input_read_as_a_file_gives_articles_or_coded_errors(data: bytes, small: bool, suffix: str) -> None:
    # The path `analyze` and `ingest` take: the reader chosen by suffix, else by content.
    _check(list(read_stream(io.BytesIO(data), source="x", options=OPTIONS[small], suffix=suffix, size=len(data))))
