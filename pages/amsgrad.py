"""AMSGrad's counterexample (Reddi, Kale & Kumar 2018): Adam drifts to the worst point, AMSGrad does not."""

import streamlit as st

from lessons import amsgrad as lesson
from ui import controls, frame, plot, quiz

frame.require_app()

PAGE = "ams"
LABELS = lesson.LABELS


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

paper_and_usual = lesson.variants(C, steps, alpha)
plot.show(lesson.counterexample_figure(run, LABELS), key=f"{PAGE}_chart")
st.caption("Right: the first few T, where R_T/T is large for both, may run off the top of the panel.")
st.caption(lesson.paper_caption(run, paper_and_usual))
alpha_text = controls.fmt_number(alpha)
st.markdown(lesson.core_sentence(run, C, alpha_text, steps))
if steps >= 3:
    st.markdown(lesson.why_sentence(run))
st.markdown(
    "**What it teaches.** Adam's v is a short memory when β₂ is small, and then rare large gradients, the "
    "informative ones, are drowned out by frequent small ones. "
    + lesson.usual_beta2_sentence(paper_and_usual[-1, 2])
    + " The paper shows that for *any* β₁ < √β₂ there is a problem on which Adam fails to converge. "
    "In practice AMSGrad rarely beats Adam on real networks; the lesson is about what v remembers.")

st.header("Check yourself")
big = lesson.counterexample(QUIZ_C, steps, alpha)
quiz.predict_then_reveal(
    f"{PAGE}_q1", lesson.quiz_question(C, QUIZ_C, alpha_text, steps, big.beta2),
    list(lesson.QUIZ_OPTIONS), lesson.quiz_answer(big.x[-1, 0]), lesson.quiz_reveal(big, QUIZ_C))

controls.show_url_notices(url_notices)
st.page_link("pages/momentum-schedules.py", label="Next: momentum schedules, a decaying or cyclic β₁",
             icon=":material/arrow_forward:")
