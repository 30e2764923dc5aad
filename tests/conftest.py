"""Shared fixtures. The browser ones start nothing unless a test asks for them."""

import collections
import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SERVER_START_TIMEOUT = 60.0   # seconds


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url):
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


# How a server is started: the course's own entry point (scripts/run-app, the cluster, the Dockerfile),
# or a bare `streamlit run app.py`, as a host that runs the script itself does (Community Cloud).
ENTRY_POINTS = {"serve": [sys.executable, "scripts/serve.py"],
                "streamlit-run": [sys.executable, "-m", "streamlit", "run", "app.py"]}


@contextlib.contextmanager
def served_app(log_dir, entry="serve"):
    """The app on a free port, started by ``ENTRY_POINTS[entry]``, answering health checks; yields its URL.

    The server's output is in ``log_dir / "server.log"``.
    """
    port = _free_port()
    log_path = log_dir / "server.log"
    env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            ENTRY_POINTS[entry] + ["--server.port", str(port), "--server.headless", "true",
                                   # The app's files may be edited while the tests run: no "source changed" prompts.
                                   "--server.fileWatcherType", "none"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not _answers(f"{url}/_stcore/health"):
            if server.poll() is not None:
                pytest.fail(f"streamlit exited with code {server.returncode}:\n{log_path.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer on port {port} within {SERVER_START_TIMEOUT:.0f} s:\n"
                            f"{log_path.read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    """The app served once for the whole session; yields its base URL."""
    with served_app(tmp_path_factory.mktemp("streamlit")) as url:
        yield url


@pytest.fixture(params=sorted(ENTRY_POINTS))
def fresh_app_url(request, tmp_path):
    """A server of its own that no session has opened yet (as after a restart), started by each entry
    point in turn; yields its base URL."""
    with served_app(tmp_path, request.param) as url:
        yield url


@pytest.fixture(scope="session")
def browser(request):
    """Debian's headless chromium through Playwright, warmed up on the app's root page.

    The root page is loaded once here, so the first test to open a lesson does not pay for the
    server's first run (a class arriving on a fresh server is tests/test_browser_cold_start.py).
    """
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's chromium "
                    "(apt-get install chromium, or run scripts/run-tests, which installs it).")
    app_url = request.getfixturevalue("app_url")      # start the server only once chromium is known
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            warm = chromium.new_page()
            warm.goto(app_url + "/")
            try:
                warm.locator("h1, [data-testid='stException']").first.wait_for(timeout=30_000)
            except Exception:
                pytest.fail("the app's root page showed no title within 30 s")
            warm.close()
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (so a fresh Streamlit session) per test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(20_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# Under pytest-xdist (scripts/run-tests: ``-n 2``) a module is a unit of work, and the modules that start a
# server and a browser (or a cluster) go first: they take most of the suite's time, so the short ones fill
# in at the end instead of a long one starting last.  Each worker has its own server and browser.
def starts_servers(module_path):
    """True for the browser modules (tests/test_browser*.py) and the cluster's load test."""
    module = module_path.rsplit("/", 1)[-1]
    return module.startswith("test_browser") or module == "test_load.py"


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class ByModuleServersFirst(LoadScopeScheduling):
        def __init__(self, config, log=None):
            super().__init__(config, log)
            self.workqueue = _ServersFirst()

        def _split_scope(self, nodeid):
            return nodeid.split("::", 1)[0]

    return ByModuleServersFirst(config, log)


class _ServersFirst(collections.OrderedDict):
    """xdist's queue of modules, with each module that starts servers moved to the front as it is added."""

    def __setitem__(self, module, work_unit):
        super().__setitem__(module, work_unit)
        if starts_servers(module):
            self.move_to_end(module, last=False)
