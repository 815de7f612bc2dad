"""The one line the page says before a training of real text: how often the budget reads the corpus
(computed by hand here), and which of the measured stages that many passes reached."""

from rnn_demo.lessons.expectations import AFTER_PASSES, passes, what_to_expect


def test_passes_are_tokens_trained_over_tokens_in_the_corpus():
    # 60 s at 5,000 tokens/s = 300,000 tokens; 10,000 sentences of 12 tokens = 120,000 tokens a pass
    assert passes(60, 5_000, 10_000, 12) == 2.5
    assert passes(10, 1_000, 0, 12) == 10_000  # an empty corpus never divides by zero


def test_the_line_names_the_stage_that_many_passes_reached():
    stages = [fewest for fewest, _ in AFTER_PASSES]
    assert stages == sorted(stages) and stages[0] == 0.0  # every number of passes has a stage
    for fewest, words in AFTER_PASSES:
        # 100 tokens/s over 100 one-token sentences: a pass a second; just past the stage's passes
        budget = max(fewest, 0.01) * 1.01
        line = what_to_expect(budget, 100, 100, 1)
        assert words in line and line.startswith(f"In {budget:.0f} s a training")


def test_less_than_one_pass_says_how_much_of_the_corpus_is_read():
    line = what_to_expect(30, 1_000, 1_000, 100)  # 30,000 of 100,000 tokens
    assert "reads only 30% of your 1,000 sentences, once" in line
    assert "reads your 1,000 sentences about 3.0 times" in what_to_expect(300, 1_000, 1_000, 100)
