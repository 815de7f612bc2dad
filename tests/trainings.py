"""How the tests train, and what they look at in a training.

`SAME_ON_ANY_MACHINE` are train()'s arguments for a training whose steps and sums do not depend on the
machine: one torch thread, and a clock that stands still (a time budget never ends it, its epochs or
its stop flag do; it checks and reports at every step if told to check or report every 0 s, else
only at its end). The rest tell a kept, trained model from one made again or one whose weights were
lost on the way.
"""

import torch

from rnn_demo.core.model import EncoderDecoder
from rnn_demo.core.translate import translate_batch
from rnn_demo.training.config import TrainedModel
from rnn_demo.training.sentences import phrasebook_held_out
from rnn_demo.training.train import watched_held_out

SAME_ON_ANY_MACHINE = {"threads": lambda: 1, "clock": lambda: 0.0}


def untrained_weights(trained: TrainedModel) -> dict[str, torch.Tensor]:
    """The weights a training with this seed starts from (train() seeds torch, then builds the model)."""
    torch.manual_seed(trained.config.seed)
    return EncoderDecoder(trained.model.config).state_dict()


def moved_from_the_start(trained: TrainedModel, at_least: float) -> bool:
    """Whether some weight is more than `at_least` away from where the training started."""
    start, now = untrained_weights(trained), trained.model.state_dict()
    return any((now[name] - start[name]).abs().max() > at_least for name in start)


def last_reported_translations(trained: TrainedModel) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """For a phrasebook training: the translations of its watched held-out sentences in its final
    report (made by the model where it trained), and the same sentences translated now by the model
    it returned. Equal if the model returned is the model as it was when the training ended."""
    watched = watched_held_out(phrasebook_held_out(trained.config))
    reported = [sample.translation for sample in trained.history[-1].samples]
    sentences = [w.tokens for w in watched]
    now = translate_batch(trained.model, sentences, trained.source_vocab, trained.target_vocab)
    return reported, [tuple(words) for words in now]
