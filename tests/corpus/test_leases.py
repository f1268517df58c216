"""Work claimed by lease: two batches on one store split the articles, a lease that lapses or
whose holder has ended is free again, and a result releases its lease in its own
transaction. No test here waits for a clock: expiry is a lease given already lapsed."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from pathlib import Path

import sqlalchemy as sa
from test_batch import make_corpus

from unspun.article import Analysis, AnalyzerRun
from unspun.corpus import ingest, run_batch
from unspun.corpus.batch import BatchReport, _owner, _owner_gone
from unspun.store import SCHEMA_VERSION, open_store
from unspun.store import schema as t

RUNS = [("slow", "1")]
A, B = "elsewhere:11:aaaa", "elsewhere:12:bbbb"


def _ids(store_url: str, tmp_path: Path, n: int) -> list[str]:
    with open_store(store_url) as store:
        ingest(store, [make_corpus(tmp_path / "in", n, bad=False)])
        return store.pending(RUNS)


def test_two_owners_never_claim_the_same_article(store_url: str, tmp_path: Path) -> None:
    ids = _ids(store_url, tmp_path, 5)
    with open_store(store_url) as store:
        first = store.claim(ids, RUNS, owner=A, seconds=600, limit=3)
        assert first.claimed == tuple(ids[:3]) and first.held == () and first.done == ()
        second = store.claim(ids, RUNS, owner=B, seconds=600, limit=3)
        assert second.claimed == tuple(ids[3:]) and second.held == tuple(ids[:3])
        # Claiming again what one holds renews it, and takes nothing from the other.
        assert store.claim(ids, RUNS, owner=A, seconds=600, limit=5).claimed == tuple(ids[:3])
        assert {owner for owner, _ in store.leases().values()} == {A, B}
        assert len(store.leases()) == 5


def test_a_lapsed_lease_is_free_and_a_renewed_one_is_not(store_url: str, tmp_path: Path) -> None:
    ids = _ids(store_url, tmp_path, 4)
    with open_store(store_url) as store:
        # Given lapsed already: as if its holder stopped renewing it.
        store.claim(ids[:2], RUNS, owner=A, seconds=-1, limit=2)
        assert store.claim(ids[:2], RUNS, owner=B, seconds=600, limit=2).claimed == tuple(ids[:2])
        store.claim(ids[2:], RUNS, owner=A, seconds=-1, limit=2)
        assert store.renew_leases(A, 600) == 2
        taken = store.claim(ids[2:], RUNS, owner=B, seconds=600, limit=2)
        assert taken.claimed == () and taken.held == tuple(ids[2:])


def test_a_lease_whose_holder_has_ended_is_free(store_url: str, tmp_path: Path) -> None:
    ids = _ids(store_url, tmp_path, 3)
    with open_store(store_url) as store:
        store.claim(ids, RUNS, owner=A, seconds=600, limit=3)
        taken = store.claim(ids, RUNS, owner=B, seconds=600, limit=3, is_gone=lambda owner: owner == A)
        assert taken.claimed == tuple(ids)


def test_a_process_on_this_host_is_gone_once_it_ends() -> None:
    host = socket.gethostname()
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    assert _owner_gone(f"{host}:{proc.pid}:dead")
    assert not _owner_gone(_owner())  # this process
    assert not _owner_gone(f"another-host-{host}:{proc.pid}:dead")  # cannot be known: wait
    assert not _owner_gone("not an owner")


def test_results_release_their_leases_and_done_articles_are_not_claimed(
    store_url: str, tmp_path: Path
) -> None:
    ids = _ids(store_url, tmp_path, 3)
    with open_store(store_url) as store:
        store.claim(ids, RUNS, owner=A, seconds=600, limit=3)
        analysis = Analysis(article=store.article(ids[0]))
        analysis.runs.append(AnalyzerRun(name="slow", version="1", status="ok"))
        store.save_analysis_data([analysis.model_dump(mode="json")], release_owner=A)
        assert set(store.leases()) == set(ids[1:])
        again = store.claim(ids, RUNS, owner=B, seconds=-1, limit=3)
        assert again.done == (ids[0],) and again.held == tuple(ids[1:])
        store.release_leases(A, [ids[1]])
        assert set(store.leases()) == {ids[2]}
        store.release_leases(A)
        assert store.leases() == {}


def test_an_article_leased_elsewhere_but_already_done_is_done_not_held(store_url: str, tmp_path: Path) -> None:
    # What a claim sees when another batch commits an article's results between its reads:
    # the lease still there, the results too. It must count as done, once, and never as held
    # (a batch then counted it again when the lease was gone).
    ids = _ids(store_url, tmp_path, 2)
    with open_store(store_url) as store:
        store.claim(ids, RUNS, owner=A, seconds=600, limit=2)
        analysis = Analysis(article=store.article(ids[0]))
        analysis.runs.append(AnalyzerRun(name="slow", version="1", status="ok"))
        store.save_analysis_data([analysis.model_dump(mode="json")])  # lease kept
        seen = store.claim(ids, RUNS, owner=B, seconds=600, limit=2)
        assert seen.done == (ids[0],) and seen.held == (ids[1],) and seen.claimed == ()


def test_batches_at_once_split_the_work_and_leave_no_lease(
    store_url: str, tmp_path: Path, slow_analyzer: str
) -> None:
    n = 24
    _ids(store_url, tmp_path, n)
    reports: list[BatchReport] = []

    def one() -> None:
        with open_store(store_url) as store:
            reports.append(run_batch(store, ["slow"], workers=0, plugins=[slow_analyzer], chunk_size=4))

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Each article analysed by exactly one of them, whichever got to it first.
    assert sum(r.analysed for r in reports) == n
    assert all(r.analysed + r.by_others == r.pending for r in reports)
    with open_store(store_url) as store:
        assert store.stats().analyses == {"slow@1": {"ok": n}}
        assert store.leases() == {}


def test_a_batch_takes_over_the_leases_of_an_ended_batch(
    store_url: str, tmp_path: Path, slow_analyzer: str
) -> None:
    ids = _ids(store_url, tmp_path, 6)
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    with open_store(store_url) as store:
        store.claim(ids, RUNS, owner=f"{socket.gethostname()}:{proc.pid}:dead", seconds=600, limit=6)
        report = run_batch(store, ["slow"], workers=0, plugins=[slow_analyzer])
        assert report.analysed == 6 and store.leases() == {}


def test_a_store_made_before_leases_gets_them_when_a_batch_opens_it(store_url: str, tmp_path: Path) -> None:
    _ids(store_url, tmp_path, 1)
    with open_store(store_url) as store, store.engine.begin() as conn:
        conn.execute(t.schema_migrations.delete().where(t.schema_migrations.c.version == 2))
        t.leases.drop(conn)
    with open_store(store_url, create=False) as store:
        assert sa.inspect(store.engine).has_table("leases")
        with store.engine.connect() as conn:
            versions = conn.execute(sa.select(t.schema_migrations.c.version)).scalars().all()
        assert versions == list(range(1, SCHEMA_VERSION + 1))
