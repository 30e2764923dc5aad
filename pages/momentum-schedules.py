"""Momentum schedules: the popular tutorial's decaying and cyclic β₁ against a constant β₁, with numbers."""

import streamlit as st

import optimizers as opt
from lessons import schedules as lesson
from ui.divergence import short_number
from ui.words import plural
from ui import controls, export, figures, frame, plot, quiz, runs

frame.require_app()

PAGE = "sched"
SURFACES = ("bowl", "rotated_bowl", "rosenbrock", "beale", "himmelblau", "two_wells")
NAMES = {"bowl": "Bowl", "rotated_bowl": "Rotated bowl", "rosenbrock": "Rosenbrock", "beale": "Beale",
         "himmelblau": "Himmelblau", "two_wells": "Two wells"}
TOLERANCES = (1e-1, 1e-2, 1e-3, 1e-4, 1e-6)
KINDS, LABELS = lesson.KINDS, lesson.LABELS

st.title("Momentum schedules")
st.markdown(
    "The popular tutorial's `AdaptiveAdam` changes β₁ once per epoch, and promises *better convergence in "
    "different optimization phases*. Its two schedules, with e the epoch (e = 0, 1, 2, …):")
st.latex(r"\text{decay: }\ \beta_1(e) = \frac{\beta_1}{1 + 0.1\,e},\qquad "
         r"\text{cyclic: }\ \beta_1(e) = \beta_1\,\frac{1 + \sin(e\pi/10)}{2}")
st.markdown(
    "Everything else is the core's Adam. At step t the core builds Adam with that step's β₁ and carries m "
    "and v over (`optimizers.schedules.scheduled`). **The bias correction** then divides m by "
    "1 − β₁(t)ᵗ with the *current* β₁, which is what the tutorial's code (`self.beta1**self.t`) and torch "
    "(after changing `betas` mid-run) compute. It is not the weight m has collected, 1 − Π β₁(k): the "
    "right-hand chart shows both.")
url_notices = st.container()

# The settings sit in the page, above the chart that follows them (in the sidebar they were below every lesson
# link, and on a phone the open drawer covered the chart). Keys unchanged: links are public.
with st.container(border=True, key=f"{PAGE}_settings"):
    st.markdown("**Adam and the schedules**: the charts, tables and verdict below follow these sliders.")
    columns = st.columns(5, gap="small")
    with columns[0]:
        lr = controls.lr_slider(PAGE, "lr", 0.05)
    with columns[1]:
        beta1 = controls.beta1_slider(PAGE, "beta1", 0.9, label="β₁ at the start (β₁ of the constant run)")
    with columns[2]:
        steps_per_epoch = controls.number_slider(
            PAGE, "spe", "steps per epoch", 1, 50, 1, 1,
            "The tutorial changes β₁ once per epoch. On a surface one step is one full-batch epoch (1); larger "
            "values stretch the schedules.")
    with columns[3]:
        steps = controls.number_slider(PAGE, "steps", "steps", 1, 1000, 500, 1, "How many updates each run makes.")
    with columns[4]:
        tolerance = controls.option_slider(PAGE, "tol", "tolerance (distance to the minimum)", TOLERANCES, 1e-3,
                                           "'Reached' means the first step whose distance to the nearest minimum "
                                           "is at most this.")

corr = lesson.corrections(beta1, steps, steps_per_epoch)
plot.show(lesson.schedule_figure(corr, KINDS, LABELS, lesson.COLORS),
          key=f"{PAGE}_schedule_chart")
st.caption("Right panel: " + lesson.correction_sentence(corr))

# ---- 1. one surface -------------------------------------------------------------------------------
st.header("1 · On one surface")
surface_key = controls.choice(PAGE, "surface", "Surface", SURFACES, "bowl", "Where the three runs start and race.",
                              format_func=NAMES.get)
surface = opt.surfaces.get(surface_key)
try:
    paths = lesson.schedule_paths(surface_key, lr, beta1, steps, steps_per_epoch)
except ValueError as error:
    st.error(str(error), icon=":material/error:")
    controls.show_url_notices(url_notices)
    st.stop()
st.latex(surface.latex)
background = runs.background(surface_key) if surface.dim == 2 else None
left, right = st.columns([1.3, 1], gap="medium")
with left:
    plot.show(figures.paths_figure(surface, paths, background, height=520), key=f"{PAGE}_paths")
    export.offer(f"{PAGE}_paths", surface, paths)
with right:
    rows = runs.summary_rows(paths, tolerance)
    st.dataframe([{"schedule": r["optimizer"], f"first step within {tolerance:g}": r[f"first step within {tolerance:g}"],
                   "final loss": short_number(r['final loss']), "diverged at step": r["diverged at step"]} for r in rows],
                 hide_index=True)
    st.caption(lesson.start_caption(paths, beta1, steps_per_epoch))
plot.show(figures.progress_figure(paths, surface), key=f"{PAGE}_progress")
for path in paths:
    if path.diverged_at >= 0:
        st.warning(f"**{path.label} diverged at step {path.diverged_at}**: α is too large for this surface.",
                   icon=":material/warning:")

# ---- 2. the verdict -------------------------------------------------------------------------------
st.header("2 · The verdict, on six surfaces")
table = lesson.verdict(lr, beta1, steps, steps_per_epoch, tolerance)
counts = lesson.winners(table, tolerance)
st.dataframe(lesson.verdict_rows(table, tolerance, NAMES), hide_index=True)
st.caption(f"step: the first step at which the run is within {tolerance:g} of a minimum; final loss: after the "
           "last step. The surfaces of one dimension race in one batched core call, the three schedules at once.")
st.markdown(f"With these settings (α = {controls.fmt_number(lr)}, β₁ = {beta1:g}, {plural(steps_per_epoch, 'step')} "
            f"per epoch, {plural(steps, 'step')}): " + lesson.count_sentence(table, tolerance, NAMES))
st.markdown(
    "**An honest verdict.** A decaying β₁ heads for 0, and Adam with β₁ = 0 is RMSprop with a bias correction: "
    "it can stop overshooting where momentum carries Adam past a well and back, and it can lose momentum's push "
    "along long, narrow valleys. " + lesson.halving_sentence(beta1, steps, steps_per_epoch) + " The cyclic β₁ "
    "swings between β₁ and 0 with a period of 20 epochs. **Counted from the table above.** "
    + lesson.verdict_sentence(table, tolerance, NAMES)
    + " What a schedule buys depends on the surface and on α: move α and count again.")

# ---- 3. predict, then reveal ----------------------------------------------------------------------
st.header("3 · Check yourself")
bowl = table["bowl"]
quiz.predict_then_reveal(
    f"{PAGE}_q1",
    f"On the bowl (α = {controls.fmt_number(lr)}, β₁ = {beta1:g}, {plural(steps_per_epoch, 'step')} per epoch), "
    "which run "
    f"comes within {tolerance:g} of the minimum first?",
    lesson.quiz_options(), lesson.quiz_answer(bowl, tolerance), lesson.quiz_reveal(bowl, tolerance))

controls.show_url_notices(url_notices)
st.page_link("pages/optimizer-family.py", label="Next: the whole family of optimizers, side by side",
             icon=":material/arrow_forward:")
