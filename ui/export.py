"""Take it home: an animated chart's paths as a CSV, an animated GIF, an MP4 video and a PNG of one step.

Everything is rendered on the server from the same :class:`ui.runs.Path` objects the chart draws, with
Pillow (no browser, nothing fetched): the surface picture (or the loss curve and the θ-against-step
panel of a 1-D chart), each path growing step by step over its faint full length, the heads, the
legend and a step counter, in the page's light or dark colours.

The builders (:func:`csv_text`, :func:`render_frame`, :func:`gif_bytes`, :func:`mp4_bytes`,
:func:`png_bytes`) are pure; :func:`offer` is the one Streamlit function, placed under a chart.  The
CSV, the GIF and the MP4 (the GIF's frames, encoded by the ffmpeg that imageio-ffmpeg's wheel ships)
are made only when their button is pressed (``st.download_button`` with a callable: Streamlit runs it
on a thread of its own, shows a spinner on the button meanwhile, and does not rerun the page).  The PNG
needs the step the learner is looking at, which the chart changes in the browser without telling the
server: its button (a small HTML component) reads that step when pressed and reruns only its own
fragment, which then offers the frame as a download.
"""

import base64
import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

import numpy as np
import streamlit as st
from PIL import Image, ImageDraw, ImageFont

import optimizers as opt

from .figures import MARKER_STEPS, frame_steps, last_finite, star_label, stop_text, surface_background

GIF_WIDTH, PNG_WIDTH = 720, 2560          # pixels; the PNG is 2× a 1280-wide slide
GIF_FRAMES = 60                            # at most this many frames (plus the start), evenly spread
FRAME_MS, HOLD_MS = 100, 1500              # per frame, and on the last frame before the loop restarts
STATE_COLUMNS = ("m", "v", "v_max", "m_hat", "v_hat", "lr_eff", "buf")   # what a run keeps, in the CSV's order


# ---- colours and fonts -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Theme:
    background: tuple
    text: tuple
    border: tuple


# Streamlit 1.67's page colours (--st-background-color, --st-text-color, --st-border-color over the page),
# as read in the browser; .streamlit/config.toml sets only the primary colour.
THEMES = {"light": Theme((255, 255, 255), (47, 45, 43), (213, 213, 213)),
          "dark": Theme((23, 22, 20), (237, 235, 232), (66, 64, 62))}
# The minimum star: white with a dark edge, as on the page (ui/figures._base_2d), so it reads on both themes.
WHITE, CURVE_GREY, STAR_EDGE = (255, 255, 255), (136, 136, 136), (34, 34, 34)
FONT_FILES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVuSans.ttf")


@lru_cache(maxsize=32)
def font(size: int) -> ImageFont.ImageFont:
    """DejaVu Sans (θ, β, ², ✕ included) where installed, else Pillow's built-in font."""
    for name in FONT_FILES:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def rgb(colour: str) -> tuple:
    """'#RRGGBB' -> (r, g, b)."""
    colour = colour.lstrip("#")
    return tuple(int(colour[i:i + 2], 16) for i in (0, 2, 4))


def mix(colour: tuple, other: tuple, amount: float) -> tuple:
    """``colour`` moved ``amount`` of the way to ``other`` (the faint full path: towards what is under it)."""
    return tuple(round(c + (o - c) * amount) for c, o in zip(colour, other))


# ---- the CSV -----------------------------------------------------------------------------------------

def coordinate_names(dim: int) -> tuple:
    return ("theta",) if dim == 1 else ("x", "y")


def traced_states(spec, hyper: dict, surface, path) -> Optional[dict]:
    """The gradients, the optimizer's per-step state and the updates for ``path``, from a core run with
    ``keep_state=True``: name -> ``(steps, D)``.

    Returned only when that run's points equal the path's to the last bit (the same settings, surface
    and start), so the CSV never pairs a path with the numbers of another run; None otherwise.
    """
    steps = len(path.points) - 1
    try:
        optimizer = spec.build(dict(hyper))
        traj = opt.run(optimizer, surface.grad, path.points[0], steps, loss_fn=surface.loss, keep_state=True)
    except ValueError:
        return None
    if not np.array_equal(traj.params, path.points, equal_nan=True):
        return None
    states = {"grad": traj.grads}
    states.update({name: traj.states[name] for name in STATE_COLUMNS if name in traj.states})
    if not np.any(optimizer.hyperparams.get("momentum", 0.0)):
        states.pop("buf", None)          # SGD without momentum keeps g itself as its "buffer"
    if not keeps_running_max(optimizer):
        states.pop("v_max", None)        # Adam and AdaBound carry it, unused (zeros), unless AMSGrad/AMSBound
    states["update"] = traj.updates
    return states


def keeps_running_max(optimizer) -> bool:
    """True when ``optimizer`` divides by the running maximum of v (AMSGrad, AMSBound), not by v."""
    return bool(np.any(optimizer.hyperparams.get("amsgrad", False)) or
                np.any(optimizer.hyperparams.get("amsbound", False)))


def state_notes(optimizer, states: dict) -> list:
    """What an optimizer's columns mean where the general header line would mislead: AMSGrad's v_hat is the
    bias-corrected running max, max(v)/(1−β₂ᵗ), given with that max (v_max); AdaBound's lr_eff is its clipped
    step size η_t, which multiplies the raw m (not m̂)."""
    notes = []
    if "v_max" in states:
        hat = "; v_hat = v_max/(1-beta2^t), the bias-corrected running max (not v/(1-beta2^t))" \
            if "v_hat" in states else ""
        notes.append(f"v_max = the running max of v over steps 1..t, what it divides by{hat}")
    if optimizer.name == "AdaBound":
        root = "sqrt(v_max)" if "v_max" in states else "sqrt(v)"
        notes.append(f"lr_eff = the clipped step size eta_t = clip(lr*sqrt(1-beta2^t)/(1-beta1^t)/({root}+eps), "
                     "final_lr*(1-1/(gamma*t+1)), final_lr*(1+1/(gamma*t))), which multiplies the raw m: "
                     "update = -lr_eff*m (not m_hat)")
    return notes


def _number(value: float) -> str:
    """Shortest text that reads back as the same float64; empty for NaN (a step after divergence)."""
    return "" if not np.isfinite(value) else repr(float(value))


def csv_text(surface, paths, settings: Optional[dict] = None, states: Optional[dict] = None,
             notes: Optional[dict] = None) -> str:
    r"""Every path's numbers, one row per optimizer and step, under a header that names the settings.

    Columns: optimizer, step t, the point θ_t, the loss f(θ_t); then, where the run kept them, for each
    coordinate: the gradient g_t step t used (at θ_{t−1}), the state after step t: m, v,
    m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ), the effective learning rate α/(√v̂+ε) (``lr_eff``; torch's ε
    placement), the momentum buffer, and the update θ_t − θ_{t−1}.  Step 0 (the start) has none.
    ``settings``: path key -> hyperparameter dict; ``states``: path key -> {name: (steps, D)} (from
    :func:`traced_states`); ``notes``: path key -> lines that say what its columns mean where the general
    line does not (:func:`state_notes`: AMSGrad's v_max and v_hat, AdaBound's lr_eff).
    """
    settings, states, notes = settings or {}, states or {}, notes or {}
    paths = [p for p in paths if p.error is None]
    coords = coordinate_names(surface.dim)
    kept = [name for name in ("grad",) + STATE_COLUMNS + ("update",)
            if any(name in states.get(p.key, {}) for p in paths)]
    state_columns = [f"{name}_{c}" for name in kept for c in coords]
    start = ", ".join(f"{v:g}" for v in paths[0].points[0]) if paths else ""
    lines = [f"# Adam, from the inside: {surface.title}, {surface.latex}, start ({start}), "
             f"{max((len(p.points) - 1 for p in paths), default=0)} steps"]
    for path in paths:
        hyper = settings.get(path.key)
        named = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                          for k, v in sorted(hyper.items())) if hyper else "settings as on the page"
        diverged = f"; left the finite numbers at step {path.diverged_at}" if path.diverged_at >= 0 else ""
        lines.append(f"# {path.label}: {named}{diverged}")
    lines.append("# row t: the point after t steps and its loss; grad = the gradient step t used (at row "
                 "t-1's "
                 "point); m, v and the bias-corrected m_hat, v_hat after step t; lr_eff = the per-coordinate "
                 "learning rate (Adam: lr/(sqrt(v_hat)+eps), RMSprop: lr/(sqrt(v)+eps)); buf = the momentum "
                 "buffer; update = theta_t - theta_(t-1); empty where a run has none")
    lines += [f"# {path.label}: {note}" for path in paths for note in notes.get(path.key, ())]
    lines.append(",".join(["optimizer", "step", *coords, "loss", *state_columns]))
    for path in paths:
        own = states.get(path.key, {})
        for t in range(len(path.points)):
            row = [_quoted(path.label), str(t), *map(_number, path.points[t]), _number(path.losses[t])]
            for name in kept:
                values = own.get(name)
                row += ([_number(v) for v in values[t - 1]] if values is not None and t > 0
                        else [""] * len(coords))
            lines.append(",".join(row))
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text


# ---- geometry ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Panel:
    """A plot area: its pixel box (left, top, right, bottom) and the data ranges it shows."""

    box: tuple
    x_range: tuple
    y_range: tuple

    def to_pixels(self, x, y):
        """Data -> pixel coordinates (y up), kept within a few boxes of the panel (Pillow never overflows)."""
        left, top, right, bottom = self.box
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        px = left + (np.asarray(x, float) - x0) / (x1 - x0) * (right - left)
        py = bottom - (np.asarray(y, float) - y0) / (y1 - y0) * (bottom - top)
        span = 4 * max(right - left, bottom - top)
        return np.clip(px, left - span, right + span), np.clip(py, top - span, bottom + span)


@dataclass(frozen=True)
class Layout:
    size: tuple               # canvas (width, height)
    scale: float              # sizes relative to a 720-pixel-wide canvas
    main: Panel
    steps_panel: Optional[Panel]
    counter_box: tuple        # where the step counter is written


def layout(surface, paths, width: int, step_panel: bool) -> Layout:
    s = width / GIF_WIDTH
    legend_bottom = max((y for _, y in legend_places(legend_labels(surface, paths), width, s)),
                        default=44 * s) + 22 * s
    left, right, top, bottom = round(64 * s), round(24 * s), round(legend_bottom + 18 * s), round(52 * s)
    plot_w = width - left - right
    if surface.dim == 2:
        (x0, x1), (y0, y1) = surface.x_range, surface.y_range
        unit = min(plot_w / (x1 - x0), 520 * s / (y1 - y0))        # equal scales on both axes, as on the page
        w, h = round(unit * (x1 - x0)), round(unit * (y1 - y0))
        offset = left + (plot_w - w) // 2
        main = Panel((offset, top, offset + w, top + h), surface.x_range, surface.y_range)
        height, steps_panel = top + h + bottom, None
    else:
        xs = np.linspace(*surface.x_range, 400)
        fs = surface.loss(xs[:, None])
        span = float(fs.max() - fs.min()) or 1.0
        y_range = (float(fs.min()) - 0.08 * span, float(fs.max()) + 0.08 * span)
        main_h = round(300 * s)
        main = Panel((left, top, left + plot_w, top + main_h), surface.x_range, y_range)
        steps_panel = None
        height = top + main_h + bottom
        if step_panel:
            steps = max((len(p.points) - 1 for p in paths), default=1) or 1
            panel_top = top + main_h + round(70 * s)
            steps_panel = Panel((left, panel_top, left + plot_w, panel_top + round(170 * s)),
                                (-0.02 * steps, 1.02 * steps), surface.x_range)
            height = panel_top + round(170 * s) + bottom
    counter = (width - round(190 * s), round(8 * s), width - round(8 * s), round(34 * s))
    return Layout((width, height), s, main, steps_panel, counter)


def nice_ticks(low: float, high: float, count: int = 6) -> np.ndarray:
    """Round tick values (1, 2 or 5 times a power of ten apart) inside [low, high]."""
    raw = (high - low) / max(count, 1)
    power = 10 ** np.floor(np.log10(raw))
    step = power * min((m for m in (1, 2, 5, 10) if m * power >= raw), default=10)
    return np.arange(np.ceil(low / step) * step, high + step * 1e-9, step)


def _tick_label(value: float) -> str:
    return f"{value:.4g}".replace("-", "−") if abs(value) > 1e-12 else "0"


# ---- markers ----------------------------------------------------------------------------------------

def _polygon(cx, cy, radius, corners, rotation=-90.0, inner=None):
    """A regular polygon (or a star when ``inner`` is a radius ratio) around (cx, cy)."""
    points = []
    count = corners * (2 if inner else 1)
    for i in range(count):
        r = radius * (inner if inner and i % 2 else 1.0)
        angle = np.radians(rotation + 360.0 * i / count)
        points.append((cx + r * np.cos(angle), cy + r * np.sin(angle)))
    return points


def _cross(cx, cy, r, rotation=0.0):
    w = r * 0.38
    arm = [(-w, -r), (w, -r), (w, -w), (r, -w), (r, w), (w, w), (w, r), (-w, r), (-w, w), (-r, w), (-r, -w),
           (-w, -w)]
    c, s = np.cos(np.radians(rotation)), np.sin(np.radians(rotation))
    return [(cx + x * c - y * s, cy + x * s + y * c) for x, y in arm]


def marker_shape(symbol: str, cx: float, cy: float, r: float):
    """Plotly's marker ``symbol`` as a Pillow polygon (a list of points), or None for a circle."""
    shapes = {
        "square": lambda: _polygon(cx, cy, r * 1.2, 4, 45),
        "diamond": lambda: _polygon(cx, cy, r * 1.25, 4, -90),
        "triangle-up": lambda: _polygon(cx, cy, r * 1.3, 3, -90),
        "star-triangle-up": lambda: _polygon(cx, cy, r * 1.3, 3, -90),
        "triangle-down": lambda: _polygon(cx, cy, r * 1.3, 3, 90),
        "triangle-left": lambda: _polygon(cx, cy, r * 1.3, 3, 180),
        "pentagon": lambda: _polygon(cx, cy, r * 1.15, 5),
        "hexagon": lambda: _polygon(cx, cy, r * 1.15, 6, 0),
        "star": lambda: _polygon(cx, cy, r * 1.4, 5, inner=0.45),
        "hexagram": lambda: _polygon(cx, cy, r * 1.3, 6, inner=0.58),
        "cross": lambda: _cross(cx, cy, r * 1.2),
        "x": lambda: _cross(cx, cy, r * 1.2, 45),
        "hourglass": lambda: [(cx - r, cy - r), (cx + r, cy - r), (cx - r, cy + r), (cx + r, cy + r)],
        "bowtie": lambda: [(cx - r, cy - r), (cx + r, cy + r), (cx + r, cy - r), (cx - r, cy + r)],
    }
    make = shapes.get(symbol.removesuffix("-open"))
    return make() if make else None


def draw_marker(draw, symbol, cx, cy, r, fill, outline, width):
    shape = marker_shape(symbol, cx, cy, r)
    if shape is None:
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill, outline=outline, width=width)
    else:
        draw.polygon(shape, fill=fill, outline=outline, width=width)


# ---- the picture that does not move ----------------------------------------------------------------

@dataclass(frozen=True)
class Scene:
    """What an animated chart shows: the surface, its paths, its background picture, a step panel."""

    surface: object
    paths: tuple
    step_panel: bool = False
    dashes: tuple = ()          # each path's line dash ("solid", "dash", "dot", "dashdot"), as on the page

    def dash(self, i: int) -> str:
        return self.dashes[i] if i < len(self.dashes) else "solid"


def _panel_coords(scene, panel_name):
    """Each path's (x, y) in a panel: the main panel draws θ (and f(θ) in 1-D), the step panel θ against t."""
    if panel_name == "steps":
        return [(np.arange(len(p.points)), p.points[:, 0]) for p in scene.paths]
    if scene.surface.dim == 1:
        return [(p.points[:, 0], p.losses) for p in scene.paths]
    return [(p.points[:, 0], p.points[:, 1]) for p in scene.paths]


def _panels(scene, lay):
    panels = [("main", lay.main)]
    if lay.steps_panel is not None:
        panels.append(("steps", lay.steps_panel))
    return panels


def static_layer(scene, lay, theme: Theme) -> Image.Image:
    """Background, title, legend, axes, the surface (picture or curve), minima and the faint full paths."""
    s = lay.scale
    image = Image.new("RGB", lay.size, theme.background)
    draw = ImageDraw.Draw(image)
    surface = scene.surface
    draw.text((round(10 * s), round(8 * s)), surface.title, fill=theme.text, font=font(round(18 * s)))
    _legend(draw, scene, lay, theme)
    inside = image.copy()          # what lies in the plot areas, drawn freely, then pasted back clipped
    ink = ImageDraw.Draw(inside)
    thin = max(1, round(1.5 * s))
    for name, panel in _panels(scene, lay):
        left, top, right, bottom = panel.box
        if name == "main" and surface.dim == 2:
            inside.paste(surface_picture(surface, right - left, bottom - top), (left, top))
        if name == "main" and surface.dim == 1:
            xs = np.linspace(*surface.x_range, 400)
            px, py = panel.to_pixels(xs, surface.loss(xs[:, None]))
            ink.line(list(zip(px, py)), fill=CURVE_GREY, width=max(2, round(3 * s)))
        if name == "steps":
            for minimum in surface.minima:
                _dashed(ink, *panel.to_pixels(list(panel.x_range), [minimum[0]] * 2), CURVE_GREY, thin, s)
        for path, (x, y) in zip(scene.paths, _panel_coords(scene, name)):
            end = last_finite(path)
            px, py = panel.to_pixels(x[:end + 1], y[:end + 1])
            under = WHITE if name == "main" and surface.dim == 2 else theme.background
            ink.line(list(zip(px, py)), fill=mix(rgb(path.color), under, 0.55), width=thin)
        if name == "main" and surface.dim == 2:
            minima = np.array(surface.minima)
            for cx, cy in zip(*panel.to_pixels(minima[:, 0], minima[:, 1])):
                star = _polygon(cx, cy, 9 * s, 5, inner=0.45)
                ink.polygon(star, fill=WHITE, outline=STAR_EDGE, width=max(1, round(s)))
    image.paste(inside, (0, 0), panel_mask(scene, lay))
    for name, panel in _panels(scene, lay):
        _axes(draw, panel, lay, theme, name, surface)
    _divergence_notes(image, scene, lay.main, lay, theme)
    return image


def panel_mask(scene, lay) -> Image.Image:
    """White inside the plot areas, black elsewhere: what may be drawn over when pasting through it."""
    mask = Image.new("L", lay.size, 0)
    for _, panel in _panels(scene, lay):
        ImageDraw.Draw(mask).rectangle(panel.box, fill=255)
    return mask


PICTURE_MAX = 1200       # the surface picture is computed at most this wide, then scaled to the plot area


def surface_picture(surface, width: int, height: int) -> Image.Image:
    """The page's surface picture (:func:`ui.figures.surface_background`), computed for ``width`` × ``height``
    (up to ``PICTURE_MAX`` wide, then scaled), so its level lines stay thin in a large export."""
    factor = min(1.0, PICTURE_MAX / width)
    uri = surface_background(surface, max(2, round(width * factor)), max(2, round(height * factor)))
    picture = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB")
    return picture if factor == 1.0 else picture.resize((width, height), Image.Resampling.BICUBIC)


def _dashed(draw, px, py, colour, width, s):
    (x0, x1), (y0, y1) = px, py
    length = float(np.hypot(x1 - x0, y1 - y0)) or 1.0
    dash = 8 * s
    for start in np.arange(0, length, 2 * dash):
        a, b = start / length, min(start + dash, length) / length
        draw.line([(x0 + a * (x1 - x0), y0 + a * (y1 - y0)), (x0 + b * (x1 - x0), y0 + b * (y1 - y0))],
                  fill=colour, width=width)


def _axes(draw, panel, lay, theme, name, surface):
    s = lay.scale
    left, top, right, bottom = panel.box
    small = font(round(12 * s))
    draw.rectangle(panel.box, outline=theme.border, width=max(1, round(s)))
    for value in nice_ticks(*panel.x_range):
        px, _ = panel.to_pixels(value, panel.y_range[0])
        draw.line([(px, bottom), (px, bottom + 5 * s)], fill=theme.border, width=max(1, round(s)))
        draw.text((px, bottom + 7 * s), _tick_label(value), fill=theme.text, font=small, anchor="mt")
    widest = 0.0
    for value in nice_ticks(*panel.y_range, count=5):
        _, py = panel.to_pixels(panel.x_range[0], value)
        draw.line([(left - 5 * s, py), (left, py)], fill=theme.border, width=max(1, round(s)))
        draw.text((left - 7 * s, py), _tick_label(value), fill=theme.text, font=small, anchor="rm")
        widest = max(widest, draw.textlength(_tick_label(value), font=small))
    label = font(round(14 * s))
    titles = {("main", 1): ("θ", "loss f(θ)"), ("main", 2): ("x", "y"), ("steps", 1): ("step t", "θ")}
    x_title, y_title = titles[(name, surface.dim)]
    draw.text(((left + right) / 2, bottom + 24 * s), x_title, fill=theme.text, font=label, anchor="mt")
    _vertical_text(draw._image, y_title, left - 12 * s - widest, (top + bottom) / 2, label, theme)
    if name == "steps":
        draw.text((left, top - 6 * s), "θ against step t  (dashed: the minimum)", fill=theme.text,
                  font=font(round(13 * s)), anchor="ld")


def _vertical_text(image, text, right_x, middle_y, text_font, theme):
    """``text`` turned 90° (read bottom to top), its right edge at ``right_x``, centred on ``middle_y``."""
    box = text_font.getbbox(text)
    strip = Image.new("RGB", (box[2] + 4, box[3] + 4), theme.background)
    ImageDraw.Draw(strip).text((2, 2), text, fill=theme.text, font=text_font)
    strip = strip.rotate(90, expand=True)
    image.paste(strip, (max(0, round(right_x - strip.width)), round(middle_y - strip.height / 2)))


def legend_labels(surface, paths) -> list:
    """The legend's labels: on a 2-D surface its star's (:func:`ui.figures.star_label`) first, as on the page;
    then each path's."""
    return ([star_label(surface)] if surface.dim == 2 else []) + [p.label for p in paths]


def legend_places(labels, width: int, s: float) -> list:
    """Where each legend entry starts: rows under the title, wrapped at the canvas width."""
    label_font = font(round(14 * s))
    x, y, places = 14 * s, 44 * s, []
    for label in labels:
        entry = label_font.getlength(label) + 40 * s
        if x + entry > width - 10 * s and x > 14 * s:
            x, y = 14 * s, y + 24 * s
        places.append((x, y))
        x += entry
    return places


def _legend(draw, scene, lay, theme):
    """One entry per path (its line, marker and label) in rows under the title, after the minimum's star."""
    s = lay.scale
    label_font = font(round(14 * s))
    labels = legend_labels(scene.surface, scene.paths)
    places = legend_places(labels, lay.size[0], s)
    if scene.surface.dim == 2:
        x, y = places.pop(0)
        draw.polygon(_polygon(x + 11 * s, y + 9 * s, 8 * s, 5, inner=0.45), fill=WHITE, outline=STAR_EDGE,
                     width=max(1, round(s)))
        draw.text((x + 28 * s, y + 9 * s), star_label(scene.surface), fill=theme.text, font=label_font, anchor="lm")
    for i, (path, (x, y)) in enumerate(zip(scene.paths, places)):
        dashed_line(draw, [(x, y + 9 * s), (x + 22 * s, y + 9 * s)], scene.dash(i), s, fill=rgb(path.color),
                    width=max(2, round(2 * s)))
        draw_marker(draw, path.symbol, x + 11 * s, y + 9 * s, 5 * s, rgb(path.color), WHITE, max(1, round(s)))
        draw.text((x + 28 * s, y + 9 * s), path.label, fill=theme.text, font=label_font, anchor="lm")


def _divergence_notes(image, scene, panel, lay, theme):
    """A ✕ where a path left the finite numbers and the page's words beside it (:func:`ui.figures.stop_text`:
    "<label> diverged at step k", or "<label>: NaN at step k" for a NaN out of normal-sized numbers)."""
    s = lay.scale
    draw = ImageDraw.Draw(image)
    for path, (x, y) in zip(scene.paths, _panel_coords(scene, "main")):
        if path.diverged_at < 0:
            continue
        k = last_finite(path)
        px, py = (float(v) for v in panel.to_pixels(x[k], y[k]))
        left, top, right, bottom = panel.box
        px, py = min(max(px, left), right), min(max(py, top), bottom)
        draw.polygon(_cross(px, py, 9 * s, 45), fill=rgb(path.color), outline=WHITE, width=max(1, round(s)))
        text = stop_text(path, scene.surface.min_value)
        anchor = "rb" if px > (left + right) / 2 else "lb"
        draw.text((px + (-12 if anchor == "rb" else 12) * s, py - 10 * s), text, fill=rgb(path.color),
                  font=font(round(13 * s)), anchor=anchor, stroke_width=max(1, round(2 * s)),
                  stroke_fill=theme.background)


# ---- what moves ---------------------------------------------------------------------------------------

def draw_moving(draw, scene, lay, step: int, ink):
    """Each path up to ``step`` (on a white casing), its markers while the steps are few, and its head.

    ``ink(rgb)`` turns a colour into what ``draw`` takes (the colour itself, or a palette index).
    """
    s = lay.scale
    line_width = max(2, round(2 * s))
    for name, panel in _panels(scene, lay):
        for i, (path, (x, y)) in enumerate(zip(scene.paths, _panel_coords(scene, name))):
            end = min(step, last_finite(path))
            if end < 0:
                continue
            px, py = panel.to_pixels(x[:end + 1], y[:end + 1])
            points = list(zip(px.tolist(), py.tolist()))
            colour = rgb(path.color)
            if len(points) > 1:
                if name == "main" and scene.surface.dim == 2:
                    draw.line(points, fill=ink(WHITE), width=line_width + max(2, round(3 * s)), joint="curve")
                dashed_line(draw, points, scene.dash(i), s, fill=ink(colour), width=line_width)
            if len(path.points) - 1 <= MARKER_STEPS:
                for cx, cy in points[:-1]:
                    draw_marker(draw, path.symbol, cx, cy, 3 * s, ink(colour), ink(WHITE),
                                max(1, round(0.6 * s)))
            cx, cy = points[-1]
            draw_marker(draw, path.symbol, cx, cy, 7 * s, ink(colour), ink(WHITE), max(1, round(2 * s)))


# Plotly's dash names as on/off lengths in pixels (of a 720-wide picture).
DASH_PATTERNS = {"dash": (9, 5), "dot": (2, 4), "dashdot": (9, 4, 2, 4), "longdash": (14, 6)}


def dashed_line(draw, points, dash: str, s: float, fill, width: int):
    """A polyline, solid or cut into Plotly's ``dash`` pattern along its length."""
    pattern = DASH_PATTERNS.get(dash)
    if pattern is None:
        draw.line(points, fill=fill, width=width, joint="curve")
        return
    pattern = [length * s for length in pattern]
    xy = np.asarray(points, dtype=float)
    along = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
    start, on, i = 0.0, True, 0
    while start < along[-1]:
        end = min(start + pattern[i % len(pattern)], along[-1])
        if on:
            ts = np.concatenate([[start], along[(along > start) & (along < end)], [end]])
            segment = np.column_stack([np.interp(ts, along, xy[:, 0]), np.interp(ts, along, xy[:, 1])])
            draw.line([tuple(p) for p in segment], fill=fill, width=width)
        start, on, i = end, not on, i + 1


def counter_text(step: int, steps: int) -> str:
    return f"step {step} / {steps}"


def _draw_counter(draw, lay, theme, text, ink=lambda c: c):
    draw.text((lay.counter_box[2], lay.counter_box[1]), text, fill=ink(theme.text),
              font=font(round(16 * lay.scale)), anchor="ra")


def scene_steps(scene) -> int:
    return max((len(p.points) - 1 for p in scene.paths), default=0)


def render_frame(scene, step: int, theme: str = "light", width: int = PNG_WIDTH) -> Image.Image:
    """The chart at ``step``, as an RGB picture ``width`` pixels wide."""
    lay = layout(scene.surface, scene.paths, width, scene.step_panel)
    colours = THEMES[theme]
    base = static_layer(scene, lay, colours)
    moving = base.copy()
    draw_moving(ImageDraw.Draw(moving), scene, lay, step, lambda c: c)
    frame = base.copy()
    frame.paste(moving, (0, 0), panel_mask(scene, lay))       # paths that leave the range stop at its edge
    _draw_counter(ImageDraw.Draw(frame), lay, colours, counter_text(step, scene_steps(scene)))
    return frame


def png_bytes(scene, step: int, theme: str = "light", width: int = PNG_WIDTH) -> bytes:
    buffer = io.BytesIO()
    render_frame(scene, step, theme, width).save(buffer, format="PNG", compress_level=3)
    return buffer.getvalue()


def gif_bytes(scene, theme: str = "light", width: int = GIF_WIDTH, max_frames: int = GIF_FRAMES) -> bytes:
    """The animation as a looping GIF (:func:`gif_frames`)."""
    return _encode_gif(*gif_frames(scene, theme, width, max_frames))


def gif_frames(scene, theme: str = "light", width: int = GIF_WIDTH, max_frames: int = GIF_FRAMES):
    """The animation's frames, as palette-index arrays, and the still picture that carries their palette:
    the still picture is reduced to a palette once, the moving parts are drawn straight in the colours
    kept free for them, so no frame needs its own colour reduction.  The GIF and the MP4 both use them."""
    colours = THEMES[theme]
    kept = [i for i, p in enumerate(scene.paths) if p.error is None]
    scene = Scene(scene.surface, tuple(scene.paths[i] for i in kept), scene.step_panel,
                  tuple(scene.dash(i) for i in kept))
    lay = layout(scene.surface, scene.paths, width, scene.step_panel)
    base = static_layer(scene, lay, colours)
    moving = list(dict.fromkeys([WHITE, colours.text] + [rgb(p.color) for p in scene.paths]))
    free = 256 - len(moving) - 1                     # the last index is transparent: "as the frame before"
    reduced = base.quantize(colors=free, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette = (reduced.getpalette() + [0] * 3 * free)[:3 * free]
    index = {colour: free + i for i, colour in enumerate(moving)}
    for colour in moving:
        palette += list(colour)
    still = reduced
    still.putpalette(palette + [255, 0, 255])
    colours_of = np.array(still.getpalette(), dtype=np.int32).reshape(-1, 3)[:TRANSPARENT]
    ink = index.__getitem__
    inside = panel_mask(scene, lay)
    steps = scene_steps(scene)
    frames = []
    for k in frame_steps(steps, max_frames):
        frame = still.copy()
        moving_layer = still.copy()
        draw_moving(ImageDraw.Draw(moving_layer), scene, lay, int(k), ink)
        frame.paste(moving_layer, (0, 0), inside)
        counter = base.crop(lay.counter_box)
        _draw_counter(ImageDraw.Draw(counter), _shifted_counter(lay), colours, counter_text(int(k), steps))
        counter_indices = nearest_colours(np.asarray(counter), colours_of)
        frame.paste(Image.fromarray(counter_indices, "P"), lay.counter_box[:2])
        frames.append(np.asarray(frame))
    return frames, still


TRANSPARENT = 255


def _encode_gif(frames, still):
    """Frames (palette-index arrays) as a looping GIF.  Pillow's ``optimize`` stores each frame after the
    first as the box around what changed, unchanged pixels in it as the transparent index (disposal 1:
    drawn over the frame before), which compresses well."""
    pictures = []
    for frame in frames:
        picture = Image.fromarray(frame, "P")
        picture.putpalette(still.getpalette())
        pictures.append(picture)
    buffer = io.BytesIO()
    durations = [FRAME_MS] * (len(pictures) - 1) + [HOLD_MS]
    pictures[0].save(buffer, format="GIF", save_all=True, append_images=pictures[1:], duration=durations,
                     loop=0, optimize=True, disposal=1, transparency=TRANSPARENT)
    return buffer.getvalue()


def mp4_bytes(scene, theme: str = "light", width: int = GIF_WIDTH, max_frames: int = GIF_FRAMES) -> bytes:
    """The animation as an H.264 MP4 (libx264, yuv420p, what slides and browsers play): the GIF's frames
    (:func:`gif_frames`, the same count and picture), each looked up in their palette, at one frame per
    ``FRAME_MS`` (10 frames a second).  A video stops on its last frame, so there is no hold.  yuv420p
    needs an even width and height: an odd side gets one row or column of the page's colour."""
    import imageio_ffmpeg           # the ffmpeg binary ships in its wheel; imported when a video is asked for

    frames, still = gif_frames(scene, theme, width, max_frames)
    palette = np.array(still.getpalette(), dtype=np.uint8).reshape(-1, 3)
    height, wide = frames[0].shape
    even_h, even_w = height + height % 2, wide + wide % 2
    canvas = np.empty((even_h, even_w, 3), np.uint8)
    canvas[:] = THEMES[theme].background
    with tempfile.TemporaryDirectory() as folder:
        target = os.path.join(folder, "export.mp4")
        writer = imageio_ffmpeg.write_frames(target, (even_w, even_h), fps=1000 / FRAME_MS, codec="libx264",
                                             pix_fmt_out="yuv420p", macro_block_size=1, quality=None,
                                             output_params=["-crf", "20", "-movflags", "+faststart"],
                                             ffmpeg_timeout=60)
        try:
            writer.send(None)            # starts ffmpeg
            for frame in frames:
                canvas[:height, :wide] = palette[frame]
                writer.send(canvas.tobytes())
        finally:
            writer.close()               # waits for ffmpeg to finish the file (or stops it after an error)
        with open(target, "rb") as video:
            return video.read()


def nearest_colours(pixels: np.ndarray, palette: np.ndarray) -> np.ndarray:
    """Each RGB pixel's index of the nearest palette colour (exact, unlike Pillow's cached lookup, which
    may give a near-white for white): for the counter's small patch only."""
    colours, which = np.unique(pixels.reshape(-1, 3), axis=0, return_inverse=True)    # a few dozen
    gaps = ((colours[:, None, :].astype(np.int32) - palette) ** 2).sum(axis=-1)
    return gaps.argmin(axis=-1).astype(np.uint8)[which.ravel()].reshape(pixels.shape[:2])


def _shifted_counter(lay):
    """The layout with the counter box at (0, 0): the counter is drawn on a crop of its own box."""
    left, top, right, bottom = lay.counter_box
    return Layout(lay.size, lay.scale, lay.main, lay.steps_panel, (0, 0, right - left, bottom - top))


# ---- Streamlit: the buttons under a chart ------------------------------------------------------------

def _digest(scene, *extra) -> str:
    """A key for the caches: the paths' numbers and looks, the surface, the picture and the options."""
    h = hashlib.sha256()
    for p in scene.paths:
        h.update(repr((p.key, p.label, p.color, p.symbol, p.diverged_at, p.error)).encode())
        h.update(np.ascontiguousarray(p.points).tobytes())
        h.update(np.ascontiguousarray(p.losses).tobytes())
    h.update(repr((scene.surface.key, scene.surface.title, scene.surface.x_range, scene.surface.y_range,
                   scene.step_panel, scene.dashes, extra)).encode())
    return h.hexdigest()


@st.cache_data(max_entries=16, show_spinner=False)
def _cached_gif(digest: str, theme: str, _scene) -> bytes:
    return gif_bytes(_scene, theme)


@st.cache_data(max_entries=16, show_spinner=False)
def _cached_mp4(digest: str, theme: str, _scene) -> bytes:
    return mp4_bytes(_scene, theme)


@st.cache_data(max_entries=8, show_spinner=False)      # up to ~1.2 MB each
def _cached_png(digest: str, theme: str, step: int, _scene) -> bytes:
    return png_bytes(_scene, step, theme)


def _csv_for(scene, settings, specs):
    """The CSV, naming only settings a core run confirms: rebuilt from them, it gives the path exactly."""
    states, confirmed, notes = {}, {}, {}
    for path in scene.paths:
        spec = specs.get(path.key)
        if spec is not None and path.key in (settings or {}) and path.error is None:
            traced = traced_states(spec, settings[path.key], scene.surface, path)
            if traced is not None:
                states[path.key], confirmed[path.key] = traced, settings[path.key]
                notes[path.key] = state_notes(spec.build(dict(settings[path.key])), traced)
    return csv_text(scene.surface, scene.paths, confirmed, states, notes)


def page_theme() -> str:
    """"light" or "dark", as the learner's page is drawn (light when Streamlit cannot tell)."""
    try:
        return "dark" if st.context.theme.type == "dark" else "light"
    except AttributeError:
        return "light"


def read_step(value, steps: int) -> Optional[int]:
    """The step the browser reported (untrusted text): a whole number clamped to the run, else None."""
    if not isinstance(value, str) or not value.isdigit() or len(value) > 9:
        return None
    return min(int(value), steps)


# The PNG button: a plain HTML button that, when pressed, reads the step the chart above it shows (the
# step text of ui/plot's animation controls, or else the link's ``<chart key>_step``) and sends it to
# the server.  Streamlit's own buttons cannot: the chart moves its step without telling the server.
_STEP_BUTTON_JS = r"""
export default function ({parentElement, data, setTriggerValue}) {
  let button = parentElement.querySelector(':scope > button');
  if (!button) {
    button = document.createElement('button');
    button.type = 'button';
    button.className = 'course-export-step';
    button.addEventListener('click', () => {
      const shown = document.querySelector(`.st-key-${button.dataset.chart} .course-anim-step-text`);
      const match = shown && /step (\d+)/.exec(shown.textContent);
      const linked = new URLSearchParams(window.location.search).get(button.dataset.param);
      setTriggerValue('step', match ? match[1] : (linked || '0'));
    });
    parentElement.append(button);
  }
  button.dataset.chart = data.chart;
  button.dataset.param = data.param;
  button.textContent = data.label;
}
"""
_STEP_BUTTON_CSS = """
.course-export-step {
  width: 100%; min-height: 2.5rem; padding: 0.25rem 0.75rem; border-radius: 0.5rem; cursor: pointer;
  font: inherit; font-size: 0.875rem; color: var(--st-text-color, inherit); background: transparent;
  border: 1px solid var(--st-border-color, rgba(128, 128, 128, 0.4));
}
.course-export-step:hover, .course-export-step:focus-visible { border-color: var(--st-primary-color, #D55E00);
  color: var(--st-primary-color, #D55E00); }
"""
_STEP_BUTTON = st.components.v2.component("course_export_step", js=_STEP_BUTTON_JS, css=_STEP_BUTTON_CSS,
                                          isolate_styles=False)


def offer(key: str, surface, paths, settings: Optional[dict] = None, step_panel: bool = False,
          specs: Optional[dict] = None) -> None:
    """Download buttons for the animated chart ``key``: CSV, GIF, MP4, and a PNG of the step it shows.

    ``settings``: path key -> the hyperparameters its run used (named in the CSV's header; with
    ``specs``, key -> catalogue entry with ``build``, the CSV adds each run's state; by default the
    flagship's catalogue and the family). ``step_panel`` as the chart was built (1-D: θ against t below).
    """
    from .catalog import CATALOG
    from .family import FAMILY
    specs = specs if specs is not None else {**FAMILY, **CATALOG}
    shown = tuple(p for p in paths if p.error is None)
    dashes = tuple(getattr(specs.get(p.key), "dash", "solid") for p in shown)
    scene = Scene(surface, shown, step_panel, dashes)
    if not scene.paths:
        return
    theme = page_theme()
    digest = _digest(scene)
    name = f"{key}-{surface.key}"
    # An expander, not a popover: a popover's buttons live at the end of the page, out of Tab's reach.
    with st.expander("Download: CSV, GIF, MP4, PNG", icon=":material/download:", key=f"{key}_export"):
        st.download_button("CSV of every step", lambda: _csv_for(scene, settings, specs),
                           file_name=f"{name}.csv", mime="text/csv", on_click="ignore",
                           icon=":material/table_view:", key=f"{key}_export_csv", width="stretch")
        st.download_button("Animated GIF", lambda: _cached_gif(digest, theme, scene),
                           file_name=f"{name}.gif", mime="image/gif", on_click="ignore",
                           icon=":material/animation:", key=f"{key}_export_gif", width="stretch")
        st.download_button("Video (MP4)", lambda: _cached_mp4(digest, theme, scene),
                           file_name=f"{name}.mp4", mime="video/mp4", on_click="ignore",
                           icon=":material/movie:", key=f"{key}_export_mp4", width="stretch")
        _png_fragment(key, scene, digest, theme, name)


@st.fragment
def _png_fragment(key, scene, digest, theme, name):
    """The PNG button reads the step the chart shows (rerunning this fragment only); a download of that
    frame follows, until the chart's paths change."""
    from .plot import step_param
    ready = f"{key}_export_png_ready"
    pressed = _STEP_BUTTON(data=dict(chart=key, param=step_param(key), label="PNG of the shown step"),
                           key=f"{key}_export_png", on_step_change=lambda: None)
    step = read_step(pressed.step, scene_steps(scene))
    if step is not None:
        st.session_state[ready] = (digest, theme, step)
    prepared = st.session_state.get(ready)
    if prepared and prepared[0] == digest:
        _, png_theme, step = prepared
        st.download_button(f"Save PNG · step {step}", _cached_png(digest, png_theme, step, scene),
                           file_name=f"{name}-step{step}.png", mime="image/png", on_click="ignore",
                           icon=":material/download:", key=f"{key}_export_png_save", width="stretch")
