from __future__ import annotations
import __future__

import unspun


def test_all_is_complete_and_importable() -> None:
    for name in unspun.__all__:
        assert hasattr(unspun, name), name
    public = {
        n
        for n, v in vars(unspun).items()
        if not n.startswith("_") and not isinstance(v, type(unspun)) and not isinstance(v, __future__._Feature)
    }
    assert public <= set(unspun.__all__), public - set(unspun.__all__)


def test_analyze_text_gives_a_valid_analysis() -> None:
    analysis = unspun.analyze("A title\n\nFirst paragraph here. And a second sentence.\n")
    assert analysis.article.title == "A title"
    assert analysis.schema_version == unspun.SCHEMA_VERSION
    assert {r.name for r in analysis.runs} >= {"sentences", "language"}
    sentences = [analysis.span_text(s) for s in analysis.spans_by(label="sentence")]
    assert sentences == ["A title", "First paragraph here.", "And a second sentence."]
