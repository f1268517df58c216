"""Reading and writing subtask-1 files of SemEval-2025 Task 10 (entity framing).

Mentions: ``file<TAB>entity<TAB>start<TAB>end`` with ``end`` inclusive, so the entity is
``text[start:end + 1]``. Annotations and predictions add ``<TAB>main_role<TAB>fine_role...``.
Documents are read with ``newline=""``: some offsets count ``\\r\\n`` as two characters, and
universal-newline reading would shift every offset after the first line break.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# Subtask 1 and 2 share the task's document layout; one reader serves both.
from unspun.semeval.data import tab_rows
from unspun.semeval25.files import read_documents


@dataclass(frozen=True)
class Mention:
    """One entity mention; ``end`` is exclusive here (Python slicing), unlike in the files."""

    file: str
    entity: str
    start: int
    end: int
    main_role: str | None = None
    fine_roles: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, int, int]:
        """What the scorer matches gold and predicted rows on."""
        return (self.file, self.start, self.end)


def read_mentions(path: Path) -> list[Mention]:
    """The rows of a mention, annotation or prediction file, in file order.

    Four columns give unlabelled mentions; more give the main role and the fine roles.
    """
    out: list[Mention] = []
    for n, row, parts in tab_rows(path):
        if len(parts) < 4 or not (parts[2].strip().isdigit() and parts[3].strip().isdigit()):
            raise ValueError(
                f"{path}:{n}: expected file<TAB>entity<TAB>start<TAB>end[<TAB>roles...], got {row!r}"
            )
        labels = [p.strip() for p in parts[4:] if p.strip()]
        out.append(
            Mention(
                file=parts[0].strip(),
                entity=parts[1],
                start=int(parts[2]),
                end=int(parts[3]) + 1,
                main_role=labels[0] if labels else None,
                fine_roles=tuple(labels[1:]),
            )
        )
    return out


def write_mentions(path: Path, mentions: Iterable[Mention]) -> int:
    """Write rows in the task's layout (``end`` inclusive); returns how many."""
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        for m in mentions:
            cols = [m.file, m.entity, str(m.start), str(m.end - 1)]
            if m.main_role is not None:
                cols += [m.main_role, *m.fine_roles]
            fh.write("\t".join(cols) + "\n")
            n += 1
    return n


def locate(text: str, mention: Mention, *, slack: int = 12) -> tuple[int, int]:
    """Offsets that give the mention's entity string: its own, else the nearest match.

    A few training files are off by one or two characters past some point (eleven English
    rows), which would give the features a cut word; the nearest occurrence within
    ``slack`` characters fixes them. When there is none, the given offsets stand.
    """
    if text[mention.start : mention.end] == mention.entity or not mention.entity:
        return mention.start, mention.end
    lo = max(0, mention.start - slack)
    best: int | None = None
    i = text.find(mention.entity, lo, mention.end + slack + len(mention.entity))
    while i != -1:
        if best is None or abs(i - mention.start) < abs(best - mention.start):
            best = i
        i = text.find(mention.entity, i + 1, mention.end + slack + len(mention.entity))
    if best is None:
        return mention.start, mention.end
    return best, best + len(mention.entity)


def check_offsets(mentions: Iterable[Mention], documents: dict[str, str]) -> list[str]:
    """Problems with the rows: a missing document, or offsets that do not give the entity."""
    problems: list[str] = []
    for m in mentions:
        text = documents.get(m.file)
        if text is None:
            problems.append(f"{m.file}: no such document")
        elif text[m.start : m.end] != m.entity:
            problems.append(
                f"{m.file} {m.start}-{m.end - 1}: {text[m.start : m.end]!r} is not {m.entity!r}"
            )
    return problems


__all__ = ["Mention", "check_offsets", "locate", "read_documents", "read_mentions", "write_mentions"]
