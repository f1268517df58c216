"""Analyses built to test the article view: nested, crossing and identical spans; markup
that must never run."""

from __future__ import annotations

from unspun.article import Analysis, AnalyzerRun, Article


def layered_analysis() -> Analysis:
    """Nested, crossing and identical spans in three categories, a span across a paragraph
    break, and substance (a quote with its speaker, a number) with records over them."""
    title = "Tyrant rules the <puppets>"
    text = (
        f"{title}\n\n"
        "The corrupt clique & its puppets burned 40 homes, \"a crime\" said Ann Lee.\n\n"
        "Only fools doubt it: act now or lose everything we love."
    )
    a = Analysis(article=Article.from_text(text, title=title))
    at = text.index

    def add(phrase: str, label: str, score: float, analyzer: str = "persuasion", *, extra: int = 0) -> str:
        start = at(phrase)
        return a.add_span(start, start + len(phrase) + extra, label, analyzer=analyzer, score=score).id

    add("Tyrant", "Name_Calling-Labeling", 0.9)
    add("The corrupt clique & its puppets burned", "Loaded_Language", 0.4)      # outer
    add("corrupt clique & its puppets", "Name_Calling-Labeling", 0.8)           # nested
    add("corrupt clique", "Name_Calling-Labeling", 0.55)                        # nested deeper
    add("corrupt clique", "Doubt", 0.3)                                         # identical extent
    add("puppets burned 40 homes", "Exaggeration-Minimisation", 0.65)           # crosses the outer
    add("homes, \"a crime\"", "Loaded_Language", 0.35)                          # crosses the last
    add("Ann Lee.", "Flag_Waving", 0.2, extra=4)                                # across the paragraph break
    add("Only fools doubt it: act now or lose everything", "False_Dilemma-No_Choice", 0.75)
    add("act now", "Slogans", 0.95)
    add("lose everything we love", "Appeal_to_Fear-Prejudice", 0.6)
    quote = add("a crime", "quote", 1.0, "quotes")
    speaker = add("Ann Lee", "speaker", 1.0, "quotes")
    a.add_record("quote", analyzer="quotes", spans={"content": (quote,), "speaker": (speaker,)},
                 attrs={"direct": True, "speaker": "Ann Lee"})
    value = add("40", "claim.value", 1.0, "claims")
    a.add_record("claim", analyzer="claims", spans={"value": (value,)},
                 attrs={"value": 40, "category": "homes", "qualifier": None})
    a.add_span(0, len(title), "sentence", analyzer="sentences")
    a.runs.extend(
        AnalyzerRun(name=n, version=v, status="ok")
        for n, v in (("persuasion", "2.0"), ("quotes", "0.1.0"), ("claims", "0.1.0"), ("sentences", "1.0"))
    )
    return a


HOSTILE_TITLE = '"><svg onload="window.__xss=1"><script>window.__xss=2</script>'
HOSTILE_TEXT = (
    HOSTILE_TITLE + "\n\n"
    "<img src=x onerror=\"window.__xss=3\"> and <script>window.__xss=4</script> and "
    "\"><svg onload=window.__xss=5> and </textarea></style></script><b>bold</b>"
)


def hostile_analysis() -> Analysis:
    a = Analysis(article=Article.from_text(HOSTILE_TEXT, title=HOSTILE_TITLE))
    start = HOSTILE_TEXT.index("<img")
    a.add_span(start, HOSTILE_TEXT.index(" and <script>"), "Loaded_Language", analyzer="persuasion", score=0.9,
               attrs={"definition": "<script>window.__xss=6</script>", "category": "Manipulative Wording"})
    a.add_span(0, 20, "<img src=x onerror=window.__xss=7>", analyzer="<svg onload=window.__xss=8>", score=0.5)
    return a
