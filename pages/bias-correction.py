"""Bias correction: why Adam divides m by 1 − β₁ᵗ and v by 1 − β₂ᵗ, and what goes wrong without it."""

import streamlit as st

import optimizers as opt
from optimizers import moments
from lessons import bias_correction as lesson
from ui import code, controls, frame, plot, quiz

frame.require_app()

PAGE = "bias"
ZEROS_OPTIONS = (0, 10, 30, 100, 300, 1000, 3000, 10000)
SPIKE_OPTIONS = (1e-4, 1e-3, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0)
AFTER_SPIKE = 60        # steps drawn after the spike


fixed = lesson.fixed


st.title("Bias correction")
st.markdown(
    "Adam's two running averages, m (of the gradients) and v (of their squares), start at **zero**. "
    "For the first steps they are therefore too small, *biased towards zero*, and Adam divides them by "
    "1 − β₁ᵗ and 1 − β₂ᵗ to undo it. You often read that this keeps Adam's first steps from being "
    "**slow**. At the usual settings (β₁ = 0.9, β₂ = 0.999) that is half the story and gets the conclusion "
    "backwards: without the corrections, Adam's first steps are too **large**. The four runs below show why, "
    "and the sliders show where the story flips.")   # fixed: names its settings, so true at every slider
url_notices = st.container()

# Adam's settings sit in the page, above the charts that follow them (in the sidebar they were below every
# lesson link, and on a phone the open drawer covered the charts). Keys unchanged: links are public.
with st.container(border=True, key=f"{PAGE}_settings"):
    st.markdown("**Adam's settings**: every chart on this page follows these sliders.")
    columns = st.columns(5, gap="small")
    with columns[0]:
        lr = controls.lr_slider(PAGE, "lr", 0.1)
    with columns[1]:
        beta1 = controls.beta1_slider(PAGE, "beta1", 0.9)
    with columns[2]:
        beta2 = controls.beta2_slider(PAGE, "beta2", 0.999)
    with columns[3]:
        eps = controls.eps_slider(PAGE, "eps", 1e-8)
    with columns[4]:
        steps = controls.number_slider(PAGE, "steps", "steps", 1, 1000, 100, 1,
                                       "How many updates each run makes on f(θ) = (θ − 2)² from θ₀ = 8.")

try:
    result = lesson.bias_runs(lr, beta1, beta2, eps, steps)
except ValueError as error:
    st.error(str(error), icon=":material/error:")
    controls.show_url_notices(url_notices)
    st.stop()

# ---- 1. where the bias comes from --------------------------------------------------------------
# Each section is one block: presenter view (ui/presenter.py) moves it first with its heading and controls.
with st.container():
    st.header("Where the bias comes from")
    st.markdown("Unroll the moving average m, started at m₀ = 0: the gradient k steps old has weight "
                "(1 − β₁)β₁ᵏ, and the weights of the first t steps add up to 1 − β₁ᵗ, not to 1.")
    st.latex(r"m_t = (1-\beta_1)\sum_{k=1}^{t}\beta_1^{\,t-k} g_k, \qquad "
             r"(1-\beta_1)\sum_{k=1}^{t}\beta_1^{\,t-k} = 1-\beta_1^{\,t}, \qquad "
             r"\hat m_t = \frac{m_t}{1-\beta_1^{\,t}}, \quad \hat v_t = \frac{v_t}{1-\beta_2^{\,t}}")
    plot.show(lesson.correction_curves(result.curve_t, result.curves, (beta1, beta2), result.half, steps),
              key=f"{PAGE}_curves_chart")
    st.markdown(lesson.half_weight_sentence(beta1, beta2, result.half, result.bc_at_10))

# ---- 2. m, m̂, v, v̂ on a real run ----------------------------------------------------------------
with st.container():
    st.header("m, m̂, v and v̂ on a real run")
    st.markdown(f"Adam (α = {controls.fmt_number(lr)}, both corrections) on f(θ) = (θ − 2)² from θ₀ = 8, "
                f"for {steps} step{'' if steps == 1 else 's'}. Dashed: the raw averages. Solid: the corrected ones, which Adam uses.")
    plot.show(lesson.moments_figure(result.grads[:, 0], {k: a[:, 0] for k, a in result.states.items()}),
              key=f"{PAGE}_moments_chart")
    states = {k: a[:, 0] for k, a in result.states.items()}
    st.markdown(lesson.real_run_sentence(
        steps, (result.grads[0, 0], states["m"][0], states["v"][0], states["m_hat"][0], states["v_hat"][0]),
        (*result.bc_at_end, states["v_hat"][-1], result.grads[-1, 0] ** 2, result.step_over_lr[-1, 0])))

# ---- 3. four runs --------------------------------------------------------------------------------
with st.container():
    st.header("Four runs: both corrections, none, only m, only v")
    st.markdown("The same Adam from the same start, four times, in one batched call of the core: "
                "with both corrections (Adam as torch runs it), with none, with only m's, and with only v's.")
    plot.show(lesson.four_runs_figure(result.labels, result.theta, result.step_over_lr),
              key=f"{PAGE}_runs_chart")
    for label, at in zip(result.labels, result.diverged_at):
        if at >= 0:
            st.warning(f"**{label}** left the finite world at step {at}: θ became infinite or not a number "
                       "(an overflow, or 0/0 when ε = 0).",
                       icon=":material/warning:")

    formulas = ("α·sign(g₁)", "α(1 − β₁)/√(1 − β₂)", "α/√(1 − β₂)", "α(1 − β₁)")
    st.dataframe([{"corrections": label, "first step / α (core)": first, "closed form / α (ε → 0)": closed,
                   "first step, closed form": formula}
                  for label, first, closed, formula in zip(result.labels, result.first, result.closed, formulas)],
                 hide_index=True, key=f"{PAGE}_first_steps",
                 column_config={"first step / α (core)": st.column_config.NumberColumn(format="%.4g"),
                                "closed form / α (ε → 0)": st.column_config.NumberColumn(format="%.4g")})
    st.markdown(lesson.first_steps_story(result.first, beta1, beta2, eps, result.grads[0, 0]))
    st.markdown(
        "**β₂ close to 1.** Move the β₂ slider towards 1: √(1 − β₂) shrinks, so the uncorrected and only-m first "
        "steps grow as 1/√(1 − β₂), and v stays biased for longer (its weights reach one half at "
        f"t = {result.half[1]} now). " + lesson.above_alpha_sentence(result.labels, result.step_over_lr)
        + " Larger β₂ is exactly where the correction matters most.")   # the first and last sentences hold for all β₂

# ---- 4. a spike after a long run of zeros ----------------------------------------------------------
with st.container():
    st.header("A spike after a long run of zeros")
    st.markdown("A rare feature (an embedding row of a rare word, say) gets gradient 0 for many steps, then "
                "one gradient g, then 0 again. What step does Adam take when it arrives?")
    spike_controls, spike_chart = st.columns([1, 3], gap="medium")
    with spike_controls:
        zeros = controls.option_slider(PAGE, "zeros", "zero gradients before the spike", ZEROS_OPTIONS, 1000,
                                       "How many steps the gradient is exactly 0 before the spike arrives.")
        spike = controls.option_slider(PAGE, "spike", "spike size g", SPIKE_OPTIONS, 1.0,
                                       "The one nonzero gradient. Adam's step hardly depends on it (ε aside).")
    spike_result = lesson.spike_runs(lr, beta1, beta2, eps, zeros, spike, AFTER_SPIKE)
    t_spike = spike_result.t_spike
    with spike_chart:
        plot.show(lesson.spike_figure(spike_result.t, spike_result.step_over_lr, t_spike),
                  key=f"{PAGE}_spike_chart")
    if (spike_result.diverged_at >= 0).any():
        st.warning(f"The run left the finite world at step {int(spike_result.diverged_at.max())}. With ε = 0, a "
                   "zero gradient on zero averages is 0/0, which is not a number: that is what ε is for.",
                   icon=":material/warning:")
    else:
        st.dataframe([{"corrections": label, "step at the spike / α (core)": at, "closed form / α (ε → 0)": closed,
                       f"whole move from the spike on ({AFTER_SPIKE + 1} steps) / α": total}
                      for label, at, closed, total in zip(("both corrected", "none"), spike_result.at_spike,
                                                           spike_result.closed, spike_result.total)],
                     hide_index=True, key=f"{PAGE}_spike_steps",
                     column_config={name: st.column_config.NumberColumn(format="%.4g") for name in (
                         "step at the spike / α (core)", "closed form / α (ε → 0)",
                         f"whole move from the spike on ({AFTER_SPIKE + 1} steps) / α")})
        st.markdown(lesson.spike_story(zeros, spike_result.t_spike, spike_result.bc2_at_spike, spike_result.at_spike,
                                       spike_result.closed, spike_result.total, beta1, eps))

# ---- predict, then reveal --------------------------------------------------------------------------
question = lesson.bias_runs(lr, *lesson.QUIZ_BETAS, lesson.QUIZ_EPS, 1)
reveal = lesson.quiz_reveal(
    (question.first[1], question.m1_over_g1[1], question.root_v1_over_g1[1]),
    (result.first[1], result.m1_over_g1[1], result.root_v1_over_g1[1]), beta1, beta2, eps, controls.fmt_number(lr))
quiz.predict_then_reveal(
    f"{PAGE}_q1",
    "Switch off both bias corrections (β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸). Adam's first step is then…",
    ["smaller than α (about 0.1α): m starts at zero, a slow start", "exactly α, as with the corrections",
     "larger than α: about 3.2α", "much larger: about 32α"],
    "larger than α: about 3.2α", reveal)

code.show_code((moments.bias_correction, opt.adam),
               "Every run on this page is `optimizers.adam`; its `correct_m` and `correct_v` switches decide "
               "whether `update` divides m and v by `bias_correction(β, t)` = 1 − βᵗ.")

controls.show_url_notices(url_notices)
st.page_link("pages/inside-adam.py", label="Next: inside an Adam step, every number of one step",
             icon=":material/biotech:")
st.page_link("pages/adam-vs-sgd.py", label="Back to the flagship: Adam against SGD",
             icon=":material/compare_arrows:")
