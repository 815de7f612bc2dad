"""Adam (Kingma and Ba, 2015), written out: the arithmetic of torch.optim.Adam on a CPU, in its order
(a test checks that the two agree to the last bit).

torch.optim's optimizers import torch._dynamo, and with it sympy, the first time one takes a step: 70 MB
and 1.5 s of CPU in every training process, which compiles nothing. A server's memory limit counts
those 70 MB (see `memory.py`); this optimizer imports nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch


class Adam:
    def __init__(
        self,
        parameters: Iterable[torch.Tensor],
        learning_rate: float,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        self.parameters = list(parameters)
        self.learning_rate, self.betas, self.eps = learning_rate, betas, eps
        self.steps = [0] * len(self.parameters)  # per parameter: one without a gradient is not stepped
        self.averages = [torch.zeros_like(p, memory_format=torch.preserve_format) for p in self.parameters]
        self.squares = [torch.zeros_like(p, memory_format=torch.preserve_format) for p in self.parameters]

    def zero_grad(self) -> None:
        for parameter in self.parameters:
            parameter.grad = None

    @torch.no_grad()
    def step(self) -> None:
        beta1, beta2 = self.betas
        for n, parameter in enumerate(self.parameters):
            if parameter.grad is None:
                continue
            self.steps[n] += 1
            gradient, average, square = parameter.grad, self.averages[n], self.squares[n]
            average.lerp_(gradient, 1 - beta1)  # the running mean of the gradient
            square.mul_(beta2).addcmul_(gradient, gradient, value=1 - beta2)  # ... and of its square
            step_size = self.learning_rate / (
                1 - beta1 ** self.steps[n]
            )  # both corrected for their start at 0
            denominator = (square.sqrt() / (1 - beta2 ** self.steps[n]) ** 0.5).add_(self.eps)
            parameter.addcdiv_(average, denominator, value=-step_size)
