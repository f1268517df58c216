"""Narratives and subnarratives of SemEval-2025 Task 10 (war in Ukraine, climate change)."""

from __future__ import annotations

from unspun.narratives.analyzer import NarrativesAnalyzer
from unspun.narratives.model import NarrativeModel, NarrativePrediction, load_narrative_model

__all__ = ["NarrativeModel", "NarrativePrediction", "NarrativesAnalyzer", "load_narrative_model"]
