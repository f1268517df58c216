"""Ingest a corpus into a store, and analyse every stored article that lacks a result.

The main process is the only writer. Workers (a process pool, or a Dask cluster) load the
pipeline once and turn article JSON into analysis JSON; the main process stores each chunk
of results in one transaction as it arrives. Because a result is keyed by (article,
analyzer, version) and written whole or not at all, a run killed at any moment and started
again picks up exactly the articles that have no result yet.

Work is claimed a chunk at a time by lease (:meth:`Store.claim`): two batches on one store
split the articles between them, and the leases of a batch that is killed lapse (at once,
for a batch on the same host that sees its process gone). The first chunks are small (1, 2,
4 ... articles), so a batch killed while it is still warming up has stored its first
results already.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import json
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
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
    #: articles that were pending when this run began but that another batch analysed
    by_others: int = 0

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


#: seconds a lease lasts unless renewed; the renewing thread renews it every quarter of that
LEASE_SECONDS = 60.0


def _owner() -> str:
    """Who holds a lease: host, process and a token (a process id can be reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _owner_gone(owner: str) -> bool:
    """True when ``owner`` was a process on this host that has ended (its leases are free)."""
    host, _, rest = owner.rpartition(":")[0].rpartition(":")
    if host != socket.gethostname() or not rest.isdigit():
        return False
    pid = int(rest)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:
        # A killed process whose parent has not reaped it yet is a zombie: ended all the same.
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


@dataclass
class _Work:
    """The articles this run still has to analyse, leased to it a chunk at a time."""

    store: Store
    runs: tuple[RunKey, ...]
    owner: str
    lease_seconds: float
    chunk_size: int
    queue: deque[str]
    #: sent to be analysed by this run: never claimed twice
    sent: set[str] = field(default_factory=set)
    #: seen leased to another batch, not yet seen done
    held: set[str] = field(default_factory=set)
    by_others: int = 0
    size: int = 1
    _looked_again: bool = False

    def next_ids(self) -> list[str] | None:
        """The next chunk, leased; ``[]`` when every article left is leased to another batch
        for now; None when none is left."""
        while True:
            if not self.queue:
                if self._looked_again:
                    self._looked_again = False
                    return []
                # Look again: another batch may have been killed, leaving its articles.
                fresh = [a for a in self.store.pending(self.runs) if a not in self.sent]
                gone = self.held.difference(fresh)
                self.by_others += len(gone)
                self.held -= gone
                if not fresh:
                    return None
                self.queue.extend(fresh)
                self._looked_again = True
            window = [self.queue.popleft() for _ in range(min(len(self.queue), max(64, 4 * self.size)))]
            claim = self.store.claim(
                window, self.runs, owner=self.owner, seconds=self.lease_seconds, limit=self.size,
                is_gone=_owner_gone,
            )
            self.by_others += len(claim.done)
            self.held.difference_update(claim.done)
            self.held.update(claim.held)
            taken = set(claim.claimed) | set(claim.held) | set(claim.done)
            self.queue.extendleft(reversed([a for a in window if a not in taken]))
            if claim.claimed:
                self._looked_again = False
                self.sent.update(claim.claimed)
                self.size = min(self.size * 2, self.chunk_size)
                return list(claim.claimed)


class _Leases:
    """Renews this run's leases from a thread while it works; drops them when it ends."""

    def __init__(self, store: Store, owner: str, seconds: float) -> None:
        self.store, self.owner, self.seconds = store, owner, seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._renew, name="unspun-leases", daemon=True)

    def _renew(self) -> None:
        while not self._stop.wait(self.seconds / 4):
            # A renewal that fails (a store busy past its timeout) costs at most some work
            # done twice; results are keyed, so never a duplicate.
            with contextlib.suppress(Exception):
                self.store.renew_leases(self.owner, self.seconds)

    def __enter__(self) -> _Leases:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        with contextlib.suppress(Exception):
            self.store.release_leases(self.owner)


#: a request for the next payload: article JSON; [] to wait (others hold the rest); None: done
NextPayload = Callable[[], list[str] | None]


def _inline(pipeline: Pipeline, next_payload: NextPayload, poll: float) -> Iterator[list[str]]:
    while (payload := next_payload()) is not None:
        if not payload:
            time.sleep(poll)
            continue
        yield _analyse(pipeline, payload)


def _pool(
    names: tuple[str, ...],
    plugins: tuple[str, ...],
    workers: int,
    next_payload: NextPayload,
    poll: float,
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
    # more: memory stays flat however large the corpus, and few leases are held.
    limit = workers * 2
    try:
        exhausted = False
        while True:
            waiting = False
            while not exhausted and len(in_flight) < limit:
                payload = next_payload()
                if payload is None:
                    exhausted = True
                elif payload:
                    in_flight.add(executor.submit(_analyse_chunk, payload))
                    continue
                waiting = payload is not None
                break
            if not in_flight:
                if exhausted:
                    break
                time.sleep(poll)
                continue
            done, in_flight = wait(
                in_flight, timeout=poll if waiting else None, return_when=FIRST_COMPLETED
            )
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
    next_payload: NextPayload,
    poll: float,
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
        in_flight = 0
        exhausted = False
        while True:
            while not exhausted and in_flight < limit:
                payload = next_payload()
                if payload is None:
                    exhausted = True
                elif payload:
                    pending.add(client.submit(_analyse_chunk_dask, names, plugins, payload, pure=False))
                    in_flight += 1
                    continue
                break
            if not in_flight:
                if exhausted:
                    break
                time.sleep(poll)
                continue
            future = next(pending)
            in_flight -= 1
            yield future.result()
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
    lease_seconds: float = LEASE_SECONDS,
    progress: Progress | None = None,
) -> BatchReport:
    """Analyse every stored article lacking a result for the current version of an analyzer.

    ``workers=0`` analyses in this process; ``dask`` names a scheduler to send the work to
    instead of a local process pool (waiting ``dask_timeout`` seconds to reach it).
    ``plugins`` are modules imported in every process before the pipeline is built, so
    analyzers they register can be named. Articles are leased for ``lease_seconds`` at a
    time (renewed while they are analysed), so batches running at once share the work.
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
    work = _Work(store, runs, _owner(), lease_seconds, max(1, chunk_size), deque(ids))
    # Waiting on another batch's leases: look again this often.
    poll = min(2.0, lease_seconds / 4)

    def next_payload() -> list[str] | None:
        claimed = work.next_ids()
        if not claimed:
            return claimed
        return list(store.article_json(claimed))

    done = stored = with_errors = 0
    expected = set(runs)
    with _Leases(store, work.owner, lease_seconds):
        if dask:
            results = _dask(dask, names, tuple(plugins), next_payload, poll, dask_timeout)
        elif workers <= 0 or total == 0:
            results = _inline(pipeline, next_payload, poll)
        else:
            results = _pool(names, tuple(plugins), workers, next_payload, poll)
        for chunk in results:
            # Workers send validated analyses as JSON; they are stored from the parsed JSON.
            analyses = [json.loads(raw) for raw in chunk]
            for analysis in analyses:
                got = {(r["name"], r["version"]) for r in analysis["runs"]}
                if got != expected:
                    # Stored, such results would sit under versions this run never looks for,
                    # and every later run would analyse the same articles again.
                    raise StoreError(
                        "E407",
                        f"article {analysis['article']['id']} came back analysed by "
                        f"{', '.join(sorted(f'{n}@{v}' for n, v in got))}; expected "
                        f"{', '.join(sorted(f'{n}@{v}' for n, v in expected))}",
                    )
            stored += store.save_analysis_data(analyses, release_owner=work.owner)
            done += len(analyses)
            with_errors += sum(1 for a in analyses if a["errors"])
            if progress:
                progress(done, total - work.by_others)
    return BatchReport(
        runs=runs,
        pending=total,
        analysed=done,
        results_stored=stored,
        articles_with_errors=with_errors,
        seconds=time.monotonic() - started,
        workers=0 if dask else workers,
        by_others=work.by_others,
    )


__all__ = ["LEASE_SECONDS", "BatchReport", "Progress", "import_plugins", "ingest", "run_batch"]
