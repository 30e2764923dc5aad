"""How long the exports of an animated chart take to render (ui/export.py), on the flagship's default scenes.

For each scene (the parabola, the course's first view, and the 2-D bowl and Rosenbrock) it times the
GIF and the MP4 (light theme), the 2560-wide PNG of the middle step and the CSV, each the median of a
few rounds, and prints them next to a baseline measured in the same run: building the page's own
animated figure (``ui.figures.paths_figure``) for the same paths.  Sizes in KB.

Run from the repo root:  python benchmarks/bench_export.py [--rounds 3]
"""

import argparse
import statistics
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import optimizers as opt  # noqa: E402
from ui import export, figures, runs  # noqa: E402
from ui.catalog import CATALOG  # noqa: E402

SCENES = tomllib.loads((ROOT / "assets" / "scenes.toml").read_text())


def flagship(surface_key):
    surface = opt.surfaces.get(surface_key)
    preset = SCENES[surface_key]
    settings = {key: dict(preset[key]) for key in CATALOG}
    paths = tuple(runs.spec_path(CATALOG[key], surface, settings[key], tuple(preset["start"]), preset["steps"])
                  for key in CATALOG)
    return export.Scene(surface, paths, surface.dim == 1), settings


def timed(make, rounds):
    """(median seconds, the last result)."""
    times, result = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        result = make()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    export.font(16)      # font files read once, as a running server has them
    print(f"{'scene':<11}{'steps':>6}{'figure ms':>11}{'GIF s':>8}{'× figure':>10}{'GIF KB':>8}{'frames':>8}"
          f"{'MP4 s':>8}{'MP4 KB':>8}{'PNG s':>8}{'PNG KB':>8}{'CSV ms':>8}{'CSV KB':>8}")
    for key in ("parabola", "bowl", "rosenbrock"):
        scene, settings = flagship(key)
        steps = export.scene_steps(scene)
        background = figures.surface_background(scene.surface) if scene.surface.dim == 2 else None
        base, _ = timed(lambda: figures.paths_figure(scene.surface, scene.paths, background,
                                                     step_panel=scene.step_panel), args.rounds)
        gif_s, gif = timed(lambda: export.gif_bytes(scene, "light"), args.rounds)
        mp4_s, mp4 = timed(lambda: export.mp4_bytes(scene, "light"), args.rounds)
        png_s, png = timed(lambda: export.png_bytes(scene, steps // 2, "light"), args.rounds)
        csv_s, csv = timed(lambda: export._csv_for(scene, settings, CATALOG), args.rounds)
        frames = len(figures.frame_steps(steps, export.GIF_FRAMES))
        print(f"{key:<11}{steps:>6}{base * 1e3:>11.1f}{gif_s:>8.2f}{gif_s / base:>10.0f}{len(gif) / 1e3:>8.0f}"
              f"{frames:>8}{mp4_s:>8.2f}{len(mp4) / 1e3:>8.0f}{png_s:>8.2f}{len(png) / 1e3:>8.0f}"
              f"{csv_s * 1e3:>8.1f}{len(csv) / 1e3:>8.0f}")


if __name__ == "__main__":
    main()
