"""Model load time and mentions per second of the role model, with and without the parse.

Run: ``.venv/bin/python benchmarks/roles_speed.py [--data ../shared/data/semeval2025]``

Uses the English test documents and mentions of SemEval-2025 Task 10 subtask 1 when the
data is present (only counts and timings are printed, never text); it has no labels, so
this measures speed only. Without the data it exits with a note.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from unspun.roles.files import read_documents, read_mentions
from unspun.roles.model import RoleModel
from unspun.roles.semeval import predict_mentions

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data", type=Path, default=REPO.parent / "shared" / "data" / "semeval2025"
    )
    args = parser.parse_args()
    test = args.data / "EN" / "test"
    if not (test / "subtask-1-entity-mentions.txt").is_file():
        sys.exit(f"{test} is absent: nothing to time")
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    with threadpool_limits(limits=1):
        t = time.perf_counter()
        model = RoleModel.load()
        load_s = time.perf_counter() - t
        mentions = read_mentions(test / "subtask-1-entity-mentions.txt")
        docs = read_documents(test / "subtask-1-documents")
        out: dict[str, object] = {
            "mentions": len(mentions),
            "documents": len(docs),
            "load_s": round(load_s, 3),
        }
        t = time.perf_counter()
        predict_mentions(mentions, docs, model)
        out["no_parse_mentions_per_s"] = round(len(mentions) / (time.perf_counter() - t), 1)
        from unspun.roles.parsing import parse_text

        t = time.perf_counter()
        predict_mentions(mentions, docs, model, parser=parse_text)
        out["with_parse_mentions_per_s"] = round(len(mentions) / (time.perf_counter() - t), 1)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
