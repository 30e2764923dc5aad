"""AdamW against Adam + L2: decoupled decay shrinks weights by 1 − αλ; L2 inside Adam is normalised away."""

import streamlit as st

from lessons import adamw as lesson
from ui import controls, frame, plot, quiz

frame.require_app()

PAGE = "adamw"
DECAYS = (0.0, 1e-3, 0.01, 0.03, 0.1, 0.3, 1.0)
QUIZ = dict(lr=0.05, weight_decay=0.1, steps=40)     # the question's own, fixed settings
LABELS = lesson.LABELS


def fixed(value, digits=4):
    return f"{value:.{digits}g}"


st.title("AdamW against Adam + L2")
st.markdown(
    "Two ways to pull weights toward zero. **L2 regularisation** adds λθ²/2 to the loss, so λθ joins the "
    "gradient *before* Adam sees it. **Decoupled weight decay** (Loshchilov & Hutter, AdamW) leaves the "
    "gradient alone and multiplies θ by 1 − αλ at every step. For SGD the two are the same thing; for Adam "
    "they are not, because Adam divides whatever gradient it gets by √v̂. Both rules below are what the "
    "core runs (torch's `Adam(weight_decay=λ)` and `AdamW(weight_decay=λ)`):")
st.latex(r"\text{Adam + L2:}\quad g_t = \nabla f(\theta_{t-1}) + \lambda\theta_{t-1},\qquad "
         r"\theta_t = \theta_{t-1} - \alpha\,\frac{\hat m_t}{\sqrt{\hat v_t}+\varepsilon}")
st.latex(r"\text{AdamW:}\quad g_t = \nabla f(\theta_{t-1}),\qquad "
         r"\theta_t = \theta_{t-1}(1-\alpha\lambda) - \alpha\,\frac{\hat m_t}{\sqrt{\hat v_t}+\varepsilon}")
url_notices = st.container()

with st.sidebar:
    st.subheader("Decay settings")
    st.caption("Both sections follow these; β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸ throughout.")
    lr = controls.lr_slider(PAGE, "lr", 0.05)
    weight_decay = controls.option_slider(PAGE, "wd", "λ (weight decay)", DECAYS, 0.1,
                                          "The strength of the pull toward zero, the same λ for both. Log scale.")

factor = lesson.decay_factor(lr, weight_decay)
if factor <= 0:
    st.warning(f"α·λ ≥ 1: AdamW's factor 1 − αλ = {fixed(factor)} is not a shrink any more; it flips the sign "
               "of every weight" + (" and makes it grow" if factor < -1 else "") + ". Real settings have α·λ ≪ 1.",
               icon=":material/warning:")

# ---- 1. zero gradient: only the decay acts ------------------------------------------------------
st.header("1 · With a zero loss gradient")
st.markdown(
    "Take a loss that is flat, ∇f = 0, so that only the decay acts, and three weights θ₀ = 4, 1 and 0.25. "
    "**AdamW** multiplies each by 1 − αλ per step: after k steps θ₀(1 − αλ)ᵏ, the same *fraction* for all three. "
    "**Adam + L2** sees the gradient g = λθ, and Adam divides it by √v̂ ≈ |λθ|: the step is "
    "α·m̂/√v̂ ≈ α·sign(θ), the same *distance* α for every weight, whatever λ is. Small weights are driven to "
    "zero and then jitter around it; large ones take a long time.")
steps = controls.number_slider(PAGE, "steps", "steps", 1, 1000, 200, 1, "How many steps the decay runs.")
try:
    zero = lesson.zero_gradient(lr, weight_decay, steps)
except ValueError as error:
    st.error(str(error), icon=":material/error:")
    controls.show_url_notices(url_notices)
    st.stop()
plot.show(lesson.decay_figure(zero, lesson.WEIGHTS, LABELS), key=f"{PAGE}_decay_chart")
st.markdown(
    f"After **{steps}** steps (α = {controls.fmt_number(lr)}, λ = {controls.fmt_number(weight_decay)}), from the core:\n\n"
    f"- **AdamW** kept the fractions **{', '.join(fixed(r) for r in zero.ratio[-1, 1])}** of the three weights; "
    f"(1 − αλ)^{steps} = **{fixed(zero.law_ratio)}**. One number for all three: the decay is proportional.\n"
    f"- **Adam + L2** kept **{', '.join(fixed(r) for r in zero.ratio[-1, 0])}**: each weight moved by about "
    f"α per step ({steps}·α = {fixed(zero.alpha_steps)}) until it reached zero, however large λ is. Change λ: "
    "the left panel hardly moves (it does at λ = 0, where there is no gradient at all), the right one does.")

# ---- 2. rescale the gradients -------------------------------------------------------------------
st.header("2 · Rescale the loss")
st.markdown(
    "Now a real loss, f(θ) = (θ − 2)², from θ₀ = 8, multiplied by c. Adam's own step is blind to c "
    "(c·g over √(c²v) is g over √v), and AdamW's decay does not look at the gradient at all, so **AdamW ends "
    "in the same place for every c**. Adam + L2 adds λθ to c·∇f: a small c makes the penalty dominate and "
    "pulls θ toward 0, a large c makes it vanish. It settles at the minimum of c·f + λθ²/2, which is "
    "θ = 4c/(2c + λ) (dotted, right).")
cols = st.columns(2)
with cols[0]:
    c = controls.option_slider(PAGE, "scale", "c (gradients multiplied by c)", lesson.SCALES, 0.1,
                               "Every gradient of the loss is multiplied by c, 10⁻² … 10². Log scale.")
with cols[1]:
    run_steps = controls.number_slider(PAGE, "run_steps", "steps on c·f", 1, 2000, 500, 1,
                                       "How many steps both optimizers take on c·f.")
res = lesson.rescaled(lr, weight_decay, run_steps)
plot.show(lesson.rescale_figure(res, c, LABELS), key=f"{PAGE}_scale_chart")
st.caption("AdamW's dashed line (c = 1) lies under its solid one; on the right, Adam + L2's end points lie on "
           "the dotted minimum of c·f + λθ²/2 once the run has settled.")
now, one, spread = res.at(c), res.at(1.0), res.spread
if (res.diverged_at >= 0).any():
    st.warning("Some runs left the finite world (α·λ too large): their lines stop where they diverged.",
               icon=":material/warning:")
st.markdown(
    f"From the core, after {run_steps} steps at c = {controls.fmt_number(c)}: Adam + L2 ends at "
    f"**θ = {fixed(now[0], 5)}** (at c = 1: {fixed(one[0], 5)}), AdamW at "
    f"**θ = {fixed(now[1], 5)}** (at c = 1: {fixed(one[1], 5)}). Over all nine c from "
    f"10⁻² to 10², AdamW's end points differ by at most **{spread[1]:.2g}**, Adam + L2's by "
    f"**{fixed(spread[0])}**.")
st.markdown(
    "**Why it matters.** With L2 inside Adam, how strongly a weight is regularised depends on the size of its "
    "gradients: weights with large or frequent gradients (large √v̂) are barely regularised, rare ones heavily. "
    "AdamW's decay is the same fraction 1 − αλ for every weight. Loshchilov & Hutter found it generalises "
    "better and lets α and λ be tuned separately. Note that torch's AdamW default is λ = 10⁻², Adam's is 0.")

# ---- 3. predict, then reveal ---------------------------------------------------------------------
st.header("3 · Check yourself")
quiz_run = lesson.zero_gradient(QUIZ["lr"], QUIZ["weight_decay"], QUIZ["steps"])
quiz_l2 = float(quiz_run.theta[-1, 0, 0])
quiz_w = float(quiz_run.theta[-1, 1, 0])
quiz.predict_then_reveal(
    f"{PAGE}_q1",
    f"Zero loss gradient, α = {QUIZ['lr']:g}, λ = {QUIZ['weight_decay']:g}. A weight starts at θ₀ = 4. "
    f"Where is it after {QUIZ['steps']} steps of **Adam + L2**?",
    ["About 4 − 40α = 2: it moves about α per step",
     "About 4(1 − αλ)⁴⁰ ≈ 3.27: it shrinks in proportion",
     "Still at 4: the loss gradient is zero", "At 0: the decay wipes it out at once"],
    "About 4 − 40α = 2: it moves about α per step",
    f"The core: Adam + L2 ends at **θ = {fixed(quiz_l2)}**, AdamW at **θ = {fixed(quiz_w)}** "
    f"= 4(1 − αλ)⁴⁰ = {fixed(float(quiz_run.law[-1, 0]))}. With g = λθ, m̂ is a mean of λθ and √v̂ a root mean "
    "square of it: while the weight keeps its sign m̂/√v̂ is close to 1 (a little below, as θ shrinks), so every "
    "step is a little under α, whatever λ is. λ only decides how close to 1 the ratio is.")

controls.show_url_notices(url_notices)
st.page_link("pages/amsgrad.py", label="Next: AMSGrad's counterexample, where Adam converges to the worst point",
             icon=":material/arrow_forward:")
