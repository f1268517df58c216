"""Hostile inputs: make every kind of bad input we know of, run `analyze`, `ingest` and `batch`
on them, and count what was accepted, what was rejected (by code), tracebacks and valid
records lost.

Usage::

    .venv/bin/python benchmarks/hostile_inputs.py [--analyzers sentences,language]
        [--long-line-mb 21] [--keep DIR]

Each class of input (one folder) holds files with *valid records* (articles, JSONL lines,
CSV rows) marked by a unique word, beside what is bad about it. A valid record is lost when
its marker is in no analysis (`analyze --format jsonl`), in no stored article (`ingest`),
or when its stored article has no result after `batch`. Every command runs in its own
process; its standard error is searched for Python tracebacks, and its wall time and peak
memory (maximum resident set size, from ``wait4``) are measured. Targets: tracebacks 0, valid
records lost 0.

Classes marked "held" held before the hardening of issue 14; the others did not.
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from unspun.store import open_store
from unspun.store import schema as t


@dataclass
class Kind:
    """One class of bad input: its folder, the markers of its valid records, what to expect."""

    name: str
    held: bool
    what: str
    markers: list[str] = field(default_factory=list)
    files: int = 0
    #: text some article of this class must hold (read right), and text none may hold
    must: list[str] = field(default_factory=list)
    never: list[str] = field(default_factory=list)


def _marker(kind: Kind) -> str:
    word = f"VALID{kind.name.upper().replace('_', '')}{len(kind.markers)}X"
    kind.markers.append(word)
    return word


def _story(marker: str) -> str:
    return f"The council met on Monday {marker}. Officials said the budget would rise."


def _write(folder: Path, name: str, data: bytes | str, kind: Kind) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    kind.files += 1


def generate(root: Path, long_line_mb: int) -> list[Kind]:
    rng = random.Random(14)
    kinds: list[Kind] = []

    def kind(name: str, held: bool, what: str) -> tuple[Kind, Path]:
        k = Kind(name, held, what)
        kinds.append(k)
        return k, root / name

    # -- inputs that held before --------------------------------------------------------
    k, d = kind("nul_bytes", True, "NUL bytes in a text file")
    _write(d, "nul.txt", b"Title\n\nSome text\x00 with NUL\x00 bytes.\n", k)
    k, d = kind("binary", True, "binary files named .txt and .html")
    _write(d, "image.txt", bytes(rng.randrange(256) for _ in range(4096)), k)
    _write(d, "png.html", b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2048)), k)
    k, d = kind("empty", True, "empty and whitespace-only files")
    _write(d, "empty.txt", b"", k)
    _write(d, "blank.md", b" \n\t\n   \n", k)
    _write(d, "empty.jsonl", b"\n\n", k)
    k, d = kind("long_line", True, f"a single line of {long_line_mb} MB (over the 20 MiB limit)")
    _write(d, "long.txt", b"word " * (long_line_mb * 1024 * 1024 // 5), k)
    k, d = kind("malformed_jsonl", True, "JSON Lines with broken lines among valid ones")
    lines = [json.dumps({"title": "ok", "text": _story(_marker(k))}) for _ in range(3)]
    lines[1:1] = ["{not json", '{"text": 5}', "[1, 2]", '{"title": "no text"}']
    _write(d, "corpus.jsonl", "\n".join(lines) + "\n", k)
    k, d = kind("html_script", True, "<script>, onerror= and styles in HTML")
    _write(
        d,
        "page.html",
        "<html><head><script>alert(1)</script><style>p{}</style></head><body><article>"
        f"<p>{_story(_marker(k))}</p><img src=x onerror=alert(1)><p>More about the budget "
        "and the council's vote on Monday.</p></article></body></html>",
        k,
    )
    k.never += ["alert(1)", "p{}"]
    k, d = kind("xxe", True, "XML external entities in HTML")
    _write(
        d,
        "xxe.html",
        '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        f"<html><body><article><p>&xxe; {_story(_marker(k))}</p><p>The vote is on Monday "
        "and the budget is due.</p></article></body></html>",
        k,
    )
    k.never.append("root:x:0")
    k, d = kind("symlink_loop", True, "a folder that links to itself")
    _write(d, "a.txt", _story(_marker(k)), k)
    (d / "loop").symlink_to(d, target_is_directory=True)
    k, d = kind("xss", True, "XSS payloads in text, title and Markdown")
    _write(d, "xss.md", f"# <script>alert(1)</script>\n\n{_story(_marker(k))} <img src=x onerror=alert(1)>\n", k)
    _write(d, "xss.txt", f'"><svg onload=alert(1)>\n\n{_story(_marker(k))} javascript:alert(1)\n', k)
    k, d = kind("sql_like", True, "SQL-like strings in text and fields")
    rows = [
        {"title": "'; DROP TABLE articles; --", "text": _story(_marker(k)) + " ' OR 1=1 --", "id": "1' OR '1'='1"},
        {"title": "Robert'); DROP TABLE results;--", "text": _story(_marker(k)) + ' " UNION SELECT *'},
    ]
    _write(d, "sql.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n", k)
    k, d = kind("legacy_encodings", True, "cp1251, latin-1 and UTF-16 files")
    _write(d, "ru.txt", f"Заголовок\n\nСовет собрался в понедельник {_marker(k)}. Бюджет вырастет.\n".encode("cp1251"), k)
    _write(d, "fr.txt", f"Titre\n\nLe conseil s'est réuni lundi {_marker(k)}. Le budget augmentera, a-t-on précisé.\n".encode("latin-1"), k)
    _write(d, "utf16.txt", codecs.BOM_UTF16_LE + _story(_marker(k)).encode("utf-16-le"), k)
    k.must += ["Совет собрался", "s'est réuni"]

    # -- inputs that did not hold --------------------------------------------------------
    k, d = kind("lone_surrogates", False, "lone surrogates (\\udc00, \\ud800) in JSONL text and title")
    rows = [
        {"title": "fine", "text": _story(_marker(k))},
        {"title": "bad \\udc00", "text": _story(_marker(k)) + " \\ud800"},
        {"title": "fine too", "text": _story(_marker(k))},
    ]
    # json.dumps would escape the backslash; the surrogates must be JSON escapes.
    _write(d, "surrogates.jsonl", "\n".join(json.dumps(r).replace("\\\\u", "\\u") for r in rows) + "\n", k)
    k, d = kind("csv_unbalanced_quote", False, "a CSV row with one unbalanced quote before valid rows")
    body = ["title,text", f'ok,"{_story(_marker(k))}"', 'broken,"an unbalanced quote', *(f'later,"{_story(_marker(k))}"' for _ in range(3))]
    _write(d, "rows.csv", "\n".join(body) + "\n", k)
    k, d = kind("invalid_utf8", False, "UTF-8 text with a few invalid bytes")
    text = f"Café au lait\n\nLe conseil s'est réuni lundi {_marker(k)} à Genève. Élu \xff\xfe le budget.\n"
    _write(d, "mostly_utf8.txt", text.encode("utf-8").replace(b"\xc3\xbf\xc3\xbe", b"\xff\xfe"), k)
    k.must += ["Café au lait", "à Genève. Élu"]
    k, d = kind("over_max_chars", False, "one line of 1.1 million characters (under 20 MiB)")
    _write(d, "huge_line.txt", ("budget " * 160_000)[:1_100_000], k)
    k, d = kind("deep_html", False, "HTML nested 300 and 70,000 levels deep")
    for depth in (300, 70_000):
        _write(d, f"deep{depth}.html", "<html><body>" + "<div>" * depth + f"<p>{_story(_marker(k))}</p>" + "</div>" * depth + "</body></html>", k)
    k, d = kind("terminal_escapes", False, "terminal escape sequences and colour codes in text")
    _write(d, "esc.txt", f"\x1b]0;pwned\x07Title\x1b[31m red\n\n{_story(_marker(k))} \x1b[2J\x1b[0m end.\n", k)
    k, d = kind("csv_formula", False, "spreadsheet formulas in CSV titles and text")
    body = ["title,text", f'"=HYPERLINK(""http://x"",""y"")","{_story(_marker(k))}"', f'"@SUM(A1)","+{_story(_marker(k))}"']
    _write(d, "formula.csv", "\n".join(body) + "\n", k)
    return kinds


@dataclass
class Run:
    command: str
    seconds: float
    peak_mb: float
    tracebacks: int
    stderr: str
    code: int


def run(cmd: list[str], *, stdout: Path | None = None) -> Run:
    started = time.monotonic()
    err_path = Path(tempfile.mkstemp()[1])
    with err_path.open("wb") as err, (stdout.open("wb") if stdout else open(os.devnull, "wb")) as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    text = err_path.read_text(encoding="utf-8", errors="replace")
    err_path.unlink()
    return Run(
        command=cmd[1],
        seconds=time.monotonic() - started,
        peak_mb=usage.ru_maxrss / 1024,
        tracebacks=text.count("Traceback (most recent call last)"),
        stderr=text,
        code=proc.returncode,
    )


_REJECT = re.compile(r"^\s+([EW]\d{3}) (.*)$", re.MULTILINE)


def _codes(stderr: str, prefix: str) -> Counter[str]:
    return Counter(code for code, _ in _REJECT.findall(stderr) if code.startswith(prefix))


def _fmt(counter: Counter[str]) -> str:
    return ", ".join(f"{code} {n}" for code, n in sorted(counter.items())) or "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--analyzers", default="", help="for analyze and batch (default: the default pipeline)")
    parser.add_argument("--long-line-mb", type=int, default=21)
    parser.add_argument("--keep", type=Path, help="write the inputs and outputs here and keep them")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        inputs = root / "hostile"
        shutil.rmtree(inputs, ignore_errors=True)
        kinds = generate(inputs, args.long_line_mb)
        markers = {m: k.name for k in kinds for m in k.markers}
        unspun = [str(Path(sys.executable).with_name("unspun"))]
        analyzers = ["-a", args.analyzers] if args.analyzers else []
        db = f"sqlite:///{root / 'hostile.db'}"
        out = root / "analyses.jsonl"
        (root / "hostile.db").unlink(missing_ok=True)

        analyze = run([*unspun, "analyze", str(inputs), "-f", "jsonl", "-o", str(out), *analyzers])
        texts = [json.loads(line)["article"]["text"] for line in out.read_text(encoding="utf-8").splitlines()]
        ingest = run([*unspun, "ingest", str(inputs), "--db", db])
        batch = run([*unspun, "batch", "--db", db, "--workers", "0", *analyzers])

        with open_store(db, create=False) as store, store.engine.connect() as conn:
            stored = {a.id: a.text for a in store.articles()}
            with_results = set(conn.execute(sa.select(t.results.c.article_id).distinct()).scalars())
            stats = store.stats()

        def lost_in(haystacks: list[str]) -> Counter[str]:
            return Counter(kind for m, kind in markers.items() if not any(m in h for h in haystacks))

        lost = {
            "analyze": lost_in(texts),
            "ingest": lost_in(list(stored.values())),
            "batch": lost_in([text for a, text in stored.items() if a in with_results]),
        }
        accepted = {"analyze": len(texts), "ingest": stats.articles, "batch": len(with_results & set(stored))}
        rejected = {
            "analyze": _codes(analyze.stderr, "E"),
            "ingest": Counter(stats.rejects_by_code),
            "batch": Counter(),
        }
        files = sum(k.files for k in kinds)
        print(f"{files} files in {len(kinds)} classes, {len(markers)} valid records; analyzers: {args.analyzers or 'defaults'}\n")
        print("| command | files | accepted | rejected (by code) | warnings | tracebacks | valid records lost | exit | wall s | peak MB |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for r in (analyze, ingest, batch):
            warn = _codes(r.stderr, "W")
            print(
                f"| {r.command} | {files} | {accepted[r.command]} | {_fmt(rejected[r.command])} | {_fmt(warn)} | "
                f"{r.tracebacks} | {sum(lost[r.command].values())} | {r.code} | {r.seconds:.1f} | {r.peak_mb:.0f} |"
            )
        print("\n| class | held before | what | files | valid records | lost (analyze/ingest/batch) | text checks |")
        print("|---|---|---|---|---|---|---|")
        everything = texts + list(stored.values())
        for k in kinds:
            lost_here = "/".join(str(lost[c][k.name]) for c in ("analyze", "ingest", "batch"))
            mine = [x for x in everything if any(m in x for m in k.markers)]
            wrong = [f"lacks {m!r}" for m in k.must if not any(m in x for x in mine)]
            wrong += [f"holds {m!r}" for m in k.never if any(m in x for x in mine)]
            checks = "; ".join(wrong) or ("ok" if k.must or k.never else "-")
            print(
                f"| {k.name} | {'yes' if k.held else 'no'} | {k.what} | {k.files} | {len(k.markers)} | "
                f"{lost_here} | {checks} |"
            )
        for r in (analyze, ingest, batch):
            if r.tracebacks:
                print(f"\n{r.command} stderr:\n{r.stderr[-3000:]}")


if __name__ == "__main__":
    main()
