"""Inside an Adam step: scrub one run step by step and see every number Adam computed there."""

import numpy as np
import streamlit as st

import optimizers as opt
from optimizers import moments
from lessons import inspector
from ui import code, controls, frame, plot, quiz, runs
from ui.catalog import CATALOG

frame.require_app()

PAGE = "insp"
SURFACES = {"bowl": "Bowl", "rotated_bowl": "Rotated bowl", "rosenbrock": "Rosenbrock", "beale": "Beale",
            "saddle": "Saddle"}
NOISE_OPTIONS = (0.0, 0.01, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
DEFAULT_STEP = 10
PLAY_SECONDS = 0.5
QUIZ_NOISE = 1.0
STEP_KEY = controls.key_of(PAGE, "step")
PLAY_KEY = f"{PAGE}_play"
STOP_KEY = f"{PAGE}_play_stop"      # set by the fragment when Play reaches the last step


def restart_if_at_end(last):
    """Play pressed on the last step starts again from step 1."""
    if st.session_state.get(PLAY_KEY) and st.session_state.get(STEP_KEY, 0) >= last:
        st.session_state[STEP_KEY] = 1


def move_step(delta, last):
    st.session_state[STEP_KEY] = min(max(st.session_state.get(STEP_KEY, 1) + delta, 1), last)


st.title("Inside an Adam step")
st.markdown(
    "Every other page shows where Adam goes. This one opens a single step. Pick a surface and Adam's "
    "settings below, then scrub to any step t: the arrows show the gradient g<sub>t</sub>, the "
    "bias-corrected momentum m̂<sub>t</sub> and the step Adam actually took; the table and the formula "
    "show every number in between, for each coordinate, straight from the run. Adam as torch computes it:",
    unsafe_allow_html=True)
st.latex(CATALOG["adam"].latex)
url_notices = st.container()

# The run's settings sit in the page, right above the chart and table they drive (in the sidebar they were
# below every lesson link, and on a phone the open drawer covered the chart). Keys unchanged: links are public.
with st.expander("The run: surface, start and Adam's settings", expanded=True, icon=":material/tune:"):
    where, how, noisy = st.columns(3, gap="medium")
    with where:
        surface_key = controls.choice(PAGE, "surface", "Surface", tuple(SURFACES), "bowl",
                                      "The 2-D loss Adam descends.", format_func=SURFACES.get)
        surface = opt.surfaces.get(surface_key)
        start = tuple(controls.number_slider(PAGE, controls.key_of(surface_key, axis + "0"), f"start {axis}₀",
                                             float(low), float(high), float(default), 0.01, "Where Adam starts.")
                      for axis, (low, high), default in zip("xy", (surface.x_range, surface.y_range), surface.start))
        steps = controls.number_slider(PAGE, "steps", "steps", 1, 300, 100, 1, "How many steps Adam takes.")
    with how:
        lr = controls.lr_slider(PAGE, "lr", 0.1)
        beta1 = controls.beta1_slider(PAGE, "beta1", 0.9)
        beta2 = controls.beta2_slider(PAGE, "beta2", 0.999)
        eps = controls.eps_slider(PAGE, "eps", 1e-8)
    with noisy:
        st.markdown("**Stochastic mode**")
        noise = controls.option_slider(PAGE, "noise", "gradient noise σ", NOISE_OPTIONS, 0.0,
                                       "Adds Gaussian noise of this standard deviation to every gradient "
                                       "coordinate, as a mini-batch would.")
        seed = controls.number_slider(PAGE, "seed", "noise seed", 0, 99, 0, 1, "Which noise: the same seed gives "
                                      "the same noise, so the run can be shared by its link.")

run = inspector.runs.inspect_run(surface_key, start, steps, lr, beta1, beta2, eps, noise, seed)
if run.error:
    st.error(run.error, icon=":material/error:")
    controls.show_url_notices(url_notices)
    st.stop()
background = runs.background(surface_key)
vitals = inspector.runs.vitals(run)
last = run.last_step

if st.session_state.pop(STOP_KEY, False):
    st.session_state[PLAY_KEY] = False
# One block for Play, the step row and the charts: presenter view (ui/presenter.py) moves it first as a whole.
steps_block = st.container()
playing = steps_block.toggle("▶ Play the steps", key=PLAY_KEY, on_change=restart_if_at_end, args=(last,),
                    help=f"Moves the step on by one every {PLAY_SECONDS:g} s; switch off to stop.", disabled=last < 2)


@st.fragment(run_every=PLAY_SECONDS if playing and last > 1 else None)
def step_view():
    """Everything that depends on the chosen step; scrubbing reruns only this part."""
    if st.session_state.get(STEP_KEY, 0) > last:
        st.session_state[STEP_KEY] = last
    if playing:
        if st.session_state.get(STEP_KEY, 1) >= last:
            st.session_state[STOP_KEY] = True
            st.rerun(scope="app")
        move_step(+1, last)

    back, slider, forward = st.columns([1, 8, 1], vertical_alignment="bottom")
    if last > 1:
        with slider:     # between its two buttons: one row, so Play, the step and the chart fit one projector screen
            t = controls.number_slider(PAGE, "step", "step t (use ← → on the slider to scrub)", 1, last,
                                       min(DEFAULT_STEP, last), 1, "The step to look inside: it moves θ_{t−1} to θ_t.")
    else:
        t = 1
        slider.caption("The run has a single step to inspect: t = 1.")
    back.button("◀ t − 1", key=f"{PAGE}_back", on_click=move_step, args=(-1, last), disabled=t <= 1,
                width="stretch")
    forward.button("t + 1 ▶", key=f"{PAGE}_forward", on_click=move_step, args=(+1, last), disabled=t >= last,
                   width="stretch")

    numbers = inspector.runs.step_numbers(run, t)
    # The table needs its four columns' 400 px: at 1280 px with the sidebar open, [1.1, 1] left it 372.
    left, right = st.columns([0.85, 1], gap="medium")
    with left:
        plot.show(inspector.figures.step_figure(surface, run, numbers, background), key=f"{PAGE}_surface_chart")
    with right:
        st.markdown(f"**Step t = {t}**, per coordinate (every number from the run, {inspector.figures.DIGITS} "
                    "significant digits):")
        rows = inspector.runs.table_rows(numbers)
        # height "content": every row, whatever the row height (presenter view's larger type made 35 px rows 46).
        st.dataframe(rows, hide_index=True, key=f"{PAGE}_step_table", height="content",
                     column_config={"quantity": st.column_config.TextColumn(width=72),
                                    "computed as": st.column_config.TextColumn(width=150),
                                    **{axis: st.column_config.NumberColumn(format="%.6g", width=88)
                                       for axis in ("x", "y")}})
    st.markdown("**The step by hand**, with the run's numbers substituted (check the arithmetic on a "
                "calculator):")
    for i, axis in enumerate("xy"):
        st.markdown(f"coordinate **{axis}**")
        st.latex(inspector.figures.step_latex(numbers, i, lr, beta1, beta2, eps))

    st.subheader("Vital signs over the whole run")
    plot.show(inspector.figures.vitals_figure(vitals, lr, t), key=f"{PAGE}_vitals_chart")
    if noise > 0:
        noise_view(t)
    if run.path.diverged_at >= 0:
        st.warning(inspector.text.diverged_warning(run.path.diverged_at, last, eps, run.states["v_hat"][last - 1]),
                   icon=":material/warning:")


def noise_view(t):
    """Stochastic mode: g_t is noisy, m̂_t smooths it, and v̂_t grows with it."""
    numbers = inspector.runs.noise_numbers(run)
    st.subheader(f"Stochastic mode: gradient noise σ = {noise:g}")
    plot.show(inspector.figures.noise_figure(run, noise, t), key=f"{PAGE}_noise_chart")
    k = t - 1
    st.markdown(
        "- " + inspector.text.smoothing_sentence(noise, beta1, numbers.g_noise_sd, numbers.m_noise_sd,
                                                 numbers.ema_factor, numbers.measured_steps)
        + "\n- " + inspector.text.variance_sentence(t, run.states["v_hat"][k], numbers.v_hat_clean[k],
                                                    numbers.sigma_squared))


with steps_block:
    step_view()

# ---- after the scrubbed part: the code, a question, the next lesson ------------------------------
code.show_code((opt.adam, moments.ema, moments.bias_correction),
               "`optimizers.adam` builds the `update` that `optimizers.run` called once per step; `ema` and "
               "`bias_correction` are the helpers the momentum, RMSprop and bias-correction lessons taught.")

quiet = inspector.runs.inspect_run(surface_key, start, steps, lr, beta1, beta2, eps, 0.0, seed)
noisy = inspector.runs.inspect_run(surface_key, start, steps, lr, beta1, beta2, eps, QUIZ_NOISE, seed)
calm, shaken = inspector.runs.late_lr_eff(quiet), inspector.runs.late_lr_eff(noisy)
question = (f"Add gradient noise of σ = {QUIZ_NOISE:g} to this run. Late in the run, what happens to Adam's "
            "effective learning rate α/(√v̂+ε)?")
if np.all(np.isfinite(calm)) and np.all(np.isfinite(shaken)):
    quiz.predict_then_reveal(
        f"{PAGE}_q1", question, list(inspector.text.QUIZ_OPTIONS), inspector.text.quiz_answer(calm, shaken),
        lambda: inspector.text.quiz_reveal(seed, QUIZ_NOISE, calm, shaken, inspector.runs.late_v_hat_clean(noisy)))
else:
    st.info(f"**Predict, then reveal** needs the second half of the run to stay finite, with and without noise "
            f"of σ = {QUIZ_NOISE:g}; at these settings it does not. Change a setting to bring the question back.",
            icon=":material/info:")

controls.show_url_notices(url_notices)
st.page_link("pages/adamw.py", label="Next: AdamW against L2", icon=":material/compress:")
