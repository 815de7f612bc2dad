"""What a training of some length can be expected to learn from an uploaded corpus, said before it
starts: how many times it will read the sentences, and what that many passes gave on real text.

    >>> passes(budget_s=60, tokens_per_second=5_000, pairs=10_000, tokens_per_pair=12)
    2.5
    >>> what_to_expect(60, 5_000, 10_000, 12)[:57]
    'In 60 s a training reads your 10,000 sentences about 2.5 '
"""

from __future__ import annotations

# Target tokens (pieces) a training of real text trains on per second, when this server has not
# measured one yet: measured on this project's 2-core machine (batch 128, hidden 256, bfloat16 units).
REAL_TEXT_TOKENS_PER_SECOND = 9_000
PIECES_PER_WORD = 1.8  # a real English word is about this many subword pieces (1.78 measured on real text)

# What that many passes over real sentences taught a model, measured on 15,400 real German-English
# sentence pairs (software messages; `python -m benchmarks.real_text`), on held-out sentences of 3 to 6
# words: BLEU under 10 before one pass, 11-21 over 1 to 4 passes, 21-25 up to 8 passes, then flat.
AFTER_PASSES = (
    (
        0.0,
        "far too little to learn much: expect its output to be the most frequent words, and no "
        "sentence exactly right",
    ),
    (
        1.0,
        "enough for the most frequent words and short phrases: expect short sentences to come out partly "
        "right, and few exactly",
    ),
    (
        4.0,
        "enough for many short sentences: expect the gist of short sentences, a few of them exactly right, "
        "and long ones only partly",
    ),
    (
        8.0,
        "about as much as a model this small learns from your sentences: more time will make it "
        "repeat them (memorise), not translate new ones better",
    ),
)


def passes(budget_s: float, tokens_per_second: float, pairs: int, tokens_per_pair: float) -> float:
    """How many times a training of `budget_s` reads all of its `pairs` sentences."""
    return budget_s * tokens_per_second / max(pairs * tokens_per_pair, 1.0)


def what_to_expect(budget_s: float, tokens_per_second: float, pairs: int, tokens_per_pair: float) -> str:
    """One honest line about a training of `budget_s` on this many sentences."""
    times = passes(budget_s, tokens_per_second, pairs, tokens_per_pair)
    said = next(words for fewest, words in reversed(AFTER_PASSES) if times >= fewest)
    if times >= 1:
        reads = f"reads your {pairs:,} sentences about {times:.1f} times"
    else:
        reads = f"reads only {times:.0%} of your {pairs:,} sentences, once"
    return f"In {budget_s:.0f} s a training {reads}: {said}."
