"""Figures as written in English and French text: their value, unit, qualifier and range.

This module reads characters, not a parse: the English and French spaCy models split
"€3.2bn", "1 200" and "2,5 M€" differently, and a figure's value and unit are in its
characters anyway. :mod:`unspun.substance.claims` then asks the parse what is counted.

What was chosen and why (``benchmarks/numbers_libraries.py`` measures it):

* **text2num** turns spelled numbers into figures in both languages ("twenty-five",
  "deux cent mille"); its ``alpha2digit`` rewrites a whole text and loses the offsets, so
  spelled runs are found here and each run is given to ``text2num``.
* **pint** converts the non-metric units (miles, square miles, acres, feet, gallons) to
  their metric units, loaded only when such a unit turns up (its registry costs 0.5 s).
* **quantulum3** was measured and not adopted: it reads English only, needs its pickled
  scikit-learn classifier for units (unspun never loads pickles, and the shipped one does
  not load with current scikit-learn), without it reads "20 minutes" as minutes of arc
  and "$1.2bn" as 1.2 "dollar bit newton", and costs several times the spaCy parse.

Units are normalised to ISO 4217 codes for money (``EUR``, ``USD``, ``GBP`` ...) and to
short unit names otherwise (``km``, ``km2``, ``mi``, ``ha``, ``t``, ``kg``, ``l``,
``percent``, ``minute``, ``hour``, ``day``, ``week``, ``month``, ``year``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from text_to_num import text2num  # type: ignore[import-untyped]

Language = str  # "en" or "fr"

# Money, measure and time units: normalised code, dimension.
_UNIT_CODES: dict[str, tuple[str, str]] = {}


def _units(code: str, dimension: str, *words: str) -> None:
    for word in words:
        _UNIT_CODES[word] = (code, dimension)


_units("EUR", "money", "euro", "euros", "€", "eur", "m€", "md€", "mds€", "k€")
_units("USD", "money", "dollar", "dollars", "$", "us$", "usd")
_units(
    "GBP",
    "money",
    "pound",
    "pounds",
    "pounds sterling",
    "£",
    "gbp",
    "livre sterling",
    "livres sterling",
)
_units("RUB", "money", "rouble", "roubles", "ruble", "rubles", "rub")
_units("UAH", "money", "hryvnia", "hryvnias", "hryvnias", "uah")
_units("CNY", "money", "yuan", "cny")
_units("JPY", "money", "yen", "¥", "jpy")
_units("CHF", "money", "swiss francs", "francs suisses", "chf")
_units(
    "percent",
    "percent",
    "percent",
    "per cent",
    "%",
    "pc",
    "pour cent",
    "pourcent",
    "points de pourcentage",
    "percentage points",
)
_units(
    "km2",
    "area",
    "square kilometres",
    "square kilometers",
    "square km",
    "sq km",
    "km2",
    "km²",
    "kilomètres carrés",
    "kilomètre carré",
)
_units("mi2", "area", "square miles", "square mile", "sq miles")
_units("m2", "area", "square metres", "square meters", "m2", "m²", "mètres carrés")
_units("ha", "area", "hectares", "hectare", "ha")
_units("acre", "area", "acres", "acre")
_units(
    "km",
    "distance",
    "kilometres",
    "kilometers",
    "kilometre",
    "kilometer",
    "km",
    "kilomètres",
    "kilomètre",
)
_units("mi", "distance", "miles", "mile")
_units("m", "distance", "metres", "meters", "metre", "meter", "m", "mètres", "mètre")
_units("ft", "distance", "feet", "foot", "ft")
_units("t", "weight", "tonnes", "tonne", "tons", "ton", "t")
_units("kg", "weight", "kilograms", "kilogrammes", "kilogram", "kilogramme", "kilos", "kilo", "kg")
_units("l", "volume", "litres", "liters", "litre", "liter", "l")
_units("gal", "volume", "gallons", "gallon")
_units("second", "duration", "seconds", "second", "secondes", "seconde")
_units("minute", "duration", "minutes", "minute", "mins", "min")
_units("hour", "duration", "hours", "hour", "hrs", "heures", "heure")
_units("day", "duration", "days", "day", "jours", "jour", "journées")
_units("week", "duration", "weeks", "week", "semaines", "semaine")
_units("month", "duration", "months", "month", "mois")
_units("year", "duration", "years", "year", "ans", "an", "années", "année")

# Units that sit before the figure ("$3", "€3.2bn", "US$ 40").
_PREFIX_UNITS = {"$", "€", "£", "¥", "us$", "usd", "eur", "gbp"}

# The metric unit beside a non-metric one, in pint's names.
_METRIC: dict[str, tuple[str, str, str]] = {
    "mi": ("mile", "kilometer", "km"),
    "mi2": ("mile ** 2", "kilometer ** 2", "km2"),
    "acre": ("acre", "hectare", "ha"),
    "ft": ("foot", "meter", "m"),
    "gal": ("gallon", "liter", "l"),
}

_SCALE_WORDS: dict[str, dict[str, float]] = {
    "en": {
        "hundred": 1e2, "thousand": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9,
        "billions": 1e9, "trillion": 1e12, "bn": 1e9, "tn": 1e12, "mn": 1e6,
    },
    "fr": {
        "mille": 1e3, "million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9,
        "md": 1e9, "mds": 1e9, "mrd": 1e9,
    },
}  # fmt: skip
# Scales written onto a sum of money with no space: "$1.2bn", "£310m", "€40k", "2,5 M€".
_MONEY_SUFFIX = {"bn": 1e9, "b": 1e9, "m": 1e6, "mn": 1e6, "k": 1e3, "tn": 1e12}

_NUMBER_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
            "thirty",
            "forty",
            "fifty",
            "sixty",
            "seventy",
            "eighty",
            "ninety",
            "hundred",
            "thousand",
            "million",
            "billion",
        ]
    ),
    "fr": frozenset(
        [
            "zéro",
            "un",
            "une",
            "deux",
            "trois",
            "quatre",
            "cinq",
            "six",
            "sept",
            "huit",
            "neuf",
            "dix",
            "onze",
            "douze",
            "treize",
            "quatorze",
            "quinze",
            "seize",
            "vingt",
            "vingts",
            "trente",
            "quarante",
            "cinquante",
            "soixante",
            "cent",
            "cents",
            "mille",
            "million",
            "millions",
            "milliard",
            "milliards",
        ]
    ),
}
# Words that are numbers only beside another number word: "one" alone is a pronoun, "un"
# and "une" are articles, "neuf" is also "new".
_NOT_ALONE = {
    "one",
    "un",
    "une",
    "neuf",
    "hundred",
    "thousand",
    "million",
    "billion",
    "cent",
    "mille",
}

# Vague words: (words, value, low, high). The English values follow the conservative
# convention documented in claims.py; the French ones are their equivalents, and "une
# dizaine" style words (about ten) are estimates around their figure.
VAGUE_WORDS: dict[str, tuple[tuple[str, int, int | None, int | None], ...]] = {
    "en": (
        ("hundreds of thousands", 100_000, 200_000, None),
        ("tens of thousands", 10_000, 20_000, None),
        ("a dozen", 12, 12, 12),
        ("several", 10, 3, None),
        ("dozens", 12, 24, None),
        ("scores", 12, 40, None),
        ("hundreds", 100, 200, None),
        ("thousands", 1000, 2000, None),
        ("millions", 1_000_000, 2_000_000, None),
    ),
    "fr": (
        ("des centaines de milliers", 100_000, 200_000, None),
        ("des dizaines de milliers", 10_000, 20_000, None),
        ("plusieurs centaines", 100, 200, None),
        ("plusieurs milliers", 1000, 2000, None),
        ("plusieurs dizaines", 12, 20, None),
        ("quelques centaines", 100, 200, None),
        ("quelques milliers", 1000, 2000, None),
        ("des dizaines", 12, 20, None),
        ("des centaines", 100, 200, None),
        ("des milliers", 1000, 2000, None),
        ("des millions", 1_000_000, 2_000_000, None),
        ("une douzaine", 12, None, None),
        ("une dizaine", 10, None, None),
        ("une quinzaine", 15, None, None),
        ("une vingtaine", 20, None, None),
        ("une trentaine", 30, None, None),
        ("une quarantaine", 40, None, None),
        ("une cinquantaine", 50, None, None),
        ("une soixantaine", 60, None, None),
        ("une centaine", 100, None, None),
        ("un millier", 1000, None, None),
        ("plusieurs", 10, 3, None),
    ),
}

# Qualifier (lower case, as written) to the bound it sets: "low" (a floor), "high" (a
# ceiling), "approx" (neither) or "range" (between two figures).
QUALIFIER_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "at least": "low", "more than": "low", "over": "low", "upwards of": "low",
        "in excess of": "low", "no fewer than": "low", "no less than": "low",
        "up to": "high", "nearly": "high", "almost": "high", "fewer than": "high",
        "less than": "high", "at most": "high", "as many as": "high", "close to": "high",
        "just under": "high", "under": "high", "no more than": "high", "within": "high",
        "about": "approx", "around": "approx", "some": "approx", "an estimated": "approx",
        "estimated": "approx", "approximately": "approx", "roughly": "approx",
        "nearly all": "approx", "between": "range",
    },
    "fr": {
        "au moins": "low", "plus de": "low", "pas moins de": "low", "un peu plus de": "low",
        "au-delà de": "low", "jusqu'à": "high", "jusqu’à": "high", "près de": "high",
        "presque": "high", "moins de": "high", "un peu moins de": "high", "au plus": "high",
        "pas plus de": "high", "au maximum": "high", "d'ici à": "high", "d’ici à": "high",
        "d'ici": "high", "d’ici": "high", "en moins de": "high", "quasiment": "high",
        "environ": "approx", "quelque": "approx", "autour de": "approx",
        "approximativement": "approx", "à peu près": "approx", "une estimation de": "approx",
        "entre": "range",
    },
}  # fmt: skip


@dataclass(frozen=True)
class Figure:
    """One figure in the text: character offsets, value and what the words say around it."""

    start: int
    end: int
    value: float
    low: float | None
    high: float | None
    vague: bool = False
    #: (start, end) of the upper figure of a range ("between 10 and *15*")
    upper: tuple[int, int] | None = None
    #: (start, end, normalised code, dimension) of the unit
    unit: tuple[int, int, str, str] | None = None
    #: (start, end, as written in lower case) of the qualifier
    qualifier: tuple[int, int, str] | None = None
    #: the unit was written as an adjective before a noun ("a 46-kilometre canal")
    adjectival: bool = False

    @property
    def unit_code(self) -> str | None:
        return self.unit[2] if self.unit is not None else None

    @property
    def dimension(self) -> str | None:
        return self.unit[3] if self.unit is not None else None

    def metric(self) -> tuple[float, str] | None:
        """The value in the metric unit beside a non-metric one, else ``None``."""
        if self.unit is None or self.unit[2] not in _METRIC:
            return None
        source, target, code = _METRIC[self.unit[2]]
        quantity = _registry().Quantity(self.value, source).to(target)
        return round(float(quantity.magnitude), 3), code


@lru_cache(maxsize=1)
def _registry() -> Any:
    import pint  # loaded only when a text has a non-metric unit

    return pint.UnitRegistry(cache_folder=None)


def _words_pattern(words: object) -> str:
    return "|".join(sorted((re.escape(str(w)) for w in words), key=len, reverse=True))  # type: ignore[attr-defined]


@lru_cache(maxsize=2)
def _patterns(lang: Language) -> dict[str, re.Pattern[str]]:
    if lang == "fr":
        digits = r"(?:\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?!\d)|\d+)(?:,\d+)?"
    else:
        digits = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?"
    scales = _words_pattern(_SCALE_WORDS[lang])
    spelled = _words_pattern(_NUMBER_WORDS[lang])
    joiner = r"(?:[\s-]+(?:and\s+|et\s+)?|-et-)"
    vague = _words_pattern(w for w, *_ in VAGUE_WORDS[lang])
    units = _words_pattern(_UNIT_CODES)
    return {
        "number": re.compile(
            rf"(?<![\w-])(?P<vague>{vague})\b"
            rf"|(?<![\w.,\-/:])(?P<digits>{digits})"
            rf"(?:(?P<suffix>bn|mn|tn|m|k|b)(?![\w])|\s?(?P<scale>{scales})\b)?(?![\w]|[.,]\d)"
            rf"|(?<![\w-])(?P<spelled>(?:{spelled})(?:{joiner}(?:{spelled}))*)\b",
            re.IGNORECASE,
        ),
        "unit_after": re.compile(
            rf"(?P<pre>\s?-\s?|\s?(?:de |d['’]|of )?|\s?)(?P<unit>{units})(?![\w²])",
            re.IGNORECASE,
        ),
        "qualifier": re.compile(
            rf"\b(?P<q>{_words_pattern(QUALIFIER_WORDS[lang])})\s+\Z", re.IGNORECASE
        ),
        "range": re.compile(r"\A\s*(?:and|to|et|à|-|–)\s*", re.IGNORECASE),
    }


_PREFIX_RE = re.compile(r"(?:US\$|\$|€|£|¥|USD|EUR|GBP)\s?\Z", re.IGNORECASE)


def _digits_value(text: str, lang: Language) -> float | None:
    if lang == "fr":
        cleaned = re.sub(r"[ \u00a0\u202f.]", "", text).replace(",", ".")
    else:
        cleaned = text.replace(",", "")
    try:
        return float(cleaned)
    except ValueError:
        return None


def _spelled_value(text: str, lang: Language) -> float | None:
    words = re.sub(r"[\s-]+", " ", text.lower()).replace(" and ", " ").strip()
    if words in _NOT_ALONE:
        return None
    try:
        return float(text2num(words, lang))
    except ValueError:
        return None


def _raw_figures(text: str, lang: Language) -> list[Figure]:
    pats = _patterns(lang)
    out: list[Figure] = []
    vague_table = {w: (v, lo, hi) for w, v, lo, hi in VAGUE_WORDS[lang]}
    for m in pats["number"].finditer(text):
        if m.group("vague"):
            value, low, high = vague_table[m.group("vague").lower()]
            out.append(Figure(m.start(), m.end(), value, low, high, vague=True))
            continue
        if m.group("spelled"):
            value_or_none = _spelled_value(m.group("spelled"), lang)
            if value_or_none is None:
                continue
            out.append(Figure(m.start(), m.end(), value_or_none, value_or_none, value_or_none))
            continue
        number = _digits_value(m.group("digits"), lang)
        if number is None:
            continue
        end = m.end()
        prefix = _PREFIX_RE.search(text, max(0, m.start() - 5), m.start())
        if m.group("suffix"):
            suffix = m.group("suffix").lower()
            if prefix is None:
                # "3m" without a currency is three metres, read as a unit below.
                end = m.start("suffix")
            else:
                number *= _MONEY_SUFFIX[suffix]
        elif m.group("scale"):
            number *= _SCALE_WORDS[lang][m.group("scale").lower()]
        out.append(Figure(m.start(), end, number, number, number))
    return out


def find_figures(text: str, lang: Language = "en") -> list[Figure]:
    """Every figure in ``text`` with its unit, qualifier and range, in order.

    Dates, clock times and ages are still among them: telling those apart needs the
    words around the figure, which :mod:`unspun.substance.claims` reads.
    """
    lang = "fr" if lang == "fr" else "en"
    pats = _patterns(lang)
    raw = _raw_figures(text, lang)
    out: list[Figure] = []
    i = 0
    while i < len(raw):
        fig = raw[i]
        upper: Figure | None = None
        if i + 1 < len(raw):
            gap = text[fig.end : raw[i + 1].start]
            joined = pats["range"].fullmatch(gap) if gap else None
            before = text[max(0, fig.start - 12) : fig.start].lower()
            if joined is not None and not fig.vague and not raw[i + 1].vague:
                is_between = re.search(r"\b(between|entre)\s+\Z", before) is not None
                is_from = re.search(r"\b(from|de|du|des|d['’])\s*\Z", before) is not None
                word = gap.strip().lower()
                if (is_between and word in {"and", "et"}) or (
                    not is_from and word in {"to", "à", "-", "–"}
                ):
                    upper = raw[i + 1]
        if upper is not None:
            low_value = fig.value
            # "between 1 and 2 billion": the scale written once applies to both.
            if fig.value == fig.low and upper.value >= 1000 * fig.value and fig.value < 1000:
                scale = 10 ** (
                    len(str(int(upper.value))) - len(str(int(_first_digits(text, upper))))
                )
                low_value = fig.value * scale if fig.value * scale <= upper.value else fig.value
            fig = replace(
                fig,
                value=low_value,
                low=low_value,
                high=upper.value,
                upper=(upper.start, upper.end),
            )
            i += 1
        anchor = upper.end if upper is not None else fig.end
        fig = _with_unit(text, fig, anchor, lang)
        fig = _with_qualifier(text, fig, lang)
        out.append(fig)
        i += 1
    return out


def _first_digits(text: str, fig: Figure) -> float:
    m = re.match(r"[\d.,\s]+", text[fig.start : fig.end])
    if m is None:
        return fig.value
    value = _digits_value(m.group().strip(), "en")
    return value if value else fig.value


def _with_unit(text: str, fig: Figure, anchor: int, lang: Language) -> Figure:
    prefix = _PREFIX_RE.search(text, max(0, fig.start - 5), fig.start)
    if prefix is not None:
        code, dimension = _UNIT_CODES[prefix.group().strip().lower()]
        return replace(
            fig,
            unit=(prefix.start(), prefix.start() + len(prefix.group().strip()), code, dimension),
        )
    m = _patterns(lang)["unit_after"].match(text, anchor, min(len(text), anchor + 40))
    if m is None:
        return fig
    word = m.group("unit").lower()
    pre = m.group("pre")
    code, dimension = _UNIT_CODES[word]
    if pre.strip() in {"de", "d'", "d’", "of"} and not (
        fig.vague or _ends_in_scale(text[:anchor], lang)
    ):
        # "de"/"of" joins a unit only after a scale word: "2,5 millions d'euros".
        return fig
    if word == "year" or code == "year":
        # "a 46-year-old", "46 years old", "âgé de 46 ans" are ages, not durations.
        after = text[m.end() : m.end() + 5].lower()
        before = text[max(0, fig.start - 10) : fig.start].lower()
        if after.startswith(("-old", " old")) or re.search(r"âgée?s? de\s*\Z", before):
            return replace(fig, unit=(m.start("unit"), m.end("unit"), "age", "age"))
    adjectival = "-" in pre
    # Amounts in M€/Md€ carry their scale in the unit.
    scale = {"m€": 1e6, "md€": 1e9, "mds€": 1e9, "k€": 1e3}.get(word, 1.0)
    value = fig.value * scale
    low = fig.low * scale if fig.low is not None else None
    high = fig.high * scale if fig.high is not None else None
    return replace(
        fig,
        value=value,
        low=low,
        high=high,
        unit=(m.start("unit"), m.end("unit"), code, dimension),
        adjectival=adjectival,
    )


def _ends_in_scale(before: str, lang: Language) -> bool:
    words = before[-20:].split()
    return bool(words) and words[-1].lower() in _SCALE_WORDS[lang]


def _with_qualifier(text: str, fig: Figure, lang: Language) -> Figure:
    start = fig.start
    if fig.unit is not None and fig.unit[0] < fig.start:
        start = fig.unit[0]
    window = text[max(0, start - 30) : start]
    m = _patterns(lang)["qualifier"].search(window)
    if m is None:
        return fig
    offset = start - len(window)
    written = m.group("q").lower()
    kind = QUALIFIER_WORDS[lang][written]
    qualifier = (offset + m.start("q"), offset + m.end("q"), written)
    if fig.vague:
        return replace(fig, qualifier=qualifier)
    if kind == "low":
        return replace(fig, low=fig.value, high=None, qualifier=qualifier)
    if kind == "high":
        return replace(fig, low=None, high=fig.value, qualifier=qualifier)
    if kind == "approx":
        return replace(fig, low=None, high=None, qualifier=qualifier)
    if fig.upper is None:
        return fig  # "between" with no second figure qualifies nothing here
    return replace(fig, qualifier=qualifier)


_FRENCH_WORDS = re.compile(r"\b(?:le|la|les|des|du|et|est|une|dans|pour|avec|qui|sont|ont|été)\b")
_ENGLISH_WORDS = re.compile(r"\b(?:the|and|of|is|was|were|with|for|that|have|has|been)\b")


def guess_language(text: str) -> Language:
    """``"fr"`` when the text reads as French rather than English, by common words."""
    sample = text[:4000].lower()
    return (
        "fr" if len(_FRENCH_WORDS.findall(sample)) > len(_ENGLISH_WORDS.findall(sample)) else "en"
    )


__all__ = ["QUALIFIER_WORDS", "VAGUE_WORDS", "Figure", "find_figures", "guess_language"]
