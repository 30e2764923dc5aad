"""Layout where a class meets (issue 15): a phone, a 1280 px laptop, a 1920×1080 projector.

- Phone (390×844, touch): nothing overflows sideways (a segmented control's options wrap); a formula or
  table wider than its column scrolls inside its own box and shows that it does (a shadow at the edge with more to see, and for
  formulas a "scroll sideways" line); the overview's lesson links are not cut; the bias and inspector
  pages have their controls in the page, above the charts they drive, not in the sidebar drawer.
- 1280×800: the inspector's and momentum's tables show their last column; the vital signs' subplot
  titles overlap no axis title or tick label; the regime map's "λ = 1" lies inside the plot.
- 1400 wide: the RMSprop ε paths are drawn in a plot area of at least 400×250 px.
- Every log axis on every lesson has at most three tick labels per decade.
- Presenter view at 1920×1080: every lesson's first chart at the top, in large type.
- A 358-px phone: no chart text overlaps other text (the regime map's band names, the axes' "0", AMSGrad's headings and
  legend, the training page's digit titles) or leaves its chart (RMSprop's heading); no tick label sits on another
  (the corner labels of the 2-D paths and the momentum weights).

Screenshots of the changed pages at each size are written to tests/artifacts/layout_*.png.
"""

import pytest

from browser_helpers import open_page, settle

pytestmark = pytest.mark.browser

LESSONS = ("/adam-vs-sgd", "/momentum", "/rmsprop-scaling", "/bias-correction", "/inside-adam", "/adamw", "/amsgrad",
           "/momentum-schedules", "/optimizer-family", "/when-adam-struggles", "/train-a-model")
PHONE = dict(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
LAPTOP = dict(viewport={"width": 1280, "height": 800})
PROJECTOR = dict(viewport={"width": 1920, "height": 1080})
SCREENSHOTS = {"phone": (PHONE, ("/", "/momentum", "/rmsprop-scaling", "/bias-correction", "/inside-adam")),
               "laptop": (LAPTOP, ("/momentum", "/rmsprop-scaling", "/bias-correction", "/inside-adam")),
               "projector": (PROJECTOR, ("/momentum?present=1", "/rmsprop-scaling?present=1",
                                         "/bias-correction?present=1", "/inside-adam?present=1"))}

# What sticks out sideways: the page's scroll width, and each formula and table box that is wider than its
# content area: it must scroll (overflow-x auto/scroll) and show a hint (ui/style.py).
JS_SIDEWAYS = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const width = window.innerWidth;
    const out = {width, page: document.documentElement.scrollWidth, main: main.scrollWidth, boxes: []};
    // checkVisibility: a closed expander's content has boxes but is not drawn (content-visibility: hidden).
    const shown = el => el.checkVisibility() && !el.closest('[data-testid="stSidebar"]');
    const check = (kind, box, scroller, hintOf) => {
        const rect = box.getBoundingClientRect();
        const wide = scroller.scrollWidth > scroller.clientWidth + 1;
        const after = getComputedStyle(hintOf, '::after');
        out.boxes.push({kind, right: rect.right, wide,
                        scrolls: ['auto', 'scroll'].includes(getComputedStyle(scroller).overflowX),
                        shadow: getComputedStyle(hintOf, kind === 'table' ? '::after' : null).boxShadow,
                        label: kind === 'formula' ? after.content : null,
                        labelHeight: kind === 'formula' ? parseFloat(after.height) || 0 : null});
    };
    document.querySelectorAll('.katex-display').forEach(el => shown(el) && check('formula', el, el, el));
    document.querySelectorAll('[data-testid="stDataFrameResizable"]').forEach(el => {
        const scroller = el.querySelector('.dvn-scroller');
        if (shown(el) && scroller) check('table', el, scroller, el);
    });
    // st.table: its own scroller carries the hint (a box-shadow, not an ::after).
    document.querySelectorAll('[data-testid="stTable"] div:has(> table)').forEach(el => shown(el) && check('plain table', el, el, el));
    return out;
}"""
# Options of a segmented control (st.segmented_control, the surface choosers) that do not lie inside their group.
JS_CUT_OPTIONS = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stButtonGroup"]')]
    .flatMap(group => { const edge = group.getBoundingClientRect().right;
        return [...group.querySelectorAll('button')].filter(b => b.getBoundingClientRect().right > edge + 1)
            .map(b => b.textContent); })"""
JS_CUT_LINK_LABELS = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stPageLink-NavLink"] span')]
    .filter(span => span.scrollWidth > span.clientWidth + 1).map(span => span.textContent)"""
# The Plotly chart drawn by ``plot.show(..., key=key)``.
CHART = ".st-key-{key} .js-plotly-plot"
JS_BOX = "el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }"
# Drawn tick labels of every log axis of every chart: {chart: {axis: {decade: labels}}}.
JS_LOG_LABELS = """() => [...document.querySelectorAll('.js-plotly-plot')].map((gd, chart) => {
    const counts = {};
    for (const [name, ax] of Object.entries(gd._fullLayout || {})) {
        if (!/^[xy]axis\\d*$/.test(name) || ax.type !== 'log' || !ax.visible) continue;
        const perDecade = {};
        gd.querySelectorAll(`g.${ax._id}tick text`).forEach(text => {
            const value = text.__data__ && text.__data__.x;
            if (!text.textContent.trim() || value === undefined || text.getClientRects().length === 0) return;
            const decade = Math.floor(value + 1e-9);
            perDecade[decade] = (perDecade[decade] || []).concat(text.textContent);
        });
        counts[name] = perDecade;
    }
    return counts;
})"""


def _open(browser, app_url, options, path, dark=False):
    context = browser.new_context(**options, color_scheme="dark" if dark else "light")
    context.set_default_timeout(20_000)
    page = context.new_page()
    open_page(page, app_url + path)
    settle(page)
    return context, page


def _overlap(a, b, slack=0.5):
    return a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and b[1] < a[3] - slack


# ---- phone -------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ("/",) + LESSONS)
def test_on_a_phone_nothing_overflows_sideways_and_wide_boxes_scroll_with_a_hint(browser, app_url, path):
    context, page = _open(browser, app_url, PHONE, path)
    try:
        found = page.evaluate(JS_SIDEWAYS)
        assert found["page"] <= found["width"] and found["main"] <= found["width"], \
            f"{path}: the page is {found['page']} px (main {found['main']} px) wide on a {found['width']} px phone"
        for box in found["boxes"]:
            assert box["right"] <= found["width"] + 1, f"{path}: a {box['kind']} box sticks out of the screen: {box}"
            if box["wide"]:
                assert box["scrolls"], f"{path}: a wide {box['kind']} is cut instead of scrolling: {box}"
                assert box["shadow"] not in ("none", ""), f"{path}: a wide {box['kind']} scrolls without a hint: {box}"
                if box["kind"] == "formula":
                    assert "scroll" in box["label"] and box["labelHeight"] > 8, \
                        f"{path}: a wide formula has no 'scroll sideways' line: {box}"
        assert page.evaluate(JS_CUT_LINK_LABELS) == [], f"{path}: lesson links cut short on a phone"
        assert page.evaluate(JS_CUT_OPTIONS) == [], f"{path}: options of a segmented control past the phone's edge"
    finally:
        context.close()


@pytest.mark.parametrize("path, controls, chart", [
    ("/bias-correction", ("bias_lr", "bias_beta1", "bias_beta2", "bias_eps", "bias_steps"), "bias_curves_chart"),
    ("/inside-adam", ("insp_surface", "insp_bowl_x0", "insp_bowl_y0", "insp_steps", "insp_lr", "insp_beta1",
                      "insp_beta2", "insp_eps", "insp_noise", "insp_seed"), "insp_surface_chart")])
def test_on_a_phone_the_controls_are_in_the_page_above_their_chart(browser, app_url, path, controls, chart):
    context, page = _open(browser, app_url, PHONE, path)
    try:
        chart_top = page.locator(CHART.format(key=chart)).evaluate(JS_BOX)[1]
        for key in controls:
            control = page.locator(f".st-key-{key}")
            assert control.count() == 1, f"{path}: no control {key}"
            assert control.evaluate("el => !el.closest('[data-testid=\"stSidebar\"]') "
                                    "&& !!el.closest('[data-testid=\"stMain\"]')"), \
                f"{path}: {key} is in the sidebar drawer, not in the page"
            assert control.is_visible(), f"{path}: {key} is not shown in the page"
            assert control.evaluate(JS_BOX)[3] < chart_top, f"{path}: {key} is not above the chart it drives"
    finally:
        context.close()


# ---- 1280 px laptop ----------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/inside-adam", "/momentum"])
def test_at_1280_the_tables_show_their_last_column(browser, app_url, path):
    context, page = _open(browser, app_url, LAPTOP, path)
    try:
        # The per-coordinate table (inspector) and the rates table (momentum): each page's first st.dataframe,
        # whose element carries no key class; .dvn-scroller is the grid's own scrolling box.
        scroller = page.locator('[data-testid="stDataFrame"] .dvn-scroller').first
        content, box = scroller.evaluate("el => [el.scrollWidth, el.clientWidth]")
        assert content <= box + 1, f"{path}: the table is {content} px wide in a {box} px box: its last column is cut"
    finally:
        context.close()


def test_at_1280_the_vital_signs_titles_overlap_no_axis_text(browser, app_url):
    context, page = _open(browser, app_url, LAPTOP, "/inside-adam")
    try:
        chart = page.locator(CHART.format(key="insp_vitals_chart"))
        titles = chart.locator("g.annotation text").evaluate_all(
            f"els => els.filter(el => el.closest('g.annotation').querySelector('b, [style*=\"bold\"]') "
            f"|| /effective|gradient norm|update/.test(el.textContent)).map(el => [el.textContent, ({JS_BOX})(el)])")
        axis_text = chart.locator("text[class$='title'], g[class*='tick'] text").evaluate_all(
            f"els => els.filter(el => el.textContent.trim()).map(el => [el.textContent, ({JS_BOX})(el)])")
        assert len(titles) == 4, titles
        clashes = [(t, a) for t, t_box in titles for a, a_box in axis_text if _overlap(t_box, a_box)]
        assert clashes == [], f"subplot titles overlap axis text: {clashes}"
    finally:
        context.close()


def test_at_1280_the_regime_maps_labels_lie_inside_the_plot(browser, app_url):
    context, page = _open(browser, app_url, LAPTOP, "/momentum")
    try:
        chart = page.locator(CHART.format(key="mom_regimes"))
        plot_area = chart.locator(".nsewdrag").first.evaluate(JS_BOX)
        labels = chart.locator("g.textpoint text").evaluate_all(
            f"els => els.map(el => [el.textContent, ({JS_BOX})(el)])")
        assert {text for text, _ in labels} >= {"λ = 1", "λ = 10"}, labels
        for text, (left, top, right, bottom) in labels:
            assert plot_area[0] - 1 <= left and right <= plot_area[2] + 1 and plot_area[1] - 1 <= top \
                and bottom <= plot_area[3] + 1, f"{text!r} at {(left, top, right, bottom)} sticks out of {plot_area}"
    finally:
        context.close()


def test_at_1400_the_rmsprop_eps_paths_are_drawn_at_a_readable_size(browser, app_url):
    context, page = _open(browser, app_url, dict(viewport={"width": 1400, "height": 900}), "/rmsprop-scaling")
    try:
        width, height = page.locator(CHART.format(key="rms_eps_paths")).evaluate(
            "gd => [gd._fullLayout.xaxis._length, gd._fullLayout.yaxis._length]")
        assert width >= 400 and height >= 250, f"the ε paths are drawn in {width:.0f}×{height:.0f} px"
    finally:
        context.close()


# The family's distance panel is ui/figures.progress_figure's, whose ticks belong to that module (not changed here).
LOG_LESSONS = LESSONS


@pytest.mark.parametrize("path", LOG_LESSONS)
def test_log_axes_label_at_most_three_ticks_per_decade(browser, app_url, path):
    context, page = _open(browser, app_url, LAPTOP, path)
    try:
        crowded = {f"chart {chart} {axis}": labels
                   for chart, axes in enumerate(page.evaluate(JS_LOG_LABELS))
                   for axis, decades in axes.items() for labels in decades.values() if len(labels) > 3}
        assert crowded == {}, f"{path}: log axes with more than 3 labels in a decade: {crowded}"
    finally:
        context.close()


# ---- projector ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", LESSONS)
def test_presenter_view_shows_the_first_chart_at_the_top_in_large_type(browser, app_url, path):
    context, page = _open(browser, app_url, PROJECTOR, path + "?present=1")
    try:
        box = page.locator(".course-plot-box").first
        left, top, right, bottom = box.evaluate(JS_BOX)
        # The page's top-level block that holds the first chart (with its heading and step controls, ui/presenter.py).
        block_top = box.evaluate("""el => [...document.querySelectorAll(
            '[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > *')]
            .find(block => block.contains(el)).getBoundingClientRect().top""")
        assert block_top < 300, f"{path}: the first chart's block starts {block_top:.0f} px down the projected page"
        assert top + 0.6 * (bottom - top) < 1080, f"{path}: less than 60 % of the first chart is on the screen"
        # Tick labels, legend and axis titles; a power of ten's label (10⁻², a <tspan> at 70 %) counts its base.
        sizes = box.locator("g[class*='tick'] text, .legendtext, text[class$='title']").evaluate_all(
            "els => els.filter(el => el.textContent.trim()).map(el => parseFloat(getComputedStyle(el).fontSize))")
        assert sizes and min(sizes) >= 16, f"{path}: chart type as small as {min(sizes or [0])} px on the projector"
    finally:
        context.close()


# ---- screenshots -------------------------------------------------------------------------------

JS_HEIGHT = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    return Math.max(document.documentElement.scrollHeight, main ? main.scrollHeight : 0);
}"""


@pytest.mark.parametrize("size", sorted(SCREENSHOTS))
def test_screenshots_of_the_changed_pages(browser, app_url, artifacts, size):
    options, paths = SCREENSHOTS[size]
    for dark in (False, True) if size == "phone" else (False,):
        for path in paths if not dark else ("/inside-adam",):
            context, page = _open(browser, app_url, options, path, dark=dark)
            try:
                width = options["viewport"]["width"]
                page.set_viewport_size({"width": width, "height": min(max(page.evaluate(JS_HEIGHT), 800), 9000)})
                page.wait_for_timeout(800)
                name = path.strip("/").split("?")[0] or "overview"
                target = artifacts / f"layout_{size}_{name}{'_dark' if dark else ''}.png"
                page.screenshot(path=target, full_page=True)
                assert target.stat().st_size > 10_000, f"{target} looks empty"
            finally:
                context.close()


@pytest.mark.parametrize("path", ["/adam-vs-sgd", "/optimizer-family"])
def test_on_a_laptop_every_formula_fits_its_box_with_no_scroll_hint(page, app_url, path):
    """KaTeX draws a display formula a few pixels wider than it measures: a box that hugged the formula
    clipped its last glyph and showed the 'scroll sideways' hint on a wide screen."""
    open_page(page, app_url + path)
    settle(page)
    overflowing = page.evaluate("""() => [...document.querySelectorAll('.katex-display')]
        .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth).map(e => e.textContent.slice(0, 40))""")
    assert overflowing == []


# ---- chart text on the narrowest phone ---------------------------------------------------------

NARROW_PHONE = dict(viewport={"width": 358, "height": 780}, has_touch=True, is_mobile=True)
# Every text a chart draws, by kind: titles (chart, axis), legend entries, annotations (subplot headings, notes),
# and tick labels; [kind, text, box] for each one that is drawn.
JS_CHART_TEXTS = """gd => [...gd.querySelectorAll(
        '.gtitle, text[class$="title"], .legendtext, g.annotation text, g[class*="tick"] text')]
    .filter(el => el.textContent.trim() && el.getClientRects().length && el.getBoundingClientRect().width > 0)
    .map(el => {
        const kind = el.closest('g[class*="tick"]') ? 'tick' : el.classList.contains('legendtext') ? 'legend'
            : el.closest('g.annotation') ? 'annotation' : 'title';
        const r = el.getBoundingClientRect();
        return [kind, el.textContent.trim().slice(0, 40), [r.left, r.top, r.right, r.bottom]];
    })"""
# The plot area of each subplot (Plotly's drag layer), in px.
JS_PLOT_AREAS = """gd => [...gd.querySelectorAll('.nsewdrag')].map(el => {
    const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"""
# The charts whose text crowded on a 358-px phone (the review of issue 15), by page.
NARROW_CHARTS = {"/inside-adam": ("insp_vitals_chart", "insp_surface_chart"),
                 "/bias-correction": ("bias_curves_chart", "bias_moments_chart", "bias_runs_chart", "bias_spike_chart"),
                 "/adam-vs-sgd": ("vs_progress",), "/optimizer-family": ("fam_progress", "fam_paths"),
                 "/momentum": ("mom_regimes",       # the regime map's band names ran over the axis's "0" and each other
                               "mom_weights"),      # the y axis' "0" on the x axis' "0" in the corner
                 "/momentum-schedules": ("sched_schedule_chart", "sched_progress"),
                 "/adamw": ("adamw_decay_chart", "adamw_scale_chart"),
                 "/amsgrad": ("ams_chart",),         # three headings ran into each other and out; the legend on "step t"
                 "/rmsprop-scaling": ("rms_state",),  # the top heading ran out at the right
                 # the digits' titles; the right panel's y title on the left panel's curves (seen in review)
                 "/train-a-model?train_epochs=2&train_rnn_epochs=2": ("train_mistakes_chart", "train_digits_curves",
                                                                     "train_rnn_curves"),
                 "/playground": ("play_paths",)}      # the 2-D paths' corner: y's "−4" on x's "−4"
# Charts whose tick labels are also checked against each other (one panel's step labels ran into the next panel's,
# a y axis' first label sat on the x axis' first in the corner).
TICKS_APART = {"sched_schedule_chart", "sched_progress", "adamw_decay_chart", "adamw_scale_chart", "mom_weights",
               "fam_paths", "play_paths", "ams_chart", "rms_state"}


def test_on_a_narrow_phone_no_chart_text_overlaps_other_text_or_leaves_the_chart(browser, app_url):
    """Titles, legend entries and annotations overlap neither each other nor any tick label, and lie inside the
    chart (a heading cut at the right edge, a y-title on the next panel's tick labels, an x-title on the legend);
    no axis title lies on a plot area (the training page's right y title on the left panel's curves);
    on the TICKS_APART charts no tick label overlaps another either."""
    context = browser.new_context(**NARROW_PHONE)
    context.set_default_timeout(20_000)
    page = context.new_page()
    problems = []
    try:
        for path, keys in NARROW_CHARTS.items():
            open_page(page, app_url + path)
            settle(page)
            for key in keys:
                chart = page.locator(CHART.format(key=key))
                chart.scroll_into_view_if_needed()
                texts = chart.evaluate(JS_CHART_TEXTS)
                left, top, right, bottom = chart.evaluate(JS_BOX)
                labels = [t for t in texts if t[0] != "tick"]
                areas = chart.evaluate(JS_PLOT_AREAS)
                problems += [f"{path} {key}: title {text!r} lies on a plot area" for kind, text, box in labels
                             if kind == "title" and any(_overlap(box, area, slack=1) for area in areas)]
                for i, (kind, text, box) in enumerate(labels):
                    if box[0] < left - 1 or box[2] > right + 1 or box[1] < top - 1 or box[3] > bottom + 1:
                        problems.append(f"{path} {key}: {kind} {text!r} runs out of the chart "
                                        f"({box} in {[left, top, right, bottom]})")
                    for other_kind, other, other_box in labels[i + 1:] + [t for t in texts if t[0] == "tick"]:
                        if _overlap(box, other_box, slack=1):
                            problems.append(f"{path} {key}: {kind} {text!r} overlaps {other_kind} {other!r}")
                ticks = [t for t in texts if t[0] == "tick"] if key in TICKS_APART else []
                problems += [f"{path} {key}: tick label {text!r} overlaps tick label {other!r}"
                             for i, (_, text, box) in enumerate(ticks) for _, other, other_box in ticks[i + 1:]
                             if _overlap(box, other_box, slack=1)]
    finally:
        context.close()
    assert problems == [], "\n".join(problems)
