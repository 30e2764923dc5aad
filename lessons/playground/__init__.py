"""The playground (pages/playground.py): your own loss read safely (``parse``), the typed surface and the
cached runs on it (``runs``), the sensitivity maps (``maps``), figures and live sentences (``figures``,
``text``), read by the page as ``lesson.<name>``."""
