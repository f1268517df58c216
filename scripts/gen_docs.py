"""Regenerate the reference docs (schema, error codes, CLI) from the code."""

from pathlib import Path

from unspun._docs import write_all

if __name__ == "__main__":
    for path in write_all(Path(__file__).resolve().parents[1] / "docs"):
        print(f"wrote {path}")
