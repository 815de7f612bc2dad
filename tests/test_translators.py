"""The table of translators and everything made from it: pickers, the registry's files, the charts'
legends and styles, the results file, the remake commands; and a name nobody declared fails loudly."""

import json
from dataclasses import replace
from pathlib import Path

import pytest

from rnn_demo.app import models, resources, training_settings
from rnn_demo.core.model import MODEL_KINDS
from rnn_demo.figures.bottleneck_chart import quality_by_length
from rnn_demo.lessons import bottleneck
from rnn_demo.lessons.alignment import ATTENTION, MODEL1
from rnn_demo.training import train as train_module
from rnn_demo.training.checkpoint import CHECKPOINTS_DIR
from rnn_demo.training.registry import ModelKey
from rnn_demo.training.translators import (
    BOTTLENECK_MODELS,
    BOTTLENECK_TRANSLATORS,
    BOTTLENECK_WIDER,
    PICKER_MODELS,
    SHIPPED_MODELS,
    TRANSLATORS,
    WORD_BY_WORD,
    sized_name,
    translator,
)

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_translator_has_its_own_id_and_every_chart_its_own_names_and_looks():
    assert len({t.id for t in TRANSLATORS}) == len(TRANSLATORS)
    assert [translator(t.id) for t in TRANSLATORS] == list(TRANSLATORS)
    legend = [t.name for t in BOTTLENECK_TRANSLATORS]
    assert len(set(legend)) == len(legend)
    looks = [(t.style.dash, t.style.symbol) for t in BOTTLENECK_TRANSLATORS]
    assert len(set(looks)) == len(looks)
    assert WORD_BY_WORD.config is None and all(t.config is not None for t in SHIPPED_MODELS)


def test_a_name_nobody_declared_fails_loudly():
    with pytest.raises(KeyError, match="no translator 'RNN'"):
        translator("RNN")  # a name shown, not an id
    styles = {t.name: t.style for t in BOTTLENECK_TRANSLATORS}
    with pytest.raises(KeyError, match="no line style for RNN, 640 hidden units"):
        quality_by_length(["3–5"], {"RNN": [90.0], "RNN, 640 hidden units": [95.0]}, styles, "t", "y")
    with pytest.raises(ValueError, match="no model"):
        _ = WORD_BY_WORD.checkpoint


def test_the_wider_rnn_is_named_by_its_width_and_its_file_is_not():
    width = BOTTLENECK_WIDER.config.hidden_size
    assert BOTTLENECK_WIDER.name == f"RNN, {width} hidden units"
    assert sized_name(replace(BOTTLENECK_WIDER.config, hidden_size=128)) == "RNN, 128 hidden units"
    for model in SHIPPED_MODELS:  # a file name that says a width would lie once the width changes
        assert not any(ch.isdigit() for ch in model.file), model.file


def test_the_shipped_files_are_the_tables_and_nothing_else():
    assert resources.SHIPPED_CHECKPOINTS == {m.id: CHECKPOINTS_DIR / m.file for m in SHIPPED_MODELS}
    assert {path.name for path in CHECKPOINTS_DIR.glob("*.safetensors")} == {m.file for m in SHIPPED_MODELS}


def test_the_pickers_offer_the_tables_models():
    assert list(models.MODEL_CHOICES) == [*(m.id for m in PICKER_MODELS), models.YOURS]
    assert models.MODEL_CHOICES["rnn"] == "Plain RNN (shipped)"
    assert models.DEFAULT_CHOICE == "rnn"
    assert training_settings.KIND_LABELS == {"rnn": "Plain RNN", "attention": "RNN + attention"}
    assert set(training_settings.KIND_LABELS) == set(MODEL_KINDS)


def test_a_model_trained_in_the_page_is_named_like_the_wider_rnn():
    key = ModelKey.trained("phrasebook", replace(BOTTLENECK_WIDER.config, hidden_size=96))
    assert key.description == "RNN, 96 hidden units"


def test_the_shipped_results_name_the_tables_translators():
    results = json.loads(bottleneck.RESULTS_PATH.read_text())
    assert {row["translator"] for row in results["rows"]} == {t.id for t in BOTTLENECK_TRANSLATORS}
    assert set(results["about"]["models"]) == {m.id for m in BOTTLENECK_MODELS}
    assert {row["aligner"] for row in results.get("alignment", [])} <= {ATTENTION, MODEL1}
    assert ATTENTION in {m.id for m in BOTTLENECK_MODELS} and MODEL1 == WORD_BY_WORD.id


def test_the_readme_remakes_every_shipped_model_by_its_id():
    for model in SHIPPED_MODELS:
        assert f"python -m rnn_demo.training.train --shipped {model.id} " in README, model.id


def test_training_a_shipped_model_takes_its_settings_and_its_file(monkeypatch, tmp_path):
    trained, saved = [], []

    class Trained:
        held_out_exact = 0.5
        history = [type("Report", (), {"elapsed_s": 1.0})]

    def fake_train(config, **kwargs):
        trained.append(config)
        return Trained()

    monkeypatch.setattr(train_module, "train", fake_train)
    monkeypatch.setattr(train_module, "save_checkpoint", lambda model, path: saved.append(Path(path)))
    train_module.main(["--shipped", BOTTLENECK_WIDER.id, "--seed", "3"])
    assert trained == [replace(BOTTLENECK_WIDER.config, seed=3)]
    assert saved == [BOTTLENECK_WIDER.checkpoint]
    train_module.main(["--shipped", "attention", "--out", str(tmp_path / "mine.safetensors")])
    assert trained[-1] == translator("attention").config and saved[-1] == tmp_path / "mine.safetensors"
    with pytest.raises(SystemExit):  # a name that is no shipped model's id
        train_module.main(["--shipped", "RNN + attention"])
