"""The training settings, declared once: each is a real config field with its own key and link name,
the defaults make the default preset, every value a widget offers comes back from a link unchanged,
and every key a session keeps across pages is the key of a widget some page draws."""

from dataclasses import fields, replace

import pytest

from rnn_demo.app import session, url_state
from rnn_demo.app.labels import TYPE_YOUR_OWN
from rnn_demo.app.training_settings import (
    DEFAULT,
    SETTINGS,
    URL_DEFAULTS,
    URL_PARAMETERS,
    WIDGET_KEYS,
    config_of,
    settings_in_url,
)
from rnn_demo.training.config import PRESETS, TrainConfig
from tests.app_pages import open_from_home
from tests.corpus_files import tatoeba_file

# The other parameters of the Encoder–decoder page's links (pages/encoder_decoder.py, app/view.py)
OTHER_PARAMETERS = {"s", "model", "beam", "step", "presenter"}


def test_each_setting_is_a_config_field_with_its_own_key_and_link_name():
    config_fields = {field.name for field in fields(TrainConfig)}
    assert all(setting.field in config_fields for setting in SETTINGS)
    for attribute in ("field", "key", "url", "label"):
        values = [getattr(setting, attribute) for setting in SETTINGS]
        assert len(set(values)) == len(values), attribute
    assert not set(URL_PARAMETERS) & OTHER_PARAMETERS
    assert set(URL_PARAMETERS) == set(URL_DEFAULTS) == {setting.url for setting in SETTINGS}


def test_the_widgets_at_their_defaults_train_the_default_preset():
    assert config_of({}, uploaded=False) == DEFAULT == PRESETS["default"]
    assert config_of({}, uploaded=True) == PRESETS["real text"]
    assert URL_DEFAULTS["budget"] == 60 and URL_DEFAULTS["passes"] == 0  # as time allows
    assert config_of({"train_passes": 3, "train_budget": 90}, uploaded=False) == replace(
        DEFAULT, epochs=3, time_budget_s=90.0
    )
    assert config_of({"train_kind": None}, uploaded=False).kind == "rnn"  # an emptied segmented control


def _offered(setting) -> list:
    """Every value the widget offers (the ends and the middle of a range)."""
    if setting.options:
        return list(setting.options)
    middle = setting.low + setting.step * ((setting.high - setting.low) // (2 * setting.step))
    return [setting.low, middle, setting.high]


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda setting: setting.key)
def test_every_value_a_widget_offers_comes_back_from_a_link(setting):
    parameter = URL_PARAMETERS[setting.url]
    for value in _offered(setting):
        config = config_of({setting.key: value}, uploaded=False)
        written = url_state.write(settings_in_url(config), URL_PARAMETERS, URL_DEFAULTS)
        read, notices = url_state.read(written, URL_PARAMETERS)
        assert notices == []
        assert read.get(setting.url, URL_DEFAULTS[setting.url]) == value
        assert setting.snapped(parameter.parse(parameter.to_text(value))) == value
    with pytest.raises(ValueError):  # a value no widget offers is refused, not taken
        parameter.parse("100000")


def test_a_budget_from_a_link_is_put_on_the_sliders_steps():
    budget = next(setting for setting in SETTINGS if setting.key == "train_budget")
    assert [budget.snapped(value) for value in (5, 7, 8, 598, 600)] == [5, 5, 10, 600, 600]


def _widget_keys(at) -> set[str]:
    keys, nodes = set(), [at.main, at.sidebar]
    while nodes:
        node = nodes.pop()
        if isinstance(getattr(node, "key", None), str):
            keys.add(node.key)
        nodes.extend(getattr(node, "children", {}).values())
    return keys


@pytest.mark.timeout(240)
def test_every_key_kept_across_pages_is_a_widget_that_a_page_draws():
    pages = {name: open_from_home(name, timeout=120) for name in ("word_by_word", "encoder_decoder")}
    drawn = set().union(*map(_widget_keys, pages.values()))  # an example sentence, translated
    for name, key in (("word_by_word", "sentence_choice"), ("encoder_decoder", "rnn_sentence_choice")):
        pages[name].selectbox(key=key).set_value(TYPE_YOUR_OWN).run()  # a box to type in
    your_corpus = open_from_home("your_corpus")
    your_corpus.file_uploader[0].upload("pairs.tsv", tatoeba_file(400), "text/tab-separated-values").run()
    for at in (*pages.values(), open_from_home("hidden_state", timeout=120), your_corpus):
        assert not at.exception, at.exception
        drawn |= _widget_keys(at)
    assert set(WIDGET_KEYS) <= drawn  # the training settings are drawn where they are declared
    assert set(session.SETTINGS_KEPT_ACROSS_PAGES) - drawn == set()
    assert set(WIDGET_KEYS) <= set(session.SETTINGS_KEPT_ACROSS_PAGES)
