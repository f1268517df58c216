"""Docs that cannot rot: generated references are current, and every field has prose."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from unspun._docs import GENERATED
from unspun.article import Analysis
from unspun.errors import CODES

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_docs_are_current(name: str) -> None:
    assert (DOCS / name).read_text(encoding="utf-8") == GENERATED[name](), f"run `make docs` ({name} is stale)"


def _sections(markdown: str) -> dict[str, str]:
    parts = re.split(r"^## (\w+)\s*$", markdown, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def test_every_output_field_is_described() -> None:
    schema = Analysis.model_json_schema()
    models = {"Analysis": schema, **schema["$defs"]}
    sections = _sections((DOCS / "output.md").read_text(encoding="utf-8"))
    for model, spec in models.items():
        if "properties" not in spec:  # a type alias such as JsonValue, not a model
            continue
        assert model in sections, f"docs/output.md has no section for {model}"
        for field in spec.get("properties", {}):
            assert f"`{field}`" in sections[model], f"{model}.{field} is not described in docs/output.md"


def test_every_error_code_is_documented() -> None:
    text = (DOCS / "errors.md").read_text(encoding="utf-8")
    for code in CODES:
        assert f"| {code} |" in text


def test_every_cli_command_is_in_the_readme_or_reference() -> None:
    from typer.main import get_command

    from unspun.cli import app

    reference = (DOCS / "cli.md").read_text(encoding="utf-8")
    group = get_command(app)
    assert hasattr(group, "commands")
    for name in group.commands:  # type: ignore[attr-defined]
        assert f"`unspun {name}`" in reference


def test_every_setting_is_documented() -> None:
    import dataclasses

    from unspun.ingest.base import ReadOptions

    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    for field in dataclasses.fields(ReadOptions):
        assert f"| `{field.name}` |" in text, f"docs/settings.md does not describe {field.name}"
