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

_JS = """
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

function draw(Plotly, chart, figure, config) {
  const layout = {...figure.layout, template: {layout: themeLayout(chart)}};
  return Plotly.react(chart, {data: figure.data, layout, frames: figure.frames || [], config});
}

function afterVisibleCharts(chart) {
  // A chart below the fold waits for the next frame to be painted, so the charts on screen show first.
  const box = chart.getBoundingClientRect();
  const onScreen = box.height === 0 || (box.bottom > 0 && box.top < window.innerHeight);
  return onScreen ? null : new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

export default function ({parentElement, data}) {
  let chart = parentElement.querySelector(':scope > .course-plot');
  if (!chart) {
    chart = document.createElement('div');
    chart.className = 'course-plot';
    chart.style.width = '100%';
    chart.queue = Promise.resolve();
    parentElement.appendChild(chart);
  }
  const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
  const {figure, config} = JSON.parse(text);
  chart.queue = chart.queue
    .then(() => afterVisibleCharts(chart))
    .then(loadPlotly)
    .then(Plotly => draw(Plotly, chart, figure, config))
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
