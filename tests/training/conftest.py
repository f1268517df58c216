"""Fixtures for training tests: a tiny invented corpus in the SemEval subtask-3 layout.

Every sentence is made up for these tests; none comes from the SemEval data.
"""

from __future__ import annotations

from pathlib import Path

import pytest

_LOADED = [
    "The {x} council unveiled its disastrous, shameful scheme on Monday.",
    "Critics called the {x} plan an outrageous betrayal of ordinary families.",
    "The {x} minister's reckless gamble will wreck the harbour economy.",
]
_NAME = [
    "The so-called experts at the {x} institute were wrong again.",
    "Those {x} clowns in the assembly voted for the bill.",
]
_NEUTRAL = [
    "The {x} committee will meet again on Thursday afternoon.",
    "Rainfall in the {x} valley was close to the seasonal average.",
    "The {x} library extended its opening hours by one hour.",
    "A new bus route connects the {x} station with the hospital.",
]
_PLACES = ["northern", "river", "coastal", "eastern", "hill", "lake", "market", "old"]
_SPANS = {
    "disastrous, shameful scheme": "Loaded_Language",
    "outrageous betrayal": "Loaded_Language",
    "reckless gamble": "Loaded_Language",
    "so-called experts": "Name_Calling-Labeling",
    "clowns": "Name_Calling-Labeling",
}
TECHNIQUES = ["Loaded_Language", "Name_Calling-Labeling", "Doubt"]


def write_tiny_semeval(root: Path, articles: int = 8) -> Path:
    """Write ``articles`` invented articles with labels; returns the language dir."""
    lang = root / "en"
    arts = lang / "train-articles-subtask-3"
    spans_dir = lang / "train-labels-subtask-3-spans"
    arts.mkdir(parents=True)
    spans_dir.mkdir()
    (root / "labels").mkdir()
    (root / "labels" / "techniques_subtask3.txt").write_text(
        "\n".join(TECHNIQUES) + "\n", encoding="utf-8"
    )
    label_rows: list[str] = []
    for a in range(articles):
        aid = str(900000 + a)
        place = _PLACES[a % len(_PLACES)]
        lines = [f"News from the {place} district"]
        pool = _LOADED + _NAME + _NEUTRAL
        for j in range(6):
            lines.append(pool[(a * 3 + j) % len(pool)].format(x=place))
        text = lines[0] + "\n\n" + "\n".join(lines[1:]) + "\n"
        (arts / f"article{aid}.txt").write_text(text, encoding="utf-8", newline="")
        span_rows: list[str] = []
        pos = 0
        for lineno, line in enumerate(text.split("\n"), start=1):
            techs: list[str] = []
            for phrase, tech in _SPANS.items():
                at = line.find(phrase)
                if at >= 0:
                    span_rows.append(f"{aid}\t{tech}\t{pos + at}\t{pos + at + len(phrase)}")
                    techs.append(tech)
            if line.strip():
                label_rows.append(f"{aid}\t{lineno}\t{','.join(sorted(set(techs)))}")
            pos += len(line) + 1
        (spans_dir / f"article{aid}-labels-subtask-3.txt").write_text(
            "".join(r + "\n" for r in span_rows), encoding="utf-8"
        )
    (lang / "train-labels-subtask-3.txt").write_text("\n".join(label_rows) + "\n", encoding="utf-8")
    return lang


def write_tiny_encoder(target: Path, tokenizer_json: Path) -> Path:
    """A randomly initialised 2-layer BERT with the given fast tokenizer, as an HF dir."""
    from tokenizers import Tokenizer
    from transformers import BertConfig, BertModel

    cfg = BertConfig(
        vocab_size=Tokenizer.from_file(str(tokenizer_json)).get_vocab_size(),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=512,
    )
    BertModel(cfg).save_pretrained(str(target))
    (target / "tokenizer.json").write_bytes(tokenizer_json.read_bytes())
    return target


@pytest.fixture
def tiny_semeval(tmp_path: Path) -> Path:
    return write_tiny_semeval(tmp_path / "data")


@pytest.fixture
def tiny_encoder(tmp_path: Path, train_extra: None) -> Path:
    from unspun.encoder import default_encoder_dir

    tokenizer = default_encoder_dir() / "tokenizer.json"
    if not tokenizer.is_file():
        pytest.skip("the shipped encoder's tokenizer.json is absent")
    import torch

    torch.manual_seed(0)
    return write_tiny_encoder(tmp_path / "encoder", tokenizer)

