"""The default terminal view is a summary read in one screen, at 80 columns as at 160; the
full span list is behind --spans. Checked through the CLI, as a user runs it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from unspun.article import Analysis
from unspun.cli import app
from unspun.pipeline import BaseAnalyzer, register_analyzer, unregister_analyzer

runner = CliRunner()

PARAGRAPHS = [
    "Council backs the long-awaited harbour plan",
    "The council voted on Monday to rebuild the harbour, a plan critics call a reckless gamble "
    "with public money that will ruin the old town.",
    '"We cannot wait any longer," said Mayor Ana Ruiz, who has pushed the plan for a decade.',
    "At least 14 families will lose their homes, according to the housing office, and some 300 "
    "jobs are promised in return.",
    'Opposition leader Karl Weber said the vote was rushed. "Nobody read the report," he said. '
    '"Nobody asked the fishermen," he added. Either we stop it now or the town is gone.',
]
TEXT = "\n\n".join(PARAGRAPHS) + "\n"
# A phrase longer than a squeezed table column ever showed, to be seen whole.
LONG_PHRASE = "a reckless gamble with public money that will ruin the old town"


def _find(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


class Everything(BaseAnalyzer):
    """What the real analyzers add, made by hand: labels, technique spans, quotes, claims."""

    name = "everything"
    version = "1"
    assigns = ("labels:genre", "labels:frames", "labels:narratives", "spans:technique", "records:quote")
    default = False

    def __call__(self, analysis: Analysis) -> None:
        text = analysis.text
        add = analysis.add_label
        add("genre", "reporting", 0.81, analyzer=self.name)
        add("frames", "Economic", 0.62, analyzer=self.name)
        add("frames", "Quality_of_life", 0.55, analyzer=self.name)
        add("narratives", "Other", 0.4, analyzer=self.name)
        for label, phrase in [
            ("Loaded_Language", LONG_PHRASE),
            ("Name_Calling-Labeling", "reckless gamble"),
            ("False_Dilemma-No_Choice", "Either we stop it now or the town is gone"),
        ]:
            analysis.add_span(*_find(text, phrase), label, analyzer=self.name, score=0.7)
        for speaker, said in [
            ("Ana Ruiz", "We cannot wait any longer,"),
            ("Karl Weber", "Nobody read the report,"),
            ("Karl Weber", "Nobody asked the fishermen,"),
        ]:
            content = analysis.add_span(*_find(text, said), "quote", analyzer=self.name)
            analysis.add_record(
                "quote", analyzer=self.name, spans={"content": (content.id,)}, attrs={"speaker": speaker, "direct": True}
            )
        value = analysis.add_span(*_find(text, "14"), "claim.value", analyzer=self.name)
        analysis.add_record(
            "claim",
            analyzer=self.name,
            spans={"value": (value.id,)},
            attrs={"value": 14, "qualifier": "at least", "counted": "families", "category": "displaced"},
        )


@pytest.fixture
def article(tmp_path: Path) -> Iterator[Path]:
    register_analyzer("everything", Everything)
    path = tmp_path / "harbour.txt"
    path.write_text(TEXT, encoding="utf-8")
    yield path
    unregister_analyzer("everything")


def _view(path: Path, columns: int, *extra: str) -> list[str]:
    result = runner.invoke(app, ["analyze", str(path), "-a", "everything", *extra], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


@pytest.mark.parametrize("columns", [80, 160])
def test_the_summary_fits_one_screen_and_cuts_nothing_short(article: Path, columns: int) -> None:
    lines = _view(article, columns)
    out = "\n".join(lines)
    assert max(len(line) for line in lines) <= columns
    assert len(lines) <= 30  # one screen, at 80 columns too
    for shown in (
        "genre",
        "reporting 0.81",
        "Economic 0.62",
        "narratives",
        "Other 0.40",
        "key numbers",
        "at least 14 families displaced",
    ):
        assert shown in out, shown
    # Techniques with their phrases, under the paragraph that holds them (the title is not ¶1).
    words = " ".join(out.split())
    assert f"¶1 Loaded Language “{LONG_PHRASE}”" in words
    assert "¶4 False Dilemma / No Choice “Either we stop it now or the town is gone”" in words
    # Quotes by speaker, the most quoted first: Karl Weber once, with one of his two.
    assert words.count("Karl Weber (2):") == 1
    assert words.index("Karl Weber (2):") < words.index("Ana Ruiz (1):")
    assert "Karl Weber (2): “Nobody read the report,”; +1 more" in words
    assert "Ana Ruiz (1): “We cannot wait any longer,”" in words
    # The span list waits behind the flag.
    assert "Spans" not in lines and "--spans" in words


def test_spans_lists_every_span_whole_at_80_columns(article: Path) -> None:
    lines = _view(article, 80, "--spans")
    assert max(len(line) for line in lines) <= 80
    words = " ".join(" ".join(line.strip("│ ") for line in lines).split())
    assert "Spans" in lines
    assert f"Loaded_Language 0.70 “{LONG_PHRASE}”" in words
    assert "“Nobody asked the fishermen,”" in words  # behind "+1 more" in the summary
    assert "Name_Calling-Labeling 0.70 “reckless gamble”" in words
