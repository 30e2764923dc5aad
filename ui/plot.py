"""Charts that update in place: one ``Plotly.react`` per change, instead of ``st.plotly_chart``'s two.

Streamlit 1.67's ``st.plotly_chart`` gives a chart a new element id whenever its figure changes,
so the chart is remounted and drawn twice (on mount, then again for a re-themed copy): about
300 ms of Plotly per key press on a page with several charts.  ``show`` mounts a tiny
``st.components.v2`` component instead.  Its element id is its key, so the same ``<div>`` survives
reruns and gets one ``Plotly.react`` with the new figure (measured in
``benchmarks/bench_plot_component.py``).

plotly.js is served by Streamlit's static file serving (``[server] enableStaticServing`` in
``.streamlit/config.toml``) from ``static/``, in bundles named by their version: the official "basic"
(1.2 MB: scatter, bar) and "cartesian" (1.5 MB: heatmaps and contours too) bundles, which
``scripts/fetch_plotly_js.py`` puts there at setup, checked against pinned sha512 values, and the full
bundle of the installed ``plotly`` package (4.8 MB, copied by :func:`ensure_plotly_js`).  Each chart
gets the smallest that draws its figure (:func:`plotly_bundle`); the frame starts fetching the basic one
before any chart mounts (:func:`preload_plotly`).  Nothing is fetched from any other host and nothing
large is committed.

The colours of text, grid and menus come from the page's own theme variables (``--st-text-color``
and friends), read in the browser each time a chart is drawn; Streamlit redraws the component
when the learner switches theme.
"""

import json
import math
import os
import re
import shutil
from pathlib import Path
from typing import NamedTuple

import plotly
import plotly.io as pio
from plotly.offline import get_plotlyjs_version
import streamlit as st

from ui import controls

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
# The partial bundles, smallest first, with the trace types each registers (tests/test_plotly_bundle.py reads
# them from the files).  Every bundle's name carries plotly.js's version: a new version is a new URL, so
# browsers may keep a copy long.
PARTIAL_BUNDLES = {
    f"plotly-basic-{get_plotlyjs_version()}.min.js": frozenset({"bar", "pie", "scatter"}),
    f"plotly-cartesian-{get_plotlyjs_version()}.min.js": frozenset({
        "bar", "box", "contour", "heatmap", "histogram", "histogram2d", "histogram2dcontour", "image", "pie",
        "scatter", "scatterternary", "violin"}),
}
FULL_BUNDLE = f"plotly-{get_plotlyjs_version()}.min.js"
# Nothing leaves the app: plotly.js 3 offers "Share chart..." (an upload to Plotly's cloud) unless told not to.
DEFAULT_CONFIG = {"displaylogo": False, "responsive": True, "showSendToCloud": False, "showLink": False,
                  "showEditInChartStudio": False, "plotlyServerURL": ""}

# One plotly.js per page, shared by the charts and the frame's preload (preload_plotly): ``bundle`` is a
# payload's ``plotly_js`` (plotly_bundle), whose ``rank`` orders the bundles, each holding the ones before.
# A chart gets the largest bundle asked for so far; a larger one loads after the one under way, so the
# largest is the window.Plotly that stays.
_LOADER = r"""
function loadPlotly(bundle) {
  const top = window.__coursePlotlyTop;
  if (top && top.rank >= bundle.rank) return top.loaded;
  const before = top ? top.loaded.catch(() => {}) : Promise.resolve();
  window.__coursePlotlyTop = {rank: bundle.rank, loaded: before.then(() => addScript(bundle.url))};
  return window.__coursePlotlyTop.loaded;
}

function addScript(src) {
  const url = new URL(src, document.baseURI).href;
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url;
    script.onload = () => resolve(window.Plotly);
    script.onerror = () => reject(new Error('could not load ' + url));
    document.head.appendChild(script);
  });
}
"""

_JS = _LOADER + r"""
function plotlyFor(chart) {
  // The bundle this chart's figure needs. Once a larger one is in, charts drawn with a smaller one are drawn
  // again with it: every chart then belongs to window.Plotly, which animations and resizes call.
  return loadPlotly(chart.latest.plotly_js).then(() => {
    for (const other of document.querySelectorAll('.course-plot')) {
      if (other !== chart && other.plotly && other.plotly !== window.Plotly) redraw(other);
    }
    return window.Plotly;
  });
}

function themeLayout(element) {
  const css = getComputedStyle(element);
  const get = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  const text = get('--st-text-color', css.color);
  const border = get('--st-border-color', '#d0d0d0');
  const panel = get('--st-secondary-background-color', '#f0f0f0');
  const axis = {gridcolor: border, linecolor: border, zerolinecolor: border, tickcolor: border};
  return {
    font: {color: text}, paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)',
    xaxis: axis, yaxis: axis, legend: {bgcolor: 'rgba(0,0,0,0)'},
    hoverlabel: {font: {color: text}, bgcolor: panel, bordercolor: border},
  };
}

// On a touch screen a swipe over a chart must scroll the page: no drag-zoom, no scroll-zoom, no mode
// bar over the legend. Zooming stays possible, deliberately, in the expanded (full-screen) view.
const TOUCH = window.matchMedia('(pointer: coarse)').matches;

function fontScale(element) {
  // Presenter view (ui/presenter.py) sets --course-chart-font-scale so a projector's back row reads the charts.
  return parseFloat(getComputedStyle(element).getPropertyValue('--course-chart-font-scale')) || 1;
}

const PLOTLY_FONT_SIZE = 12;      // Plotly's layout.font.size when a figure sets none

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
  // Larger tick labels need wider margins, or the axis titles run over them. Text drawn at Plotly's default
  // size (a trace's text labels, an annotation without a font size: the regime map's names) scales too.
  const scaled = scaledFonts(layout, scale);
  if (!(layout.font && layout.font.size)) scaled.font = {...scaled.font, size: PLOTLY_FONT_SIZE * scale};
  for (const key of Object.keys(scaled)) {
    if (/^[xy]axis\d*$/.test(key)) scaled[key] = {...scaled[key], automargin: true};
  }
  return scaled;
}

// A figure may carry a second arrangement for a narrow chart (ui/narrow.py): layout.meta.narrow is
// {below: px, layout: {...}}, whose top-level keys replace the layout's whole while the chart's own width (its
// column's, not the window's) is under ``below`` px, e.g. two side-by-side panels stacked on a phone.
function narrowSpec(chart) {
  const meta = chart.latest.figure.layout && chart.latest.figure.layout.meta;
  return meta && meta.narrow;
}

function isNarrow(chart) {
  const narrow = narrowSpec(chart);
  return Boolean(narrow) && chart.clientWidth > 0 && chart.clientWidth < narrow.below;
}

function arrangedLayout(chart) {
  // A copy for each draw: Plotly writes into the layout it is given (a constrained axis' shrunken domain, for
  // one), and a later draw from that (leaving full screen) drew a narrower plot than the figure asks for.
  const layout = structuredClone(chart.latest.figure.layout || {});
  chart.narrow = isNarrow(chart);
  return chart.narrow ? {...layout, ...layout.meta.narrow.layout} : layout;
}

function keptScale(scene, grow) {
  // A 3-D scene is drawn at a size that follows the chart's height: a narrow chart made taller for full screen (a
  // phone's) ran past its sides. The camera moves back from the point it looks at by the same factor instead.
  const camera = scene.camera || {};
  const eye = camera.eye || {x: 1.25, y: 1.25, z: 1.25}, center = camera.center || {x: 0, y: 0, z: 0};
  const back = Math.max(1, grow);
  const moved = Object.fromEntries(['x', 'y', 'z'].map(k => [k, (center[k] || 0) + back * (eye[k] - (center[k] || 0))]));
  return {...scene, camera: {...camera, eye: moved}};
}

// In full screen Plotly's mode bar gets a band of its own above the plot (CSS below), not the legend's top row.
const MODEBAR_BAND = 32;

function draw(Plotly, chart) {
  if (chart.plotly && chart.plotly !== Plotly) chart.plotly.purge(chart);   // drawn with a smaller bundle
  chart.plotly = Plotly;
  const {config} = chart.latest;
  const expanded = chart.parentElement.classList.contains('course-plot-expanded');
  const scale = fontScale(chart);
  const arranged = arrangedLayout(chart);
  const layout = {...(scale === 1 ? arranged : withRoomForLargerType(arranged, scale)),
                  template: {layout: themeLayout(chart)}};
  const settings = {...config};
  const figure = chart.latest.figure;
  // The width is the chart's own box, set at every draw: Plotly.react keeps the width it had (a chart opened
  // in full screen stayed at its column's width on a laptop), and the ResizeObserver below relays a new one.
  if (chart.clientWidth) layout.width = chart.clientWidth;
  if (expanded) {
    const height = Math.max(240, chart.parentElement.clientHeight - chart.offsetTop - chart.anim.bar.offsetHeight
                                  - MODEBAR_BAND - 16);
    if (chart.narrow && layout.scene) layout.scene = keptScale(layout.scene, height / (layout.height || height));
    layout.height = height;
    if (TOUCH) layout.dragmode = 'pan';
  } else if (TOUCH) {
    layout.dragmode = false;
    // A 3-D scene turns under a finger and would take every swipe: it turns in full screen only.
    if (layout.scene) layout.scene = {...layout.scene, dragmode: false};
    Object.assign(settings, {scrollZoom: false, displayModeBar: false});
  }
  stopPlaying(chart);          // a new figure arrives paused; afterDraw shows the step it was at
  // A trace's own text (textfont: the regime map's λ labels) grows with the layout's in presenter view.
  const data = scale === 1 ? figure.data : scaledFonts(figure.data, scale);
  return Plotly.react(chart, {data, layout, frames: figure.frames || [], config: settings})
    .then(() => afterDraw(chart));
}

// ---- the animation's controls -------------------------------------------------------------------------
// Plotly's Play button, speed menu and step slider are SVG: Tab never reaches them. An animated figure (one
// with frames and layout.meta.animation, see ui/figures.paths_figure) gets real HTML controls under the
// plot instead, driving the same frames with Plotly.animate. The step is kept across reruns and in the link.

const AT_ONCE = {mode: 'immediate', frame: {duration: 0, redraw: false}, transition: {duration: 0}};
const quiet = promise => promise.catch(() => {});     // Plotly rejects an animation another one interrupts

function makeControls(chart) {
  const element = (tag, props) => Object.assign(document.createElement(tag), props);
  const play = element('button', {type: 'button', className: 'course-anim-play'});
  play.setAttribute('aria-label', 'Play animation');  // a toggle: its name stays, aria-pressed says "playing"
  const speed = element('select', {className: 'course-anim-speed'});
  speed.setAttribute('aria-label', 'Animation speed');
  const text = element('span', {className: 'course-anim-step-text'});
  text.setAttribute('aria-hidden', 'true');           // the range's aria-valuetext says the same
  const range = element('input', {type: 'range', min: 0, step: 1, value: 0, className: 'course-anim-range'});
  range.setAttribute('aria-label', 'Animation step');
  const bar = element('div', {className: 'course-anim', hidden: true});
  const speedLabel = element('label', {textContent: 'speed '});
  speedLabel.append(speed);
  const stepGroup = element('div', {className: 'course-anim-step'});   // "step N" stays beside its range when a phone wraps the row
  stepGroup.append(text, range);
  bar.append(play, speedLabel, stepGroup);
  chart.anim = {bar, play, speed, text, range, names: [], lookup: new Map(), index: 0, step: null,
                playing: false, timer: 0, speeds: {}};
  play.addEventListener('click', () => {
    if (chart.anim.playing) { stopPlaying(chart); saveStep(chart, 0); } else startPlaying(chart);
  });
  speed.addEventListener('change', () => { if (chart.anim.playing) startPlaying(chart); });
  // Arrow keys, Home/End and PageUp/PageDown move the native range; each move shows its frame.
  range.addEventListener('input', () => {
    stopPlaying(chart);
    showFrame(chart, Number(range.value));
    saveStep(chart, 400);
  });
  // Plotly's event handlers live on the chart and go when Plotly re-creates it (newPlot after a config
  // change), so afterDraw attaches these again each time (removing them first: never twice).
  chart.anim.handlers = {
    plotly_animatingframe: event => {
      const index = chart.anim.lookup.get(event.name);
      if (index !== undefined) setIndex(chart, index);
    },
    plotly_animated: () => {
      if (chart.anim.playing) { setPlaying(chart, false); saveStep(chart, 0); }   // Play reached the end
    },
    plotly_afterplot: () => outOfTabOrder(chart),
  };
  setPlaying(chart, false);
  return bar;
}

function outOfTabOrder(chart) {
  // Plotly's mode bar is a row of <button>s between the chart and its controls: keep it for the mouse only.
  chart.querySelectorAll('.modebar-btn').forEach(button => { button.tabIndex = -1; });
}

function setIndex(chart, index) {
  const anim = chart.anim;
  anim.index = index;
  anim.step = Number(anim.names[index]);
  anim.range.value = String(index);
  anim.text.textContent = 'step ' + anim.names[index];
  anim.range.setAttribute('aria-valuetext', `step ${anim.names[index]} of ${anim.names[anim.names.length - 1]}`);
}

function setPlaying(chart, playing) {
  chart.anim.playing = playing;
  chart.anim.play.textContent = playing ? '❚❚ Pause' : '▶ Play';
  chart.anim.play.setAttribute('aria-pressed', String(playing));
}

function showFrame(chart, index) {
  setIndex(chart, index);
  return quiet(window.Plotly.animate(chart, [chart.anim.names[index]], AT_ONCE));
}

function startPlaying(chart) {
  const anim = chart.anim;
  // From the frame after the one shown, or from the start again once the end is shown.
  const from = anim.index >= anim.names.length - 1 ? 0 : anim.index + 1;
  const duration = anim.speeds[anim.speed.value];
  setPlaying(chart, true);
  quiet(window.Plotly.animate(chart, anim.names.slice(from),
                              {mode: 'immediate', frame: {duration, redraw: false}, transition: {duration: 0}}));
}

function stopPlaying(chart) {
  if (!chart.anim.playing) return;
  setPlaying(chart, false);
  quiet(window.Plotly.animate(chart, [null], AT_ONCE));   // Plotly's pause: an animation to no frame, at once
}

function linkedStep(chart) {
  // A link is untrusted: only digits count (afterDraw clamps the number to the frames); anything else is 0.
  const value = chart.latest.step_param ? new URLSearchParams(location.search).get(chart.latest.step_param) : null;
  return value !== null && /^\d{1,15}$/.test(value) ? Number(value) : 0;
}

function saveStep(chart, delay) {
  // The step joins the link like every setting, as <chart key>_step, written with replaceState: no rerun,
  // and Streamlit reads the address again at each rerun, so it keeps the parameter. Delayed while
  // scrubbing: browsers refuse a burst of history changes (about 100 in 10 s), and a held arrow key is one.
  clearTimeout(chart.anim.timer);
  chart.anim.timer = setTimeout(() => {
    const key = chart.latest.step_param;
    if (!key || chart.anim.bar.hidden) return;
    const url = new URL(location.href);
    const step = chart.anim.index > 0 ? chart.anim.names[chart.anim.index] : null;   // step 0: no parameter
    if (url.searchParams.get(key) === step) return;
    if (step === null) url.searchParams.delete(key); else url.searchParams.set(key, step);
    history.replaceState(history.state, '', url);
  }, delay);
}

function afterDraw(chart) {
  const anim = chart.anim;
  for (const [name, handler] of Object.entries(anim.handlers)) {
    chart.removeListener(name, handler);
    chart.on(name, handler);
  }
  outOfTabOrder(chart);
  const {frames = [], layout = {}} = chart.latest.figure;
  const meta = layout.meta && layout.meta.animation;
  anim.bar.hidden = !(frames.length && meta);
  if (anim.bar.hidden) return;
  anim.names = frames.map(frame => frame.name);
  anim.lookup = new Map(anim.names.map((name, i) => [name, i]));
  anim.range.max = String(anim.names.length - 1);
  if (Object.keys(meta.speeds).join() !== Object.keys(anim.speeds).join()) {
    anim.speed.replaceChildren(...Object.keys(meta.speeds).map(name => new Option(name, name)));
    anim.speed.value = meta.speed;
  }
  anim.speeds = meta.speeds;
  // The step shown before this figure came (on the first draw: the link's), or the new path's last step
  // if it is shorter: the last frame at or before that step. Frames are named by their step, in order.
  const step = anim.step === null ? linkedStep(chart) : anim.step;
  let index = 0;
  anim.names.forEach((name, i) => { if (Number(name) <= step) index = i; });
  // A new figure's data already shows step 0; a redraw of the last one (theme, full screen) may not.
  const shown = index === 0 && chart.fresh ? (setIndex(chart, 0), Promise.resolve()) : showFrame(chart, index);
  chart.fresh = false;
  return shown.then(() => saveStep(chart, 0));
}

// ---- clicks on the plot area --------------------------------------------------------------------------
// A chart shown with clicks (``show(..., on_click=...)``) sends a click anywhere on a plot area back to
// Python as the trigger value ``click``: {x, y, subplot} in data coordinates. plotly_click fires only on a
// drawn point, so the press is read on Plotly's drag layer (``.nsewdrag``, one per subplot) and converted
// with the axis' pixel-to-data map. A press that moves more than TAP_DISTANCE is a drag (zoom) or a
// swipe; on a touch screen the browser cancels the pointer when it scrolls the page, so a swipe never clicks.
// Every chart listens on the window for its own press only (``press`` is null for the others).
const TAP_DISTANCE = 6;

function listenForClicks(chart) {
  let press = null;
  chart.addEventListener('pointerdown', event => {
    const layer = event.target.closest ? event.target.closest('.nsewdrag') : null;
    press = chart.latest && chart.latest.clicks && layer && event.isPrimary && event.button === 0
      ? {x: event.clientX, y: event.clientY, layer} : null;
  }, true);
  // Plotly covers the page while a press lasts, so the release is heard on the window.
  window.addEventListener('pointercancel', () => { press = null; }, true);
  window.addEventListener('pointerup', event => {
    const start = press;
    press = null;
    if (!start || !event.isPrimary || Math.hypot(event.clientX - start.x, event.clientY - start.y) > TAP_DISTANCE) return;
    const point = dataPoint(chart, start.layer, event);
    if (point && chart.sendClick) chart.sendClick('click', point);
  }, true);
}

function dataPoint(chart, layer, event) {
  // The subplot whose drag layer was pressed, and the press in its axes' data coordinates.
  const plots = (chart._fullLayout && chart._fullLayout._plots) || {};
  const [subplot, plot] = Object.entries(plots).find(([, info]) => info.draglayer && info.draglayer.node()
                                                     && info.draglayer.node().contains(layer)) || [];
  if (!plot) return null;
  const box = layer.getBoundingClientRect();
  const x = plot.xaxis.p2d(event.clientX - box.left);
  const y = plot.yaxis.p2d(event.clientY - box.top);
  return Number.isFinite(x) && Number.isFinite(y) ? {x, y, subplot} : null;
}

function afterVisibleCharts(chart) {
  // A chart below the fold waits for the next frame to be painted, so the charts on screen show first.
  const box = chart.getBoundingClientRect();
  const onScreen = box.height === 0 || (box.bottom > 0 && box.top < window.innerHeight);
  return onScreen ? null : new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

function redraw(chart) {
  chart.queue = chart.queue.then(() => plotlyFor(chart)).then(Plotly => draw(Plotly, chart)).catch(() => {});
}

function setExpanded(box, expanded) {
  box.classList.toggle('course-plot-expanded', expanded);
  const button = box.querySelector(':scope > .course-plot-expand');
  button.textContent = expanded ? 'Close full screen' : 'Full screen';
  button.setAttribute('aria-pressed', String(expanded));
  redraw(box.querySelector(':scope > .course-plot'));
  if (expanded) document.addEventListener('keydown', box.keepKeys, true);
  else {
    document.removeEventListener('keydown', box.keepKeys, true);
    button.focus();
  }
}

// While a chart is in full screen the page behind it is covered: Tab and Shift+Tab go round the chart's own
// controls (they went on to hidden ones behind it), and Escape closes it wherever the focus is.
function keepKeysInside(box, event) {
  if (event.key === 'Escape') {
    event.preventDefault();
    setExpanded(box, false);
  } else if (event.key === 'Tab') {
    const stops = [...box.querySelectorAll('button, select, input, [tabindex="0"]')]
      .filter(el => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length && !el.closest('[hidden]'));
    const at = stops.indexOf(document.activeElement);
    const next = event.shiftKey ? (at <= 0 ? stops.length - 1 : at - 1) : (at + 1) % stops.length;
    if (at === -1 || (event.shiftKey ? at === 0 : at === stops.length - 1)) {
      event.preventDefault();
      stops[next].focus();
    }
  }
}

// A 3-D scene's camera listens to touches on its canvas and cancels the page's scroll, even with dragmode off:
// outside full screen a touch on a 3-D chart stops before it reaches the canvas (the scene turns in full screen).
function touchesScrollPast3d(box, chart) {
  const stop = event => {
    if (chart._fullLayout && chart._fullLayout.scene && !box.classList.contains('course-plot-expanded')) {
      event.stopPropagation();
    }
  };
  for (const type of ['touchstart', 'touchmove', 'touchend']) {
    chart.addEventListener(type, stop, {capture: true, passive: true});
  }
}

const STYLE = `
.course-plot-box { position: relative; }
.course-plot-expand { display: block; margin: 0 0 2px auto; font: inherit; font-size: 0.8rem;
  padding: 2px 10px; border-radius: 6px; cursor: pointer; color: var(--st-text-color, inherit);
  background: var(--st-secondary-background-color, transparent); border: 1px solid var(--st-border-color, #999); }
.course-plot-box :focus-visible { outline: 3px solid var(--st-primary-color, #D55E00); outline-offset: 2px; }
.course-anim { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px; min-height: 36px;
  padding: 4px 4px 0; font-size: calc(0.875rem * var(--course-chart-font-scale, 1)); color: var(--st-text-color, inherit); }
.course-anim[hidden] { display: none; }
.course-anim button, .course-anim select { font: inherit; padding: 3px 10px; border-radius: 6px; cursor: pointer;
  color: var(--st-text-color, inherit); background: var(--st-secondary-background-color, transparent);
  border: 1px solid var(--st-border-color, #999); }
.course-anim option { color: var(--st-text-color, inherit); background: var(--st-background-color, Canvas); }
.course-anim-play { min-width: 6.5em; }
.course-anim-step-text { min-width: 5.5em; font-variant-numeric: tabular-nums; }
.course-anim-step { display: flex; align-items: center; gap: 8px; flex: 1 1 16rem; }
.course-anim-range { flex: 1; min-width: 6rem; margin: 0; accent-color: var(--st-primary-color, #D55E00); }
.course-plot-clicks .nsewdrag { cursor: crosshair !important; }
.course-plot-expanded { position: fixed; inset: 0; z-index: 1000010; overflow: auto; padding: 8px;
  background: var(--st-background-color, Canvas); }
.course-plot-expanded > .course-plot { padding-top: ${MODEBAR_BAND}px; }
.course-plot-expanded .modebar-container { top: -${MODEBAR_BAND}px !important; }
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
  box.keepKeys = event => keepKeysInside(box, event);
  const chart = document.createElement('div');
  chart.className = 'course-plot';
  chart.style.width = '100%';
  chart.queue = Promise.resolve();
  // Reading order is tab order: Full screen, the chart (its mode bar left out), then Play, speed, step.
  box.append(button, chart, makeControls(chart));
  parentElement.appendChild(box);
  listenForClicks(chart);
  if (TOUCH) touchesScrollPast3d(box, chart);
  // Follow the container, not only the window: the sidebar opening or closing changes the column.
  let lastWidth = 0;
  new ResizeObserver(() => {
    const width = chart.clientWidth;
    if (width && width !== lastWidth && chart._fullLayout) {
      lastWidth = width;
      // Full screen sizes the chart in draw, and a figure's narrow width crossed rearranges it: both draw again.
      if (box.classList.contains('course-plot-expanded') || isNarrow(chart) !== chart.narrow) redraw(chart);
      else chart.queue = chart.queue.then(() => chart.plotly.relayout(chart, {width})).catch(() => {});
    }
  }).observe(box);
  return chart;
}

export default function ({parentElement, data, setTriggerValue}) {
  const chart = parentElement.querySelector(':scope > .course-plot-box > .course-plot') || makeBox(parentElement);
  const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
  chart.latest = JSON.parse(text);
  chart.sendClick = setTriggerValue;
  chart.classList.toggle('course-plot-clicks', Boolean(chart.latest.clicks));
  chart.fresh = true;
  chart.queue = chart.queue
    .then(() => afterVisibleCharts(chart))
    .then(() => plotlyFor(chart))
    .then(Plotly => draw(Plotly, chart))
    .catch(error => { chart.textContent = 'The chart could not be drawn: ' + error.message; });
}
"""

_COMPONENT = st.components.v2.component("course_plot", js=_JS, isolate_styles=False)


def ensure_plotly_js():
    """Copy the installed full plotly.js into ``static/`` (as FULL_BUNDLE) unless an identical copy is there.

    Its timestamp is kept: Streamlit sends it as Last-Modified, from which browsers judge how long a copy
    stays fresh.  The partial bundles are put there at setup (``scripts/fetch_plotly_js.py``).
    """
    target = STATIC_DIR / FULL_BUNDLE
    if not target.exists() or target.stat().st_size != PLOTLY_JS.stat().st_size:
        STATIC_DIR.mkdir(exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.partial")
        shutil.copy2(PLOTLY_JS, partial)
        os.replace(partial, target)      # atomic: a server never serves half a file


def _old_way():
    """``COURSE_PLOTLY_BUNDLE=full``: the full bundle for every chart, loaded when the first mounts (the way
    before issue 18, kept for ``benchmarks/bench_first_chart.py``'s comparison in one run)."""
    return os.environ.get("COURSE_PLOTLY_BUNDLE") == "full"


def trace_types(figure):
    """Every trace type in ``figure`` (a ``go.Figure`` or its dict), its animation frames' included.

    A figure is read through ``to_dict``, what the browser gets: ``ui.figures.SpecFigure`` keeps its traces
    there, not in ``figure.data``."""
    spec = figure if isinstance(figure, dict) else figure.to_dict()
    frames = spec.get("frames") or []
    traces = [*spec.get("data", []), *(trace for frame in frames for trace in frame.get("data", []))]
    return {trace.get("type", "scatter") for trace in traces}


def plotly_bundle(figure):
    """The plotly.js the browser draws ``figure`` with, as ``{"url": ..., "rank": n}``: the first of
    PARTIAL_BUNDLES (rank 0, 1) that holds every trace type of the figure and is in ``static/``, or the
    full bundle (rank 2)."""
    types = trace_types(figure)
    for rank, (name, traces) in enumerate(PARTIAL_BUNDLES.items()):
        if not _old_way() and types <= traces and (STATIC_DIR / name).exists():
            return {"url": f"app/static/{name}", "rank": rank}
    return {"url": f"app/static/{FULL_BUNDLE}", "rank": len(PARTIAL_BUNDLES)}


def _eager_preload():
    """``COURSE_PLOTLY_BUNDLE=partial-eager``: the frame's preload also runs the bundle (the way before it only
    fetched it, kept for ``benchmarks/bench_first_chart.py``'s comparison in one run)."""
    return os.environ.get("COURSE_PLOTLY_BUNDLE") == "partial-eager"


def preload_plotly():
    """Start fetching the basic plotly.js (what most lessons draw with) as soon as the frame is drawn; the
    first chart to mount runs it.

    Called once per run by ``app.py``, before the lesson: a hidden ``st.html`` whose script adds a
    ``<link rel=preload>`` for the bundle, so the file is in when a chart's loader (``_LOADER``) adds the
    ``<script>`` that uses it (one request).  Fetched, not run: running the bundle (about 0.25 s of main
    thread on this machine) while React is still showing the page's elements on a cold browser delayed the
    moment the chart's element mounts by about 0.5 s (``benchmarks/bench_first_chart.py``, variant
    ``partial-eager``).  A chart that needs a larger bundle loads that one alone.
    """
    start = plotly_bundle({"data": [{"type": "scatter"}]})
    if start["rank"] == len(PARTIAL_BUNDLES):
        return                           # the old way, or no partial bundle fetched: the charts load the full one
    if _eager_preload():
        load = f"{_LOADER} loadPlotly({json.dumps(start)});"
    else:
        load = ("const link = Object.assign(document.createElement('link'), {rel: 'preload', as: 'script', "
                f"href: new URL({json.dumps(start['url'])}, document.baseURI).href}}); document.head.appendChild(link);")
    st.html(f"<span class='course-plotly-preload'></span>"
            f"<style>.stElementContainer:has(.course-plotly-preload) {{ display: none; }}</style>"
            f"<script>(() => {{ {load} }})();</script>", unsafe_allow_javascript=True)


def step_param(key):
    """The link's name for the step an animated chart shows, e.g. ``vs_paths_step`` (the browser writes it)."""
    return f"{key}_step"


def payload(figure, config=None, key=None, clicks=False):
    """The bytes the browser gets: ``{"config": ..., "figure": <Plotly JSON>}``, with ``key`` the name
    of the link parameter that keeps an animated chart's step (:func:`step_param`), and with ``clicks``
    ``"clicks": true`` (the browser then sends clicks on the plot area back)."""
    settings = json.dumps({**DEFAULT_CONFIG, **(config or {})})
    param = f', "step_param": {json.dumps(step_param(key))}' if key else ""
    param += ', "clicks": true' if clicks else ""
    bundle = json.dumps(plotly_bundle(figure))
    return (f'{{"config": {settings}, "plotly_js": {bundle}, '
            f'"figure": {pio.to_json(figure, validate=False)}{param}}}').encode()


class Click(NamedTuple):
    """A click on a chart's plot area, in the data coordinates of the ``subplot`` it hit (``"xy"``, ``"x2y2"``)."""
    x: float
    y: float
    subplot: str


_SUBPLOT = re.compile(r"x\d{0,2}y\d{0,2}")


def read_click(value):
    """The browser's click trigger value as a :class:`Click`, or None.  It comes from the page, so it is
    untrusted: anything but {x: finite number, y: finite number, subplot: "x…y…"} is None."""
    if not isinstance(value, dict):
        return None
    x, y, subplot = value.get("x"), value.get("y"), value.get("subplot")
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in (x, y))
    if not numbers or not isinstance(subplot, str) or not _SUBPLOT.fullmatch(subplot):
        return None
    return Click(float(x), float(y), subplot)


def show(figure, key, config=None, clicks=False, on_click=None):
    """Draw ``figure`` under ``key``; a rerun with a changed figure redraws the same chart in place.

    An animated figure (frames and ``layout.meta.animation``, as ``ui.figures.paths_figure`` makes) gets
    keyboard-operable Play/Pause, speed and step controls under it; its step survives reruns and is
    kept in the link as ``step_param(key)``.

    With ``clicks`` (or an ``on_click``) a click anywhere on a plot area reruns the script and this call
    returns it as a :class:`Click` (None on other runs).  ``on_click(click)`` is called before that rerun,
    like a widget's callback, so it may set other widgets' values (the start sliders) in ``st.session_state``.
    """
    controls.settle_step_link(step_param(key))      # a hand-edited step gets a notice, like every link value
    clicks = clicks or on_click is not None
    data = payload(figure, config, key, clicks)
    if not clicks:
        _COMPONENT(data=data, key=key)
        return None

    def clicked():
        click = read_click((st.session_state.get(key) or {}).get("click"))
        if click is not None and on_click is not None:
            on_click(click)

    return read_click(_COMPONENT(data=data, key=key, on_click_change=clicked).click)
