"""The training settings of the Encoder–decoder page, each declared once: the `TrainConfig` field it
sets, its widget (key, label, options or range), its name in a link and its default. The widgets, the
config a training gets, the link's parameters and the keys a session keeps across pages are all made
from `SETTINGS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import streamlit as st

from rnn_demo.app import labels, url_state
from rnn_demo.core.model import MODEL_KINDS
from rnn_demo.training.config import PRESETS, TrainConfig
from rnn_demo.training.translators import PICKER_MODELS

DEFAULT = PRESETS["default"]
# A training may hold the shared queue this long at most: ten minutes, for a teacher who trains before
# class (it goes on while they use other pages); in class, a minute or two
MAX_TIME_BUDGET_S = 600
MAX_TRAINING_WORDS = 20  # the longest training sentence a visitor may ask for (the phrasebook makes 30)
KIND_LABELS = {model.kind: model.name for model in PICKER_MODELS}  # "Plain RNN", "RNN + attention"


def _same(value: object) -> object:
    return value


@dataclass(frozen=True)
class Setting:
    field: str  # the TrainConfig field it sets
    key: str  # the widget's key in the session
    url: str  # its name in a link
    label: str
    widget: str  # "choice" (segmented control), "select" (select slider), "slider" or "number"
    column: int | None  # which of the three columns it is drawn in; None: above them
    options: tuple = ()  # a choice's or select slider's values
    low: int = 0  # a slider's or number input's range
    high: int = 0
    step: int = 1
    format: Callable[[object], str] | None = None  # how a choice or select slider shows a value
    help: str | None = None
    to_config: Callable[[object], object] = _same  # the widget's value as the config holds it
    from_config: Callable[[object], object] = _same  # and back

    @property
    def default(self) -> object:
        return self.from_config(getattr(DEFAULT, self.field))

    @property
    def parameter(self) -> url_state.Parameter:
        """How a link's value is checked: one of the options, or a whole number in the range."""
        if not self.options:
            return url_state.whole_number(self.low, self.high)
        if all(isinstance(option, str) for option in self.options):
            return url_state.choice(self.options)
        return url_state.number_from(self.options)

    def snapped(self, value: object) -> object:
        """A link's value as the widget can hold it: a slider's value on its steps."""
        return self.step * round(value / self.step) if self.step > 1 else value


SETTINGS = (
    Setting(
        field="kind",
        key="train_kind",
        url="kind",
        label="Model to train",
        widget="choice",
        column=None,
        options=MODEL_KINDS,
        format=KIND_LABELS.get,
        to_config=lambda kind: kind or DEFAULT.kind,  # a segmented control can be emptied
    ),
    Setting(
        field="hidden_size",
        key="train_hidden",
        url="hidden",
        label="Hidden size (numbers in the context vector)",
        widget="select",
        column=0,
        options=(32, 64, 128, 256, 384, 512),
    ),
    Setting(
        field="embedding_size",
        key="train_embedding",
        url="embedding",
        label="Embedding size",
        widget="select",
        column=0,
        options=(16, 32, 64, 128, 256),
    ),
    Setting(
        field="time_budget_s",
        key="train_budget",
        url="budget",
        label=labels.TIME_BUDGET,
        widget="slider",
        column=1,
        low=5,
        high=MAX_TIME_BUDGET_S,
        step=5,
        help="Training stops after this long, keeping what it has learned. Up to 10 minutes: train "
        "before class, and the training goes on while you use other pages.",
        to_config=float,
        from_config=int,
    ),
    Setting(
        field="learning_rate",
        key="train_learning_rate",
        url="lr",
        label="Learning rate",
        widget="select",
        column=1,
        options=tuple(sorted({0.001, 0.003, 0.005, 0.01, DEFAULT.learning_rate})),
    ),
    Setting(
        field="max_words",
        key="train_max_words",
        url="words",
        label="Longest training sentence (German words)",
        widget="slider",
        column=2,
        low=3,
        high=MAX_TRAINING_WORDS,
    ),
    Setting(
        field="train_pairs",
        key="train_pairs",
        url="pairs",
        label="Training sentences",
        widget="select",
        column=2,
        options=tuple(sorted({1_000, 5_000, 10_000, 20_000, 40_000, 80_000, 150_000, DEFAULT.train_pairs})),
        format=lambda n: f"{n:,}",
    ),
    Setting(
        field="seed",
        key="train_seed",
        url="seed",
        label=labels.SEED,
        widget="number",
        column=2,
        low=0,
        high=9999,
        help="The same settings and seed train the same model.",
        to_config=int,
    ),
    Setting(
        field="epochs",
        key="train_passes",
        url="passes",
        label="Passes over the sentences",
        widget="select",
        column=1,
        options=(0, 1, 2, 3, 5, 10),  # 0: as many as the time allows
        format=lambda passes: "as time allows" if passes == 0 else str(passes),
        help="Stop after this many passes over the training sentences (or at the time limit, whichever "
        "comes first): the same passes give the same model on any computer.",
        to_config=lambda passes: int(passes or 0) or None,
        from_config=lambda epochs: epochs or 0,
    ),
)
WIDGET_KEYS = tuple(setting.key for setting in SETTINGS)  # kept across pages (session.py)
URL_PARAMETERS = {setting.url: setting.parameter for setting in SETTINGS}
URL_DEFAULTS = {setting.url: setting.default for setting in SETTINGS}


def settings_from_link(from_url: Mapping[str, object]) -> None:
    """Fill the settings with their defaults, and with the values a link gives."""
    for setting in SETTINGS:
        st.session_state.setdefault(setting.key, setting.default)
        if setting.url in from_url:
            st.session_state[setting.key] = setting.snapped(from_url[setting.url])


def config_of(values: Mapping[str, object], uploaded: bool) -> TrainConfig:
    """The config of these widget values (widget key -> value). On an uploaded corpus the preset for
    real text: subword pieces, the shortest sentences first."""
    base = PRESETS["real text"] if uploaded else DEFAULT
    return replace(base, **{s.field: s.to_config(values.get(s.key, s.default)) for s in SETTINGS})


def settings_config(uploaded: bool) -> TrainConfig:
    """The settings as a config, read from the session (so also when the widgets are not drawn)."""
    return config_of(st.session_state, uploaded)


def settings_in_url(config: TrainConfig) -> dict[str, object]:
    """A config's settings by their names in a link."""
    return {setting.url: setting.from_config(getattr(config, setting.field)) for setting in SETTINGS}


def _draw(setting: Setting, where) -> None:
    options = {"key": setting.key, "help": setting.help}
    if setting.format is not None:
        options["format_func"] = setting.format
    if setting.widget == "choice":
        where.segmented_control(setting.label, setting.options, **options)
    elif setting.widget == "select":
        where.select_slider(setting.label, setting.options, **options)
    elif setting.widget == "slider":
        where.slider(setting.label, setting.low, setting.high, step=setting.step, **options)
    elif setting.widget == "number":
        where.number_input(setting.label, setting.low, setting.high, **options)
    else:
        raise ValueError(f"unknown widget {setting.widget!r} for the setting {setting.key}")


def settings_widgets(uploaded: bool) -> TrainConfig:
    """Every setting's widget (the model kind above three columns of the others); returns the config."""
    columns = None
    for setting in SETTINGS:
        if setting.column is None:
            _draw(setting, st)
        else:
            columns = columns or st.columns(3)
            _draw(setting, columns[setting.column])
    return settings_config(uploaded)
