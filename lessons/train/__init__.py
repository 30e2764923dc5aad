"""The "Train a real model" lesson (pages/train-a-model.py): its cached epoch-by-epoch runs (``runs``), figures
(``figures``) and the sentences that read the runs (``text``)."""

from . import figures, runs, text  # noqa: F401
