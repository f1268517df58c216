"""50 concurrent readers of a real ``unspun serve`` on loopback (issue 15's load target).

Builds a store in a temporary folder from the sample articles (``--samples``, default
``../shared/samples``) and the bundled example, analysed once by the default pipeline, or
from invented articles when that folder is absent. Starts ``unspun serve`` over it as a
separate process on a free port. Each URL is read once, one at a time (its first visit:
the page is built and rendered), then ``--clients`` readers (asyncio, one keep-alive
connection each, accepting gzip as a browser does) ask without pause for ``--seconds``, each
in turn for a random article page, a search (``/articles?q=...``, two in three with a
technique or outlet facet) or the compare page. After its first visit a page comes from the
server's page cache until the store changes (:mod:`unspun.web.cache`); ``--uncached`` adds
a new, ignored query parameter to every request, so every page is built (the worst case).

Reports requests, errors (any status but 200, or a failed connection) and p50/p95/p99 per
page kind, requests per second, the first visits' times, the CPU seconds of the server and
of the readers, and the load average before and after. The readers and the server share the
host's cores with whatever else runs, so the latencies include waiting for a core.

Target (issue 15): no errors, p99 <= 500 ms.

    .venv/bin/python benchmarks/web_load.py [--clients 50] [--seconds 60] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SAMPLES = REPO.parent / "shared" / "samples"
#: Search words: common in news text, so most searches match some articles.
QUERIES = ["police", "government", "said", "war", "people", "president", "city", "\"last week\"", "attack OR protest", "killed -police"]
_INVENTED = [
    "The council in Varnholt voted on Tuesday to close {n} schools, officials said.",
    "At least {n} families have left the district since the spring, the housing office reported.",
    "Critics called the plan a reckless betrayal of every parent who trusted the mayor.",
    "\"We were never asked,\" said Ilse Marten, a teacher who has worked there for {n} years.",
    "Either the council reverses course now, or the valley will lose a whole generation.",
]


def unspun_command() -> list[str]:
    script = Path(sys.executable).with_name("unspun")
    found = str(script) if script.exists() else shutil.which("unspun")
    if found is None:
        raise SystemExit("the unspun command is not installed (pip install -e .)")
    return [found]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_store(db: str, samples: Path, tmp: Path) -> int:
    """Analyse the samples (or invented articles) and the example into ``db``; return how many."""
    from unspun._api import analyze_many
    from unspun.errors import InputError
    from unspun.store import open_store

    paths = sorted(samples.glob("*.txt")) if samples.is_dir() else []
    if not paths:
        rng = random.Random(15)
        for i in range(6):
            sentences = [rng.choice(_INVENTED).format(n=rng.randint(2, 90)) for _ in range(40)]
            text = "\n\n".join(" ".join(sentences[k : k + 4]) for k in range(0, 40, 4))
            path = tmp / f"invented_{i}.txt"
            path.write_text(f"Invented report {i}\n\n{text}\n", encoding="utf-8")
            paths.append(path)
    n = 0
    with as_file(files("unspun") / "resources" / "example.md") as example, open_store(db) as store:
        for item in analyze_many([*paths, example]):
            if isinstance(item, InputError):
                raise SystemExit(f"{item.code}: {item}")
            store.add_article(item.article)
            store.save_analysis(item)
            n += 1
    return n


def start_server(db: str, port: int, log: Path, extra: list[str] | None = None) -> subprocess.Popen[bytes]:
    """``unspun serve`` over ``db`` (tokens in ``tokens.json`` beside ``log``), once it answers."""
    env = {**os.environ, "UNSPUN_TOKENS": str(log.with_name("tokens.json"))}
    cmd = [*unspun_command(), "serve", "--db", db, "--port", str(port), *(extra or ["--no-example"])]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"unspun serve exited with {proc.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    stop_server(proc)
    raise SystemExit("unspun serve did not answer within 180 s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (Linux), or NaN elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def targets(base: str) -> dict[str, list[str]]:
    """The URLs each page kind draws from, read from the running server."""
    listing = httpx.get(f"{base}/articles.json", params={"limit": 200}, timeout=30).json()
    ids = [a["id"] for a in listing["articles"]]
    techniques = [f["value"] for f in listing["facets"]["technique"][:8]]
    outlets = [f["value"] for f in listing["facets"]["outlet"][:4]]
    searches = []
    for i, q in enumerate(QUERIES):
        searches.append(str(httpx.URL("/articles", params={"q": q})))
        if techniques:
            searches.append(str(httpx.URL("/articles", params={"q": q, "technique": techniques[i % len(techniques)]})))
        if outlets:
            searches.append(str(httpx.URL("/articles", params={"q": q, "outlet": outlets[i % len(outlets)]})))
    return {
        "article": [f"/articles/{i}" for i in ids],
        "search": searches,
        "compare": ["/compare", "/compare?window_days=3650", "/compare?min_score=0.2"],
    }


class Connection:
    """One reader's keep-alive HTTP/1.1 connection, as a browser's: it asks for gzip and reads
    each answer whole. Written on asyncio streams rather than httpx, whose per-request cost
    on these 2 cores was larger than the server's and so set the pace of the test."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, url: str) -> tuple[int, int]:
        """Status and body size of ``GET url``; reconnects when the server closed the connection."""
        if self.reader is None or self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        request = f"GET {url} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nAccept: text/html\r\nAccept-Encoding: gzip\r\n\r\n"
        self.writer.write(request.encode("ascii"))
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        fields = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        if "content-length" not in fields:
            raise ValueError(f"no Content-Length in the answer to {url}")
        body = await self.reader.readexactly(int(fields["content-length"]))
        if fields.get("connection", "").lower() == "close":
            await self.close()
        return status, len(body)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = self.reader = None


async def reader(port: int, pages: dict[str, list[str]], until: float, seed: int,
                 times: dict[str, list[float]], errors: dict[str, list[str]], uncached: bool) -> None:
    rng = random.Random(seed)
    kinds = list(pages)
    conn = Connection(port)
    n = 0
    while time.monotonic() < until:
        kind = rng.choice(kinds)
        url = rng.choice(pages[kind])
        if uncached:
            # A parameter the views ignore, new each time: no page is ever served from the cache.
            n += 1
            url += f"{'&' if '?' in url else '?'}nocache={seed}-{n}"
        start = time.perf_counter()
        try:
            status, _ = await conn.get(url)
        except (OSError, ValueError, asyncio.IncompleteReadError) as exc:
            errors[kind].append(f"{type(exc).__name__} {url}")
            await conn.close()
            continue
        elapsed = time.perf_counter() - start
        if status != 200:
            errors[kind].append(f"{status} {url}")
            continue
        times[kind].append(elapsed)
    await conn.close()


async def load(port: int, pages: dict[str, list[str]], clients: int, seconds: float, uncached: bool = False) -> tuple[dict[str, list[float]], dict[str, list[str]], float, dict[str, list[float]]]:
    times: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    # Each URL once first, one at a time: the page is built (no page cache yet; the first
    # of all also compiles templates), as for the first reader of a page after a change.
    cold: dict[str, list[float]] = defaultdict(list)
    first = Connection(port)
    for kind, urls in pages.items():
        for url in urls:
            t0 = time.perf_counter()
            status, _ = await first.get(url)
            cold[kind].append(time.perf_counter() - t0)
            if status != 200:
                errors[kind].append(f"{status} {url} (first visit)")
    await first.close()
    start = time.monotonic()
    until = start + seconds
    await asyncio.gather(*(reader(port, pages, until, seed, times, errors, uncached) for seed in range(clients)))
    return times, errors, time.monotonic() - start, cold


def percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--samples", type=Path, default=DEFAULT_SAMPLES)
    ap.add_argument("--uncached", action="store_true", help="make every URL new, so every page is built (the worst case)")
    ap.add_argument("--db", type=Path, help="serve this SQLite store as it is instead of building one")
    ap.add_argument("--json", action="store_true", help="also print one JSON line")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if args.db:
            from unspun.store import open_store

            db = f"sqlite:///{args.db.resolve()}"
            with open_store(db) as store:
                n = store.article_count()
        else:
            db = f"sqlite:///{tmp / 'load.db'}"
            t0 = time.perf_counter()
            n = build_store(db, args.samples, tmp)
            print(f"store: {n} articles analysed in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        port = free_port()
        proc = start_server(db, port, tmp / "serve.log")
        try:
            base = f"http://127.0.0.1:{port}"
            pages = targets(base)
            load_before = os.getloadavg()
            server_cpu, own = cpu_seconds(proc.pid), resource.getrusage(resource.RUSAGE_SELF)
            times, errors, wall, cold = asyncio.run(load(port, pages, args.clients, args.seconds, args.uncached))
            server_cpu = cpu_seconds(proc.pid) - server_cpu
            end = resource.getrusage(resource.RUSAGE_SELF)
            client_cpu = end.ru_utime + end.ru_stime - own.ru_utime - own.ru_stime
            load_after = os.getloadavg()
        finally:
            stop_server(proc)
    rows: dict[str, Any] = {}
    every = [x for v in times.values() for x in v]
    for kind in [*pages, "all"]:
        got = every if kind == "all" else times[kind]
        bad = sum(len(v) for v in errors.values()) if kind == "all" else len(errors[kind])
        rows[kind] = {
            "requests": len(got) + bad,
            "errors": bad,
            "p50_ms": round(percentile(got, 50) * 1000, 1),
            "p95_ms": round(percentile(got, 95) * 1000, 1),
            "p99_ms": round(percentile(got, 99) * 1000, 1),
            "max_ms": round(max(got, default=float("nan")) * 1000, 1),
        }
    print(f"{args.clients} readers{' (every page built: --uncached)' if args.uncached else ''} for {wall:.0f} s over {n} articles ({len(pages['article'])} article pages, "
          f"{len(pages['search'])} searches, {len(pages['compare'])} compare pages); "
          f"{rows['all']['requests'] / wall:.0f} requests/s")
    print("| page | requests | errors | p50 ms | p95 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|---|")
    for kind, r in rows.items():
        print(f"| {kind} | {r['requests']} | {r['errors']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['max_ms']} |")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (1 min), {os.cpu_count()} cores; "
          f"CPU seconds: server {server_cpu:.1f}, readers {client_cpu:.1f}")
    print("first visits, one at a time (page built, not from the page cache): "
          + "; ".join(f"{k} median {statistics.median(v) * 1000:.0f} ms, max {max(v) * 1000:.0f} ms" for k, v in cold.items()))
    first_errors = [e for v in errors.values() for e in v][:5]
    if first_errors:
        print("first errors:", *first_errors, sep="\n  ")
    ok = rows["all"]["errors"] == 0 and rows["all"]["p99_ms"] <= 500
    print(f"target (no errors, p99 <= 500 ms): {'met' if ok else 'NOT met'}")
    if args.json:
        print(json.dumps({"clients": args.clients, "uncached": args.uncached, "seconds": round(wall, 1), "articles": n, "pages": rows,
                          "loadavg_before": load_before, "loadavg_after": load_after,
                          "server_cpu_s": round(server_cpu, 1),
                          "first_visit_ms": {k: [round(x * 1000, 1) for x in v] for k, v in cold.items()}, "readers_cpu_s": round(client_cpu, 1), "target_met": ok}))


if __name__ == "__main__":
    main()
