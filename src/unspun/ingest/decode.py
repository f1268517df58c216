"""Bytes to text, within limits: reading bounded amounts, telling text from binary, decoding.

Every check here turns a bad input into a coded :class:`~unspun.errors.InputError` that
names the input and, where it applies, the line: empty (E102), binary (E103), too large
(E104), undecodable (E105), NUL bytes (E106), a line too long (E109). Nothing here reads more
than a limit allows, so a 100 MB file or an endless pipe costs at most the limit in memory.

A file that is UTF-8 but for a few bytes is read as UTF-8, those bytes replaced by U+FFFD,
with a W101 warning naming their byte offsets: taking it for a legacy encoding would turn
every accented letter into mojibake without a word.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import charset_normalizer

from unspun.article import Problem
from unspun.errors import InputError
from unspun.ingest.base import ReadOptions, read_warning

#: how much of an input is looked at to choose its format and to tell text from binary
HEAD_BYTES = 64 * 1024
#: the unit in which over-long lines are read and thrown away
CHUNK_BYTES = 64 * 1024

# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Formats that are never text. Only signatures that no article can start with.
_MAGIC: tuple[bytes, ...] = (
    b"\x89PNG\r\n\x1a\n",
    b"%PDF-",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",
    b"\x7fELF",
    b"\x1f\x8b",
    b"BZh",
    b"7z\xbc\xaf\x27\x1c",
    b"\xfd7zXZ\x00",
    b"Rar!\x1a\x07",
    b"OggS",
    b"ID3",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"SQLite format 3\x00",
    b"\x00asm",
    b"wOFF",
    b"wOF2",
)

# C0 controls that text never holds. Tab, line feed, vertical tab, form feed, carriage
# return and escape (ANSI colours in saved terminal output) are left out.
_CONTROL = bytes(b for b in [*range(0x01, 0x09), *range(0x0E, 0x20), 0x7F] if b != 0x1B)
#: share of control bytes in the head above which an input is taken for binary
_BINARY_SHARE = 0.05

# A valid multi-byte UTF-8 sequence: evidence that a file that fails UTF-8 was meant as it.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_UTF8_BAD = re.compile(rb"[\x80-\xff]")
# A run of non-ASCII characters, as a legacy decoding makes them: a word, a letter in a
# word, or a typographic mark.
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
# Latin-script words made of one accented letter alone (French "à", Italian "è" ...).
_LATIN_WORDS = frozenset("àÀèÈéÉòóùú")
#: how many byte offsets a W101 warning names
_OFFSETS_NAMED = 5


@dataclass(frozen=True)
class Decoded:
    """An input's text and what had to be repaired to read it."""

    text: str
    warnings: tuple[Problem, ...] = ()


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark announces, and the mark's length."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None


def line_at(data: bytes, index: int, encoding: str = "utf-8") -> int:
    """1-based line of the byte at ``index``, counting line feeds in the decoded prefix."""
    try:
        prefix = data[:index].decode(encoding, errors="replace")
    except LookupError:
        prefix = data[:index].decode("latin-1")
    return prefix.count("\n") + 1


def is_binary(head: bytes) -> bool:
    """Whether the first bytes of an input are those of a binary file.

    A byte-order mark says text (UTF-16 is full of NULs); a known signature says binary;
    otherwise a share of control bytes that no text has.
    """
    if bom_encoding(head) is not None:
        return False
    if head.startswith(_MAGIC):
        return True
    if not head:
        return False
    controls = len(head) - len(head.translate(None, _CONTROL))
    return controls / len(head) > _BINARY_SHARE


def read_bounded(stream: BinaryIO, limit: int) -> bytes:
    """Read at most ``limit + 1`` bytes: one more than allowed tells that the input is too long."""
    parts: list[bytes] = []
    left = limit + 1
    while left > 0:
        chunk = stream.read(min(left, 1024 * 1024))
        if not chunk:
            break
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def read_single(stream: BinaryIO, *, source: str, options: ReadOptions) -> bytes:
    """The whole of a single-article input, refused (E104) past ``options.max_bytes``."""
    data = read_bounded(stream, options.max_bytes)
    if len(data) > options.max_bytes:
        raise InputError(
            "E104",
            f"larger than the limit of {options.max_bytes} bytes for one article",
            source=source,
        )
    return data


def _looks_like_broken_utf8(data: bytes) -> bool:
    # Legacy 8-bit text almost never forms valid UTF-8 sequences; a file that does in most
    # places is UTF-8 with a few corrupt bytes, and guessing another encoding would turn
    # all its accented letters into mojibake.
    sequences = _UTF8_MULTIBYTE.findall(data)
    stray = len(_UTF8_BAD.findall(data)) - sum(len(s) for s in sequences)
    return len(sequences) >= max(stray, 1)


_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_surrogates(value: object) -> tuple[object, int]:
    """``value`` (a JSON value) with every lone surrogate in its strings replaced by U+FFFD,
    and how many there were.

    JSON may escape half of a UTF-16 pair (``"\\udc00"``); Python reads it into a str that
    cannot be encoded, hashed as UTF-8 or stored. Valid pairs were joined by the JSON parser,
    so any surrogate left is a lone one.
    """
    if isinstance(value, str):
        fixed, n = _SURROGATE.subn("\ufffd", value)
        return fixed, n
    if isinstance(value, list):
        total = 0
        items = []
        for item in value:
            fixed_item, n = replace_surrogates(item)
            items.append(fixed_item)
            total += n
        return items, total
    if isinstance(value, dict):
        total = 0
        fixed_dict = {}
        for key, item in value.items():
            fixed_key, n_key = replace_surrogates(key)
            fixed_item, n = replace_surrogates(item)
            fixed_dict[fixed_key] = fixed_item
            total += n_key + n
        return fixed_dict, total
    return value, 0


def _plausible_run(text: str, start: int, end: int) -> bool:
    run = text[start:end]
    for char in run:
        category = unicodedata.category(char)
        # Controls, unassigned and private-use code points and box drawing are what a wrong
        # code page makes of stray bytes; no article is written in them.
        if category[0] == "C" or "\u2500" <= char <= "\u259f":
            return False
    letters = [c for c in run if c.isalpha()]
    if not letters:
        return True
    before = text[start - 1 : start]
    after = text[end : end + 1]
    if (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha()):
        return True  # an accented letter inside a word: "café", "Zażółć"
    if run in _LATIN_WORDS:
        return True
    # A whole word of non-ASCII letters is a word of another script (Cyrillic, Greek, CJK);
    # in the Latin script it is stray bytes read as accented letters ("ÿþ", "Ø").
    return not any(unicodedata.name(c, "").startswith("LATIN") for c in letters)


def _plausible_legacy(text: str) -> bool:
    """Whether a legacy decoding reads as a language: its non-ASCII runs are letters in
    words or typographic marks, hardly ever a code page's picture of random bytes."""
    runs = bad = 0
    for m in _NON_ASCII_RUN.finditer(text):
        runs += 1
        bad += not _plausible_run(text, m.start(), m.end())
    return runs > 0 and bad <= runs // 20


def _utf8_replacing(data: bytes, *, source: str) -> Decoded:
    """UTF-8 with each invalid sequence replaced, and a W101 naming where they were."""
    offsets: list[int] = []
    pos = 0
    view = memoryview(data)
    while True:
        try:
            codecs.utf_8_decode(view[pos:], "strict", True)
            break
        except UnicodeDecodeError as err:
            offsets.append(pos + err.start)
            pos += err.end
    text = data.decode("utf-8", errors="replace")
    first = offsets[0]
    line = line_at(data, first)
    named = ", ".join(str(o) for o in offsets[:_OFFSETS_NAMED])
    more = f" and {len(offsets) - _OFFSETS_NAMED} more" if len(offsets) > _OFFSETS_NAMED else ""
    warning = read_warning(
        "W101",
        f"{len(offsets)} invalid UTF-8 sequence(s) replaced by U+FFFD, at byte offset(s) "
        f"{named}{more} (the first, 0x{data[first]:02x}, on line {line})",
        source=source,
        line=line,
    )
    return Decoded(text, (warning,))


def _strict(data: bytes, encoding: str, *, source: str, detected: bool) -> str:
    try:
        return data.decode(encoding)
    except LookupError:
        raise InputError("E105", f"unknown encoding {encoding!r}", source=source) from None
    except UnicodeDecodeError as err:
        line = line_at(data, err.start, encoding)
        how = "detected" if detected else "given"
        raise InputError(
            "E105",
            f"byte 0x{data[err.start]:02x} on line {line} is not valid in the {how} encoding "
            f"{encoding}",
            source=source,
            line=line,
        ) from None


def decode(
    data: bytes,
    *,
    source: str,
    encoding: str | None = None,
    declared: str | None = None,
) -> Decoded:
    """Decode one input's bytes to text, or raise the InputError that says why not.

    The order: a byte-order mark; else ``encoding`` when given; else UTF-8; else the
    encoding the document ``declared`` (an HTML meta charset); else charset-normalizer's
    guess when the text it gives reads as a language; else UTF-8 with the bad bytes
    replaced (and a W101 warning). A leading BOM is dropped; nothing else is changed.
    """
    if not data.strip():
        raise InputError("E102", "the input is empty or holds only whitespace", source=source)
    bom = bom_encoding(data)
    head = data[:HEAD_BYTES]
    if bom is None and head.startswith(_MAGIC):
        raise InputError("E103", "starts with the signature of a binary format", source=source)
    if bom is None and encoding is None:
        if is_binary(head):
            raise InputError("E103", "holds too many control bytes to be text", source=source)
        nul = data.find(b"\x00")
        if nul >= 0:
            line = line_at(data, nul)
            raise InputError("E106", f"NUL byte on line {line}", source=source, line=line)

    if bom is not None and encoding is None:
        decoded = Decoded(_strict(data[bom[1] :], bom[0], source=source, detected=True))
    elif encoding is not None:
        decoded = Decoded(_strict(data, encoding, source=source, detected=False))
    else:
        decoded = _detect_and_decode(data, source=source, declared=declared)

    text = decoded.text.removeprefix("\ufeff")
    if not text.strip():
        raise InputError("E102", "the input is empty or holds only whitespace", source=source)
    nul_at = text.find("\x00")
    if nul_at >= 0:
        line = text.count("\n", 0, nul_at) + 1
        raise InputError("E106", f"NUL character on line {line}", source=source, line=line)
    return Decoded(text, decoded.warnings)


def _detect_and_decode(data: bytes, *, source: str, declared: str | None) -> Decoded:
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    if _looks_like_broken_utf8(data):
        return _utf8_replacing(data, source=source)
    if declared:
        try:
            return Decoded(data.decode(declared))
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; detection decides instead
    guess = charset_normalizer.from_bytes(data).best()
    if guess is not None:
        try:
            text = data.decode(str(guess.encoding))
        except (LookupError, UnicodeDecodeError):
            pass
        else:
            if _plausible_legacy(text):
                return Decoded(text)
    return _utf8_replacing(data, source=source)


def read_decoded(
    stream: BinaryIO, *, source: str, options: ReadOptions, declared: str | None = None
) -> Decoded:
    """Read a single-article input within ``options.max_bytes`` and decode it."""
    data = read_single(stream, source=source, options=options)
    return decode(data, source=source, encoding=options.encoding, declared=declared)


def iter_lines(stream: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Each line of a stream with its 1-based number; ``None`` for a line over ``limit`` bytes.

    An over-long line is read on and thrown away in chunks, never held whole, so a corpus
    with a 100 MB line costs ``limit`` bytes of memory, not 100 MB.
    """
    lineno = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        lineno += 1
        if len(line) <= limit or (len(line) == limit + 1 and line.endswith(b"\n")):
            yield lineno, line
            continue
        while not line.endswith(b"\n"):
            line = stream.readline(CHUNK_BYTES)
            if not line:
                break
        yield lineno, None


__all__ = [
    "CHUNK_BYTES",
    "HEAD_BYTES",
    "Decoded",
    "bom_encoding",
    "decode",
    "is_binary",
    "iter_lines",
    "line_at",
    "read_bounded",
    "read_decoded",
    "read_single",
    "replace_surrogates",
]
