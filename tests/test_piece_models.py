"""A model of subword pieces (for real text): it trains, reads words split into pieces and writes
pieces joined back into words, keeps its pieces in its checkpoint, and its trace shows both."""

from dataclasses import replace

import pytest

from rnn_demo.core.translate import translate, translate_batch
from rnn_demo.data.corpus import generate_pairs
from rnn_demo.data.subwords import WORD_START, PieceVocabulary
from rnn_demo.training.checkpoint import checkpoint_bytes, checkpoint_from_bytes
from rnn_demo.training.config import PRESETS
from rnn_demo.training.train import train
from tests.trainings import SAME_ON_ANY_MACHINE


@pytest.fixture(scope="module")
def trained():
    pairs = generate_pairs(400, seed=11, min_words=3, max_words=6)
    config = replace(PRESETS["tiny"], vocabulary="pieces", epochs=1, time_budget_s=3600)  # 11 steps
    return train(config, data=(pairs[:350], pairs[350:]), **SAME_ON_ANY_MACHINE), pairs


def test_a_piece_model_learns_its_pieces_and_keeps_them_in_its_checkpoint(trained):
    model, _ = trained
    assert isinstance(model.source_vocab, PieceVocabulary) and isinstance(model.target_vocab, PieceVocabulary)
    assert any(token.startswith(WORD_START) for token in model.target_vocab.tokens)
    again = checkpoint_from_bytes(checkpoint_bytes(model))
    assert again.source_vocab == model.source_vocab and again.target_vocab == model.target_vocab
    assert isinstance(again.source_vocab, PieceVocabulary)


def test_its_trace_holds_the_pieces_read_and_the_words_of_each(trained):
    model, pairs = trained
    words = ["wir", "sind", "unbekanntwort", "."]
    trace = translate(model.model, words, model.source_vocab, model.target_vocab)
    pieces, word_of_piece = model.source_vocab.split(words)
    assert trace.source_tokens == pieces and trace.encoder_states.shape[0] == len(pieces)
    assert trace.word_of_source == word_of_piece and trace.source_words == words
    assert len(pieces) > len(words)  # the made-up word is split into several pieces
    # the words written are the pieces written, joined: never a piece mark in a word
    assert all(WORD_START not in word for word in trace.translation)
    assert trace.translation == model.target_vocab.join([t for t in trace.output_tokens if t != "<eos>"])
    # batched decoding writes the same words
    assert translate_batch(model.model, [words], model.source_vocab, model.target_vocab) == [
        trace.translation
    ]
