"""The production way to run the course: the Dockerfile, compose.yaml and nginx's configuration.

No container runtime runs on these machines, so the image is checked by what it is made of: its
instructions, and the app started exactly as its ENTRYPOINT says from a folder holding only what
its COPY lines copy. The cluster itself (N processes behind nginx) is exercised in tests/test_load.py.
"""

import re
import shlex
import shutil
import subprocess
import sys
import urllib.request

import pytest
import yaml

from conftest import ROOT, _free_port
from deploy.cluster import wait_healthy
from deploy.nginx_conf import nginx_config
from ui import plot

DOCKERFILE = (ROOT / "Dockerfile").read_text()
INSTRUCTIONS = [re.sub(r"\\\n\s*", "", line) for line in
                re.split(r"\n(?=[A-Z]+ )", re.sub(r"^#.*\n", "", DOCKERFILE, flags=re.M))]


def instructions(keyword):
    return [line[len(keyword) + 1:].strip() for line in INSTRUCTIONS if line.startswith(keyword + " ")]


def test_the_image_is_slim_python_runs_as_a_user_and_checks_streamlit_health():
    assert re.fullmatch(r"python:3\.1\d-slim", instructions("FROM")[0])
    user = instructions("USER")
    assert user and user[-1] not in ("root", "0")
    assert "/_stcore/health" in instructions("HEALTHCHECK")[0]
    assert "scripts/serve.py" in instructions("ENTRYPOINT")[0]


def test_the_build_downloads_nothing_but_the_requirements_and_the_pinned_plotly_js():
    assert not instructions("ADD")
    for run in instructions("RUN"):
        assert not re.search(r"\b(curl|wget|apt-get)\b|https?://", run), run
    # The one download beside pip's: the charts' plotly.js, checked against its sha512 (tests/test_plotly_bundle.py).
    assert "python scripts/fetch_plotly_js.py" in instructions("RUN")


def test_compose_runs_replicas_behind_the_official_nginx_with_the_generated_configuration():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    assert compose["app"]["build"] == "."
    assert compose["lb"]["image"].startswith("nginx:")
    assert compose["lb"]["depends_on"]["app"]["condition"] == "service_healthy"
    mounted = compose["lb"]["volumes"][0].split(":")[0]
    assert (ROOT / mounted).read_text() == nginx_config(["app:8501"], "80"), \
        "deploy/nginx.compose.conf is stale: python -m deploy.nginx_conf > deploy/nginx.compose.conf"


def test_nginx_accepts_the_cluster_configuration(tmp_path):
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx_config(["127.0.0.1:9001", "127.0.0.1:9002"], "127.0.0.1:9000", tmp_path))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    result = subprocess.run([nginx, "-t", "-c", str(conf), "-e", str(tmp_path / "error.log")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def image_tree(target):
    """What the image holds in /app: the COPY sources, copied into ``target``."""
    for copy in instructions("COPY"):
        *sources, destination = shlex.split(copy)
        for source in sources:
            path, dest = ROOT / source, target / destination
            if path.is_dir():
                shutil.copytree(path, dest if destination != "." else target / source,
                                ignore=shutil.ignore_patterns("__pycache__"))
            else:
                dest = dest / path.name if destination.endswith(("/", ".")) else dest
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, dest)


def test_the_image_files_serve_every_lesson_as_the_entrypoint_starts_them(tmp_path):
    image_tree(tmp_path)
    # The verified partial bundles this checkout fetched: the build's fetch step then downloads nothing.
    (tmp_path / "static").mkdir()
    for name in plot.PARTIAL_BUNDLES:
        shutil.copy2(ROOT / "static" / name, tmp_path / "static")
    for run in instructions("RUN"):
        for command in (shlex.split(part) for part in run.split("&&")):
            if command[0] == "python":
                subprocess.run([sys.executable, *command[1:]], cwd=tmp_path, check=True)
    bundles = {*plot.PARTIAL_BUNDLES, plot.FULL_BUNDLE}
    assert bundles <= {path.name for path in (tmp_path / "static").iterdir()}
    port = _free_port()
    entry = [a.replace("8501", str(port)) for a in yaml.safe_load(instructions("ENTRYPOINT")[0])]
    assert entry[0] == "python"
    server = subprocess.Popen([sys.executable, *entry[1:]], cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
    try:
        wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", timeout=60)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/adam-vs-sgd", timeout=5) as reply:
            assert reply.status == 200
        for bundle in bundles:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/app/static/{bundle}", timeout=5) as reply:
                assert reply.status == 200
    finally:
        server.terminate()
        server.wait(timeout=15)
    every_lesson = ("from streamlit.testing.v1 import AppTest\n"
                    "import pathlib\n"
                    "at = AppTest.from_file('app.py', default_timeout=180); at.run()\n"
                    "for p in sorted(pathlib.Path('pages').glob('*.py')):\n"
                    "    at.switch_page(str(p)); at.run()\n"
                    "    assert not at.exception, (p, [e.value for e in at.exception])\n")
    result = subprocess.run([sys.executable, "-c", every_lesson], cwd=tmp_path, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
