"""The flagship lesson: SGD, momentum, RMSprop and Adam on the same surface from the same start."""

import tomllib
from pathlib import Path as FilePath

import numpy as np
import streamlit as st

import optimizers as opt
from ui import controls, figures, frame, plot, quiz, runs
from ui.catalog import CATALOG

frame.require_app()

PAGE = "vs"
SURFACES = ("parabola", "two_wells", "bowl", "rosenbrock", "saddle", "beale")
SCENES = tomllib.loads((FilePath(__file__).parents[1] / "assets" / "scenes.toml").read_text())

st.title("Adam against SGD")
st.markdown(
    "Four optimizers start from the same point on the same loss. Press **▶ Play**, or drag the step "
    "slider under the plot. Change any setting: every path is recomputed at once.")
url_notices = st.container()

surface_key = controls.choice(PAGE, "surface", "Loss surface", SURFACES, "parabola",
                              "Pick a 1-D curve or a 2-D landscape.",
                              format_func=lambda k: opt.surfaces.get(k).title)
surface = opt.surfaces.get(surface_key)
scene = SCENES[surface_key]
st.latex(surface.latex)
controls_column, chart_column = st.columns([1, 3], gap="medium")
with controls_column:
    st.caption(surface.blurb)
    start, steps = controls.start_and_steps(PAGE, surface, scene)
    settings = {}
    for key, spec in CATALOG.items():
        with st.expander(f"{spec.label} settings"):
            settings[key] = controls.optimizer_settings(PAGE, surface_key, key, scene[key])

paths = runs.run_paths(settings, surface_key, start, steps)
background = runs.background(surface_key) if surface.dim == 2 else None
with chart_column:
    plot.show(figures.paths_figure(surface, paths, background), key=f"{PAGE}_paths")

for path in paths:
    if path.error:
        st.error(f"{path.label}: {path.error}", icon=":material/error:")
    elif path.diverged_at >= 0:
        st.warning(f"**{path.label} diverged at step {path.diverged_at}**: its iterates overflowed to "
                   "infinity. Its step is too large for this surface's curvature; lower its α.",
                   icon=":material/warning:")

st.dataframe(runs.summary_rows(paths), hide_index=True, key=f"{PAGE}_summary",
             column_config={"final loss": st.column_config.NumberColumn(format="%.4g"),
                            "distance to minimum": st.column_config.NumberColumn(format="%.4g"),
                            "first step |θ₁ − θ₀|": st.column_config.NumberColumn(format="%.6g")})

plot.show(figures.progress_figure(paths, surface), key=f"{PAGE}_progress")

st.subheader("The update rules")
for key, spec in CATALOG.items():
    st.markdown(f"**{spec.label}** — {spec.summary}")
    st.latex(spec.latex)

st.subheader("What to look for")
st.markdown("""
- **SGD's steps shrink with the slope.** On the parabola each step is α·2(θ−2): the distance to the
  minimum falls by the same factor 1 − 2α every step, a straight line on the log chart.
- **Adam's steps do not.** m̂/√v̂ is close to ±1 while the gradient keeps its sign, so Adam walks
  at about α per step whatever the slope: 0.1 per step from θ = 8 takes about 60 steps to reach 2.
  Raise *steps* to 150 and watch it overshoot and oscillate around the minimum before it settles.
- **Momentum overshoots; RMSprop starts big.** Momentum carries velocity past the minimum and rings.
  RMSprop has no bias correction: its first step is α/√(1−ρ), ten times α at ρ = 0.99.
- **On the ill-conditioned bowl** SGD zigzags across the valley while the adaptive methods rescale
  each coordinate; on **Rosenbrock** everyone finds the valley fast and then crawls along it.
""")

scaled = {key: runs.run_traced(key, tuple(sorted(settings[key].items())), surface_key, start, 1, scale=10.0).path
          for key in ("sgd", "adam")}
first = {p.key: runs.first_step_size(p) for p in paths}
first_scaled = {key: runs.first_step_size(path) for key, path in scaled.items()}
if not any(np.isnan(v) for v in (first["sgd"], first["adam"], *first_scaled.values())):
    quiz.predict_then_reveal(
        f"{PAGE}_q1",
        "Multiply the loss by 10, so every gradient is 10 times larger. What happens to Adam's first step?",
        ["It is 10 times larger", "It is about 3.2 (√10) times larger", "It stays the same size",
         "It is 10 times smaller"],
        "It stays the same size",
        f"The core ran both from the same start: Adam's first step is **{first['adam']:.6g}** on f "
        f"and **{first_scaled['adam']:.6g}** on 10·f, while SGD's grows from "
        f"**{first['sgd']:.6g}** to **{first_scaled['sgd']:.6g}**. "
        "With both bias corrections m̂₁ = g₁ and v̂₁ = g₁², so Adam's first step is −α·g₁/(|g₁| + ε): "
        "about α whatever the gradient's size. Scaling the loss scales m̂ and √v̂ alike, and the ratio "
        "does not change, as long as ε is tiny next to √v̂.")

controls.show_url_notices(url_notices)
st.page_link("pages/momentum.py", label="Next: momentum, the moving average inside Adam", icon=":material/speed:")
st.page_link("pages/home.py", label="Back to the course overview", icon=":material/home:")
