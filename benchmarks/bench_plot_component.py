"""The lessons' in-place charts (ui/plot.py) against st.plotly_chart: same figures, same server, same run.

st.plotly_chart remounts a chart whenever its figure changes and draws it twice (on mount, then a
re-themed copy); ``ui.plot.show`` keeps one div per key and calls Plotly.react on it once per rerun.
This script builds a throw-away app in a temporary folder with the flagship's bowl scene (paths +
progress figures, start x₀ slider), drawn one way or the other by a URL switch, times key press ->
both charts redrawn for each way, alternating, and prints the medians and their ratio.

Run from the repo root:  python benchmarks/bench_plot_component.py
"""

import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_page import JS_RESULT, JS_WATCH, served_page  # noqa: E402

APP = '''
import tomllib
import streamlit as st
import optimizers as opt
from ui import figures, plot, runs
from ui.catalog import CATALOG

plot.ensure_plotly_js()
scene = tomllib.load(open("assets/scenes.toml", "rb"))["bowl"]
x0 = st.slider("start x₀", -6.0, 6.0, -5.0, 0.01, key="x0")
surface = opt.surfaces.get("bowl")
paths = runs.run_paths({k: dict(scene[k]) for k in CATALOG}, "bowl", (x0, 2.0), 200)
charts = (("paths", figures.paths_figure(surface, paths, runs.background("bowl"))),
          ("progress", figures.progress_figure(paths, surface)))
for name, figure in charts:
    if st.query_params.get("mode") == "inplace":
        plot.show(figure, key=f"inplace_{name}")
    else:
        st.plotly_chart(figure, key=f"st_{name}")
'''


def make_app(folder):
    for package in ("optimizers", "ui", "assets"):
        shutil.copytree(ROOT / package, folder / package)
    shutil.copytree(ROOT / ".streamlit", folder / ".streamlit")
    (folder / "app.py").write_text(APP)


def repaints(page, url, presses):
    """Median ms from key press to the last chart redrawn, over ``presses`` presses."""
    page.goto(url)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length === 2", timeout=60000)
    page.wait_for_timeout(3000)
    thumb = page.get_by_role("slider", name="start x₀")
    times = []
    for i in range(presses):
        thumb.focus()
        page.evaluate(JS_WATCH)
        page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        page.wait_for_timeout(1500)
        result = page.evaluate(JS_RESULT)
        if result and result[2] == 2:
            times.append(result[1])
    return statistics.median(times)


def main(rounds=3, presses=10):
    with tempfile.TemporaryDirectory() as tmp:
        make_app(Path(tmp))
        with served_page(Path(tmp)) as (page, base):
            medians = {"st.plotly_chart": [], "in-place component": []}
            for _ in range(rounds):
                medians["st.plotly_chart"].append(repaints(page, base + "/?mode=st", presses))
                medians["in-place component"].append(repaints(page, base + "/?mode=inplace", presses))
    for name, values in medians.items():
        print(f"{name:20s} key press -> both charts redrawn, median per round: "
              + ", ".join(f"{v:.0f}" for v in values) + " ms")
    ratio = statistics.median(medians["in-place component"]) / statistics.median(medians["st.plotly_chart"])
    print(f"in-place / st.plotly_chart: {ratio:.2f}")


if __name__ == "__main__":
    main()
