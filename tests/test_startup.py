"""What starting the CLI costs is measured by benchmarks/startup.py; these tests pin down the
import structure that keeps it cheap, so a stray top-level import cannot undo it unseen."""

from __future__ import annotations

import json
import subprocess
import sys

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
