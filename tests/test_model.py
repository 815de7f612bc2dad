"""The encoder–decoder and its trace, checked against the GRU equations, torch's softmax and properties."""

import functools
import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from rnn_demo.core.model import EncoderDecoder, ModelConfig
from rnn_demo.core.text import BOS_ID, EOS_ID, PAD_ID, SPECIAL_TOKENS, Vocabulary
from rnn_demo.core.translate import (
    MAX_BEAM_WIDTH,
    attention_batch,
    max_output_length,
    translate,
    translate_batch,
)
from rnn_demo.data.corpus import SEED_EXAMPLE, generate_pairs
from rnn_demo.training.config import PRESETS, TrainConfig, Watched
from rnn_demo.training.train import CHECK_SIZE, held_out_exact_match, train, watched_held_out
from tests.trainings import SAME_ON_ANY_MACHINE, last_reported_translations, moved_from_the_start

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
    width = 24 if kind == "attention" else 12  # the bidirectional encoder: two states of 12 per token
    assert encoder_states.shape == (2, 4, width) and context.shape == (2, width)
    assert model.decoder.initial_state(context).shape == (2, 12)
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
    encoder = model.encoder
    grus = (
        [encoder.forward_gru, encoder.backward_gru, model.decoder.cell]
        if kind == "attention"
        else [encoder.gru, model.decoder.gru]
    )
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


def torch_bidirectional_copy(encoder) -> torch.nn.GRU:
    """torch's own bidirectional GRU with the weights of our forward and backward GRUs."""
    reference = torch.nn.GRU(
        encoder.forward_gru.input_size, encoder.forward_gru.hidden_size, batch_first=True, bidirectional=True
    )
    with torch.no_grad():
        for name, weight in encoder.forward_gru.named_parameters():
            getattr(reference, name).copy_(weight)
            getattr(reference, f"{name}_reverse").copy_(getattr(encoder.backward_gru, name))
    return reference


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("lengths", [[4], [6, 3, 1], [2, 7, 7, 5]])
def test_the_bidirectional_encoder_is_torchs_bidirectional_gru(seed, lengths):
    """Our forward and backward GRUs over each sentence's real tokens give what torch's
    nn.GRU(bidirectional=True) gives over the packed batch: the annotations [forward; backward] at
    every real token (zero at padding), and the summary [forward's last; backward's first]."""
    model, _, _ = small_model("attention", seed=seed)
    generator = torch.Generator().manual_seed(seed)
    vocab_size = model.config.source_vocab_size
    sentences = [torch.randint(4, vocab_size, (n,), generator=generator).tolist() for n in lengths]
    source_ids, source_lengths = padded(sentences)
    reference = torch_bidirectional_copy(model.encoder)
    with torch.no_grad():
        annotations, summary = model.encoder(source_ids, source_lengths)
        embedded = model.encoder.embedding(source_ids)
        packed = pack_padded_sequence(embedded, source_lengths, batch_first=True, enforce_sorted=False)
        expected_packed, final = reference(packed)  # final (2, B, H): forward's last, backward's first
        expected, _ = pad_packed_sequence(expected_packed, batch_first=True, total_length=source_ids.shape[1])
    torch.testing.assert_close(annotations, expected)
    torch.testing.assert_close(summary, torch.cat([final[0], final[1]], dim=1))
    for n, length in enumerate(lengths):
        assert torch.all(annotations[n, length:] == 0)
        torch.testing.assert_close(summary[n, 12:], annotations[n, 0, 12:])  # backward, at the first token


def test_the_rnnsearch_decoder_starts_from_the_backward_state_and_predicts_from_state_context_and_word():
    """Bahdanau et al. (2014): s_0 = tanh(W_s h_1 backward); at each step the weights come from
    s_{i-1}, the context c_i is the weighted sum of the annotations, s_i = GRU([E y_{i-1}; c_i], s_{i-1}),
    and the logits are W_o [s_i; c_i; E y_{i-1}] + b. Computed here step by step from the weights."""
    model, _, _ = small_model("attention")
    decoder = model.decoder
    source_ids, lengths = padded([[5, 6, 7, 8, 9]])
    previous = [1, 5, 6]
    with torch.no_grad():
        annotations, summary = model.encoder(source_ids, lengths)
        state = torch.tanh(decoder.start.weight @ annotations[0, 0, 12:] + decoder.start.bias)
        torch.testing.assert_close(decoder.initial_state(summary)[0], state)
        logits, states, weights = decoder(
            torch.tensor([previous]), state[None], summary, annotations, source_ids != PAD_ID
        )
        attention = decoder.attention
        for step, token in enumerate(previous):
            keys = annotations[0] @ attention.key.weight.T + attention.key.bias  # (T, H)
            energy = torch.tanh((attention.query.weight @ state)[None] + keys) @ attention.score.weight[0]
            step_weights = torch.softmax(energy, dim=0)
            torch.testing.assert_close(weights[0, step], step_weights)
            context = step_weights @ annotations[0]  # (2H,)
            word = decoder.embedding.weight[token]
            state = decoder.cell(torch.cat([word, context])[None], state[None])[0]
            torch.testing.assert_close(states[0, step], state)
            expected = decoder.output.weight @ torch.cat([state, context, word]) + decoder.output.bias
            torch.testing.assert_close(logits[0, step], expected)


def test_the_plain_decoder_follows_the_gru_equations_with_the_context_at_every_step():
    """Decoder step u: h_u = GRU([embedding(y_u-1); c], h_u-1) from h_0 = c, and the logits are
    W [h_u; c] + b (Cho et al. 2014), computed here by hand from the weights."""
    model, _, _ = small_model()
    decoder = model.decoder
    w_ir, w_iz, w_in = decoder.gru.weight_ih_l0.detach().chunk(3)
    w_hr, w_hz, w_hn = decoder.gru.weight_hh_l0.detach().chunk(3)
    b_ir, b_iz, b_in = decoder.gru.bias_ih_l0.detach().chunk(3)
    b_hr, b_hz, b_hn = decoder.gru.bias_hh_l0.detach().chunk(3)
    context = torch.linspace(-0.9, 0.9, 12)
    previous = [1, 5, 6]  # BOS, then two tokens
    with torch.no_grad():
        logits, states, _ = decoder(torch.tensor([previous]), context[None], context[None], None, None)
    h = context
    for step, token in enumerate(previous):
        x = torch.cat([decoder.embedding.weight[token].detach(), context])
        reset = torch.sigmoid(w_ir @ x + b_ir + w_hr @ h + b_hr)
        update = torch.sigmoid(w_iz @ x + b_iz + w_hz @ h + b_hz)
        candidate = torch.tanh(w_in @ x + b_in + reset * (w_hn @ h + b_hn))
        h = (1 - update) * candidate + update * h
        torch.testing.assert_close(states[0, step], h)
        expected = decoder.output.weight.detach() @ torch.cat([h, context]) + decoder.output.bias.detach()
        torch.testing.assert_close(logits[0, step], expected)


def test_only_the_context_vector_crosses_to_the_plain_decoder():
    """The bottleneck: with the same context vector, any other encoder states give the same output;
    and the context is read at every step, not only as the first state."""
    model, _, _ = small_model()
    source_ids, lengths = padded([[5, 6, 7, 8]])
    previous = torch.tensor([[1, 5, 6, 7]])
    with torch.no_grad():
        encoder_states, context = model.encoder(source_ids, lengths)
        mask = source_ids != PAD_ID
        logits, _, _ = model.decoder(previous, context, context, encoder_states, mask)
        other_states = torch.randn_like(encoder_states)
        same, _, _ = model.decoder(previous, context, context, other_states, mask)
        # the same first state with another context vector: the later steps change too
        changed, _, _ = model.decoder(previous, context, torch.randn_like(context), encoder_states, mask)
    torch.testing.assert_close(same, logits)
    assert not torch.allclose(changed[0, 1:], logits[0, 1:], atol=1e-3)


@pytest.mark.parametrize("kind", ["rnn", "attention"])
def test_the_trace_is_consistent(kind):
    model, source_vocab, target_vocab = small_model(kind)
    trace = translate(model, SEED, source_vocab, target_vocab)
    T, U = len(SEED), len(trace.output_tokens)
    width = 24 if kind == "attention" else 12  # forward and backward states side by side
    assert trace.encoder_states.shape == (T, width) and trace.decoder_states.shape == (U, 12)
    if kind == "rnn":
        np.testing.assert_allclose(trace.context, trace.encoder_states[-1])
    else:  # the forward state after the last token, the backward state after the first
        np.testing.assert_allclose(trace.context[:12], trace.encoder_states[-1, :12])
        np.testing.assert_allclose(trace.context[12:], trace.encoder_states[0, 12:])
    probabilities = torch.softmax(torch.from_numpy(trace.logits), dim=1).numpy()
    for step in range(U):
        best = int(probabilities[step].argmax())  # greedy takes the argmax
        assert trace.output_tokens[step] == target_vocab.token_of(best)
        expected = sorted(probabilities[step], reverse=True)[:5]
        np.testing.assert_allclose([p for _, p in trace.top_tokens[step]], expected, rtol=1e-5)
        assert trace.top_tokens[step][0][0] == trace.output_tokens[step]
    if kind == "rnn":  # the logits are the output layer applied to [decoder state; context vector]
        states = torch.from_numpy(trace.decoder_states)
        context = torch.from_numpy(trace.context).expand(U, -1)
        with torch.no_grad():
            recomputed = model.decoder.output(torch.cat([states, context], dim=1))
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
        first_state = model.decoder.initial_state(context)
        _, _, weights = model.decoder(
            torch.tensor([[1, 5], [1, 6]]), first_state, context, encoder_states, source_ids != PAD_ID
        )
    assert torch.all(weights[1, :, 2:] == 0)
    torch.testing.assert_close(weights.sum(dim=2), torch.ones(2, 2))


def test_greedy_single_and_batch_agree_and_beam_width_is_bounded():
    model, source_vocab, target_vocab = small_model()
    sentences = [list(p.key) for p in generate_pairs(6, seed=2)]
    batch = translate_batch(model, sentences, source_vocab, target_vocab, batch_size=4)
    for sentence, output in zip(sentences, batch, strict=True):
        assert translate(model, sentence, source_vocab, target_vocab).translation == output
    widest = translate(model, SEED, source_vocab, target_vocab, beam_width=MAX_BEAM_WIDTH).output_tokens
    # it ends at its first <eos>, or stops at the length cap (this untrained model never ends)
    eos, cap = target_vocab.token_of(EOS_ID), max_output_length(len(SEED))
    assert len(widest) <= cap and eos not in widest[:-1]
    assert widest[-1] == eos or len(widest) == cap
    with pytest.raises(ValueError):
        translate(model, SEED, source_vocab, target_vocab, beam_width=MAX_BEAM_WIDTH + 1)


def full_pass_log_probs(model, source_ids: list[int]) -> Callable[[tuple[int, ...]], torch.Tensor]:
    """`next_log_probs(prefix)`: the log-probabilities of the token after BOS + prefix, from a full
    forward pass over the whole prefix (teacher forcing), not from decoder states carried along. Each
    prefix is scored once: beams of every width share them."""
    source, lengths = torch.tensor([source_ids]), torch.tensor([len(source_ids)])

    @functools.cache
    def next_log_probs(prefix: tuple[int, ...]) -> torch.Tensor:
        with torch.no_grad():
            logits = model(source, lengths, torch.tensor([[BOS_ID, *prefix]]))  # (1, U, V)
        return torch.log_softmax(logits[0, -1], dim=0)

    return next_log_probs


def reference_beam_search(
    next_log_probs: Callable[[tuple[int, ...]], torch.Tensor], width: int, max_length: int
) -> list[int]:
    """Beam search as the README describes it, written out plainly: keep the `width` best hypotheses
    by mean log-probability per token, each live one extended by its `width` likeliest next tokens,
    finished ones (ending in EOS) kept as they are. Every score comes from `full_pass_log_probs`."""
    beams = [(0.0, (), False)]  # (sum of log-probabilities, tokens, finished)
    for _ in range(max_length):
        if all(finished for _, _, finished in beams):
            break
        candidates = [beam for beam in beams if beam[2]]
        for score, tokens, finished in beams:
            if not finished:
                best = next_log_probs(tokens).topk(width)
                for log_prob, token in zip(best.values.tolist(), best.indices.tolist(), strict=True):
                    candidates.append((score + log_prob, (*tokens, token), token == EOS_ID))
        candidates.sort(key=lambda beam: beam[0] / len(beam[1]), reverse=True)
        beams = candidates[:width]
    return list(beams[0][1])


@pytest.fixture(params=["rnn", "attention"])
def half_trained(request, half_trained_tiny):
    """A model early in its training: unsure enough that every beam width finds another translation,
    of lengths from one token to the limit."""
    return half_trained_tiny(request.param)


def test_beam_search_keeps_the_best_hypotheses_by_mean_log_probability(half_trained):
    model = half_trained.model
    source_vocab, target_vocab = half_trained.source_vocab, half_trained.target_vocab
    outputs = set()
    sentences = ["ich habe das buch gelesen .", "er liest ein buch .", "wir besuchen heute das museum ."]
    for sentence in (SEED, *(s.split() for s in sentences)):
        next_log_probs = full_pass_log_probs(model, source_vocab.encode(sentence))
        for width in range(1, MAX_BEAM_WIDTH + 1):
            expected = reference_beam_search(next_log_probs, width, max_output_length(len(sentence)))
            trace = translate(model, sentence, source_vocab, target_vocab, beam_width=width)
            assert trace.output_tokens == [target_vocab.token_of(i) for i in expected], (sentence, width)
            outputs.add(tuple(trace.output_tokens))
    assert len(outputs) >= 6  # the widths do not all agree, so the comparison tells them apart


def test_a_tiny_model_learns_twenty_pairs_perfectly():
    """60 passes (120 steps), the same on any machine. Seeds 0 to 9 all learned every pair by 30."""
    pairs = generate_pairs(20, seed=5, min_words=3, max_words=6, unique=True)
    config = TrainConfig(
        embedding_size=32,
        hidden_size=64,
        learning_rate=1e-2,
        batch_size=10,
        train_pairs=20,
        max_words=6,
        time_budget_s=3600,
        epochs=60,
        seed=0,
    )
    trained = train(config, data=(pairs, pairs), **SAME_ON_ANY_MACHINE)
    assert trained.history[-1].step == 60 * 2  # by its passes, not by any time
    assert held_out_exact_match(trained, pairs) == 1.0
    # A second right translation of a sentence, as real corpora have, is another reference: the
    # sentence still counts once, and as right. A wrong reference alone makes it wrong.
    alternative = replace(pairs[0], english=("Something", "else", "."))
    assert held_out_exact_match(trained, pairs + [alternative]) == 1.0
    assert held_out_exact_match(trained, [alternative] + pairs[1:]) == 19 / 20


def test_a_corpus_with_more_words_than_the_bound_keeps_the_most_frequent(monkeypatch):
    import rnn_demo.training.train as train_module

    monkeypatch.setattr(train_module, "MAX_VOCAB_WORDS", 12)
    pairs = generate_pairs(200, seed=1, min_words=3, max_words=6)
    one_epoch = replace(PRESETS["tiny"], epochs=1, time_budget_s=3600)
    trained = train(one_epoch, data=(pairs, pairs[:10]), **SAME_ON_ANY_MACHINE)
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
        replace(PRESETS["tiny"], time_budget_s=300),
        on_progress=on_progress,
        stop=stop,
        report_every_s=0.0,
        **SAME_ON_ANY_MACHINE,
    )
    assert trained.stopped_early
    assert trained.history[-1].step == stopped_at_step[0]  # not one more step after the flag was set
    # the model kept is the one trained: moved from where it started, and as its final report saw it
    assert moved_from_the_start(trained, at_least=1e-3)
    reported, translated_now = last_reported_translations(trained)
    assert translated_now == reported


def test_bad_training_settings_are_refused():
    with pytest.raises(ValueError, match="hidden size"):
        TrainConfig(hidden_size=5000)
    with pytest.raises(ValueError, match="model kind"):
        ModelConfig(10, 10, kind="transformer")


def test_the_watched_held_out_sentences_go_from_short_to_long_without_repeats():
    pairs = generate_pairs(60, seed=4, min_words=3, max_words=10)
    watched = watched_held_out(pairs, count=3)
    by_text = {pair.german_text: pair for pair in pairs}
    lengths = [by_text[w.german].word_count for w in watched]
    assert lengths == sorted(lengths) and lengths[0] == min(p.word_count for p in pairs)
    assert lengths[-1] == max(p.word_count for p in pairs)
    assert len({w.german for w in watched}) == 3
    for w in watched:  # every right translation of the sentence is a reference, its alternatives too
        assert set(w.references) == {r for p in pairs if p.key == w.tokens for r in p.target_references}
    assert len(watched_held_out(pairs[:1], count=3)) == 1  # one sentence is not watched three times


def test_a_training_reports_the_watched_sentences_at_every_check_and_checks_all_held_out_at_the_end(
    monkeypatch,
):
    import rnn_demo.training.train as train_module

    checked_sizes = []
    original = train_module.held_out_exact_match

    def counting(trained, pairs):
        checked_sizes.append(len(pairs))
        return original(trained, pairs)

    monkeypatch.setattr(train_module, "held_out_exact_match", counting)
    pairs = generate_pairs(400, seed=3, min_words=3, max_words=6)
    train_pairs, held_out = pairs[:250], pairs[250:]
    on_screen = Watched("Hast du das Buch gelesen?", ("hast", "du", "das", "buch", "gelesen", "?"), ())
    config = replace(PRESETS["tiny"], time_budget_s=2, epochs=None)
    # one thread, and a clock that moves 10 ms each time it is read, not with the machine: the same
    # steps and checks on any machine
    ticks = itertools.count(0, 0.01)
    trained = train(
        config,
        data=(train_pairs, held_out),
        check_every_s=0.3,
        watch=[on_screen],
        threads=lambda: 1,
        clock=lambda: next(ticks),
    )
    references: dict[str, set] = {}
    for pair in held_out:
        references.setdefault(pair.german_text, set()).update(pair.target_references)
    checks = [p for p in trained.history if p.samples]
    assert len(checks) >= 2
    for progress in checks:
        assert progress.samples[0].german == "Hast du das Buch gelesen?"
        assert progress.samples[0].right is None  # no reference given
        assert len(progress.samples) == 1 + 3  # and three held-out sentences
        for sample in progress.samples[1:]:
            assert sample.right == (sample.translation in references[sample.german])
    assert checked_sizes[:-1] and set(checked_sizes[:-1]) == {CHECK_SIZE}  # a cheap check while training
    assert checked_sizes[-1] == len(held_out)  # all of them at the end


def test_attention_read_with_teacher_forcing_is_the_attention_of_the_same_words_decoded():
    """Reading a model's own greedy translation back (teacher forcing) gives, word for word, the
    attention it had while decoding it; batched, padding changes nothing."""
    model, source_vocab, target_vocab = small_model("attention")
    sentences = [SEED, SEED[:4], list(generate_pairs(1, seed=5)[0].key)]
    traces = [translate(model, sentence, source_vocab, target_vocab) for sentence in sentences]
    written = [[t for t in trace.output_tokens if t != "<eos>"] or ["<unk>"] for trace in traces]
    read = attention_batch(model, sentences, written, source_vocab, target_vocab)
    for trace, words, weights in zip(traces, written, read, strict=True):
        assert weights.shape == (len(words), len(trace.source_tokens))
        np.testing.assert_allclose(weights, trace.attention[: len(words)], atol=1e-5)
    with pytest.raises(ValueError, match="only the attention model"):
        attention_batch(small_model("rnn")[0], sentences, written, source_vocab, target_vocab)
