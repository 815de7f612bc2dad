"""Translate with a trained model, recording everything the figures show in one `Trace`.

`translate` handles one sentence (greedy or beam search) and keeps every internal state;
`translate_batch` decodes many sentences at once, greedily, for evaluation; `attention_batch` reads
given translations (teacher forcing) and returns where the attention model looked for each word, for
scoring its alignments; `encoder_states_batch` only encodes many sentences at once, for the
hidden-state map.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from rnn_demo.core.model import EncoderDecoder
from rnn_demo.core.text import BOS_ID, EOS, EOS_ID, PAD_ID, Vocabulary
from rnn_demo.core.trace import Trace

MAX_BEAM_WIDTH = 5
TOP_K = 5


def _encode_sources(
    model: EncoderDecoder, sources: Sequence[Sequence[str]], vocab: Vocabulary
) -> tuple[torch.Tensor, torch.Tensor]:
    device = next(model.parameters()).device
    ids = [vocab.encode(tokens) or [PAD_ID] for tokens in sources]  # an empty input reads as one PAD
    width = max(len(seq) for seq in ids)
    source_ids = torch.full((len(ids), width), PAD_ID, dtype=torch.long)
    for n, seq in enumerate(ids):
        source_ids[n, : len(seq)] = torch.tensor(seq)
    return source_ids.to(device), torch.tensor([len(seq) for seq in ids])


def max_output_length(source_length: int) -> int:
    """English phrasebook sentences are never more than twice as long as the German, plus a little."""
    return 2 * source_length + 5


@torch.no_grad()
def translate(
    model: EncoderDecoder,
    source_tokens: Sequence[str],
    source_vocab: Vocabulary,
    target_vocab: Vocabulary,
    beam_width: int = 1,
    top_k: int = TOP_K,
) -> Trace:
    """Translate one tokenized (lower-cased) sentence; beam_width 1 is greedy decoding. A vocabulary of
    subword pieces splits the words into pieces: the trace then holds the pieces, and the words."""
    if not 1 <= beam_width <= MAX_BEAM_WIDTH:
        raise ValueError(f"beam width must be from 1 to {MAX_BEAM_WIDTH}, got {beam_width}")
    if not source_tokens:
        raise ValueError("cannot translate an empty sentence")
    model.eval()
    words = list(source_tokens)
    pieces, word_of_piece = source_vocab.split(words)
    source_ids, lengths = _encode_sources(model, [words], source_vocab)
    encoder_states, context = model.encoder(source_ids, lengths)  # (1, T, H), (1, H); 2H for attention
    source_mask = source_ids != PAD_ID
    steps = _beam_search(
        model, encoder_states, context, source_mask, beam_width, max_output_length(len(pieces))
    )
    logits = torch.stack([step_logits for step_logits, _, _ in steps])  # (U, V)
    probabilities = torch.softmax(logits, dim=1)
    top_p, top_ids = probabilities.topk(min(top_k, probabilities.shape[1]), dim=1)
    chosen = [token_id for _, _, (token_id, _) in steps]
    attention = [weights for _, (_, weights), _ in steps]
    output_tokens = [target_vocab.token_of(token_id) for token_id in chosen]
    written = target_vocab.decode(chosen)
    split = pieces != words
    return Trace(
        source_tokens=pieces,
        source_known=[token in source_vocab for token in pieces],
        encoder_states=encoder_states[0].cpu().numpy(),
        context=context[0].cpu().numpy(),
        decoder_states=torch.stack([state for _, (state, _), _ in steps]).cpu().numpy(),
        logits=logits.cpu().numpy(),
        top_tokens=[
            [(target_vocab.token_of(int(i)), float(p)) for p, i in zip(ps, ids, strict=True)]
            for ps, ids in zip(top_p, top_ids, strict=True)
        ],
        output_tokens=output_tokens,
        attention=None if attention[0] is None else torch.stack(attention).cpu().numpy(),
        source_words=words if split else None,
        word_of_source=word_of_piece if split else None,
        words_written=written if written != [t for t in output_tokens if t != EOS] else None,
    )


def _decoder_step(
    model: EncoderDecoder,
    previous_ids: torch.Tensor,
    states: torch.Tensor,
    context: torch.Tensor,
    encoder_states: torch.Tensor,
    source_mask: torch.Tensor,
):
    """One step for N hypotheses: previous_ids (N,), states (N, H), context (N, H) -> logits (N, V),
    new states, weights."""
    logits, new_states, weights = model.decoder(
        previous_ids.unsqueeze(1), states, context, encoder_states, source_mask
    )
    return logits[:, 0], new_states[:, 0], None if weights is None else weights[:, 0]


def _beam_search(model, encoder_states, context, source_mask, beam_width: int, max_length: int):
    """Returns, for each step of the best hypothesis: (logits (V,), (state (H,), weights (T,) | None),
    (chosen id, its log-probability)). With width 1 this is greedy decoding."""
    # A hypothesis: (total log-probability, last state, steps so far, finished)
    first_state = model.decoder.initial_state(context)  # (1, H)
    beams: list[tuple[float, torch.Tensor, list, bool]] = [(0.0, first_state[0], [], False)]
    for _ in range(max_length):
        live = [beam for beam in beams if not beam[3]]
        if not live:
            break
        previous = torch.tensor(
            [beam[2][-1][2][0] if beam[2] else BOS_ID for beam in live], device=context.device
        )
        states = torch.stack([beam[1] for beam in live])
        count = len(live)
        logits, new_states, weights = _decoder_step(
            model,
            previous,
            states,
            context.expand(count, -1),
            encoder_states.expand(count, -1, -1),
            source_mask.expand(count, -1),
        )
        log_probs = torch.log_softmax(logits, dim=1)  # (N, V)
        candidates = [beam for beam in beams if beam[3]]
        top_lp, top_ids = log_probs.topk(beam_width, dim=1)
        for n, (score, _, steps, _) in enumerate(live):
            for lp, token_id in zip(top_lp[n].tolist(), top_ids[n].tolist(), strict=True):
                step = (logits[n], (new_states[n], None if weights is None else weights[n]), (token_id, lp))
                candidates.append((score + lp, new_states[n], [*steps, step], token_id == EOS_ID))
        # Rank by mean log-probability per token, so that finished short hypotheses do not always win
        candidates.sort(key=lambda beam: beam[0] / len(beam[2]), reverse=True)
        beams = candidates[:beam_width]
    return beams[0][2]


@torch.no_grad()
def translate_batch(
    model: EncoderDecoder,
    sources: Sequence[Sequence[str]],
    source_vocab: Vocabulary,
    target_vocab: Vocabulary,
    batch_size: int = 256,
) -> list[list[str]]:
    """Greedy translations of many tokenized sentences, batched (for evaluation)."""
    model.eval()
    results: list[list[str]] = []
    for start in range(0, len(sources), batch_size):
        chunk = sources[start : start + batch_size]
        source_ids, lengths = _encode_sources(model, chunk, source_vocab)
        encoder_states, context = model.encoder(source_ids, lengths)
        states = model.decoder.initial_state(context)
        source_mask = source_ids != PAD_ID
        previous = torch.full((len(chunk),), BOS_ID, dtype=torch.long, device=source_ids.device)
        outputs = []
        finished = torch.zeros(len(chunk), dtype=torch.bool, device=source_ids.device)
        for _ in range(max_output_length(int(lengths.max()))):
            logits, states, _ = _decoder_step(model, previous, states, context, encoder_states, source_mask)
            previous = logits.argmax(dim=1)
            outputs.append(previous)
            finished |= previous == EOS_ID
            if bool(finished.all()):
                break
        output_ids = torch.stack(outputs, dim=1).cpu().tolist()  # (B, U)
        # each sentence is cut at its own length limit, as `translate` cuts it
        results += [
            target_vocab.decode(ids[: max_output_length(int(length))])
            for ids, length in zip(output_ids, lengths, strict=True)
        ]
    return results


def _padded_targets(
    targets: Sequence[Sequence[str]], vocab: Vocabulary, device: torch.device
) -> tuple[torch.Tensor, list[int]]:
    """BOS then each target's token ids, padded: (B, 1 + longest) previous-token ids, and the lengths."""
    ids = [vocab.encode(tokens) for tokens in targets]
    previous = torch.full((len(ids), 1 + max(len(seq) for seq in ids)), PAD_ID, dtype=torch.long)
    previous[:, 0] = BOS_ID
    for n, seq in enumerate(ids):
        previous[n, 1 : 1 + len(seq)] = torch.tensor(seq, dtype=torch.long)
    return previous.to(device), [len(seq) for seq in ids]


@torch.no_grad()
def attention_batch(
    model: EncoderDecoder,
    sources: Sequence[Sequence[str]],
    targets: Sequence[Sequence[str]],
    source_vocab: Vocabulary,
    target_vocab: Vocabulary,
    batch_size: int = 256,
) -> list[np.ndarray]:
    """Where the attention model looks while it writes given translations (teacher forcing): for each
    pair of tokenized (lower-cased) sentences a (U_i, T_i) array, row u the weights over the source
    tokens with which it predicts target token u (the end-of-sentence step left out)."""
    if model.config.kind != "attention":
        raise ValueError("only the attention model has attention weights")
    if len(sources) != len(targets) or any(not tokens for tokens in (*sources, *targets)):
        raise ValueError("needs one non-empty translation for each non-empty sentence")
    model.eval()
    device = next(model.parameters()).device
    result: list[np.ndarray] = []
    for start in range(0, len(sources), batch_size):
        source_ids, lengths = _encode_sources(model, sources[start : start + batch_size], source_vocab)
        previous, target_lengths = _padded_targets(targets[start : start + batch_size], target_vocab, device)
        encoder_states, context = model.encoder(source_ids, lengths)  # (B, T, 2H), (B, 2H)
        first_state = model.decoder.initial_state(context)
        _, _, weights = model.decoder(previous, first_state, context, encoder_states, source_ids != PAD_ID)
        weights = weights.cpu().numpy()  # (B, 1 + U, T)
        sizes = zip(target_lengths, lengths.tolist(), strict=True)
        result += [weights[n, :rows, :columns] for n, (rows, columns) in enumerate(sizes)]
    return result


@torch.no_grad()
def encoder_states_batch(
    model: EncoderDecoder,
    sources: Sequence[Sequence[str]],
    source_vocab: Vocabulary,
    batch_size: int = 256,
) -> list[np.ndarray]:
    """The encoder's state after each token of many tokenized (lower-cased) sentences: one (T_i, H)
    array per sentence, its last row the sentence's context vector. Encoded in padded batches; the
    encoder packs them, so a sentence's states do not depend on the others in its batch."""
    if any(len(tokens) == 0 for tokens in sources):
        raise ValueError("cannot encode an empty sentence")
    model.eval()
    states: list[np.ndarray] = []
    for start in range(0, len(sources), batch_size):
        chunk = sources[start : start + batch_size]
        source_ids, lengths = _encode_sources(model, chunk, source_vocab)  # (B, T), (B,)
        encoder_states, _ = model.encoder(source_ids, lengths)  # (B, T, H); zero past each length
        batch = encoder_states.cpu().numpy()
        states += [batch[n, :length] for n, length in enumerate(lengths.tolist())]  # (T_i, H) each
    return states
