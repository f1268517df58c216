"""Fixtures for the substance analyzers: fictional texts analysed in-process."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from unspun.article import Analysis
from unspun.substance.claims import ClaimAnalyzer
from unspun.substance.quotes import QuoteAnalyzer
from unspun.substance.sources import SourceAnalyzer

from ._support import run

Analyse = Callable[[str], Analysis]


@pytest.fixture
def quotes() -> Analyse:
    return lambda text: run(text, [QuoteAnalyzer()])


@pytest.fixture
def claims() -> Analyse:
    return lambda text: run(text, [ClaimAnalyzer()])


@pytest.fixture
def sources() -> Analyse:
    return lambda text: run(text, [SourceAnalyzer()])
