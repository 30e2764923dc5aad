"""Charts that update in place: one ``Plotly.react`` per change, instead of ``st.plotly_chart``'s two.

Streamlit 1.67's ``st.plotly_chart`` gives a chart a new element id whenever its figure changes,
so the chart is remounted and drawn twice (on mount, then again for a re-themed copy): about
300 ms of Plotly per key press on a page with several charts.  ``show`` mounts a tiny
``st.components.v2`` component instead.  Its element id is its key, so the same ``<div>`` survives
reruns and gets one ``Plotly.react`` with the new figure (measured in
``benchmarks/bench_plot_component.py``).

plotly.js is the copy inside the installed ``plotly`` package, served by Streamlit's static file
serving (``[server] enableStaticServing`` in ``.streamlit/config.toml``) from ``static/``, where
:func:`ensure_plotly_js` copies it; nothing is downloaded and nothing large is committed.

The colours of text, grid and menus come from the page's own theme variables (``--st-text-color``
and friends), read in the browser each time a chart is drawn; Streamlit redraws the component
when the learner switches theme.
"""

import json
import os
import shutil
from pathlib import Path

import plotly
import plotly.io as pio
import streamlit as st

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
# Nothing leaves the app: plotly.js 3 offers "Share chart..." (an upload to Plotly's cloud) unless told not to.
DEFAULT_CONFIG = {"displaylogo": False, "responsive": True, "showSendToCloud": False, "showLink": False,
                  "showEditInChartStudio": False, "plotlyServerURL": ""}

_JS = r"""
const PLOTLY_URL = new URL('app/static/plotly.min.js', document.baseURI).href;

function loadPlotly() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__coursePlotly) {
    window.__coursePlotly = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = PLOTLY_URL;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => reject(new Error('could not load ' + PLOTLY_URL));
      document.head.appendChild(script);
    });
  }
  return window.__coursePlotly;
}

function themeLayout(element) {
  const css = getComputedStyle(element);
  const get = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  const text = get('--st-text-color', css.color);
  const border = get('--st-border-color', '#d0d0d0');
  const panel = get('--st-secondary-background-color', '#f0f0f0');
  const axis = {gridcolor: border, linecolor: border, zerolinecolor: border, tickcolor: border};
  const menu = {bgcolor: panel, bordercolor: border, font: {color: text}};
  return {
    font: {color: text}, paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)',
    xaxis: axis, yaxis: axis, legend: {bgcolor: 'rgba(0,0,0,0)'},
    hoverlabel: {font: {color: text}, bgcolor: panel, bordercolor: border},
    updatemenudefaults: menu,
    sliderdefaults: {...menu, activebgcolor: border, tickcolor: text, currentvalue: {font: {color: text}}},
  };
}

// On a touch screen a swipe over a chart must scroll the page: no drag-zoom, no scroll-zoom, no mode
// bar over the legend. Zooming stays possible, deliberately, in the expanded (full-screen) view.
const TOUCH = window.matchMedia('(pointer: coarse)').matches;

function fontScale(element) {
  // Presenter view (ui/presenter.py) sets --course-chart-font-scale so a projector's back row reads the charts.
  return parseFloat(getComputedStyle(element).getPropertyValue('--course-chart-font-scale')) || 1;
}

function scaledFonts(value, scale, inFont = false) {
  // A copy of the layout with every font size (layout, titles, ticks, legend, annotations) times ``scale``.
  if (Array.isArray(value)) return value.map(item => scaledFonts(item, scale));
  if (!value || typeof value !== 'object') return value;
  const out = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = inFont && key === 'size' && typeof item === 'number'
      ? item * scale : scaledFonts(item, scale, /font$/i.test(key));
  }
  return out;
}

function withRoomForLargerType(layout, scale) {
  // Larger tick labels need wider margins, or the axis titles run over them.
  const scaled = scaledFonts(layout, scale);
  for (const key of Object.keys(scaled)) {
    if (/^[xy]axis\d*$/.test(key)) scaled[key] = {...scaled[key], automargin: true};
  }
  return scaled;
}

function draw(Plotly, chart) {
  const {figure, config} = chart.latest;
  const expanded = chart.parentElement.classList.contains('course-plot-expanded');
  const scale = fontScale(chart);
  const layout = {...(scale === 1 ? figure.layout : withRoomForLargerType(figure.layout, scale)),
                  template: {layout: themeLayout(chart)}};
  const settings = {...config};
  if (expanded) {
    layout.height = Math.max(240, chart.parentElement.clientHeight - chart.offsetTop);
    if (TOUCH) layout.dragmode = 'pan';
  } else if (TOUCH) {
    layout.dragmode = false;
    Object.assign(settings, {scrollZoom: false, displayModeBar: false});
  }
  return Plotly.react(chart, {data: figure.data, layout, frames: figure.frames || [], config: settings});
}

function afterVisibleCharts(chart) {
  // A chart below the fold waits for the next frame to be painted, so the charts on screen show first.
  const box = chart.getBoundingClientRect();
  const onScreen = box.height === 0 || (box.bottom > 0 && box.top < window.innerHeight);
  return onScreen ? null : new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

function redraw(chart) {
  chart.queue = chart.queue.then(loadPlotly).then(Plotly => draw(Plotly, chart)).catch(() => {});
}

function setExpanded(box, expanded) {
  box.classList.toggle('course-plot-expanded', expanded);
  const button = box.querySelector(':scope > .course-plot-expand');
  button.textContent = expanded ? 'Close full screen' : 'Full screen';
  button.setAttribute('aria-pressed', String(expanded));
  redraw(box.querySelector(':scope > .course-plot'));
  if (!expanded) button.focus();
}

const STYLE = `
.course-plot-box { position: relative; }
.course-plot-expand { display: block; margin: 0 0 2px auto; font: inherit; font-size: 0.8rem;
  padding: 2px 10px; border-radius: 6px; cursor: pointer; color: var(--st-text-color, inherit);
  background: var(--st-secondary-background-color, transparent); border: 1px solid var(--st-border-color, #999); }
.course-plot-expand:focus-visible { outline: 3px solid var(--st-primary-color, #D55E00); outline-offset: 2px; }
.course-plot-expanded { position: fixed; inset: 0; z-index: 999990; overflow: auto; padding: 8px;
  background: var(--st-background-color, Canvas); }
`;

function makeBox(parentElement) {
  if (!document.getElementById('course-plot-style')) {
    const style = document.createElement('style');
    style.id = 'course-plot-style';
    style.textContent = STYLE;
    document.head.appendChild(style);
  }
  const box = document.createElement('div');
  box.className = 'course-plot-box';
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'course-plot-expand';
  button.textContent = 'Full screen';
  button.setAttribute('aria-pressed', 'false');
  button.addEventListener('click', () => setExpanded(box, !box.classList.contains('course-plot-expanded')));
  box.addEventListener('keydown', event => {
    if (event.key === 'Escape' && box.classList.contains('course-plot-expanded')) setExpanded(box, false);
  });
  const chart = document.createElement('div');
  chart.className = 'course-plot';
  chart.style.width = '100%';
  chart.queue = Promise.resolve();
  box.append(button, chart);
  parentElement.appendChild(box);
  // Follow the container, not only the window: the sidebar opening or closing changes the column.
  let lastWidth = 0;
  new ResizeObserver(() => {
    const width = chart.clientWidth;
    if (width && width !== lastWidth && chart._fullLayout) {
      lastWidth = width;
      chart.queue = chart.queue.then(() => window.Plotly.Plots.resize(chart)).catch(() => {});
    }
  }).observe(box);
  return chart;
}

export default function ({parentElement, data}) {
  const chart = parentElement.querySelector(':scope > .course-plot-box > .course-plot') || makeBox(parentElement);
  const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
  chart.latest = JSON.parse(text);
  chart.queue = chart.queue
    .then(() => afterVisibleCharts(chart))
    .then(loadPlotly)
    .then(Plotly => draw(Plotly, chart))
    .catch(error => { chart.textContent = 'The chart could not be drawn: ' + error.message; });
}
"""

_COMPONENT = st.components.v2.component("course_plot", js=_JS, isolate_styles=False)


def ensure_plotly_js():
    """Copy the installed plotly.js into ``static/`` unless an identical copy is already there."""
    target = STATIC_DIR / PLOTLY_JS.name
    if not target.exists() or target.stat().st_size != PLOTLY_JS.stat().st_size:
        STATIC_DIR.mkdir(exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.partial")
        shutil.copyfile(PLOTLY_JS, partial)
        os.replace(partial, target)      # atomic: a server never serves half a file


def payload(figure, config=None):
    """The bytes the browser gets: ``{"config": ..., "figure": <Plotly JSON>}``."""
    settings = json.dumps({**DEFAULT_CONFIG, **(config or {})})
    return f'{{"config": {settings}, "figure": {pio.to_json(figure, validate=False)}}}'.encode()


def show(figure, key, config=None):
    """Draw ``figure`` under ``key``; a rerun with a changed figure redraws the same chart in place."""
    _COMPONENT(data=payload(figure, config), key=key)
