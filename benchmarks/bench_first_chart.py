"""Time to the first drawn chart from a cold browser (issue 18): before and after, in one run.

Run from the repo root:  python benchmarks/bench_first_chart.py [--runs 3] [--variants before,partial] [--every-lesson]

Each variant is its own warm server (``scripts/serve.py``, started here with the environment of ``VARIANTS``):
``before`` is the way before issue 18 (the whole plotly.js bundle, requested when the first chart mounts),
``partial`` the default (the partial plotly.js bundles, the basic one fetched by the frame's preload:
ui/plot.py), ``partial-eager`` also runs the basic bundle in the frame's preload.  Every measurement opens a
new browser context (empty cache, new Streamlit session) on one lesson; runs go lesson by lesson and variant
by variant in turn, so all variants share whatever else the machine does.

The timeline, in ms from the navigation's start (performance.timeOrigin):
  html     the page's HTML received (navigation responseEnd)
  shown    the first element shown (the lesson's title)
  req      plotly.js requested (the first plotly*.js request's start, from Playwright's request events)
  got      plotly.js received (that request's responseEnd)
  ready    ``window.Plotly`` assigned: the bundle has been evaluated (a setter on window records the moment)
  settled  no element's skeleton left: every element's lazily loaded frontend chunk is in and shown
  box      the chart's component mounted (its ``.course-plot-box``): React has shown the chart's element.
           Each Streamlit element waits in its own Suspense boundary for its lazily loaded frontend chunk; on a
           cold browser the chart's is shown with the page's last ones (box follows settled): running plotly.js
           (0.25 s of main thread) before then delays it (variant partial-eager).
  chart    the first chart drawn: a ``.course-plot`` with data traces and its ``.main-svg``
Goal (issue 18): chart <= 2000 ms median on the flagship, <= 2500 ms on every lesson.

Then, with ``--eval N`` (default 5), each plotly.js bundle alone on a blank page of the app, N times in turn:
its fetch and its evaluation (script received to ``onload``), the main-thread time a bundle costs.
"""

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
LESSONS = ("/adam-vs-sgd", "/momentum", "/optimizer-family")
EVERY_LESSON = ("/adam-vs-sgd", "/rmsprop-scaling", "/momentum", "/bias-correction", "/inside-adam",
                "/momentum-schedules", "/adamw", "/amsgrad", "/optimizer-family", "/when-adam-struggles",
                "/train-a-model", "/playground")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
VARIANTS = {"before": {"COURSE_PLOTLY_BUNDLE": "full"},
            "partial": {"COURSE_PLOTLY_BUNDLE": "partial"},
            "partial-eager": {"COURSE_PLOTLY_BUNDLE": "partial-eager"}}
STEPS = ("html", "shown", "req", "got", "ready", "settled", "box", "chart")

# Runs before any of the page's scripts: poll for Plotly and the first drawn chart.
JS_WATCH = """(() => {
    const seen = window.__firstChart = {};
    let plotly;
    Object.defineProperty(window, 'Plotly', {configurable: true, get: () => plotly, set: value => {
        plotly = value;
        if (seen.ready === undefined) seen.ready = performance.now();
    }});
    const drawn = () => [...document.querySelectorAll('.course-plot')].some(
        gd => gd._fullData && gd._fullData.some(t => t.visible === true) && gd.querySelector('.main-svg'));
    const poll = () => {
        const now = performance.now();
        if (seen.shown === undefined && document.querySelector('[data-testid="stHeading"]')) seen.shown = now;
        if (seen.settled === undefined && seen.shown !== undefined
            && !document.querySelector('[data-testid="stSkeleton"]')) seen.settled = now;
        if (seen.box === undefined && document.querySelector('.course-plot-box')) seen.box = now;
        if (seen.chart === undefined && drawn()) seen.chart = now;
        if (seen.chart === undefined || seen.settled === undefined) setTimeout(poll, 4);
    };
    poll();
})();"""
JS_EVALUATE = """(src) => new Promise((resolve, reject) => {
    const script = Object.assign(document.createElement('script'), {src});
    script.onload = () => {
        const entry = performance.getEntriesByName(script.src)[0];
        resolve({fetch: entry.responseEnd - entry.startTime, evaluate: performance.now() - entry.responseEnd});
    };
    script.onerror = reject;
    document.head.appendChild(script);
})"""
JS_TIMES = """() => ({...window.__firstChart, origin: performance.timeOrigin,
                    html: performance.getEntriesByType('navigation')[0].responseEnd})"""


def wait_healthy(url, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


@contextlib.contextmanager
def servers(variants, first_port):
    """One ``scripts/serve.py`` per variant, on ports first_port, first_port + 1, ...: yields {variant: url}."""
    started, urls = [], {}
    try:
        for i, variant in enumerate(variants):
            port = first_port + i
            env = dict(os.environ, **VARIANTS[variant], STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
            started.append(subprocess.Popen(
                [sys.executable, "scripts/serve.py", "--server.port", str(port), "--server.headless", "true"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            urls[variant] = f"http://127.0.0.1:{port}"
        for url in urls.values():
            wait_healthy(url)
        yield urls
    finally:
        for server in started:
            server.terminate()
        for server in started:
            server.wait(timeout=15)


def cold_visit(browser, url):
    """One lesson in a new context: the timeline (ms) and the plotly.js files requested."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.add_init_script(JS_WATCH)
    bundles = []
    page.on("requestfinished", lambda request: bundles.append(request)
            if "plotly" in request.url.rsplit("/", 1)[-1] and request.url.endswith(".js") else None)
    try:
        page.goto(url)
        page.wait_for_function("() => window.__firstChart && window.__firstChart.chart !== undefined"
                               " && window.__firstChart.settled !== undefined", timeout=60_000, polling=100)
        times = page.evaluate(JS_TIMES)
        if bundles:
            timing = bundles[0].timing          # startTime: epoch ms; responseEnd: ms after startTime
            times["req"] = timing["startTime"] - times["origin"]
            times["got"] = times["req"] + timing["responseEnd"]
        return times, [request.url.rsplit("/", 1)[-1] for request in bundles]
    finally:
        context.close()


def bundle_evaluations(browser, base, runs):
    """Each bundle on a blank page of the app (its health check's), a new context each time: {name: [times]}."""
    from ui import plot

    names = [*plot.PARTIAL_BUNDLES, plot.FULL_BUNDLE]
    results = {name: [] for name in names}
    for _ in range(runs):
        for name in names:
            context = browser.new_context()
            page = context.new_page()
            page.goto(base + "/_stcore/health")
            results[name].append(page.evaluate(JS_EVALUATE, f"{base}/app/static/{name}"))
            context.close()
    return results


def warm(browser, urls, lessons):
    """Each server runs each lesson once (imports, caches), as a server that has seen learners would."""
    for base in urls.values():
        for lesson in lessons:
            cold_visit(browser, base + lesson)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--variants", default="before,partial",
                        help=f"comma-separated, one server each, of {', '.join(VARIANTS)} (default: before,partial)")
    parser.add_argument("--every-lesson", action="store_true",
                        help=f"all twelve lessons, not only {', '.join(LESSONS)}")
    parser.add_argument("--port", type=int, default=8640, help="the first server's port")
    parser.add_argument("--eval", type=int, default=5, help="runs of the bundle evaluation (0: none)")
    args = parser.parse_args()
    variants = args.variants.split(",")
    lessons = EVERY_LESSON if args.every_lesson else LESSONS
    from playwright.sync_api import sync_playwright

    results = {(lesson, variant): [] for lesson in lessons for variant in variants}
    files = {variant: set() for variant in variants}
    with servers(variants, args.port) as urls, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        warm(browser, urls, lessons)
        for run in range(args.runs):
            for lesson in lessons:
                for variant in variants if run % 2 == 0 else variants[::-1]:   # none always goes first
                    times, names = cold_visit(browser, urls[variant] + lesson)
                    results[lesson, variant].append(times)
                    files[variant].update(names)
        evaluations = bundle_evaluations(browser, next(iter(urls.values())), args.eval)
        browser.close()

    print(f"first chart from a cold browser context, median of {args.runs} runs (ms from navigation start)")
    for variant in variants:
        print(f"  {variant}: plotly files requested: {', '.join(sorted(files[variant])) or 'none'}")
    print(f"  {'lesson':20s} {'variant':12s} " + " ".join(f"{step:>6s}" for step in STEPS) + "   chart runs")
    for lesson in lessons:
        for variant in variants:
            runs = results[lesson, variant]
            medians = [statistics.median(r[step] for r in runs) if all(step in r for r in runs) else float("nan")
                       for step in STEPS]
            print(f"  {lesson:20s} {variant:12s} " + " ".join(f"{m:6.0f}" for m in medians)
                  + "   " + " ".join(f"{r['chart']:.0f}" for r in runs))
        before = statistics.median(r["chart"] for r in results[lesson, variants[0]])
        for variant in variants[1:]:
            after = statistics.median(r["chart"] for r in results[lesson, variant])
            print(f"  {'':20s} {variant}/{variants[0]} first chart: {after / before:.2f}")
    print("goal: chart <= 2000 ms on /adam-vs-sgd, <= 2500 ms on every lesson")
    if args.eval:
        print(f"each bundle alone on a blank page, median of {args.eval} (ms):")
        for name, runs in evaluations.items():
            size = (ROOT / "static" / name).stat().st_size / 1e6
            print(f"  {name:32s} {size:4.1f} MB   fetch {statistics.median(r['fetch'] for r in runs):5.0f}"
                  f"   evaluate {statistics.median(r['evaluate'] for r in runs):5.0f}")


if __name__ == "__main__":
    main()
