"""Checkpoints round-trip exactly, and anything else is refused with a clear reason, never run."""

import json
import pickle
from dataclasses import replace

import numpy as np
import pytest
import torch
from safetensors.torch import save

from rnn_demo.core.translate import translate
from rnn_demo.data.corpus import SEED_EXAMPLE
from rnn_demo.training.checkpoint import (
    CheckpointError,
    checkpoint_bytes,
    checkpoint_from_bytes,
    load_checkpoint,
)
from rnn_demo.training.config import PRESETS
from rnn_demo.training.train import train

SEED = list(SEED_EXAMPLE.key)


@pytest.fixture(scope="module", params=["rnn", "attention"])
def trained(request):
    return train(replace(PRESETS["tiny"], kind=request.param, time_budget_s=1, train_pairs=100))


def test_round_trip_gives_the_same_translation_and_states(trained, tmp_path):
    path = tmp_path / "model.safetensors"
    path.write_bytes(checkpoint_bytes(trained))
    loaded = load_checkpoint(path)
    assert loaded.config == trained.config
    assert loaded.source_vocab == trained.source_vocab and loaded.target_vocab == trained.target_vocab
    assert loaded.held_out_exact == trained.held_out_exact
    before = translate(trained.model, SEED, trained.source_vocab, trained.target_vocab)
    after = translate(loaded.model, SEED, loaded.source_vocab, loaded.target_vocab)
    assert before.output_tokens == after.output_tokens
    np.testing.assert_array_equal(before.encoder_states, after.encoder_states)


def _refused(data: bytes, reason: str) -> None:
    with pytest.raises(CheckpointError, match=reason):
        checkpoint_from_bytes(data)


def test_truncated_and_corrupted_files_are_refused(trained):
    data = checkpoint_bytes(trained)
    _refused(data[: len(data) // 2], "damaged or truncated")
    _refused(data[:5], "too short")
    _refused(b"\xff" * 8 + data[8:], "not a checkpoint")
    header_size = int.from_bytes(data[:8], "little")
    garbled = data[:8] + b"{" * header_size + data[8 + header_size :]
    _refused(garbled, "not JSON")


def test_foreign_files_are_refused(trained, tmp_path):
    _refused(b"", "too short")
    _refused(b"Hallo, ich bin keine Datei mit Gewichten.", "not a checkpoint")
    _refused(save({"weight": torch.zeros(3)}), "not written by this app")

    class Boom:
        def __reduce__(self):
            return (print, ("pickle code ran",))

    _refused(pickle.dumps({"model": Boom()}), "not a checkpoint")


def _with_metadata(trained, **changes) -> bytes:
    """Rewrite a checkpoint's header entries, keeping its weights."""
    data = checkpoint_bytes(trained)
    size = int.from_bytes(data[:8], "little")
    header = json.loads(data[8 : 8 + size])
    header["__metadata__"].update(changes)
    new_header = json.dumps(header).encode()
    new_header += b" " * (-len(new_header) % 8)
    return len(new_header).to_bytes(8, "little") + new_header + data[8 + size :]


def test_inconsistent_settings_are_refused(trained):
    config = trained.model.config.to_dict()
    _refused(_with_metadata(trained, model_config=json.dumps({**config, "hidden_size": 64})), "has shape")
    _refused(
        _with_metadata(trained, model_config=json.dumps({**config, "hidden_size": 10**6})), "hidden_size"
    )
    _refused(_with_metadata(trained, model_config="{not json"), "not valid JSON")
    vocab = trained.target_vocab.to_dict()
    _refused(
        _with_metadata(trained, target_vocab=json.dumps({"tokens": vocab["tokens"][:-1]})), "do not match"
    )
    _refused(_with_metadata(trained, source_vocab=json.dumps({"tokens": [1, 2]})), "vocabulary is invalid")
