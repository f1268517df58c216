"""Reference docs generated from the code, so they cannot drift from it.

``make docs`` writes them; tests fail when the committed copies are stale.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer.main

from unspun.article import Analysis
from unspun.errors import CODES


def schema_json() -> str:
    return json.dumps(Analysis.model_json_schema(), indent=2, ensure_ascii=False) + "\n"


def errors_markdown() -> str:
    lines = [
        "# Error codes",
        "",
        "Generated from `src/unspun/errors.py` by `make docs`. E1xx: inputs; E2xx: pipeline",
        "configuration (raised before anything runs); E3xx: one analyzer on one article (recorded",
        "on the article; the run goes on); E4xx: the corpus store, batches and search.",
        "",
        "| code | meaning | what to do |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {c.code} | {c.title} | {c.hint} |" for c in CODES.values()]
    return "\n".join(lines) + "\n"


def _command_markdown(cmd: Any, path: str) -> list[str]:
    # typer ships its own copy of click, so the command objects are duck-typed here.
    out = [f"## `{path}`", "", (cmd.help or "").strip(), ""]
    params = [p for p in cmd.params if p.name != "help"]
    if params:
        out += ["| argument / option | help |", "| --- | --- |"]
        for p in params:
            names = ", ".join(p.opts) if p.param_type_name == "option" else p.name.upper()
            help_text = getattr(p, "help", None) or ""
            out.append(f"| `{names}` | {help_text} |")
        out.append("")
    if hasattr(cmd, "commands"):
        for name in sorted(cmd.commands):
            out += _command_markdown(cmd.commands[name], f"{path} {name}")
    return out


def cli_markdown() -> str:
    from unspun.cli import app

    root = typer.main.get_command(app)
    lines = ["# Command-line reference", "", "Generated from the code by `make docs`.", ""]
    return "\n".join(lines + _command_markdown(root, "unspun")) + "\n"


def analyzers_markdown() -> str:
    """unspun's own analyzers (the entry points this package declares), not plugins'."""
    from importlib.metadata import distribution

    from unspun.pipeline import load_analyzer

    own = sorted(
        ep.name for ep in distribution("unspun").entry_points if ep.group == "unspun.analyzers"
    )
    lines = [
        "# Built-in analyzers",
        "",
        "Generated from the code by `make docs`. `unspun analyzers` lists what an install has,",
        "plugins included; [analyzers.md](analyzers.md) says how to write one.",
        "",
        "| name | version | runs by default | requires | assigns | what it does |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name in own:
        a = load_analyzer(name)
        doc = (type(a).__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
        default = "yes" if getattr(a, "default", True) else "no"
        lines.append(
            f"| `{name}` | {a.version} | {default} | {', '.join(a.requires)} | {', '.join(a.assigns)} | {doc} |"
        )
    return "\n".join(lines) + "\n"


GENERATED = {
    "analyzers-reference.md": analyzers_markdown,
    "schema.json": schema_json,
    "errors.md": errors_markdown,
    "cli.md": cli_markdown,
}


def write_all(docs: Path) -> list[Path]:
    written = []
    for name, make in GENERATED.items():
        path = docs / name
        path.write_text(make(), encoding="utf-8")
        written.append(path)
    return written
