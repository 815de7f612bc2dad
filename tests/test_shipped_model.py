"""The model shipped with the app loads without running code and translates held-out sentences."""

from rnn_demo.app.resources import SHIPPED_CHECKPOINTS
from rnn_demo.data.corpus import SEED_EXAMPLE, generate_pairs
from rnn_demo.training.checkpoint import load_checkpoint
from rnn_demo.training.sentences import phrasebook_training_keys
from rnn_demo.training.train import held_out_exact_match

HELD_OUT_SEED = 20_261_125  # not a seed any training uses


def test_the_shipped_rnn_scores_at_least_95_percent_on_unseen_sentences_of_up_to_10_words():
    path = SHIPPED_CHECKPOINTS["rnn"]
    assert path.stat().st_size <= 5 * 2**20
    trained = load_checkpoint(path)
    assert trained.model.config.kind == "rnn"
    training = phrasebook_training_keys(trained.config)  # the sentences it was trained on, made again
    unseen = [
        pair
        for pair in generate_pairs(1500, seed=HELD_OUT_SEED, min_words=3, max_words=10)
        if pair.key not in training
    ][:1000]
    assert len(unseen) == 1000 and trained.config.max_words >= 10
    assert max(pair.word_count for pair in unseen) == 10
    assert held_out_exact_match(trained, unseen) >= 0.95
    assert held_out_exact_match(trained, [SEED_EXAMPLE]) == 1.0
