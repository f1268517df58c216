"""Ingest and batch on real stores (SQLite file, PostgreSQL server): idempotent, versioned,
and resumable after SIGKILL at any moment."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
import typer
from typer.testing import CliRunner

from unspun.article import Analysis
from unspun.corpus import ingest, run_batch, search
from unspun.corpus.cli import register
from unspun.errors import StoreError
from unspun.pipeline import load_analyzer, register_analyzer
from unspun.store import open_store
from unspun.store import schema as t

HERE = Path(__file__).resolve().parent
PLUGIN = "unspun_slow_plugin"
runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


WORDS = ["river", "budget", "senate", "storm", "vaccine", "harbour", "election", "tariff", "drought", "court"]


def make_corpus(folder: Path, n: int, *, bad: bool = True) -> Path:
    """``n`` distinct articles as JSONL (outlet, date) plus a bad line and an empty file."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(n)
    lines = []
    for i in range(n):
        words = " ".join(rng.choice(WORDS) for _ in range(12))
        lines.append(
            json.dumps(
                {
                    "title": f"Story {i}",
                    "text": f"Story {i} opens here.\n\nIt is about {words}.\n",
                    "outlet": ["Daily", "Herald"][i % 2],
                    "date": f"2024-0{1 + i % 9}-1{i % 10}",
                }
            )
        )
    if bad:
        lines.insert(1, "{not json")
        (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    (folder / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_ingest_twice_changes_nothing(store_url: str, tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "in", 12)
    app = _app()
    first = runner.invoke(app, ["ingest", str(corpus), "--db", store_url])
    assert first.exit_code == 0, first.output
    assert "12 article(s) added" in first.output and "2 input(s) rejected" in first.output
    stats1 = runner.invoke(app, ["stats", "--db", store_url, "--json"])
    again = runner.invoke(app, ["ingest", str(corpus), "--db", store_url])
    assert "0 article(s) added, 12 already stored" in again.output
    stats2 = runner.invoke(app, ["stats", "--db", store_url, "--json"])
    assert stats1.stdout == stats2.stdout
    data = json.loads(stats2.stdout)
    assert data["articles"] == 12 and data["rejects_by_code"] == {"E102": 1, "E107": 1}
    strict = runner.invoke(app, ["ingest", str(corpus), "--db", store_url, "--strict"])
    assert strict.exit_code == 1


@pytest.mark.parametrize("workers", [0, 2])
def test_batch_analyses_each_article_once(
    store_url: str, tmp_path: Path, slow_analyzer: str, workers: int
) -> None:
    with open_store(store_url) as store:
        ingest(store, [make_corpus(tmp_path / "in", 10)])
        report = run_batch(store, ["sentences", "slow"], workers=workers, plugins=[slow_analyzer], chunk_size=3)
        assert (report.pending, report.analysed, report.results_stored) == (10, 10, 20)
        again = run_batch(store, ["sentences", "slow"], workers=workers, plugins=[slow_analyzer])
        assert (again.pending, again.results_stored) == (0, 0)
        stats = store.stats()
        assert stats.analyses["slow@1"] == {"ok": 10}
        assert len(stats.analyses) == 2
        article = next(iter(store.articles()))
        rebuilt = store.analysis(article.id)
        assert [r.name for r in rebuilt.runs] == ["sentences", "slow"]
        assert rebuilt.spans_by("slow", "first-word")


def test_a_new_version_is_analysed_beside_the_old(store_url: str, tmp_path: Path, slow_analyzer: str) -> None:
    from unspun_slow_plugin import SlowAnalyzer  # type: ignore[import-not-found]

    class SlowV2(SlowAnalyzer):  # type: ignore[misc]
        version = "2"

    with open_store(store_url) as store:
        ingest(store, [make_corpus(tmp_path / "in", 4)])
        run_batch(store, ["slow"], workers=0, plugins=[slow_analyzer])
        register_analyzer("slow", SlowV2)
        report = run_batch(store, ["slow"], workers=0)
        assert report.results_stored == 4
        assert store.stats().analyses == {"slow@1": {"ok": 4}, "slow@2": {"ok": 4}}


def test_failures_are_stored_as_results_and_not_retried(store_url: str, tmp_path: Path, slow_analyzer: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Fine text here.\n", encoding="utf-8")
    (folder / "b.txt").write_text("This one says FAIL-ME.\n", encoding="utf-8")
    with open_store(store_url) as store:
        ingest(store, [folder])
        report = run_batch(store, ["slow"], workers=0, plugins=[slow_analyzer])
        assert report.articles_with_errors == 1
        assert store.stats().analyses == {"slow@1": {"failed": 1, "ok": 1}}
        assert run_batch(store, ["slow"], workers=0).pending == 0


def test_batch_cli_reports_and_unknown_analyzer_is_coded(store_url: str, tmp_path: Path, slow_analyzer: str) -> None:
    app = _app()
    runner.invoke(app, ["ingest", str(make_corpus(tmp_path / "in", 3)), "--db", store_url])
    result = runner.invoke(
        app, ["batch", "--db", store_url, "-a", "slow", "--plugin", slow_analyzer, "--workers", "0"]
    )
    assert result.exit_code == 0, result.output
    assert "3 article(s) analysed" in result.output
    bad = runner.invoke(app, ["batch", "--db", store_url, "-a", "nope"])
    assert bad.exit_code == 2 and "E201" in bad.output
    text = runner.invoke(app, ["stats", "--db", store_url])
    assert "slow@1" in text.stdout and "articles  3" in text.stdout


def test_stats_on_a_missing_store_is_coded(tmp_path: Path) -> None:
    result = runner.invoke(_app(), ["stats", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "E402" in result.output
    assert not (tmp_path / "none.db").exists()


def _count_results(url: str) -> int:
    with open_store(url) as store, store.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(t.results)).scalar_one())


def _check_intact(url: str, n_articles: int, runs: set[str]) -> None:
    """Every article has exactly one result per run, and each result's denormalised rows
    match its JSON: nothing half-written."""
    with open_store(url) as store, store.engine.connect() as conn:
        stats = store.stats()
        assert stats.articles == n_articles
        assert set(stats.analyses) == runs
        for counts in stats.analyses.values():
            assert sum(counts.values()) == n_articles
        rows = conn.execute(sa.select(t.results.c.article_id, t.results.c.analyzer, t.results.c.output_json))
        expected_spans = expected_labels = 0
        for row in rows:
            output = json.loads(row.output_json)
            expected_spans += len(output["spans"])
            expected_labels += len(output["labels"])
        assert stats.spans == expected_spans and stats.labels == expected_labels
        for article in store.articles():
            Analysis.model_validate(store.analysis(article.id).model_dump())


def _batch_command(url: str, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "unspun.corpus.cli",
        "batch",
        "--db",
        url,
        "-a",
        "sentences,slow",
        "--plugin",
        PLUGIN,
        "--workers",
        str(workers),
        "--chunk-size",
        "2",
    ]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purpose.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.slow
def test_sigkill_mid_batch_then_restart_analyses_each_article_exactly_once(
    store_url: str, tmp_path: Path, slow_analyzer: str
) -> None:
    n = 40
    with open_store(store_url) as store:
        ingest(store, [make_corpus(tmp_path / "in", n, bad=False)])
    env = {**os.environ, "UNSPUN_SLOW_SECONDS": "0.03"}
    rng = random.Random(7)
    kills = 0
    for _ in range(3):
        proc = subprocess.Popen(
            _batch_command(store_url, 2), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            target = _count_results(store_url) + rng.randint(2, 12)
            deadline = time.monotonic() + 60
            while _count_results(store_url) < target and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.02)
            workers = _children(proc.pid)
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                kills += 1
            proc.wait(timeout=30)
            # The workers follow their parent instead of lingering as orphans.
            deadline = time.monotonic() + 10
            while any(_alive(w) for w in workers) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert not any(_alive(w) for w in workers)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            if proc.stderr:
                proc.stderr.close()
    assert kills >= 1
    done = subprocess.run(_batch_command(store_url, 2), env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    sentences = load_analyzer("sentences").version
    _check_intact(store_url, n, {f"sentences@{sentences}", "slow@1"})
    with open_store(store_url) as store:
        assert store.pending([("sentences", sentences), ("slow", "1")]) == []


@pytest.mark.shared
@pytest.mark.slow
def test_shared_corpus_twice_leaves_stats_unchanged(
    store_url: str, samples_dir: Path, semeval23_dir: Path
) -> None:
    articles = semeval23_dir / "en" / "test-articles-subtask-3"
    if not articles.is_dir():
        pytest.skip(f"{articles} is absent")
    app = _app()
    outputs = []
    for _ in range(2):
        for args in (
            ["ingest", str(samples_dir), str(articles), "--db", store_url],
            ["batch", "--db", store_url, "--workers", "2"],
        ):
            result = runner.invoke(app, args)
            assert result.exit_code == 0, result.output
        outputs.append(runner.invoke(app, ["stats", "--db", store_url, "--json"]).stdout)
    assert outputs[0] == outputs[1]
    stats = json.loads(outputs[0])
    assert stats["articles"] >= 50 and stats["analyses"]


@pytest.mark.slow
def test_sigkill_mid_ingest_then_again_equals_a_clean_ingest(store_url: str, tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "in", 3000)
    command = [sys.executable, "-m", "unspun.corpus.cli", "ingest", str(corpus), "--db", store_url]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        stored = 0
        while proc.poll() is None and time.monotonic() < deadline:
            with open_store(store_url) as store:
                stored = store.article_count()
            if stored >= 400:
                os.kill(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.02)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == -signal.SIGKILL and stored < 3000
    assert subprocess.run(command, capture_output=True, timeout=300).returncode == 0
    clean = f"sqlite:///{tmp_path / 'clean.db'}"
    assert subprocess.run([*command[:-1], clean], capture_output=True, timeout=300).returncode == 0
    with open_store(store_url) as killed, open_store(clean) as fresh:
        assert killed.stats() == fresh.stats()
        assert [a.id for a in killed.articles()] == [a.id for a in fresh.articles()]
        # Each article reached the full-text index with its row: none twice, none missing.
        assert len(search(killed, "story", limit=5000)) == len(search(fresh, "story", limit=5000)) == 3000


def test_workers_with_other_versions_are_refused(
    tmp_path: Path, slow_analyzer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The workers import the plugin afresh and read this; the main process has version 1.
    monkeypatch.setenv("UNSPUN_SLOW_VERSION", "2")
    with open_store(f"sqlite:///{tmp_path / 'c.db'}") as store:
        ingest(store, [make_corpus(tmp_path / "in", 3, bad=False)])
        with pytest.raises(StoreError) as info:
            run_batch(store, ["slow"], workers=1, plugins=[slow_analyzer])
        assert info.value.code == "E407" and "slow@2" in info.value.message
        assert store.stats().analyses == {}


def test_a_dead_worker_is_coded_and_the_rerun_resumes(
    tmp_path: Path, slow_analyzer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_corpus(tmp_path / "in", 6, bad=False)
    (folder / "z.txt").write_text("This article says EXIT-WORKER.\n", encoding="utf-8")
    monkeypatch.setenv("UNSPUN_SLOW_ALLOW_EXIT", "1")
    with open_store(f"sqlite:///{tmp_path / 'c.db'}") as store:
        ingest(store, [folder])
        with pytest.raises(StoreError) as info:
            run_batch(store, ["slow"], workers=1, plugins=[slow_analyzer], chunk_size=1)
        assert info.value.code == "E405"
        monkeypatch.delenv("UNSPUN_SLOW_ALLOW_EXIT")
        report = run_batch(store, ["slow"], workers=1, plugins=[slow_analyzer])
        assert report.pending == report.analysed >= 1
        assert store.stats().analyses == {"slow@1": {"ok": 7}}
