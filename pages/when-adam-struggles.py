"""When Adam struggles: a saddle, a plateau and a sharp narrow valley, with the numbers."""

import streamlit as st

import optimizers as opt
from lessons import struggles as lesson
from ui import controls, export, figures, frame, plot, quiz, runs

frame.require_app()

PAGE = "bad"
TABLE_FORMAT = {"final loss": st.column_config.NumberColumn(format="%.4g"),
                "distance to a minimum": st.column_config.NumberColumn(format="%.4g")}


def scene_charts(scene_key, paths):
    """The animated paths; returns the column beside them, for the scene's sentence of why."""
    surface = opt.surfaces.get(lesson.SCENES[scene_key].surface)
    left, right = st.columns([1.25, 1], gap="medium")
    with left:
        plot.show(figures.paths_figure(surface, paths, runs.background(surface.key), height=500),
                  key=f"{PAGE}_{scene_key}_paths")
        export.offer(f"{PAGE}_{scene_key}_paths", surface, paths)
    return right


def numbers(scene_key, paths):
    """The scene's table, what its count means, and the loss and distance curves."""
    surface = opt.surfaces.get(lesson.SCENES[scene_key].surface)
    st.dataframe(lesson.scene_rows(scene_key, paths), hide_index=True, key=f"{PAGE}_{scene_key}_table",
                 column_config=TABLE_FORMAT)
    st.caption(lesson.SCENES[scene_key].criterion)
    plot.show(figures.progress_figure(paths, surface, height=300), key=f"{PAGE}_{scene_key}_progress")


st.title("When Adam struggles")
st.markdown(
    "Adam's step is α·m̂/(√v̂ + ε): about α in the direction the recent gradients agree on, whatever their "
    "size. Three landscapes test that idea: a **saddle**, where it shines; a **plateau**, where ε decides; "
    "and a **sharp, narrow valley** that runs diagonally, where it can struggle. Each runs SGD, momentum, "
    "RMSprop and Adam from the same start; the numbers are read off the very runs the plots draw.")
url_notices = st.container()

# ---- 1. the saddle -----------------------------------------------------------------------------
st.subheader("1 · A saddle: the gradient that points away is tiny")
st.latex(opt.surfaces.get("saddle").latex + r",\qquad \text{start } (-2,\ y_0)")
columns = st.columns(2)
with columns[0]:
    y0 = controls.option_slider(PAGE, "y0", "y₀ (how close to the ridge it starts)", lesson.Y0_OPTIONS, 1e-4,
                                "The saddle is at the origin; y = 0 is the ridge. The smaller y₀, the smaller "
                                "the gradient that pushes the path off it. Log scale; y₀ = 0 sits exactly on it.")
with columns[1]:
    saddle_steps = controls.number_slider(PAGE, "saddle_steps", "steps", 1, 1000, 200, 1, "How many updates each makes.")
saddle = lesson.scene_paths("saddle", lesson.start_of("saddle", y0), saddle_steps)
with scene_charts("saddle", saddle):
    st.markdown(lesson.saddle_why(saddle, y0))
numbers("saddle", saddle)

# ---- 2. the plateau ----------------------------------------------------------------------------
st.subheader("2 · A plateau: a gradient of the size of ε")
st.latex(opt.surfaces.get("plateau").latex + r",\qquad \text{start } r\,(0.8,\ 0.6)")
columns = st.columns(3)
with columns[0]:
    radius = controls.number_slider(PAGE, "r", "r (start's distance from the well)", 1.5, 8.0, 6.0, 0.5,
                                    "The gradient's size there is r·e^(−r²/2): 1.3e-3 at r = 4, 9e-8 at r = 6, "
                                    "1.6e-10 at r = 7.")
with columns[1]:
    eps = controls.eps_slider(PAGE, "eps", 1e-8)
with columns[2]:
    plateau_steps = controls.number_slider(PAGE, "plateau_steps", "steps", 1, 1000, 200, 1,
                                           "How many updates each makes.")
plateau = lesson.scene_paths("plateau", lesson.start_of("plateau", radius), plateau_steps,
                                {"rmsprop": {"eps": eps}, "adam": {"eps": eps}})
with scene_charts("plateau", plateau):
    st.markdown(lesson.plateau_why(plateau, radius, eps))
numbers("plateau", plateau)

# ---- 3. the narrow valley ------------------------------------------------------------------------
st.subheader("3 · A sharp, narrow valley that is not along an axis")
st.latex(opt.surfaces.get("narrow_valley").latex)
columns = st.columns(3)
with columns[0]:
    adam_lr = controls.lr_slider(PAGE, "adam_lr", 0.05, help="Adam's α (the others keep theirs). Log scale.")
with columns[1]:
    beta2 = controls.beta2_slider(PAGE, "beta2", 0.999, label="Adam's β₂")
with columns[2]:
    valley_steps = controls.number_slider(PAGE, "valley_steps", "steps", 1, 1000, 300, 1, "How many updates each makes.")
valley = lesson.scene_paths("valley", lesson.start_of("valley", None), valley_steps,
                               {"adam": {"lr": adam_lr, "beta2": beta2}})
adam_at_09 = None if beta2 == 0.9 else lesson.scene_paths(
    "valley", lesson.start_of("valley", None), valley_steps, {"adam": {"lr": adam_lr, "beta2": 0.9}})[-1]
with scene_charts("valley", valley):
    st.markdown(lesson.valley_why(valley, beta2, adam_at_09))
numbers("valley", valley)

# ---- predict, then reveal -------------------------------------------------------------------------
near, nearer = (lesson.counts("saddle", lesson.scene_paths("saddle", lesson.start_of("saddle", y), 1000))
                for y in lesson.QUIZ_Y0)
quiz.predict_then_reveal(
    f"{PAGE}_q1",
    "On the saddle, start 10,000 times closer to the ridge: y₀ = 10⁻⁶ instead of 10⁻². "
    "How many more steps does Adam need to escape?",
    list(lesson.QUIZ_OPTIONS), lesson.quiz_answer(near.get("adam"), nearer.get("adam")),
    lesson.quiz_reveal(near, nearer))

controls.show_url_notices(url_notices)
st.page_link("pages/train-a-model.py", label="Next: train a real model", icon=":material/arrow_forward:")
st.page_link("pages/home.py", label="Back to the course overview", icon=":material/home:")
