"""The train lesson in headless Chromium: a short training draws the core's curves, Stop stops it.

Fixtures (server, browser, fresh page per test) are in conftest.py; the screenshot goes to
tests/artifacts/train.png for a human to look at.
"""

import re

import pytest

from browser_helpers import assert_rendered_cleanly, open_lesson, screenshot, settle, wait_until

pytestmark = pytest.mark.browser

URL = "/train-a-model"
LAST_TEXT = "Back to the course overview"

# Chart 0 is the digits' curves: the accuracy panel is on axes x2/y2.
JS_CURVE = """([chart, name, yaxis]) => {
    const gd = document.querySelectorAll('.js-plotly-plot')[chart];
    if (!gd || !gd._fullData) return null;
    const t = gd._fullData.find(t => t.name === name && t.yaxis === yaxis);
    return t ? Array.from(t.y) : null;
}"""


def table_cell(page, row_label, column):
    """The text of ``column`` in the first read-out table's row whose first cell is ``row_label``."""
    table = page.get_by_test_id("stTable").first
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    for row in table.locator("tbody tr").all():
        cells = [c.strip() for c in row.locator("th, td").all_inner_texts()]
        if row_label in cells:
            return cells[headers.index(column)] if len(cells) == len(headers) else cells[headers.index(column) - 1]
    raise AssertionError(f"no row {row_label!r} in {headers}")


def test_a_short_training_draws_the_accuracy_the_table_prints(page, app_url, artifacts):
    open_lesson(page, app_url + URL + "?train_epochs=6&train_rnn_epochs=4", LAST_TEXT, 4)
    assert_rendered_cleanly(page)
    assert page.get_by_role("heading", name="Train a real model").first.is_visible()
    accuracy = page.evaluate(JS_CURVE, [0, "Adam", "y2"])
    assert accuracy is not None and len(accuracy) == 7              # the untrained model and 6 epochs
    assert 80 < accuracy[-1] <= 100
    assert table_cell(page, "Adam", "test accuracy after 6 epochs") == f"{accuracy[-1]:.1f} %"
    assert page.get_by_text("trained for 6 epochs").count() == 1
    rnn_loss = page.evaluate(JS_CURVE, [2, "AdamW", "y2"])          # chart 2: the RNN's curves (1 is the digits)
    assert rnn_loss is not None and len(rnn_loss) == 5 and rnn_loss[-1] < rnn_loss[0]
    assert page.locator(".js-plotly-plot").count() == 4            # curves, mistakes, RNN curves, forecast
    screenshot(page, artifacts, "train")


def stopped_count(page):
    """N of the page's "Training stopped after N of 100 epochs"."""
    page.get_by_text("Training stopped after").first.wait_for(timeout=15_000)
    message = page.get_by_text("Training stopped after").first.inner_text()
    return int(re.search(r"after (\d+) of 100 epochs", message).group(1))


def test_stop_keeps_the_epochs_done_so_far(page, app_url):
    """A long run (100 epochs of batches of 8): Stop ends it early and the page shows the epochs it
    finished, then and on every later rerun (issue 13: the abandoned script thread finished its epoch
    after the Stop and recorded it, so the next rerun, or the way back to the page, said one more)."""
    page.goto(app_url + URL + "?train_epochs=100&train_batch=8&train_rnn_epochs=1")
    stop = page.get_by_role("button", name="Stop training")
    stop.first.wait_for(timeout=15_000)
    # Any epoch from 3 to 99: a loaded machine may render epoch 2 and then epoch 12, never 3 to 9.
    page.get_by_text(re.compile(r"epoch ([3-9]|[1-9][0-9]) of 100")).first.wait_for(timeout=30_000)
    stop.first.click()
    done = stopped_count(page)
    assert 3 <= done < 100
    wait_until(page, f"""() => {{
        const y = ({JS_CURVE})([0, 'Adam', 'y2']);
        return y !== null && y.length === {done + 1};
    }}""", what=f"the accuracy curve to hold the {done} finished epochs")
    assert page.get_by_role("button", name="Continue training").count() == 1
    assert_rendered_cleanly(page)
    page.wait_for_timeout(3_000)            # long enough for an abandoned thread to finish its epoch
    # "whose mistakes": a rerun of the page with the same settings
    page.get_by_test_id("stButtonGroup").first.get_by_text("SGD", exact=True).click()
    page.get_by_text("Digits the network got wrong").first.wait_for(timeout=15_000)
    settle(page)
    assert stopped_count(page) == done
    wait_until(page, f"""() => {{
        const y = ({JS_CURVE})([0, 'Adam', 'y2']);
        return y !== null && y.length === {done + 1};
    }}""", what=f"the accuracy curve to hold the same {done} epochs after a rerun")
