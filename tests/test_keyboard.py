"""Real browser, keyboard only: on the Encoder–decoder page the model choice, the step control, Train
and Stop are reached with Tab and worked with Enter, Space and the arrow keys; no click, no focus
set by the test. The training is the smallest there is and is stopped by its Stop button, so it ends
the same way on any machine."""

import re

from playwright.sync_api import Locator, Page, expect

from rnn_demo.app import labels

# the smallest model and data; a minute's budget, which the test's own Stop cuts short
SMALL_TRAINING = "encoder_decoder?hidden=32&embedding=16&budget=60&words=5&pairs=1000&seed=93"
MAX_TABS = 250


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until the keyboard focus is on `target` (or inside it)."""
    for _ in range(MAX_TABS):
        if target.evaluate("e => e === document.activeElement || e.contains(document.activeElement)"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{MAX_TABS} presses of Tab never reached {target}")


def test_model_choice_step_control_train_and_stop_work_from_the_keyboard(
    page: Page, open_app, wait_for_script
):
    open_app(page, SMALL_TRAINING)
    main = page.get_by_test_id("stMain")

    # the model choice
    attention = main.locator("button", has_text="RNN + attention (shipped)")
    tab_to(page, attention.locator("xpath=.."))  # the control's buttons, its chosen one first
    for key in ("ArrowRight", "Tab"):  # the next choice: by arrow (a roving focus) or by Tab
        if not attention.evaluate("e => e === document.activeElement"):
            page.keyboard.press(key)
    expect(attention).to_be_focused()
    page.keyboard.press("Enter")
    wait_for_script(page)
    expect(main.get_by_text("Using the shipped RNN with attention")).to_be_visible()

    # the step control: Back, the slider's keys, Next
    tab_to(page, main.get_by_role("button", name="Back"))
    page.keyboard.press("Enter")
    wait_for_script(page)
    step = main.get_by_text(re.compile(r"^Step (\d+) of (\d+):"))
    first, total = (int(n) for n in re.match(r"Step (\d+) of (\d+)", step.inner_text()).groups())
    assert first == total - 1
    tab_to(page, main.get_by_role("slider", name="Step through the translation"))
    page.keyboard.press("Home")
    wait_for_script(page)
    expect(main.get_by_text(f"Step 0 of {total}:")).to_be_visible()
    page.keyboard.press("ArrowRight")
    wait_for_script(page)
    expect(main.get_by_text(f"Step 1 of {total}:")).to_be_visible()
    tab_to(page, main.get_by_role("button", name="Next"))
    page.keyboard.press("Space")
    wait_for_script(page)
    expect(main.get_by_text(f"Step 2 of {total}:")).to_be_visible()

    # Train, then Stop
    summary = main.get_by_test_id("stExpander").filter(has_text=labels.TRAIN_EXPANDER).locator("summary")
    tab_to(page, summary)
    page.keyboard.press("Enter")
    tab_to(page, main.get_by_role("button", name="Train", exact=True))
    page.keyboard.press("Enter")
    expect(main.get_by_text(re.compile(r"\d+ of 60 s · loss"))).to_be_visible(timeout=60_000)
    tab_to(page, main.get_by_role("button", name="Stop training"))
    page.keyboard.press("Enter")
    expect(main.get_by_text("The training was stopped")).to_be_visible(timeout=30_000)
