"""The corpus views' default settings, apart from the code that uses them so that the CLI
can show them in ``--help`` without importing the data model."""

from __future__ import annotations

# Articles on one event are compared when their dates lie this many days apart at most.
DEFAULT_WINDOW_DAYS = 60
# The least match score at which two articles count as reporting the same event.
DEFAULT_MIN_SCORE = 0.1
