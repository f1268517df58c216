"""The same batch on a local Dask cluster of worker processes."""

from __future__ import annotations

from pathlib import Path

import pytest

from unspun.corpus import ingest, run_batch
from unspun.errors import StoreError
from unspun.store import open_store

distributed = pytest.importorskip("distributed")


@pytest.mark.slow
def test_batch_on_a_local_dask_cluster(store_url: str, tmp_path: Path, slow_analyzer: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(12):
        (folder / f"{i}.txt").write_text(f"Article number {i}.\n\nIt has {'words ' * i}in it.\n", encoding="utf-8")
    with open_store(store_url) as store:
        ingest(store, [folder])
        with distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            report = run_batch(
                store, ["sentences", "slow"], plugins=[slow_analyzer], dask=cluster.scheduler_address, chunk_size=2
            )
            assert (report.analysed, report.results_stored) == (12, 24)
            again = run_batch(store, ["sentences", "slow"], plugins=[slow_analyzer], dask=cluster.scheduler_address)
            assert again.pending == 0
        stats = store.stats()
        assert stats.analyses["slow@1"] == {"ok": 12}


def test_an_unreachable_scheduler_is_coded(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Some text.\n", encoding="utf-8")
    with open_store(f"sqlite:///{tmp_path / 'c.db'}") as store:
        ingest(store, [folder])
        with pytest.raises(StoreError) as info:
            run_batch(store, ["sentences"], dask="tcp://127.0.0.1:1", dask_timeout=1.0)
        assert info.value.code == "E406"
