"""Ingest a corpus into a store, and analyse every stored article that lacks a result.

The main process is the only writer. Workers (a process pool, or a Dask cluster) load the
pipeline once and turn article JSON into analysis JSON; the main process stores each chunk
of results in one transaction as it arrives. Because a result is keyed by (article,
analyzer, version) and written whole or not at all, a run killed at any moment and started
again picks up exactly the articles that have no result yet.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import json
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from unspun.article import Article
from unspun.errors import InputError, PipelineError, StoreError
from unspun.ingest import iter_read
from unspun.ingest.base import ReadOptions
from unspun.pipeline import Pipeline
from unspun.store import IngestCounts, RunKey, Store

#: called with (done, total) as work is stored
Progress = Callable[[int, int], None]


def import_plugins(modules: Iterable[str]) -> None:
    """Import modules that register analyzers (``unspun.register_analyzer``) as a side effect."""
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as exc:  # any failure in a plugin's import is the plugin's
            raise PipelineError(
                "E205", f"plugin module {name!r} could not be imported: {exc}"
            ) from exc


def ingest(
    store: Store,
    sources: Iterable[str | Path],
    options: ReadOptions | None = None,
    *,
    progress: Callable[[int], None] | None = None,
) -> IngestCounts:
    """Read the sources and store every article and reject; storing twice adds nothing."""

    def items() -> Iterator[Article | InputError]:
        for n, item in enumerate(iter_read(sources, options), start=1):
            if progress:
                progress(n)
            yield item

    return store.add_items(items())


@dataclass(frozen=True)
class BatchReport:
    """What one batch run did."""

    runs: tuple[RunKey, ...]
    pending: int
    analysed: int
    results_stored: int
    articles_with_errors: int
    seconds: float
    workers: int

    @property
    def rate(self) -> float:
        return self.analysed / self.seconds if self.seconds > 0 else 0.0


# -- work done in the workers -------------------------------------------------------------

_PIPELINE: Pipeline | None = None


def _die_with_parent(parent: int) -> None:
    # Without this a SIGKILLed batch would leave its workers blocked on an empty queue.
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            pr_set_pdeathsig = 1
            libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _init_worker(
    names: tuple[str, ...], plugins: tuple[str, ...], parent: int, threads: int
) -> None:
    global _PIPELINE
    _die_with_parent(parent)
    # Each worker's models get their share of the cores: N workers each running
    # all-core ONNX sessions would fight over the same cores.
    os.environ.setdefault("UNSPUN_THREADS", str(threads))
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    # Ctrl-C goes to the whole process group; the main process decides how to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import_plugins(plugins)
    _PIPELINE = Pipeline.from_names(names)


def _analyse_chunk(payload: list[str]) -> list[str]:
    assert _PIPELINE is not None, "worker was not initialised"
    return _analyse(_PIPELINE, payload)


def _analyse(pipeline: Pipeline, payload: list[str]) -> list[str]:
    # One pipeline.run per chunk: batched analyzers fill their model batches across articles.
    articles = [Article.model_validate_json(p) for p in payload]
    return [a.to_json(indent=None) for a in pipeline.run(articles)]


_DASK_PIPELINES: dict[tuple[tuple[str, ...], tuple[str, ...]], Pipeline] = {}


def _analyse_chunk_dask(
    names: tuple[str, ...], plugins: tuple[str, ...], payload: list[str]
) -> list[str]:
    # Dask workers outlive a batch run; keep one pipeline per configuration per worker.
    key = (names, plugins)
    if key not in _DASK_PIPELINES:
        import_plugins(plugins)
        _DASK_PIPELINES[key] = Pipeline.from_names(names)
    return _analyse(_DASK_PIPELINES[key], payload)


# -- the main process ---------------------------------------------------------------------


def _payloads(store: Store, ids: Sequence[str], chunk_size: int) -> Iterator[list[str]]:
    for i in range(0, len(ids), chunk_size):
        yield list(store.article_json(ids[i : i + chunk_size]))


def _inline(pipeline: Pipeline, payloads: Iterator[list[str]]) -> Iterator[list[str]]:
    for payload in payloads:
        yield _analyse(pipeline, payload)


def _pool(
    names: tuple[str, ...], plugins: tuple[str, ...], workers: int, payloads: Iterator[list[str]]
) -> Iterator[list[str]]:
    # spawn, not fork: the parent holds database connections and threads that a forked
    # child must not inherit.
    ctx = multiprocessing.get_context("spawn")
    executor = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=ctx,
        initializer=_init_worker,
        initargs=(names, plugins, os.getpid(), max(1, (os.cpu_count() or 1) // workers)),
    )
    in_flight: set[Future[list[str]]] = set()
    # Enough queued work to keep every worker busy while the main process writes, and no
    # more: memory stays flat however large the corpus.
    limit = workers * 2
    try:
        exhausted = False
        while True:
            while not exhausted and len(in_flight) < limit:
                payload = next(payloads, None)
                if payload is None:
                    exhausted = True
                    break
                in_flight.add(executor.submit(_analyse_chunk, payload))
            if not in_flight:
                break
            done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                try:
                    yield future.result()
                except BrokenProcessPool as exc:
                    raise StoreError("E405", f"a worker process died: {exc}") from exc
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _dask(
    address: str,
    names: tuple[str, ...],
    plugins: tuple[str, ...],
    payloads: Iterator[list[str]],
    timeout: float,
) -> Iterator[list[str]]:
    try:
        from distributed import Client, as_completed
    except ImportError as exc:
        raise StoreError("E406", "dask.distributed is not installed") from exc
    try:
        client = Client(address, timeout=f"{timeout}s")  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError) as exc:
        raise StoreError("E406", f"{address}: {exc}") from exc
    try:
        # As with the process pool: enough work queued to keep the cluster busy, no more.
        limit = max(2, 2 * len(client.scheduler_info().get("workers", {})))
        pending: Any = as_completed()  # type: ignore[no-untyped-call]

        def submit_next() -> None:
            payload = next(payloads, None)
            if payload is not None:
                pending.add(client.submit(_analyse_chunk_dask, names, plugins, payload, pure=False))

        for _ in range(limit):
            submit_next()
        for future in pending:
            yield future.result()
            submit_next()
    finally:
        client.close()  # type: ignore[no-untyped-call]


def run_batch(
    store: Store,
    analyzers: Sequence[str] | None = None,
    *,
    workers: int = 1,
    plugins: Sequence[str] = (),
    chunk_size: int = 16,
    dask: str | None = None,
    dask_timeout: float = 10.0,
    progress: Progress | None = None,
) -> BatchReport:
    """Analyse every stored article lacking a result for the current version of an analyzer.

    ``workers=0`` analyses in this process; ``dask`` names a scheduler to send the work to
    instead of a local process pool (waiting ``dask_timeout`` seconds to reach it).
    ``plugins`` are modules imported in every process before the pipeline is built, so
    analyzers they register can be named.
    """
    import_plugins(plugins)
    pipeline = Pipeline.from_names(analyzers)
    names = tuple(pipeline.names)
    runs = tuple((a.name, a.version) for a in pipeline.analyzers)
    ids = store.pending(runs)
    total = len(ids)
    started = time.monotonic()
    if progress:
        progress(0, total)
    payloads = _payloads(store, ids, max(1, chunk_size))
    if dask:
        results = _dask(dask, names, tuple(plugins), payloads, dask_timeout)
    elif workers <= 0 or total == 0:
        results = _inline(pipeline, payloads)
    else:
        results = _pool(names, tuple(plugins), workers, payloads)
    done = stored = with_errors = 0
    expected = set(runs)
    for chunk in results:
        # Workers send validated analyses as JSON; they are stored from the parsed JSON.
        analyses = [json.loads(raw) for raw in chunk]
        for analysis in analyses:
            got = {(r["name"], r["version"]) for r in analysis["runs"]}
            if got != expected:
                # Stored, such results would sit under versions this run never looks for, and
                # every later run would analyse the same articles again.
                raise StoreError(
                    "E407",
                    f"article {analysis['article']['id']} came back analysed by "
                    f"{', '.join(sorted(f'{n}@{v}' for n, v in got))}; expected "
                    f"{', '.join(sorted(f'{n}@{v}' for n, v in expected))}",
                )
        stored += store.save_analysis_data(analyses)
        done += len(analyses)
        with_errors += sum(1 for a in analyses if a["errors"])
        if progress:
            progress(done, total)
    return BatchReport(
        runs=runs,
        pending=total,
        analysed=done,
        results_stored=stored,
        articles_with_errors=with_errors,
        seconds=time.monotonic() - started,
        workers=0 if dask else workers,
    )


__all__ = ["BatchReport", "Progress", "import_plugins", "ingest", "run_batch"]
