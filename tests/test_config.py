"""The Streamlit configuration the deployed app runs with (``.streamlit/config.toml``)."""

import re
import subprocess
import sys

from conftest import ROOT


def effective_option(name):
    """The value Streamlit itself reads for ``[section] name`` from the project's config, as ``streamlit config show`` prints it."""
    shown = subprocess.run([sys.executable, "-m", "streamlit", "config", "show"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout
    match = re.search(rf"^{re.escape(name)} = (.+)$", shown, flags=re.M)    # commented-out lines are the defaults
    return match and match.group(1)


def test_learners_see_no_developer_menu_or_deploy_button():
    assert effective_option("toolbarMode") == '"viewer"'


def test_the_image_carries_the_config():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^COPY \.streamlit \.streamlit$", dockerfile, flags=re.M)
    assert ".streamlit" not in (ROOT / ".dockerignore").read_text().split()
