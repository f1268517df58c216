"""Words for the sites a town has, shared by events (where an attack on "the prison of X"
happened) and by comparison (a place "prison de X" is X). No spaCy here: ``unspun.corpus``
imports it."""

from __future__ import annotations

# Buildings and sites a town has: "the market of Drossel", "le commissariat de Sarvel".
SITE_NOUNS = frozenset(
    {
        "market", "prison", "jail", "station", "school", "hospital", "checkpoint", "port",
        "airport", "base", "bridge", "church", "mosque", "square", "centre", "center",
        "headquarters", "barracks", "outskirts", "suburb", "suburbs", "harbour", "harbor",
        "camp", "marché", "commissariat", "gare", "école", "hôpital", "poste", "aéroport",
        "pont", "église", "mosquée", "place", "centre-ville", "caserne", "mairie", "quartier",
        "banlieue", "usine", "factory", "mine", "périphérie",
    }
)  # fmt: skip

__all__ = ["SITE_NOUNS"]
