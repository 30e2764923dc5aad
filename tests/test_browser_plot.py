"""ui.plot in Chromium: a changed setting redraws each chart in place, once, in the page's theme."""

import pytest

from browser_helpers import JS_TRACE, assert_rendered_cleanly, open_page, wait_until

pytestmark = pytest.mark.browser

FLAGSHIP = "/adam-vs-sgd"

# Tag every chart's div and count the Plotly.react calls each one gets from now on.
JS_COUNT_REACTS = """() => {
    const charts = [...document.querySelectorAll('.js-plotly-plot')];
    charts.forEach((gd, i) => { gd.dataset.tag = String(i); });
    window.__reacts = new Map(charts.map(gd => [gd, 0]));
    if (!window.__reactWrapped) {
        window.__reactWrapped = true;
        const react = window.Plotly.react;
        window.Plotly.react = function (gd, ...rest) {
            window.__reacts.set(gd, (window.__reacts.get(gd) || 0) + 1);
            return react.call(this, gd, ...rest);
        };
    }
    return charts.length;
}"""
JS_REACTS = "() => [...window.__reacts.entries()].map(([gd, n]) => [gd.dataset.tag || null, gd.isConnected, n])"
JS_FONT_AND_THEME = """() => {
    const gd = document.querySelector('.js-plotly-plot');
    return [gd._fullLayout.font.color, getComputedStyle(gd).getPropertyValue('--st-text-color').trim()];
}"""


def open_flagship(page, app_url):
    open_page(page, app_url + FLAGSHIP, "Back to the course overview")
    wait_until(page, "() => [...document.querySelectorAll('.js-plotly-plot')].filter(gd => gd._fullLayout).length === 2",
               what="the flagship's two charts to be drawn")


def test_a_changed_setting_redraws_each_chart_in_place_once(page, app_url):
    open_flagship(page, app_url)
    assert page.evaluate(JS_COUNT_REACTS) == 2
    start = page.evaluate(JS_TRACE, [0, "SGD", "x"])

    thumb = page.get_by_role("slider", name="start x₀")
    thumb.focus()
    thumb.press("ArrowLeft")                                              # 8.00 -> 7.99
    wait_until(page, f"() => ({JS_TRACE})([0, 'SGD', 'x'])[0] !== {start[0]}",
               what="the SGD path to start from the new x₀")
    wait_until(page, "() => [...window.__reacts.values()].every(n => n >= 1)", what="both charts to be redrawn")
    page.wait_for_timeout(1000)                                           # room for a second, unwanted draw
    assert page.evaluate(JS_REACTS) == [["0", True, 1], ["1", True, 1]], \
        "each chart should keep its div (same tag, still in the page) and be drawn exactly once"
    assert page.locator(".js-plotly-plot").count() == 2
    assert_rendered_cleanly(page)


def test_charts_take_the_pages_theme_and_follow_a_switch(page, app_url):
    page.emulate_media(color_scheme="dark")
    open_flagship(page, app_url)
    font, text = page.evaluate(JS_FONT_AND_THEME)
    assert text and font.lower() == text.lower(), "chart text should be the dark theme's text colour"
    dark_text = text

    page.emulate_media(color_scheme="light")            # the app follows the system setting by default
    wait_until(page, f"""() => {{ const [font, text] = ({JS_FONT_AND_THEME})();
                                 return text.toLowerCase() !== '{dark_text.lower()}'
                                        && font.toLowerCase() === text.toLowerCase(); }}""",
               what="the chart to redraw in the light theme's text colour after the switch")
    layout = page.evaluate("() => document.querySelector('.js-plotly-plot')._fullLayout.paper_bgcolor")
    assert layout.replace(" ", "") == "rgba(0,0,0,0)", "the chart should show the page's background"
