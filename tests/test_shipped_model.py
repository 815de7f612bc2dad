"""The models shipped with the app load without running code and translate held-out sentences."""

import pytest

from rnn_demo.app.resources import SHIPPED_CHECKPOINTS
from rnn_demo.data.corpus import SEED_EXAMPLE, SentencePair, generate_pairs
from rnn_demo.training.checkpoint import load_checkpoint
from rnn_demo.training.config import TrainConfig
from rnn_demo.training.sentence_maker import Plan
from rnn_demo.training.sentences import phrasebook_training_keys
from rnn_demo.training.train import held_out_exact_match

HELD_OUT_SEED = 20_261_125  # not a seed any training uses


_unseen: dict[Plan, list[SentencePair]] = {}


def unseen_sentences(config: TrainConfig) -> list[SentencePair]:
    """1,000 phrasebook pairs of 3 to 10 words that a training with `config` never saw. Its sentences
    are made again here, once for all the models trained on the same ones (the same plan)."""
    plan = Plan.of(config)
    if plan not in _unseen:
        training = phrasebook_training_keys(config)
        pairs = generate_pairs(1500, seed=HELD_OUT_SEED, min_words=3, max_words=10)
        _unseen[plan] = [pair for pair in pairs if pair.key not in training][:1000]
    return _unseen[plan]


@pytest.mark.parametrize("kind", ["rnn", "attention"])
def test_a_shipped_model_scores_at_least_95_percent_on_unseen_sentences_of_up_to_10_words(kind):
    path = SHIPPED_CHECKPOINTS[kind]
    trained = load_checkpoint(path)
    weights = sum(parameter.numel() for parameter in trained.model.parameters())
    # the file is its float32 weights and a small header (settings and vocabularies), nothing more
    assert 4 * weights < path.stat().st_size <= 4 * weights + 2**20
    assert trained.model.config.kind == kind
    unseen = unseen_sentences(trained.config)
    assert len(unseen) == 1000 and trained.config.max_words >= 10
    assert max(pair.word_count for pair in unseen) == 10
    assert held_out_exact_match(trained, unseen) >= 0.95
    assert held_out_exact_match(trained, [SEED_EXAMPLE]) == 1.0


def test_the_shipped_rnn_has_the_weights_the_readme_counts():
    """README: the default model, embedding 128 and hidden 256, 566 German and 365 English tokens,
    1,095,917 weights; counted here layer by layer."""
    model = load_checkpoint(SHIPPED_CHECKPOINTS["rnn"]).model
    embedding, hidden, german, english = 128, 256, 566, 365
    assert (model.config.embedding_size, model.config.hidden_size) == (embedding, hidden)
    assert (model.config.source_vocab_size, model.config.target_vocab_size) == (german, english)

    def gru(inputs: int) -> int:  # reset, update and candidate: input weights, state weights, 2 biases
        return 3 * hidden * (inputs + hidden) + 2 * 3 * hidden

    encoder = german * embedding + gru(embedding)
    # the decoder reads the word it wrote last beside the context vector, and predicts from
    # [state; context vector]
    decoder = english * embedding + gru(embedding + hidden) + (2 * hidden + 1) * english
    assert encoder + decoder == 1_095_917
    assert sum(weights.numel() for weights in model.state_dict().values()) == encoder + decoder
