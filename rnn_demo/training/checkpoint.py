"""Checkpoints: weights in safetensors, with the config and both vocabularies as JSON in its header.

safetensors holds only tensors and string metadata, so loading a file can never run code (unlike
pickle). Everything read back is checked before a model is built from it: the file may be an upload.
"""

from __future__ import annotations

import json
import os
from dataclasses import fields
from pathlib import Path

import torch
from safetensors import SafetensorError
from safetensors.torch import load, save

from rnn_demo.core.model import EncoderDecoder, ModelConfig, device
from rnn_demo.data.subwords import vocabulary_from_dict
from rnn_demo.training.config import TrainConfig, TrainedModel

# Format 2: the plain decoder reads the context vector at every step (format 1's read it only as its
# first state). Format 3: the attention model is RNNsearch, with a bidirectional encoder (format 2's
# read left to right only); the plain RNN did not change, so a format-2 plain RNN still loads. Weights
# of one kind do not fit the other, so an earlier file is refused with the reason.
FORMAT = "rnn-demo-checkpoint/3"
EARLIER_FORMATS = {
    "rnn-demo-checkpoint/1": (
        "this model file was made by an earlier version of this app, whose plain RNN decoder was given "
        "the context vector only at its first step; this version gives it to every step, so the old "
        "weights do not fit. Train the model again here and download it anew"
    ),
}
# Formats whose files still load, except for the kinds named: kind -> why not
STILL_READ = {
    "rnn-demo-checkpoint/2": {
        "attention": (
            "this attention model was made by an earlier version of this app, whose encoder read the "
            "sentence left to right only; this version's attention model reads it both ways "
            "(a bidirectional encoder, as in Bahdanau et al. 2014), so the old weights do not fit. "
            "Train the model again here and download it anew"
        ),
    },
}
CHECKPOINTS_DIR = Path(__file__).resolve().parents[1] / "checkpoints"  # the shipped models
MAX_CHECKPOINT_BYTES = 50 * 1024 * 1024


class CheckpointError(ValueError):
    """A file that is not a checkpoint of this app, or a damaged one; the message says which."""


def checkpoint_bytes(trained: TrainedModel) -> bytes:
    state = {name: tensor.detach().cpu().contiguous() for name, tensor in trained.model.state_dict().items()}
    metadata = {
        "format": FORMAT,
        "model_config": json.dumps(trained.model.config.to_dict()),
        "train_config": json.dumps(trained.config.to_dict()),
        "source_vocab": json.dumps(trained.source_vocab.to_dict(), ensure_ascii=False),
        "target_vocab": json.dumps(trained.target_vocab.to_dict(), ensure_ascii=False),
        "held_out_exact": json.dumps(trained.held_out_exact),
    }
    return save(state, metadata=metadata)


def save_checkpoint(trained: TrainedModel, path: str | os.PathLike) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_bytes(checkpoint_bytes(trained))


def load_checkpoint(path: str | os.PathLike) -> TrainedModel:
    path = Path(path)
    if path.stat().st_size > MAX_CHECKPOINT_BYTES:
        raise CheckpointError(f"the file is over the {MAX_CHECKPOINT_BYTES // 2**20} MB checkpoint limit")
    return checkpoint_from_bytes(path.read_bytes())


def _header(data: bytes) -> dict:
    """The safetensors JSON header, read by hand: it holds the metadata, and reading it first gives a
    clear message for a file that is not safetensors at all."""
    if len(data) < 8:
        raise CheckpointError("the file is too short to be a checkpoint")
    size = int.from_bytes(data[:8], "little")
    if not 2 <= size <= min(len(data) - 8, 10 * 2**20):
        raise CheckpointError("this is not a checkpoint file of this app (no safetensors header found)")
    try:
        header = json.loads(data[8 : 8 + size].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise CheckpointError("this is not a checkpoint file of this app (its header is not JSON)") from None
    if not isinstance(header, dict):
        raise CheckpointError("this is not a checkpoint file of this app (its header is not a JSON object)")
    return header


def _json_field(metadata: dict, name: str) -> object:
    if name not in metadata:
        raise CheckpointError(f"the checkpoint has no '{name}' entry")
    try:
        return json.loads(metadata[name])
    except (TypeError, json.JSONDecodeError):
        raise CheckpointError(f"the checkpoint's '{name}' entry is not valid JSON") from None


def _config(cls, data: object, name: str):
    names = {f.name for f in fields(cls)}
    if not isinstance(data, dict) or set(data) != names:
        raise CheckpointError(f"the checkpoint's {name} does not have the expected fields")
    try:
        return cls(**data)
    except (TypeError, ValueError) as error:
        raise CheckpointError(f"the checkpoint's {name} is invalid: {error}") from None


def checkpoint_from_bytes(data: bytes) -> TrainedModel:
    """Validate and load a checkpoint; raises CheckpointError with a readable reason."""
    if len(data) > MAX_CHECKPOINT_BYTES:
        raise CheckpointError(f"the file is over the {MAX_CHECKPOINT_BYTES // 2**20} MB checkpoint limit")
    metadata = _header(data).get("__metadata__")
    if isinstance(metadata, dict) and metadata.get("format") in EARLIER_FORMATS:
        raise CheckpointError(EARLIER_FORMATS[metadata["format"]])
    if not isinstance(metadata, dict) or metadata.get("format") not in {FORMAT, *STILL_READ}:
        raise CheckpointError("this safetensors file was not written by this app (its format tag is missing)")
    model_config = _config(ModelConfig, _json_field(metadata, "model_config"), "model settings")
    refused_kinds = STILL_READ.get(metadata["format"], {})
    if model_config.kind in refused_kinds:
        raise CheckpointError(refused_kinds[model_config.kind])
    train_config = _config(TrainConfig, _json_field(metadata, "train_config"), "training settings")
    try:
        source_vocab = vocabulary_from_dict(_json_field(metadata, "source_vocab"))
        target_vocab = vocabulary_from_dict(_json_field(metadata, "target_vocab"))
    except ValueError as error:
        raise CheckpointError(f"the checkpoint's vocabulary is invalid: {error}") from None
    if (len(source_vocab), len(target_vocab)) != (
        model_config.source_vocab_size,
        model_config.target_vocab_size,
    ):
        raise CheckpointError("the checkpoint's vocabularies do not match its model settings")
    try:
        state = load(data)
    except (SafetensorError, ValueError, RuntimeError) as error:
        raise CheckpointError(f"the checkpoint's weights are damaged or truncated ({error})") from None

    model = EncoderDecoder(model_config)
    expected = model.state_dict()
    if set(state) != set(expected):
        missing, extra = sorted(set(expected) - set(state)), sorted(set(state) - set(expected))
        raise CheckpointError(
            f"the checkpoint's weights do not fit the model (missing {missing[:3]}, unexpected {extra[:3]})"
        )
    for name, tensor in state.items():
        if tensor.shape != expected[name].shape or tensor.dtype != expected[name].dtype:
            raise CheckpointError(
                f"weight '{name}' has shape {tuple(tensor.shape)} {tensor.dtype}; the model "
                f"needs {tuple(expected[name].shape)} {expected[name].dtype}"
            )
        if not torch.isfinite(tensor).all():
            raise CheckpointError(f"weight '{name}' contains NaN or infinite values")
    model.load_state_dict(state)
    model.to(device()).eval()
    held_out = _json_field(metadata, "held_out_exact") if "held_out_exact" in metadata else None
    recorded = float(held_out) if isinstance(held_out, (int, float)) and 0 <= held_out <= 1 else None
    return TrainedModel(model, source_vocab, target_vocab, train_config, recorded_exact=recorded)
