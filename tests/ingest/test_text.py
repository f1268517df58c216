"""The plain-text reader: verbatim text, one paragraph per non-empty line, SemEval titles."""

from __future__ import annotations

from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from unspun.article import Article, ArticleMeta
from unspun.ingest import ReadOptions, read, read_text
from unspun.ingest.text import plain_article, title_line

STORY = (
    "Harbour council votes to rebuild the pier\n"
    "\n"
    "The council voted on Tuesday to rebuild the old wooden pier.\n"
    "  Critics said the cost had doubled.  \n"
    "\n"
    "\n"
    "Work starts in the autumn.\n"
)


def assert_paragraphs_slice(article: Article) -> None:
    for p in article.paragraphs:
        piece = article.text[p.start : p.end]
        assert piece
        assert piece == piece.strip()


def test_text_is_stored_verbatim_with_offsets_into_the_file(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8", newline="")
    (article,) = read(path)
    assert article.text == STORY
    assert article.title == "Harbour council votes to rebuild the pier"
    assert [article.paragraph_text(p) for p in article.paragraphs] == [
        "Harbour council votes to rebuild the pier",
        "The council voted on Tuesday to rebuild the old wooden pier.",
        "Critics said the cost had doubled.",
        "Work starts in the autumn.",
    ]
    assert [p.kind for p in article.paragraphs] == ["title", "body", "body", "body"]
    assert [p.line for p in article.paragraphs] == [1, 3, 4, 7]
    assert article.meta.source == str(path)
    raw = path.read_bytes().decode("utf-8")
    for p in article.paragraphs:
        assert raw[p.start : p.end] == article.paragraph_text(p)


def test_crlf_text_keeps_its_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "dos.txt"
    path.write_bytes(STORY.replace("\n", "\r\n").encode("utf-8"))
    (article,) = read(path)
    assert article.text == STORY.replace("\n", "\r\n")
    assert article.title == "Harbour council votes to rebuild the pier"
    assert_paragraphs_slice(article)


def test_bom_is_the_only_thing_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.text"
    path.write_bytes(b"\xef\xbb\xbf" + STORY.encode("utf-8"))
    (article,) = read(path)
    assert article.text == STORY


def test_no_title_without_a_blank_line_after_the_first_line() -> None:
    text = "First line of a story.\nSecond line of it.\n"
    article = plain_article(text, meta=ArticleMeta())
    assert article.title is None
    assert all(p.kind == "body" for p in article.paragraphs)


def test_title_after_leading_blank_lines() -> None:
    assert title_line("\n\n  Headline here  \n\nBody.\n") == "Headline here"
    assert title_line("Only one line") is None
    assert title_line("   \n \n") is None


def test_given_title_marks_the_first_line_only_when_it_matches() -> None:
    same = plain_article("Headline\nBody text.\n", meta=ArticleMeta(), title="Headline")
    assert [p.kind for p in same.paragraphs] == ["title", "body"]
    other = plain_article("Body text.\n\nMore.\n", meta=ArticleMeta(), title="Headline")
    assert other.title == "Headline"
    assert [p.kind for p in other.paragraphs] == ["body", "body"]


def test_forced_text_format_does_not_sniff_markdown(tmp_path: Path) -> None:
    path = tmp_path / "hash.txt"
    path.write_text("# Not a heading here\n\nBody.\n")
    (article,) = read(path, ReadOptions(format="text"))
    assert article.text.startswith("# Not")


def test_read_text_keeps_plain_text_verbatim() -> None:
    article = read_text(STORY)
    assert article.text == STORY
    assert article.meta.source == "<text>"
    assert read_text(STORY, source="paste").meta.source == "paste"


texts = st.lists(
    st.one_of(
        st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40),
        st.sampled_from(["\n", "\r\n", "\r", "\n\n", "  ", "\t", "\u2028", "\x0c", "é", "Ж", "😀"]),
    ),
    min_size=1,
    max_size=25,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(texts)
def test_paragraphs_always_slice_the_stored_text(text: str) -> None:
    if not text.strip():
        return
    article = plain_article(text, meta=ArticleMeta())
    assert article.text == text
    assert_paragraphs_slice(article)
    pasted = read_text(text, options=ReadOptions(format="text"))
    assert_paragraphs_slice(pasted)
    sniffed = read_text(text)
    assert_paragraphs_slice(sniffed)
    if article.title is not None:
        assert article.paragraphs[0].kind == "title"
        assert article.paragraph_text(article.paragraphs[0]) == article.title


@settings(max_examples=60, deadline=None)
@given(texts)
def test_file_reading_matches_pasting(text: str) -> None:
    # Written and read back through the whole file path, the text is the same.
    import tempfile

    controls = {chr(c) for c in range(32)} - set("\t\n\r\x0b\x0c\x1b")
    # Control characters are what make a file binary (E103, tested apart).
    assume(text.strip() and not controls & set(text) and "\x7f" not in text)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.txt"
        path.write_bytes(text.encode("utf-8"))
        items = list(read(path, ReadOptions(format="text")))
    assert items[0].text == text.removeprefix("\ufeff")
    assert_paragraphs_slice(items[0])
