"""RMSprop: one step size per coordinate, invariance to the loss's scale, and ε switching it off."""

import numpy as np
import streamlit as st

import optimizers as opt
from lessons import rmsprop_scaling as lesson
from ui import controls, export, figures, frame, plot, quiz, runs
from ui.catalog import CATALOG
from ui.divergence import short_number

frame.require_app()

PAGE = "rms"
SURFACES = ("bowl", "rotated_bowl")
VALLEYS = {"bowl": "Bowl", "rotated_bowl": "Rotated bowl"}     # short labels: they are also the URL values
SCALES = (1e-3, 1e-2, 0.1, 1.0, 10.0, 100.0, 1000.0)
BIG_EPS = (1e-8, 1e-4, 1e-2, 1.0, 10.0, 30.0, 100.0, 300.0, 1000.0, 1e4)
SWEEP = tuple(10.0 ** (k / 4) for k in range(-8, 17))     # ε from 10⁻² to 10⁴, four per decade


def hyper(**settings):
    return tuple(sorted(settings.items()))


def divergence_notes(paths):
    for path in paths:
        if path.error:
            st.error(f"{path.label}: {path.error}", icon=":material/error:")
        elif path.diverged_at >= 0:
            st.warning(f"**{path.label} diverged at step {path.diverged_at}**: its iterates overflowed to "
                       "infinity. Its step is too large for this valley's curvature.", icon=":material/warning:")


st.title("RMSprop: one step size per coordinate")
st.markdown(
    "RMSprop keeps, **for every coordinate separately**, a running mean of the squared gradient and "
    "divides that coordinate's step by its root. A coordinate whose gradients are large gets a small step "
    "size; one whose gradients are small gets a large one. This page runs torch's `RMSprop` (no momentum, "
    "no bias correction):")
st.latex(CATALOG["rmsprop"].latex)
url_notices = st.container()

# ---- 1. per-coordinate step sizes --------------------------------------------------------------
st.subheader("1 · Two coordinates, two step sizes")
columns = st.columns([1.6, 1, 1, 1, 1], gap="medium")
with columns[0]:
    surface_key = controls.choice(PAGE, "surface", "Valley", SURFACES, "bowl",
                                  "The bowl's valley lies along x; the rotated bowl's runs diagonally.",
                                  format_func=VALLEYS.get)
with columns[1]:
    lr = controls.lr_slider(PAGE, "lr", 0.05)
with columns[2]:
    rho = controls.beta2_slider(PAGE, "rho", 0.99, label="ρ (decay of the g² average)")
with columns[3]:
    eps = controls.eps_slider(PAGE, "eps", 1e-8)
with columns[4]:
    steps = controls.number_slider(PAGE, "steps", "steps", 1, 500, 100, 1,
                                   "How many updates each optimizer makes. The animation shows at most 200 frames.")

surface = opt.surfaces.get(surface_key)
start = surface.start
rms_hyper = hyper(lr=lr, rho=rho, eps=eps)
sgd = runs.run_traced("sgd", hyper(lr=lr), surface_key, start, steps)
rms = runs.run_traced("rmsprop", rms_hyper, surface_key, start, steps)
background = runs.background(surface_key)

st.latex(surface.latex)
left, right = st.columns(2, gap="medium")
with left:
    plot.show(figures.paths_figure(surface, [sgd.path, rms.path], background, height=520),
              key=f"{PAGE}_paths")
    export.offer(f"{PAGE}_paths", surface, [sgd.path, rms.path],
                 {"sgd": dict(lr=lr), "rmsprop": dict(rms_hyper)})
with right:
    if rms.path.error is None:
        plot.show(lesson.state_figure(rms, lr, eps, height=520), key=f"{PAGE}_state")
divergence_notes([sgd.path, rms.path])

first_step = abs(rms.path.points[min(1, len(rms.path.points) - 1)] - rms.path.points[0])
bowl_runs = {key: runs.run_traced("rmsprop", rms_hyper, key, opt.surfaces.get(key).start, steps) for key in SURFACES}
ratios = {key: lesson.scaled_curvature_ratio(key, run.states.get("lr_eff")) for key, run in bowl_runs.items()}
st.markdown(f"""
- **Larger gradients, smaller steps.** {lesson.step_size_sentence(bowl_runs["bowl"].states["lr_eff"])}
- **No bias correction.** {lesson.first_step_sentence(first_step, lr, rho, eps)}
- **How much it helps**, from the core with the current α, ρ, ε and steps: {lesson.ratio_sentence(ratios)}
  Switch the valley above to see it.
- RMSprop divides by the *size of the gradient*, not by the curvature: |g| is curvature × distance, and each
  coordinate's distance shrinks at its own pace, so the step sizes follow the distances as much as the curvatures.
""", unsafe_allow_html=True)

# ---- 2. scale invariance -----------------------------------------------------------------------
st.subheader("2 · Multiply the loss by c")
st.markdown(
    "Replace f by c·f: the same valley and the same minimum, only steeper or flatter. Every gradient becomes "
    "c·g, so **SGD's steps become c times longer**. RMSprop's v becomes c²·v, √v becomes c·√v, and g/√v does "
    "not change: **the adaptive path stays put**, as long as ε is small next to √v. Adam (β₁ = 0.9, "
    "β₂ = 0.999, the same α and ε) has the same property.")
scale_controls, scale_chart = st.columns([1.2, 3], gap="medium")
with scale_controls:
    scale = controls.option_slider(PAGE, "scale", "c (the loss is multiplied by c)", SCALES, 0.1,
                                   "Log scale, from 10⁻³ to 10³. At c = 1 nothing is scaled.")
    adam_hyper = hyper(lr=lr, beta1=0.9, beta2=0.999, eps=eps)
    scaled = [runs.run_traced("sgd", hyper(lr=lr), surface_key, start, steps, scale),
              runs.run_traced("rmsprop", rms_hyper, surface_key, start, steps, scale),
              runs.run_traced("adam", adam_hyper, surface_key, start, steps, scale)]
    reference = [sgd, rms, runs.run_traced("adam", adam_hyper, surface_key, start, steps)]
    gaps = [lesson.path_gap(a.path, b.path) for a, b in zip(scaled, reference)]
    st.table({"optimizer": [a.path.label for a in scaled],
              "largest distance from its path at c = 1": [
                  short_number(gap, 3) if a.path.diverged_at < 0 else f"diverged at step {a.path.diverged_at}"
                  for a, gap in zip(scaled, gaps)]})
    st.caption("Solid: the paths on c·f. Dashed: the same optimizers on f.")
with scale_chart:
    plot.show(lesson.scale_figure(surface, [s.path for s in scaled], [r.path for r in reference],
                                           background, height=500),
              key=f"{PAGE}_scale_paths")
divergence_notes([s.path for s in scaled])
st.markdown(lesson.scale_gap_sentence(scale, gaps[1], eps, float(surface.distance_to_minimum(np.array(start)))))

# ---- 3. ε large: RMSprop turns into SGD --------------------------------------------------------
st.subheader("3 · Turn ε up: RMSprop becomes SGD")
st.markdown(
    "When ε ≫ √v, the denominator √v + ε is just ε and the step α·g/(√v + ε) is (α/ε)·g: **plain SGD with "
    "learning rate α/ε**, and the scale invariance is gone. A large ε needs a large α to move at all, so this "
    "experiment has its own α; the valley, ρ and steps are those above.")
# The paths get the row beside the two sliders (in a third of the row they were drawn at about 230×110 px);
# the sweep, its verdict and its reading share the row below.
eps_controls, eps_chart = st.columns([0.8, 2.4], gap="medium")
with eps_controls:
    big_lr = controls.option_slider(PAGE, "big_lr", "α for this experiment", controls.LR_OPTIONS, 5.0,
                                    "RMSprop's learning rate here. Log scale.")
    big_eps = controls.option_slider(PAGE, "big_eps", "ε for this experiment", BIG_EPS, 100.0,
                                     "RMSprop's ε here; SGD runs with α/ε. Log scale.")
    sgd_lr = big_lr / big_eps
    rms_big = runs.run_traced("rmsprop", hyper(lr=big_lr, rho=rho, eps=big_eps), surface_key, start, steps)
    sgd_big = runs.run_traced("sgd", hyper(lr=sgd_lr), surface_key, start, steps, label="SGD with α/ε")
    now = lesson.eps_sweep(big_lr, rho, (big_eps,), surface_key, start, steps)
    sweep = lesson.eps_sweep(big_lr, rho, SWEEP, surface_key, start, steps)
    gap_now, ratio_now = float(now["gap"][0]), float(now["sqrt_v_over_eps"][0])
with eps_chart:
    plot.show(figures.paths_figure(surface, [rms_big.path, sgd_big.path], background, height=460),
              key=f"{PAGE}_eps_paths")
    export.offer(f"{PAGE}_eps_paths", surface, [rms_big.path, sgd_big.path],
                 {"rmsprop": dict(lr=big_lr, rho=rho, eps=big_eps), "sgd": dict(lr=sgd_lr)})
sweep_chart, sweep_text = st.columns([1.4, 1], gap="medium")
with sweep_chart:
    plot.show(lesson.eps_sweep_figure(sweep, big_eps, gap_now), key=f"{PAGE}_sweep")
with sweep_text:
    kind, verdict = lesson.eps_verdict(sgd_lr, ratio_now, gap_now, sgd_big.path.diverged_at >= 0)
    (st.success if kind == "success" else st.info)(
        verdict, icon=":material/check_circle:" if kind == "success" else ":material/info:")
    st.markdown(
        "The sweep chart runs the same comparison for 25 values of ε at once: the gap between the two paths "
        "shrinks with √v/ε (dashed) once ε is large, and grows without bound once SGD's α/ε is too large for the "
        "valley's curvature (SGD needs α/ε < 2/10 on these bowls, whose steepest curvature is 10), while "
        "RMSprop, which rescales, stays stable. "
        "Adam behaves the same way: with ε ≫ √v̂ it becomes momentum SGD with learning rate α/ε (in the "
        "moving-average form, m̂ instead of torch's summed buffer). Libraries keep ε tiny (10⁻⁸ in torch) so it "
        "only guards against dividing by zero.")
divergence_notes([rms_big.path, sgd_big.path])   # below the charts: a note coming and going remounts none

# ---- 4. predict, then reveal -------------------------------------------------------------------
st.subheader("4 · Check yourself")
quiz_rms = runs.run_traced("rmsprop", rms_hyper, surface_key, start, steps, lesson.QUIZ_SCALE)
quiz_sgd = runs.run_traced("sgd", hyper(lr=lr), surface_key, start, steps, lesson.QUIZ_SCALE)
quiz_gap = lesson.path_gap(quiz_rms.path, rms.path)
start_distance = float(surface.distance_to_minimum(np.array(start, dtype=float)))
sgd_fate = (f"SGD, with the same α, diverged at step **{quiz_sgd.path.diverged_at}**"
            if quiz_sgd.path.diverged_at >= 0 else
            f"SGD's path moved up to **{short_number(lesson.path_gap(quiz_sgd.path, sgd.path), 3)}** away from its path on f")
quiz.predict_then_reveal(
    f"{PAGE}_q1",
    f"The loss is multiplied by c = 1000 (the settings of section 1: α = {lr:g}, ρ = {rho:g}, ε = "
    f"{controls.fmt_number(eps)}, {steps} step{'' if steps == 1 else 's'} on the {surface.title.lower()}). What "
    "happens to RMSprop's path?",
    list(lesson.QUIZ_OPTIONS), lesson.quiz_answer(quiz_gap, start_distance),
    lesson.quiz_reveal(quiz_gap, start_distance, sgd_fate))

controls.show_url_notices(url_notices)
st.page_link("pages/bias-correction.py", label="Next: bias correction, the piece Adam adds to RMSprop",
             icon=":material/arrow_forward:")
