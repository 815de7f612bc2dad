"""The shipped phrasebook dictionary is what its command makes, loads without running code, and glosses
the book's sentence; a file made with other settings is not used."""

import numpy as np

from rnn_demo.data.corpus import SEED_EXAMPLE
from rnn_demo.lessons import phrasebook_dictionary as shipped
from rnn_demo.lessons.gloss import gloss_sentence, phrasebook_lexicon


def test_the_shipped_file_is_what_the_command_makes():
    lexicon, pairs = shipped.from_bytes(shipped.PATH.read_bytes())
    learned, learned_pairs = phrasebook_lexicon()
    assert (lexicon.german, lexicon.english) == (learned.german, learned.english)
    np.testing.assert_allclose(lexicon.translation, learned.translation, rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(lexicon.occurrences, learned.occurrences)
    np.testing.assert_allclose(lexicon.fertility, learned.fertility, rtol=1e-9)
    assert (lexicon.min_count, lexicon.min_probability, lexicon.min_fertility) == (
        learned.min_count, learned.min_probability, learned.min_fertility
    )  # fmt: skip
    assert pairs == learned_pairs


def test_the_shipped_dictionary_glosses_the_books_sentence():
    lexicon, _ = shipped.phrasebook_dictionary()
    assert gloss_sentence(lexicon, SEED_EXAMPLE.german).line == "can you me help this sentence to translate"


def test_a_file_of_other_settings_or_none_means_learning_again(tmp_path, monkeypatch):
    learned = []
    monkeypatch.setattr(shipped, "phrasebook_lexicon", lambda: learned.append(True) or ("lexicon", []))
    monkeypatch.setattr(shipped, "FORMAT", shipped.FORMAT + 1)
    assert shipped.from_bytes(shipped.PATH.read_bytes()) is None
    assert shipped.phrasebook_dictionary(shipped.PATH) == ("lexicon", [])
    assert shipped.phrasebook_dictionary(tmp_path / "missing.npz") == ("lexicon", [])
    assert len(learned) == 2
