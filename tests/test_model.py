"""The encoder–decoder and its trace, checked against the GRU equations, torch's softmax and properties."""

from collections import Counter
from dataclasses import replace

import numpy as np
import pytest
import torch

from rnn_demo.core.model import EncoderDecoder, ModelConfig
from rnn_demo.core.text import PAD_ID, SPECIAL_TOKENS, Vocabulary
from rnn_demo.core.translate import MAX_BEAM_WIDTH, translate, translate_batch
from rnn_demo.data.corpus import SEED_EXAMPLE, generate_pairs
from rnn_demo.training.config import PRESETS, TrainConfig
from rnn_demo.training.train import held_out_exact_match, train

SEED = list(SEED_EXAMPLE.key)


def small_model(kind: str = "rnn", seed: int = 0) -> tuple[EncoderDecoder, Vocabulary, Vocabulary]:
    torch.manual_seed(seed)
    pairs = generate_pairs(50, seed=1)
    source_vocab = Vocabulary.build([list(p.key) for p in pairs] + [SEED])
    target_vocab = Vocabulary.build(list(p.target_tokens) for p in pairs)
    model = EncoderDecoder(ModelConfig(len(source_vocab), len(target_vocab), 8, 12, kind)).eval()
    return model, source_vocab, target_vocab


def padded(sentences: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(map(len, sentences))
    ids = torch.tensor([s + [PAD_ID] * (width - len(s)) for s in sentences])
    return ids, torch.tensor([len(s) for s in sentences])


@pytest.mark.parametrize("kind", ["rnn", "attention"])
def test_shapes(kind):
    model, _, _ = small_model(kind)
    source_ids, lengths = padded([[5, 6, 7, 8], [9, 10]])
    encoder_states, context = model.encoder(source_ids, lengths)
    assert encoder_states.shape == (2, 4, 12) and context.shape == (2, 12)
    logits = model(source_ids, lengths, torch.tensor([[1, 5, 6], [1, 7, 0]]))
    assert logits.shape == (2, 3, model.config.target_vocab_size)


def test_context_is_the_last_real_state_and_padding_changes_nothing():
    model, _, _ = small_model()
    short, long = [5, 6, 7], [8, 9, 10, 11, 12, 13]
    with torch.no_grad():
        alone_states, alone_context = model.encoder(*padded([short]))
        batch_states, batch_context = model.encoder(*padded([long, short]))
    torch.testing.assert_close(batch_states[1, :3], alone_states[0])
    torch.testing.assert_close(batch_context[1], alone_context[0])
    torch.testing.assert_close(batch_context[1], batch_states[1, 2])  # after the last real token
    assert torch.all(batch_states[1, 3:] == 0)  # nothing is computed over padding


def test_one_encoder_step_follows_the_gru_equations():
    model, _, _ = small_model()
    gru = model.encoder.gru
    x = model.encoder.embedding.weight[5].detach()
    h = torch.zeros(12)
    w_ir, w_iz, w_in = gru.weight_ih_l0.detach().chunk(3)
    w_hr, w_hz, w_hn = gru.weight_hh_l0.detach().chunk(3)
    b_ir, b_iz, b_in = gru.bias_ih_l0.detach().chunk(3)
    b_hr, b_hz, b_hn = gru.bias_hh_l0.detach().chunk(3)
    with torch.no_grad():
        states, _ = model.encoder(*padded([[5, 6]]))
    for position, token in enumerate([5, 6]):
        x = model.encoder.embedding.weight[token].detach()
        reset = torch.sigmoid(w_ir @ x + b_ir + w_hr @ h + b_hr)
        update = torch.sigmoid(w_iz @ x + b_iz + w_hz @ h + b_hz)
        candidate = torch.tanh(w_in @ x + b_in + reset * (w_hn @ h + b_hn))
        h = (1 - update) * candidate + update * h
        torch.testing.assert_close(states[0, position], h)


@pytest.mark.parametrize("kind", ["rnn", "attention"])
def test_a_fresh_gru_leans_towards_keeping_its_state(kind):
    model, _, _ = small_model(kind)
    grus = [model.encoder.gru, model.decoder.cell if kind == "attention" else model.decoder.gru]
    for gru in grus:
        biases = dict(gru.named_parameters())
        b_ir, b_iz, b_in = biases.get("bias_ih_l0", biases.get("bias_ih")).detach().chunk(3)
        b_hr, b_hz, b_hn = biases.get("bias_hh_l0", biases.get("bias_hh")).detach().chunk(3)
        # with no input and no state the update gate is sigmoid(b_iz + b_hz): 1 / (1 + e^-1) = 0.7311
        update = torch.sigmoid(b_iz + b_hz)
        torch.testing.assert_close(update, torch.full((12,), 0.7311), atol=1e-4, rtol=0)
        # the reset and candidate biases keep torch's own initialisation, uniform in ±1/sqrt(H)
        for bias in (b_ir, b_in, b_hr, b_hn):
            assert bias.abs().max() <= 12**-0.5 and bias.std() > 0


@pytest.mark.parametrize("kind", ["rnn", "attention"])
def test_the_trace_is_consistent(kind):
    model, source_vocab, target_vocab = small_model(kind)
    trace = translate(model, SEED, source_vocab, target_vocab)
    T, U = len(SEED), len(trace.output_tokens)
    assert trace.encoder_states.shape == (T, 12) and trace.decoder_states.shape == (U, 12)
    np.testing.assert_allclose(trace.context, trace.encoder_states[-1])
    probabilities = torch.softmax(torch.from_numpy(trace.logits), dim=1).numpy()
    for step in range(U):
        best = int(probabilities[step].argmax())  # greedy takes the argmax
        assert trace.output_tokens[step] == target_vocab.token_of(best)
        expected = sorted(probabilities[step], reverse=True)[:5]
        np.testing.assert_allclose([p for _, p in trace.top_tokens[step]], expected, rtol=1e-5)
        assert trace.top_tokens[step][0][0] == trace.output_tokens[step]
    if kind == "rnn":  # the logits are the output layer applied to the decoder states
        with torch.no_grad():
            recomputed = model.decoder.output(torch.from_numpy(trace.decoder_states))
        np.testing.assert_allclose(recomputed.numpy(), trace.logits, rtol=1e-4, atol=1e-5)
        assert trace.attention is None
    else:
        assert trace.attention.shape == (U, T)
        np.testing.assert_allclose(trace.attention.sum(axis=1), 1, rtol=1e-5)


def test_attention_ignores_padding():
    model, _, _ = small_model("attention")
    source_ids, lengths = padded([[5, 6, 7, 8, 9], [10, 11]])
    with torch.no_grad():
        encoder_states, context = model.encoder(source_ids, lengths)
        _, _, weights = model.decoder(
            torch.tensor([[1, 5], [1, 6]]), context, encoder_states, source_ids != PAD_ID
        )
    assert torch.all(weights[1, :, 2:] == 0)
    torch.testing.assert_close(weights.sum(dim=2), torch.ones(2, 2))


def test_greedy_single_and_batch_agree_and_beam_width_is_bounded():
    model, source_vocab, target_vocab = small_model()
    sentences = [list(p.key) for p in generate_pairs(6, seed=2)]
    batch = translate_batch(model, sentences, source_vocab, target_vocab, batch_size=4)
    for sentence, output in zip(sentences, batch, strict=True):
        assert translate(model, sentence, source_vocab, target_vocab).translation == output
    trace = translate(model, SEED, source_vocab, target_vocab, beam_width=MAX_BEAM_WIDTH)
    assert trace.output_tokens
    with pytest.raises(ValueError):
        translate(model, SEED, source_vocab, target_vocab, beam_width=MAX_BEAM_WIDTH + 1)


def test_beam_search_finds_a_likelier_translation_than_greedy_or_the_same():
    model, source_vocab, target_vocab = small_model(seed=3)

    def log_probability(tokens: list[str]) -> float:
        source_ids, lengths = padded([source_vocab.encode(SEED)])
        target = target_vocab.encode(tokens)
        with torch.no_grad():
            logits = model(source_ids, lengths, torch.tensor([[1, *target[:-1]]]))
        return float(torch.log_softmax(logits[0], 1)[range(len(target)), target].sum())

    greedy = translate(model, SEED, source_vocab, target_vocab).output_tokens
    beam = translate(model, SEED, source_vocab, target_vocab, beam_width=4).output_tokens
    # beam search ranks by log-probability per token
    assert log_probability(beam) / len(beam) >= log_probability(greedy) / len(greedy) - 1e-4


def test_a_tiny_model_learns_twenty_pairs_perfectly():
    pairs = generate_pairs(20, seed=5, min_words=3, max_words=6, unique=True)
    config = TrainConfig(
        embedding_size=32,
        hidden_size=64,
        learning_rate=1e-2,
        batch_size=10,
        train_pairs=20,
        max_words=6,
        time_budget_s=60,
        target_exact_match=1.0,
        seed=0,
    )
    trained = train(config, data=(pairs, pairs), evaluate_every_s=0.5)
    assert held_out_exact_match(trained, pairs) == 1.0
    assert trained.history[-1].elapsed_s < 30
    # A second right translation of a sentence, as real corpora have, is another reference: the
    # sentence still counts once, and as right. A wrong reference alone makes it wrong.
    alternative = replace(pairs[0], english=("Something", "else", "."))
    assert held_out_exact_match(trained, pairs + [alternative]) == 1.0
    assert held_out_exact_match(trained, [alternative] + pairs[1:]) == 19 / 20


def test_a_corpus_with_more_words_than_the_bound_keeps_the_most_frequent(monkeypatch):
    import rnn_demo.training.train as train_module

    monkeypatch.setattr(train_module, "MAX_VOCAB_WORDS", 12)
    pairs = generate_pairs(200, seed=1, min_words=3, max_words=6)
    trained = train(replace(PRESETS["tiny"], time_budget_s=1), data=(pairs, pairs[:10]))
    counts = Counter(token for pair in pairs for token in pair.key)
    most_frequent = sorted(counts, key=lambda token: (-counts[token], token))[:12]
    assert trained.source_vocab.tokens == SPECIAL_TOKENS + tuple(most_frequent)
    assert len(trained.target_vocab) == 12 + len(SPECIAL_TOKENS)


def test_stop_ends_training_at_the_next_step_and_keeps_the_model():
    import threading

    stop = threading.Event()
    stopped_at_step = []

    def on_progress(progress):
        if progress.step >= 3 and not stop.is_set():
            stop.set()
            stopped_at_step.append(progress.step)

    trained = train(
        replace(PRESETS["tiny"], time_budget_s=300), on_progress=on_progress, stop=stop, report_every_s=0.0
    )
    assert trained.stopped_early
    assert trained.history[-1].step == stopped_at_step[0]  # not one more step after the flag was set
    assert translate(trained.model, SEED, trained.source_vocab, trained.target_vocab).output_tokens


def test_bad_training_settings_are_refused():
    with pytest.raises(ValueError, match="hidden size"):
        TrainConfig(hidden_size=5000)
    with pytest.raises(ValueError, match="model kind"):
        ModelConfig(10, 10, kind="transformer")
