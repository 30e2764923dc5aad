"""Start one course server: everything imported first, then ``streamlit run app.py`` in this process.

Extra arguments go to ``streamlit run`` (``--server.port 8601``).  Used by ``scripts/run-app``,
``scripts/run-cluster`` and the Dockerfile, so a fresh server has nothing left to import lazily when
the first learners arrive together (``ui/preload.py``), and starts in app.py's ``st.navigation`` mode
from its very first session: with a ``pages/`` folder beside app.py, Streamlit 1.67 would otherwise
run the first sessions in its old multipage mode, which runs a linked lesson's file on its own before
``ui/frame.py`` brings it into app.py's frame (pages/ files are named by their URL paths, so it finds them).
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(args):
    from ui import plot, preload
    preload.import_everything()
    plot.ensure_plotly_js()       # once here, not raced by the first sessions (app.py checks it again)
    missing = [name for name in plot.PARTIAL_BUNDLES if not (plot.STATIC_DIR / name).exists()]
    if missing:
        print(f"static/ lacks {', '.join(missing)} (python scripts/fetch_plotly_js.py fetches them): "
              "charts will load a larger plotly.js bundle, later", file=sys.stderr)

    from streamlit.runtime.pages_manager import PagesManager
    PagesManager.uses_pages_directory = False     # app.py calls st.navigation on every run

    from streamlit.web import cli
    sys.argv = ["streamlit", "run", str(ROOT / "app.py"), *args]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
