"""A test-only analyzer, registered when this module is imported (``batch --plugin``).

It takes ``UNSPUN_SLOW_SECONDS`` per article, so a test can kill a batch in the middle, and
marks the first word so each stored result has spans to check. ``UNSPUN_SLOW_VERSION``
lets a test bump its version; with ``UNSPUN_SLOW_ALLOW_EXIT`` set, an article saying
EXIT-WORKER ends the worker process.
"""

from __future__ import annotations

import os
import time

from unspun.article import Analysis
from unspun.pipeline import BaseAnalyzer, register_analyzer


class SlowAnalyzer(BaseAnalyzer):
    name = "slow"
    version = os.environ.get("UNSPUN_SLOW_VERSION", "1")
    assigns = ("spans:first-word", "labels:parity")
    default = False

    def __call__(self, analysis: Analysis) -> None:
        time.sleep(float(os.environ.get("UNSPUN_SLOW_SECONDS", "0")))
        text = analysis.text
        start = len(text) - len(text.lstrip())
        end = start
        while end < len(text) and not text[end].isspace():
            end += 1
        analysis.add_span(start, end, "first-word", analyzer=self.name)
        analysis.add_span(start, start + 1, "first-char", analyzer=self.name, score=0.5)
        parity = "even" if len(text) % 2 == 0 else "odd"
        analysis.add_label("parity", parity, 1.0, analyzer=self.name)
        if "FAIL-ME" in text:
            raise RuntimeError("asked to fail")
        if "EXIT-WORKER" in text and os.environ.get("UNSPUN_SLOW_ALLOW_EXIT"):
            # As an out-of-memory kill would: the process is gone, no exception to catch.
            os._exit(3)


register_analyzer("slow", SlowAnalyzer)
