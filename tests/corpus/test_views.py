"""The commands that read a whole store: compare, profile, export and report, on invented
articles with known findings; parity between SQLite and PostgreSQL; and, when the shared
samples are there, compare on real analyzer output."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner
from views_fixtures import FLOOD, MILL_FIRE, MILL_FOLLOW_UP, UNDATED, build, fill

from unspun.corpus.analyses import outlet_of
from unspun.corpus.cli import register
from unspun.corpus.compare import compare, date_interval, name_key, place_keys
from unspun.corpus.export import TABLES, rows
from unspun.corpus.profiles import profiles
from unspun.store import open_store
from unspun.store.pgserver import TemporaryPostgres

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    register(app)
    return app


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'corpus.db'}"
    with open_store(url) as store:
        fill(store)
    return url


def _invoke(*args: str) -> Any:
    result = runner.invoke(_app(), list(args))
    assert result.exit_code == 0, result.output
    return result


# -- the pieces compare is built from ----------------------------------------------------


def test_a_possessive_place_is_also_its_owner() -> None:
    assert place_keys("Odessa’s Trade Union House") == {"odessa trade union house", "odessa"}
    assert place_keys("the Harbourton's textile mill") == {"harbourton textile mill", "harbourton"}
    assert place_keys("Riverside") == {"riverside"}


def test_people_are_unified_by_last_name_and_others_by_whole_name() -> None:
    assert name_key("Petro Poroshenko", "PERSON") == name_key("Poroshenko", "PERSON") == "poroshenko"
    assert name_key("Mr. Poroshenko's", "PERSON") == "poroshenko"
    assert name_key("Right Sector", "ORG") == "right sector"


def test_last_month_is_the_whole_month_before_publication() -> None:
    published = dt.date(2031, 1, 20)
    assert date_interval(None, "last month", published) == (dt.date(2030, 12, 1), dt.date(2030, 12, 31))
    assert date_interval("2031-01-02", "Friday", published) == (dt.date(2031, 1, 2), dt.date(2031, 1, 2))
    assert date_interval(None, None, None) is None
    assert date_interval(None, None, published) == (dt.date(2031, 1, 13), published)


def test_outlet_is_the_metadata_never_the_folder() -> None:
    assert outlet_of(build(MILL_FIRE)) == "Daily Lantern"
    no_outlet = build(MILL_FIRE.__class__(title="x", text="y.", source="corpora/herald/a.txt"))
    # `search --outlet herald` could not find it, so no view calls it that either.
    assert outlet_of(no_outlet) == "unknown"
    assert outlet_of(build(UNDATED)) == "unknown"


# -- compare -------------------------------------------------------------------------------


def _ids(result: dict[str, Any]) -> list[set[str]]:
    return [{a["id"] for a in g["articles"]} for g in result["groups"]]


def test_compare_groups_reports_of_the_same_fire_and_nothing_else() -> None:
    fire, follow, flood, undated = (build(s) for s in (MILL_FIRE, MILL_FOLLOW_UP, FLOOD, UNDATED))
    result = compare([fire, follow, flood, undated])
    assert _ids(result) == [{fire.article.id, follow.article.id}]
    group = result["groups"][0]
    assert "harbourton" in group["anchors"]
    by_id = {a["id"]: a for a in group["articles"]}
    # The numbers side by side, each with its sentence as exact offsets.
    twelve = by_id[fire.article.id]["claims"][0]
    assert (twelve["as_written"], twelve["category"]) == ("12", "killed")
    sentence = twelve["sentence"]
    assert fire.text[sentence["start"] : sentence["end"]] == sentence["text"] == "Officials said 12 workers died and 30 were hurt."
    fifteen = by_id[follow.article.id]["claims"][0]
    assert (fifteen["qualifier"], fifteen["value"], fifteen["at_anchor"]) == ("at least", 15, True)
    assert [t["label"] for t in fifteen["techniques"]] == ["Exaggeration"]
    # Who speaks in one telling and not in the other.
    assert by_id[fire.article.id]["quoted"] == [{"speaker": "Lena Okafor", "quotes": 1}]
    assert by_id[fire.article.id]["not_quoted"] == ["A union organiser"]


def test_the_date_window_keeps_apart_reports_published_far_apart() -> None:
    analyses = [build(s) for s in (MILL_FIRE, MILL_FOLLOW_UP)]
    assert compare(analyses, window_days=5)["groups"] == []
    assert len(compare(analyses, window_days=30)["groups"]) == 1


def test_undated_articles_are_compared_with_everything() -> None:
    undated_follow_up = build(MILL_FOLLOW_UP.__class__(**{**MILL_FOLLOW_UP.__dict__, "published": None}))
    result = compare([build(MILL_FIRE), undated_follow_up], window_days=0)
    assert len(result["groups"]) == 1


def test_a_place_in_most_articles_anchors_no_event() -> None:
    everywhere = [
        MILL_FIRE.__class__(
            title=f"Storm {n}",
            text=f"A storm hit Northland on day {n}. It killed {n} people.",
            published=dt.date(2031, 5, n),
            claims=[(f"{n} people", {"value": n, "category": "killed", "place": "Northland"})],
        )
        for n in range(1, 6)
    ]
    result = compare([build(s) for s in everywhere])
    assert result["groups"] == []
    assert result["settings"]["general_places"] == ["northland"]


def test_groups_do_not_chain_through_different_places() -> None:
    spec = MILL_FIRE.__class__
    both = spec(
        title="Two disasters",
        text="A fire hit Harbourton. Floods hit Riverside.",
        published=dt.date(2031, 4, 3),
        events=[("fire", {"type": "ASSAULT", "place": "Harbourton"}), ("Floods", {"type": "DISPLACE", "place": "Riverside"})],
    )
    fire_only = spec(
        title="Fire", text="The Harbourton fire was arson.", published=dt.date(2031, 4, 4),
        events=[("fire", {"type": "ASSAULT", "place": "Harbourton"})],
    )  # fmt: skip
    flood_only = spec(
        title="Flood", text="Floods in Riverside rose.", published=dt.date(2031, 4, 4),
        events=[("Floods", {"type": "DISPLACE", "place": "Riverside"})],
    )  # fmt: skip
    a, b, c = (build(s) for s in (both, fire_only, flood_only))
    result = compare([a, b, c])
    groups = {tuple(g["anchors"]): {x["id"] for x in g["articles"]} for g in result["groups"]}
    assert groups == {
        ("harbourton",): {a.article.id, b.article.id},
        ("riverside",): {a.article.id, c.article.id},
    }


def test_actor_comparison_unifies_a_person_across_articles() -> None:
    fire, follow, flood = (build(s) for s in (MILL_FIRE, MILL_FOLLOW_UP, FLOOD))
    actors = {row["key"]: row for row in compare([fire, follow, flood])["actors"]}
    okafor = actors["okafor"]
    assert okafor["name"] == "Lena Okafor"
    per_article = {e["id"]: e for e in okafor["articles"]}
    assert set(per_article) == {fire.article.id, follow.article.id, flood.article.id}
    assert [p["text"] for p in per_article[follow.article.id]["portrayals"]] == ["the embattled mayor"]
    assert per_article[fire.article.id]["quoted"] and not per_article[follow.article.id]["quoted"]
    assert "harbourton" in actors


def test_technique_on_a_mention_is_reported_with_the_actor() -> None:
    spec = MILL_FIRE.__class__(**{**MILL_FIRE.__dict__, "techniques": [("Lena Okafor, a tireless", "Flag_Waving")]})
    result = compare([build(spec), build(MILL_FOLLOW_UP)])
    okafor = next(r for r in result["actors"] if r["key"] == "okafor")
    labels = {e["id"]: [t["label"] for t in e["techniques"]] for e in okafor["articles"]}
    assert labels[build(spec).article.id] == ["Flag_Waving"]


def test_compare_cli_prints_json_table_and_self_contained_html(db: str, tmp_path: Path) -> None:
    data = json.loads(_invoke("compare", "--db", db, "--format", "json").stdout)
    assert len(data["groups"]) == 1 and data["articles"] == 4
    table = _invoke("compare", "--db", db).stdout
    assert "group 1: harbourton" in table and "at least 15 killed" in table
    out = tmp_path / "compare.html"
    _invoke("compare", "--db", db, "--format", "html", "-o", str(out))
    html = out.read_text(encoding="utf-8")
    assert "Officials said 12 workers died and 30 were hurt." in html
    _assert_self_contained(html)


def test_compare_on_a_missing_store_fails_with_a_code(tmp_path: Path) -> None:
    result = runner.invoke(_app(), ["compare", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2
    assert "E402" in result.output


# -- profiles ------------------------------------------------------------------------------


def test_profiles_rate_techniques_per_thousand_words(db: str) -> None:
    found = {p["outlet"]: p for p in json.loads(_invoke("profile", "--db", db, "--format", "json").stdout)}
    assert set(found) == {"Daily Lantern", "Evening Herald", "unknown"}
    herald = found["Evening Herald"]
    assert herald["articles"] == 1 and herald["quotes_per_article"] == 1.0
    assert herald["techniques"] == {
        "Name_Calling-Labeling": round(1000 / herald["words"], 3),
        "Exaggeration": round(1000 / herald["words"], 3),
    }
    assert herald["genres"] == {"opinion": 1}
    daily = found["Daily Lantern"]
    assert daily["articles"] == 2
    assert daily["top_actors"][0]["name"] == "Lena Okafor" and daily["top_actors"][0]["mentions"] == 2
    assert daily["top_actors"][0]["portrayal"] == ["a tireless reformer"]


def test_profile_of_one_outlet_as_a_table(db: str) -> None:
    text = _invoke("profile", "--db", db, "--outlet", "evening herald").stdout
    assert text.startswith("== Evening Herald: 1 article(s)")
    assert "Daily Lantern" not in text


def test_profiles_of_nothing_is_empty() -> None:
    assert profiles([]) == []


# -- exports -------------------------------------------------------------------------------


@pytest.mark.parametrize("what", sorted(TABLES))
def test_csv_and_parquet_exports_hold_the_same_rows(db: str, tmp_path: Path, what: str) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    _invoke("export", "--db", db, "--what", what, "--format", "csv", "-o", str(tmp_path / "t.csv"))
    _invoke("export", "--db", db, "--what", what, "--format", "parquet", "-o", str(tmp_path / "t.parquet"))
    with (tmp_path / "t.csv").open(encoding="utf-8", newline="") as f:
        from_csv = list(csv.DictReader(f))
    from_parquet = pq.read_table(tmp_path / "t.parquet").to_pylist()
    columns = [name for name, _ in TABLES[what]]
    assert list(from_csv[0]) == columns == list(from_parquet[0])
    assert len(from_csv) == len(from_parquet) > 0

    def plain(v: Any) -> str:
        if v is None:
            return ""
        if isinstance(v, bool):
            return str(v)
        return v.isoformat() if isinstance(v, dt.date) else str(v)

    assert from_csv == [{k: plain(v) for k, v in row.items()} for row in from_parquet]


def test_exported_offsets_point_at_the_text(db: str) -> None:
    with open_store(db, create=False) as store:
        texts = {a.id: a.text for a in store.articles()}
        for what in ("spans", "quotes"):
            for row in rows((store.analysis(i) for i in texts), what):
                assert texts[row["article_id"]][row["start"] : row["end"]] == row["text"]
        claims = list(rows((store.analysis(i) for i in texts), "claims"))
    assert {(c["as_written"], c["category"]) for c in claims} >= {("12", "killed"), ("15", "killed")}


def test_unknown_table_is_refused_by_the_cli(db: str, tmp_path: Path) -> None:
    result = runner.invoke(_app(), ["export", "--db", db, "--what", "people", "-o", str(tmp_path / "x.csv")])
    assert result.exit_code == 2


# -- report --------------------------------------------------------------------------------


def _assert_self_contained(html: str) -> None:
    assert "<script" not in html.lower()
    assert not re.search(r"<link\b", html, re.I)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.I)
    assert "@import" not in html and "url(" not in html


def test_report_is_one_self_contained_page_with_svg_charts(db: str, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    _invoke("report", "--db", db, "-o", str(out))
    html = out.read_text(encoding="utf-8")
    _assert_self_contained(html)
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2  # the charts; legend swatches are SVG too
    for section in ("Technique mix per outlet", "Techniques over time", "Actors by portrayal", "Articles on the same event"):
        assert section in html
    assert "<title>Exaggeration: " in html
    assert "2031-04" in html and "the embattled mayor" in html


# -- the same answers from PostgreSQL ----------------------------------------------------------


def test_compare_and_export_agree_on_sqlite_and_postgresql(
    postgres_server: TemporaryPostgres, tmp_path: Path
) -> None:
    sqlite_url = f"sqlite:///{tmp_path / 'corpus.db'}"
    pg_url = postgres_server.create_database()
    try:
        outputs = []
        for url in (sqlite_url, pg_url):
            with open_store(url) as store:
                fill(store)
            compared = _invoke("compare", "--db", url, "--format", "json").stdout
            exported = {}
            for what in TABLES:
                path = tmp_path / f"{what}.csv"
                _invoke("export", "--db", url, "--what", what, "-o", str(path))
                exported[what] = path.read_text(encoding="utf-8")
            outputs.append((compared, exported))
        assert outputs[0] == outputs[1]
    finally:
        postgres_server.drop_database(pg_url)


# -- the shared samples ----------------------------------------------------------------------


@pytest.mark.shared
@pytest.mark.slow
def test_compare_puts_the_odessa_reports_side_by_side(samples_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "samples.db")
    _invoke("ingest", str(samples_dir), "--db", db)
    # The default pipeline, as a user would run it: it includes the events compare groups by.
    _invoke("batch", "--db", db, "--workers", "0")
    data = json.loads(_invoke("compare", "--db", db, "--format", "json").stdout)
    files = {a["id"]: Path(a["source"]).name[:3] for g in data["groups"] for a in g["articles"]}
    odessa = [g for g in data["groups"] if "odessa" in g["anchors"]]
    assert len(odessa) == 1
    assert {files[a["id"]] for a in odessa[0]["articles"]} >= {"000", "002"}
    told = {files[a["id"]]: a for a in odessa[0]["articles"]}
    assert any(c["value"] == 42 and c["category"] == "killed" for c in told["000"]["claims"])
    assert any(c["value"] == 50 and c["category"] == "killed" for c in told["002"]["claims"])
    poroshenko = next(r for r in data["actors"] if r["key"] == "poroshenko")
    names = {Path(e["source"]).name[:3] for e in poroshenko["articles"]}
    assert names >= {"001", "002", "003"}
