"""What starting the CLI costs is measured by benchmarks/startup.py; these tests pin down the
import structure that keeps it cheap, so a stray top-level import cannot undo it unseen."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

HEAVY = ("pydantic", "spacy", "rich", "sqlalchemy", "onnxruntime", "numpy", "jinja2", "unspun.article")


def _modules_after(code: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return list(json.loads(out.strip().splitlines()[-1]))


def test_importing_the_cli_loads_nothing_heavy() -> None:
    loaded = set(_modules_after("import unspun.cli"))
    assert [m for m in HEAVY if m in loaded] == []


def test_the_public_api_is_still_there_when_asked_for() -> None:
    loaded = _modules_after("import unspun\nassert unspun.Analysis.__name__ == 'Analysis'")
    assert "unspun.article" in loaded


def test_loading_spacy_for_substance_does_not_import_torch() -> None:
    # torch (the train extra) is installed where the test suite runs; thinc would import it.
    loaded = set(_modules_after("import unspun.substance.nlp"))
    assert "spacy" in loaded
    assert "torch" not in loaded


def test_torch_still_imports_after_spacy_when_training_needs_it() -> None:
    import importlib.util

    if importlib.util.find_spec("torch") is None:
        return  # without the train extra there is nothing to import
    loaded = _modules_after("import unspun.substance.nlp\nimport torch")
    assert {"spacy", "torch"} <= set(loaded)


def _command_paths() -> list[list[str]]:
    from typer.main import get_command

    from unspun.cli import app

    root = get_command(app)
    ctx = root.context_class(root, info_name="unspun")
    paths: list[list[str]] = [[]]

    def walk(command: Any, ctx: Any, path: list[str]) -> None:
        for name in getattr(command, "list_commands", lambda _ctx: [])(ctx):
            sub = command.get_command(ctx, name)
            paths.append([*path, name])
            walk(sub, sub.context_class(sub, info_name=name, parent=ctx), [*path, name])

    walk(root, ctx, [])
    return paths


def test_help_without_parsing_is_typers_help_for_every_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.main import get_command

    from unspun.cli import _help_without_parsing, app

    monkeypatch.setenv("COLUMNS", "100")
    paths = _command_paths()
    assert ["analyze"] in paths and ["semeval", "predict"] in paths and ["serve"] in paths
    for path in paths:
        assert _help_without_parsing([*path, "--help"])
        fast = capsys.readouterr().out
        get_command(app).main([*path, "--help"], prog_name="unspun", standalone_mode=False)
        assert fast == capsys.readouterr().out, path


def test_other_command_lines_are_left_to_typer() -> None:
    from unspun.cli import _help_without_parsing

    for argv in ([], ["analyze"], ["analyze", "-f", "json", "--help"], ["no-such-command", "--help"]):
        assert not _help_without_parsing(argv)
