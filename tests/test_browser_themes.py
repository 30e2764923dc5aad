"""Every colour a chart draws is readable in the light and in the dark theme (issue 15).

Each page of the navigation (read from app.py) is opened in a light and in a dark browser context
(the app follows the system setting). For every chart the colours are read from what Plotly drew
(``gd._fullData`` / ``gd._fullLayout``): trace lines, markers and text, annotation text and arrows,
shape outlines, the legend's and the axes' text. Each is blended with its opacity over the background
it is drawn on and its WCAG contrast ratio against that background must be at least 3:1 (WCAG 2.1's
1.4.11 for graphical objects; large text's threshold too).

The background: the nearest opaque colour behind the chart in the page (the chart's paper is transparent),
under the figure's own paper and plot colours; an annotation's own box colour when it has one; and for
a trace's line or markers over a 2-D surface picture (a layout image below the data), the picture's pixels
under them: the contrast at each point (up to 300 of them), and the median over the points must reach 3:1.
Two outlines count as the neighbour instead: a line drawn on its casing (a wider line along the same
points just under it, the halo that keeps a path readable on any surface) is measured against the
casing, and a filled marker with a ring of 1.5 px or more (the animation's heads) reads if its fill stands
out from the ring or the ring from the background. Each legend entry's swatch (its line or marker, as the
legend draws it) is measured against the legend's background, the page: a trail readable on a surface picture
may vanish in the legend on the dark theme.

An opaque plot area of the figure's own is measured the other way round: against the page it must not
stand out (below 1.5:1), or it is a band of another colour in one of the themes.

Fills (the momentum page's regime bands, shaded areas) are backgrounds for other marks: a marker or a line is
measured against the fills under its points (closed traces and filled rectangles), composited over the plot.
Heatmaps and images draw data as colour and are not measured.

Text is measured where it is drawn, not at the point it belongs to: a trace's labels and the annotations, each by
a 3 × 3 grid of points over its drawn box, against what lies under each point (the surface picture, the fills
and the plot area of the subplot the point falls in, or the paper outside every plot area), under the
annotation's own box colour if it has one; the smallest ratio counts, since every part of a label must read. A
label anchored on the light surface picture but shifted off it (the inspector's "m̂" at a tip near the top edge)
lies on the page, dark in the dark theme.

A named filled region (a fill trace's or a filled shape's name: a regime band) carries meaning by its colour, so
it is measured itself, as an area, not as a mark:
- against the plot it lies on, a luminance contrast of at least 1.5:1 (MINIMUM_REGION_CONTRAST). WCAG sets no
  number for an area that marks and text are drawn on (its 3:1 is for the marks, and the theme's text must keep
  3:1 on the band, which caps how strong a band can be); 1.5:1 is this test's own line between "no band" and "a
  band" (an opaque plot area above it stands out). Luminance, not hue: a projector in a lit room washes hue out,
  and a colour-blind learner tells areas apart by lightness.
- against a region it touches (two shared vertices, as the regime bands share their edges), a CIE76 colour
  distance ΔE*ab of at least 20 (MINIMUM_NEIGHBOUR_DISTANCE), the threshold tests/test_page_momentum.py uses for
  legend colours (sky blue and Okabe–Ito blue, ΔE 10, read as one). Here hue may do the work: the border is
  there to see, and each band is labelled; luminance alone would force every other band to a heavy colour.
Unnamed shaded areas (the RMSprop page's "runs away" range, the training page's test stretch) are not measured.
"""

import re
import statistics
from pathlib import Path

import pytest

from browser_helpers import assert_rendered_cleanly, open_page, settle
from ui import plot

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
MINIMUM_CONTRAST = 3.0
MINIMUM_REGION_CONTRAST = 1.5          # a named filled region against the plot (luminance: see the module's docstring)
MINIMUM_NEIGHBOUR_DISTANCE = 20        # CIE76 ΔE between two named regions that touch


def navigation_paths():
    """Every page's path, in app.py's order: "/" for the default page, "/<url_path>" for the others."""
    source = (ROOT / "app.py").read_text()
    paths = []
    for call in re.findall(r"st\.Page\((.*?)\)", source, flags=re.S):
        if "default=True" in call:
            paths.append("/")
        else:
            url_path = re.search(r'url_path="([^"]+)"', call)
            paths.append("/" + (url_path.group(1) if url_path else Path(re.search(r'"([^"]+)"', call).group(1)).stem))
    return paths


PAGES = navigation_paths()


# ---- what the browser drew -------------------------------------------------------------------------------
# Every colour comes back as [r, g, b, a] (0-255, alpha 0-1), normalised by the browser's own CSS parser (a
# canvas's fillStyle), so named colours, #rgb, rgb() and rgba() all arrive in one form.

JS_DRAWN_COLOURS = r"""async () => {
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const rgba = colour => {
    if (typeof colour !== 'string' || !colour) return null;
    ctx.fillStyle = '#010203';          // an invalid colour leaves fillStyle unchanged: detect it
    ctx.fillStyle = colour;
    const value = ctx.fillStyle;
    if (value === '#010203' && colour.replace(/\s/g, '').toLowerCase() !== '#010203') return null;
    if (value.startsWith('#')) return [1, 3, 5].map(i => parseInt(value.slice(i, i + 2), 16)).concat([1]);
    const parts = value.match(/[\d.]+/g).map(Number);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  };
  const opaqueBehind = element => {
    // The nearest ancestor with a background colour that shows (Streamlit's app root has the theme's).
    for (let node = element; node && node !== document; node = node.parentElement) {
      const colour = rgba(getComputedStyle(node).backgroundColor);
      if (colour && colour[3] > 0) return colour;
    }
    return [255, 255, 255, 1];
  };
  const over = (top, bottom) => {
    // ``top`` (with its alpha) composited over the opaque ``bottom``, as the browser paints it.
    if (!top) return bottom;
    const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  const pictures = {};
  const picture = async source => {
    // The pixels of a layout image (a data-URI PNG), read through a canvas.
    if (!pictures[source]) {
      pictures[source] = new Promise(resolve => {
        const image = new Image();
        image.onload = () => {
          const c = document.createElement('canvas');
          c.width = image.naturalWidth; c.height = image.naturalHeight;
          const cx = c.getContext('2d', {willReadFrequently: true});
          cx.drawImage(image, 0, 0);
          resolve({width: c.width, height: c.height, pixels: cx.getImageData(0, 0, c.width, c.height).data});
        };
        image.onerror = () => resolve(null);
        image.src = source;
      });
    }
    return pictures[source];
  };
  const text = value => String(value == null ? '' : value).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 60);
  const number = value => (value === null || value === undefined || value === '') ? NaN : Number(value);

  const charts = [];
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  for (const [index, gd] of plots.entries()) {
    const layout = gd._fullLayout;
    if (!layout || !gd._fullData) { charts.push({index, missing: true}); continue; }
    const page = opaqueBehind(gd.parentElement);
    const paper = over(rgba(layout.paper_bgcolor), page);
    const plotArea = over(rgba(layout.plot_bgcolor), paper);
    const own = gd.layout;      // the figure as sent: _fullLayout fills in placeholders ("Click to enter Plot title")
    const axisTitle = name => text(own[name] && own[name].title && (own[name].title.text || own[name].title));
    const name = text(own.title && (own.title.text || own.title))
      || [axisTitle('xaxis'), axisTitle('yaxis')].filter(Boolean).join(' / ')
      || gd._fullData.map(t => t.name).filter(Boolean).slice(0, 3).join(', ');
    const marks = [];
    // Background pictures, by the axes they are drawn on (ui/figures.surface_background's PNG).
    const surfaces = [];
    for (const image of layout.images || []) {
      if (image.visible === false || image.layer !== 'below' || !image.source) continue;
      const pixels = await picture(image.source);
      if (!pixels) continue;
      const xa = layout[image.xref.replace(/^x/, 'xaxis')], ya = layout[image.yref.replace(/^y/, 'yaxis')];
      if (!xa || !ya) continue;
      const x0 = image.x - (image.xanchor === 'center' ? image.sizex / 2 : image.xanchor === 'right' ? image.sizex : 0);
      const yTop = image.y + (image.yanchor === 'middle' ? image.sizey / 2 : image.yanchor === 'bottom' ? image.sizey : 0);
      surfaces.push({xref: image.xref, yref: image.yref, x0, yTop, sizex: image.sizex, sizey: image.sizey, ...pixels});
    }
    const surfaceUnder = (xref, yref, xs, ys) => {
      // The picture's colours under the points (x, y), or null when no picture lies under these axes.
      const s = surfaces.find(s => s.xref === xref && s.yref === yref);
      if (!s) return null;
      const colours = [];
      const count = Math.min(xs.length, ys.length);
      const stride = Math.max(1, Math.ceil(count / 300));
      for (let i = 0; i < count; i += stride) {
        const x = number(xs[i]), y = number(ys[i]);
        if (!isFinite(x) || !isFinite(y)) continue;
        const col = Math.floor((x - s.x0) / s.sizex * s.width), row = Math.floor((s.yTop - y) / s.sizey * s.height);
        if (col < 0 || row < 0 || col >= s.width || row >= s.height) { colours.push(plotArea); continue; }
        const k = 4 * (row * s.width + col);
        colours.push(over([s.pixels[k], s.pixels[k + 1], s.pixels[k + 2], s.pixels[k + 3] / 255], plotArea));
      }
      return colours.length ? colours : null;
    };
    // Translucent areas under a point: the fills of closed traces (fill "toself", e.g. the regime map's bands)
    // and filled rectangles, composited over ``base`` in drawing order. Coordinates are data values.
    const inside = (px, py, xs, ys) => {
      let hit = false;
      for (let i = 0, j = xs.length - 1; i < xs.length; j = i++) {
        const xi = number(xs[i]), yi = number(ys[i]), xj = number(xs[j]), yj = number(ys[j]);
        if (![xi, yi, xj, yj].every(isFinite)) continue;
        if ((yi > py) !== (yj > py) && px < (xj - xi) * (py - yi) / (yj - yi) + xi) hit = !hit;
      }
      return hit;
    };
    const areasAt = (xref, yref, x, y, base) => {
      let colour = base;
      for (const trace of gd._fullData) {
        if (trace.visible !== true || trace.fill !== 'toself' || trace.xaxis !== xref || trace.yaxis !== yref) continue;
        if (inside(x, y, Array.from(trace.x), Array.from(trace.y))) {
          const fill = rgba(trace.fillcolor);
          if (fill) colour = over([...fill.slice(0, 3), fill[3] * (trace.opacity ?? 1)], colour);
        }
      }
      for (const shape of layout.shapes || []) {
        if (shape.visible === false || shape.type !== 'rect' || !shape.fillcolor) continue;
        // A side given in paper or axis-domain fractions is taken as spanning the whole side.
        const xs = shape.xref.endsWith('domain') || shape.xref === 'paper', ys = shape.yref.endsWith('domain') || shape.yref === 'paper';
        if ((shape.xref !== 'paper' && shape.xref.split(' ')[0] !== xref)
            || (shape.yref !== 'paper' && shape.yref.split(' ')[0] !== yref)) continue;
        const inX = xs || (x >= Math.min(shape.x0, shape.x1) && x <= Math.max(shape.x0, shape.x1));
        const inY = ys || (y >= Math.min(shape.y0, shape.y1) && y <= Math.max(shape.y0, shape.y1));
        const fill = rgba(shape.fillcolor);
        if (inX && inY && fill) colour = over([...fill.slice(0, 3), fill[3] * (shape.opacity ?? 1)], colour);
      }
      return colour;
    };
    const dataValue = (axisRef, value) => {
      // An annotation's position on a log axis is the log10 of the data value.
      const axis = layout[axisRef.replace(/^x/, 'xaxis').replace(/^y/, 'yaxis')];
      return axis && axis.type === 'log' ? 10 ** number(value) : number(value);
    };
    // What lies under a point of the chart drawn at (left, top) in the window: the picture or the fills and the plot
    // area of the subplot it falls in, or the paper outside every plot area (where a label hanging off the plot sits).
    const chartBox = gd.getBoundingClientRect();
    const backgroundAt = (left, top) => {
      const px = left - chartBox.left, py = top - chartBox.top;
      for (const subplot of Object.values(layout._plots || {})) {
        const xa = subplot.xaxis, ya = subplot.yaxis;
        if (!xa || !ya || px < xa._offset || px > xa._offset + xa._length || py < ya._offset || py > ya._offset + ya._length) continue;
        const x = xa.p2d(px - xa._offset), y = ya.p2d(py - ya._offset);
        const picture = surfaceUnder(xa._id, ya._id, [x], [y]);
        return picture ? picture[0] : areasAt(xa._id, ya._id, x, y, plotArea);
      }
      return paper;
    };
    // The backgrounds under a drawn text: a 3 × 3 grid over its box (a label half off the picture is half on the page).
    const underText = element => {
      const r = element.getBoundingClientRect();
      if (!(r.width > 0 && r.height > 0)) return null;
      const points = [];
      for (const fx of [0.15, 0.5, 0.85]) for (const fy of [0.25, 0.5, 0.75]) {
        points.push(backgroundAt(r.left + fx * r.width, r.top + fy * r.height));
      }
      return points;
    };
    const mark = (element, colour, opacity, backgrounds, ring = null, worst = false) => {
      const value = rgba(colour);
      if (!value) return;
      marks.push({element, colour: String(colour), rgba: value, opacity, backgrounds, ring, worst});
    };
    const each = value => Array.isArray(value) || ArrayBuffer.isView(value) ? [...new Set(Array.from(value))] : [value];

    // A casing: a wider line drawn just under another line along the same points (a halo that keeps a path
    // readable on any surface). The line on top is measured against its casing; the casing is its outline.
    const samePoints = (a, b) => {
      const ax = Array.from(a.x || []), bx = Array.from(b.x || []), ay = Array.from(a.y || []), by = Array.from(b.y || []);
      return a.xaxis === b.xaxis && a.yaxis === b.yaxis && ax.length === bx.length && ax.length > 1
        && ax.every((x, i) => String(x) === String(bx[i]) && String(ay[i]) === String(by[i]));
    };
    const drawsLine = t => t.visible === true && (t.mode || '').includes('lines') && t.line && t.line.width > 0;
    const casingOf = new Map(), casings = new Set();
    gd._fullData.forEach((trace, i) => {
      if (!drawsLine(trace)) return;
      for (let j = i - 1; j >= 0; j--) {
        const under = gd._fullData[j];
        if (drawsLine(under) && under.line.width >= trace.line.width + 2 && samePoints(under, trace)) {
          casingOf.set(i, under); casings.add(j); break;
        }
      }
    });
    for (const [i, trace] of gd._fullData.entries()) {
      if (trace.visible !== true || casings.has(i)) continue;
      const label = `trace ${JSON.stringify(text(trace.name) || String(trace.index))}`;
      const opacity = trace.opacity === undefined ? 1 : trace.opacity;
      if (trace.type === 'scatter' || trace.type === 'scattergl') {
        const mode = trace.mode || '';
        const xs = Array.from(trace.x || []), ys = Array.from(trace.y || []);
        if (!xs.some((x, i) => isFinite(number(x)) && isFinite(number(ys[i])))) continue;   // nothing drawn
        const behind = surfaceUnder(trace.xaxis, trace.yaxis, xs, ys) || [plotArea];
        // Markers and text sit at points: over the areas there (a line crosses them, and is measured on the plot).
        const atPoints = surfaceUnder(trace.xaxis, trace.yaxis, xs, ys)
          || xs.map((x, k) => areasAt(trace.xaxis, trace.yaxis, number(x), number(ys[k]), plotArea))
               .filter((c, k) => isFinite(number(xs[k])) && isFinite(number(ys[k])));
        if (mode.includes('lines') && trace.line && trace.line.width > 0) {
          const casing = casingOf.get(i);
          const casingColour = casing && rgba(casing.line.color);
          const lineBehind = casingColour ? behind.map(colour => over(
            [...casingColour.slice(0, 3), casingColour[3] * (casing.opacity === undefined ? 1 : casing.opacity)], colour)) : behind;
          mark(`${label} line` + (casing ? ' (on its casing)' : ''), trace.line.color, opacity, lineBehind);
        }
        if (mode.includes('markers') && trace.marker) {
          const m = trace.marker;
          const open = String(m.symbol).includes('open') || String(m.symbol).includes('-thin');
          const markerOpacities = each(m.opacity === undefined ? 1 : m.opacity);
          for (const fill of each(m.color)) {
            const fillValue = rgba(fill);
            // A marker's shape is its fill, or its outline where the fill is see-through or the symbol open.
            const shown = (!open && fillValue && fillValue[3] > 0) ? fill
                        : (m.line && m.line.width > 0 ? (Array.isArray(m.line.color) ? m.line.color[0] : m.line.color) : fill);
            if (typeof shown !== 'string') continue;      // a colour scale maps data to colour: not measured
            // A filled marker with a ring of at least 1.5 px (the heads' white ring) is measured against its ring.
            const ring = shown === fill && m.line && m.line.width >= 1.5 && typeof m.line.color === 'string'
              ? rgba(m.line.color) : null;
            for (const markerOpacity of markerOpacities) {
              mark(`${label} markers` + (ring ? ' (with a ring)' : ''), shown, opacity * markerOpacity, atPoints, ring);
            }
          }
        }
        if (mode.includes('text') && trace.textfont) {
          // Each label where it is drawn (beside its point, perhaps off the plot): against every part of what is under it.
          const group = [...gd.querySelectorAll('.scatterlayer g.trace')].find(g => g.__data__ && g.__data__[0]
                                                                                 && g.__data__[0].trace === trace);
          const colours = each(trace.textfont.color);
          (group ? [...group.querySelectorAll('g.textpoint text')] : []).forEach((element, k) => {
            const under = text(element.textContent) && underText(element);
            if (under) mark(`${label} text ${JSON.stringify(text(element.textContent))}`,
                            colours[Math.min(k, colours.length - 1)], opacity, under, null, true);
          });
        }
      } else if (trace.type === 'bar') {
        for (const colour of each(trace.marker && trace.marker.color)) {
          if (typeof colour === 'string') mark(`${label} bars`, colour, opacity * (each(trace.marker.opacity)[0] ?? 1), [plotArea]);
        }
      }
    }
    for (const [i, note] of (layout.annotations || []).entries()) {
      if (note.visible === false || !text(note.text)) continue;
      const onData = note.xref !== 'paper' && note.yref !== 'paper';     // on the axes: maybe over a picture
      const under = onData ? surfaceUnder(note.xref, note.yref, [note.x], [note.y]) : null;
      const base = under || [note.xref === 'paper' && note.yref === 'paper' ? paper
        : onData ? areasAt(note.xref, note.yref, dataValue(note.xref, note.x), dataValue(note.yref, note.y), plotArea)
        : plotArea];
      const box = rgba(note.bgcolor);
      const boxed = colours => box && box[3] > 0 ? colours.map(colour => over(box, colour)) : colours;
      const label = `annotation ${JSON.stringify(text(note.text))}`;
      // The text where it is drawn (shifted and anchored away from its point, over the plot, a fill, a picture or the
      // paper), under its own box if it has one: every part of it must read.
      const drawn = gd.querySelector(`g.annotation[data-index="${i}"] .annotation-text-g text`);
      const behindText = drawn && underText(drawn);
      mark(`${label} text`, note.font && note.font.color, 1, boxed(behindText || base), null, Boolean(behindText));
      if (note.showarrow) mark(`${label} arrow`, note.arrowcolor, 1, base);
    }
    for (const [i, shape] of (layout.shapes || []).entries()) {
      if (shape.visible === false || !shape.line || !(shape.line.width > 0)) continue;
      mark(`shape ${i} (${shape.type}) line`, shape.line.color, shape.opacity === undefined ? 1 : shape.opacity,
           [plotArea]);
    }
    if (layout.showlegend && gd._fullData.some(t => t.visible === true && t.showlegend)) {
      const legendBox = over(rgba(layout.legend.bgcolor), paper);
      mark('legend text', layout.legend.font.color, 1, [legendBox]);
      // Each entry's swatch (its line, its marker) as drawn on the legend: the page, not the surface its trace is on.
      gd.querySelectorAll('.legend .traces').forEach(entry => {
        const label = `legend swatch ${JSON.stringify(text(entry.querySelector('.legendtext')?.textContent))}`;
        entry.querySelectorAll('.legendlines path, .legendpoints path').forEach(path => {
          const css = getComputedStyle(path);
          let opacity = 1;
          for (let node = path; node && node !== entry.parentElement; node = node.parentElement) {
            opacity *= Number(getComputedStyle(node).opacity);
          }
          const stroke = parseFloat(css.strokeWidth) > 0 && css.stroke !== 'none' ? css.stroke : null;
          const fill = css.fill !== 'none' && rgba(css.fill) && rgba(css.fill)[3] > 0 ? css.fill : null;
          const strokeOpacity = opacity * Number(css.strokeOpacity), fillOpacity = opacity * Number(css.fillOpacity);
          if (fill && stroke && parseFloat(css.strokeWidth) >= 1.5) {
            mark(`${label} marker (with a ring)`, fill, fillOpacity, [legendBox], rgba(stroke));
          } else if (fill) {
            mark(`${label} marker`, fill, fillOpacity, [legendBox]);
          } else if (stroke) {
            mark(`${label} line`, stroke, strokeOpacity, [legendBox]);
          }
        });
      });
    }
    for (const key of Object.keys(layout).filter(key => /^[xy]axis\d*$/.test(key))) {
      const axis = layout[key];
      if (!axis || axis.visible === false) continue;
      if (axis.showticklabels && axis.tickfont) mark(`${key} tick labels`, axis.tickfont.color, 1, [paper]);
      const ownAxis = own[key] || {};
      if (ownAxis.title && text(ownAxis.title.text || ownAxis.title) && axis.title.font) mark(`${key} title`, axis.title.font.color, 1, [paper]);
    }
    if (own.title && text(own.title.text || own.title)) mark('chart title', layout.title.font.color, 1, [paper]);
    // Named filled regions (a closed or stacked trace's fill, a filled shape with a name): each composited over the
    // plot area, and for traces which others they touch (two shared vertices: the regime map's bands share edges).
    const regions = [];
    const vertices = trace => new Set(Array.from(trace.x || []).map((x, k) => `${number(x)},${number(trace.y[k])}`)
                                          .filter(key => !key.includes('NaN')));
    gd._fullData.forEach((trace, i) => {
      const name = text(gd.data[trace.index] && gd.data[trace.index].name);
      const fill = rgba(trace.fillcolor);
      if (trace.visible !== true || !name || !trace.fill || trace.fill === 'none' || !fill) return;
      regions.push({name, rgba: fill, opacity: trace.opacity ?? 1, background: plotArea, axes: trace.xaxis + trace.yaxis,
                    vertices: vertices(trace)});
    });
    for (const shape of layout.shapes || []) {
      const fill = rgba(shape.fillcolor);
      if (shape.visible !== false && text(shape.name) && fill && fill[3] > 0) {
        regions.push({name: text(shape.name), rgba: fill, opacity: shape.opacity ?? 1, background: plotArea,
                      axes: null, vertices: new Set()});
      }
    }
    for (const region of regions) {
      region.neighbours = regions.filter(other => other !== region && other.axes === region.axes
        && [...other.vertices].filter(key => region.vertices.has(key)).length >= 2).map(other => other.name);
    }
    regions.forEach(region => { delete region.vertices; delete region.axes; });
    // An opaque plot area of its own is a band of another colour on the page (the dark theme's "white band").
    const plotFill = rgba(layout.plot_bgcolor);
    if (plotFill && plotFill[3] > 0) marks.push({element: 'plot area background', colour: String(layout.plot_bgcolor),
                                       rgba: plotFill, opacity: 1, backgrounds: [page], band: true});
    charts.push({index, name, page, marks, regions});
  }
  return charts;
}"""


# ---- WCAG 2.1 contrast -------------------------------------------------------------------------------

def relative_luminance(rgb):
    """WCAG's relative luminance of an sRGB colour given as 0-255 channels."""
    def linear(channel):
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a, b):
    """(L_lighter + 0.05) / (L_darker + 0.05): 1 for the same colour, 21 for black on white."""
    la, lb = relative_luminance(a), relative_luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def blend(colour, alpha, background):
    """``colour`` painted with opacity ``alpha`` over the opaque ``background`` (sRGB, as browsers paint)."""
    return [c * alpha + g * (1 - alpha) for c, g in zip(colour[:3], background[:3])]


def cielab(rgb):
    """CIE L*a*b* (D65) of an sRGB colour given as 0-255 channels: L* 0 (black) to 100 (white)."""
    def linear(channel):
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb[:3])
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def colour_distance(a, b):
    """CIE76 ΔE: the distance between two colours in L*a*b*; about 2.3 is just noticeable side by side."""
    return sum((p - q) ** 2 for p, q in zip(cielab(a), cielab(b))) ** 0.5


def drawn_contrast(mark):
    """The median over the mark's backgrounds of its contrast, its colour blended with its opacity first; the
    smallest for a text measured where it is drawn (``worst``: every part of a label must read).

    A marker with a ring reads if its fill stands out from the ring or the ring from the background.
    """
    alpha = mark["rgba"][3] * mark["opacity"]

    def contrast(background):
        against = contrast_ratio(blend(mark["rgba"], alpha, background), background)
        if not mark.get("ring"):
            return against
        ring = blend(mark["ring"], mark["ring"][3] * mark["opacity"], background)
        return max(contrast_ratio(blend(mark["rgba"], alpha, ring), ring), contrast_ratio(ring, background))

    ratios = [contrast(background) for background in mark["backgrounds"]]
    return min(ratios) if mark.get("worst") else statistics.median(ratios)


def test_contrast_helpers_match_wcag():
    assert contrast_ratio([0, 0, 0], [255, 255, 255]) == pytest.approx(21.0)
    assert contrast_ratio([119, 119, 119], [255, 255, 255]) == pytest.approx(4.48, abs=0.01)   # #777 on white
    assert contrast_ratio([255, 255, 255], [14, 17, 23]) == pytest.approx(18.90, abs=0.01)    # on Streamlit's dark
    assert blend([0, 0, 0], 0.5, [255, 255, 255]) == [127.5, 127.5, 127.5]
    assert navigation_paths()[0] == "/" and len(navigation_paths()) >= 12      # the overview and every lesson
    assert cielab([255, 255, 255]) == pytest.approx((100, 0, 0), abs=0.05)
    assert colour_distance([0, 0, 0], [255, 255, 255]) == pytest.approx(100, abs=0.05)
    assert colour_distance([255, 0, 0], [0, 255, 0]) == pytest.approx(170.6, abs=0.5)     # Bruce Lindbloom's calculator


def unreadable_regions(chart):
    """(element, colour, figure) for each named filled region too close to the plot (luminance contrast below
    MINIMUM_REGION_CONTRAST) or to a region it touches (CIE76 ΔE below MINIMUM_NEIGHBOUR_DISTANCE)."""
    drawn = {region["name"]: blend(region["rgba"], region["rgba"][3] * region["opacity"], region["background"])
             for region in chart["regions"]}
    found = []
    for region in chart["regions"]:
        name, colour = region["name"], drawn[region["name"]]
        ratio = contrast_ratio(colour, region["background"])
        if ratio < MINIMUM_REGION_CONTRAST:
            found.append((f"region {name!r} against the plot", region["rgba"], round(ratio, 2)))
        for other in region["neighbours"]:
            distance = colour_distance(colour, drawn[other])
            if name < other and distance < MINIMUM_NEIGHBOUR_DISTANCE:
                found.append((f"regions {name!r} and {other!r} side by side: CIELAB ΔE", region["rgba"], round(distance, 1)))
    return found


def unreadable_marks(browser, app_url, path, scheme):
    """(page, theme, chart, element, colour, ratio) for each mark below MINIMUM_CONTRAST, and the charts seen."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, color_scheme=scheme)
    context.set_default_timeout(20_000)
    try:
        tab = context.new_page()
        open_page(tab, app_url + path)
        settle(tab)
        assert_rendered_cleanly(tab)
        charts = tab.evaluate(JS_DRAWN_COLOURS)
    finally:
        context.close()
    failures = []
    for chart in charts:
        assert not chart.get("missing"), f"{path} ({scheme}): chart {chart['index']} was never drawn"
        where = f"chart {chart['index']} ({chart['name']})"
        failures += [(path, scheme, where, element, str(colour), figure) for element, colour, figure in unreadable_regions(chart)]
        for mark in chart["marks"]:
            ratio = drawn_contrast(mark)
            if mark.get("band"):
                # A plot area painted over the page must not stand out as a band: as near the page as a mark is far.
                if ratio >= 1.5:
                    failures.append((path, scheme, where, mark["element"], mark["colour"], round(ratio, 2)))
            elif ratio < MINIMUM_CONTRAST:
                opacity = f" at opacity {mark['opacity']:.2g}" if mark["opacity"] < 1 else ""
                failures.append((path, scheme, where, mark["element"], mark["colour"] + opacity, round(ratio, 2)))
    return failures, charts


@pytest.mark.parametrize("path", PAGES)
def test_every_drawn_colour_is_readable_in_both_themes(browser, app_url, path):
    failures, backgrounds = [], {}
    for scheme in ("light", "dark"):
        found, charts = unreadable_marks(browser, app_url, path, scheme)
        failures += found
        backgrounds[scheme] = {tuple(chart["page"][:3]) for chart in charts}
        if path != "/":
            assert charts and all(chart["marks"] for chart in charts), f"{path} ({scheme}): no chart was measured"
    if path != "/":
        assert backgrounds["light"] != backgrounds["dark"], \
            f"{path}: the charts sit on the same background in both themes ({backgrounds}): the theme did not switch"
    assert not failures, (f"{len(failures)} colours below {MINIMUM_CONTRAST}:1 against what they are drawn on "
                          "(page, theme, chart, element, colour, ratio):\n" + "\n".join(map(repr, failures)))


# ---- the measure itself, on a chart made for it -----------------------------------------------------------

PLOTLY_JS = plot.PLOTLY_JS          # the installed package's (static/ has it only once a server has started)
TEST_CHART = r"""() => {
  const band = (name, x0, colour) => ({type: 'scatter', name, x: [x0, x0 + 10, x0 + 10, x0, x0], y: [0, 0, 10, 10, 0],
                                      fill: 'toself', fillcolor: colour, mode: 'lines', line: {width: 0}});
  const label = (name, x, y) => ({type: 'scatter', name, x: [x], y: [y], mode: 'text', text: [name],
                                  textposition: 'top center', textfont: {color: '#222222', size: 14}, cliponaxis: false});
  const note = (text, x, y, yshift) => ({text, x, y, yshift, xref: 'x', yref: 'y', showarrow: false, yanchor: 'bottom',
                                         font: {color: '#222222', size: 14}});
  return Plotly.newPlot('gd', [band('lit', 0, '#f0f0f0'), band('twin', 10, '#ebebeb'), band('faint', 20, '#282828'),
                               label('up', 15, 10), label('in', 5, 3)],
    {width: 500, height: 320, margin: {l: 40, r: 20, t: 80, b: 40}, showlegend: false,
     paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)',
     xaxis: {range: [0, 30]}, yaxis: {range: [0, 10]},
     annotations: [note('off', 5, 9.5, 40), note('on', 5, 5, 0)]});
}"""


def test_the_measure_reads_labels_where_they_are_drawn_and_tells_regions_apart(browser):
    """On a dark page (rgb 23, 22, 20), dark labels (#222) anchored on a light band: "on" and "in" are drawn on it,
    "off" (an annotation shifted up) and "up" (a trace's text above a point on the plot's top edge) are drawn on the
    page above the plot, where they vanish. The light bands "lit" and "twin" touch and look alike; "faint" is
    near the page's colour. Measured at the anchor point, as before, "off" read as on its band."""
    context = browser.new_context(viewport={"width": 600, "height": 400}, color_scheme="dark")
    try:
        page = context.new_page()
        page.set_content("<body style='margin:0; background: rgb(23, 22, 20)'><div id='gd'></div></body>")
        page.add_script_tag(path=str(PLOTLY_JS))
        page.evaluate(TEST_CHART)
        [chart] = page.evaluate(JS_DRAWN_COLOURS)
    finally:
        context.close()
    ratios = {mark["element"]: drawn_contrast(mark) for mark in chart["marks"]}
    labels = {'annotation "off" text', 'annotation "on" text', 'trace "up" text "up"', 'trace "in" text "in"'}
    assert labels <= set(ratios), sorted(ratios)
    assert {element for element in labels if ratios[element] < MINIMUM_CONTRAST} == \
        {'annotation "off" text', 'trace "up" text "up"'}, {element: ratios[element] for element in labels}
    assert {element for element, _, _ in unreadable_regions(chart)} == \
        {"region 'faint' against the plot", "regions 'lit' and 'twin' side by side: CIELAB ΔE"}, unreadable_regions(chart)
