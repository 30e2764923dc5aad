"""The exports under the flagship's animated chart in headless Chromium: each button gives a decodable file.

One page load in the light theme clicks all four (CSV: one row per optimizer and step, the numbers the
chart draws; GIF: a frame per shown step, first and last different; MP4: an MP4 file (decoded in
test_export.py); PNG: 2560 wide, of the step the chart was moved to), and one in the dark theme checks
that the GIF takes the page's colours.
"""

import csv
import io

import numpy as np
import pytest
from PIL import Image

from browser_helpers import (
    JS_RERUN_DONE, animation_controls, assert_rendered_cleanly, open_lesson, wait_until)
from ui import export
from ui.figures import frame_steps

pytestmark = pytest.mark.browser

FLAGSHIP = "/adam-vs-sgd"
LAST_TEXT = "Back to the course overview"
STEPS = 50                       # the parabola scene, the flagship's default
# The x of the path trace called ``name`` in the first chart (the animated paths figure).
JS_PATH_X = """(name) => {
    const gd = document.querySelector('.js-plotly-plot');
    const t = gd && gd._fullData && gd._fullData.find(t => t.name === name && t.mode.includes('lines'));
    return t ? Array.from(t.x) : null;
}"""


def download(page, button_name):
    """Press the button called ``button_name`` and return the bytes of the file it downloads."""
    with page.expect_download(timeout=60_000) as started:
        page.get_by_role("button", name=button_name).first.click()
    return open(started.value.path(), "rb").read(), started.value.suggested_filename


def test_the_flagship_offers_its_animation_as_csv_gif_mp4_and_png(page, app_url):
    open_lesson(page, app_url + FLAGSHIP, LAST_TEXT, 2)
    assert_rendered_cleanly(page)
    # By keyboard: the downloads' summary opens with Enter and the next Tab is the CSV button.
    page.locator("summary", has_text="Download: CSV, GIF, MP4, PNG").first.focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="CSV of every step").first.wait_for()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent").endswith("CSV of every step")
    with page.expect_download(timeout=60_000) as started:
        page.keyboard.press("Enter")
    data, name = open(started.value.path(), "rb").read(), started.value.suggested_filename
    assert name == "vs_paths-parabola.csv"
    rows = list(csv.DictReader(line for line in data.decode().splitlines() if not line.startswith("#")))
    adam = [r for r in rows if r["optimizer"] == "Adam"]
    assert [int(r["step"]) for r in adam] == list(range(STEPS + 1))
    drawn = page.evaluate(JS_PATH_X, "Adam")
    assert np.array_equal([float(r["theta"]) for r in adam], drawn)          # the numbers the chart draws
    assert adam[1]["m_hat_theta"] and adam[1]["lr_eff_theta"]

    data, name = download(page, "Animated GIF")
    gif = Image.open(io.BytesIO(data))
    assert name.endswith(".gif") and gif.n_frames == len(frame_steps(STEPS, export.GIF_FRAMES))
    first = np.asarray(gif.convert("RGB"))
    gif.seek(gif.n_frames - 1)
    assert not np.array_equal(first, np.asarray(gif.convert("RGB")))
    assert tuple(first[2, 2]) == export.THEMES["light"].background

    data, name = download(page, "Video (MP4)")
    assert name == "vs_paths-parabola.mp4" and b"ftyp" in data[:16]

    step = animation_controls(page, 0)["step"]           # move the chart to step 12; the downloads stay open
    step.focus()
    for _ in range(12):
        step.press("ArrowRight")
    page.get_by_role("button", name="PNG of the shown step").click()
    save = page.get_by_role("button", name="Save PNG · step 12")
    save.wait_for(timeout=30_000)
    data, name = download(page, "Save PNG · step 12")
    png = Image.open(io.BytesIO(data))
    assert name.endswith("step12.png") and png.format == "PNG" and png.size[0] == export.PNG_WIDTH
    wait_until(page, JS_RERUN_DONE, what="the PNG's fragment rerun to end")
    assert_rendered_cleanly(page)


def test_the_gif_takes_the_dark_theme_of_the_page(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, color_scheme="dark")
    try:
        page = context.new_page()
        open_lesson(page, app_url + FLAGSHIP, LAST_TEXT, 2)
        page.locator("summary", has_text="Download: CSV, GIF, MP4, PNG").first.click()
        data, _ = download(page, "Animated GIF")
        corner = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))[2, 2]
        assert tuple(corner) == export.THEMES["dark"].background
    finally:
        context.close()
