"""Publication dates as inputs write them: ISO 8601, "5 May 2014", "May 5, 2014".

Only whole, unambiguous forms are taken. Fuzzy parsing would find a "date" in any byline
that mentions a month, and day/month order in "05/06/2014" cannot be known, so both are
refused and the date is left unset.
"""

from __future__ import annotations

import datetime as dt
import re

_FORMATS = (
    "%d %B %Y",
    "%d %b %Y",
    "%d %B, %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%A, %d %B %Y",
    "%A %d %B %Y",
    "%A, %B %d, %Y",
    "%a, %d %b %Y",
    "%Y/%m/%d",
    "%Y.%m.%d",
)

_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b", re.IGNORECASE)
# "Sept." is the one month abbreviation strptime does not know.
_SEPT = re.compile(r"\bSept\b", re.IGNORECASE)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ABBREVIATION_DOT = re.compile(r"(?<=[^\W\d_])\.")


def parse_date(value: str) -> dt.date | None:
    """The date ``value`` writes, or ``None`` when it is not one of the known forms."""
    text = value.strip()
    if not text or len(text) > 64:
        return None
    if _ISO_DAY.match(text):
        try:
            return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            try:
                return dt.date.fromisoformat(text[:10])
            except ValueError:
                return None
    text = _SEPT.sub("Sep", _ORDINAL.sub("", text))
    text = _ABBREVIATION_DOT.sub("", text)
    text = " ".join(text.split())
    for fmt in _FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


__all__ = ["parse_date"]
