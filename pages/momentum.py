"""Momentum: a moving average of gradients, and heavy ball on an ill-conditioned bowl, with its theory."""

import streamlit as st

import optimizers as opt
from optimizers import theory
from lessons import momentum as lesson
from ui import controls, frame, plot, quiz, runs
from ui.catalog import CATALOG

frame.require_app()

PAGE = "mom"
BOWL = opt.surfaces.get("bowl")
EIGENVALUES = BOWL.hessian_eigenvalues
GHOST_MUS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99)
WEIGHT_BARS = 150
BUFFER_STEPS = 100
QUIZ_LR, QUIZ_MUS, QUIZ_STEPS = 0.1, (0.0, 0.3, 0.6, 0.9), 200
SGD, MOMENTUM = CATALOG["sgd"], CATALOG["momentum"]
OPT_LR, OPT_MU, OPT_RATE = theory.optimal_heavy_ball(EIGENVALUES)
GD_LR, GD_RATE = theory.optimal_gradient_descent(EIGENVALUES)
SLOW_RATE = float(theory.rates(1.9, 0.9, 1.0))   # μ = 0.9 in the middle of its ripple band: √0.9

st.title("Momentum")
st.markdown(
    "Momentum steps along an average of recent gradients instead of the latest one. Where successive "
    "gradients agree the average keeps their full size; where they flip sign, as across a narrow valley, "
    "they cancel. **This page uses torch's form**, `torch.optim.SGD(momentum=μ)`: a running *sum*")
st.latex(r"b_t = \mu\, b_{t-1} + g_t \;(b_1 = g_1), \qquad \theta_t = \theta_{t-1} - \alpha\, b_t")
st.markdown(
    "Adam's first moment uses the *moving-average* form $m_t = \\mu\\, m_{t-1} + (1-\\mu)\\, g_t$ instead "
    "(Adam calls this decay β₁; on this page it is μ in both forms). "
    "Both weigh old gradients by powers of the decay; they differ by the factor 1/(1−μ), which is why "
    "torch's momentum on a steady slope takes steps of α/(1−μ) times the gradient, and Adam's m does not.")
url_notices = st.container()

# ---- 1. the moving average ----------------------------------------------------------------

# Each section is one block: presenter view (ui/presenter.py) moves it first with its heading and controls.
with st.container():
    st.header("1 · A moving average of past gradients")
    # the link key stays "beta" (links are public); the quantity is μ on this page, in both forms
    beta = controls.number_slider(PAGE, "beta", "μ (decay)", 0.0, 0.99, 0.9, 0.01,
                                  "The fraction of the buffer kept each step, in torch's sum b = μb + g and in "
                                  "the moving average m = μm + (1−μ)g alike.")
    window = theory.ema_window(beta)
    newest = max(1, round(window))   # the window, as a whole number of gradients
    share = theory.weight_share(beta, newest)
    sum_form, ema_form = lesson.constant_gradient_buffers(beta, BUFFER_STEPS)
    columns = st.columns(2)
    with columns[0]:
        plot.show(lesson.weights_figure(theory.ema_weights(beta, WEIGHT_BARS), window, newest, share),
                  key=f"{PAGE}_weights")
    with columns[1]:
        plot.show(lesson.buffers_figure(sum_form, ema_form, beta), key=f"{PAGE}_buffers")
    st.markdown(lesson.moving_average_sentence(beta, window, newest, share, sum_form[-1], ema_form[-1], BUFFER_STEPS))

# ---- 2. heavy ball on the bowl ------------------------------------------------------------

# One block, as section 1: heading, controls, charts and table stay together in presenter view.
with st.container():
    st.header("2 · Heavy ball on an ill-conditioned bowl")
    st.markdown(
        f"Curvature {EIGENVALUES[1]:g} across the valley, {EIGENVALUES[0]:g} along it. Substituting "
        "$b_t = (\\theta_{t-1} - \\theta_t)/\\alpha$ into torch's rule gives exactly Polyak's **heavy ball**:")
    st.latex(r"\theta_{t+1} = \theta_t - \alpha\,\nabla f(\theta_t) + \mu\,(\theta_t - \theta_{t-1})"
             r"\qquad\text{on}\qquad " + BOWL.latex)
    controls_column, chart_column = st.columns([1, 3], gap="medium")
    with controls_column:
        lr = controls.number_slider(PAGE, "lr", "α (learning rate)", 0.005, 0.45, 0.18, 0.005,
                                    "The step size. Plain gradient descent is stable for αλ < 2; "
                                    "heavy ball for αλ < 2 + 2μ.")
        mu = controls.number_slider(PAGE, "mu", "μ (momentum)", 0.0, 0.99, 0.5, 0.01,
                                    "The fraction of the previous step kept. 0 is plain gradient descent.")
        steps = controls.number_slider(PAGE, "steps", "steps", 20, 500, 100, 10,
                                       "How many updates each run makes.")
        st.caption(f"Theory's best for this bowl: **α\\* = {OPT_LR:.4f}, μ\\* = {OPT_MU:.4f}** (dashed {lesson.OPTIMUM_COLOR_NAME}). "
                   f"Faint trails: the same α with μ = {', '.join(f'{m:g}' for m in GHOST_MUS)}.")

    rows = ((("gd", f"{SGD.label}, μ = 0", SGD.color, SGD.symbol, lr, 0.0),
             ("chosen", f"heavy ball, μ = {mu:g}", MOMENTUM.color, MOMENTUM.symbol, lr, mu),
             ("optimum", "optimal α*, μ*", lesson.OPTIMUM_COLOR, "diamond", OPT_LR, OPT_MU))
            + tuple((f"ghost{m:g}", f"μ = {m:g}", MOMENTUM.color, "circle", lr, m) for m in GHOST_MUS))
    paths = lesson.heavy_ball_paths(BOWL.key, tuple(BOWL.start), steps, rows)
    main, ghosts = paths[:3], list(zip(GHOST_MUS, paths[3:]))
    settings = ((lr, 0.0), (lr, mu), (OPT_LR, OPT_MU))
    predicted = [theory.rate(a, m, EIGENVALUES) for a, m in settings]
    measured = [theory.measured_rate(p.distances) for p in main]

    with chart_column:
        plot.show(lesson.bowl_figure(BOWL, runs.background(BOWL.key), main, ghosts), key=f"{PAGE}_paths")

    charts = st.columns(2)
    with charts[0]:
        plot.show(lesson.rates_figure(main, predicted), key=f"{PAGE}_distance")
    with charts[1]:
        plot.show(lesson.regime_figure(lr, mu, EIGENVALUES, (OPT_LR, OPT_MU)), key=f"{PAGE}_regimes")

    st.caption(
        "**Left:** solid lines are the core's runs. Each dashed line has the slope the theory predicts, rᵗ, and is "
        "drawn through its run's last point over the last half of the run: where they run parallel, theory and "
        "measurement agree. **Right:** each eigen-direction of the bowl is one point (αλ, μ); move α and μ and "
        "watch the points cross from one regime into the next. The ✕ marks are the optimum's two directions.")

    chosen_regimes = [lesson.regime(lr, mu, lam) for lam in EIGENVALUES]
    st.dataframe([{
        "run": path.label,
        "α": a, "μ": m,
        **{f"regime along λ = {lam:g}": lesson.regime(a, m, lam) for lam in EIGENVALUES},
        "predicted rate max|z|": r,
        "measured rate (last half)": meas,
        f"distance after {steps} steps": float(path.distances[-1]),
    } for path, (a, m), r, meas in zip(main, settings, predicted, measured)], hide_index=True, key=f"{PAGE}_rates",
        # Short headings and set widths (about 790 px in all), so the last column shows at 1280 px with the sidebar
        # open; the full names are each heading's tooltip and stay the data's names.
        column_config={"run": st.column_config.TextColumn(width=150),
                       "α": st.column_config.NumberColumn(format="%.4g", width=64),
                       "μ": st.column_config.NumberColumn(format="%.4g", width=64),
                       **{f"regime along λ = {lam:g}": st.column_config.TextColumn(
                           f"regime, λ = {lam:g}", help=f"regime along λ = {lam:g}", width=100) for lam in EIGENVALUES},
                       "predicted rate max|z|": st.column_config.NumberColumn(
                           "predicted rate", help="predicted rate max|z|", format="%.4f", width=100),
                       "measured rate (last half)": st.column_config.NumberColumn(
                           "measured rate", help="measured rate (last half)", format="%.4f", width=100),
                       f"distance after {steps} steps": st.column_config.NumberColumn(
                           f"distance at t = {steps}", help=f"distance after {steps} steps", format="%.3e", width=110)})

    limit = theory.stability_limit(mu)
    st.markdown(lesson.heavy_ball_sentence(lr, mu, EIGENVALUES, chosen_regimes, predicted[:2], measured[:2], limit))
    for path in main[:2]:
        if path.diverged_at >= 0:
            st.warning(f"**{path.label} diverged at step {path.diverged_at}**: its iterates overflowed. "
                       "Lower α.", icon=":material/warning:")
    stability = lesson.stability_warning(lr, mu, EIGENVALUES)
    if stability:
        (st.warning if stability[0] == "warning" else st.info)(stability[1], icon=":material/warning:")

st.subheader("The theory behind the dashed lines")
st.markdown(
    "Along an eigenvector with curvature λ the heavy ball is a linear recurrence, "
    "$x_{t+1} = (1 + \\mu - \\alpha\\lambda)\\, x_t - \\mu\\, x_{t-1}$, so the distance shrinks by "
    "the larger root modulus |z| of")
st.latex(r"z^2 - (1 + \mu - \alpha\lambda)\, z + \mu = 0 .")
st.markdown(f"""
- The two roots multiply to μ, so the rate is never below √μ. With **h = αλ**:
  **monotone** for h ≤ (1 − √μ)², **ripples** (complex roots, rate exactly √μ) up to (1 + √μ)²,
  **zigzag** (a negative root: the iterate changes side every step) up to the **stability boundary
  h = 2 + 2μ**; on it (roots −1 and −μ) it swings for ever with constant amplitude, beyond it it **diverges**. Plain gradient descent (μ = 0) zigzags for 1 < h < 2.
- In the ripple regime the rate is √μ, not 2√μ as Distill's *Why Momentum Really Works* states.
  This is also why a large μ is slow: at μ = 0.9 nothing converges faster than √0.9 = {SLOW_RATE:.4f} per step.
- The best setting puts λ = {EIGENVALUES[0]:g} and λ = {EIGENVALUES[1]:g} on the two edges of the ripple band:
  α\\* = (2/(√L + √ℓ))² = **{OPT_LR:.4f}**, μ\\* = ((√L − √ℓ)/(√L + √ℓ))² = **{OPT_MU:.4f}**, rate
  √μ\\* = **{OPT_RATE:.4f}** ({lesson.optimum_measured_clause(measured[2], OPT_RATE)}). The best plain gradient descent,
  α = 2/(ℓ + L) = {GD_LR:.4f}, only reaches **{GD_RATE:.4f}**.
""")

# ---- predict, then reveal -----------------------------------------------------------------

quiz_rows = tuple((f"quiz{m:g}", f"μ = {m:g}", MOMENTUM.color, "circle", QUIZ_LR, m) for m in QUIZ_MUS)
quiz_paths = lesson.heavy_ball_paths(BOWL.key, tuple(BOWL.start), QUIZ_STEPS, quiz_rows)
quiz_measured = [theory.measured_rate(p.distances) for p in quiz_paths]
quiz_predicted = [theory.rate(QUIZ_LR, m, EIGENVALUES) for m in QUIZ_MUS]
options = [f"μ = {m:g}" + (" (plain gradient descent)" if m == 0 else "") for m in QUIZ_MUS]
best = min(range(len(QUIZ_MUS)), key=lambda i: quiz_measured[i])
reveal = lesson.quiz_reveal(BOWL.start, QUIZ_STEPS, QUIZ_MUS, quiz_measured, quiz_predicted,
                            [p.distances[-1] for p in quiz_paths],
                            [theory.regime(QUIZ_LR, QUIZ_MUS[-1], lam) for lam in EIGENVALUES])
quiz.predict_then_reveal(
    f"{PAGE}_q1",
    f"Keep α = {QUIZ_LR:g} on this bowl. Plain gradient descent shrinks the distance by "
    f"{quiz_predicted[0]:.4g} per step. "
    "Which momentum gets to the minimum fastest?",
    options, options[best], reveal)

controls.show_url_notices(url_notices)
st.page_link("pages/rmsprop-scaling.py", label="Next: RMSprop scaling, one step size per coordinate",
             icon=":material/arrow_forward:")
