"""Sources: paths, walked directories, stdin, pasted text; and the choice of reader."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path
from typing import BinaryIO, ClassVar

import pytest

from unspun.article import Article, ArticleMeta
from unspun.errors import InputError
from unspun.ingest import ReadOptions, iter_read, read, read_text, reader_names
from unspun.ingest import formats as formats_module
from unspun.ingest.base import ReadItem
from unspun.ingest.sources import walk

STORY = "A headline\n\nThe first paragraph of the story.\n"


class Pipe(io.RawIOBase):
    """Bytes that, like a pipe, cannot be sought back to."""

    def __init__(self, data: bytes) -> None:
        self.data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        # Short reads, as a pipe gives them.
        chunk = self.data.read(min(len(buffer), 1000))
        buffer[: len(chunk)] = chunk
        return len(chunk)


class FakeStdin:
    def __init__(self, data: bytes, *, pipe: bool = False) -> None:
        raw: io.RawIOBase = Pipe(data) if pipe else io.BytesIO(data)  # type: ignore[assignment]
        self.buffer = io.BufferedReader(raw)


def tree(root: Path) -> None:
    files = {
        "b.txt": STORY,
        "a.md": "# Title\n\nBody.\n",
        "sub/c.txt": STORY,
        "sub/deeper/d.txt": STORY,
        "sub/skip.log": "not an article\n",
        "drafts/e.txt": STORY,
        ".hidden.txt": STORY,
        ".git/f.txt": STORY,
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def rel(root: Path, options: ReadOptions) -> list[str]:
    out = []
    for found in walk(root, options):
        assert isinstance(found, Path)
        out.append(found.relative_to(root).as_posix())
    return out


def test_walk_is_sorted_recursive_and_skips_hidden(tmp_path: Path) -> None:
    tree(tmp_path)
    assert rel(tmp_path, ReadOptions()) == [
        "a.md",
        "b.txt",
        "drafts/e.txt",
        "sub/c.txt",
        "sub/deeper/d.txt",
        "sub/skip.log",
    ]


def test_walk_include_exclude_and_not_recursive(tmp_path: Path) -> None:
    tree(tmp_path)
    assert rel(tmp_path, ReadOptions(include=("*.txt",), exclude=("drafts",))) == [
        "b.txt",
        "sub/c.txt",
        "sub/deeper/d.txt",
    ]
    assert rel(tmp_path, ReadOptions(exclude=("sub/deeper/*", "*.log"))) == [
        "a.md",
        "b.txt",
        "drafts/e.txt",
        "sub/c.txt",
    ]
    assert rel(tmp_path, ReadOptions(include=("**/d.txt",))) == ["sub/deeper/d.txt"]
    assert rel(tmp_path, ReadOptions(recursive=False)) == ["a.md", "b.txt"]


def test_walk_does_not_follow_directory_links(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY)
    (tmp_path / "loop").symlink_to(tmp_path)
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    found = list(walk(tmp_path, ReadOptions()))
    assert found[0] == tmp_path / "a.txt"
    assert isinstance(found[1], InputError) and found[1].code == "E101"
    assert len(found) == 2


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_walk_reports_a_fifo_instead_of_blocking_on_it(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (item,) = list(iter_read([tmp_path]))
    assert isinstance(item, InputError) and item.code == "E101"


def test_iter_read_goes_on_past_bad_inputs(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY)
    (tmp_path / "b.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    (tmp_path / "c.txt").write_text("")
    (tmp_path / "d.txt").write_text(STORY)
    items = list(iter_read([tmp_path, tmp_path / "missing.txt", tmp_path / "a.txt"]))
    kinds = [i.code if isinstance(i, InputError) else "ok" for i in items]
    assert kinds == ["ok", "E103", "E102", "ok", "E101", "ok"]


def test_read_raises_the_first_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY)
    (tmp_path / "b.txt").write_text("")
    with pytest.raises(InputError) as info:
        read(tmp_path)
    assert info.value.code == "E102"
    assert info.value.source == str(tmp_path / "b.txt")


def test_format_choice_by_option_suffix_and_content(tmp_path: Path) -> None:
    (tmp_path / "x.markdown").write_text("Body with *stars*.\n")
    (tmp_path / "y.dat").write_text(json.dumps({"text": "From a record."}) + "\n")
    (tmp_path / "z").write_text("Plain words, nothing more.\n")
    (tmp_path / "w").write_text("# Heading\n\nBody.\n")
    x, y, z, w = (read(tmp_path / n)[0] for n in ("x.markdown", "y.dat", "z", "w"))
    assert x.text == "Body with stars."
    assert y.text == "From a record."
    assert z.text == "Plain words, nothing more.\n"
    assert w.title == "Heading"
    forced = read(tmp_path / "x.markdown", ReadOptions(format="text"))[0]
    assert forced.text == "Body with *stars*.\n"


def test_unknown_format_is_e111(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(STORY)
    (err,) = list(iter_read([path], ReadOptions(format="docx")))
    assert isinstance(err, InputError) and err.code == "E111"
    assert "--format-in" in str(err)
    xml = tmp_path / "feed"
    xml.write_text('<?xml version="1.0"?><rss><item>x</item></rss>')
    (err,) = list(iter_read([xml]))
    assert isinstance(err, InputError) and err.code == "E111"


def test_stdin_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", FakeStdin(STORY.encode("utf-8")))
    (article,) = read("-")
    assert article.text == STORY
    assert article.meta.source == "-"


@pytest.mark.parametrize("pipe", [False, True])
def test_stdin_jsonl_is_sniffed(monkeypatch: pytest.MonkeyPatch, pipe: bool) -> None:
    lines = "".join(json.dumps({"text": f"Story {i}."}) + "\n" for i in range(3))
    monkeypatch.setattr("sys.stdin", FakeStdin(lines.encode("utf-8"), pipe=pipe))
    items = read("-")
    assert [a.text for a in items] == ["Story 0.", "Story 1.", "Story 2."]
    assert items[2].meta.source == "-:3"


@pytest.mark.parametrize("pipe", [False, True])
def test_stdin_markdown_longer_than_the_sniffed_head(
    monkeypatch: pytest.MonkeyPatch, pipe: bool
) -> None:
    body = "\n\n".join(f"Paragraph number {i} of a long story." for i in range(5000))
    monkeypatch.setattr("sys.stdin", FakeStdin(f"# Long\n\n{body}\n".encode(), pipe=pipe))
    (article,) = read("-")
    assert article.title == "Long"
    assert article.text.endswith("Paragraph number 4999 of a long story.")


def test_stdin_over_the_limit_is_e104_without_reading_it_all(monkeypatch: pytest.MonkeyPatch) -> None:
    class Counting(io.RawIOBase):
        def __init__(self) -> None:
            self.given = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
            n = len(buffer)
            buffer[:n] = b"a" * n
            self.given += n
            return n

    endless = Counting()

    class Endless:
        buffer = io.BufferedReader(endless)

    monkeypatch.setattr("sys.stdin", Endless())
    (err,) = list(iter_read(["-"], ReadOptions(max_bytes=100_000, format="text")))
    assert isinstance(err, InputError) and err.code == "E104"
    assert endless.given < 2 * 1024 * 1024


def test_missing_stdin_is_e101(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", None)
    (err,) = list(iter_read(["-"]))
    assert isinstance(err, InputError) and err.code == "E101"


def test_empty_path_is_e101_not_the_current_directory() -> None:
    (err,) = list(iter_read([""]))
    assert isinstance(err, InputError) and err.code == "E101"


def test_read_text_sniffs_markdown_and_refuses_empty() -> None:
    assert read_text("# Title\n\nBody **bold**.").text == "Title\n\nBody bold."
    assert read_text("Title\n\nBody.").text == "Title\n\nBody."
    with pytest.raises(InputError) as info:
        read_text("  \n ")
    assert info.value.code == "E102"
    with pytest.raises(InputError) as info:
        read_text("x" * 50, options=ReadOptions(max_bytes=10))
    assert info.value.code == "E104"


def test_read_text_with_a_corpus_format() -> None:
    article = read_text('{"text": "From JSON."}', options=ReadOptions(format="jsonl"))
    assert article.text == "From JSON."


def test_builtin_readers_are_registered_as_entry_points() -> None:
    names = {ep.name for ep in entry_points(group="unspun.readers")}
    assert {"text", "markdown", "html", "jsonl", "csv"} <= names
    assert {"text", "markdown", "html", "jsonl", "csv"} <= set(reader_names())


class ShoutReader:
    """A plugin's reader, as a third party would write it."""

    name: ClassVar[str] = "shout"
    suffixes: ClassVar[tuple[str, ...]] = (".shout",)

    def read(self, stream: BinaryIO, *, source: str, options: ReadOptions) -> Iterator[ReadItem]:
        yield Article.from_text(stream.read().decode().upper(), meta=ArticleMeta(source=source))


class FakeEntryPoint:
    name = "shout"
    value = "plugin.readers:ShoutReader"

    def load(self) -> type[ShoutReader]:
        return ShoutReader


def test_a_plugin_reader_is_found_by_name_and_suffix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = entry_points

    def with_plugin(*, group: str) -> list[object]:
        return [*real(group=group), FakeEntryPoint()]

    monkeypatch.setattr(formats_module, "entry_points", with_plugin)
    formats_module.reader_classes.cache_clear()
    try:
        path = tmp_path / "a.shout"
        path.write_text("quiet words")
        (article,) = read(path)
        assert article.text == "QUIET WORDS"
        assert "shout" in reader_names()
    finally:
        monkeypatch.undo()
        formats_module.reader_classes.cache_clear()
