"""Substance analyzers: who is quoted, which sources are leaned on, what is counted, who acts.

Each analyzer lives in its own module and registers through the ``unspun.analyzers`` entry
points; they share one spaCy parse per article (:mod:`unspun.substance.nlp`).
"""

from __future__ import annotations

import sys

# spaCy's thinc imports torch whenever it is installed (the `train` extra), for GPU and
# torch-wrapped layers that these CPU pipelines never use: 1.8 s of a cold `unspun analyze`.
# Hide torch while spaCy loads; thinc then records it as absent and later imports of torch
# (training) are unaffected.
if "spacy" not in sys.modules and "torch" not in sys.modules:
    sys.modules["torch"] = None  # type: ignore[assignment]
    try:
        import spacy  # noqa: F401
    finally:
        del sys.modules["torch"]
