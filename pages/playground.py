"""The playground: your own loss (or any surface), a race of any family members on it, and sensitivity maps."""

import streamlit as st

import optimizers as opt
from lessons import family
from lessons.playground import figures as play_figures
from lessons.playground import runs, text, widgets
from lessons.playground.parse import FormulaError
from ui import controls, export, figures, frame, plot, view3d
from ui import runs as shared_runs
from ui.family import FAMILY, default_settings, preset

frame.require_app()

PAGE = "play"
SURFACES = (runs.TYPED,) + tuple(opt.surfaces.SURFACES)


def surface_title(key):
    return "Your function" if key == runs.TYPED else opt.surfaces.get(key).title


st.title("Playground: your own loss")
st.markdown(
    "Type a loss of x (or of x and y), or pick one of the course's surfaces, and race any optimizers of the "
    "family on it. Below the race, two maps show how Adam's result depends on its hyperparameters: every "
    "cell is one setting, and all of them run at once.")
url_notices = st.container()

surface_key = controls.choice(PAGE, "surface", "Loss surface", SURFACES, runs.TYPED,
                              "Your own function, or one of the course's.", format_func=surface_title)
formula_text, surface, background = None, None, None
if surface_key == runs.TYPED:
    formula_text = widgets.formula_box(PAGE)
    try:
        parsed = runs.formula(formula_text)
    except FormulaError as refusal:
        st.error(text.plain(str(refusal)), icon=":material/block:")
    else:
        st.latex(parsed.latex)
        st.latex(parsed.gradient_latex)
        x_range, y_range, auto = widgets.plot_range(PAGE, parsed.dim, runs.auto_range(parsed))
        surface = runs.typed_surface(formula_text, x_range, y_range)
        st.caption(text.range_caption(surface, auto))
        background = runs.typed_background(formula_text, x_range, y_range) if surface.dim == 2 else None
else:
    surface = opt.surfaces.get(surface_key)
    st.latex(surface.latex)
    background = shared_runs.background(surface_key) if surface.dim == 2 else None

if surface is not None:
    shown = family.chosen_optimizers(PAGE, "Optimizers racing")
    typed = surface_key == runs.TYPED
    controls_column, chart_column = st.columns([1, 3], gap="medium")
    with controls_column:
        start, steps = controls.start_and_steps(
            PAGE, surface, {"start": surface.start, "steps": widgets.TYPED_STEPS} if typed else preset(surface_key))
        three_d = view3d.toggle(PAGE) if surface.dim == 2 else False
        settings = {}
        for key in shown:
            with st.expander(f"{FAMILY[key].label} settings"):
                settings[key] = widgets.member_settings(PAGE, surface_key, key)
    if typed:
        typed_runs = [runs.run_typed(key, tuple(sorted(hp.items())), formula_text, surface.x_range, surface.y_range,
                                     start, steps) for key, hp in settings.items()]
        paths = [run.path for run in typed_runs]
    else:
        paths = family.run_members(settings, surface_key, start, steps)
    figure = family.with_dashes(figures.paths_figure(surface, paths, background, height=600))
    with chart_column:
        if not shown:
            st.info("Choose at least one optimizer above.", icon=":material/touch_app:")
        view3d.show_paths(PAGE, surface, play_figures.for_typed_surface(figure, surface) if typed else figure,
                          paths, three_d)
        export.offer(f"{PAGE}_paths", surface, paths, settings)

    for i, path in enumerate(paths):
        if path.error:
            st.error(f"{path.label}: {path.error}", icon=":material/error:")
            continue
        note = typed_runs[i].stop if typed else family.run_note(path, surface, settings[path.key])
        if note:
            st.warning(note, icon=":material/warning:")
    st.dataframe(family.table_rows(paths, surface), hide_index=True, key=f"{PAGE}_summary")

    st.subheader("Sensitivity maps: every setting at once")
    st.markdown(
        "Each cell is one run from the same start for the same number of steps, with the two hyperparameters of "
        "its axes changed. Diverged runs are black and runs that hit a value that is not finite are purple, "
        "never squeezed into the colour scale. All cells of both maps come from one batched call of the core. "
        "Click a cell to load its setting into the race above (the sliders take their nearest values; the ring "
        "marks those, the square the cell).")
    member, metric, tolerance, cells = widgets.map_settings(PAGE)
    hyper = settings.get(member) or default_settings(member, widgets.TYPED_PRESET if typed else surface_key)
    hyper_key = tuple(sorted(hyper.items()))
    try:
        sensitivity = (runs.typed_maps(member, hyper_key, formula_text, surface.x_range, surface.y_range, start,
                                       steps, tolerance, cells) if typed
                       else runs.named_maps(member, hyper_key, surface_key, start, steps, tolerance, cells))
    except ValueError as error:
        st.error(f"{FAMILY[member].label}: {error}", icon=":material/error:")
    else:
        current = {**FAMILY[member].defaults, **hyper}
        # One chart per map, side by side; Streamlit stacks the columns on a narrow screen.
        for i, (column, one) in enumerate(zip(st.columns(len(sensitivity), gap="medium"), sensitivity)):
            with column:
                marked = widgets.marked_cell(PAGE, surface_key, member, one)
                plot.show(play_figures.map_figure(one, current, metric, marked),
                          key=f"{PAGE}_maps" if i == 0 else f"{PAGE}_maps_{i + 1}",
                          on_click=widgets.cell_loader(PAGE, surface_key, member, one, shown))
                st.markdown(text.map_sentence(one, FAMILY[member].label, metric))
        st.caption(text.axes_caption(current))

controls.show_url_notices(url_notices)
st.page_link("pages/home.py", label="Back to the course overview", icon=":material/home:")
