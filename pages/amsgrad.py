"""AMSGrad's counterexample (Reddi, Kale & Kumar 2018): Adam drifts to the worst point, AMSGrad does not."""

import streamlit as st

from lessons import amsgrad as lesson
from ui import controls, frame, plot, quiz

frame.require_app()

PAGE = "ams"
LABELS = lesson.LABELS


def fixed(value, digits=4):
    return f"{value:.{digits}g}"


st.title("AMSGrad's counterexample")
st.markdown(
    "Reddi, Kale & Kumar (ICLR 2018, *On the convergence of Adam and beyond*) built a problem on which Adam "
    "provably converges to the **worst** point. It is an online problem: at each step t = 1, 2, 3, … a new "
    "linear loss f_t on the interval [−1, 1]:")
st.latex(r"f_t(x) = \begin{cases} C\,x & t \bmod 3 = 1 \\ -x & \text{otherwise} \end{cases}"
         r"\qquad x \in [-1, 1],\quad C > 2")
st.markdown(
    "Every three steps the losses add up to (C − 2)·x, so the best fixed point is **x = −1** and **x = +1** "
    "is the worst. The gradient is one large C followed by two small −1's. Both optimizers below are the "
    "core's Adam with the paper's settings, **β₁ = 0, β₂ = 1/(1 + C²), step size α/√t**, x clipped to [−1, 1] "
    "after each step, starting at x₁ = 0; AMSGrad only changes the denominator to the largest v seen so far:")
st.latex(r"v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2,\qquad "
         r"\text{Adam: } x_{t+1} = \Pi_{[-1,1]}\Bigl(x_t - \frac{\alpha}{\sqrt t}\,\frac{g_t}{\sqrt{\hat v_t}+\varepsilon}\Bigr)")
st.latex(r"\text{AMSGrad: } v^{\max}_t = \max(v^{\max}_{t-1}, v_t),\qquad "
         r"x_{t+1} = \Pi_{[-1,1]}\Bigl(x_t - \frac{\alpha}{\sqrt t}\,\frac{g_t}{\sqrt{\hat v^{\max}_t}+\varepsilon}\Bigr)")
st.caption("As in torch, v̂ = v/(1 − β₂ᵗ) (≈ v after a few steps, since β₂ = 0.1 at C = 3) and ε = 10⁻⁸ sits "
           "outside the root; the paper's version has neither, which changes nothing visible here.")
url_notices = st.container()
QUIZ_C = 10.0

cols = st.columns(3)
with cols[0]:
    C = controls.number_slider(PAGE, "C", "C (the large gradient)", 2.1, 10.0, 3.0, 0.1,
                               "The loss at t = 1, 4, 7, … is C·x. The counterexample needs C > 2, so that −1 "
                               "is the best point.")
with cols[1]:
    steps = controls.number_slider(PAGE, "steps", "steps", 1, 6000, 1500, 1, "How many rounds t are played.")
with cols[2]:
    alpha = controls.lr_slider(PAGE, "lr", 0.5, help="α: the step size at t is α/√t, as in the paper. Log scale.")

try:
    run = lesson.counterexample(C, steps, alpha)
except ValueError as error:
    st.error(str(error), icon=":material/error:")
    controls.show_url_notices(url_notices)
    st.stop()

plot.show(lesson.counterexample_figure(run, LABELS), key=f"{PAGE}_chart")
st.caption("Right: the first few T, where R_T/T is large for both, may run off the top of the panel.")
end = run.x[-1]
st.markdown(
    f"**From the core**, with C = {C:g} (β₂ = 1/(1 + C²) = {fixed(run.beta2)}), α = {controls.fmt_number(alpha)} "
    f"and {steps} steps: Adam ends at **x = {fixed(end[0])}**, AMSGrad at **x = {fixed(end[1])}**. The average "
    f"regret R_T/T is **{fixed(run.regret[-1, 0])}** for Adam (a player stuck at +1 pays "
    f"2(C − 2)/3 = {fixed(run.limit)} per step) and **{fixed(run.regret[-1, 1])}** for AMSGrad, on its way to 0.")
if steps >= 3:
    st.markdown(
        "**Why Adam drifts up.** β₂ = 1/(1 + C²) is small: v forgets almost everything in one step. At the "
        "large gradient v jumps to about C², and the step is about α/√t *down*; at the two small gradients "
        "v falls back near 1, and each of them is *also* a step of about α/√t, *up*. Two up, one down: x climbs. "
        f"In the last full round the core proposed, for Adam, **{fixed(run.down[0])}** at the large gradient "
        f"and **+{fixed(run.up[0])}** at the two small ones together. AMSGrad divides by the largest v so far, "
        f"which still remembers C²: its two small steps add up to only **+{fixed(run.up[1])}** against "
        f"**{fixed(run.down[1])}**, and the large gradient wins, as it should.")
st.markdown(
    "**What it teaches.** Adam's v is a short memory when β₂ is small, and then rare large gradients, the "
    "informative ones, are drowned out by frequent small ones. With the usual β₂ = 0.999 this exact problem "
    "does not trap Adam, but the paper shows that for *any* β₁ < √β₂ there is a problem that does. "
    "In practice AMSGrad rarely beats Adam on real networks; the lesson is about what v remembers.")

st.header("Check yourself")
big = lesson.counterexample(QUIZ_C, steps, alpha)
quiz.predict_then_reveal(
    f"{PAGE}_q1",
    f"Raise C from {C:g} to {QUIZ_C:g} (α = {controls.fmt_number(alpha)}, {steps} steps): the informative gradient "
    f"is now {QUIZ_C:g} times the two small ones, and β₂ = 1/(1 + C²) = {fixed(big.beta2)}. Where does **Adam** end?",
    ["Near −1: a gradient that large finally wins", "Still near +1, the worst point",
     "At 0, where it started", "Anywhere: it oscillates across the whole interval"],
    "Still near +1, the worst point",
    f"The core at C = {QUIZ_C:g}: Adam at **x = {fixed(big.x[-1, 0])}**, AMSGrad at **x = {fixed(big.x[-1, 1])}**; "
    f"Adam's average regret is **{fixed(big.regret[-1, 0])}** (2(C − 2)/3 = {fixed(big.limit)}). A larger C makes "
    "β₂ smaller, so v forgets the large gradient even faster: every small gradient still gets a step of about "
    "α/√t. (With very few steps or a tiny α neither optimizer has gone far yet: move the sliders and see.)")

controls.show_url_notices(url_notices)
st.page_link("pages/schedules.py", label="Next: momentum schedules, a decaying or cyclic β₁",
             icon=":material/arrow_forward:")
