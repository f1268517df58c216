"""The Markdown reader: syntax removed, byline to metadata, outlet footer dropped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspun.article import Article, ArticleMeta
from unspun.errors import InputError
from unspun.ingest import ReadOptions, read, read_text
from unspun.ingest.markdown import looks_like_markdown, markdown_article

PAGE = """

# Harbour *council* votes to rebuild the pier

Jane Roe<BR>
3 March 2021

The council voted on **Tuesday** to rebuild the
old wooden pier, said [the mayor](https://gull.example/mayor).\\
It will cost `two million` pounds. ![a pier](pier.png)

- ferries return
- shops reopen

1. survey
2. build

> "We waited long enough," one fisherman said.

To contact the Gull newsroom<BR>
write to us:<BR>
**[gull.example/contact](https://gull.example/contact)**
""".replace("<BR>", "  ")  # two trailing spaces: a Markdown hard break

EXPECTED = (
    "Harbour council votes to rebuild the pier\n\n"
    "The council voted on Tuesday to rebuild the old wooden pier, said the mayor. "
    "It will cost two million pounds.\n\n"
    "- ferries return\n- shops reopen\n\n"
    "1. survey\n2. build\n\n"
    '"We waited long enough," one fisherman said.'
)


def assert_paragraphs_slice(article: Article) -> None:
    for p in article.paragraphs:
        piece = article.text[p.start : p.end]
        assert piece
        assert piece == piece.strip()


def test_markdown_is_stored_without_its_syntax(tmp_path: Path) -> None:
    path = tmp_path / "pier.md"
    path.write_text(PAGE)
    (article,) = read(path)
    assert article.text == EXPECTED
    assert article.title == "Harbour council votes to rebuild the pier"
    assert article.meta.author == "Jane Roe"
    assert article.meta.published == dt.date(2021, 3, 3)
    assert article.meta.source == str(path)
    texts = [article.paragraph_text(p) for p in article.paragraphs]
    assert texts == [
        "Harbour council votes to rebuild the pier",
        "The council voted on Tuesday to rebuild the old wooden pier, said the mayor. "
        "It will cost two million pounds.",
        "- ferries return",
        "- shops reopen",
        "1. survey",
        "2. build",
        '"We waited long enough," one fisherman said.',
    ]
    assert [p.kind for p in article.paragraphs] == ["title"] + ["body"] * 6
    assert article.paragraphs[0].line == 3
    assert article.paragraphs[1].line == 8
    assert_paragraphs_slice(article)


def test_stored_text_read_back_as_plain_text_gives_the_same_paragraphs() -> None:
    article = read_text(PAGE)
    again = read_text(article.text, options=ReadOptions(format="text"))
    assert [(p.start, p.end, p.kind) for p in again.paragraphs] == [
        (p.start, p.end, p.kind) for p in article.paragraphs
    ]
    assert again.title == article.title


def test_markdown_in_a_txt_file_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "pier.txt"
    path.write_text(PAGE)
    (article,) = read(path)
    assert article.text == EXPECTED


def test_pasted_markdown_is_sniffed() -> None:
    assert read_text(PAGE).text == EXPECTED


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\n\n# Title\n\nBody.", True),
        ("Some text with [a link](https://example.org/x) in it.", True),
        ("Body.\n\n**Bold line**\n", True),
        ("Headline\n\nBody with #hashtag and a price of $5 * 3.\n", False),
        ("Headline\n\nThey said [sic] it (twice).\n", False),
    ],
)
def test_sniffing(text: str, expected: bool) -> None:
    assert looks_like_markdown(text) is expected


@pytest.mark.parametrize(
    ("byline", "author", "date"),
    [
        ("By Jane Roe", "Jane Roe", None),
        ("Ursula van der Berg  \nMay 5, 2014", "Ursula van der Berg", dt.date(2014, 5, 5)),
        ("2014-05-05", None, dt.date(2014, 5, 5)),
        ("Jane Roe\n\n20 June 2014", "Jane Roe", dt.date(2014, 6, 20)),
    ],
)
def test_bylines(byline: str, author: str | None, date: dt.date | None) -> None:
    article = markdown_article(f"# A headline\n\n{byline}\n\nThe story begins here.\n", meta=ArticleMeta())
    assert article.meta.author == author
    assert article.meta.published == date
    assert article.text == "A headline\n\nThe story begins here."


def test_a_short_first_line_without_a_date_stays_in_the_story() -> None:
    article = markdown_article("# A headline\n\nKiev Burns\n\nThe story begins.\n", meta=ArticleMeta())
    assert article.meta.author is None
    assert article.text == "A headline\n\nKiev Burns\n\nThe story begins."


def test_footer_lines_go_only_from_the_end() -> None:
    md = (
        "# Headline\n\nSubscribe to nothing, the rebels said, as the story opened.\n\n"
        "Middle paragraph.\n\nFollow us on the wire\n\n[Home](/)\n"
    )
    article = markdown_article(md, meta=ArticleMeta())
    assert article.text == (
        "Headline\n\nSubscribe to nothing, the rebels said, as the story opened.\n\nMiddle paragraph."
    )


def test_code_blocks_headings_and_html_blocks() -> None:
    md = "Intro line.\n\n## Section\n\n```\nx = 1\n\ny = 2\n```\n\n<div><script>evil()</script></div>\n\nEnd.\n"
    article = markdown_article(md, meta=ArticleMeta())
    assert article.title is None
    assert article.text == "Intro line.\n\nSection\n\nx = 1\ny = 2\n\nEnd."
    assert_paragraphs_slice(article)


def test_markdown_with_no_prose_is_e102() -> None:
    with pytest.raises(InputError) as info:
        markdown_article("![only](an-image.png)\n", meta=ArticleMeta(source="img.md"))
    assert info.value.code == "E102"
    assert info.value.source == "img.md"


@pytest.mark.shared
def test_sample_000(samples_dir: Path) -> None:
    (article,) = read(samples_dir / "000_9c87dda85365b96e.txt")
    assert article.title == "US puppet regime in Kiev escalates violence after fascist massacre in Odessa"
    assert article.meta.author == "Alex Lantier"
    assert article.meta.published == dt.date(2014, 5, 5)
    for mark in ("#", "**", "]("):
        assert mark not in article.text
    assert "To contact" not in article.text
    assert "wsws.org" not in article.text
    assert "Alex Lantier" not in article.text
    assert article.paragraphs[0].kind == "title"
    assert_paragraphs_slice(article)


@pytest.mark.shared
def test_sample_002(samples_dir: Path) -> None:
    (article,) = read(samples_dir / "002_01adffd9e7f90a7b.txt")
    assert article.meta.author == "Bill Van Auken"
    assert article.meta.published == dt.date(2014, 6, 20)
    assert "To contact" not in article.text
    assert "wsws.org" not in article.text
    for mark in ("#", "**", "]("):
        assert mark not in article.text


@pytest.mark.shared
def test_plain_samples_keep_their_text(samples_dir: Path) -> None:
    for name in ("001_d1b784a1b563031f.txt", "003_4fbae4ab8f34d278.txt", "004_983cbf5637fe0867.txt"):
        path = samples_dir / name
        (article,) = read(path)
        raw = path.read_text(encoding="utf-8")
        assert article.text == raw
        assert article.title == raw.splitlines()[0].strip()
        assert article.paragraphs[0].kind == "title"


@pytest.mark.shared
def test_every_sample_paragraph_slices_its_text(samples_dir: Path) -> None:
    articles = read(samples_dir)
    assert len(articles) == 5
    for article in articles:
        assert article.title
        assert_paragraphs_slice(article)


markdown_texts = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "# ", "## ", "**", "*", "_", "`", "```\n", "[a link](https://x.example/a)",
                "![img](p.png)", "<b>", "<script>x()</script>", "  \n", "\\\n", "\n", "\n\n",
                "\r\n", "- ", "1. ", "> ", "    ", "\t", "\u2028", "\u00a0", "Word", "é", "Ж",
                "5 May 2014", "By Jane Roe", "To contact us", "&amp;", "---\n",
            ]
        ),
        st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
    ),
    min_size=1,
    max_size=30,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(markdown_texts)
def test_markdown_paragraphs_always_slice_the_stored_text(md: str) -> None:
    try:
        article = markdown_article(md, meta=ArticleMeta())
    except InputError as err:
        assert err.code == "E102"
        return
    assert_paragraphs_slice(article)
    if article.title is not None:
        assert article.paragraphs[0].kind == "title"
        assert article.paragraph_text(article.paragraphs[0]) == article.title
    # The stored text holds no Markdown line structure of its own: read as plain text, it
    # splits into exactly the same paragraphs.
    again = read_text(article.text, options=ReadOptions(format="text"))
    assert [(p.start, p.end) for p in again.paragraphs] == [
        (p.start, p.end) for p in article.paragraphs
    ]
