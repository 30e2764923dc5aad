"""The momentum-schedules lesson (pages/schedules.py): its core calls and its figure.

The momentum-schedules lesson's core calls: Adam with a constant, a decaying and a cyclic β₁,
the three in ONE batched run (the β₁ schedule has shape (steps, 3, 1)), and the verdict's surfaces
batched together too.

The schedules are the popular tutorial's (``optimizers.schedules.tutorial_beta1``); the
bias correction divides m by 1 − β₁(t)ᵗ with the current β₁, as the tutorial's code does.

Pure figure builder for the momentum-schedules lesson: β₁(t) and what the bias correction divides by.
"""

import numpy as np
import streamlit as st

import optimizers as opt
from optimizers import schedules
from ui.figures import FONT, SpecFigure
from ui.runs import Path, summary_rows


KINDS = schedules.KINDS
LABELS = {"constant": "constant β₁", "decay": "decaying β₁", "cyclic": "cyclic β₁"}
COLORS = {"constant": "#D55E00", "decay": "#0072B2", "cyclic": "#CC79A7"}
SYMBOLS = {"constant": "triangle-up", "decay": "square", "cyclic": "diamond"}
VERDICT_SURFACES = ("bowl", "rotated_bowl", "rosenbrock", "beale", "himmelblau", "two_wells")


def beta1_table(beta1, steps, steps_per_epoch):
    """(steps, 3): β₁ at every step for the three schedules, in KINDS order."""
    return np.stack([schedules.tutorial_beta1(kind, beta1, steps, steps_per_epoch) for kind in KINDS], axis=1)


def race(surface_keys, lr, beta1, steps, steps_per_epoch):
    """The three schedules from each surface's start, in ONE batched core call: params (S, 3, D).

    The surfaces must share a dimension D.  Every operation is element-wise, so each run is the
    same, to the last bit, as it would be alone.  Returns one list of ``Path`` (in KINDS order)
    per surface.  Raises ValueError (the core's sentence) for invalid settings.
    """
    surfaces = [opt.surfaces.get(key) for key in surface_keys]
    table = beta1_table(beta1, int(steps), steps_per_epoch)[:, :, None]
    x0 = np.array([np.tile(np.array(surface.start, dtype=float), (len(KINDS), 1)) for surface in surfaces])
    optimizer = schedules.scheduled(lambda beta1: opt.adam(lr, beta1=beta1), beta1=table)

    def grad(x):
        out = np.empty_like(x)
        for i, surface in enumerate(surfaces):
            out[i] = surface.grad(x[i])
        return out

    def loss(points):
        return np.stack([surface.loss(points[:, i]) for i, surface in enumerate(surfaces)], axis=1)

    traj = opt.run(optimizer, grad, x0, int(steps), loss_fn=loss)
    races = []
    for i, surface in enumerate(surfaces):
        params = traj.params[:, i]
        distances = surface.distance_to_minimum(params)
        races.append([Path(kind, LABELS[kind], COLORS[kind], SYMBOLS[kind], params[:, b], traj.losses[:, i, b],
                           distances[:, b], int(traj.diverged_at[i, b])) for b, kind in enumerate(KINDS)])
    return races


@st.cache_data(max_entries=64, show_spinner=False)
def races(lr: float, beta1: float, steps: int, steps_per_epoch: int) -> dict:
    """surface key -> the three schedules' ``Path`` list on each of VERDICT_SURFACES.

    The surfaces of one dimension race in one batched call: two calls for the six surfaces.
    """
    paths = {}
    for dim in {opt.surfaces.get(key).dim for key in VERDICT_SURFACES}:
        keys = [key for key in VERDICT_SURFACES if opt.surfaces.get(key).dim == dim]
        paths.update(zip(keys, race(keys, lr, beta1, steps, steps_per_epoch)))
    return {key: paths[key] for key in VERDICT_SURFACES}


def schedule_paths(surface_key, lr, beta1, steps, steps_per_epoch):
    """One ``Path`` per schedule on one of VERDICT_SURFACES, from its start. Raises ValueError."""
    return races(lr, beta1, steps, steps_per_epoch)[surface_key]


def verdict(lr, beta1, steps, steps_per_epoch, tolerance):
    """surface key -> the summary rows (runs.summary_rows) of the three schedules."""
    return {key: summary_rows(paths, tolerance) for key, paths in races(lr, beta1, steps, steps_per_epoch).items()}


def first_reached(row, tolerance):
    """The step a summary row first came within ``tolerance``, or None."""
    value = row[f"first step within {tolerance:g}"]
    return None if value == "not reached" else int(value)


def winners(table, tolerance):
    """kind label -> number of surfaces on which it reached the tolerance first (ties count for each)."""
    counts = {LABELS[kind]: 0 for kind in KINDS}
    for rows in table.values():
        reached = {row["optimizer"]: first_reached(row, tolerance) for row in rows}
        done = [step for step in reached.values() if step is not None]
        for label, step in reached.items():
            if step is not None and step == min(done):
                counts[label] += 1
    return counts


@st.cache_data(max_entries=64, show_spinner=False)
def corrections(beta1: float, steps: int, steps_per_epoch: int) -> dict:
    """For the decaying schedule: the divisor the code uses, 1 − β₁(t)ᵗ, and the weight m holds, 1 − Π β₁(k)."""
    decay = schedules.tutorial_beta1("decay", beta1, int(steps), steps_per_epoch)
    t = np.arange(1, int(steps) + 1)
    return dict(t=t, used=opt.bias_correction(decay, t), weight=schedules.ema_weight(decay),
                table=beta1_table(beta1, int(steps), steps_per_epoch))


def first_to_reach(rows, tolerance):
    """The label of the schedule that first came within ``tolerance`` (the first listed on a tie), or None."""
    reached = [(first_reached(row, tolerance), row["optimizer"]) for row in rows]
    reached = [item for item in reached if item[0] is not None]
    return min(reached, key=lambda item: item[0])[1] if reached else None


def verdict_rows(table, tolerance, names):
    """One row per surface for the read-out: the step each schedule first came within ``tolerance``
    ("constant: step"), then its final loss ("constant: final loss")."""
    out = []
    for key, rows in table.items():
        row = {"surface": names[key]}
        row.update({f"{r['optimizer'].split()[0]}: step": r[f"first step within {tolerance:g}"] for r in rows})
        row.update({f"{r['optimizer'].split()[0]}: final loss": f"{r['final loss']:.3g}" for r in rows})
        out.append(row)
    return out


def schedule_figure(corr, kinds, labels, colors, height=380):
    """Left: β₁ at every step for each schedule.  Right, for the decaying one: the divisor the code
    uses, 1 − β₁(t)ᵗ, against the weight m has actually collected, 1 − Π β₁(k)."""
    t = corr["t"]
    traces = [dict(type="scatter", x=t, y=corr["table"][:, i], mode="lines", name=labels[kind],
                   line=dict(color=colors[kind], width=2.5), xaxis="x", yaxis="y",
                   hovertemplate=f"{labels[kind]}<br>t = %{{x}}: β₁ = %{{y:.4g}}<extra></extra>")
              for i, kind in enumerate(kinds)]
    traces.append(dict(type="scatter", x=t, y=corr["used"], mode="lines", name="decay: divisor used, 1 − β₁(t)ᵗ",
                       line=dict(color=colors["decay"], width=2.5), xaxis="x2", yaxis="y2",
                       hovertemplate="t = %{x}: 1 − β₁(t)^t = %{y:.4g}<extra></extra>"))
    traces.append(dict(type="scatter", x=t, y=corr["weight"], mode="lines",
                       name="decay: weight m holds, 1 − Π β₁(k)", line=dict(color="#000000", width=1.5, dash="dash"),
                       xaxis="x2", yaxis="y2", hovertemplate="t = %{x}: 1 − Π β₁(k) = %{y:.4g}<extra></extra>"))
    annotations = [dict(text=text, x=x, y=1.0, xref="paper", yref="paper", xanchor="left", yanchor="bottom",
                        showarrow=False) for text, x in (("<b>β₁ at step t</b>", 0.0),
                                                         ("<b>bias correction of m, decaying β₁</b>", 0.54))]
    layout = dict(height=height, font=FONT, margin=dict(l=55, r=10, t=30, b=110), annotations=annotations,
                  xaxis=dict(domain=[0, 0.46], title=dict(text="step t"), anchor="y"),
                  yaxis=dict(range=[0, 1], anchor="x", title=dict(text="β₁")),
                  xaxis2=dict(domain=[0.54, 1.0], title=dict(text="step t"), anchor="y2", type="log"),
                  yaxis2=dict(range=[0, 1.02], anchor="x2"),
                  # at the figure's bottom edge, under both axis titles
                  legend=dict(orientation="h", x=0, y=0, yref="container", yanchor="bottom"))
    return SpecFigure(dict(data=traces, layout=layout, frames=[]))


# ---- live sentences: pure functions of the runs (no Streamlit calls) ------------------------------
# The page's other sentences are fixed: they state the schedules' formulas or hold at every setting.

SAME = 1e-12          # two points closer than this (relative to their size) are the same point


def _same_point(a, b):
    """True where two points agree to rounding: |a − b| ≤ 10⁻¹²·(1 + |a|)."""
    return bool(np.all(np.abs(a - b) <= SAME * (1 + np.abs(a))))


def parting_step(path, reference):
    """The first step k at which ``path``'s point differs from ``reference``'s, or None if never."""
    for k in range(min(len(path.points), len(reference.points))):
        if not _same_point(path.points[k], reference.points[k]):
            return k
    return None


def _steps_phrase(step, steps):
    return f"at step {step}" if step is not None else f"not within the {steps} step{'s' if steps != 1 else ''}"


def start_caption(paths, beta1, steps_per_epoch):
    """The caption under the one-surface table: what the three runs share at the start, from the run.

    With the bias correction m̂₁ = (1 − β)g₁/(1 − β) = g₁ whatever β is, so θ₁ is the same for all three
    although the cyclic β₁ starts at β₁/2; the caption says so only where the run's θ₁ agree.  The
    decaying β₁ equals the constant one during epoch 0 (``steps_per_epoch`` steps).
    """
    constant, decay, cyclic = paths
    steps = len(constant.points) - 1
    if beta1 == 0:
        return ("With β₁ = 0 all three schedules are 0 at every step, so the three runs are one and the same run. "
                "Press Play to watch it; below, the loss gap and the distance to the minimum per step.")
    first = [p.points[min(1, steps)] for p in paths]
    if all(_same_point(point, first[0]) for point in first[1:]):
        start = (f"All three take the same first step, although the cyclic β₁ starts at β₁/2 = {beta1 / 2:g}: "
                 "with the bias correction m̂₁ = g₁ whatever β₁ is.")
    else:
        start = "The three first steps differ."
    epoch = f"{steps_per_epoch} step{'s' if steps_per_epoch != 1 else ''}"
    return (f"{start} The decaying β₁ equals the constant one for the first epoch ({epoch}); its run parts from "
            f"the constant one {_steps_phrase(parting_step(decay, constant), steps)}, the cyclic run "
            f"{_steps_phrase(parting_step(cyclic, constant), steps)}. Press Play to watch them; below, the loss "
            "gap and the distance to the minimum per step.")


def correction_sentence(corr, gap=0.01):
    """Where the decaying schedule's divisor 1 − β₁(t)ᵗ and the weight m holds, 1 − Π β₁(k), differ by more
    than ``gap`` (absolute), from the arrays ``corrections`` returns."""
    apart = np.flatnonzero(np.abs(corr["used"] - corr["weight"]) > gap)
    pair = "the decaying schedule's divisor 1 − β₁(t)ᵗ and the weight m holds, 1 − Π β₁(k),"
    if apart.size == 0:
        return f"with these settings {pair} never differ by more than {gap:g}."
    last = int(corr["t"][apart[-1]])
    if last == int(corr["t"][-1]):
        return f"with these settings {pair} still differ by more than {gap:g} at the last step, {last}."
    return f"with these settings {pair} differ by more than {gap:g} up to step {last} and agree within {gap:g} after it."


def halving_sentence(beta1, steps, steps_per_epoch):
    """When the tutorial's decay β₁/(1 + 0.1e) reaches β₁/2: at epoch e = 10, step t = 10·spe + 1."""
    if beta1 == 0:
        return "With β₁ = 0 there is nothing for the decay to take away."
    step = 10 * steps_per_epoch + 1
    if step > steps:
        return (f"At {steps_per_epoch} step(s) per epoch the decay halves β₁ at step {step}, after this run's "
                f"{steps} steps: here it takes away less than half.")
    return f"At {steps_per_epoch} step(s) per epoch the tutorial's decay has already halved β₁ by step {step}."


def _plural(n, word):
    return f"{n} {word}{'s' if n != 1 else ''}"


def _reached(rows, tolerance):
    """kind -> the step its run first came within ``tolerance`` (None: not reached), rows in KINDS order."""
    return {kind: first_reached(row, tolerance) for kind, row in zip(KINDS, rows)}


def beats(a, b):
    """True when first-arrival step ``a`` is strictly earlier than ``b`` (None: never arrived)."""
    return a is not None and (b is None or a < b)


def firsts(table, tolerance):
    """kind -> the surfaces on which it arrived first, alone or tied (a surface nobody reached counts for nobody)."""
    out = {kind: [] for kind in KINDS}
    for key, rows in table.items():
        reached = _reached(rows, tolerance)
        done = [step for step in reached.values() if step is not None]
        for kind, step in reached.items():
            if done and step == min(done):
                out[kind].append(key)
    return out


def head_to_head(table, tolerance, kind):
    """(surfaces where ``kind`` beats the constant β₁, surfaces where it loses, surfaces tied or both not reached)."""
    won, lost, even = [], [], []
    for key, rows in table.items():
        reached = _reached(rows, tolerance)
        mine, constant = reached[kind], reached["constant"]
        (won if beats(mine, constant) else lost if beats(constant, mine) else even).append(key)
    return won, lost, even


def _surfaces(keys, names):
    return ", ".join(names[key] for key in keys)


def count_sentence(table, tolerance, names):
    """Who came within ``tolerance`` first on how many of the surfaces, counted from the verdict table."""
    total = len(table)
    wins = firsts(table, tolerance)
    nobody = [key for key, rows in table.items() if all(step is None for step in _reached(rows, tolerance).values())]
    parts = []
    for kind in KINDS:
        n = len(wins[kind])
        where = f" ({_surfaces(wins[kind], names)})" if 0 < n < total else ""
        count = f"none of the {total}" if n == 0 else f"all {total}" if n == total else f"{n} of the {total}"
        parts.append(f"**{LABELS[kind]}** on {count} surfaces{where}")
    tail = (" Ties count for each." if any(len(v) for v in wins.values()) else "")
    if nobody:
        tail += (f" Nobody came within {tolerance:g} on {_plural(len(nobody), 'surface')} "
                 f"({_surfaces(nobody, names)}).")
    return f"First to come within {tolerance:g} of a minimum: " + "; ".join(parts) + "." + tail


def _versus(kind, won, lost, names):
    """One schedule against the constant β₁, its words branching on the counts."""
    label = LABELS[kind]
    if not won and not lost:
        return f"The {label} never beats the constant one and never loses to it here."
    if not lost:
        return (f"The {label} is never behind the constant one here and ahead on {_plural(len(won), 'surface')} "
                f"({_surfaces(won, names)}): at these settings it is an improvement.")
    if not won:
        return (f"The {label} is never ahead of the constant one here and behind on {_plural(len(lost), 'surface')} "
                f"({_surfaces(lost, names)}).")
    return (f"The {label} is ahead of the constant one on {_plural(len(won), 'surface')} ({_surfaces(won, names)}) "
            f"and behind on {_plural(len(lost), 'surface')} ({_surfaces(lost, names)}): not a free improvement.")


def cyclic_sentence(table, tolerance):
    """'The cyclic schedule wins on N of 6 surfaces', N counted from the verdict table, words branching on N."""
    n, total = len(firsts(table, tolerance)["cyclic"]), len(table)
    if n == 0:
        return f"The cyclic β₁ is first on none of the {total} surfaces."
    if n == total:
        return f"The cyclic β₁ is first (alone or tied) on all {total} surfaces."
    return f"The cyclic β₁ is first (alone or tied) on {n} of the {total} surfaces."


def verdict_sentence(table, tolerance, names):
    """The verdict paragraph's counted part: each schedule against the constant β₁, then the cyclic count."""
    decay = _versus("decay", *head_to_head(table, tolerance, "decay")[:2], names)
    cyclic = _versus("cyclic", *head_to_head(table, tolerance, "cyclic")[:2], names)
    return f"{decay} {cyclic} {cyclic_sentence(table, tolerance)}"


QUIZ_TIE = "two or more, at the same step"
QUIZ_NONE = "none of them, in these steps"


def quiz_options():
    """The bowl question's options: one per schedule, a tie, nobody (every outcome has its option)."""
    return [LABELS[kind] for kind in KINDS] + [QUIZ_TIE, QUIZ_NONE]


def quiz_answer(rows, tolerance):
    """The option that is true for the bowl's rows: the single first arrival, a tie, or nobody."""
    reached = _reached(rows, tolerance)
    done = [step for step in reached.values() if step is not None]
    if not done:
        return QUIZ_NONE
    first = [kind for kind, step in reached.items() if step == min(done)]
    return LABELS[first[0]] if len(first) == 1 else QUIZ_TIE


def quiz_reveal(rows, tolerance):
    """The reveal: each schedule's step on the bowl, then what the constant β₁'s momentum bought or cost."""
    reached = _reached(rows, tolerance)
    listed = ", ".join(f"{LABELS[kind]} at step **{step}**" if step is not None else f"{LABELS[kind]} **not within "
                       "the run**" for kind, step in reached.items())
    constant = reached["constant"]
    verdicts = []
    for kind in ("decay", "cyclic"):
        other = reached[kind]
        if beats(constant, other):
            verdicts.append(f"taking it away cost the {LABELS[kind]} "
                            + (f"{other - constant} steps" if other is not None else "its arrival within the run"))
        elif beats(other, constant):
            verdicts.append(f"the {LABELS[kind]} arrived "
                            + (f"{constant - other} steps earlier" if constant is not None else "and the constant "
                               "one did not") + " without all of it")
        else:
            verdicts.append(f"the {LABELS[kind]} did no better and no worse")
    return (f"The core: {listed}. Momentum pushes along the bowl's long, shallow x-direction, and it also "
            f"overshoots; here {verdicts[0]}, and {verdicts[1]}.")
