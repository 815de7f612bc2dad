"""The server settings in .streamlit/config.toml are options this Streamlit knows, with the values meant."""

import tomllib
from pathlib import Path

from streamlit import config

CONFIG = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"


def test_every_setting_is_an_option_of_this_streamlit():
    settings = tomllib.loads(CONFIG.read_text())
    names = [f"{section}.{key}" for section, values in settings.items() for key in values]
    known = config.get_config_options()
    assert [name for name in names if name not in known] == []


def test_no_full_garbage_collection_after_every_script_run():
    # a full collection after each run costs every session the time of one rerun or more
    assert tomllib.loads(CONFIG.read_text())["runner"]["postScriptGC"] is False
    assert config.get_config_options()["runner.postScriptGC"].default_val is True  # so the file must say it
