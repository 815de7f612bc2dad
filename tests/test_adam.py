"""Our Adam against torch's own (the reference), and the reason it exists: a training step that never
imports torch._dynamo."""

import subprocess
import sys
from pathlib import Path

import torch
from torch import nn

from rnn_demo.training.adam import Adam


def test_adam_takes_the_same_steps_as_torchs_to_the_last_bit():
    torch.manual_seed(0)
    ours_model = nn.Sequential(nn.Embedding(20, 8), nn.GRU(8, 16, batch_first=True))
    theirs_model = nn.Sequential(nn.Embedding(20, 8), nn.GRU(8, 16, batch_first=True))
    theirs_model.load_state_dict(ours_model.state_dict())
    start = ours_model[0].weight.detach().clone()
    ours, theirs = Adam(ours_model.parameters(), 0.01), torch.optim.Adam(theirs_model.parameters(), lr=0.01)
    tokens = torch.randint(0, 20, (4, 6))
    for step, rate in enumerate([0.01, 0.006, 0.003, 0.02, 0.001]):  # a schedule changes the rate
        ours.learning_rate = rate
        for group in theirs.param_groups:
            group["lr"] = rate
        for model, optimizer in ((ours_model, ours), (theirs_model, theirs)):
            optimizer.zero_grad()
            model(tokens)[0].pow(2).sum().backward()
            optimizer.step()
        for mine, reference in zip(ours_model.parameters(), theirs_model.parameters(), strict=True):
            assert torch.equal(mine, reference), f"step {step}"
    assert not torch.equal(ours_model[0].weight, start)  # and they moved


def test_a_parameter_without_a_gradient_is_left_alone():
    used, unused = nn.Parameter(torch.ones(3)), nn.Parameter(torch.ones(3))
    optimizer = Adam([used, unused], 0.1)
    (used * torch.tensor([1.0, -2.0, 0.0])).sum().backward()
    optimizer.step()
    # the first step moves each weight by the rate against its gradient's sign (a zero gradient: not at all)
    assert torch.allclose(used.detach(), torch.tensor([0.9, 1.1, 1.0]))
    assert torch.equal(unused.detach(), torch.ones(3)) and optimizer.steps == [1, 0]


def test_a_training_step_never_imports_torch_dynamo():
    script = (
        "import sys, torch\n"
        "from rnn_demo.core.model import EncoderDecoder, ModelConfig\n"
        "from rnn_demo.training import train\n"
        "model = EncoderDecoder(ModelConfig(10, 10, 8, 16))\n"
        "tensor = torch.tensor\n"
        "batch = (tensor([[4, 5]]), tensor([2]), tensor([[1, 6]]), tensor([[6, 2]]))\n"
        "loss_function = torch.nn.CrossEntropyLoss(ignore_index=0, reduction='sum')\n"
        "optimizer = train.Adam(model.parameters(), 0.01)\n"
        "print(train._train_step(model, optimizer, loss_function, batch, 0.01, False, 5.0)[1],\n"
        "      optimizer.steps[0], 'torch._dynamo' in sys.modules, 'sympy' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parents[1]
    printed = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True, timeout=120
    ).stdout.split()
    assert printed == ["2", "1", "False", "False"]  # two target tokens, one step, nothing compiled
