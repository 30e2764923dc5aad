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


def fixed(value, digits=4):
    """A core number for the text: 4 significant digits unless told otherwise."""
    return f"{value:.{digits}g}"


st.title("Bias correction")
st.markdown(
    "Adam's two running averages, m (of the gradients) and v (of their squares), start at **zero**. "
    "For the first steps they are therefore too small, *biased towards zero*, and Adam divides them by "
    "1 − β₁ᵗ and 1 − β₂ᵗ to undo it. You often read that this keeps Adam's first steps from being "
    "**slow**. That is half the story and gets the conclusion backwards: without the corrections, "
    "Adam's first steps are too **large**. The four runs below show why.")
url_notices = st.container()

with st.sidebar:
    st.subheader("Adam's settings")
    st.caption("Every chart on this page follows these sliders.")
    lr = controls.lr_slider(PAGE, "lr", 0.1)
    beta1 = controls.beta1_slider(PAGE, "beta1", 0.9)
    beta2 = controls.beta2_slider(PAGE, "beta2", 0.999)
    eps = controls.eps_slider(PAGE, "eps", 1e-8)
    steps = controls.number_slider(PAGE, "steps", "steps", 1, 1000, 100, 1,
                                   "How many updates each run makes on f(θ) = (θ − 2)² from θ₀ = 8.")

try:
    result = lesson.bias_runs(lr, beta1, beta2, eps, steps)
except ValueError as error:
    st.error(str(error), icon=":material/error:")
    controls.show_url_notices(url_notices)
    st.stop()

# ---- 1. where the bias comes from --------------------------------------------------------------
st.header("Where the bias comes from")
st.markdown("Unroll the moving average m, started at m₀ = 0: the gradient k steps old has weight "
            "(1 − β₁)β₁ᵏ, and the weights of the first t steps add up to 1 − β₁ᵗ, not to 1.")
st.latex(r"m_t = (1-\beta_1)\sum_{k=1}^{t}\beta_1^{\,t-k} g_k, \qquad "
         r"(1-\beta_1)\sum_{k=1}^{t}\beta_1^{\,t-k} = 1-\beta_1^{\,t}, \qquad "
         r"\hat m_t = \frac{m_t}{1-\beta_1^{\,t}}, \quad \hat v_t = \frac{v_t}{1-\beta_2^{\,t}}")
plot.show(lesson.correction_curves(result.curve_t, result.curves, (beta1, beta2), result.half, steps),
          key=f"{PAGE}_curves_chart")
st.markdown(
    f"With β₁ = {beta1:g} the weights of m add up to one half after **t = {result.half[0]}** steps; with "
    f"β₂ = {beta2:g} those of v only after **t = {result.half[1]}** steps. At step 10, "
    f"1 − β₂¹⁰ = **{fixed(result.bc_at_10[1])}**: v holds that fraction of the mean of g² it is meant to be, "
    f"m holds {fixed(result.bc_at_10[0])} of the mean gradient. Dividing by these numbers turns each "
    "average back into a weighted mean whose weights sum to one.")

# ---- 2. m, m̂, v, v̂ on a real run ----------------------------------------------------------------
st.header("m, m̂, v and v̂ on a real run")
st.markdown(f"Adam (α = {controls.fmt_number(lr)}, both corrections) on f(θ) = (θ − 2)² from θ₀ = 8, "
            f"for {steps} steps. Dashed: the raw averages. Solid: the corrected ones, which Adam uses.")
plot.show(lesson.moments_figure(result.grads[:, 0], {k: a[:, 0] for k, a in result.states.items()}),
          key=f"{PAGE}_moments_chart")
g1, m1, m_hat1 = result.grads[0, 0], result.states["m"][0, 0], result.states["m_hat"][0, 0]
v1, v_hat1 = result.states["v"][0, 0], result.states["v_hat"][0, 0]
st.markdown(
    f"At step 1 the gradient is g₁ = **{fixed(g1)}**. The raw averages are m₁ = {fixed(m1)} and "
    f"v₁ = {fixed(v1)}; the corrected ones are exactly m̂₁ = **{fixed(m_hat1)}** and "
    f"v̂₁ = **{fixed(v_hat1)}** = g₁². At the last step, t = {steps}, "
    f"the raw averages are still the fractions 1 − β₁ᵗ = **{fixed(result.bc_at_end[0])}** and "
    f"1 − β₂ᵗ = **{fixed(result.bc_at_end[1])}** of the corrected ones. With β₂ close to 1, v̂ stays above g² late "
    "in the run: it is the mean of g² over the whole run, and the large early gradients still count. That is "
    "why Adam's steps fall below α as it nears the minimum.")

# ---- 3. four runs --------------------------------------------------------------------------------
st.header("Four runs: both corrections, none, only m, only v")
st.markdown("The same Adam from the same start, four times, in one batched call of the core: "
            "with both corrections (Adam as torch runs it), with none, with only m's, and with only v's.")
plot.show(lesson.four_runs_figure(result.labels, result.theta, result.step_over_lr),
          key=f"{PAGE}_runs_chart")
for label, at in zip(result.labels, result.diverged_at):
    if at >= 0:
        st.warning(f"**{label}** left the finite world at step {at}: its steps overflowed. Lower α.",
                   icon=":material/warning:")

formulas = ("α·sign(g₁)", "α(1 − β₁)/√(1 − β₂)", "α/√(1 − β₂)", "α(1 − β₁)")
st.dataframe([{"corrections": label, "first step / α (core)": first, "closed form / α (ε → 0)": closed,
               "first step, closed form": formula}
              for label, first, closed, formula in zip(result.labels, result.first, result.closed, formulas)],
             hide_index=True, key=f"{PAGE}_first_steps",
             column_config={"first step / α (core)": st.column_config.NumberColumn(format="%.4g"),
                            "closed form / α (ε → 0)": st.column_config.NumberColumn(format="%.4g")})
none_first, only_m_first = result.first[1], result.first[2]
st.markdown(
    f"""
**Why "slow start" is the wrong story.** Without correction, m₁ = (1 − β₁)g₁ is indeed too small, by the
factor {fixed(result.m1_over_g1[1])}. But Adam divides by √v₁ = √(1 − β₂)·|g₁|, which
is too small by the factor {fixed(result.root_v1_over_g1[1])}, and a too-small denominator inflates the
step more than the too-small numerator shrinks it: the uncorrected first step is **{fixed(none_first)}α**,
too large, not too slow. Correcting only m
makes it worse, **{fixed(only_m_first)}α**; correcting only v gives the slow start the story describes,
**{fixed(result.first[3])}α**. Only both corrections together give a first step of exactly α
(**{fixed(result.first[0])}α** here): m̂₁/√v̂₁ = g₁/|g₁|.

**β₂ close to 1.** Move the β₂ slider towards 1: √(1 − β₂) shrinks, so the uncorrected and only-m first
steps grow as 1/√(1 − β₂), and v stays biased for longer (its weights reach one half only at
t = {result.half[1]} now). The right-hand chart shows how many steps the uncorrected runs keep stepping
above α. Larger β₂ is exactly where the correction matters most.
""")

# ---- 4. a spike after a long run of zeros ----------------------------------------------------------
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
    st.markdown(
        f"""
The correction counts **steps, not gradients**. At the spike t = {spike_result.t_spike}, so the correction
divides v by 1 − β₂ᵗ = {fixed(spike_result.bc2_at_spike)}, as if the {zeros} zeros had been data, although v
holds a single gradient, just as after a first step. The step at the spike is
**{fixed(spike_result.at_spike[0])}α** with the corrections and **{fixed(spike_result.at_spike[1])}α** without
(α(1 − β₁)/√(1 − β₂)), whatever the size of g; a fresh start would step α. The momentum then keeps moving
long after the gradient is gone: **{fixed(spike_result.total[0])}α** in all with the corrections,
**{fixed(spike_result.total[1])}α** without. If the zeros were real gradients, this is the right answer (the
recent mean of g² really is tiny); when they mean "no data", Adam cannot tell the difference. Set the zeros to
0 to compare with a fresh start, where the first step is α.
""")

# ---- predict, then reveal --------------------------------------------------------------------------
reveal = (
    f"At the current settings (α = {controls.fmt_number(lr)}, β₁ = {beta1:g}, β₂ = {beta2:g}) the core took an "
    f"uncorrected first step of **{fixed(none_first)}α**. m₁ is {fixed(result.m1_over_g1[1])}·g₁, so far the "
    f"slow-start story is right; but √v₁ is only {fixed(result.root_v1_over_g1[1])}·|g₁|, and the step divides one by "
    f"the other. Closed form: (1 − β₁)/√(1 − β₂) = {fixed(result.closed[1])}. Bias correction keeps the first "
    "steps from being too **large**.")
quiz.predict_then_reveal(
    f"{PAGE}_q1",
    "Switch off both bias corrections (β₁ = 0.9, β₂ = 0.999). Adam's first step is then…",
    ["smaller than α (about 0.1α): m starts at zero, a slow start", "exactly α, as with the corrections",
     "larger than α: about 3.2α", "much larger: about 32α"],
    "larger than α: about 3.2α", reveal)

code.show_code((moments.bias_correction, opt.adam),
               "Every run on this page is `optimizers.adam`; its `correct_m` and `correct_v` switches decide "
               "whether `update` divides m and v by `bias_correction(β, t)` = 1 − βᵗ.")

controls.show_url_notices(url_notices)
st.page_link("pages/inspector.py", label="Next: inside an Adam step, every number of one step",
             icon=":material/biotech:")
st.page_link("pages/adam_vs_sgd.py", label="Back to the flagship: Adam against SGD",
             icon=":material/compare_arrows:")
