"""Import, once and before any learner's session runs, every module the lessons will need.

Streamlit runs each session's script in a thread of its own, and imports some libraries only when an
element first needs them (pandas and pyarrow inside ``st.dataframe``).  On a fresh server, thirty
learners arriving in the same second import them at the same time, and Plotly, which looks pandas up
in ``sys.modules`` without importing it, then finds a half-initialised module
(``AttributeError: partially initialized module 'pandas'``).  A module that is fully imported
before the first session starts cannot be found half-imported, so ``scripts/serve.py`` calls
:func:`import_everything` before it starts the server.  ``ui/__init__.py`` calls
:func:`import_lazy_modules` (for a plain ``streamlit run app.py``, where the first session's import of
``ui`` holds every other session at Python's import lock of ``ui`` until pandas and the rest are in);
not the course's own modules, which import ``ui`` themselves and would then find each other half-made.
"""

import importlib
import logging
import pkgutil
from pathlib import Path

import PIL.Image

# Third-party and standard modules that Streamlit, Plotly and pandas import lazily, found by running
# every lesson after this preload and listing what was new (tests/test_preload.py repeats that).
LAZY_MODULES = (
    "pandas", "pyarrow", "pyarrow.lib", "pyarrow.pandas_compat", "pyarrow.vendored.version",
    "plotly.graph_objects", "plotly.io", "plotly.io._json", "plotly.subplots", "plotly.offline",
    "plotly.tools", "plotly.animation", "plotly.graph_objs._deprecations", "_plotly_utils.files",
    "PIL.Image", "PIL.ImageDraw", "PIL.PngImagePlugin",
    "streamlit.components.v2", "streamlit.components.v2.manifest_scanner", "streamlit.elements.arrow",
    "streamlit.dataframe_util", "streamlit.material_icon_names", "streamlit.runtime.scriptrunner.magic_funcs",
    "packaging.tags", "_strptime", "zoneinfo", "dateutil.parser", "gzip", "tarfile", "pydoc", "cmath",
    "unicodedata", "encodings.cp437",
    "sympy.assumptions.wrapper", "sympy.combinatorics", "sympy.sets.setexpr", "sympy.tensor.tensor",   # the playground
)
# The course's own packages: every module of each is imported (lessons import them lazily by page).
OWN_PACKAGES = ("optimizers", "models", "ui", "lessons")


def _own_modules():
    root = Path(__file__).resolve().parents[1]
    for package in OWN_PACKAGES:
        yield package
        for info in pkgutil.walk_packages([str(root / package)], prefix=package + "."):
            yield info.name


def import_lazy_modules():
    """Import :data:`LAZY_MODULES` (what Streamlit and Plotly would import inside a session); return their names."""
    return _import(list(LAZY_MODULES))


def import_everything():
    """Import :data:`LAZY_MODULES` and every module of the course's packages; return their names."""
    return _import(list(LAZY_MODULES) + list(_own_modules()))


def _import(names):
    # Before the server exists, each st.cache_data decorator warns that it found no runtime; the cache
    # itself is made on first use, inside the runtime, so the warning says nothing here.
    from streamlit.runtime.caching import cache_data_api      # so that its logger exists and stays quiet
    cache_log = logging.getLogger(cache_data_api.__name__)
    level = cache_log.level
    cache_log.setLevel(logging.ERROR)
    try:
        for name in names:
            importlib.import_module(name)
    finally:
        cache_log.setLevel(level)
    PIL.Image.init()        # Pillow imports its file-format plugins on the first save or open
    return names
