"""Watching a training learn: the sentences it translates at every check, right or wrong, the moments
each first came out right on the chart, and afterwards a slider that replays them. Every session
watching one training sees the same, built from the training's own reports."""

from __future__ import annotations

import streamlit as st

from rnn_demo.app import resources
from rnn_demo.app.widgets import chart, escape_markdown
from rnn_demo.core.text import check_sentence, detokenize
from rnn_demo.lessons import watching
from rnn_demo.lessons.corpora import Corpus
from rnn_demo.training.config import Sample, Watched
from rnn_demo.training.registry import Job

REPLAY = "training_replay"
VERDICTS = {True: "✓ right", False: "✗ not yet", None: "— no reference"}


NOTHING_YET = "*(nothing yet: it ends at once)*"  # a fresh model often writes only the end mark


def watched_on_screen(text: str | None, corpus: Corpus) -> Watched | None:
    """The sentence on screen, for a training to translate at every check (with its reference, if
    the corpus holds it); None if it is not a sentence the model can read."""
    check = check_sentence(text or "")
    if not check.ok:
        return None
    reference = corpus.references.lookup(text)
    references = reference.target_references if reference else ()
    return Watched(detokenize(check.display_tokens, capitalize=False), check.tokens, references)


def _table(samples: tuple[Sample, ...]) -> None:
    """A plain table: text a projector shows large. Its cells are Markdown, so every text is escaped."""
    import pandas as pd  # here: a page opened by a link needs no pandas, and it takes 0.3 s to import

    st.table(
        pd.DataFrame(
            {
                "German": [escape_markdown(sample.german) for sample in samples],
                "The model's translation": [
                    escape_markdown(detokenize(sample.translation)) if sample.translation else NOTHING_YET
                    for sample in samples
                ],
                "Right?": [VERDICTS[sample.right] for sample in samples],
            },
            index=[n + 1 for n in range(len(samples))],
        )
    )


def live_view(job: Job) -> None:
    """The chart with the moments each watched sentence came out right, and their latest translations."""
    chart(resources.training_curves(job, watching.marks(job.history)), key="training_curves")
    checks = watching.checks(job.history)
    if checks:
        st.markdown(f"**Watch it learn**: the model's translations at {checks[-1].elapsed_s:.0f} s")
        _table(checks[-1].samples)
        st.caption(
            "Row 1 is the sentence on screen, the others held-out sentences from short to long. Each "
            "is translated again at every check; the dotted lines on the chart mark when each first "
            "came out right."
        )


def replay(job: Job) -> None:
    """After a training: a slider over its checks, showing the translations as they were then."""
    checks = watching.checks(job.history)
    if not checks:
        return
    times = [round(check.elapsed_s, 1) for check in checks]
    if st.session_state.get(REPLAY) not in times:
        st.session_state[REPLAY] = times[-1]
    moment = st.select_slider(
        "Replay the training: its translations after … seconds",
        times,
        key=REPLAY,
        format_func=lambda second: f"{second:.0f} s",
    )
    at = times.index(moment)
    figure = resources.training_curves(job, watching.marks(job.history), now_s=checks[at].elapsed_s)
    chart(figure, key="training_curves")
    _table(checks[at].samples)
    st.caption(
        "Move the slider to see how the translations changed while the model learned; the dotted lines "
        "mark when each sentence first came out right."
    )
