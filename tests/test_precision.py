"""Which precision a training runs its matrix products in: "auto" picks bfloat16 only where the CPU has
bfloat16 units and torch runs its AVX-512 kernels, as the README says; the CPU is imitated here."""

from dataclasses import replace

import pytest
import torch

import rnn_demo.training.train as train_module
from rnn_demo.data.corpus import generate_pairs
from rnn_demo.training.config import PRESETS
from tests.trainings import SAME_ON_ANY_MACHINE

# (torch's kernels, AMX tiles, AVX-512 BF16): whether "auto" trains in bfloat16 there
CPUS = [
    (("AVX512", True, False), True),  # a Xeon with AMX
    (("AVX512", False, True), True),  # AVX-512 BF16 (Cooper Lake, Zen 4)
    (("AVX512", False, False), False),  # AVX-512 without bfloat16 units
    (("AVX2", False, False), False),  # most laptops
    (("AVX2", True, True), False),  # units there, but torch told to run its AVX2 kernels
    (("DEFAULT", False, False), False),
]


def imitate(monkeypatch, kernels: str, amx: bool, avx512_bf16: bool) -> None:
    monkeypatch.setattr(torch.backends.cpu, "get_cpu_capability", lambda: kernels)
    monkeypatch.setattr(torch.cpu, "_is_amx_tile_supported", lambda: amx, raising=False)
    monkeypatch.setattr(torch.cpu, "_is_avx512_bf16_supported", lambda: avx512_bf16, raising=False)


@pytest.mark.parametrize(("cpu", "bfloat16"), CPUS, ids=["-".join(map(str, cpu)) for cpu, _ in CPUS])
def test_auto_is_bfloat16_only_with_the_units_and_the_kernels_for_them(monkeypatch, cpu, bfloat16):
    imitate(monkeypatch, *cpu)
    assert train_module.uses_bfloat16("auto") is bfloat16
    assert train_module.uses_bfloat16("float32") is False  # asked for: whatever the CPU
    assert train_module.uses_bfloat16("bfloat16") is True


@pytest.mark.parametrize("units", [True, False], ids=["bfloat16 units", "no bfloat16 units"])
def test_the_default_training_computes_in_bfloat16_where_the_cpu_has_the_units_else_in_float32(
    monkeypatch, units
):
    """What the model's output layer computes while the default preset's precision trains it."""
    assert PRESETS["default"].precision == "auto"
    assert PRESETS["shipped"].precision == "float32"  # the same model on any machine
    imitate(monkeypatch, "AVX512", units, units)
    seen = set()

    class Recorded(train_module.EncoderDecoder):
        def forward(self, *batch):
            logits = super().forward(*batch)
            seen.add(logits.dtype)
            return logits

    monkeypatch.setattr(train_module, "EncoderDecoder", Recorded)
    config = replace(PRESETS["tiny"], precision=PRESETS["default"].precision, epochs=1, time_budget_s=3600)
    pairs = generate_pairs(64, seed=2)
    train_module.train(config, data=(pairs, pairs[:8]), **SAME_ON_ANY_MACHINE)
    assert seen == {torch.bfloat16 if units else torch.float32}
