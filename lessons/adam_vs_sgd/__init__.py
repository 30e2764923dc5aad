"""The flagship lesson (pages/adam-vs-sgd.py): its read-out table and notes (``readout``) and its live
sentences (``text``), built on the numbers read off each run (``numbers``); the page reads them all as
``lesson.<name>``.

Every sentence that quotes a number or a verdict about a run is built here, by a pure function of the
run's data (no Streamlit calls), and its words branch on those numbers; the truth tests
(tests/test_truth_adam_vs_sgd.py) check each one against independent core runs over a grid of the
page's sliders.
"""

from .numbers import *  # noqa: F401,F403
from .readout import *  # noqa: F401,F403
from .text import *  # noqa: F401,F403
