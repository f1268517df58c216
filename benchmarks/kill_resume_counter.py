"""A plugin for ``benchmarks/kill_resume.py`` (``batch --plugin kill_resume_counter``).

Registers the analyzer ``counted``, which appends the article's id to the file named by
``UNSPUN_COUNT_FILE`` each time it analyses an article: the lines count every analysis run,
those whose results a SIGKILL lost included.
"""

from __future__ import annotations

import os

from unspun.article import Analysis
from unspun.pipeline import BaseAnalyzer, register_analyzer


class CountedAnalyzer(BaseAnalyzer):
    name = "counted"
    version = "1"
    assigns = ("labels:counted",)
    default = False

    def __call__(self, analysis: Analysis) -> None:
        path = os.environ.get("UNSPUN_COUNT_FILE")
        if path:
            # One short write with O_APPEND: lines from several processes never interleave.
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, f"{analysis.article.id}\n".encode())
            finally:
                os.close(fd)
        analysis.add_label("counted", "yes", 1.0, analyzer=self.name)


register_analyzer("counted", CountedAnalyzer)
