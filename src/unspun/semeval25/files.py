"""Reading and writing subtask-2 files: ``file<TAB>narr;narr<TAB>sub;sub`` (``Other`` when none).

Documents are read with ``newline=""``, as the task's offsets (subtask 1) count ``\\r\\n`` as two
characters; it changes nothing for subtask 2 but keeps one reader for both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from unspun.semeval.data import tab_rows


@dataclass(frozen=True)
class NarrativeRow:
    """One document's narratives and subnarratives."""

    file: str
    narratives: tuple[str, ...]
    subnarratives: tuple[str, ...]


def _split(field: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in field.split(";") if x.strip())


def read_annotations(path: Path) -> dict[str, NarrativeRow]:
    """The rows of an annotation or prediction file, by file name."""
    out: dict[str, NarrativeRow] = {}
    for n, row, parts in tab_rows(path):
        if len(parts) != 3:
            raise ValueError(f"{path}:{n}: expected file<TAB>narratives<TAB>subnarratives, got {row!r}")
        out[parts[0].strip()] = NarrativeRow(parts[0].strip(), _split(parts[1]), _split(parts[2]))
    return out


def write_annotations(path: Path, rows: Iterable[NarrativeRow]) -> int:
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        for r in rows:
            fh.write(f"{r.file}\t{';'.join(r.narratives)}\t{';'.join(r.subnarratives)}\n")
            n += 1
    return n


def read_documents(directory: Path) -> dict[str, str]:
    """Every ``*.txt`` of ``directory`` by file name, in name order, read with ``newline=""``
    (some of the task's offsets count ``\\r\\n`` as two characters)."""
    paths = sorted(p for p in directory.iterdir() if p.suffix == ".txt" and p.is_file())
    if not paths:
        raise FileNotFoundError(f"{directory}: no .txt documents")
    out: dict[str, str] = {}
    for p in paths:
        with p.open(encoding="utf-8", newline="") as fh:
            out[p.name] = fh.read()
    return out


def predict_narratives(docs_dir: Path, out: Path, *, model_dir: Path | None = None) -> int:
    """Predict narratives and subnarratives for every document of ``docs_dir`` into ``out``."""
    from unspun.narratives.model import load_narrative_model

    model = load_narrative_model(model_dir)
    rows = []
    for name, text in read_documents(docs_dir).items():
        pred = model.predict(text)
        rows.append(NarrativeRow(name, pred.narratives, pred.subnarratives))
    return write_annotations(out, rows)


__all__ = ["NarrativeRow", "predict_narratives", "read_annotations", "read_documents", "write_annotations"]
