"""The URL's query parameters: what is read, what is ignored with a notice, and the round trip."""

from hypothesis import given
from hypothesis import strategies as st

from rnn_demo.app import url_state

PARAMETERS = {
    "s": url_state.text(300),
    "model": url_state.choice(["rnn", "attention"]),
    "beam": url_state.whole_number(1, 5),
    "lr": url_state.number_from([0.001, 0.003, 0.01]),
    "presenter": url_state.switch(),
}
DEFAULTS = {"s": "Kannst du mir helfen?", "model": "rnn", "beam": 1, "lr": 0.003, "presenter": False}


def test_good_values_are_read_with_their_types():
    values, notices = url_state.read(
        {
            "s": "Ich habe das Buch gelesen.",
            "model": "attention",
            "beam": "3",
            "lr": "0.01",
            "presenter": "1",
        },
        PARAMETERS,
    )
    assert values == {
        "s": "Ich habe das Buch gelesen.",
        "model": "attention",
        "beam": 3,
        "lr": 0.01,
        "presenter": True,
    }
    assert notices == []


def test_each_bad_parameter_is_ignored_with_a_notice_naming_it():
    query = {
        "colour": "red",  # unknown
        "model": "transformer",  # not a choice
        "beam": "9",  # out of range
        "lr": "fast",  # not a number
        "presenter": "maybe",
        "s": "x" * 301,  # longer than the parameter allows
    }
    values, notices = url_state.read(query, PARAMETERS)
    assert values == {}
    assert len(notices) == len(query)
    for name, notice in zip(query, notices, strict=True):
        assert name in notice
    assert "no such setting" in notices[0]
    assert "rnn, attention" in notices[1]
    assert "from 1 to 5" in notices[2]
    assert "301 characters" in notices[5]


def test_oversized_values_and_names_are_not_repeated_in_full():
    huge = "<script>" * 1000
    values, notices = url_state.read({huge: "1", "s": huge}, PARAMETERS)
    assert values == {}
    assert len(notices) == 2
    assert all(len(notice) < 120 for notice in notices)


def test_only_the_first_parameters_of_a_long_query_are_read():
    query = {f"p{i}": "1" for i in range(100)}
    _, notices = url_state.read(query, PARAMETERS)
    assert len(notices) == url_state.MAX_PARAMETERS + 1
    assert "100 settings" in notices[-1]


def test_negative_fractional_and_spaced_numbers_are_refused():
    for text in ["-1", "2.5", "1e3", "", " "]:
        values, notices = url_state.read({"beam": text}, PARAMETERS)
        assert values == {} and len(notices) == 1


def test_defaults_are_left_out_of_the_url():
    assert url_state.write(DEFAULTS, PARAMETERS, DEFAULTS) == {}
    assert url_state.write({**DEFAULTS, "beam": 4, "s": None}, PARAMETERS, DEFAULTS) == {"beam": "4"}


@given(
    s=st.text(min_size=1, max_size=300).filter(str.strip),
    model=st.sampled_from(["rnn", "attention"]),
    beam=st.integers(1, 5),
    lr=st.sampled_from([0.001, 0.003, 0.01]),
    presenter=st.booleans(),
)
def test_a_written_view_reads_back_the_same(s, model, beam, lr, presenter):
    view = {"s": s, "model": model, "beam": beam, "lr": lr, "presenter": presenter}
    query = url_state.write(view, PARAMETERS, DEFAULTS)
    assert all(isinstance(value, str) for value in query.values())
    values, notices = url_state.read(query, PARAMETERS)
    assert notices == []
    assert {**DEFAULTS, **values} == view
