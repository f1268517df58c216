"""Decoding and limits: every bad byte sequence becomes a coded InputError naming the input."""

from __future__ import annotations

import io
import random
import time
import tracemalloc
from pathlib import Path

import pytest

from unspun.errors import InputError
from unspun.ingest import ReadOptions, iter_read, read
from unspun.ingest.decode import decode, is_binary, iter_lines, read_bounded

FRENCH = (
    "Le conseil municipal a décidé hier de rénover la vieille église du village.\n\n"
    "Les habitants, très attachés à leur patrimoine, ont salué cette décision. « C'est une "
    "bonne nouvelle pour tout le monde », a déclaré le maire, qui espère que les travaux "
    "commenceront dès l'été prochain.\n\n"
    "Le coût total est estimé à deux millions d'euros, financés en partie par la région.\n"
)
RUSSIAN = (
    "Городской совет вчера принял решение отремонтировать старую школу.\n\n"
    "Жители района давно ждали этого шага и встретили новость с радостью. «Это хороший "
    "день для всех нас», сказал глава администрации.\n\n"
    "Работы начнутся весной и продлятся около года.\n"
)


def only_error(path: Path, options: ReadOptions | None = None) -> InputError:
    items = list(iter_read([path], options))
    assert len(items) == 1, items
    item = items[0]
    assert isinstance(item, InputError), item
    assert item.source == str(path)
    return item


def test_missing_file_is_e101(tmp_path: Path) -> None:
    err = only_error(tmp_path / "nowhere.txt")
    assert err.code == "E101"
    assert "nowhere.txt" in str(err)


def test_unopenable_file_is_e101(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("Some words.\n")

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        raise PermissionError(13, "Permission denied")

    # Running as root ignores file modes, so the refusal is simulated.
    monkeypatch.setattr(Path, "open", refuse)
    err = only_error(path)
    assert err.code == "E101"
    assert "Permission denied" in err.message


def test_path_through_a_file_is_e101(tmp_path: Path) -> None:
    (tmp_path / "plain.txt").write_text("Words.\n")
    assert only_error(tmp_path / "plain.txt" / "child.txt").code == "E101"


@pytest.mark.parametrize("content", [b"", b"   \n\n\t \r\n"])
def test_empty_is_e102(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert only_error(path).code == "E102"


@pytest.mark.parametrize(
    "head",
    [b"\x89PNG\r\n\x1a\n", b"%PDF-1.7\n", b"PK\x03\x04", b"\x1f\x8b\x08\x00", b"GIF89a"],
)
def test_binary_signatures_are_e103(tmp_path: Path, head: bytes) -> None:
    path = tmp_path / "file.txt"
    path.write_bytes(head + b"rest of the file, plain enough\n" * 20)
    assert only_error(path).code == "E103"


def test_random_bytes_are_e103(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(random.Random(7).randbytes(20_000))
    assert only_error(path).code == "E103"


def test_text_is_not_binary() -> None:
    assert not is_binary(FRENCH.encode("utf-8"))
    assert not is_binary("\ufeffplain".encode("utf-16"))


def test_oversized_file_is_e104(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("A sentence that repeats.\n" * 100)
    err = only_error(path, ReadOptions(max_bytes=1000))
    assert err.code == "E104"
    assert "1000" in err.message


def test_100_mb_single_line_file_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    chunk = b"x" * (1024 * 1024)
    with path.open("wb") as f:
        for _ in range(100):
            f.write(chunk)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        err = only_error(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert err.code == "E104"
    assert time.perf_counter() - started < 1.0
    assert peak < 5 * 1024 * 1024


def test_oversized_file_without_suffix_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "no_suffix"
    path.write_bytes(b"y" * 5000)
    assert only_error(path, ReadOptions(max_bytes=1000)).code == "E104"


def test_read_bounded_stops_one_past_the_limit() -> None:
    stream = io.BytesIO(b"z" * 10_000)
    assert len(read_bounded(stream, 100)) == 101


def test_stray_byte_in_utf8_is_replaced_with_a_w101_naming_its_offset(tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    good = FRENCH.encode("utf-8")
    lines = good.split(b"\n")
    lines[2] = lines[2] + b" \xff"
    data = b"\n".join(lines)
    path.write_bytes(data)
    (article,) = read(path)
    assert article.text == FRENCH.replace(FRENCH.split("\n")[2], FRENCH.split("\n")[2] + " \ufffd")
    (warning,) = article.warnings
    assert warning.code == "W101"
    assert warning.line == 3
    offset = data.index(b"\xff")
    assert f"byte offset(s) {offset} " in warning.message
    assert "broken.txt:3" in warning.message
    assert "--encoding" in warning.hint


@pytest.mark.parametrize(
    "data",
    [
        # Mostly ASCII with a few stray bytes: once read as a DOS code page, without a word.
        b"Plain news text about the council, nothing special.\n" * 30 + b"Bad \xff\xfe here and \x80 there.\n",
        b"Plain news text about the council.\n" * 20 + bytes([0x9D, 0x8F, 0xA4]) + b" text \x81\x90.\n",
    ],
)
def test_ascii_with_stray_bytes_is_read_as_utf8_not_a_code_page(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "mostly_ascii.txt"
    path.write_bytes(data)
    (article,) = read(path)
    assert article.text == data.decode("utf-8", errors="replace")
    assert [w.code for w in article.warnings] == ["W101"]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Die Straße ist schön und grün. Über alles müssen wir reden.\n" * 5, "latin-1"),
        ("Zażółć gęślą jaźń. Polska gospodarka rośnie szybko w tym roku.\n" * 5, "cp1250"),
        ("Η Ελλάδα είναι μια χώρα στην Ευρώπη με μεγάλη ιστορία.\n" * 5, "cp1253"),
        ("Москва объявила о новых мерах. Это важно для всех.\n" * 5, "koi8-r"),
    ],
)
def test_real_legacy_encodings_are_still_detected(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    (article,) = read(path)
    assert article.text == text
    assert article.warnings == ()


def test_latin1_under_utf8_is_e105_and_latin1_option_fixes_it(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(FRENCH.encode("latin-1"))
    err = only_error(path, ReadOptions(encoding="utf-8"))
    assert err.code == "E105"
    assert err.line == 1
    (article,) = read(path, ReadOptions(encoding="latin-1"))
    assert article.text == FRENCH


def test_latin1_french_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "fr.txt"
    path.write_bytes(FRENCH.encode("latin-1"))
    (article,) = read(path)
    assert article.text == FRENCH


def test_cp1251_russian_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "ru.txt"
    path.write_bytes(RUSSIAN.encode("cp1251"))
    (article,) = read(path)
    assert article.text == RUSSIAN
    assert article.title == "Городской совет вчера принял решение отремонтировать старую школу."


def test_unknown_encoding_is_e105(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Words.\n")
    err = only_error(path, ReadOptions(encoding="no-such-codec"))
    assert err.code == "E105"
    assert "no-such-codec" in err.message


def test_nul_byte_is_e106_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "nul.txt"
    path.write_bytes(b"First line.\n\nThird line \x00 here.\n")
    err = only_error(path)
    assert err.code == "E106"
    assert err.line == 3


def test_utf16_without_bom_is_e106_and_encoding_option_fixes_it(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes(FRENCH.encode("utf-16-le"))
    assert only_error(path).code == "E106"
    (article,) = read(path, ReadOptions(encoding="utf-16-le"))
    assert article.text == FRENCH


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-8-sig"])
def test_byte_order_marks_are_honoured_and_dropped(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(RUSSIAN.encode(encoding))
    (article,) = read(path)
    assert article.text == RUSSIAN


def test_decode_given_encoding_keeps_text_verbatim() -> None:
    text = "Ligne un\r\n\r\nLigne deux é\r\n"
    assert decode(text.encode("cp1252"), source="x", encoding="cp1252").text == text


def test_iter_lines_skips_an_overlong_line_without_holding_it() -> None:
    data = b"short\n" + b"L" * 3_000_000 + b"\nafter\nlast"
    tracemalloc.start()
    try:
        out = list(iter_lines(io.BytesIO(data), 1000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert out == [(1, b"short\n"), (2, None), (3, b"after\n"), (4, b"last")]
    assert peak < 512 * 1024


def test_iter_lines_takes_a_line_of_exactly_the_limit() -> None:
    data = b"a" * 10 + b"\n" + b"b" * 11 + b"\n"
    assert list(iter_lines(io.BytesIO(data), 10)) == [(1, b"a" * 10 + b"\n"), (2, None)]
