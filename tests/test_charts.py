"""The word-by-word diagram (which lines cross, hand-checked and by property, and what the figure holds),
the training chart, and the font scaling for a projector."""

from hypothesis import given
from hypothesis import strategies as st

from rnn_demo.data.corpus import SEED_EXAMPLE
from rnn_demo.figures import style
from rnn_demo.figures.bottleneck_chart import quality_by_length
from rnn_demo.figures.training_chart import training_curves
from rnn_demo.figures.word_by_word_chart import crossing_links, word_by_word_figure
from rnn_demo.training.translators import BOTTLENECK_RNN

SEED_GERMAN = ["Kannst", "du", "mir", "helfen", ",", "diesen", "Satz", "zu", "übersetzen", "?"]
SEED_GLOSS = ["can", "you", "me", "help", ",", "this", "sentence", "to", "translate", "?"]
SEED_ENGLISH = ["Can", "you", "help", "me", "translate", "this", "sentence", "?"]
# By hand: mir->me, helfen->help swap; übersetzen->translate jumps ahead of "this sentence"
SEED_LINKS = [(0, 0), (1, 1), (2, 3), (3, 2), (5, 5), (6, 6), (8, 4), (9, 7)]


def test_seed_crossings_by_hand():
    # kannst-can and du-you stay; mir/helfen cross each other; diesen, Satz and übersetzen cross;
    # the question mark crosses nothing because everything before it stays before it.
    assert crossing_links(SEED_LINKS) == {2, 3, 4, 5, 6}


def test_seed_example_alignment_is_the_hand_one():
    assert list(SEED_EXAMPLE.german) == SEED_GERMAN
    assert list(SEED_EXAMPLE.english) == SEED_ENGLISH
    assert sorted(SEED_EXAMPLE.alignment) == SEED_LINKS


positions = st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20)), max_size=15)


@given(st.lists(st.integers(0, 30), max_size=15))
def test_monotone_alignments_never_cross(targets):
    links = list(enumerate(sorted(targets)))
    assert crossing_links(links) == set()


@given(st.integers(2, 15))
def test_a_reversed_sentence_crosses_everywhere(n):
    links = [(i, n - 1 - i) for i in range(n)]
    assert crossing_links(links) == set(range(n))


@given(positions, st.randoms())
def test_crossing_does_not_depend_on_link_order(links, rng):
    shuffled = list(range(len(links)))
    rng.shuffle(shuffled)
    crossing = {links[i] for i in crossing_links(links)}
    crossing_shuffled = {links[shuffled[i]] for i in crossing_links([links[i] for i in shuffled])}
    assert crossing == crossing_shuffled


def _trace(figure, name):
    return next(trace for trace in figure.data if trace.name == name)


def _segments(trace):
    return sum(1 for x in trace.x if x is None)


def test_seed_figure_rows_and_highlighted_lines():
    figure = word_by_word_figure(SEED_GERMAN, SEED_GLOSS, SEED_ENGLISH, SEED_LINKS)
    assert list(_trace(figure, "German").text) == SEED_GERMAN
    assert list(_trace(figure, "Word by word").text) == [
        "can",
        "you",
        "me",
        "help",
        "",
        "this",
        "sentence",
        "to",
        "translate",
        "",
    ]
    assert list(_trace(figure, "Correct English").text) == SEED_ENGLISH
    assert _segments(_trace(figure, "moved")) == 5
    assert _segments(_trace(figure, "kept")) == 3


def test_neighbouring_words_do_not_overlap():
    figure = word_by_word_figure(SEED_GERMAN, SEED_GLOSS, SEED_ENGLISH, SEED_LINKS)
    xs = list(_trace(figure, "German").x)  # x is measured in characters in the row layout
    widths = [max(len(word), len(gloss)) for word, gloss in zip(SEED_GERMAN, SEED_GLOSS, strict=True)]
    for n in range(len(xs) - 1):
        assert xs[n + 1] - xs[n] >= (widths[n] + widths[n + 1]) / 2 + 1  # at least a character apart
    # and the whole row fits the chart's width at the chosen font (about 0.6 font sizes a character)
    assert (xs[-1] - xs[0] + widths[0]) * 0.6 * _trace(figure, "German").textfont.size <= 1000


def test_unknown_words_get_a_question_mark():
    figure = word_by_word_figure(["Der", "Quux", "."], ["the", None, "."], None, None)
    assert list(_trace(figure, "Word by word").text) == ["the", "?", ""]


def test_without_reference_only_german_and_gloss_are_drawn():
    figure = word_by_word_figure(["Der", "Hund"], ["the", "dog"], None, None)
    names = {trace.name for trace in figure.data}
    assert "Correct English" not in names
    assert _segments(_trace(figure, "moved")) == _segments(_trace(figure, "kept")) == 0
    assert any("No reference translation" in a.text for a in figure.layout.annotations)


def test_typed_markup_is_escaped():
    figure = word_by_word_figure(["<script>alert(1)</script>", "<b>x</b>"], [None, None], None, None)
    assert "<script" not in figure.to_json()
    assert "<b>x" not in figure.to_json()


def test_a_thirty_word_sentence_still_gets_a_figure():
    german = [f"Wort{n}" for n in range(30)]
    figure = word_by_word_figure(german, ["word"] * 30, ["word"] * 30, [(n, 29 - n) for n in range(30)])
    assert len(_trace(figure, "German").text) == 30
    assert figure.layout.height >= 300


def test_training_curves_show_loss_and_accuracy_in_percent():
    figure = training_curves([0.5, 1.0, 2.0], [3.0, 2.0, 1.5], [None, None, 0.25])
    loss, accuracy = figure.data
    assert list(loss.y) == [3.0, 2.0, 1.5]
    assert list(accuracy.x) == [2.0] and list(accuracy.y) == [25.0]  # unmeasured points are left out
    assert list(figure.layout.yaxis2.range) == [0, 100]


def _font_sizes(node, inside_font=False):
    """Every font size in a figure's JSON, found independently of style._scale_fonts."""
    sizes = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "size" and inside_font and isinstance(value, int | float):
                sizes.append(value)
            elif key == "font_size":
                sizes.append(value)
            else:
                sizes += _font_sizes(value, key.endswith("font"))
    elif isinstance(node, list):
        for item in node:
            sizes += _font_sizes(item, inside_font)
    return sizes


def test_enlarged_multiplies_every_font_and_the_height_and_nothing_else():
    styles = {"RNN": BOTTLENECK_RNN.style}
    figure = quality_by_length(["3–5", "6–10"], {"RNN": [90.0, 60.0]}, styles, "BLEU", "BLEU (0–100)")
    figure.add_annotation(text="note", font={"size": 10})
    before = figure.to_plotly_json()
    after = style.enlarged(figure, 1.5).to_plotly_json()
    assert sorted(_font_sizes(after)) == sorted(1.5 * size for size in _font_sizes(before))
    assert len(_font_sizes(before)) >= 3  # layout, title and annotation fonts at least
    assert after["layout"]["height"] == 1.5 * before["layout"]["height"]
    assert after["data"][0]["y"] == before["data"][0]["y"]
    assert after["data"][0]["marker"]["size"] == before["data"][0]["marker"]["size"]  # not a font
    assert figure.to_plotly_json() == before  # the original is left as it was
