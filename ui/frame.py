"""Keep every lesson inside app.py's frame, even in the first seconds of a fresh server.

Streamlit 1.67 starts in its old multipage mode when a ``pages/`` folder sits beside the main
script: until some script run has called ``st.navigation``, each new session runs a file of
``pages/`` on its own, chosen by its file name.  A learner who opens a shared lesson link on a
server that has just started (an app woken from sleep) then gets that lesson without app.py's page
config and navigation, and so does every later link until someone opens the course's front page.
The flag behind it is ``PagesManager.uses_pages_directory``; ``st.navigation`` clears it.
The course's own entry point (``scripts/serve.py``) clears it before the server starts; this module
is the guard for hosts that run ``streamlit run app.py`` themselves.  That mode finds a page by its file
name, so each file in ``pages/`` is named by its URL path (``pages/adam-vs-sgd.py``): a first link to
``/adam-vs-sgd`` then runs that lesson (and this guard) instead of showing a "Page not found" dialog.
"""

from pathlib import Path

import streamlit as st

try:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.runtime.scriptrunner import get_script_run_ctx
except ImportError:         # a Streamlit without the old multipage mode: nothing to guard against
    PagesManager = None

FRAMED = "course_framed"      # session state: app.py has run in this session


def in_old_multipage_mode():
    """True when this run is one of the old mode's: the page file runs on its own, outside app.py.

    Asked of this run, not of the server-wide flag: when a class arrives at once on a fresh server, each
    first session starts in the old mode, and the first lesson to run clears the flag for all of them, while
    the others are already running their lessons on their own.  The old mode's page list has app.py itself
    as a page (Streamlit's ``_mpa_v1``); the list app.py's ``st.navigation`` makes does not.
    """
    if PagesManager is None:
        return False
    ctx = get_script_run_ctx()
    if ctx is None:
        return bool(PagesManager.uses_pages_directory)
    main = Path(ctx.pages_manager.main_script_path).resolve()
    return any(Path(str(page.get("script_path", ""))).resolve() == main
               for page in ctx.pages_manager.get_pages().values())


def mark_framed():
    """Called by app.py on every run: this session has been through the course's frame."""
    st.session_state[FRAMED] = True


def require_app():
    """Called first by every lesson: if Streamlit ran it on its own, leave that mode for good.

    A session that has never been through app.py reruns at once, so app.py frames the lesson from
    its first view (nothing of the learner's is lost: it is the session's first run).  One that has
    (Streamlit's AppTest starts every run in the old mode) goes on: a rerun would drop a click.
    """
    if in_old_multipage_mode():
        PagesManager.uses_pages_directory = False
        if not st.session_state.get(FRAMED):
            st.rerun()
