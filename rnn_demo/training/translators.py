"""Every translator the pages name, declared once: the shipped models and the word-by-word dictionary.

A row says how the pages name a translator, how a chart of several translators draws it, and, for a
model, the settings it is trained with and the file it ships in. The pickers, the charts' legends and
colours, the registry's names, the results file and the command that remakes a model all read this
table; nothing else writes a translator's name.

    python -m rnn_demo.training.train --shipped bottleneck_rnn_wider --threads 1

trains one shipped model again, with the settings and to the file of its row.

    >>> translator("bottleneck_rnn_wider").name
    'RNN, 192 hidden units'
    >>> translator("RNN")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    KeyError: "no translator 'RNN'; the translators are word_by_word, rnn, attention, ..."
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from rnn_demo.core.model import KIND_NAMES
from rnn_demo.training.checkpoint import CHECKPOINTS_DIR
from rnn_demo.training.config import PRESETS, TrainConfig


@dataclass(frozen=True)
class LineStyle:
    """How a chart of several translators draws one: Okabe and Ito's colours, apart for every kind of
    colour vision, and each its own dash and marker too, so that none needs its colour to be found."""

    color: str
    dash: str  # plotly's: "solid", "dash", "dot", ...
    symbol: str  # a plotly marker: "circle", "diamond", ...


@dataclass(frozen=True)
class Translator:
    id: str  # its name in the registry, the results file and a link; never shown
    name: str  # how the pages name it
    style: LineStyle | None = None  # on a chart of several translators (the Bottleneck page's)
    config: TrainConfig | None = None  # a model: the settings it is trained with; None: the dictionary
    file: str = ""  # a model's checkpoint file, in rnn_demo/checkpoints
    description: str = ""  # in a sentence: "Using the shipped plain RNN"

    @property
    def checkpoint(self) -> Path:
        if not self.file:
            raise ValueError(f"{self.name} is no model: it has no checkpoint")
        return CHECKPOINTS_DIR / self.file

    @property
    def kind(self) -> str | None:
        return None if self.config is None else self.config.kind


def sized_name(config: TrainConfig) -> str:
    """A model named by its kind and width, as the pages name models that differ in width."""
    return f"{KIND_NAMES[config.kind]}, {config.hidden_size} hidden units"


_SHIPPED = PRESETS["shipped"]
# The Bottleneck page's models: the same sentences and passes, so that only attention or width differs
_BOTTLENECK = PRESETS["bottleneck"]
_WIDER = replace(_BOTTLENECK, kind="rnn", hidden_size=2 * _BOTTLENECK.hidden_size)  # only its width differs

# grey: the baseline
WORD_BY_WORD = Translator("word_by_word", "word by word", LineStyle("#868e96", "dot", "x"))
SHIPPED_RNN = Translator(
    "rnn",
    "Plain RNN",
    config=replace(_SHIPPED, kind="rnn"),
    file="rnn.safetensors",
    description="the shipped plain RNN",
)
SHIPPED_ATTENTION = Translator(
    "attention",
    KIND_NAMES["attention"],
    config=replace(_SHIPPED, kind="attention"),
    file="attention.safetensors",
    description="the shipped RNN with attention",
)
BOTTLENECK_RNN = Translator(
    "bottleneck_rnn",
    KIND_NAMES["rnn"],
    LineStyle("#0072b2", "solid", "circle"),
    replace(_BOTTLENECK, kind="rnn"),
    "bottleneck_rnn.safetensors",
)
BOTTLENECK_ATTENTION = Translator(
    "bottleneck_attention",
    KIND_NAMES["attention"],
    LineStyle("#009e73", "solid", "diamond"),
    replace(_BOTTLENECK, kind="attention"),
    "bottleneck_attention.safetensors",
)
BOTTLENECK_WIDER = Translator(
    "bottleneck_rnn_wider",
    sized_name(_WIDER),
    LineStyle("#d55e00", "dash", "square"),  # dashed: a variant of the plain RNN
    _WIDER,
    "bottleneck_rnn_wider.safetensors",
)

TRANSLATORS = (
    WORD_BY_WORD,
    SHIPPED_RNN,
    SHIPPED_ATTENTION,
    BOTTLENECK_RNN,
    BOTTLENECK_ATTENTION,
    BOTTLENECK_WIDER,
)
SHIPPED_MODELS = tuple(t for t in TRANSLATORS if t.config is not None)  # loaded when a server starts
PICKER_MODELS = (SHIPPED_RNN, SHIPPED_ATTENTION)  # the shipped models a visitor picks, the default first
BOTTLENECK_MODELS = (BOTTLENECK_RNN, BOTTLENECK_ATTENTION, BOTTLENECK_WIDER)
BOTTLENECK_TRANSLATORS = (WORD_BY_WORD, *BOTTLENECK_MODELS)  # the Bottleneck page's chart, in its order
_BY_ID = {t.id: t for t in TRANSLATORS}
# Models trained in the page, on the chart of an uploaded corpus beside word by word: in turn
TRAINED_STYLES = (
    LineStyle("#0072b2", "solid", "circle"),
    LineStyle("#009e73", "solid", "diamond"),
    LineStyle("#d55e00", "dash", "square"),
    LineStyle("#000000", "dashdot", "triangle-up"),
    LineStyle("#e69f00", "longdash", "star"),
    LineStyle("#56b4e9", "dot", "cross"),
)


def translator(translator_id: str) -> Translator:
    """The translator of this id; a KeyError that lists them all for any other."""
    if translator_id not in _BY_ID:
        known = ", ".join(_BY_ID)
        raise KeyError(f"no translator {translator_id!r}; the translators are {known}")
    return _BY_ID[translator_id]
