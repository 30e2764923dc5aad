"""The flagship lesson: SGD, momentum, RMSprop and Adam on the same surface from the same start."""

import tomllib
from pathlib import Path as FilePath

import numpy as np
import streamlit as st

import optimizers as opt
from lessons import adam_vs_sgd as lesson
from ui import controls, divergence, export, figures, frame, plot, quiz, runs, tables, view3d
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
    three_d = view3d.toggle(PAGE) if surface.dim == 2 else False
    settings = {}
    for key, spec in CATALOG.items():
        with st.expander(f"{spec.label} settings"):
            settings[key] = controls.optimizer_settings(PAGE, surface_key, key, scene[key])

paths = runs.run_paths(settings, surface_key, start, steps)
background = runs.background(surface_key) if surface.dim == 2 else None
with chart_column:
    view3d.show_paths(PAGE, surface, figures.paths_figure(surface, paths, background,
                                                          height=720 if surface.dim == 1 else 600, step_panel=True),
                      paths, three_d)
    export.offer(f"{PAGE}_paths", surface, paths, settings, step_panel=True)

for path in paths:
    note = None if path.error else lesson.stop_note(path, surface, settings[path.key])
    if path.error:
        st.error(f"{path.label}: {path.error}", icon=":material/error:")
    elif note:
        st.warning(note[1], icon=":material/warning:")

# A plain HTML table, not st.dataframe: a few rows need no grid, and the grid's 1.2 MB of frontend code put
# the first chart of a cold visit 0.2 s later (benchmarks/bench_first_chart.py, issue 18).
st.table(tables.arrow_table(lesson.readout_rows(paths, surface, settings)), hide_index=True)
st.caption(f"Final: the run's last finite point. Diverging from step k: {divergence.RULE}. "
           "NaN: a value stopped being a number without blowing up first. Sizes are Euclidean lengths.")

plot.show(figures.progress_figure(paths, surface), key=f"{PAGE}_progress")

st.subheader("The update rules")
for key, spec in CATALOG.items():
    st.markdown(f"**{spec.label}** — {spec.summary}")
    st.latex(spec.latex)

st.subheader("What to look for")
adam_hyper = tuple(sorted(settings["adam"].items()))
adam_traced = runs.run_traced("adam", adam_hyper, surface_key, start, steps)
adam_longer = (lesson.longer_run(lambda n: runs.run_path("adam", adam_hyper, surface_key, start, n), steps, surface,
                                 start)
               if surface.dim == 1 and steps < lesson.MAX_STEPS else None)
st.markdown(lesson.what_to_look_for(paths, surface, settings, adam_traced, adam_longer))

scaled = {key: runs.run_traced(key, tuple(sorted(settings[key].items())), surface_key, start, 1, scale=10.0).path
          for key in ("sgd", "adam")}
first = {p.key: runs.first_step_size(p) for p in paths}
first_scaled = {key: runs.first_step_size(path) for key, path in scaled.items()}
if lesson.quiz_available(first, first_scaled):
    quiz.predict_then_reveal(
        f"{PAGE}_q1",
        "Multiply the loss by 10, so every gradient is 10 times larger. With these settings, what happens to "
        "Adam's first step?",
        list(lesson.QUIZ_OPTIONS), lesson.quiz_answer(first["adam"], first_scaled["adam"]),
        lesson.quiz_explanation(first, first_scaled, settings["adam"]["eps"], surface.grad(np.array(start))))
else:
    st.markdown(lesson.quiz_unavailable(first, first_scaled))

controls.show_url_notices(url_notices)
st.page_link("pages/playground.py", label="Try them on a loss of your own: the playground",
             icon=":material/science:")
st.page_link("pages/momentum.py", label="Next: momentum, the moving average inside Adam", icon=":material/speed:")
st.page_link("pages/home.py", label="Back to the course overview", icon=":material/home:")
