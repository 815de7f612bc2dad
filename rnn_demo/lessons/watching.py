"""Watching a model learn: what the page shows of the sentences a training translates at each check.

    >>> from rnn_demo.training.config import Progress, Sample
    >>> wrong = Sample("Ich bin da.", ("i", "am"), False)
    >>> right = Sample("Ich bin da.", ("i", "am", "here"), True)
    >>> history = [
    ...     Progress(10, 0.1, 2.0, 0.0, 900.0, 2.0, 58.0, (wrong,)),
    ...     Progress(20, 0.2, 1.0, None, 900.0, 3.0, 57.0),
    ...     Progress(30, 0.3, 0.5, 0.4, 900.0, 4.0, 56.0, (right,)),
    ... ]
    >>> first_right(history)
    [4.0]
    >>> [check.elapsed_s for check in checks(history)]
    [2.0, 4.0]
"""

from __future__ import annotations

from collections.abc import Sequence

from rnn_demo.training.config import Progress


def checks(history: Sequence[Progress]) -> list[Progress]:
    """The progress reports of the held-out checks, when the watched sentences were translated."""
    return [progress for progress in history if progress.samples]


def first_right(history: Sequence[Progress]) -> list[float | None]:
    """For each watched sentence (in the order watched): the training time at which its translation
    first came out exactly right, or None if it has not (or has no reference)."""
    found: list[float | None] = []
    for progress in checks(history):
        if not found:
            found = [None] * len(progress.samples)
        for n, sample in enumerate(progress.samples):
            if sample.right and found[n] is None:
                found[n] = progress.elapsed_s
    return found


def marks(history: Sequence[Progress]) -> list[tuple[float, str]]:
    """(time, label) for the training chart: when each watched sentence, by its number, came out right."""
    return [(second, f"{n + 1} ✓") for n, second in enumerate(first_right(history)) if second is not None]
