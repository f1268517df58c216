"""Persuasion techniques (SemEval-2023 Task 3 subtask 3) found in an article's paragraphs.

Inference runs on ONNX Runtime with a fast tokenizer and numpy; the model ships inside the
package under ``resources/models/persuasion`` and is trained by :mod:`unspun.training`.
"""

from __future__ import annotations

from unspun.persuasion.analyzer import PARAGRAPH_TASK, PersuasionAnalyzer
from unspun.persuasion.decode import DecodeConfig, Detection
from unspun.persuasion.model import PersuasionModel, default_model_dir, load_model

__all__ = [
    "PARAGRAPH_TASK",
    "DecodeConfig",
    "Detection",
    "PersuasionAnalyzer",
    "PersuasionModel",
    "default_model_dir",
    "load_model",
]
