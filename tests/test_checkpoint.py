"""Checkpoints round-trip exactly, and anything else is refused with a clear reason, never run."""

import json
import pickle
import re
from dataclasses import replace

import numpy as np
import pytest
import torch
from safetensors.torch import save

from rnn_demo.core.model import EncoderDecoder, ModelConfig
from rnn_demo.core.text import SPECIAL_TOKENS, Vocabulary
from rnn_demo.core.translate import translate
from rnn_demo.data.corpus import SEED_EXAMPLE
from rnn_demo.training.checkpoint import (
    MAX_CHECKPOINT_BYTES,
    CheckpointError,
    checkpoint_bytes,
    checkpoint_from_bytes,
    load_checkpoint,
)
from rnn_demo.training.config import PRESETS, TrainedModel

SEED = list(SEED_EXAMPLE.key)


@pytest.fixture(params=["rnn", "attention"])
def trained(request, half_trained_tiny):
    return half_trained_tiny(request.param)


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


def test_foreign_files_are_refused():
    _refused(b"", "too short")
    _refused(b"Hallo, ich bin keine Datei mit Gewichten.", "not a checkpoint")
    _refused(save({"weight": torch.zeros(3)}), "not written by this app")


def test_a_pickle_is_refused_without_running_its_code(tmp_path):
    ran = tmp_path / "pickle code ran"

    class Boom:
        def __reduce__(self):
            return (exec, (f"open({str(ran)!r}, 'w').close()",))

    payload = pickle.dumps({"model": Boom()})
    pickle.loads(payload)  # the payload is live: unpickling it runs its code
    assert ran.exists()
    ran.unlink()
    _refused(payload, "not a checkpoint")
    assert not ran.exists()


def _padded_to(data: bytes, size: int) -> bytes:
    """The same checkpoint, `size` bytes long: its JSON header padded with spaces (still valid JSON)."""
    header_size = int.from_bytes(data[:8], "little")
    header, weights = data[8 : 8 + header_size], data[8 + header_size :]
    padding = b" " * (size - len(data))
    return (header_size + len(padding)).to_bytes(8, "little") + header + padding + weights


def test_a_model_file_of_50_mb_is_read_and_a_byte_more_is_refused(tmp_path):
    assert MAX_CHECKPOINT_BYTES == 50 * 2**20
    # a plain RNN with 1024 hidden units, embeddings of 128 and 1,000 words a language: 12.5 million
    # weights, 48 MB; its header is then padded to make the file 50 MB
    vocab = Vocabulary([*SPECIAL_TOKENS, *(f"wort{n}" for n in range(996))])
    model_config = ModelConfig(len(vocab), len(vocab), embedding_size=128, hidden_size=1024)
    config = replace(PRESETS["tiny"], hidden_size=1024, embedding_size=128)
    torch.manual_seed(0)
    wide = TrainedModel(EncoderDecoder(model_config), vocab, vocab, config)
    at_the_limit = _padded_to(checkpoint_bytes(wide), MAX_CHECKPOINT_BYTES)
    assert len(at_the_limit) == MAX_CHECKPOINT_BYTES
    path = tmp_path / "wide.safetensors"
    path.write_bytes(at_the_limit)
    assert load_checkpoint(path).model.config == model_config

    one_more = _padded_to(checkpoint_bytes(wide), MAX_CHECKPOINT_BYTES + 1)
    _refused(one_more, "over the 50 MB checkpoint limit")
    path.write_bytes(one_more)
    with pytest.raises(CheckpointError, match="over the 50 MB checkpoint limit"):
        load_checkpoint(path)


def _with_weights(trained, change) -> bytes:
    """A checkpoint with its header as written, and its weights changed by `change(weights)`."""
    data = checkpoint_bytes(trained)
    size = int.from_bytes(data[:8], "little")
    metadata = json.loads(data[8 : 8 + size])["__metadata__"]
    weights = {name: tensor.detach().clone() for name, tensor in trained.model.state_dict().items()}
    change(weights)
    return save(weights, metadata=metadata)


def test_weights_that_do_not_fit_the_model_are_refused(trained):
    name = "decoder.output.weight"
    assert checkpoint_from_bytes(_with_weights(trained, lambda weights: None)).config == trained.config

    def set_value(value):
        def change(weights):
            weights[name].view(-1)[3] = value

        return change

    _refused(_with_weights(trained, set_value(float("nan"))), f"weight '{name}' contains NaN or infinite")
    _refused(_with_weights(trained, set_value(float("inf"))), "contains NaN or infinite")
    _refused(_with_weights(trained, set_value(float("-inf"))), "contains NaN or infinite")

    def to_double(weights):
        weights[name] = weights[name].double()

    _refused(_with_weights(trained, to_double), "torch.float64; the model needs .* torch.float32")

    def renamed(weights):
        weights["renamed.weight"] = weights.pop(name)

    missing = rf"missing \['{re.escape(name)}'\]"
    _refused(_with_weights(trained, renamed), missing + r", unexpected \['renamed.weight'\]")

    def dropped(weights):
        del weights[name]

    _refused(_with_weights(trained, dropped), missing + r", unexpected \[\]")

    def extra(weights):
        weights["secret.payload"] = torch.zeros(4)

    _refused(_with_weights(trained, extra), r"missing \[\], unexpected \['secret.payload'\]")


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


def test_a_file_of_the_earlier_format_is_refused_with_the_reason(trained):
    """Format 1's plain decoder read the context vector only as its first state: its weights do not
    fit today's decoder, and the message says so (not just "damaged")."""
    old = _with_metadata(trained, format="rnn-demo-checkpoint/1")
    _refused(old, "earlier version of this app")
    _refused(old, "only at its first step")


def _earlier_attention_file(trained) -> bytes:
    """A format-2 attention checkpoint as the earlier version wrote it: a left-to-right encoder
    (`encoder.gru`), attention over its H-wide states, the output layer over [state; attended]."""
    config = trained.model.config
    hidden, embedding = config.hidden_size, config.embedding_size
    shapes = {
        "encoder.embedding.weight": (config.source_vocab_size, embedding),
        "encoder.gru.weight_ih_l0": (3 * hidden, embedding),
        "encoder.gru.weight_hh_l0": (3 * hidden, hidden),
        "encoder.gru.bias_ih_l0": (3 * hidden,),
        "encoder.gru.bias_hh_l0": (3 * hidden,),
        "decoder.embedding.weight": (config.target_vocab_size, embedding),
        "decoder.attention.query.weight": (hidden, hidden),
        "decoder.attention.key.weight": (hidden, hidden),
        "decoder.attention.key.bias": (hidden,),
        "decoder.attention.score.weight": (1, hidden),
        "decoder.cell.weight_ih": (3 * hidden, embedding + hidden),
        "decoder.cell.weight_hh": (3 * hidden, hidden),
        "decoder.cell.bias_ih": (3 * hidden,),
        "decoder.cell.bias_hh": (3 * hidden,),
        "decoder.output.weight": (config.target_vocab_size, 2 * hidden),
        "decoder.output.bias": (config.target_vocab_size,),
    }
    size = int.from_bytes(checkpoint_bytes(trained)[:8], "little")
    metadata = json.loads(checkpoint_bytes(trained)[8 : 8 + size])["__metadata__"]
    weights = {name: torch.zeros(shape) for name, shape in shapes.items()}
    return save(weights, metadata={**metadata, "format": "rnn-demo-checkpoint/2"})


def test_an_attention_model_of_the_earlier_kind_is_refused_with_the_reason_and_a_plain_rnn_still_loads(
    trained, tmp_path
):
    """Format 2's attention model read the sentence left to right only; today's reads it both ways
    (RNNsearch). Its file is refused with that reason, while a format-2 plain RNN, unchanged since,
    loads as it was."""
    if trained.model.config.kind == "attention":
        path = tmp_path / "earlier_attention.safetensors"
        path.write_bytes(_earlier_attention_file(trained))
        with pytest.raises(CheckpointError, match="read the sentence left to right only") as refused:
            load_checkpoint(path)
        assert "both ways" in str(refused.value) and "Train the model again" in str(refused.value)
    else:
        loaded = checkpoint_from_bytes(_with_metadata(trained, format="rnn-demo-checkpoint/2"))
        for name, weight in trained.model.state_dict().items():
            torch.testing.assert_close(loaded.model.state_dict()[name], weight.cpu())


def test_bad_training_settings_are_refused(trained):
    settings = trained.config.to_dict()
    for changes, says in [
        ({"hidden_size": 5000}, "training settings is invalid: hidden size must be from 4 to 1024"),
        ({"time_budget_s": -1}, "training settings is invalid: time budget must be more than 0"),
        ({"train_pairs": 10**9}, "training settings is invalid: training pairs must be from 20"),
        ({"embedding_size": "big"}, "training settings is invalid"),
        ({"run_this": "import os"}, "training settings does not have the expected fields"),
    ]:
        _refused(_with_metadata(trained, train_config=json.dumps({**settings, **changes})), says)
    del settings["seed"]
    _refused(_with_metadata(trained, train_config=json.dumps(settings)), "does not have the expected fields")
    _refused(_with_metadata(trained, train_config="[1, 2]"), "does not have the expected fields")
