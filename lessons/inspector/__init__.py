"""The "Inside an Adam step" lesson (pages/inside-adam.py): its cached run (``runs``) and figures (``figures``)."""

from . import figures, runs, text  # noqa: F401  (the page reads them as inspector.runs, .figures, .text)
