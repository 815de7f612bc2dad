r"""Which sentences the hidden-state map draws: the examples and the lines a visitor typed, each
checked, without repeats, and bounded, with a note for every line left out and why.

>>> checks, texts, left_out = sentences_on_the_map(["Ich bin müde."], True, "ich bin müde.\n???")
>>> texts
['Ich bin müde.']
>>> [note.split(":")[0] for note in left_out]
['Line 1 (“ich bin müde.”)', 'Line 2 (“???”)']
"""

from __future__ import annotations

from collections.abc import Sequence

from rnn_demo.core.text import SentenceCheck, check_sentence, normalize

MAX_SENTENCES = 30  # on the map at once, the examples included: more makes an unreadable tangle
SHOWN_CHARS = 40  # how much of a left-out line its note repeats


def sentences_on_the_map(
    examples: Sequence[str], include_examples: bool, typed: str
) -> tuple[list[SentenceCheck], list[str], list[str]]:
    """The checked sentences to draw (the examples if included, then the typed lines, no repeats, at
    most MAX_SENTENCES), their texts, and a plain-text note for every typed line left out."""
    checks: list[SentenceCheck] = []
    texts: list[str] = []
    left_out: list[str] = []
    seen: set[tuple[str, ...]] = set()
    lines = [(number, line) for number, line in enumerate(typed.splitlines(), 1) if line.strip()]
    candidates = [(None, text) for text in examples if include_examples] + lines
    for position, (number, line) in enumerate(candidates):
        if len(checks) == MAX_SENTENCES:
            rest = len(candidates) - position
            left_out.append(
                f"{rest} more line{'s' if rest > 1 else ''}: the map holds at most {MAX_SENTENCES} "
                "sentences, the examples included."
            )
            break
        check = check_sentence(line)
        shown = line.strip() if len(line.strip()) <= SHOWN_CHARS else line.strip()[: SHOWN_CHARS - 1] + "…"
        if not check.ok:
            left_out.append(f"Line {number} (“{shown}”): {check.message}")
        elif check.tokens in seen:
            left_out.append(f"Line {number} (“{shown}”): it is already on the map.")
        else:
            seen.add(check.tokens)
            checks.append(check)
            texts.append(normalize(line))
    return checks, texts, left_out
