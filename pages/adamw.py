"""AdamW against Adam + L2: decoupled decay shrinks weights by 1 − αλ; L2 inside Adam is normalised away."""

import streamlit as st

from lessons import adamw as lesson
from ui import controls, frame, plot, quiz

frame.require_app()

PAGE = "adamw"
DECAYS = (0.0, 1e-3, 0.01, 0.03, 0.1, 0.3, 1.0)
QUIZ = lesson.QUIZ       # the question's own, fixed settings
LABELS = lesson.LABELS


fixed = lesson.fixed


st.title("AdamW against Adam + L2")
st.markdown(
    "Two ways to pull weights toward zero. **L2 regularisation** adds λθ²/2 to the loss, so λθ joins the "
    "gradient *before* Adam sees it. **Decoupled weight decay** (Loshchilov & Hutter, AdamW) leaves the "
    "gradient alone and shrinks θ itself at every step; torch's `AdamW` multiplies θ by 1 − αλ. For SGD the "
    "two are the same thing; for Adam they are not, because Adam divides whatever gradient it gets by √v̂. "
    "Both rules below are what the core runs (torch's `Adam(weight_decay=λ)` and `AdamW(weight_decay=λ)`):")
st.latex(r"\text{Adam + L2:}\quad g_t = \nabla f(\theta_{t-1}) + \lambda\theta_{t-1},\qquad "
         r"\theta_t = \theta_{t-1} - \alpha\,\frac{\hat m_t}{\sqrt{\hat v_t}+\varepsilon}")
st.latex(r"\text{AdamW:}\quad g_t = \nabla f(\theta_{t-1}),\qquad "
         r"\theta_t = \theta_{t-1}(1-\alpha\lambda) - \alpha\,\frac{\hat m_t}{\sqrt{\hat v_t}+\varepsilon}")
st.markdown(
    "**Decoupled from what?** From the gradient, in both the paper and torch. Not from α in torch: its decay "
    "per step is αλ, so halving α halves the decay too. The paper's own rule is "
    "θₜ = θₜ₋₁ − ηₜ(α·m̂ₜ/(√v̂ₜ + ε) + λθₜ₋₁), where ηₜ is the schedule's multiplier: its decay per step, ηₜλ, "
    "does not contain α, so α and λ can be tuned separately. torch's λ is the paper's λ divided by α.")
url_notices = st.container()

# The settings sit in the page, above the charts that follow them (in the sidebar they were below every lesson
# link, and on a phone the open drawer covered the charts). Keys unchanged: links are public.
with st.container(border=True, key=f"{PAGE}_settings"):
    st.markdown("**Decay settings**: both sections follow these; β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸ throughout.")
    columns = st.columns(2, gap="small")
    with columns[0]:
        lr = controls.lr_slider(PAGE, "lr", 0.05)
    with columns[1]:
        weight_decay = controls.option_slider(PAGE, "wd", "λ (weight decay)", DECAYS, 0.1,
                                              "The strength of the pull toward zero, the same λ for both. Log scale.")

factor_note = lesson.factor_warning(lr, weight_decay)
if factor_note:
    st.warning(factor_note, icon=":material/warning:")

# ---- 1. zero gradient: only the decay acts ------------------------------------------------------
st.header("1 · With a zero loss gradient")
st.markdown(
    "Take a loss that is flat, ∇f = 0, so that only the decay acts, and three weights θ₀ = 4, 1 and 0.25. "
    "**AdamW** multiplies each by 1 − αλ per step: after k steps θ₀(1 − αλ)ᵏ, the same *fraction* for all three. "
    "**Adam + L2** sees the gradient g = λθ, and Adam divides its average m̂ by √v̂, a root mean square of the "
    "same λθ: λ cancels (ε aside), so its run is the same for every λ > 0. Its first step is α·m̂₁/√v̂₁ = "
    "α·sign(θ₀), the same *distance* α for every weight; after that the steps depend on θ's own history.")
steps = controls.number_slider(PAGE, "steps", "steps", 1, 1000, 200, 1, "How many steps the decay runs.")
try:
    zero = lesson.zero_gradient(lr, weight_decay, steps)
except ValueError as error:
    st.error(str(error), icon=":material/error:")
    controls.show_url_notices(url_notices)
    st.stop()
plot.show(lesson.decay_figure(zero, lesson.WEIGHTS, LABELS), key=f"{PAGE}_decay_chart")
st.markdown(lesson.zero_gradient_sentence(zero, steps, lr, weight_decay, controls.fmt_number(lr),
                                          controls.fmt_number(weight_decay)))

# ---- 2. rescale the gradients -------------------------------------------------------------------
st.header("2 · Rescale the loss")
st.markdown(
    "Now a real loss, f(θ) = (θ − 2)², from θ₀ = 8, multiplied by c. Adam's own step is blind to c "
    "(c·g over √(c²v) is g over √v), and AdamW's decay does not look at the gradient at all, so, ε aside, "
    "**AdamW's run is the same for every c**. Adam + L2 adds λθ to c·∇f: with λ > 0, a small c makes the "
    "penalty dominate and pulls θ toward 0, a large c makes it vanish. Where it can settle is the minimum of "
    "c·f + λθ²/2, θ = 4c/(2c + λ) (dotted, right).")
cols = st.columns(2)
with cols[0]:
    c = controls.option_slider(PAGE, "scale", "c (gradients multiplied by c)", lesson.SCALES, 0.1,
                               "Every gradient of the loss is multiplied by c, 10⁻² … 10². Log scale.")
with cols[1]:
    run_steps = controls.number_slider(PAGE, "run_steps", "steps on c·f", 1, 2000, 500, 1,
                                       "How many steps both optimizers take on c·f.")
res = lesson.rescaled(lr, weight_decay, run_steps)
plot.show(lesson.rescale_figure(res, c, LABELS), key=f"{PAGE}_scale_chart")
st.caption(lesson.rescale_caption(res))
warning = lesson.diverged_warning(res, lr, weight_decay)
if warning:
    st.warning(warning, icon=":material/warning:")
st.markdown(lesson.rescale_sentence(res, c, run_steps, controls.fmt_number(c)))
st.markdown(
    "**Why it matters.** With L2 inside Adam, how strongly a weight is regularised depends on the size of its "
    "gradients: weights with large or frequent gradients (large √v̂) are barely regularised, rare ones heavily. "
    "AdamW's decay is the same fraction for every weight (1 − αλ in torch). Loshchilov & Hutter found that "
    "decoupled decay generalises better than L2 with Adam, and that in their form (decay ηₜλ) the best λ "
    "hardly moves when α does; in torch's form, keep αλ fixed to keep the same decay when you change α. "
    "torch's AdamW default is λ = 10⁻², Adam's is 0.")

# ---- 3. predict, then reveal ---------------------------------------------------------------------
st.header("3 · Check yourself")
quiz_run = lesson.zero_gradient(QUIZ["lr"], QUIZ["weight_decay"], QUIZ["steps"])
quiz.predict_then_reveal(
    f"{PAGE}_q1",
    f"Zero loss gradient, α = {QUIZ['lr']:g}, λ = {QUIZ['weight_decay']:g}. A weight starts at θ₀ = 4. "
    f"Where is it after {QUIZ['steps']} steps of **Adam + L2**?",
    ["About 4 − 40α = 2: it moves about α per step",
     "About 4(1 − αλ)⁴⁰ ≈ 3.27: it shrinks in proportion",
     "Still at 4: the loss gradient is zero", "At 0: the decay wipes it out at once"],
    "About 4 − 40α = 2: it moves about α per step",
    lambda: lesson.quiz_reveal(float(quiz_run.theta[-1, 0, 0]), float(quiz_run.theta[-1, 1, 0]),
                               float(quiz_run.law[-1, 0]),
                               lesson.quiz_runs(QUIZ["lr"], QUIZ["steps"], QUIZ["start"], lesson.QUIZ_DECAYS)))

controls.show_url_notices(url_notices)
st.page_link("pages/amsgrad.py", label="Next: AMSGrad's counterexample, where Adam converges to the worst point",
             icon=":material/arrow_forward:")
