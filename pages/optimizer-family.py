"""The whole family: fifteen optimizers, each switchable, on any surface; Adafactor's memory on a matrix."""

import streamlit as st

import optimizers as opt
from lessons import family as lesson
from ui import controls, export, figures, frame, plot, quiz, runs, tables, view3d
from ui.family import FAMILY, preset

frame.require_app()

PAGE = "fam"
SURFACES = tuple(opt.surfaces.SURFACES)

st.title("The whole family")
st.markdown(
    "Fifteen optimizers from the same start on the same loss. Switch any of them on or off; each one "
    "chosen gets its main settings in an expander and its update rule below the charts. Press **▶ Play**, "
    "or drag the step slider under the plot.")
url_notices = st.container()

surface_key = controls.choice(PAGE, "surface", "Loss surface", SURFACES, "rosenbrock",
                              "Pick a 1-D curve or a 2-D landscape.",
                              format_func=lambda k: opt.surfaces.get(k).title)
surface = opt.surfaces.get(surface_key)
shown = lesson.chosen_optimizers(PAGE, "Optimizers shown")
st.latex(surface.latex)

controls_column, chart_column = st.columns([1, 3], gap="medium")
with controls_column:
    st.caption(surface.blurb)
    start, steps = controls.start_and_steps(PAGE, surface, preset(surface_key))
    three_d = view3d.toggle(PAGE) if surface.dim == 2 else False
    settings = {}
    for key in shown:
        with st.expander(f"{FAMILY[key].label} settings"):
            settings[key] = lesson.optimizer_settings(PAGE, surface_key, key)

paths = lesson.run_members(settings, surface_key, start, steps)
background = runs.background(surface_key) if surface.dim == 2 else None
with chart_column:
    if not shown:
        st.info("Choose at least one optimizer above.", icon=":material/touch_app:")
    view3d.show_paths(PAGE, surface, lesson.with_dashes(figures.paths_figure(surface, paths, background, height=640)),
                      paths, three_d, height=640)
    export.offer(f"{PAGE}_paths", surface, paths, settings)

for path in paths:
    note = None if path.error else lesson.run_note(path, surface, settings[path.key])
    if path.error:
        st.error(f"{path.label}: {path.error}", icon=":material/error:")
    elif note:
        st.warning(note, icon=":material/warning:")

st.dataframe(tables.arrow_table(lesson.table_rows(paths, surface)), hide_index=True, key=f"{PAGE}_summary")
plot.show(lesson.with_dashes(figures.progress_figure(paths, surface)), key=f"{PAGE}_progress")

st.subheader("The update rules")
st.caption("gₜ is the gradient at θₜ₋₁. Each rule is the update the core runs, in torch's form "
           "(Lion and AdaBound from their papers' code); weight decay is 0 except in AdamW.")
for key in shown:
    spec = FAMILY[key]
    st.markdown(f"**{spec.label}** — {spec.when}")
    st.latex(spec.latex)

lion = lesson.lion_settings(settings, surface_key)
quiz.predict_then_reveal(
    f"{PAGE}_q1",
    f"Lion on this surface with α = {controls.fmt_number(lion['lr'])}: how long is each of its steps, "
    "coordinate by coordinate?",
    ["α times the gradient", "Exactly α", "About α at first, then shrinking as it nears the minimum",
     "α divided by √v, as in Adam"],
    "Exactly α", lambda: lesson.lion_reveal(lion, surface_key, start, steps))

st.subheader("Adafactor's memory: the second moment of a matrix in n + m numbers")
st.markdown(
    "For an n×m weight matrix Adam keeps two n×m arrays (m and v). Adafactor keeps only the row means R "
    "and column means C of its running g² and rebuilds v̂ = R·C / mean(R) when it needs it; torch's "
    "Adafactor keeps no first moment (the paper's optional β₁ would add another nm). The numbers below are "
    "the shapes of the core's state after `init` on an n×m parameter (`param_ndim=2`).")
n_column, m_column = st.columns(2)
with n_column:
    n = controls.number_slider(PAGE, "n", "n (rows of the weight)", 1, 4096, 1024, 1, "The weight's first dimension.")
with m_column:
    m = controls.number_slider(PAGE, "m", "m (columns of the weight)", 1, 4096, 4096, 1,
                               "The weight's second dimension.")
memory = lesson.state_memory(n, m)
st.table([{"optimizer": row["optimizer"],
           "state arrays": ", ".join(f"{name} {'×'.join(map(str, shape))}" for name, shape in row["arrays"]),
           "numbers kept": f"{row['numbers']:,}",
           "per weight": f"{row['per_weight']:.4g}"} for row in memory["rows"]])
st.markdown(lesson.memory_sentence(n, m, memory))

controls.show_url_notices(url_notices)
st.page_link("pages/when-adam-struggles.py", label="Next: when Adam struggles", icon=":material/arrow_forward:")
st.page_link("pages/home.py", label="Back to the course overview", icon=":material/home:")
