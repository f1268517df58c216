"""Training runs end to end on a tiny invented corpus with a tiny random encoder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.usefixtures("train_extra")


def test_train_end_to_end_then_load(tiny_semeval: Path, tiny_encoder: Path, tmp_path: Path) -> None:
    from unspun.persuasion.model import PersuasionModel
    from unspun.training.persuasion import TrainConfig, run

    out = tmp_path / "model"
    report = run(
        TrainConfig(
            data=tiny_semeval,
            out=out,
            encoder=str(tiny_encoder),
            folds=2,
            epochs=3,
            batch_size=8,
            min_support=1,
        )
    )
    assert {"config.json", "thresholds.json", "tokenizer.json", "model.onnx", "cv_report.json"} <= {
        p.name for p in out.iterdir()
    }
    cv = report["cv"]
    assert cv["score_mode"] in cv["modes"]
    assert len(cv["modes"]["mean"]["folds"]) == 2
    thresholds = json.loads((out / "thresholds.json").read_text())
    assert set(thresholds["thresholds"]) == {"Loaded_Language", "Name_Calling-Labeling", "Doubt"}
    # The exported model loads in the torch-free runtime and returns one result per paragraph.
    model = PersuasionModel(out)
    found = model.detect(["The reckless gamble of the clowns.", "Rain fell."])
    assert len(found) == 2


def test_training_is_reproducible(tiny_semeval: Path, tiny_encoder: Path, tmp_path: Path) -> None:
    from unspun.training.persuasion import TrainConfig, load_oof, run

    outs = []
    for name in ("a", "b"):
        cfg = TrainConfig(
            data=tiny_semeval,
            out=tmp_path / name,
            encoder=str(tiny_encoder),
            folds=2,
            epochs=2,
            batch_size=8,
            min_support=1,
            final=False,
        )
        run(cfg)
        outs.append(load_oof(tmp_path / name / "oof.npz"))
    assert outs[0].keys() == outs[1].keys()
    for key in outs[0]:
        assert (outs[0][key][0] == outs[1][key][0]).all()
        assert (outs[0][key][2] == outs[1][key][2]).all()


def add_dev_split(lang: Path) -> Path:
    """A ``dev-a`` folder beside the training files, holding the same invented articles."""
    import shutil

    dev = lang / "dev-a"
    dev.mkdir()
    shutil.copytree(lang / "train-articles-subtask-3", dev / "articles-subtask-3")
    shutil.copytree(lang / "train-labels-subtask-3-spans", dev / "labels-subtask-3-spans")
    shutil.copy(lang / "train-labels-subtask-3.txt", dev / "labels-subtask-3.txt")
    return dev


def test_heads_over_a_shared_encoder_with_upper_layers_and_dev_a(
    tiny_semeval: Path, tiny_encoder: Path, tmp_path: Path
) -> None:
    """Format 2: the heads (one trained encoder layer inside) exported alone, thresholds
    fitted per language on dev-a, and the model run over the shared encoder's ONNX."""
    from unspun.persuasion.model import PersuasionModel
    from unspun.training.persuasion import TrainConfig, run

    add_dev_split(tiny_semeval)
    # The shared encoder: the tiny encoder's first layer, exported as the build script does.
    shared = tmp_path / "shared-encoder"
    shared.mkdir()
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    from build_multilingual_encoder import export_states

    export_states(tiny_encoder, 1, shared / "model.onnx")
    (shared / "tokenizer.json").write_bytes((tiny_encoder / "tokenizer.json").read_bytes())
    (shared / "config.json").write_text(
        json.dumps(
            {"name": "tiny-l1", "layers": 1, "hidden_size": 32, "max_tokens": 128,
             "model": "model.onnx", "tokenizer": "tokenizer.json"}
        )
    )  # fmt: skip
    out = tmp_path / "heads"
    report = run(
        TrainConfig(
            data=[tiny_semeval],
            out=out,
            encoder=str(tiny_encoder),
            folds=1,
            epochs=3,
            batch_size=8,
            min_support=1,
            layers=1,
            upper_layers=1,
            shared_encoder=shared,
        )
    )
    config = json.loads((out / "config.json").read_text())
    assert config["format"] == 2 and config["encoder"] == "tiny-l1" and config["languages"] == ["en"]
    assert "model.onnx" not in {p.name for p in out.iterdir()}
    dev = report["dev"]
    assert dev["chosen"]["languages"]["en"]["paragraphs"] == 56
    assert set(dev["settings"]) >= {"mean/language", "mean/language+article"}
    thresholds = json.loads((out / "thresholds.json").read_text())
    assert not thresholds["provisional"]
    assert set(thresholds.get("language_thresholds", {"en": 0})) == {"en"}
    # The heads run over the shared encoder's ONNX (found through "encoder_dir").
    (out / "encoder").symlink_to(shared)
    cfg = json.loads((out / "config.json").read_text())
    cfg["encoder_dir"] = "encoder"
    (out / "config.json").write_text(json.dumps(cfg))
    model = PersuasionModel(out)
    found = model.detect(["The reckless gamble of the clowns.", "Rain fell."], "en", [0, 0])
    assert len(found) == 2


def test_fit_thresholds_prefers_the_separating_cut() -> None:
    import numpy as np

    from unspun.training.persuasion import fit_thresholds

    scores = np.array([[0.9], [0.8], [0.3], [0.2], [0.1]], dtype=np.float32)
    gold = np.array([[1], [1], [0], [0], [0]], dtype=np.float32)
    (thr,) = fit_thresholds(scores, gold, beta=1.0, min_support=1)
    assert thr is not None and 0.3 < thr <= 0.8
    assert fit_thresholds(scores, gold, beta=1.0, min_support=5) == [None]


def test_clean_weight_fits_thresholds_for_rarer_techniques() -> None:
    import numpy as np

    from unspun.training.persuasion import fit_thresholds

    # A positive at 0.9 and one at 0.5, a technique-free paragraph at 0.6: counted once, the
    # best F1 takes all three (2/3 precision, F1 0.8); counted four times, as in text where
    # techniques are rarer, it takes only the 0.9 (F1 2/3 against 2*2/(2*2+4) = 0.5).
    scores = np.array([[0.9], [0.6], [0.5]], dtype=np.float32)
    gold = np.array([[1], [0], [1]], dtype=np.float32)
    (plain,) = fit_thresholds(scores, gold, beta=1.0, min_support=1)
    (shifted,) = fit_thresholds(scores, gold, beta=1.0, min_support=1, clean_weight=4.0)
    assert plain is not None and plain <= 0.5
    assert shifted is not None and 0.6 < shifted <= 0.9


def test_cli_trains_and_reuses_the_state_cache(
    tiny_semeval: Path, tiny_encoder: Path, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from unspun.training.cli import app

    cache = tmp_path / "states.npz"
    args = [
        "persuasion", "--data", str(tiny_semeval), "--encoder", str(tiny_encoder),
        "--folds", "2", "--epochs", "1", "--batch-size", "8", "--no-final",
        "--cache", str(cache),
    ]  # fmt: skip
    first = CliRunner().invoke(app, [*args, "-o", str(tmp_path / "a")])
    assert first.exit_code == 0, first.output
    assert cache.is_file()
    second = CliRunner().invoke(app, [*args, "-o", str(tmp_path / "b")])
    assert second.exit_code == 0, second.output
    assert "encoder states read from" in second.output
    assert (tmp_path / "b" / "cv_report.json").is_file()
    # Each fold's files, scored by the SemEval command, give that fold's figure of the report.

    from unspun.semeval.cli import app as semeval_app

    cv = json.loads((tmp_path / "b" / "cv_report.json").read_text(encoding="utf-8"))["cv"]
    folds = cv["modes"][cv["score_mode"]]["folds"]
    assert len(folds) == 2
    for fold in folds:
        stem = tmp_path / "b" / "folds" / f"fold-{fold['fold'] + 1}"
        scored = CliRunner().invoke(
            semeval_app,
            ["score", "--subtask", "3", "--json", f"{stem}.gold.txt", f"{stem}.pred.txt"],
        )
        assert scored.exit_code == 0, scored.output
        assert json.loads(scored.output)["micro_f1"] == pytest.approx(fold["micro_f1"])
