"""The hidden-state map: batched encoder states against one sentence at a time, the map's coordinates
against numpy's own SVD, and the nearest sentences against hand-computed distances."""

import json

import numpy as np
import pytest
import torch

from rnn_demo.core.model import EncoderDecoder, ModelConfig
from rnn_demo.core.text import Vocabulary
from rnn_demo.core.translate import encoder_states_batch, translate
from rnn_demo.data.corpus import SEED_EXAMPLE, generate_pairs
from rnn_demo.figures.hidden_charts import _crosses, nearest_sentences, trajectory_figure, typical_distance


def small_model():
    torch.manual_seed(0)
    pairs = generate_pairs(60, seed=3, min_words=3, max_words=14)
    source_vocab = Vocabulary.build(list(p.key) for p in pairs)
    target_vocab = Vocabulary.build(list(p.target_tokens) for p in pairs)
    model = EncoderDecoder(ModelConfig(len(source_vocab), len(target_vocab), 8, 12)).eval()
    return model, source_vocab, target_vocab, [list(p.key) for p in pairs]


def test_batched_states_are_the_single_sentence_states():
    model, source_vocab, target_vocab, sentences = small_model()
    batch = [*sentences[:7], list(SEED_EXAMPLE.key), ["ganz", "unbekannte", "wörter"]]  # unknown words too
    assert len({len(sentence) for sentence in batch}) >= 5  # lengths differ: most of them are padded
    for batch_size in (256, 3):  # one batch, and batches that split the list
        states = encoder_states_batch(model, batch, source_vocab, batch_size=batch_size)
        assert len(states) == len(batch)
        for sentence, sentence_states in zip(batch, states, strict=True):
            alone = translate(model, sentence, source_vocab, target_vocab)
            assert sentence_states.shape == (len(sentence), 12)
            np.testing.assert_allclose(sentence_states, alone.encoder_states, atol=1e-6)
            np.testing.assert_allclose(sentence_states[-1], alone.context, atol=1e-6)


def test_an_empty_sentence_is_refused():
    model, source_vocab, _, _ = small_model()
    with pytest.raises(ValueError, match="empty"):
        encoder_states_batch(model, [["ich"], []], source_vocab)


def _tanh_states(lengths, h=6, seed=0):
    """Correlated states in -1..1 like a GRU's, one (T, h) array per sentence."""
    rng = np.random.default_rng(seed)
    mixing = rng.normal(size=(3, h))
    return [np.tanh(rng.normal(size=(t, 3)) * [2.0, 1.0, 0.3] @ mixing) for t in lengths]


def test_one_trace_per_sentence_with_a_point_per_token():
    lengths = [4, 1, 7, 3]
    states = _tanh_states(lengths)
    tokens = [[f"w{n}_{t}" for t in range(length)] for n, length in enumerate(lengths)]
    sentences = [" ".join(words) for words in tokens]
    figure = trajectory_figure(sentences, tokens, states)
    assert len(figure.data) == len(lengths)
    for trace, length, sentence in zip(figure.data, lengths, sentences, strict=True):
        assert len(trace.x) == len(trace.y) == len(trace.text) == length
        assert sentence in trace.name
        sizes = list(trace.marker.size)
        assert sizes[-1] > max(sizes[:-1], default=0)  # the context vector is drawn larger
        assert trace.marker.symbol[-1] != trace.marker.symbol[0] or length == 1


def test_the_map_is_the_first_two_principal_components():
    model, source_vocab, _, sentences = small_model()
    states = encoder_states_batch(model, sentences[:10], source_vocab)
    figure = trajectory_figure([" ".join(s) for s in sentences[:10]], sentences[:10], states)

    # the reference: numpy's SVD of all token states, centred
    stacked = np.concatenate(states).astype(np.float64)  # (sum T_i, H); the model's are float32
    centred = stacked - stacked.mean(axis=0)
    u, singular_values, _ = np.linalg.svd(centred, full_matrices=False)
    reference = u[:, :2] * singular_values[:2]  # (sum T_i, 2) = centred @ the first two directions
    drawn = np.column_stack(
        [
            np.concatenate([trace.x for trace in figure.data]),
            np.concatenate([trace.y for trace in figure.data]),
        ]
    )  # (sum T_i, 2), the sentences one after another
    for axis in range(2):  # each component's sign is a convention
        sign = np.sign(drawn[:, axis] @ reference[:, axis])
        np.testing.assert_allclose(drawn[:, axis], sign * reference[:, axis], atol=1e-9)

    shares = singular_values**2 / (singular_values**2).sum()
    assert figure.layout.xaxis.title.text == f"PC1 ({100 * shares[0]:.0f}% of variance)"
    assert figure.layout.yaxis.title.text == f"PC2 ({100 * shares[1]:.0f}% of variance)"


def test_typed_text_stays_plain_in_the_figure():
    tokens = [["<b>fett</b>", "<script>"], ["ok", "&"]]
    figure = trajectory_figure(["<b>fett</b> <script>", "ok &"], tokens, _tanh_states([2, 2]))
    spec = json.dumps(figure.to_plotly_json())
    assert "<script>" not in spec and "<b>fett" not in spec
    assert "&lt;b&gt;fett" in spec


def test_which_lines_pass_through_a_label_box_by_hand():
    box, half = np.array([[0.0, 0.0]]), np.array([1.0, 1.0])  # the square from (-1, -1) to (1, 1)
    segments = {
        "across": ((-2, 0), (2, 0), True),
        "upright, through": ((0, -5), (0, 5), True),
        "diagonal": ((-2, -2), (2, 2), True),
        "starts inside": ((0.5, 0.5), (9, 9), True),
        "above": ((-2, 2), (2, 2), False),
        "upright, beside": ((3, -5), (3, 5), False),
        "stops short": ((-5, 0), (-2, 0), False),
        "misses a corner": ((0, 2.5), (2.5, 0), False),
    }
    for name, (start, end, expected) in segments.items():
        crosses = _crosses(box, half, np.array([start], dtype=float), np.array([end], dtype=float))
        assert bool(crosses[0]) is expected, name


def test_labels_never_pile_onto_one_spot():
    # two sentences with the very same states: every label must find its own place, or none
    states = _tanh_states([6], seed=4) * 2
    tokens = [["ich", "habe", "das", "buch", "gelesen", "."]] * 2
    figure = trajectory_figure(["a", "b"], tokens, states)
    placed = [
        (round(x, 9), round(y, 9), position)
        for trace in figure.data
        for x, y, text, position in zip(trace.x, trace.y, trace.text, trace.textposition, strict=True)
        if text
    ]
    assert len(placed) == len(set(placed))
    assert any(text == "<b>1</b>" for text in figure.data[0].text)  # context vectors by their number


def test_nearest_sentences_by_hand():
    # final states (the last rows): (0, 0), (3, 4), (1, 0), (0, -2)
    states = [
        np.array([[9.0, 9.0], [0.0, 0.0]]),
        np.array([[3.0, 4.0]]),
        np.array([[5.0, 5.0], [7.0, 7.0], [1.0, 0.0]]),
        np.array([[0.0, -2.0]]),
    ]
    sentences = ["null", "fünf", "eins", "zwei"]
    assert nearest_sentences(sentences, states, chosen=0, n=2) == [
        {"sentence": "eins", "distance": 1.0},
        {"sentence": "zwei", "distance": 2.0},
    ]
    rows = nearest_sentences(sentences, states, chosen=1, n=5)
    assert [row["sentence"] for row in rows] == ["eins", "null", "zwei"]  # never the sentence itself
    assert rows[0]["distance"] == pytest.approx(20**0.5)
    # pairwise distances: 5, 1, 2, √20, √45, √5 -> median of the six
    assert typical_distance(states) == pytest.approx(np.median([5, 1, 2, 20**0.5, 45**0.5, 5**0.5]))
